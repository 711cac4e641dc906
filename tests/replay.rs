//! A lab session saved from the TUI replays exactly with `distlab sim --replay`: the same
//! scenario, seed and timed commands give the same outcome, number for number.

mod tui_support;

use assert_cmd::Command;
use ratatui::crossterm::event::KeyCode;
use tui_support::Harness;

#[test]
fn a_saved_lab_session_replays_exactly_headless() {
    let mut h = Harness::new(120, 40);
    h.keys("3");
    // Interventions at different simulated times: a write, a partition, a skew, a crash.
    let lab = h.app.lab.as_mut().unwrap();
    lab.run_to(1_300_000);
    h.keys("w").keys("l").keys("x");
    h.app.lab.as_mut().unwrap().run_to(4_700_000);
    h.keys("]]").keys("a").key(KeyCode::Left).keys("c");
    h.app.lab.as_mut().unwrap().run_to(9_000_000);
    // Step to an event's own time (not a whole millisecond) and act there: the saved
    // session must end exactly there too.
    h.keys("sss").keys("w");
    let lab = h.app.lab.as_mut().unwrap();
    assert_ne!(
        lab.sim.now_us() % 1000,
        0,
        "stepped to a time inside a millisecond"
    );
    let session = lab.session();
    assert_eq!(session.commands.len(), 7, "{session:?}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("session.toml");
    std::fs::write(&file, session.to_toml()).unwrap();

    // Finish the lab's own run the way a replay ends: to the saved time, then quiet.
    lab.sim.finish(&mut |_| {});
    let expected = lab.sim.metrics().values();

    let out = Command::cargo_bin("distlab")
        .unwrap()
        .args(["sim", "--replay", file.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let summary: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    for (key, value) in expected {
        let got = &summary[&key];
        let got = got.as_f64().unwrap_or_else(|| {
            if got.as_bool() == Some(true) {
                1.0
            } else {
                0.0
            }
        });
        assert!(
            (got - value).abs() < 0.01,
            "{key}: replay {got}, lab {value}"
        );
    }
}
