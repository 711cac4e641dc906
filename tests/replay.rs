//! A lab session saved from the TUI replays exactly with `distlab sim --replay`: the same
//! scenario, seed and timed commands tell the same narrated trace, line for line, and end
//! with the same outcome, number for number.

mod tui_support;

use assert_cmd::Command;
use distlab::headless::report::worth_narrating;
use distlab::sim::narrate::narrate;
use distlab::tui::lab::record::LOG_MAX;
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

    // Finish the lab's own run the way a replay ends: to the saved time, then quiet. What
    // the lab narrated (its log) plus what finishing narrates is the lab's whole trace.
    let names = lab.sim.node_names();
    let mut trace: Vec<String> = lab.record.log.iter().map(|l| l.text.clone()).collect();
    assert!(
        trace.len() < LOG_MAX,
        "the lab's log holds every narrated line (it keeps at most {LOG_MAX})"
    );
    lab.sim.finish(&mut |e| {
        if worth_narrating(e) {
            trace.push(narrate(&names, e));
        }
    });
    let expected = lab.sim.metrics().values();
    let events = lab.sim.events_processed();

    // The narrated trace, line for line.
    let text = replay(&file, false);
    let narrated: Vec<&str> = text.lines().filter(|l| l.starts_with("t=")).collect();
    assert!(trace.len() > 20, "a trace worth comparing: {trace:?}");
    assert_eq!(
        narrated, trace,
        "the replay tells the lab's story line for line"
    );

    // Every outcome as the summary states it (to the hundredth), and the number of events
    // processed; a key the replay does not report is a failure.
    let text = replay(&file, true);
    let summary: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(summary["events"].as_u64(), Some(events), "events processed");
    for (key, value) in expected {
        let value = (value * 100.0).round() / 100.0;
        let got = match &summary[&key] {
            serde_json::Value::Number(n) => n.as_f64().unwrap(),
            serde_json::Value::Bool(b) => f64::from(u8::from(*b)),
            other => panic!("{key}: the replay reports {other:?}, the lab {value}"),
        };
        assert_eq!(got, value, "{key}: replay {got}, lab {value}");
    }
}

/// What `distlab sim --replay FILE` prints: narration, or with `json` one JSON line per
/// event and the summary last.
fn replay(file: &std::path::Path, json: bool) -> String {
    let mut args = vec!["sim", "--replay", file.to_str().unwrap()];
    if json {
        args.push("--json");
    }
    let out = Command::cargo_bin("distlab")
        .unwrap()
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
