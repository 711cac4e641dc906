//! Crash-stop with disks: what a crash erases (memory not yet synced), what `ack_after`
//! promises, and a cluster that restarts whole finding a primary again. Checked through the
//! public simulator, against the trace and the outcomes.

use distlab::sim::{AckAfter, Command, EventKind, Mode, Params, Sim};

fn run(p: Params, seed: u64, script: Vec<(u64, Command)>) -> (Sim, Vec<EventKind>) {
    let mut sim = Sim::new(p, seed, script);
    let mut events = Vec::new();
    sim.run_to_end(&mut |e| events.push(e.kind.clone()));
    (sim, events)
}

/// Every data node crashes at `at_ms`, and all restart two seconds later.
fn power_cut(at_ms: u64) -> Vec<(u64, Command)> {
    let nodes = ["n1", "n2", "n3"];
    let mut script: Vec<(u64, Command)> = nodes
        .iter()
        .map(|n| (at_ms * 1000, Command::Crash((*n).into())))
        .collect();
    script.extend(
        nodes
            .iter()
            .map(|n| ((at_ms + 2000) * 1000, Command::Restart((*n).into()))),
    );
    script
}

fn sync_with_disks(ack_after: AckAfter) -> Params {
    Params {
        mode: Mode::Sync,
        fsync_every_ms: 1000,
        ack_after,
        drop_heartbeats: false,
        duration_ms: 20_000,
        ..Params::default()
    }
}

#[test]
fn a_power_cut_loses_writes_acknowledged_in_memory_and_none_acknowledged_on_disk() {
    let (mut lost_in_memory, mut p50) = (0, [0.0, 0.0]);
    for seed in 1..=30 {
        let (mem, events) = run(sync_with_disks(AckAfter::Receive), seed, power_cut(10_000));
        let m = mem.metrics();
        assert!(m.unsynced_copies_lost >= 1, "seed {seed}: nothing unsynced");
        // Each copy a crash erased is in the trace, and the counter counts exactly those.
        let erased: usize = (events.iter())
            .map(|e| match e {
                EventKind::MemoryLost { values, .. } => values.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(erased as u64, m.unsynced_copies_lost, "seed {seed}");
        if m.acked_writes_lost > 0 {
            lost_in_memory += 1;
        }
        p50[0] += m.ack_latency.quantile_us(0.5) as f64;

        let (disk, _) = run(sync_with_disks(AckAfter::Fsync), seed, power_cut(10_000));
        let d = disk.metrics();
        assert_eq!(
            d.acked_writes_lost, 0,
            "seed {seed}: lost with ack_after = fsync"
        );
        assert!(d.writes_acked > 0, "seed {seed}");
        p50[1] += d.ack_latency.quantile_us(0.5) as f64;

        // Without simulated disks every write is on disk when it arrives: nothing to lose.
        let p = Params {
            fsync_every_ms: 0,
            ack_after: AckAfter::Receive,
            ..sync_with_disks(AckAfter::Receive)
        };
        let (plain, _) = run(p, seed, power_cut(10_000));
        assert_eq!(plain.metrics().acked_writes_lost, 0, "seed {seed}");
        assert_eq!(plain.metrics().unsynced_copies_lost, 0, "seed {seed}");
    }
    assert!(
        lost_in_memory >= 25,
        "only {lost_in_memory} of 30 seeds lost a write"
    );
    // Waiting for the disks costs latency: about a sync period more.
    assert!(p50[1] > p50[0] + 30.0 * 400_000.0, "p50 sums {p50:?}");
}

#[test]
fn a_crash_puts_a_node_back_to_its_disk_and_it_catches_up_by_messages() {
    let p = Params {
        duration_ms: 16_000,
        ..sync_with_disks(AckAfter::Receive)
    };
    let script = vec![
        (6_000_000, Command::Crash("n2".into())),
        (8_000_000, Command::Restart("n2".into())),
    ];
    let mut behind = 0;
    for seed in 1..=10 {
        let mut sim = Sim::new(p.clone(), seed, script.clone());
        sim.run_until(5_999_999, &mut |_| {});
        let memory = sim.nodes()[1].store.clone();
        let disk = sim.nodes()[1].disk.clone();
        sim.run_until(6_000_000, &mut |_| {});
        // Just crashed: it holds exactly what its disk held, not what its memory did.
        assert_eq!(sim.nodes()[1].store, disk, "seed {seed}");
        if memory != disk {
            behind += 1;
        }
        sim.run_to_end(&mut |_| {});
        // The primary survived, so nothing acknowledged is lost, and the replica caught up.
        assert_eq!(sim.metrics().acked_writes_lost, 0, "seed {seed}");
        assert!(!sim.metrics().divergence, "seed {seed}");
    }
    assert!(
        behind >= 8,
        "the disk was behind memory at the crash on {behind} of 10 seeds"
    );
}

#[test]
fn a_cluster_restarted_whole_finds_a_primary_by_messages_in_every_mode() {
    for mode in [Mode::Async, Mode::Sync, Mode::Quorum] {
        for seed in 1..=10 {
            let p = Params {
                mode,
                duration_ms: 20_000,
                drop_heartbeats: false,
                ..Params::default()
            };
            let mut sim = Sim::new(p, seed, power_cut(8_000));
            sim.run_until(10_000_000, &mut |_| {});
            let acked_before = sim.metrics().writes_acked;
            let mut failovers = 0;
            sim.run_to_end(&mut |e| {
                if let EventKind::Failover { new: Some(_), .. } = e.kind {
                    failovers += 1;
                }
            });
            let m = sim.metrics();
            assert!(failovers >= 1, "{mode} seed {seed}: nobody took over");
            assert!(
                m.writes_acked > acked_before + 10,
                "{mode} seed {seed}: writes did not resume ({} then {})",
                acked_before,
                m.writes_acked
            );
            // Without simulated disks nothing acknowledged was on memory only.
            if mode != Mode::Async {
                assert_eq!(m.acked_writes_lost, 0, "{mode} seed {seed}");
            }
        }
    }
}

#[test]
fn disk_parameters_that_cannot_work_are_refused() {
    let mut p = Params::default();
    let e = p.set_assignment("ack_after=fsync").unwrap_err().to_string();
    assert!(e.contains("fsync_every_ms"), "{e}");
    let mut p = Params::default();
    p.set_assignment("writers=2").unwrap();
    let e = p
        .set_assignment("fsync_every_ms=100")
        .unwrap_err()
        .to_string();
    assert!(e.contains("writers"), "{e}");
    let mut p = Params::default();
    p.set_assignment("fsync_every_ms=100").unwrap();
    p.set_assignment("ack_after=fsync").unwrap();
    assert!(p.set_assignment("ack_after=disk").is_err());
}

/// Quorum mode, the cluster restarted whole in the middle of elections: nodes that voted in
/// an election that never finished, a candidate told "epoch N, primary not known" while it
/// stands in N, a node whose election timer died in its crash, a slow node whose votes
/// take longer than a round of asking. Within ten seconds of the power coming back some
/// node serves as primary, on every seed.
#[test]
fn a_quorum_cluster_restarted_mid_election_elects_a_primary() {
    let mut stuck = Vec::new();
    for seed in 0..300 {
        let mut script = vec![
            // The primary is cut off, so the others stand; a paused voter and a slow node
            // keep elections unfinished when the power fails.
            (
                1_000_000 + seed * 7_000,
                Command::Partition(vec!["n1".into()]),
            ),
            (2_500_000, Command::Pause("n2".into(), 1500)),
            (3_000_000, Command::Slow("n3".into(), 400)),
        ];
        script.extend(power_cut(5_000 + seed % 7 * 150));
        let back_us = (7_000 + seed % 7 * 150) * 1000;
        script.push((back_us, Command::Heal));
        let p = Params {
            mode: Mode::Quorum,
            drop: 0.05,
            fsync_every_ms: 500,
            fencing: true,
            duration_ms: 20_000,
            ..Params::default()
        };
        let mut sim = Sim::new(p, seed, script);
        sim.run_until(back_us, &mut |_| {});
        let mut elected = false;
        while !elected && sim.now_us() < back_us + 10_000_000 {
            sim.run_until(sim.now_us() + 100_000, &mut |_| {});
            elected = sim
                .nodes()
                .iter()
                .any(|n| n.role == distlab::sim::Role::Primary && n.is_up());
        }
        if !elected {
            stuck.push(seed);
        }
    }
    assert!(
        stuck.is_empty(),
        "no primary 10 s after the restart on seeds {stuck:?}"
    );
}
