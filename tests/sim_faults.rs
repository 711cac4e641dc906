//! The faults peers simulate that Day 001 needs: bursty loss, loss on client links, and
//! clock steps. Each is checked through the public simulator, against what it must change.

use distlab::sim::{Command, Mode, Params, Sim};

fn run(p: Params, seed: u64, script: Vec<(u64, Command)>) -> Sim {
    let mut sim = Sim::new(p, seed, script);
    sim.run_to_end(&mut |_| {});
    sim
}

#[test]
fn client_drop_costs_acknowledgements_and_plain_drop_does_not_touch_client_links() {
    let base = Params {
        mode: Mode::Sync,
        duration_ms: 20_000,
        drop_heartbeats: false,
        ..Params::default()
    };
    // Loss between cluster nodes only (heartbeats spared, so no failover): sync mode
    // re-sends, so writes finish, late. Loss on client links: a lost write or a lost
    // answer leaves the client guessing (unknown). The same rate, over five seeds.
    let (mut cluster, mut client) = (0, 0);
    for seed in 1..=5 {
        let c = run(
            Params {
                drop: 0.1,
                ..base.clone()
            },
            seed,
            vec![],
        );
        cluster += c.metrics().writes_unknown;
        let l = run(
            Params {
                client_drop: 0.1,
                ..base.clone()
            },
            seed,
            vec![],
        );
        client += l.metrics().writes_unknown;
        assert_eq!(l.metrics().acked_writes_lost, 0);
    }
    assert!(
        client > 3 * cluster + 3,
        "client links {client}, cluster links {cluster}"
    );
}

#[test]
fn bursts_make_false_suspicions_that_the_same_average_loss_spread_evenly_does_not() {
    // About 10 % of the time a link is in a burst that loses everything, against 10 %
    // lost at random: the same share, but a burst outlasts the failure detector's timeout.
    let base = Params {
        duration_ms: 60_000,
        heartbeat_ms: 100,
        timeout_ms: 400,
        ..Params::default()
    };
    let mut even = 0;
    let mut bursty = 0;
    for seed in 1..=10 {
        let e = run(
            Params {
                drop: 0.1,
                ..base.clone()
            },
            seed,
            vec![],
        );
        even += e.metrics().false_suspicions;
        let b = Params {
            burst_every_ms: 9_000,
            burst_ms: 1_000,
            ..base.clone()
        };
        bursty += run(b, seed, vec![]).metrics().false_suspicions;
    }
    assert!(bursty > even * 3 + 5, "bursty {bursty}, even {even}");
}

#[test]
fn a_clock_step_moves_the_offset_once_and_keeps_the_drift() {
    let p = Params {
        duration_ms: 3_000,
        ..Params::default()
    };
    let script = vec![
        (0, Command::Drift("n2".into(), 1000)),
        (1_000_000, Command::StepClock("n2".into(), -300)),
        (2_000_000, Command::StepClock("n2".into(), 500)),
    ];
    let sim = run(p, 1, script);
    let n = &sim.nodes()[1];
    assert_eq!(n.clock.skew_ms, 200);
    assert_eq!(n.clock.drift_ppm, 1000);
    // 3 s at +1000 ppm is +3 ms, plus the two steps.
    assert_eq!(n.clock.local_us(3_000_000), 3_000_000 + 3_000 + 200_000);
    assert_eq!(
        Command::parse("step-clock n2 -300"),
        Ok(Command::StepClock("n2".into(), -300))
    );
    assert!(Command::parse("step-clock n2").is_err());
}
