//! The lab as a learner drives it: run, step, speed, select, crash, partition, skew, drop,
//! mode, reset; every number on screen comes from the simulator.

mod tui_support;

use std::time::Duration;

use distlab::sim::{Command, Status};
use distlab::tui::action::{Action, Tab};
use distlab::tui::lab::{DEFAULT_SPEED, SPEEDS};
use ratatui::crossterm::event::{
    Event, KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use tui_support::Harness;

fn lab() -> Harness {
    let mut h = Harness::new(120, 40);
    h.keys("3");
    h
}

#[test]
fn opens_paused_at_t0_and_space_runs_it() {
    let mut h = lab();
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(lab.sim.now_us(), 0);
    assert!(!h.app.animating());
    h.keys(" ");
    assert!(h.app.animating());
    // One second of wall time at the default speed moves simulated time by the speed factor.
    h.action(Action::Tick(Duration::from_secs(1)));
    let now = h.app.lab.as_ref().unwrap().sim.now_us();
    assert_eq!(now, (SPEEDS[DEFAULT_SPEED] * 1e6) as u64);
    // ... and within that second something moved: a message was sent.
    assert!(h.app.lab.as_ref().unwrap().sim.metrics().messages_sent > 0);
    h.keys(" ");
    assert!(!h.app.animating());
}

#[test]
fn speed_keys_change_the_factor_shown() {
    let mut h = lab();
    h.keys("++");
    assert!(
        h.screen()
            .contains(&format!("×{}", SPEEDS[DEFAULT_SPEED + 2]))
    );
    h.keys("----");
    assert!(
        h.screen()
            .contains(&format!("×{}", SPEEDS[DEFAULT_SPEED - 2]))
    );
}

#[test]
fn step_advances_one_instant_and_pauses() {
    let mut h = lab();
    h.keys("s");
    let t1 = h.app.lab.as_ref().unwrap().sim.now_us();
    assert!(t1 > 0);
    h.keys("s");
    assert!(h.app.lab.as_ref().unwrap().sim.now_us() >= t1);
    assert!(!h.app.animating());
}

#[test]
fn crash_restart_and_pause_the_selected_node() {
    let mut h = lab();
    h.keys("c");
    assert_eq!(
        h.app.lab.as_ref().unwrap().sim.nodes()[0].status,
        Status::Crashed
    );
    assert!(h.screen().contains("✖ n1 [crashed, was primary]"));
    h.keys("c");
    assert_eq!(
        h.app.lab.as_ref().unwrap().sim.nodes()[0].status,
        Status::Up
    );
    h.keys("lz");
    assert!(matches!(
        h.app.lab.as_ref().unwrap().sim.nodes()[1].status,
        Status::Paused { .. }
    ));
    assert!(h.screen().contains("‖ paused"));
}

#[test]
fn partition_skew_drop_mode_and_timestamps_are_logged_commands() {
    let mut h = lab();
    h.keys("lDx]]dmt");
    let lab = h.app.lab.as_ref().unwrap();
    let log: Vec<String> = lab
        .sim
        .command_log()
        .iter()
        .map(|(_, c)| c.to_string())
        .collect();
    assert_eq!(
        log,
        [
            "drop-next n2 n1",
            "partition n2",
            "skew n2 250",
            "skew n2 500",
            "loss 0",
            "mode sync",
        ]
        .map(String::from)
    );
    // One writer: `t` says why timestamps change nothing instead of switching them.
    let note = lab.note.clone().unwrap_or_default();
    assert!(note.contains("timestamps change nothing here"), "{note}");
    assert_eq!(lab.sim.nodes()[1].clock.skew_ms, 500);
    let screen = h.screen();
    assert!(screen.contains("skew +500 ms"), "{screen}");
    assert!(
        screen.contains("╳"),
        "a partition is drawn as a cut: {screen}"
    );
    assert!(
        screen.contains("· sync") && !screen.contains(" ts"),
        "{screen}"
    );
    // Cut off, it has no link a message could be dropped on: D says so.
    h.keys("D");
    let lab = h.app.lab.as_ref().unwrap();
    let note = lab.note.clone().unwrap_or_default();
    assert!(note.contains("every link out of it is cut"), "{note}");
    assert_eq!(lab.sim.command_log().len(), 6, "no command");
    h.keys("a");
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(
        lab.sim.command_log().last().map(|(_, c)| c.clone()),
        Some(Command::Heal)
    );
}

#[test]
fn reset_keeps_the_seed_and_new_seed_changes_it() {
    let mut h = lab();
    h.keys("c");
    h.app.lab.as_mut().unwrap().run_to(1_000_000);
    h.keys("r");
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(
        (lab.seed(), lab.sim.now_us(), lab.sim.command_log().len()),
        (1, 0, 0)
    );
    h.keys("R");
    let seed = h.app.lab.as_ref().unwrap().seed();
    assert_ne!(seed, 1);
    assert!(h.screen().contains(&format!("seed {seed}")));
}

#[test]
fn clicking_a_node_selects_it() {
    let mut h = lab();
    let screen = h.screen();
    let (row, line) = screen
        .lines()
        .enumerate()
        // The cluster's label, on the left (the Nodes panel, to its right, has one too).
        .find(|(_, l)| {
            l.chars()
                .take(60)
                .collect::<String>()
                .contains("● n3 [replica]")
        })
        .unwrap();
    let left: String = line.chars().take(60).collect();
    let at = left
        .find("● n3")
        .expect("n3's label is in the cluster, on the left");
    let column = left[..at].chars().count() as u16 + 2;
    h.event(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row: row as u16,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(h.app.lab.as_ref().unwrap().selected, 2);
}

#[test]
fn try_it_offers_every_scenario_of_the_concept_and_opens_the_one_chosen() {
    let mut h = Harness::new(120, 40);
    let wanted: Vec<String> = (h.app.lesson.concepts[0].scenario.iter())
        .map(|s| s.to_string())
        .collect();
    assert!(wanted.len() >= 2, "concept 1 links several scenarios");
    h.keys("2t");
    // A list to choose from, over the concept, with every scenario and its title.
    assert_eq!(h.app.tab, Tab::Concepts);
    let screen = h.screen();
    assert!(screen.contains("Try which scenario?"), "{screen}");
    for id in &wanted {
        assert!(
            screen.contains(&format!("{id}: ")),
            "{id} missing:\n{screen}"
        );
    }
    // Keys of the screen wait while the list is open: → does not change the concept.
    h.key(KeyCode::Right);
    assert_eq!(h.app.concepts.current, 0);
    // Esc closes it, and nothing is loaded.
    h.key(KeyCode::Esc);
    assert!(!h.screen().contains("Try which scenario?"));
    assert_eq!(h.app.tab, Tab::Concepts);
    // The second, chosen with ↓ and opened with Enter.
    h.keys("t").key(KeyCode::Down).key(KeyCode::Enter);
    assert_eq!(h.app.tab, Tab::Lab);
    assert_eq!(
        h.app.lab.as_ref().unwrap().scenario().id.as_str(),
        wanted[1]
    );
    // ↑ from the first wraps to the last.
    h.keys("2t").key(KeyCode::Up).keys("t");
    let last = wanted.last().unwrap();
    assert_eq!(h.app.lab.as_ref().unwrap().scenario().id.as_str(), last);
}

#[test]
fn the_side_lab_keeps_running_while_reading() {
    let mut h = Harness::new(160, 48);
    h.keys("3 1");
    assert_eq!(h.app.tab, Tab::Lesson);
    assert!(h.app.animating());
    h.action(Action::Tick(Duration::from_millis(500)));
    let screen = h.screen();
    assert!(screen.contains("▶ running"), "{screen}");
    assert!(screen.contains("Cluster ·"), "{screen}");
}

#[test]
fn scenario_cycles_and_finishes_at_its_duration() {
    let mut h = lab();
    h.keys(">");
    let id = h.app.lab.as_ref().unwrap().scenario().id.to_string();
    assert_ne!(id, "async-drop");
    h.keys("<");
    let lab = h.app.lab.as_mut().unwrap();
    assert_eq!(lab.scenario().id, "async-drop");
    lab.run_to(u64::MAX);
    assert!(lab.finished());
    assert!(h.screen().contains("■ ended"));
}

#[test]
fn memory_is_bounded_over_a_long_run() {
    use distlab::tui::lab::record::{ARROWS_MAX, LOG_MAX};
    let mut h = lab();
    let lab = h.app.lab.as_mut().unwrap();
    lab.run_to(u64::MAX);
    assert!(lab.record.log.len() <= LOG_MAX);
    assert!(lab.record.arrows.len() <= ARROWS_MAX);
}

#[test]
fn reduced_motion_marks_arrivals_instead_of_moving_messages() {
    use distlab::tui::Display;
    let mut h = lab();
    h.keys(" ");
    h.action(Action::Tick(Duration::from_millis(1400)));
    for _ in 0..200 {
        let lab = h.app.lab.as_ref().unwrap();
        let now = lab.sim.now_us();
        let midway = |p: &&distlab::sim::Packet| (0.3..0.7).contains(&p.progress(now));
        if lab
            .sim
            .network()
            .in_flight()
            .iter()
            .any(|p| midway(p) && !matches!(p.msg, distlab::sim::Msg::Heartbeat { .. }))
        {
            break;
        }
        h.action(Action::Tick(Duration::from_millis(20)));
    }
    let moving = h.screen();
    assert!(
        moving.contains('◉'),
        "normally messages move along the links: {moving}"
    );
    h.app.set_display(Display {
        reduced_motion: true,
        ..Display::default()
    });
    let screen = h.screen();
    assert!(!screen.contains('◉'), "no moving messages: {screen}");
    assert!(
        screen.contains('◆'),
        "arrivals marked at their destination: {screen}"
    );
    assert!(
        screen.contains('▼') || screen.contains('▲'),
        "the space-time diagram still grows"
    );
}

#[test]
fn every_lab_control_is_in_the_footer_even_at_80_columns() {
    let mut h = Harness::new(80, 24);
    h.keys("3");
    let ids: Vec<String> = h
        .app
        .lesson
        .scenarios
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    for id in ids {
        h.lab_on(&id);
        let screen = h.screen();
        let footer: String = screen.lines().rev().take(3).collect::<Vec<_>>().join("\n");
        let lab_keys = distlab::tui::keymap::LAB;
        for b in lab_keys {
            // Offered where it does something, and only there.
            if h.app.offers(b) {
                assert!(
                    footer.contains(b.short),
                    "{id}: footer lacks `{}`: {footer}",
                    b.short
                );
            } else if !lab_keys
                .iter()
                .any(|o| o.short == b.short && h.app.offers(o))
            {
                assert!(
                    !footer.contains(b.short),
                    "{id}: footer offers `{}`: {footer}",
                    b.short
                );
            }
        }
    }
}

#[test]
fn lab_keys_for_the_captions_fixes_replay_or_explain() {
    let mut h = Harness::new(120, 40);
    h.keys("3");
    // M: the same seed from the start, in the next mode.
    let lab = h.lab_on("async-drop");
    lab.run_to(3_000_000);
    let seed = lab.seed();
    h.keys("M");
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(lab.sim.params().mode, distlab::sim::Mode::Sync);
    assert_eq!((lab.sim.now_us(), lab.seed()), (0, seed));
    let note = lab.note.clone().unwrap_or_default();
    assert!(note.contains("from the start with mode = sync"), "{note}");
    // I: idempotency keys, in the checkout only.
    h.keys("I");
    let note = h.app.lab.as_ref().unwrap().note.clone().unwrap_or_default();
    assert!(
        note.contains("idempotency keys change nothing here"),
        "{note}"
    );
    let lab = h.lab_on("checkout");
    assert!(!lab.sim.params().idempotency);
    h.keys("I");
    let lab = h.app.lab.as_ref().unwrap();
    assert!(lab.sim.params().idempotency);
    let note = lab.note.clone().unwrap_or_default();
    assert!(note.contains("with idempotency keys"), "{note}");
    h.keys("M");
    let note = h.app.lab.as_ref().unwrap().note.clone().unwrap_or_default();
    assert!(note.contains("no replicas"), "{note}");
}

#[test]
fn drop_next_says_which_message_will_be_dropped() {
    let mut h = lab();
    h.keys("D");
    let note = h.app.lab.as_ref().unwrap().note.clone().unwrap_or_default();
    assert_eq!(note, "the next message from n1 to n2 will be dropped");
    assert!(
        h.screen()
            .contains("the next message from n1 to n2 will be dropped")
    );
}

#[test]
fn the_help_lists_only_the_lab_keys_of_this_scenario() {
    let mut h = Harness::new(120, 60);
    h.keys("3");
    h.lab_on("checkout");
    h.keys("?");
    let screen = h.screen();
    assert!(screen.contains("idempotency keys on / off"), "{screen}");
    assert!(!screen.contains("fencing on / off"), "{screen}");
    h.keys("?");
    h.lab_on("split-brain");
    h.keys("?");
    let screen = h.screen();
    assert!(screen.contains("fencing on / off"), "{screen}");
    assert!(!screen.contains("idempotency keys on / off"), "{screen}");
}

#[test]
fn the_nodes_panel_drops_whole_values_never_digits() {
    let mut h = tui_support::Harness::new(120, 40);
    h.lab_on("async-drop").run_to(20_000_000);
    let screen = h.screen();
    assert!(
        screen.contains("· …"),
        "a narrow panel ends in …:\n{screen}"
    );
    for (i, _) in screen.match_indices("clock ") {
        let rest = &screen[i + 6..];
        let time: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        assert!(
            time.len() >= 5 && rest[time.len()..].starts_with('s'),
            "a clock cut short: `clock {}`\n{screen}",
            &rest[..12.min(rest.len())]
        );
    }
}

/// `F` replays the scenario and seed from the start with fencing switched, and says so;
/// where fencing changes nothing it says that instead.
#[test]
fn f_replays_the_scenario_with_fencing_switched() {
    let mut h = Harness::new(120, 40);
    h.keys("3");
    let lab = h.lab_on("split-brain");
    lab.run_to(12_000_000);
    let seed = lab.seed();
    h.keys("F");
    let lab = h.app.lab.as_ref().unwrap();
    assert!(lab.sim.params().fencing);
    assert_eq!((lab.sim.now_us(), lab.seed()), (0, seed));
    assert!(
        lab.note
            .as_deref()
            .unwrap_or("")
            .contains("with fencing on")
    );
    let screen = h.screen();
    assert!(screen.contains("· fencing"), "{screen}");
    h.keys("r");
    assert!(
        h.app.lab.as_ref().unwrap().sim.params().fencing,
        "a reset keeps it"
    );
    h.keys("F");
    assert!(!h.app.lab.as_ref().unwrap().sim.params().fencing);
    h.lab_on("clock-skew");
    h.keys("F");
    let lab = h.app.lab.as_ref().unwrap();
    assert!(!lab.sim.params().fencing);
    assert!(
        lab.note
            .as_deref()
            .unwrap_or("")
            .contains("changes nothing here")
    );
}

/// `A` replays the scenario and seed from the start with acknowledgements after disk syncs
/// switched, and the header says which; where disks are not simulated it says why not.
#[test]
fn a_replays_the_scenario_with_acks_after_disk_sync_switched() {
    let mut h = Harness::new(120, 40);
    h.keys("3");
    let lab = h.lab_on("power-loss");
    lab.run_to(11_000_000);
    let seed = lab.seed();
    assert!(h.screen().contains("· acks in memory"), "{}", h.screen());
    h.keys("A");
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(lab.sim.params().ack_after, distlab::sim::AckAfter::Fsync);
    assert_eq!((lab.sim.now_us(), lab.seed()), (0, seed));
    let note = lab.note.clone().unwrap_or_default();
    assert!(note.contains("with ack_after = fsync"), "{note}");
    assert!(h.screen().contains("· acks on disk"), "{}", h.screen());
    h.keys("A");
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(lab.sim.params().ack_after, distlab::sim::AckAfter::Receive);
    h.lab_on("async-drop");
    h.keys("A");
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(lab.sim.params().ack_after, distlab::sim::AckAfter::Receive);
    let note = lab.note.clone().unwrap_or_default();
    assert!(note.contains("change nothing here"), "{note}");
}

#[test]
fn the_event_log_wraps_whole_words_and_follows_the_newest_event() {
    let mut h = Harness::new(80, 24);
    h.keys("3");
    h.lab_on("async-drop").run_to(13_000_000);
    h.keys("v");
    let screen = h.screen();
    let lab = h.app.lab.as_ref().unwrap();
    let newest = &lab.record.log.back().unwrap().text;
    // Every word of the newest entry is on screen, none cut.
    for word in newest.split_whitespace() {
        assert!(
            screen.contains(word),
            "`{word}` of `{newest}` missing:\n{screen}"
        );
    }
}

fn lab_metrics(h: &Harness) -> distlab::sim::Metrics {
    h.app.lab.as_ref().unwrap().sim.metrics().clone()
}

#[test]
fn a_metrics_value_that_does_not_fit_is_dropped_whole_with_an_ellipsis() {
    // 80 columns, and rows enough that the latency row is not among those left out.
    let mut h = Harness::new(80, 30);
    h.keys("3");
    let lab = h.lab_on("split-brain");
    lab.run_to(14_000_000);
    assert!(lab.sim.metrics().writes_unknown > 0);
    let screen = h.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("ack p50 / p99"))
        .unwrap_or_else(|| panic!("no latency row:\n{screen}"));
    let cell: String = row.split('│').nth(1).unwrap_or("").trim_end().to_owned();
    assert!(
        cell.ends_with("timed out") || cell.ends_with('…'),
        "cut mid-value: `{cell}`"
    );
    // A key gives up its padding before its value is dropped.
    let m = lab_metrics(&h);
    let writes = screen
        .lines()
        .find(|l| l.contains("writes ok/unknown"))
        .unwrap();
    assert!(
        writes.contains(&format!("of {}", m.writes_issued)),
        "{writes}"
    );
}

#[test]
fn parentheses_pick_a_message_and_say_its_fate() {
    let mut h = Harness::new(120, 40);
    h.keys("3");
    h.lab_on("async-drop").run_to(2_000_000);
    h.keys("(");
    let lab = h.app.lab.as_ref().unwrap();
    let newest = *lab
        .record
        .arrows
        .iter()
        .rev()
        .find(|a| !a.heartbeat)
        .unwrap();
    assert_eq!(lab.picked, Some(newest.key()));
    let from = lab.sim.node_name(newest.from).to_owned();
    let screen = h.screen();
    assert!(
        screen.contains(&format!("picked: {from} → ")) && screen.contains("sent at t="),
        "{screen}"
    );
    // An older one, then back past the newest: none picked, the notice returns.
    h.keys("((");
    let older = h.app.lab.as_ref().unwrap().picked.unwrap();
    assert!(older.2 <= newest.sent_us);
    h.keys(")))");
    assert_eq!(h.app.lab.as_ref().unwrap().picked, None);
    assert!(!h.screen().contains("picked:"));
}

#[test]
fn clicking_a_message_on_the_space_time_diagram_picks_it() {
    use distlab::tui::lab_layout::{SpaceTime, lab_areas};
    let mut h = Harness::new(120, 40);
    h.keys("3");
    h.lab_on("async-drop").run_to(2_000_000);
    h.screen();
    // Where the newest drawn message's line starts: its send, on the sender's lane.
    let body = h.app.areas().body;
    let lab = h.app.lab.as_ref().unwrap();
    let inner = ratatui::widgets::Block::bordered().inner(lab_areas(body, Some(lab)).panel);
    let st = SpaceTime::of(lab, inner).unwrap();
    let (arrow, [(x, y), _]) = st.drawn(lab).last().map(|(a, p)| (*a, p)).unwrap();
    h.event(Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x.round() as u16,
        row: y.round() as u16,
        modifiers: KeyModifiers::NONE,
    }));
    let lab = h.app.lab.as_ref().unwrap();
    let picked = lab.picked.expect("a message is picked");
    // That message, or another whose line passes as near the click (within a cell).
    let (px, py) = (x.round(), y.round());
    let near = |[(x0, y0), (x1, y1)]: [(f64, f64); 2]| {
        (0..=100).any(|i| {
            let f = f64::from(i) / 100.0;
            ((x0 + (x1 - x0) * f - px).powi(2) + (y0 + (y1 - y0) * f - py).powi(2)).sqrt() <= 1.0
        })
    };
    let (_, path) = st.drawn(lab).find(|(a, _)| a.key() == picked).unwrap();
    assert!(near(path), "{picked:?} is drawn away from the click");
    let clicked = st
        .drawn(lab)
        .find(|(a, _)| a.key() == arrow.key())
        .unwrap()
        .1;
    assert!(near(clicked));
    assert!(h.screen().contains("picked: "));
}

/// The rows inside the space-time diagram's box on `screen`.
fn spacetime_rows(screen: &str) -> Vec<String> {
    let rows: Vec<&str> = screen.lines().collect();
    let (top, col) = rows
        .iter()
        .enumerate()
        .find_map(|(y, r)| r.find("┌ Space-time").map(|x| (y, r[..x].chars().count())))
        .unwrap_or_else(|| panic!("no space-time diagram:\n{screen}"));
    rows[top + 1..]
        .iter()
        .take_while(|r| r.chars().nth(col) == Some('│'))
        .map(|r| r.chars().skip(col + 1).take_while(|&c| c != '│').collect())
        .collect()
}

#[test]
fn h_shows_and_hides_heartbeats_on_the_space_time_diagram() {
    let sends = |h: &mut Harness| {
        let screen = h.screen();
        spacetime_rows(&screen)
            .iter()
            .map(|r| r.matches('○').count())
            .sum::<usize>()
    };
    // Replication: heartbeats hidden at first, so the writes stand out; H shows them.
    let mut h = lab();
    h.lab_on("async-drop").run_to(3_000_000);
    let without = sends(&mut h);
    assert!(h.screen().contains("H: show heartbeats"), "{}", h.screen());
    h.keys("H");
    let with = sends(&mut h);
    assert!(
        with > without,
        "H shows heartbeats: {without} sends, then {with}"
    );
    assert!(h.screen().contains("H: hide heartbeats"), "{}", h.screen());
    // The failure detector: heartbeats are the lesson, shown at first.
    let mut h = lab();
    h.lab_on("failure-detector").run_to(3_000_000);
    let shown = sends(&mut h);
    h.keys("H");
    assert!(sends(&mut h) < shown, "H hides them");
    // Where there are none, H is not offered.
    let mut h = lab();
    h.lab_on("partition");
    let lab = h.app.lab.as_ref().unwrap();
    assert!(!lab.offers(distlab::tui::action::LabAction::ToggleHeartbeats));
    assert!(!h.screen().contains("H: "), "{}", h.screen());
}

#[test]
fn every_walkthrough_step_marks_its_event_on_the_space_time_diagram() {
    let count = lab().app.lesson.scenarios.len();
    let mut marked = 0;
    // At 80×24 not every node has a lane (sharding): the step's node keeps one.
    for i in 0..count * 2 {
        let (i, size) = (i % count, if i < count { (120, 40) } else { (80, 24) });
        let mut h = Harness::new(size.0, size.1);
        h.keys("3");
        let id = h.app.lesson.scenarios[i].id.clone();
        let lab = h.lab_on(&id);
        lab.reset(3);
        lab.panel = distlab::tui::lab::Panel::SpaceTime;
        h.keys("g");
        for _ in 0..12 {
            let lab = h.app.lab.as_ref().unwrap();
            let Some(walk) = &lab.walk else { break };
            let focus = lab.focus().and_then(|(_, node)| node);
            if walk.heading.is_none()
                && let Some(node) = focus
            {
                let name = lab.sim.node_name(node).to_owned();
                let screen = h.screen();
                let rows = spacetime_rows(&screen);
                // Its name first, or the start of it ended in `…`.
                let lane = rows
                    .iter()
                    .find(|r| {
                        let first = r.split(' ').next().unwrap_or("");
                        first == name
                            || first.strip_suffix('…').is_some_and(|s| name.starts_with(s))
                    })
                    .unwrap_or_else(|| panic!("{id}: no lane for {name}:\n{screen}"));
                assert!(
                    lane.contains('⚑'),
                    "{id}: the step's event is not marked on {name}'s lane:\n{screen}"
                );
                marked += 1;
            }
            h.key(ratatui::crossterm::event::KeyCode::Right);
        }
    }
    assert!(marked >= 20, "only {marked} steps had an event to mark");
}

/// The lab's why? panel, which must be open.
fn why_open(h: &Harness) -> &distlab::tui::lab::WhyView {
    let lab = h.app.lab.as_ref().expect("the lab");
    lab.why.as_ref().expect("why? is open")
}

/// Runs the lab's scenario (async-drop) for `secs` simulated seconds.
fn run_for(h: &mut Harness, secs: u64) {
    h.keys(" ");
    for _ in 0..secs * 4 {
        h.action(Action::Tick(Duration::from_secs(1)));
    }
    h.keys(" ");
}

#[test]
fn why_explains_the_latest_anomaly_and_steps_along_its_chain() {
    let mut h = lab();
    // Nothing has gone wrong at t=0: why? says so and opens nothing.
    h.keys("y");
    assert!(h.app.lab.as_ref().unwrap().why.is_none());
    let screen = h.screen();
    assert!(screen.contains("nothing has gone wrong so far"), "{screen}");
    run_for(&mut h, 20);
    let lost = h.app.lab.as_ref().unwrap().sim.metrics().acked_writes_lost;
    assert!(lost > 0, "async-drop on seed 1 loses writes by 20 s");
    h.keys("y");
    let w = why_open(&h);
    let n = w.count();
    assert_eq!(w.at, n - 1, "the latest anomaly first");
    let title = w.shown().title.clone();
    let screen = h.screen();
    assert!(screen.contains(&format!("Why? {title}")), "{screen}");
    assert!(screen.contains(&format!("anomaly {n} of {n}")), "{screen}");
    assert!(
        screen.contains("▸"),
        "the selected link is marked: {screen}"
    );
    assert!(screen.contains("the chain's stretch"), "{screen}");
    assert!(!h.app.animating(), "why? pauses the lab");
    // ↓ selects the next link; the diagram's stretch and the event line follow it.
    h.key(ratatui::crossterm::event::KeyCode::Down);
    let w = why_open(&h);
    assert_eq!(w.link, 1);
    let event = w.selected().event;
    assert!(h.screen().contains(&format!("(#{event} of the trace)")));
    // ← shows the anomaly before, from its first link.
    h.key(ratatui::crossterm::event::KeyCode::Left);
    let w = why_open(&h);
    assert_eq!((w.at, w.link), (n.saturating_sub(2), 0));
    // Esc closes it; any other lab key closes it too and does its own work.
    h.key(ratatui::crossterm::event::KeyCode::Esc);
    assert!(h.app.lab.as_ref().unwrap().why.is_none());
    h.keys("y");
    assert!(h.app.lab.as_ref().unwrap().why.is_some());
    h.keys(" ");
    assert!(h.app.lab.as_ref().unwrap().why.is_none());
    assert!(h.app.animating());
}

#[test]
fn why_in_the_lab_tells_the_same_chains_as_the_headless_run() {
    let mut h = lab();
    run_for(&mut h, 40);
    let lab = h.app.lab.as_ref().unwrap();
    assert!(lab.finished());
    h.keys("y");
    // The same scenario and seed run headless to its end.
    let lesson = distlab::lesson::builtin().unwrap();
    let sc = lesson.scenario("async-drop").unwrap();
    let mut sim = distlab::sim::Sim::from_scenario(sc, 1).unwrap();
    let setting = distlab::sim::why::Setting::of(&sim);
    let mut trace = Vec::new();
    sim.run_to_end(&mut |e: &distlab::sim::Event| trace.push(e.clone()));
    let headless = distlab::sim::why::explain(&trace, &setting);
    // The lab's replay is the headless run's trace, event for event, and every chain it
    // shows (stepping back through all of them) is the headless one.
    let w = why_open(&h);
    assert_eq!(w.trace(), &trace[..]);
    assert_eq!(w.count(), headless.len());
    for k in (0..headless.len()).rev() {
        let w = why_open(&h);
        assert_eq!(w.shown(), &headless[k], "anomaly {k}");
        h.key(ratatui::crossterm::event::KeyCode::Left);
    }
}

#[test]
fn in_a_walkthrough_why_explains_the_step_s_own_anomaly() {
    let mut h = lab();
    h.keys("g");
    // Run step by step until a step pauses on an anomaly (async-drop: the lost write).
    let mut on_anomaly = false;
    for _ in 0..10 {
        h.key(ratatui::crossterm::event::KeyCode::Right);
        for _ in 0..400 {
            h.action(Action::Tick(Duration::from_millis(250)));
        }
        let lab = h.app.lab.as_ref().unwrap();
        if let Some((e, _)) = lab.focus()
            && distlab::sim::why::is_anomaly(e)
        {
            on_anomaly = true;
            break;
        }
    }
    assert!(
        on_anomaly,
        "async-drop's walkthrough pauses on a lost write"
    );
    let screen = h.screen();
    assert!(
        screen.contains("y: why?"),
        "the step says which key explains it: {screen}"
    );
    let focus = h.app.lab.as_ref().unwrap().focus().unwrap().0.clone();
    h.keys("y");
    let w = why_open(&h);
    assert_eq!(
        w.shown().t_us,
        focus.t_us,
        "the step's anomaly, not the latest"
    );
    assert!(w.shown().title.contains("lost"), "{}", w.shown().title);
    // Esc closes why? and leaves the walkthrough where it was.
    h.key(ratatui::crossterm::event::KeyCode::Esc);
    let lab = h.app.lab.as_ref().unwrap();
    assert!(lab.why.is_none() && lab.walk.is_some());
}

#[test]
fn o_prints_the_stamps_messages_carry_in_the_log_and_on_the_diagram() {
    use distlab::tui::lab::record::StampView;
    let mut h = Harness::new(120, 40);
    h.lab_on("clock-skew");
    h.keys("o");
    assert_eq!(h.app.lab.as_ref().unwrap().stamps, StampView::Wall);
    h.keys(" ");
    h.action(Action::Tick(Duration::from_secs(4)));
    h.keys(" ");
    let lab = h.app.lab.as_ref().unwrap();
    let n2 = lab.sim.node_id("n2").unwrap();
    // The scenario sets n2's clock 2 s behind at t=0: what n2 sends carries that reading.
    let all: Vec<_> = lab.record.arrows.iter().copied().collect();
    let from_n2: Vec<_> = all.iter().filter(|a| a.from == n2).copied().collect();
    assert!(!from_n2.is_empty(), "n2 sent something in the first second");
    for a in &from_n2 {
        let reading_us = a.sent_us as i64 - 2_000_000;
        assert_eq!(i64::from(a.sent_local_ms), reading_us.div_euclid(1000));
    }
    // The log says it in words, with that reading.
    h.keys("v");
    let screen = h.screen();
    let a = from_n2[0];
    let ms = i64::from(a.sent_local_ms);
    let sign = if ms < 0 { "-" } else { "" };
    let wanted = format!(
        "sent at {sign}{}.{:03}s by n2's clock",
        ms.abs() / 1000,
        ms.abs() % 1000
    );
    assert!(screen.contains(&wanted), "{wanted} missing:\n{screen}");
    // Lamport: every delivered message's sender counter.
    h.keys("o");
    let screen = h.screen();
    let lamport = format!(" · L={}", a.lamport);
    assert!(screen.contains(&lamport), "{lamport} missing:\n{screen}");
    assert!(
        screen.contains("o: Lamport") || screen.contains("Event log"),
        "{screen}"
    );
    // The write's own timestamp, on the messages that carry a write only.
    h.keys("o");
    let screen = h.screen();
    assert!(
        screen.contains("replicate(x=") && screen.contains("· stamp "),
        "{screen}"
    );
    for line in screen.lines().filter(|l| l.contains("write-ok delivered")) {
        assert!(
            !line.contains("· stamp"),
            "a write-ok carries no write: {line}"
        );
    }
    // Off again: nothing added.
    h.keys("o");
    let screen = h.screen();
    assert!(
        !screen.contains("· stamp") && !screen.contains(" · L="),
        "{screen}"
    );
    // On the diagram, Lamport labels just after where messages leave their senders' lanes,
    // where the lane leaves room.
    h.keys("voo");
    let screen = h.screen();
    assert!(screen.contains("o: Lamport"), "{screen}");
    let labelled = all.iter().filter(|a| {
        screen.contains(&format!("○L{} ", a.lamport))
            || screen.contains(&format!("○L{}─", a.lamport))
    });
    assert!(labelled.count() >= 2, "{screen}");
}
