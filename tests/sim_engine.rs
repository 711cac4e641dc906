//! Engine behaviours through the public API: pauses, drop-next, duplication, clocks, time.

use distlab::sim::{Command, DropCause, Event, EventKind, Kind, Msg, Params, Sim};

fn detector(extra: impl FnOnce(&mut Params)) -> Params {
    let mut p = Params {
        kind: Kind::Detector,
        replicas: 1,
        heartbeat_ms: 100,
        timeout_ms: 350,
        latency_ms_min: 10.0,
        latency_ms_max: 10.0,
        ..Params::default()
    };
    extra(&mut p);
    p
}

fn events(sim: &mut Sim, until_ms: u64) -> Vec<Event> {
    let mut v = Vec::new();
    sim.run_until(until_ms * 1000, &mut |e| v.push(e.clone()));
    v
}

#[test]
fn time_moves_only_when_asked() {
    let mut sim = Sim::new(detector(|_| {}), 1, vec![]);
    assert_eq!(sim.now_us(), 0);
    assert_eq!(sim.next_event_us(), Some(100_000));
    sim.run_until(50_000, &mut |_| {});
    assert_eq!(sim.now_us(), 50_000);
    assert!(sim.step(&mut |_| {}));
    assert_eq!(sim.now_us(), 100_000);
    assert_eq!(
        sim.network().in_flight().len(),
        1,
        "a heartbeat is on the wire"
    );
    let p = sim.network().in_flight()[0];
    assert_eq!(
        (p.msg, p.sent_us, p.deliver_us),
        (Msg::Heartbeat { epoch: 0 }, 100_000, 110_000)
    );
    assert!((p.progress(105_000) - 0.5).abs() < 1e-9);
}

#[test]
fn a_paused_node_is_falsely_suspected_then_catches_up() {
    let mut sim = Sim::new(
        detector(|_| {}),
        1,
        vec![(1_000_000, Command::Pause("node-1".into(), 1000))],
    );
    let ev = events(&mut sim, 3000);
    let suspect = ev.iter().find_map(|e| match e.kind {
        EventKind::Suspect { correct, .. } => Some((e.t_us, correct)),
        _ => None,
    });
    let (t, correct) = suspect.expect("suspected during the pause");
    assert!(!correct && (1_200_000..2_000_000).contains(&t), "{t}");
    assert!(ev.iter().any(|e| matches!(e.kind, EventKind::Resumed(_))));
    assert!(ev.iter().any(|e| matches!(e.kind, EventKind::Trust { .. })));
    assert_eq!(sim.metrics().false_suspicions, 1);
}

#[test]
fn crash_is_detected_correctly_with_latency() {
    let mut sim = Sim::new(
        detector(|_| {}),
        1,
        vec![(1_000_000, Command::Crash("node-1".into()))],
    );
    events(&mut sim, 3000);
    let m = sim.metrics();
    assert_eq!((m.suspicions, m.false_suspicions), (1, 0));
    let lat = m.detection_latency.quantile_us(0.5);
    assert!((250_000..=400_000).contains(&lat), "{lat}");
    assert_eq!(sim.suspected_by(1), vec![0]);
}

#[test]
fn drop_next_drops_exactly_one_message() {
    let mut sim = Sim::new(detector(|_| {}), 1, vec![]);
    sim.apply(
        Command::DropNext("node-1".into(), "monitor".into()),
        &mut |_| {},
    )
    .unwrap();
    let ev = events(&mut sim, 1000);
    let drops: Vec<_> = ev
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Dropped(_, DropCause::DropNext)))
        .collect();
    assert_eq!(drops.len(), 1);
    assert_eq!(sim.metrics().messages_dropped, 1);
    assert_eq!(sim.command_log().len(), 1);
}

#[test]
fn duplication_delivers_twice() {
    let mut sim = Sim::new(detector(|p| p.duplicate = 1.0), 1, vec![]);
    let ev = events(&mut sim, 150);
    let delivered = ev
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Delivered(_)))
        .count();
    assert_eq!(delivered, 2);
    assert_eq!(sim.metrics().messages_duplicated, 1);
}

#[test]
fn drift_stretches_timers_and_skew_shifts_the_clock() {
    let mut sim = Sim::new(detector(|_| {}), 1, vec![]);
    sim.apply(Command::Skew("node-1".into(), -500), &mut |_| {})
        .unwrap();
    sim.apply(Command::Drift("node-1".into(), 100_000), &mut |_| {})
        .unwrap();
    sim.run_until(1_000_000, &mut |_| {});
    assert_eq!(sim.local_us(1), 1_000_000 + 100_000 - 500_000);
    assert_eq!(sim.local_us(0), 1_000_000);
    // A clock 10 % fast fires its 100 ms heartbeat timer every ~91 ms of true time.
    let sends: Vec<u64> = {
        let mut v = Vec::new();
        sim.run_until(2_000_000, &mut |e| {
            if let EventKind::Sent(p) = &e.kind
                && p.from == 1
            {
                v.push(e.t_us);
            }
        });
        v
    };
    let gap = sends[1] - sends[0];
    assert!((90_000..=91_000).contains(&gap), "{gap}");
}

#[test]
fn partitions_block_and_heal() {
    let mut sim = Sim::new(
        detector(|_| {}),
        1,
        vec![
            (500_000, Command::Partition(vec!["node-1".into()])),
            (1_500_000, Command::Heal),
        ],
    );
    let ev = events(&mut sim, 2000);
    let blocked = ev
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Dropped(_, DropCause::Partition)))
        .count();
    assert!(blocked >= 9, "{blocked}");
    assert_eq!(sim.network().blocked_links(), vec![]);
    assert!(ev.iter().any(|e| matches!(e.kind, EventKind::Trust { .. })));
}

#[test]
fn bad_commands_are_refused_and_not_logged() {
    let mut sim = Sim::new(detector(|_| {}), 1, vec![]);
    let e = sim
        .apply(Command::Crash("node-9".into()), &mut |_| {})
        .unwrap_err();
    assert!(e.contains("node-1"), "{e}");
    assert!(sim.apply(Command::Write(None), &mut |_| {}).is_err());
    assert!(
        sim.apply(Command::Set("kind".into(), "checkout".into()), &mut |_| {})
            .is_err()
    );
    assert!(sim.command_log().is_empty());
}
