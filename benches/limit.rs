//! The limit loop: about the least an event loop can do for the async-drop story, as a
//! yardstick for the simulator's own loop. One binary heap ordered by (time, sequence),
//! one seeded ChaCha8 generator, and the story's events: c1 writes one of eight keys every
//! 250 ms; the primary applies each write, answers at once and replicates it to two
//! replicas over links that lose half of the data messages (client links and heartbeats do
//! not); the replicas acknowledge; the primary's heartbeats every 200 ms re-arm each
//! replica's 1 s timeout; the primary crashes at 12 s and the lowest replica that times
//! out takes over; 30 s in all. Latency is uniform in 20-80 ms. Nothing is narrated,
//! checked or measured beyond counting events.
//!
//! `cargo bench --bench limit` reports both loops in events per second and prints the
//! ratio (the goal: the simulator at least 80% of this loop's speed).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use distlab::headless::scenarios;
use distlab::sim::Sim;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const PRIMARY: u8 = 0;
const CLIENT: u8 = 3;
const KEYS: usize = 8;

#[derive(Clone, Copy)]
enum Ev {
    Tick,
    Beat,
    Check {
        node: u8,
        generation: u32,
    },
    Crash,
    Deliver {
        from: u8,
        to: u8,
        msg: Msg,
        lost: bool,
    },
}

#[derive(Clone, Copy)]
enum Msg {
    Write { key: u8, value: u32 },
    WriteOk,
    Replicate { key: u8, value: u32 },
    Ack,
    Heartbeat,
}

struct Entry {
    at: u64,
    seq: u64,
    ev: Ev,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        (o.at, o.seq).cmp(&(self.at, self.seq))
    }
}

struct Loop {
    heap: BinaryHeap<Entry>,
    seq: u64,
    rng: ChaCha8Rng,
    now: u64,
    up: [bool; 4],
    primary: u8,
    heard: [u32; 4],
    store: [[u32; KEYS]; 4],
    next_value: u32,
    acked: u64,
}

impl Loop {
    fn push(&mut self, at: u64, ev: Ev) {
        self.seq += 1;
        self.heap.push(Entry {
            at,
            seq: self.seq,
            ev,
        });
    }

    fn send(&mut self, from: u8, to: u8, msg: Msg) {
        // The simulator's own draws: multiply-shift for a range, 53 bits for a fraction.
        let jitter = ((self.rng.next_u64() as u128 * 60_001) >> 64) as u64;
        let delay = 20_000 + jitter;
        let data = from != CLIENT && to != CLIENT && !matches!(msg, Msg::Heartbeat);
        let lost = data && ((self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < 0.5;
        let at = if lost {
            self.now + delay / 2
        } else {
            self.now + delay
        };
        self.push(
            at,
            Ev::Deliver {
                from,
                to,
                msg,
                lost,
            },
        );
    }

    fn run(seed: u64) -> u64 {
        let mut l = Loop {
            heap: BinaryHeap::new(),
            seq: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
            now: 0,
            up: [true; 4],
            primary: PRIMARY,
            heard: [0; 4],
            store: [[0; KEYS]; 4],
            next_value: 0,
            acked: 0,
        };
        l.push(250_000, Ev::Tick);
        l.push(200_000, Ev::Beat);
        l.push(12_000_000, Ev::Crash);
        let mut events = 0;
        while let Some(Entry { at, ev, .. }) = l.heap.pop() {
            if at > 30_000_000 {
                break;
            }
            l.now = at;
            events += 1;
            l.handle(ev);
        }
        std::hint::black_box(l.acked);
        events
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Tick => {
                self.next_value += 1;
                let key = (self.next_value as usize % KEYS) as u8;
                let value = self.next_value;
                self.send(CLIENT, self.primary, Msg::Write { key, value });
                self.push(self.now + 250_000, Ev::Tick);
            }
            Ev::Beat => {
                let p = self.primary;
                if self.up[p as usize] {
                    for r in (0..3).filter(|&r| r != p) {
                        self.send(p, r, Msg::Heartbeat);
                    }
                }
                self.push(self.now + 200_000, Ev::Beat);
            }
            Ev::Check { node, generation } => {
                let p = self.primary;
                if self.heard[node as usize] == generation && self.up[node as usize] && node != p {
                    // The lowest replica that times out takes over.
                    self.primary = node;
                }
            }
            Ev::Crash => self.up[self.primary as usize] = false,
            Ev::Deliver {
                from,
                to,
                msg,
                lost,
            } => {
                if lost || !self.up[to as usize] {
                    return;
                }
                match msg {
                    Msg::Write { key, value } => {
                        self.store[to as usize][key as usize] = value;
                        self.send(to, from, Msg::WriteOk);
                        for r in (0..3).filter(|&r| r != to) {
                            self.send(to, r, Msg::Replicate { key, value });
                        }
                    }
                    Msg::Replicate { key, value } => {
                        self.store[to as usize][key as usize] = value;
                        self.send(to, from, Msg::Ack);
                    }
                    Msg::WriteOk => self.acked += 1,
                    Msg::Ack => {}
                    Msg::Heartbeat => {
                        self.heard[to as usize] += 1;
                        let generation = self.heard[to as usize];
                        self.push(
                            self.now + 1_000_000,
                            Ev::Check {
                                node: to,
                                generation,
                            },
                        );
                    }
                }
            }
        }
    }
}

/// Nanoseconds per event and microseconds per run, over `runs` runs of `f` (seeds 1..).
fn timed(runs: u64, f: impl Fn(u64) -> u64) -> (f64, f64) {
    let started = Instant::now();
    let events: u64 = (1..=runs).map(&f).sum();
    let ns = started.elapsed().as_nanos() as f64;
    (ns / events as f64, ns / 1000.0 / runs as f64)
}

fn limit(c: &mut Criterion) {
    let all = scenarios(None).expect("built-in scenarios");
    let sc = all.iter().find(|s| s.id == "async-drop").expect("scenario");
    let template = Sim::template(sc, &toml::Table::new()).expect("builds");
    let distlab = |seed: u64| {
        // Untraced, as trials run: the limit loop narrates nothing either.
        let mut sim = template.sim(seed);
        sim.set_traced(false);
        sim.run_to_end(&mut |_| {});
        sim.events_processed()
    };
    // Warm both, then time them in turn; the medians of five rounds.
    timed(200, Loop::run);
    timed(200, distlab);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        a.push(timed(500, Loop::run));
        b.push(timed(500, distlab));
    }
    let median = |v: &mut Vec<(f64, f64)>, pick: fn(&(f64, f64)) -> f64| {
        let mut x: Vec<f64> = v.iter().map(pick).collect();
        x.sort_by(f64::total_cmp);
        x[2]
    };
    let (limit_ns, sim_ns) = (median(&mut a, |t| t.0), median(&mut b, |t| t.0));
    let (limit_run, sim_run) = (median(&mut a, |t| t.1), median(&mut b, |t| t.1));
    // Per event, and per run of the story (distlab leaves out events that would do
    // nothing, so the two can differ).
    eprintln!(
        "limit loop {limit_ns:.1} ns/event ({} events in seed 1's run), distlab {sim_ns:.1} \
         ns/event ({} events): distlab runs at {:.0}% of the limit loop's speed per event; \
         a run of the story takes {limit_run:.1} µs against {sim_run:.1} µs ({:.0}%)",
        Loop::run(1),
        distlab(1),
        100.0 * limit_ns / sim_ns,
        100.0 * limit_run / sim_run
    );
    let mut group = c.benchmark_group("limit");
    group.throughput(Throughput::Elements(Loop::run(1)));
    group.bench_function("minimal-loop-async-drop-story", |b| b.iter(|| Loop::run(1)));
    group.throughput(Throughput::Elements(distlab(1)));
    group.bench_function("distlab-async-drop", |b| b.iter(|| distlab(1)));
    group.finish();
}

criterion_group!(benches, limit);
criterion_main!(benches);
