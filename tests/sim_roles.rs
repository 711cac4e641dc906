//! Role targets (`@primary`): resolved when a command applies, kept as written in the
//! command log, refused where the scenario has no primary; through the public API and a
//! lesson file.

use distlab::lesson;
use distlab::sim::{Command, Event, EventKind, Kind, Params, Session, Sim, Status, narrate};

/// One writer, failover to the lowest replica, steady latency.
fn replication(extra: impl FnOnce(&mut Params)) -> Params {
    let mut p = Params {
        kind: Kind::Replication,
        replicas: 2,
        latency_ms_min: 10.0,
        latency_ms_max: 30.0,
        ..Params::default()
    };
    extra(&mut p);
    p
}

fn cmd(text: &str) -> Command {
    Command::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn status(sim: &Sim, name: &str) -> Status {
    sim.nodes()[sim.node_id(name).unwrap() as usize].status
}

/// Runs `sim` to `t_us`, then applies each command; returns the narrated trace.
fn drive(sim: &mut Sim, commands: &[(u64, Command)], end_us: u64) -> String {
    let names = sim.node_names();
    let mut trace = String::new();
    let mut sink = |e: &Event| {
        trace.push_str(&narrate::narrate(&names, e));
        trace.push('\n');
    };
    for (t, c) in commands {
        sim.run_until(*t, &mut sink);
        sim.apply(c.clone(), &mut sink).expect("command applies");
    }
    sim.run_until(end_us, &mut sink);
    trace
}

/// The primary stalls for 3 s at 1 s: its replicas suspect it and promote n2.
fn failed_over(seed: u64) -> Sim {
    let mut sim = Sim::new(
        replication(|_| {}),
        seed,
        vec![(1_000_000, cmd("pause n1 3000"))],
    );
    sim.run_until(4_500_000, &mut |_| {});
    let new = sim.primary().unwrap();
    assert_eq!(sim.node_name(new), "n2", "seed {seed}: no failover");
    sim
}

#[test]
fn crash_at_primary_after_a_failover_crashes_the_current_primary() {
    for seed in 1..=5 {
        let mut sim = failed_over(seed);
        let mut trace = Vec::new();
        sim.apply(cmd("crash @primary"), &mut |e| trace.push(e.clone()))
            .unwrap();
        assert_eq!(status(&sim, "n2"), Status::Crashed, "seed {seed}");
        assert_eq!(status(&sim, "n1"), Status::Up, "seed {seed}");
        let applied = trace
            .iter()
            .find(|e| matches!(e.kind, EventKind::Command { .. }))
            .expect("the command is in the trace");
        assert_eq!(
            applied.kind,
            EventKind::Command {
                command: cmd("crash @primary"),
                resolved: Some(cmd("crash n2")),
            }
        );
        assert_eq!(
            sim.narrate(applied),
            "t=4.500s » crash @primary (@primary = n2)"
        );
    }
}

#[test]
fn a_scenario_event_resolves_at_its_time() {
    let script = vec![
        (1_000_000, cmd("pause n1 3000")),
        (5_000_000, cmd("crash @primary")),
    ];
    let mut sim = Sim::new(replication(|_| {}), 3, script);
    let trace = drive(&mut sim, &[], 5_000_000);
    assert!(
        trace.contains("t=5.000s » crash @primary (@primary = n2)\n"),
        "{trace}"
    );
    assert_eq!(status(&sim, "n2"), Status::Crashed);
    assert_eq!(status(&sim, "n1"), Status::Up);
    // Before any failover, `@primary` is n1, the first primary.
    let mut sim = Sim::new(
        replication(|_| {}),
        3,
        vec![(500_000, cmd("crash @primary"))],
    );
    let trace = drive(&mut sim, &[], 600_000);
    assert!(
        trace.contains("» crash @primary (@primary = n1)\n"),
        "{trace}"
    );
    assert_eq!(status(&sim, "n1"), Status::Crashed);
}

#[test]
fn the_command_log_keeps_the_role_and_a_replay_resolves_it_again() {
    let commands = vec![
        (1_000_000, cmd("pause n1 3000")),
        (5_000_000, cmd("partition @primary")),
        (7_000_000, cmd("heal")),
        (9_000_000, cmd("crash @primary")),
    ];
    let mut sim = Sim::new(replication(|_| {}), 11, vec![]);
    let first = drive(&mut sim, &commands, 12_000_000);
    let logged: Vec<String> = sim
        .command_log()
        .iter()
        .map(|(_, c)| c.to_string())
        .collect();
    assert_eq!(
        logged,
        [
            "pause n1 3000",
            "partition @primary",
            "heal",
            "crash @primary"
        ]
    );
    let mut session = Session {
        scenario: "roles".into(),
        seed: 11,
        ..Session::default()
    };
    session.record(sim.command_log());
    let text = session.to_toml();
    assert!(text.contains("command = \"crash @primary\""), "{text}");
    let replayed = Session::from_toml(&text).unwrap().parsed_commands();
    assert_eq!(replayed, commands);
    let mut again = Sim::new(replication(|_| {}), 11, vec![]);
    assert_eq!(drive(&mut again, &replayed, 12_000_000), first);
}

#[test]
fn at_primary_without_a_primary_is_refused_with_the_kind() {
    for (kind, name) in [
        (Kind::Detector, "detector"),
        (Kind::Checkout, "checkout"),
        (Kind::Sharding, "sharding"),
    ] {
        let p = Params {
            kind,
            replicas: 1,
            ..Params::default()
        };
        let mut sim = Sim::new(p, 1, vec![]);
        let e = sim
            .apply(cmd("pause @primary 100"), &mut |_| {})
            .unwrap_err();
        assert_eq!(
            e,
            format!("@primary: this scenario has no primary (kind = {name})")
        );
        assert!(sim.command_log().is_empty());
    }
    let e = Command::parse("crash @leader").unwrap_err();
    assert_eq!(e, "unknown role `@leader`; roles: @primary");
}

#[test]
fn a_role_that_resolves_to_the_wrong_kind_of_node_says_what_it_resolved_to() {
    let mut sim = Sim::new(replication(|_| {}), 1, vec![]);
    let e = sim
        .apply(cmd("write @primary x 5"), &mut |_| {})
        .unwrap_err();
    assert_eq!(e, "@primary = n1: no client named `n1`; clients: c1");
}

#[test]
fn the_old_role_names_say_the_identity_that_replaced_them() {
    let mut sim = Sim::new(replication(|p| p.clients = 2), 1, vec![]);
    let hint = |old: &str, new: &str| {
        format!(
            " (nodes are named by identity now, and a role is a badge: `{old}` is `{new}`; \
             `@primary` names whichever node is primary when the command applies)"
        )
    };
    for (text, old, new) in [
        ("crash primary", "primary", "n1"),
        ("partition replica-2", "replica-2", "n3"),
        ("drop-next n1 replica-1", "replica-1", "n2"),
    ] {
        let e = sim.apply(cmd(text), &mut |_| {}).unwrap_err();
        assert_eq!(
            e,
            format!(
                "no node named `{old}`; nodes: n1, n2, n3, c1, c2{}",
                hint(old, new)
            ),
            "{text}"
        );
    }
    let e = sim
        .apply(cmd("write client-2 x 1"), &mut |_| {})
        .unwrap_err();
    assert_eq!(
        e,
        format!(
            "no client named `client-2`; clients: c1, c2{}",
            hint("client-2", "c2")
        )
    );
    // A name that never existed gets no hint, nor does an old name past the cluster's size.
    for text in ["crash nobody", "crash replica-7"] {
        let e = sim.apply(cmd(text), &mut |_| {}).unwrap_err();
        assert!(!e.contains("identity"), "{e}");
    }
    assert!(sim.command_log().is_empty());
}

const MINIMAL: &str = include_str!("fixtures/lessons/minimal.toml");

/// Line and column (1-based) where `needle` first occurs in `source`.
fn place(source: &str, needle: &str) -> (usize, usize) {
    let i = source.find(needle).unwrap();
    let before = &source[..i];
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (before.matches('\n').count() + 1, column)
}

#[test]
fn the_lesson_loader_points_at_a_role_the_scenario_lacks() {
    let src = format!(
        "{MINIMAL}params = {{ kind = \"detector\" }}\n\n[[scenarios.events]]\nat_ms = 5\n\
         command = \"crash @primary\"\n\n[[scenarios.steps]]\nat_ms = 10\n\
         commands = [\"heal\", \"partition @leader\"]\ncaption = \"Look.\"\n"
    );
    let err = lesson::parse("day002.toml", src.as_bytes()).expect_err("rejected");
    let got: Vec<(usize, usize, String)> = err
        .problems()
        .iter()
        .map(|p| (p.line, p.column, p.message.clone()))
        .collect();
    let event = place(&src, "\"crash @primary\"");
    let step = place(&src, "\"partition @leader\"");
    assert_eq!(
        got,
        [
            (
                event.0,
                event.1,
                "scenario `demo`, event at 5 ms: `crash @primary`: @primary: this scenario \
                 has no primary (kind = detector)"
                    .to_owned()
            ),
            (
                step.0,
                step.1,
                "scenario `demo`, step 1 (at 10 ms): `partition @leader`: unknown role \
                 `@leader`; roles: @primary"
                    .to_owned()
            ),
        ]
    );
    // In a replication scenario the same event is fine.
    let ok = format!("{MINIMAL}\n[[scenarios.events]]\nat_ms = 5\ncommand = \"crash @primary\"\n");
    lesson::parse("day002.toml", ok.as_bytes()).unwrap();
}

/// Histories follow Jepsen's process convention: a process does one operation at a time,
/// and once an operation's outcome is unknown (`info`) its process never invokes again.
#[test]
fn a_process_whose_operation_timed_out_never_invokes_again() {
    use std::collections::{BTreeMap, BTreeSet};
    let l = distlab::lesson::builtin().unwrap();
    let mut infos_seen = 0;
    for id in ["partition", "sync-drop", "split-brain"] {
        let sc = l.scenario(id).unwrap();
        for seed in 1..=10 {
            let mut sim = distlab::sim::Sim::from_scenario(sc, seed).unwrap();
            let mut open: BTreeMap<u32, u32> = BTreeMap::new();
            let mut retired: BTreeSet<u32> = BTreeSet::new();
            let mut bad = Vec::new();
            sim.run_to_end(&mut |e| {
                if let distlab::sim::EventKind::Client(c) = &e.kind {
                    use distlab::sim::OpType;
                    match c.op_type {
                        OpType::Invoke => {
                            if retired.contains(&c.process) || open.contains_key(&c.process) {
                                bad.push((e.t_us, c.process));
                            }
                            open.insert(c.process, c.op);
                        }
                        OpType::Info => {
                            open.remove(&c.process);
                            retired.insert(c.process);
                            infos_seen += 1;
                        }
                        _ => {
                            open.remove(&c.process);
                        }
                    }
                }
            });
            assert!(bad.is_empty(), "{id} seed {seed}: {bad:?}");
        }
    }
    assert!(infos_seen > 0, "some operations timed out");
}
