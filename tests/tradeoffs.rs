//! The Trade-offs view (`T` in the lab): the lesson's sweeps run in the background, drawn as
//! curves with their numbers and claims; the terminal stays responsive and Esc cancels.

mod tui_support;

use std::time::{Duration, Instant};

use distlab::headless::sweep::{self, outcomes, shown_value};
use distlab::tui::action::Action;
use distlab::tui::tradeoffs::Run;
use ratatui::crossterm::event::KeyCode;
use tui_support::Harness;

/// Ticks until the sweep's trials are done (at most a minute).
fn finish(h: &mut Harness) {
    let start = Instant::now();
    while h.app.tradeoffs.as_ref().is_some_and(|t| t.running()) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the sweep never finished"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.action(Action::Tick(Duration::from_millis(20)));
    }
}

#[test]
fn t_runs_the_scenarios_sweep_and_shows_the_numbers_the_headless_sweep_gives() {
    let mut h = Harness::new(120, 40);
    h.lab_on("async-drop");
    h.keys("T");
    assert!(h.app.animating(), "frames keep coming while the trials run");
    assert!(h.screen().contains("running"), "{}", h.screen());
    finish(&mut h);
    let t = h.app.tradeoffs.as_ref().unwrap();
    let sw = h.app.lesson.sweeps[t.index].clone();
    assert_eq!(sw.id, "loss-vs-drop");
    // The oracle: the same sweep run here, headless, on one thread.
    let sc = h
        .app
        .lesson
        .scenarios
        .iter()
        .find(|s| s.id == sw.scenario)
        .unwrap();
    let mut req = sweep::lesson_request(&sw, 1, Some(1), Default::default());
    req.jobs = Some(1);
    let rows = sweep::run_rows(sc, &req, &mut |_, _| {}).unwrap();
    let t = h.app.tradeoffs.as_ref().unwrap();
    let Run::Done {
        rows: shown,
        judged,
    } = &t.run
    else {
        panic!("not done")
    };
    assert_eq!(rows.len(), shown.len());
    for (a, b) in rows.iter().zip(shown) {
        assert_eq!(a.at, b.at);
        assert_eq!(outcomes(a), outcomes(b));
    }
    assert!(judged.iter().all(|j| j.holds), "{judged:?}");
    let judged = judged.len();
    // The first claim's outcome is drawn first, and its numbers are in the table.
    let screen = h.screen();
    assert!(screen.contains("(loss_seeds)"), "{screen}");
    let async_at_half = rows
        .iter()
        .find(|r| {
            r.at == [
                ("drop".into(), "0.5".into()),
                ("mode".into(), "async".into()),
            ]
        })
        .unwrap();
    let v = outcomes(async_at_half)
        .into_iter()
        .find(|c| c.name == "loss_seeds")
        .unwrap()
        .value;
    let row = screen.lines().find(|l| l.contains("│0.5 ")).unwrap();
    assert!(row.contains(&shown_value("loss_seeds", v)), "{row}");
    assert_eq!(screen.matches('✓').count(), sw.claims.len(), "{screen}");
    assert_eq!(judged, sw.claims.len());
}

#[test]
fn esc_cancels_the_trials_and_the_keys_keep_working_while_they_run() {
    let mut h = Harness::new(120, 40);
    h.lab_on("async-drop");
    h.keys("T");
    // While it runs, the help opens and closes, and the other tabs answer.
    h.keys("?");
    assert!(h.app.help.open);
    h.key(KeyCode::Esc);
    assert!(!h.app.help.open);
    h.keys("1");
    assert!(h.screen().contains("Lesson"));
    h.keys("3");
    h.key(KeyCode::Esc);
    let t = h
        .app
        .tradeoffs
        .as_ref()
        .expect("Esc while running cancels; it does not close");
    let Run::Cancelled { done, total } = t.run else {
        panic!("not cancelled")
    };
    assert!(done < total, "{done} of {total}");
    let seed = t.seed;
    assert!(h.screen().contains("cancelled after"));
    // `n` after a cancel runs the same seeds again.
    h.keys("n");
    assert_eq!(h.app.tradeoffs.as_ref().unwrap().seed, seed);
    assert!(h.app.tradeoffs.as_ref().unwrap().running());
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    assert!(h.app.tradeoffs.is_none(), "a second Esc closes the view");
    assert!(h.screen().contains("Cluster"));
}

/// A finished run is kept: back to its sweep, or the view opened again, it is shown at
/// once (no trials run); the numbers scroll where they do not fit; one outcome says so.
#[test]
fn finished_runs_are_kept_and_the_numbers_scroll() {
    let mut h = Harness::new(80, 24);
    h.lab_on("async-drop");
    h.keys("T");
    finish(&mut h);
    let first = h.screen();
    assert!(first.contains("PgDn/Space: more"), "{first}");
    h.key(KeyCode::PageDown);
    let scrolled = h.screen();
    assert_ne!(first, scrolled);
    assert!(scrolled.contains("more lines") || scrolled.contains("end · PgUp"));
    h.key(KeyCode::PageUp);
    assert_eq!(h.screen(), first);
    // Away and back: the same rows, not a new run.
    h.key(KeyCode::Right);
    finish(&mut h);
    h.key(KeyCode::Left);
    assert!(matches!(
        h.app.tradeoffs.as_ref().unwrap().run,
        Run::Done { .. }
    ));
    assert_eq!(h.screen(), first);
    // Closed and opened again: still there.
    h.key(KeyCode::Esc);
    h.keys("T");
    assert!(matches!(
        h.app.tradeoffs.as_ref().unwrap().run,
        Run::Done { .. }
    ));
    // The checkout's sweep measures one outcome: ↓ says so.
    h.key(KeyCode::Left);
    finish(&mut h);
    h.key(KeyCode::Down);
    let note = h.app.tradeoffs.as_ref().unwrap().note.clone();
    assert!(note.is_some_and(|n| n.contains("one outcome only")));
}

/// Without colour the curves are still told apart: each has its own mark, and the legend
/// line shows each mark with its curve's name.
#[test]
fn each_curve_has_its_own_mark_named_in_the_legend() {
    let mut h = Harness::new(120, 40);
    h.lab_on("async-drop");
    h.keys("T");
    finish(&mut h);
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    let screen = h.screen();
    for legend in ["mode: • async", "█ sync", "▄ quorum"] {
        assert!(screen.contains(legend), "{legend}\n{screen}");
    }
    let plot: String = screen.lines().skip(9).take(25).collect();
    for mark in ['█', '▄', '•'] {
        assert!(plot.contains(mark), "{mark}\n{screen}");
    }
}

#[test]
fn arrows_move_between_sweeps_and_between_the_outcomes_a_sweep_measured() {
    let mut h = Harness::new(100, 30);
    h.lab_on("checkout");
    h.keys("T");
    finish(&mut h);
    let t = h.app.tradeoffs.as_ref().unwrap();
    assert_eq!(h.app.lesson.sweeps[t.index].id, "retries-idempotency");
    // The checkout measures duplicate charges only: ↓ stays on it.
    let shown = t.shown_outcomes();
    assert_eq!(shown.len(), 1, "{shown:?}");
    h.key(KeyCode::Down);
    assert_eq!(h.app.tradeoffs.as_ref().unwrap().outcome, shown[0]);
    let screen = h.screen();
    assert!(screen.contains("idempotency=false") && screen.contains("idempotency=true"));
    h.key(KeyCode::Right);
    finish(&mut h);
    let t = h.app.tradeoffs.as_ref().unwrap();
    assert_eq!(h.app.lesson.sweeps[t.index].id, "loss-vs-drop");
    let first = t.outcome;
    h.key(KeyCode::Down);
    assert_ne!(h.app.tradeoffs.as_ref().unwrap().outcome, first);
    // `n`: the next seeds, the same number of trials.
    h.keys("n");
    finish(&mut h);
    let t = h.app.tradeoffs.as_ref().unwrap();
    assert_eq!(t.seed, 201);
    assert!(h.screen().contains("from seed 201"));
}

#[test]
fn trade_offs_at_120x40() {
    let mut h = Harness::new(120, 40);
    h.lab_on("failure-detector");
    h.keys("T");
    finish(&mut h);
    insta::assert_snapshot!(h.screen());
}
