//! Split brain and its fix, counted over many seeds. In the `split-brain` scenario the
//! cut-off old primary keeps acknowledging writes while n2 is elected and also
//! acknowledges: two primaries at once, and the old one's writes are lost. With
//! `fencing = true` the same seeds lose none: n3 refuses the deposed primary's
//! writes, so it learns it was replaced and steps down while the partition lasts.

use distlab::lesson;
use distlab::sim::{EventKind, Msg, Sim};

const CUT_US: u64 = 8_000_000;
const HEAL_US: u64 = 20_000_000;

struct Run {
    lost: u64,
    failovers: u64,
    unknown: u64,
    /// Acknowledgements sent during the split (from 3 s after the cut to the heal), by
    /// the old primary and by n2.
    acks_old: u64,
    acks_new: u64,
    /// When the old primary first stepped down.
    stepped_down_us: Option<u64>,
}

fn run(seed: u64, fencing: bool) -> Run {
    let l = lesson::builtin().unwrap();
    let sc = l.scenario("split-brain").expect("the scenario ships");
    let mut set = toml::Table::new();
    set.insert("fencing".into(), toml::Value::Boolean(fencing));
    let mut sim = Sim::from_scenario_with(sc, seed, &set).unwrap();
    let (old, new) = (sim.node_id("n1").unwrap(), sim.node_id("n2").unwrap());
    let (mut acks_old, mut acks_new, mut stepped_down_us) = (0, 0, None);
    let mut sink = |e: &distlab::sim::Event| match &e.kind {
        EventKind::Sent(p)
            if matches!(p.msg, Msg::WriteOk { .. })
                && (CUT_US + 3_000_000..HEAL_US).contains(&e.t_us) =>
        {
            acks_old += u64::from(p.from == old);
            acks_new += u64::from(p.from == new);
        }
        EventKind::SteppedDown { node, .. } if *node == old => {
            stepped_down_us.get_or_insert(e.t_us);
        }
        _ => {}
    };
    sim.run_to_end(&mut sink);
    let m = sim.metrics();
    Run {
        lost: m.acked_writes_lost,
        failovers: m.failovers,
        unknown: m.writes_unknown,
        acks_old,
        acks_new,
        stepped_down_us,
    }
}

#[test]
fn without_fencing_two_primaries_acknowledge_and_writes_are_lost() {
    for seed in 1..=100 {
        let r = run(seed, false);
        assert!(r.failovers >= 1, "seed {seed}: n2 is elected");
        assert!(
            r.acks_old > 0 && r.acks_new > 0,
            "seed {seed}: both acknowledge during the split ({} and {})",
            r.acks_old,
            r.acks_new
        );
        assert!(
            r.stepped_down_us.is_some_and(|t| t >= HEAL_US),
            "seed {seed}: the old primary learns only when the partition heals"
        );
        assert!(r.lost > 0, "seed {seed}: its acknowledged writes are lost");
    }
}

#[test]
fn with_fencing_the_same_seeds_lose_nothing_and_the_old_primary_steps_down_at_once() {
    for seed in 1..=100 {
        let r = run(seed, true);
        assert!(r.failovers >= 1, "seed {seed}: n2 is still elected");
        assert!(
            r.stepped_down_us.is_some_and(|t| t < CUT_US + 3_000_000),
            "seed {seed}: n3's refusal tells the old primary at once ({:?})",
            r.stepped_down_us
        );
        assert_eq!(r.lost, 0, "seed {seed}");
        // The price is availability: the old primary still reaches n3, so it keeps
        // standing for election; the primary changes and writes time out.
        let unfenced = run(seed, false);
        assert!(
            r.failovers > unfenced.failovers && r.unknown > unfenced.unknown,
            "seed {seed}: fencing costs failovers ({} against {}) and timed-out writes \
             ({} against {})",
            r.failovers,
            unfenced.failovers,
            r.unknown,
            unfenced.unknown
        );
    }
}
