//! Property tests of the simulator's invariants over many seeds and random fault schedules.

use distlab::sim::{Command, Event, EventKind, Mode, Params, Role, Sim};
use proptest::prelude::*;

const DATA: [&str; 3] = ["n1", "n2", "n3"];

/// A random fault: (time ms, command) over a three-node group and its client.
fn fault(minority_only: bool) -> impl Strategy<Value = (u64, Command)> {
    let mut data = DATA.to_vec();
    data.push("@primary");
    let node = prop::sample::select(data).prop_map(String::from);
    let any = prop::sample::select(vec!["n1", "n2", "n3", "c1", "@primary"]).prop_map(String::from);
    let t = 0u64..15_000;
    let cmds = prop_oneof![
        node.clone().prop_map(Command::Crash),
        node.clone().prop_map(Command::Restart),
        (node.clone(), 1u64..3000).prop_map(|(n, ms)| Command::Pause(n, ms)),
        prop::collection::vec(any.clone(), 1..3).prop_map(Command::Partition),
        (any.clone(), any.clone()).prop_map(|(a, b)| Command::PartitionOneway(a, b)),
        Just(Command::Heal),
        (node.clone(), -3000i64..3000).prop_map(|(n, ms)| Command::Skew(n, ms)),
        (node.clone(), -1000i64..1000).prop_map(|(n, p)| Command::Drift(n, p)),
        (any.clone(), any.clone()).prop_map(|(a, b)| Command::DropNext(a, b)),
        (0.0f64..0.5).prop_map(Command::Loss),
        (node, 0u64..500).prop_map(|(n, ms)| Command::Slow(n, ms)),
    ];
    (t, cmds).prop_filter("at most a minority crashes", move |(_, c)| {
        !minority_only || !matches!(c, Command::Crash(_))
    })
}

fn params(mode: Mode, drop: f64) -> Params {
    Params {
        mode,
        drop,
        keys: 2,
        read_ratio: 0.3,
        read_from: distlab::sim::ReadFrom::Any,
        duration_ms: 15_000,
        ..Params::default()
    }
}

/// Runs step by step, checking the network and clock invariants after every step.
fn run_checked(mut sim: Sim) -> Result<Sim, TestCaseError> {
    let mut lamports: Vec<u64> = sim.nodes().iter().map(|n| n.lamport.0).collect();
    let end = sim.params().duration_ms * 1000;
    let mut events: Vec<Event> = Vec::new();
    while sim.now_us() <= end {
        events.clear();
        if !sim.step(&mut |e| events.push(e.clone())) {
            break;
        }
        for e in &events {
            if let EventKind::Delivered(p) = &e.kind {
                prop_assert!(
                    !sim.network().is_blocked(p.from, p.to),
                    "delivered across a partition: {p:?}"
                );
                prop_assert!(
                    !sim.nodes()[p.to as usize].is_crashed(),
                    "delivered to a crashed node: {p:?}"
                );
                // Crash-stop: a crashed node's messages already on the wire still arrive,
                // but it sent nothing after it crashed.
                let sender = &sim.nodes()[p.from as usize];
                prop_assert!(
                    !sender.is_crashed() || p.sent_us <= sender.crashed_at_us,
                    "delivered from a node that had crashed before sending: {p:?}"
                );
            }
            if let EventKind::Sent(p) = &e.kind {
                prop_assert!(
                    !sim.nodes()[p.from as usize].is_crashed(),
                    "sent by a crashed node: {p:?}"
                );
            }
        }
        for (i, n) in sim.nodes().iter().enumerate() {
            prop_assert!(
                n.lamport.0 >= lamports[i],
                "Lamport clock of {} went back",
                n.name
            );
            lamports[i] = n.lamport.0;
        }
    }
    sim.finish(&mut |_| {});
    let m = sim.metrics();
    prop_assert!(m.writes_acked <= m.writes_issued);
    prop_assert!(m.acked_writes_lost <= m.writes_acked);
    prop_assert!(m.stale_reads <= m.reads);
    prop_assert!(m.false_suspicions <= m.suspicions);
    Ok(sim)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Any mode, any faults: the network never delivers across a partition or to or from a
    /// crashed node, Lamport clocks never go back, counters add up.
    #[test]
    fn network_and_clock_invariants(
        seed in any::<u64>(),
        mode in prop::sample::select(vec![Mode::Async, Mode::Sync, Mode::Quorum]),
        drop in 0.0f64..0.3,
        faults in prop::collection::vec(fault(false), 0..12),
    ) {
        let faults = faults.into_iter().map(|(t, c)| (t * 1000, c)).collect();
        run_checked(Sim::new(params(mode, drop), seed, faults))?;
    }

    /// Sync and quorum modes with fencing lose no acknowledged write while at most one of
    /// the three data nodes (a minority) is crashed, whatever else goes wrong. (Without
    /// fencing a partition or a pause can make two primaries: tests/sim_split_brain.rs.)
    #[test]
    fn sync_and_quorum_keep_acknowledged_writes(
        seed in any::<u64>(),
        quorum in any::<bool>(),
        drop in 0.0f64..0.3,
        victim in prop::sample::select(DATA.to_vec()),
        crash_ms in 1000u64..12_000,
        down_ms in 100u64..5000,
        faults in prop::collection::vec(fault(true), 0..10),
    ) {
        let mode = if quorum { Mode::Quorum } else { Mode::Sync };
        let mut script: Vec<(u64, Command)> = faults.into_iter().map(|(t, c)| (t * 1000, c)).collect();
        script.push((crash_ms * 1000, Command::Crash(victim.to_string())));
        script.push(((crash_ms + down_ms) * 1000, Command::Restart(victim.to_string())));
        let p = Params { fencing: true, ..params(mode, drop) };
        let sim = run_checked(Sim::new(p, seed, script))?;
        prop_assert_eq!(sim.metrics().acked_writes_lost, 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, max_global_rejects: 4096, ..ProptestConfig::default() })]

    /// With acknowledgements after the disk sync, sync and quorum modes lose no
    /// acknowledged write even when the power fails everywhere at once (every data node
    /// crashes, and its memory with it), whatever else went wrong before, short of more
    /// crashes. Judged once the cluster has had time to recover: the power comes back, the
    /// partitions heal, and the run goes on for 20 s (what the cluster serves is the new
    /// primary's, so it must have one).
    #[test]
    fn disk_acks_survive_a_power_cut(
        seed in any::<u64>(),
        quorum in any::<bool>(),
        drop in 0.0f64..0.3,
        fsync_ms in 20u64..2000,
        cut_ms in 1000u64..12_000,
        down_ms in 100u64..5000,
        faults in prop::collection::vec(fault(true), 0..8),
    ) {
        let mode = if quorum { Mode::Quorum } else { Mode::Sync };
        // The faults come before the cut.
        let mut script: Vec<(u64, Command)> =
            faults.into_iter().map(|(t, c)| (t * cut_ms / 15, c)).collect();
        let back = (cut_ms + down_ms) * 1000;
        for n in DATA {
            script.push((cut_ms * 1000, Command::Crash(n.to_string())));
            script.push((back, Command::Restart(n.to_string())));
        }
        script.push((back, Command::Heal));
        let p = Params {
            fencing: true,
            fsync_every_ms: fsync_ms,
            ack_after: distlab::sim::AckAfter::Fsync,
            duration_ms: cut_ms + down_ms + 20_000,
            ..params(mode, drop)
        };
        let sim = run_checked(Sim::new(p, seed, script))?;
        // Safety, not liveness: where no primary was elected in time (an election still
        // under way at the end, on links that lose many messages), what the cluster will
        // serve is not decided yet.
        let serving = sim.nodes().iter().any(|n| n.role == Role::Primary && n.is_up());
        prop_assume!(serving);
        prop_assert_eq!(sim.metrics().acked_writes_lost, 0);
    }
}

/// Async mode with drops and a failover loses acknowledged writes on some seeds — and the
/// simulator notices.
#[test]
fn async_failover_loses_writes_on_some_seeds() {
    let mut lost = 0;
    let mut runs_with_loss = 0;
    for seed in 0..300 {
        let p = Params {
            drop: 0.2,
            keys: 3,
            duration_ms: 15_000,
            ..Params::default()
        };
        let mut sim = Sim::new(p, seed, vec![(8_000_000, Command::Crash("n1".into()))]);
        sim.run_to_end(&mut |_| {});
        let m = sim.metrics();
        assert!(m.acked_writes_lost <= m.writes_acked);
        lost += m.acked_writes_lost;
        runs_with_loss += u64::from(m.acked_writes_lost > 0);
    }
    assert!(
        runs_with_loss >= 30,
        "only {runs_with_loss} of 300 runs lost writes ({lost} in all)"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// No input text makes the command parser panic, and what it accepts round-trips.
    #[test]
    fn command_parser_never_panics(text in "[a-z0-9 .@-]{0,40}") {
        if let Ok(c) = Command::parse(&text) {
            prop_assert_eq!(Command::parse(&c.to_string()), Ok(c));
        }
    }

    /// Any command, valid or not, at any time, in any scenario kind: no panic, and the
    /// counters still add up.
    #[test]
    fn any_command_in_any_scenario(
        seed in any::<u64>(),
        kind in 0usize..4,
        cmds in prop::collection::vec((0u64..10_000, "(crash|restart|pause|partition|heal|skew|drift|slow|drop-next|loss|duplicate|latency|write|read|set|mode) ?(primary|@primary|@leader|n2|c1|monitor|node-1|web|payment|router|shard-eu|x|hot_fraction|0.5|-99999999|99999999999|quorum)? ?(primary|@primary|node-2|order|shard-us|-5|3000|0.9|x|99999999999)?"), 0..12),
    ) {
        let kinds = ["replication", "detector", "checkout", "sharding"];
        let mut p = Params { duration_ms: 10_000, ..Params::default() };
        p.set("kind", kinds[kind]).unwrap();
        let mut sim = Sim::new(p, seed, vec![]);
        let mut cmds = cmds;
        cmds.sort_by_key(|c| c.0);
        for (t, text) in cmds {
            sim.run_until(t * 1000, &mut |_| {});
            if let Ok(c) = Command::parse(&text) {
                let _ = sim.apply(c, &mut |_| {});
            }
        }
        sim.run_to_end(&mut |_| {});
        let m = sim.metrics();
        prop_assert!(m.writes_acked <= m.writes_issued && m.acked_writes_lost <= m.writes_acked);
    }
}
