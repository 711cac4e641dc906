//! Loss aimed at data traffic: with `drop_heartbeats = false`, random link loss spares
//! heartbeats, so a lossy network hurts the data without fooling the failure detector.

use distlab::sim::{Command, DropCause, EventKind, Kind, Metrics, Msg, Params, Sim};

/// One writer, failover to the lowest replica, steady latency, `drop` = 0.9.
fn lossy(drop_heartbeats: bool) -> Params {
    Params {
        kind: Kind::Replication,
        replicas: 2,
        latency_ms_min: 10.0,
        latency_ms_max: 30.0,
        drop: 0.9,
        drop_heartbeats,
        ..Params::default()
    }
}

/// Runs 30 s of lossy replication; returns the metrics and whether any heartbeat, and any
/// data message, was lost at random.
fn lossy_run(seed: u64, drop_heartbeats: bool) -> (Metrics, bool, bool) {
    let mut sim = Sim::new(lossy(drop_heartbeats), seed, vec![]);
    let (mut heartbeat_lost, mut data_lost) = (false, false);
    sim.run_to_end(&mut |e| {
        if let EventKind::Dropped(p, DropCause::Loss) = &e.kind {
            if matches!(p.msg, Msg::Heartbeat { .. }) {
                heartbeat_lost = true;
            } else {
                data_lost = true;
            }
        }
    });
    (sim.metrics().clone(), heartbeat_lost, data_lost)
}

#[test]
fn loss_that_spares_heartbeats_drops_data_but_suspects_nobody() {
    for seed in 1..=5 {
        let (m, heartbeat_lost, data_lost) = lossy_run(seed, false);
        assert!(
            !heartbeat_lost,
            "seed {seed}: a heartbeat was lost at random"
        );
        assert!(data_lost && m.messages_dropped > 100, "seed {seed}: {m:?}");
        assert_eq!(m.suspicions, 0, "seed {seed}");
        assert_eq!(m.false_suspicions, 0, "seed {seed}");
        assert_eq!(m.failovers, 0, "seed {seed}");
    }
    // The default loses heartbeats too, and the replicas falsely suspect the primary.
    let (m, heartbeat_lost, _) = lossy_run(1, true);
    assert!(
        heartbeat_lost && m.false_suspicions > 0 && m.failovers > 0,
        "{m:?}"
    );
}

#[test]
fn drop_heartbeats_is_a_parameter_and_live() {
    assert!(Params::default().drop_heartbeats);
    let mut p = Params::default();
    p.set("drop_heartbeats", "false").unwrap();
    assert!(!p.drop_heartbeats);
    let e = p.set("drop_heartbeats", "no").unwrap_err().to_string();
    assert!(e.contains("true | false"), "{e}");
    let mut sim = Sim::new(
        Params {
            drop: 1.0,
            ..lossy(true)
        },
        2,
        vec![],
    );
    let set = Command::parse("set drop_heartbeats false").unwrap();
    sim.apply(set, &mut |_| {}).unwrap();
    assert!(!sim.params().drop_heartbeats);
    let mut lost = 0;
    sim.run_until(5_000_000, &mut |e| {
        if let EventKind::Dropped(p, DropCause::Loss) = &e.kind {
            lost += usize::from(matches!(p.msg, Msg::Heartbeat { .. }));
        }
    });
    assert_eq!(lost, 0);
}
