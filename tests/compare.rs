//! Compare in the lab: two runs of one scenario and seed that differ in one setting, in
//! lockstep, every command sent to both. The oracle for each run is a fresh simulation
//! built here from the scenario, the setting and the command log, replayed the way a saved
//! session replays, independent of the lab's own code.

mod tui_support;

use std::time::Duration;

use distlab::sim::{Event, Mode, Sim};
use distlab::tui::action::Action;
use distlab::tui::lab::Lab;
use tui_support::Harness;

/// Replays `lab`'s scenario and seed with `key = value` and its command log, to its time,
/// and returns the simulation and its trace.
fn replayed(lab: &Lab, key: &str, value: &str) -> (Sim, Vec<Event>) {
    let mut set = lab.overrides.clone();
    set.insert(key.into(), toml::Value::String(value.into()));
    let mut sim = Sim::from_scenario_with(lab.scenario(), lab.seed(), &set).unwrap();
    let mut trace = Vec::new();
    for (at, cmd) in lab.sim.command_log().to_vec() {
        sim.run_until(at, &mut |e| trace.push(e.clone()));
        sim.apply(cmd, &mut |e| trace.push(e.clone())).unwrap();
    }
    sim.run_until(lab.sim.now_us(), &mut |e| trace.push(e.clone()));
    (sim, trace)
}

fn run_for(h: &mut Harness, secs: u64) {
    h.keys(" ");
    for _ in 0..secs * 4 {
        h.action(Action::Tick(Duration::from_millis(250)));
    }
    h.keys(" ");
}

fn same_state(a: &Sim, b: &Sim) {
    assert_eq!(a.now_us(), b.now_us());
    assert_eq!(a.metrics().values(), b.metrics().values());
    for (x, y) in a.nodes().iter().zip(b.nodes()) {
        assert_eq!((x.status, x.role, &x.store), (y.status, y.role, &y.store));
    }
}

#[test]
fn each_run_is_its_setting_replayed_with_the_same_commands() {
    let mut h = Harness::new(120, 40);
    h.lab_on("async-drop");
    h.keys("+++C");
    run_for(&mut h, 3);
    // Commands the learner issues go to both runs: crash the primary, cut n3 off, write.
    h.keys("c").keys("ll").keys("x").keys("w");
    run_for(&mut h, 4);
    h.keys("a");
    run_for(&mut h, 2);
    let lab = h.app.lab.as_ref().unwrap();
    let c = lab.compare.as_ref().expect("C opened compare");
    assert_eq!(
        (c.key.as_str(), c.left.as_str(), c.right.as_str()),
        ("mode", "async", "sync")
    );
    assert!(
        lab.sim.command_log().len() >= 4,
        "{:?}",
        lab.sim.command_log()
    );
    assert_eq!(lab.sim.command_log(), c.twin.sim.command_log());
    let (a, trace_a) = replayed(lab, "mode", "async");
    let (b, trace_b) = replayed(lab, "mode", "sync");
    same_state(&lab.sim, &a);
    same_state(&c.twin.sim, &b);
    assert_eq!(b.params().mode, Mode::Sync);
    // Where the traces part: the first event that differs, found here by zipping them.
    let first = trace_a
        .iter()
        .zip(&trace_b)
        .position(|(x, y)| x != y)
        .expect("async and sync part");
    let parted = c.parted.as_ref().expect("the lab found where they part");
    let at = trace_a[first].t_us.min(trace_b[first].t_us);
    assert_eq!(parted.t_us, at);
    let screen = h.screen();
    assert!(screen.contains("A · mode=async") && screen.contains("B · mode=sync"));
    assert!(screen.contains(&format!(
        "At t={} the traces part",
        distlab::sim::time::secs(at as i64)
    )));
}

#[test]
fn the_table_shows_each_runs_numbers_and_marks_those_that_differ() {
    let mut h = Harness::new(120, 40);
    h.lab_on("async-drop");
    h.keys("C");
    // To the end: async loses acknowledged writes on this seed, sync does not.
    let end = h.app.lab.as_ref().unwrap().end_us();
    h.app.lab.as_mut().unwrap().run_to(end);
    let lab = h.app.lab.as_ref().unwrap();
    let twin = &lab.compare.as_ref().unwrap().twin;
    let (lost_a, lost_b) = (
        lab.sim.metrics().acked_writes_lost,
        twin.sim.metrics().acked_writes_lost,
    );
    assert!(lost_a > 0 && lost_b == 0, "{lost_a} {lost_b}");
    let screen = h.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("acked writes lost"))
        .unwrap();
    assert!(row.contains('≠'), "{row}");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert!(
        cells
            .windows(2)
            .any(|w| w == [lost_a.to_string().as_str(), "0"]),
        "{row}"
    );
    let same = screen.lines().find(|l| l.contains("stale reads")).unwrap();
    assert!(!same.contains('≠'), "{same}");
}

#[test]
fn a_command_that_would_undo_the_comparison_is_refused_and_others_reach_both() {
    let mut h = Harness::new(120, 40);
    h.lab_on("async-drop");
    h.keys("C");
    h.keys("m");
    let lab = h.app.lab.as_ref().unwrap();
    assert!(
        lab.note
            .as_deref()
            .unwrap()
            .contains("compare holds mode apart")
    );
    assert_eq!(lab.sim.params().mode, Mode::Async);
    h.keys("d");
    let lab = h.app.lab.as_ref().unwrap();
    let twin = &lab.compare.as_ref().unwrap().twin;
    assert_eq!(lab.sim.params().drop, twin.sim.params().drop);
    // M chooses the other mode for B; the value after comes next.
    h.keys("M");
    let c = h.app.lab.as_ref().unwrap().compare.as_ref().unwrap();
    assert_eq!(c.right, "quorum");
    assert_eq!(c.twin.sim.params().mode, Mode::Quorum);
    h.keys("M");
    assert_eq!(
        h.app.lab.as_ref().unwrap().compare.as_ref().unwrap().right,
        "sync"
    );
    // A new seed: both runs take it.
    h.keys("R");
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(lab.seed(), lab.compare.as_ref().unwrap().twin.seed());
    assert_ne!(lab.seed(), 1);
    // A walkthrough tells one run's story: g says so, and C then g starts it.
    h.keys("g");
    let lab = h.app.lab.as_ref().unwrap();
    assert!(lab.compare.is_some() && lab.walk.is_none());
    assert!(
        lab.note
            .as_deref()
            .unwrap()
            .contains("C closes compare, then g")
    );
    h.keys("C").keys("g");
    let lab = h.app.lab.as_ref().unwrap();
    assert!(lab.compare.is_none() && lab.walk.is_some());
}

#[test]
fn each_kind_of_scenario_compares_the_setting_its_lesson_turns_on() {
    for (id, key) in [
        ("async-drop", "mode"),
        ("power-loss", "ack_after"),
        ("clock-skew", "timestamps"),
        ("failure-detector", "timeout_ms"),
        ("checkout", "idempotency"),
        ("sharding", "shards"),
    ] {
        let mut h = Harness::new(120, 40);
        h.lab_on(id);
        h.keys("C");
        let lab = h.app.lab.as_ref().unwrap();
        let c = lab
            .compare
            .as_ref()
            .unwrap_or_else(|| panic!("{id}: {:?}", lab.note));
        assert_eq!(c.key, key, "{id}");
        assert_ne!(c.left, c.right, "{id}");
        run_for(&mut h, 2);
        let lab = h.app.lab.as_ref().unwrap();
        let c = lab.compare.as_ref().unwrap();
        let (b, _) = replayed(lab, &c.key.clone(), &c.right.clone());
        same_state(&c.twin.sim, &b);
        // Every size draws both runs without a panic, and C closes compare again.
        for (w, h2) in [(80, 24), (100, 30), (200, 60), (60, 20)] {
            h.event(ratatui::crossterm::event::Event::Resize(w, h2));
            let screen = h.screen();
            let drawn = screen.contains("A · ") && screen.contains("B · ");
            assert!(drawn || w < 80, "{id} {w}x{h2}\n{screen}");
        }
        h.keys("C");
        assert!(h.app.lab.as_ref().unwrap().compare.is_none());
    }
}

#[test]
fn compare_at_80x24_stacks_the_runs_with_the_numbers_beside_them() {
    let mut h = Harness::new(80, 24);
    h.lab_on("async-drop");
    h.keys("C");
    let end = h.app.lab.as_ref().unwrap().end_us();
    h.app.lab.as_mut().unwrap().run_to(end);
    insta::assert_snapshot!(h.screen());
}

#[test]
fn compare_at_120x40_puts_the_runs_side_by_side() {
    let mut h = Harness::new(120, 40);
    h.lab_on("split-brain");
    h.keys("C");
    let end = h.app.lab.as_ref().unwrap().end_us();
    h.app.lab.as_mut().unwrap().run_to(end);
    insta::assert_snapshot!(h.screen());
}

/// The parting the lab names is where two fresh runs, one per setting, first narrate
/// something different, on every scenario, with compare opened before anything ran (a
/// scripted command at t=0 is no difference) and after a reset.
#[test]
fn the_runs_part_where_their_traces_first_differ() {
    let all = distlab::headless::scenarios(None).unwrap();
    for sc in &all {
        for reset in [false, true] {
            let mut h = Harness::new(120, 40);
            h.lab_on(&sc.id);
            h.keys("C");
            if reset {
                run_for(&mut h, 1);
                h.keys("r");
            }
            run_for(&mut h, 12);
            let lab = h.app.lab.as_ref().unwrap();
            let Some(c) = lab.compare.as_ref() else {
                continue;
            };
            let names: Vec<String> = lab.sim.nodes().iter().map(|n| n.name.clone()).collect();
            let told = |trace: &[Event]| -> Vec<String> {
                trace
                    .iter()
                    .map(|e| distlab::sim::narrate::narrate(&names, e))
                    .collect()
            };
            let (_, ta) = replayed(lab, &c.key, &c.left);
            let (_, tb) = replayed(lab, &c.key, &c.right);
            let (na, nb) = (told(&ta), told(&tb));
            let first = na.iter().zip(&nb).take_while(|(x, y)| x == y).count();
            let id = format!("{} (reset: {reset})", sc.id);
            if first == na.len() && first == nb.len() {
                assert_eq!(c.parted, None, "{id}");
                continue;
            }
            let p = c
                .parted
                .as_ref()
                .unwrap_or_else(|| panic!("{id}: the traces part at event {first}"));
            let (x, y) = (ta.get(first), tb.get(first));
            let t = [x, y].into_iter().flatten().map(|e| e.t_us).min().unwrap();
            assert_eq!(p.t_us, t, "{id}: {p:?}");
            let shown = p.a.clone().or(p.b.clone()).unwrap();
            let earliest: Vec<&String> = [(x, &na), (y, &nb)]
                .into_iter()
                .filter_map(|(e, n)| e.filter(|e| e.t_us == t).map(|_| &n[first]))
                .collect();
            assert!(
                earliest.iter().any(|n| n.ends_with(&shown)),
                "{id}: the lab shows {shown:?}, the traces {earliest:?}"
            );
        }
    }
}

/// What the parting box says of the random draws is true of the two runs: a different
/// timestamp rule changes no draw (clock-skew), a different mode changes the traffic and so
/// the draws (async-drop).
#[test]
fn the_parting_says_whether_the_runs_still_draw_alike() {
    for (id, alike) in [("clock-skew", true), ("async-drop", false)] {
        let mut h = Harness::new(120, 40);
        h.lab_on(id);
        h.keys("C");
        run_for(&mut h, 12);
        let lab = h.app.lab.as_ref().unwrap();
        let c = lab.compare.as_ref().unwrap();
        assert!(c.parted.is_some(), "{id}: the runs part");
        let same = lab.sim.random_draws() == c.twin.sim.random_draws();
        assert_eq!(same, alike, "{id}");
        let screen = h.screen();
        let says = if alike {
            "still draw the same random values"
        } else {
            "drawn different numbers of random values"
        };
        // The box's text, its wrapped rows joined: the right-hand box beside Numbers.
        let text: Vec<&str> = screen
            .lines()
            .filter_map(|l| {
                l.rsplit_once("││")
                    .map(|(_, r)| r.trim_end_matches('│').trim())
            })
            .collect();
        let text = text.join(" ");
        assert!(text.contains(says), "{id}: {says:?} not in\n{screen}");
    }
}
