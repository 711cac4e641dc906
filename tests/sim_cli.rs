//! `distlab sim` from the outside.

mod common;
use common::{distlab, stdout_of};

use predicates::prelude::*;

#[test]
fn list_has_every_scenario() {
    let out = distlab()
        .args(["sim", "--list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for id in [
        "async-drop",
        "sync-drop",
        "quorum-crash",
        "partition",
        "clock-skew",
        "failure-detector",
        "checkout",
        "sharding",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(id)),
            "{id} missing from:\n{text}"
        );
    }
}

#[test]
fn narrated_run_then_summary() {
    distlab()
        .args(["sim", "async-drop", "--seed", "7", "--until-ms", "14000"])
        .assert()
        .success()
        .stdout(predicate::str::contains("t=0."))
        .stdout(predicate::str::contains("n1 → n"))
        .stdout(predicate::str::contains("crash @primary (@primary = n1)"))
        .stdout(predicate::str::contains("summary"))
        .stdout(predicate::str::contains("ack latency"));
}

#[test]
fn json_lines_parse_and_summary_is_last() {
    let out = distlab()
        .args(["sim", "partition", "--json", "--until-ms", "8000"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 10);
    for l in &lines {
        serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("{e}: {l}"));
    }
    let last: serde_json::Value = serde_json::from_str(lines[lines.len() - 1]).unwrap();
    assert_eq!(last["type"], "summary");
    assert_eq!(last["scenario"], "partition");
}

#[test]
fn trials_summary_has_the_required_keys() {
    let out = distlab()
        .args(["sim", "checkout", "--trials", "5", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    for k in [
        "scenario",
        "trials",
        "seed",
        "events",
        "wall_ms",
        "events_per_sec",
        "writes_issued",
        "writes_acked",
        "acked_writes_lost",
        "stale_reads",
        "false_suspicions",
        "p50_ack_ms",
        "p99_ack_ms",
        "max_replication_lag_ms",
        "duplicate_charges",
    ] {
        assert!(v.get(k).is_some(), "missing {k} in {v}");
    }
    assert_eq!(v["trials"], 5);
}

#[test]
fn set_good_and_bad() {
    distlab()
        .args([
            "sim",
            "async-drop",
            "--set",
            "mode=quorum",
            "--set",
            "drop=0.1",
            "--trials",
            "2",
            "--json",
        ])
        .assert()
        .success();
    distlab()
        .args(["sim", "async-drop", "--set", "mode=fast"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("async | sync | quorum"));
    distlab()
        .args(["sim", "async-drop", "--set", "colour=blue"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("valid parameters")
                .and(predicate::str::contains("timestamps")),
        );
    distlab()
        .args(["sim", "async-drop", "--set", "drop"])
        .assert()
        .code(2);
}

/// Every --set is applied before the rules between parameters run, so a range can be moved
/// past its old end in two steps; a broken rule names the --set it comes from.
#[test]
fn overrides_are_checked_together() {
    distlab()
        .args(["sim", "async-drop", "--until-ms", "2000"])
        .args(["--set", "latency_ms_min=200", "--set", "latency_ms_max=900"])
        .assert()
        .success();
    distlab()
        .args([
            "sim",
            "async-drop",
            "--set",
            "mode=sync",
            "--set",
            "latency_ms_min=900",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--set latency_ms_min=900: parameter `latency_ms_max` = 80: smaller than \
             latency_ms_min = 900",
        ));
}

#[test]
fn numeric_overrides_state_their_range() {
    for (set, message) in [
        (
            "replicas=99999999999999999999",
            "parameter `replicas` = 99999999999999999999: out of range; expected an integer 1..=8",
        ),
        (
            "replicas=0",
            "--set replicas=0: parameter `replicas` = 0: out of range for kind = replication; \
             expected an integer 1..=8",
        ),
        (
            "timeout_ms=-1",
            "parameter `timeout_ms` = -1: out of range; expected an integer ms 1..=86400000",
        ),
    ] {
        distlab()
            .args(["sim", "async-drop", "--set", set])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn history_is_jepsen_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ops.jsonl");
    distlab()
        .args(["sim", "clock-skew", "--until-ms", "5000", "--history"])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.lines().count() > 4);
    for l in text.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(
            ["invoke", "ok", "fail", "info"].contains(&v["type"].as_str().unwrap()),
            "{l}"
        );
        assert!(["write", "read"].contains(&v["f"].as_str().unwrap()));
        assert!(
            v["process"].is_u64() && v["time"].is_u64() && v["key"].is_string(),
            "{l}"
        );
        // The client that ran it, by its name on screen.
        assert!(["c1", "c2"].contains(&v["node"].as_str().unwrap()), "{l}");
    }
}

#[test]
fn replay_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.toml");
    std::fs::write(
        &path,
        "scenario = \"partition\"\nseed = 3\nuntil_ms = 9000\n\n[set]\nmode = \"sync\"\n\n\
         [[commands]]\nat_us = 2000000\ncommand = \"crash n2\"\n\n\
         [[commands]]\nat_us = 4000000\ncommand = \"restart n2\"\n",
    )
    .unwrap();
    let run = || {
        distlab()
            .args(["sim", "--json", "--replay"])
            .arg(&path)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    // Every line but the summary (which has wall-clock timings) is byte-identical.
    let events = |out: Vec<u8>| {
        let text = String::from_utf8(out).unwrap();
        text.lines()
            .filter(|l| !l.contains("\"summary\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let text = events(run());
    assert!(text == events(run()), "replay is not byte-identical");
    assert!(text.contains("crash n2") && text.contains("restart n2"));
    std::fs::write(
        &path,
        "scenario = \"partition\"\nseed = 1\n[[commands]]\nat_us = 1\ncommand = \"crash nobody\"\n",
    )
    .unwrap();
    distlab()
        .args(["sim", "--replay"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("session.toml").or(predicate::str::contains("nobody")));
    std::fs::write(&path, "not toml [").unwrap();
    distlab()
        .args(["sim", "--replay"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("session.toml"));
}

#[test]
fn unknown_scenario_exits_2() {
    distlab()
        .args(["sim", "no-such-thing"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown scenario")
                .and(predicate::str::contains("async-drop")),
        );
}

#[test]
fn absurd_end_times_and_unordered_sessions_are_refused() {
    distlab()
        .args(["sim", "async-drop", "--until-ms", "18446744073709551615"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--until-ms 18446744073709551615 is too far",
        ));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(
        &file,
        "scenario = \"async-drop\"\nseed = 1\n[[commands]]\nat_us = 500\ncommand = \"heal\"\n[[commands]]\nat_us = 100\ncommand = \"heal\"\n",
    )
    .unwrap();
    distlab()
        .args(["sim", "--replay", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("commands must be in time order"));
}

#[test]
fn explain_prints_each_anomaly_with_a_chain_whose_event_ids_are_the_traces() {
    let text = stdout_of(&["sim", "partition", "--seed", "3", "--explain"]);
    assert!(text.contains("stale read: c1 read x="), "{text}");
    assert!(text.contains("  ← "), "each anomaly has links:\n{text}");
    assert!(text.contains("instead: with read_from = primary"), "{text}");
    assert!(
        text.lines().last().unwrap().contains("anomalies explained"),
        "{text}"
    );
    // The ids of --explain --json are the "event" numbers of the --json trace.
    let trace = stdout_of(&["sim", "partition", "--seed", "3", "--json"]);
    let events: Vec<serde_json::Value> = trace
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v.get("event").is_some())
        .collect();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["event"], i, "events are numbered in order");
    }
    let explained = stdout_of(&["sim", "partition", "--seed", "3", "--explain", "--json"]);
    let mut n = 0;
    for line in explained.lines() {
        let x: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(x["type"], "anomaly");
        let at = x["event"].as_u64().unwrap() as usize;
        assert_eq!(
            events[at]["type"], x["kind"],
            "the anomaly's own event: {line}"
        );
        for id in x["events"].as_array().unwrap() {
            let id = id.as_u64().unwrap() as usize;
            assert!(id <= at, "a link after its anomaly: {line}");
            assert!(events[id]["t_us"].as_u64() <= events[at]["t_us"].as_u64());
        }
        n += 1;
    }
    assert!(n > 10, "partition on seed 3 has many stale reads, not {n}");
}

#[test]
fn explain_of_a_quiet_run_says_so_and_refuses_trials() {
    let text = stdout_of(&["sim", "sync-drop", "--seed", "2", "--explain"]);
    assert!(text.starts_with("no anomalies in this run"), "{text}");
    distlab()
        .args(["sim", "async-drop", "--explain", "--trials", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--explain"));
}

/// `--trials` on any number of threads gives the summary one thread gives, and that
/// summary is the runs of the seeds one by one, added up (each seed's own `sim --json`
/// summary is the oracle).
#[test]
fn trials_on_many_threads_add_up_the_runs_of_each_seed() {
    let summary = |args: &[&str]| -> serde_json::Map<String, serde_json::Value> {
        let text = stdout_of(args);
        let last = text.lines().last().expect("a summary line");
        let mut v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(last).unwrap();
        // Timings differ from run to run; everything else must not.
        v.remove("wall_ms");
        v.remove("events_per_sec");
        v
    };
    for scenario in ["async-drop", "checkout", "failure-detector", "split-brain"] {
        let one = summary(&[
            "sim", scenario, "--seed", "7", "--trials", "9", "--jobs", "1", "--json",
        ]);
        for jobs in ["2", "3", "8"] {
            let many = summary(&[
                "sim", scenario, "--seed", "7", "--trials", "9", "--jobs", jobs, "--json",
            ]);
            assert_eq!(many, one, "{scenario}: --jobs {jobs}");
        }
        let runs: Vec<_> = (7..16)
            .map(|seed| summary(&["sim", scenario, "--seed", &seed.to_string(), "--json"]))
            .collect();
        for key in [
            "events",
            "writes_issued",
            "writes_acked",
            "acked_writes_lost",
            "false_suspicions",
            "suspicions",
            "messages_sent",
            "messages_dropped",
            "duplicate_charges",
            "orders_placed",
        ] {
            let sum: u64 = runs.iter().map(|r| r[key].as_u64().unwrap_or(0)).sum();
            assert_eq!(one[key].as_u64(), Some(sum), "{scenario}: {key}");
        }
        assert_eq!(one["trials"], 9);
    }
}

/// Each row of `distlab sweep` is `distlab sim --trials` with that row's `--set`: the
/// same seeds, the same counts (the single-run summaries are the oracle), on any number
/// of threads.
#[test]
fn a_sweep_row_is_the_trials_of_its_parameters() {
    let rows = |jobs: &str| -> Vec<serde_json::Value> {
        stdout_of(&[
            "sweep",
            "async-drop",
            "--vary",
            "drop=0,0.3",
            "--vary",
            "mode=async,sync",
            "--trials",
            "12",
            "--seed",
            "5",
            "--jobs",
            jobs,
            "--json",
        ])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
    };
    let one = rows("1");
    assert_eq!(one, rows("2"), "the table does not depend on --jobs");
    assert_eq!(one.len(), 4);
    let order: Vec<(String, String)> = one
        .iter()
        .map(|r| {
            (
                r["drop"].as_str().unwrap().into(),
                r["mode"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        order[1],
        ("0".into(), "sync".into()),
        "the first --vary varies slowest"
    );
    for r in &one {
        let (drop, mode) = (r["drop"].as_str().unwrap(), r["mode"].as_str().unwrap());
        let mut lossy = 0;
        let (mut issued, mut acked) = (0, 0);
        for seed in 5..17 {
            let text = stdout_of(&[
                "sim",
                "async-drop",
                "--seed",
                &seed.to_string(),
                "--set",
                &format!("drop={drop}"),
                "--set",
                &format!("mode={mode}"),
                "--json",
            ]);
            let s: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
            lossy += u64::from(s["acked_writes_lost"].as_u64().unwrap() > 0);
            issued += s["writes_issued"].as_u64().unwrap();
            acked += s["writes_acked"].as_u64().unwrap();
        }
        let at = format!("drop={drop} mode={mode}");
        assert_eq!(r["trials"], 12, "{at}");
        assert!(
            (r["loss_seeds"].as_f64().unwrap() - lossy as f64 / 12.0).abs() < 1e-4,
            "{at}"
        );
        let availability = acked as f64 / issued as f64;
        assert!(
            (r["availability"].as_f64().unwrap() - availability).abs() < 1e-4,
            "{at}"
        );
        let (lo, hi) = (
            r["loss_seeds_low"].as_f64().unwrap(),
            r["loss_seeds_high"].as_f64().unwrap(),
        );
        assert!(lo <= r["loss_seeds"].as_f64().unwrap() && r["loss_seeds"].as_f64().unwrap() <= hi);
    }
    // Async replication on lossy links loses writes on some seed; sync never does.
    assert!(one[2]["loss_seeds"].as_f64().unwrap() > 0.0, "{}", one[2]);
    assert_eq!(one[3]["loss_seeds"].as_f64(), Some(0.0));
}

#[test]
fn a_sweep_says_what_is_wrong_with_its_grid() {
    for (args, says) in [
        (vec!["--vary", "drop"], "expected KEY=V1,V2"),
        (vec!["--vary", "drop=0,,1"], "a value between every comma"),
        (
            vec!["--vary", "drop=0", "--vary", "drop=1"],
            "already varied",
        ),
        (vec!["--vary", "colour=red,blue"], "valid parameters"),
        (
            vec!["--vary", "drop=0,7"],
            "--vary drop=7: parameter `drop` = 7: out of range",
        ),
        (
            vec!["--vary", "drop=0", "--set", "drop=0.1"],
            "cannot also be set",
        ),
        (vec!["--vary", "drop=0,0.1,0"], "given twice"),
        (
            vec![
                "--vary",
                "drop=0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8",
                "--vary",
                "latency_ms_max=100,200,300,400,500,600,700,800",
            ],
            "too many",
        ),
    ] {
        let mut all = vec!["sweep", "async-drop"];
        all.extend(args.iter());
        distlab()
            .args(&all)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
    distlab()
        .args(["sweep", "no-such", "--vary", "drop=0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown sweep or scenario"));
}

#[test]
fn a_sweep_as_csv_has_a_header_and_a_line_per_row() {
    let text = stdout_of(&[
        "sweep",
        "checkout",
        "--vary",
        "retries=0,2",
        "--vary",
        "idempotency=false,true",
        "--trials",
        "4",
        "--csv",
    ]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    let head: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&head[..3], ["retries", "idempotency", "trials"]);
    let dup = head
        .iter()
        .position(|h| *h == "duplicate_charges_per_run")
        .unwrap();
    for l in &lines[1..] {
        assert_eq!(l.split(',').count(), head.len(), "{l}");
    }
    // Retries without an idempotency key charge twice; with one, never.
    let charged = |line: &str| line.split(',').nth(dup).unwrap().parse::<f64>().unwrap();
    assert!(charged(lines[3]) > 0.0, "{}", lines[3]);
    assert_eq!(charged(lines[4]), 0.0);
}
