//! The histories `distlab sim ID --history` writes, checked by an independent
//! linearizability checker (`tests/linearizable`, no simulator code), on 200 seeds per
//! case, with reads switched on (`read_ratio = 0.5`; reads go to the node the client
//! believes is primary unless the scenario says otherwise).
//!
//! Measured on seeds 1-200 (non-linearizable histories):
//!
//! | case                                        | checker rejects | sim: stale_reads > 0 |
//! |---------------------------------------------|-----------------|----------------------|
//! | sync-drop, 1 and 2 clients                  |   0 / 200 each  |   0                  |
//! | partition, mode = sync (replica reads)      |   0 / 200       |   0                  |
//! | quorum-crash, 1 client                      |   1 / 200 (192) |   1                  |
//! | quorum-crash, 2 clients                     |   4 / 200       |   4                  |
//! | async-drop                                  | 187 / 200       | 187                  |
//! | split-brain, fencing = false                | 200 / 200       | 200                  |
//! | split-brain, fencing = true                 |  41 / 200       |   4                  |
//! | partition (async, replica reads)            | 200 / 200       | 200                  |
//!
//! Every history the simulator counts a stale read in is rejected, and so is every one
//! where a read observed an acknowledged write's loss. The converse fails with fencing:
//! 37 rejected histories have no stale read by the simulator's definition (see
//! `every_non_linearizable_read_is_counted_by_the_simulator`).

mod common;
mod linearizable;

use std::sync::OnceLock;

use distlab::headless::report::history_line;
use distlab::lesson::{self, Lesson};
use distlab::sim::{EventKind, Sim, key_name};
use linearizable::{Op, Violation, check, check_history, ops, parse_line};

const SEEDS: u64 = 200;
const READS: (&str, &str) = ("read_ratio", "0.5");

fn lesson() -> &'static Lesson {
    static L: OnceLock<Lesson> = OnceLock::new();
    L.get_or_init(|| lesson::builtin().unwrap())
}

/// One run: its history (the lines `--history` writes) and what the simulator says.
struct Run {
    seed: u64,
    history: Vec<String>,
    verdict: Result<(), Box<Violation>>,
    reads_ok: u64,
    stale_reads: u64,
    acked_writes_lost: u64,
    /// An acknowledged write the simulator counted lost, and a later read that returned
    /// nil or a value written before that write began: the loss was observed.
    loss_observed: bool,
}

fn run(id: &str, seed: u64, set: &[(&str, &str)]) -> Run {
    let sc = lesson().scenario(id).expect("the scenario ships");
    let mut table = toml::Table::new();
    for (k, v) in set {
        table.insert((*k).into(), toml::Value::String((*v).into()));
    }
    let mut sim = Sim::from_scenario_with(sc, seed, &table).unwrap();
    let mut history = Vec::new();
    // (history length when it was lost, key, value) of each lost write.
    let mut lost = Vec::new();
    sim.run_to_end(&mut |e| match &e.kind {
        EventKind::Client(op) => history.push(history_line(e.t_us, op)),
        EventKind::WriteLost { key, value, .. } => {
            lost.push((history.len(), key_name(*key).to_string(), *value))
        }
        _ => {}
    });
    let lines: Vec<_> = history.iter().map(|l| parse_line(l).unwrap()).collect();
    // Also checks the history's shape: one operation at a time per process, and a fresh
    // process after each `info` (Jepsen's convention).
    let ops = ops(&lines).unwrap_or_else(|e| panic!("{id} seed {seed}: {e}"));
    let m = sim.metrics();
    Run {
        seed,
        loss_observed: lost.iter().any(|l| observed(&ops, l)),
        verdict: check(&ops),
        history,
        reads_ok: m.reads_ok,
        stale_reads: m.stale_reads,
        acked_writes_lost: m.acked_writes_lost,
    }
}

/// Did a read invoked after the loss return nil or a value whose write completed before
/// the lost write was invoked?
fn observed(ops: &[Op], (at, key, value): &(usize, String, i64)) -> bool {
    let Some(w) = (ops.iter()).find(|o| o.write && o.key == *key && o.value == Some(*value)) else {
        return false;
    };
    let older = |v: Option<i64>| {
        v.is_none()
            || ops.iter().any(|o| {
                o.write && o.key == *key && o.value == v && o.complete.is_some_and(|c| c < w.invoke)
            })
    };
    (ops.iter()).any(|r| !r.write && r.key == *key && r.invoke >= *at && older(r.value))
}

/// Runs seeds 1..=SEEDS and checks that the simulator's counters agree with the checker
/// in the direction that holds everywhere: a stale read the simulator counts, or a lost
/// write a read observed, is rejected; an accepted history has no stale read.
fn runs(id: &str, set: &[(&str, &str)]) -> Vec<Run> {
    let all: Vec<Run> = (1..=SEEDS).map(|seed| run(id, seed, set)).collect();
    for r in &all {
        let why = format!("{id} {set:?} seed {}", r.seed);
        assert!(r.reads_ok > 0, "{why}: the history has reads");
        if r.stale_reads > 0 || r.loss_observed {
            assert!(
                r.verdict.is_err(),
                "{why}: the simulator counts {} stale reads (a loss observed: {}), yet the \
                 checker finds a linearization",
                r.stale_reads,
                r.loss_observed
            );
        }
    }
    all
}

fn rejected(runs: &[Run]) -> Vec<&Run> {
    runs.iter().filter(|r| r.verdict.is_err()).collect()
}

/// Every seed linearizable, or the first counter-example in full.
fn assert_all_linearizable(id: &str, set: &[(&str, &str)], diagnosis: &str) {
    let all = runs(id, set);
    let bad = rejected(&all);
    if let Some(r) = bad.first() {
        let v = r.verdict.as_ref().unwrap_err();
        let ops: Vec<String> = v.ops.iter().map(|o| format!("  {o}")).collect();
        panic!(
            "{id} {set:?}: {} of {SEEDS} histories are not linearizable; seed {}: {v}\n\
             reproduce: distlab sim {id} --seed {}{} --history FILE\n{diagnosis}\n\
             operations on key {}:\n{}",
            bad.len(),
            r.seed,
            r.seed,
            set.iter()
                .map(|(k, v)| format!(" --set {k}={v}"))
                .collect::<String>(),
            v.key,
            ops.join("\n")
        );
    }
    for r in &all {
        assert_eq!(
            r.stale_reads, 0,
            "{id} seed {}: accepted, so no stale read",
            r.seed
        );
    }
}

#[test]
fn sync_histories_with_primary_reads_are_linearizable() {
    assert_all_linearizable("sync-drop", &[READS], "");
    assert_all_linearizable("sync-drop", &[READS, ("clients", "2")], "");
}

#[test]
fn sync_mode_in_the_partition_scenario_answers_no_stale_read() {
    // Its last caption asks: in sync mode, are the answers still stale, or are there no
    // answers? Reads from the cut-off replica-2 stay linearizable: no write can be
    // acknowledged without it.
    assert_all_linearizable("partition", &[("mode", "sync")], "");
}

/// Why quorum histories are not linearizable: see the diagnosis in the message.
const QUORUM_DIAGNOSIS: &str = "\
Diagnosis: any data node answers a read from its own store, whether or not it is serving \
as primary (src/sim/replication.rs:148, `Msg::Read`; writes check `serving` at :198). After \
the primary crashes, the client's read times out and it tries the next data node \
(src/sim/client.rs:377); replica-1, not primary and in the middle of an election, answers \
with a value older than an acknowledged write that only the primary and replica-2 held. \
A linearizable quorum read needs a node serving in the newest epoch that confirms it still \
leads (a heartbeat round to a majority, as Raft's ReadIndex, or a lease) and returns only \
committed values.";

#[test]
#[ignore = "simulator bug: replicas answer reads for the primary (src/sim/replication.rs:148); \
            quorum-crash seed 192 (1 client) and 4 of 200 seeds with 2 clients"]
fn quorum_histories_with_primary_reads_are_linearizable() {
    assert_all_linearizable("quorum-crash", &[READS], QUORUM_DIAGNOSIS);
    assert_all_linearizable("quorum-crash", &[READS, ("clients", "2")], QUORUM_DIAGNOSIS);
}

#[test]
fn quorum_reads_go_wrong_only_where_the_simulator_counts_a_stale_read() {
    // Until the bug above is fixed: the few rejected quorum histories (1 and 4 of 200)
    // are all stale reads the simulator counts, and no acknowledged write is lost.
    for clients in ["1", "2"] {
        let all = runs("quorum-crash", &[READS, ("clients", clients)]);
        for r in &all {
            assert_eq!(r.acked_writes_lost, 0, "seed {}", r.seed);
            assert_eq!(r.verdict.is_err(), r.stale_reads > 0, "seed {}", r.seed);
        }
        assert!(rejected(&all).len() <= 20, "clients {clients}");
    }
}

#[test]
fn async_drop_with_reads_is_not_linearizable_on_most_seeds() {
    // Measured: 187 of 200. Lost writes happen on 199; the rest lose writes no read sees.
    let all = runs("async-drop", &[READS]);
    let bad = rejected(&all).len();
    assert!(
        bad >= 160,
        "only {bad} of {SEEDS} async-drop histories are rejected"
    );
    for r in &all {
        assert_eq!(r.verdict.is_err(), r.stale_reads > 0, "seed {}", r.seed);
    }
}

#[test]
fn split_brain_without_fencing_is_not_linearizable() {
    // Measured: 200 of 200 (both primaries answer reads, and the old one's writes are lost).
    let all = runs("split-brain", &[READS]);
    let bad = rejected(&all).len();
    assert!(
        bad >= 190,
        "only {bad} of {SEEDS} split-brain histories are rejected"
    );
}

#[test]
fn split_brain_with_fencing_loses_no_write_but_reads_are_still_not_linearizable() {
    // Measured: 41 of 200 rejected, no acknowledged write lost. Fencing stops a deposed
    // primary's writes, not its reads: a node answers reads whatever its role, including
    // values it applied but never got a quorum for. E.g. seed 1, key x: x=47 acknowledged
    // at 12.50 s; replica-1 (primary of epoch 4) applies client-2's x=52 at 14.97 s, is
    // deposed at 15.04 s before a majority holds it, and still answers client-1's read
    // x=52 at 15.20 s; x=52 times out (info), the new primary gathered x=47, and client-2
    // reads x=47 from replica-2 at 17.25 s. Once 52 was read, 47 cannot come back.
    let all = runs("split-brain", &[READS, ("fencing", "true")]);
    for r in &all {
        assert_eq!(r.acked_writes_lost, 0, "seed {}", r.seed);
    }
    let bad = rejected(&all).len();
    assert!(
        bad >= 10,
        "only {bad} of {SEEDS}: fencing alone made reads linearizable?"
    );
}

#[test]
#[ignore = "simulator gap: no counter for a read of a value that is later rolled back \
            (split-brain fencing=true: 37 of 200 rejected histories with stale_reads == 0)"]
fn every_non_linearizable_read_is_counted_by_the_simulator() {
    // `stale_reads` counts a read older than a write acknowledged before it began
    // (src/sim/outcome.rs:123). It misses a read that returned a write's value before the
    // write was acknowledged (a primary answers reads from values it applied locally,
    // src/sim/replication.rs:244 and :148) when that write is then lost and a later read
    // returns the older value: both reads look fresh to it.
    let all = runs("split-brain", &[READS, ("fencing", "true")]);
    let missed: Vec<u64> = (all.iter())
        .filter(|r| r.verdict.is_err() && r.stale_reads == 0)
        .map(|r| r.seed)
        .collect();
    assert!(
        missed.is_empty(),
        "{} rejected histories with no stale read counted, seeds {missed:?}",
        missed.len()
    );
}

#[test]
fn async_partition_replica_reads_are_not_linearizable() {
    // The scenario's claim is about stale reads (`expect = "stale_reads > 0"`): every seed.
    let all = runs("partition", &[]);
    assert_eq!(rejected(&all).len(), SEEDS as usize);
}

#[test]
fn the_history_file_is_what_the_checker_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ops.jsonl");
    common::distlab()
        .args([
            "sim",
            "split-brain",
            "--seed",
            "3",
            "--set",
            "read_ratio=0.5",
        ])
        .arg("--history")
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    let r = run("split-brain", 3, &[READS]);
    assert_eq!(text.lines().collect::<Vec<_>>(), r.history);
    assert!(check_history(&text).unwrap().is_err());
    assert!(r.verdict.is_err());
}
