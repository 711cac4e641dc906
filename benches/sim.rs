//! Simulator throughput: events per second for whole scenario runs with no trace kept.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use distlab::headless::scenarios;
use distlab::sim::Sim;

fn throughput(c: &mut Criterion) {
    let all = scenarios(None).expect("built-in scenarios");
    let mut group = c.benchmark_group("sim");
    for id in ["async-drop", "quorum-crash", "checkout", "sharding"] {
        let sc = all.iter().find(|s| s.id == id).expect("scenario");
        // Events in one run of seed 1, so criterion reports events per second.
        let mut probe = Sim::from_scenario(sc, 1).expect("builds");
        probe.run_to_end(&mut |_| {});
        group.throughput(Throughput::Elements(probe.events_processed()));
        group.bench_function(id, |b| {
            b.iter(|| {
                let mut sim = Sim::from_scenario(sc, 1).expect("builds");
                sim.run_to_end(&mut |_| {});
                sim.events_processed()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
