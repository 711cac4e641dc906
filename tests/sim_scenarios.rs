//! The shipped scenarios: each builds, has a walkthrough, and shows its lesson.

use distlab::headless::scenarios;
use distlab::sim::{Command, Metrics, SPECS, Sim};

fn run(id: &str, seed: u64) -> Metrics {
    let all = scenarios(None).unwrap();
    let sc = all.iter().find(|s| s.id == id).unwrap();
    let mut sim = Sim::from_scenario(sc, seed).unwrap();
    sim.run_to_end(&mut |_| {});
    sim.metrics().clone()
}

#[test]
fn every_scenario_is_well_formed() {
    let all = scenarios(None).unwrap();
    assert!(all.len() >= 8);
    for sc in &all {
        Sim::check_scenario(sc).unwrap_or_else(|e| panic!("{e}"));
        let sim = Sim::from_scenario(sc, 1).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            ["messages", "replication", "time-failure"].contains(&sc.concept.as_str()),
            "{}",
            sc.id
        );
        assert!(
            (4..=8).contains(&sc.steps.len()),
            "{} has {} steps",
            sc.id,
            sc.steps.len()
        );
        // Timed steps come in time order (steps that wait for an event are checked on
        // every seed by tests/stories.rs).
        let times: Vec<u64> = sc.steps.iter().filter_map(|s| s.at_ms).collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "{} steps out of order",
            sc.id
        );
        assert!(
            sc.steps.iter().all(|s| s.at_ms.is_none_or(|t| t <= 30_000)),
            "{} runs past 30 s",
            sc.id
        );
        for s in &sc.steps {
            for c in &s.commands {
                let cmd = Command::parse(c).unwrap_or_else(|e| panic!("{}: {e}", sc.id));
                sim.check_command(&cmd)
                    .unwrap_or_else(|e| panic!("{}: {e}", sc.id));
            }
        }
    }
    let sharding = all.iter().find(|s| s.id == "sharding").unwrap();
    assert!(sharding.title.contains("not a network partition"));
}

#[test]
fn check_scenario_points_at_the_bad_step() {
    let mut sc = scenarios(None)
        .unwrap()
        .into_iter()
        .find(|s| s.id == "partition")
        .unwrap();
    sc.steps[1]
        .commands
        .push(distlab::lesson::Text::new("crash n10"));
    let e = Sim::check_scenario(&sc).unwrap_err().to_string();
    assert!(
        e.contains("step 2") && e.contains("n10") && e.contains("n3"),
        "{e}"
    );
    sc.params
        .insert("mode".into(), toml::Value::String("fast".into()));
    let e = Sim::check_scenario(&sc).unwrap_err().to_string();
    assert!(e.contains("`mode`") && e.contains("quorum"), "{e}");
}

#[test]
fn format_doc_lists_every_parameter() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/FORMAT.md")).unwrap();
    for s in SPECS {
        assert!(
            doc.contains(&format!("| `{}` |", s.key)),
            "FORMAT.md lacks {}",
            s.key
        );
    }
    for u in distlab::sim::COMMAND_USAGE {
        let verb = u.split(' ').next().unwrap();
        assert!(
            doc.contains(&format!("| `{verb}")),
            "FORMAT.md lacks command {verb}"
        );
    }
}

#[test]
fn scenarios_show_their_lessons() {
    let seeds = 1..=6;
    let total =
        |id: &str, f: fn(&Metrics) -> u64| seeds.clone().map(|s| f(&run(id, s))).sum::<u64>();
    assert!(total("async-drop", |m| m.acked_writes_lost) > 0);
    assert_eq!(total("sync-drop", |m| m.acked_writes_lost), 0);
    assert_eq!(total("quorum-crash", |m| m.acked_writes_lost), 0);
    assert!(total("partition", |m| m.stale_reads) > 0);
    assert!(total("clock-skew", |m| m.acked_writes_lost) > 0);
    assert!(total("failure-detector", |m| m.false_suspicions) > 0);
    assert!(total("failure-detector", |m| m.suspicions - m.false_suspicions) > 0);
    assert!(total("checkout", |m| m.duplicate_charges) > 0);
    let s = run("sharding", 1);
    assert!(
        s.shards[0].max_queue_len > 10 * s.shards[1].max_queue_len.max(1),
        "{:?}",
        s.shards
    );
}

#[test]
fn the_fixes_the_captions_promise_work() {
    let all = scenarios(None).unwrap();
    let with = |id: &str, k: &str, v: &str| {
        let mut sc = all.iter().find(|s| s.id == id).unwrap().clone();
        sc.params.insert(k.into(), toml::Value::String(v.into()));
        (1..=4u64)
            .map(|seed| {
                let mut sim = Sim::from_scenario(&sc, seed).unwrap();
                sim.run_to_end(&mut |_| {});
                sim.metrics().clone()
            })
            .collect::<Vec<_>>()
    };
    assert!(
        with("clock-skew", "timestamps", "lamport")
            .iter()
            .all(|m| m.acked_writes_lost == 0)
    );
    assert!(
        with("checkout", "idempotency", "true")
            .iter()
            .all(|m| m.duplicate_charges == 0)
    );
    assert!(
        with("partition", "mode", "sync")
            .iter()
            .all(|m| m.writes_unknown > 0)
    );
}
