//! Guided walkthroughs: for every scenario, walk to the last step and back to the first; the
//! cluster must then be exactly what a fresh replay to step 1 gives (same seed, same story).

mod tui_support;

use distlab::tui::lab::Lab;
use ratatui::crossterm::event::KeyCode;
use tui_support::Harness;

/// Everything observable about a simulation at this instant.
fn fingerprint(lab: &Lab) -> String {
    let sim = &lab.sim;
    format!(
        "t={} nodes={:?} metrics={:?} net={:?} log={:?}",
        sim.now_us(),
        sim.nodes(),
        sim.metrics(),
        sim.network().in_flight(),
        sim.command_log()
    )
}

#[test]
fn every_scenario_walks_forward_and_back_to_an_identical_state() {
    let mut h = Harness::new(120, 40);
    let count = h.app.lesson.scenarios.len();
    assert!(count >= 8);
    for index in 0..count {
        h.keys("3");
        let lab = h.app.lab.as_mut().unwrap();
        lab.load(&h.app.lesson.scenarios, index);
        let id = lab.scenario().id.to_string();
        let steps = lab.steps();
        assert!(steps >= 3, "{id} has a walkthrough of {steps} steps");
        h.keys("g");
        // Pressing → while running to a step gets there at once.
        h.key(KeyCode::Right);
        let first = fingerprint(h.app.lab.as_ref().unwrap());
        for k in 1..steps {
            h.key(KeyCode::Right).key(KeyCode::Right);
            let walk = h.app.lab.as_ref().unwrap().walk.clone().unwrap();
            assert_eq!(walk.reached, Some(k), "{id}: reached step {}", k + 1);
            let screen = h.screen();
            assert!(
                screen.contains(&format!("Step {}/{steps}", k + 1)),
                "{id}: {screen}"
            );
        }
        let lab = h.app.lab.as_ref().unwrap();
        let last = &lab.scenario().steps[steps - 1];
        let arrival = lab.walk.clone().unwrap().arrival.unwrap();
        assert_eq!(
            lab.sim.now_us(),
            arrival.t_us,
            "{id}: paused where the step arrived"
        );
        match (last.at_ms, &arrival.anchor) {
            (Some(ms), _) => assert_eq!(arrival.t_us, ms * 1000, "{id}: at the last step's time"),
            (None, Some(e)) => assert_eq!(arrival.t_us, e.t_us, "{id}: on the last step's event"),
            (None, None) => panic!("{id}: the last step's event did not happen"),
        }
        for _ in 1..steps {
            h.key(KeyCode::Left);
        }
        let back = fingerprint(h.app.lab.as_ref().unwrap());
        assert_eq!(
            h.app.lab.as_ref().unwrap().walk.clone().unwrap().reached,
            Some(0)
        );
        assert_eq!(back, first, "{id}: back at step 1 equals the first visit");
        // And a fresh lab replayed to step 1 is the same again.
        let scenarios = &h.app.lesson.scenarios;
        let mut fresh = Lab::new(scenarios, index, 1).unwrap();
        fresh.start_walkthrough();
        fresh.update(distlab::tui::action::LabAction::WalkNext, scenarios);
        assert_eq!(fingerprint(&fresh), first, "{id}: a fresh replay agrees");
        h.key(KeyCode::Esc);
        assert!(h.app.lab.as_ref().unwrap().walk.is_none());
    }
}

#[test]
fn captions_are_shown_and_esc_leaves_the_lab_running() {
    let mut h = Harness::new(100, 30);
    h.keys("3g");
    h.key(KeyCode::Right);
    let lab = h.app.lab.as_ref().unwrap();
    let caption = lab.scenario().steps[0].caption.to_string();
    let first_words: String = caption
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let screen = h.screen();
    assert!(screen.contains(&first_words), "{screen}");
    assert!(
        screen.contains("→/Space next · ← back · Esc leave"),
        "{screen}"
    );
    h.key(KeyCode::Esc);
    assert!(
        h.app.animating(),
        "the lab keeps running after the walkthrough"
    );
}

#[test]
fn stepping_inside_a_walkthrough_stops_at_the_next_step() {
    let mut h = Harness::new(120, 40);
    h.keys("3g");
    h.key(KeyCode::Right);
    let lab = h.app.lab.as_ref().unwrap();
    let second_ms = lab.scenario().steps[1]
        .at_ms
        .expect("the first scenario's second step is at a time");
    for _ in 0..100_000 {
        h.keys("s");
        if h.app.lab.as_ref().unwrap().walk.clone().unwrap().reached == Some(1) {
            break;
        }
    }
    let lab = h.app.lab.as_ref().unwrap();
    assert_eq!(
        lab.walk.clone().unwrap().reached,
        Some(1),
        "stepping reaches step 2"
    );
    assert_eq!(
        lab.sim.now_us(),
        second_ms * 1000,
        "exactly at its time, never past it"
    );
}
