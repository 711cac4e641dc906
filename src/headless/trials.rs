//! Many trials of one scenario on every core. Trial `i` runs seed `first + i`; workers
//! take the next trial in seed order, and the counts are merged with sums and maxima,
//! which give the same totals in any order: the result is the same for any number of
//! jobs, and the same as one thread running the seeds in turn.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use super::HeadlessError::{self, Usage};
use crate::sim::{Metrics, Session, Template};

/// What one trial did, kept for every trial: enough for the spread across seeds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Outcome {
    pub events: u64,
    pub writes_issued: u64,
    pub writes_acked: u64,
    pub acked_writes_lost: u64,
    pub false_suspicions: u64,
    pub duplicate_charges: u64,
    pub orders_placed: u64,
}

impl Outcome {
    fn of(m: &Metrics, events: u64) -> Outcome {
        Outcome {
            events,
            writes_issued: m.writes_issued,
            writes_acked: m.writes_acked,
            acked_writes_lost: m.acked_writes_lost,
            false_suspicions: m.false_suspicions,
            duplicate_charges: m.duplicate_charges,
            orders_placed: m.orders_placed,
        }
    }
}

/// All the trials: their merged counts and each one's outcome, in seed order.
#[derive(Debug, Clone, Default)]
pub struct Trials {
    pub metrics: Metrics,
    pub events: u64,
    pub outcomes: Vec<Outcome>,
}

/// How many jobs to run when none is asked for: one per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The most simulated events some trials may take together, and what is bounded (for the
/// message: "one `--trials` run").
#[derive(Debug, Clone, Copy)]
pub struct Budget<'a> {
    pub events: u64,
    pub of: &'a str,
    /// Set from another thread to stop early (the TUI's Esc): the run ends with
    /// [`CANCELLED`].
    pub cancel: Option<&'a AtomicBool>,
}

/// The error of a run stopped through [`Budget::cancel`].
pub const CANCELLED: &str = "cancelled";

/// Runs `n` trials of `template` (seeds from `session.seed` on, each with the session's
/// commands) on `jobs` threads. `progress(done, n)` is called now and then from this
/// thread. Trials that together take more than the budget's events stop with a usage
/// error that says how many fit, at the same trial one thread would stop at.
pub fn run(
    template: &Template,
    session: &Session,
    n: u64,
    jobs: usize,
    budget: Budget,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Trials, HeadlessError> {
    let Budget {
        events: limit,
        of,
        cancel,
    } = budget;
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let jobs = jobs.clamp(1, n.clamp(1, 1024) as usize);
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let events = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let failure: Mutex<Option<(u64, HeadlessError)>> = Mutex::new(None);
    let worker = || {
        let mut merged = Metrics::default();
        let mut outcomes: Vec<(u64, Outcome)> = Vec::new();
        while !stop.load(Ordering::Relaxed) && !cancelled() {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            let mut sim = template.sim(session.seed.wrapping_add(i));
            sim.set_traced(false);
            if let Err(e) = super::drive(&mut sim, session, &mut |_| {}) {
                let mut first = failure.lock().unwrap_or_else(|p| p.into_inner());
                if first.as_ref().is_none_or(|(at, _)| i < *at) {
                    *first = Some((i, e));
                }
                stop.store(true, Ordering::Relaxed);
                break;
            }
            let e = sim.events_processed();
            merged.merge(sim.metrics());
            outcomes.push((i, Outcome::of(sim.metrics(), e)));
            if events.fetch_add(e, Ordering::Relaxed) + e > limit {
                stop.store(true, Ordering::Relaxed);
            }
            done.fetch_add(1, Ordering::Relaxed);
        }
        (merged, outcomes)
    };
    let parts = std::thread::scope(|s| {
        let handles: Vec<_> = (0..jobs).map(|_| s.spawn(worker)).collect();
        while !handles.iter().all(|h| h.is_finished()) {
            progress(done.load(Ordering::Relaxed), n);
            std::thread::sleep(Duration::from_millis(20));
        }
        let parts: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
        progress(done.load(Ordering::Relaxed), n);
        parts
    });
    if cancelled() {
        return Err(HeadlessError::Runtime(CANCELLED.to_owned()));
    }
    let mut all = Trials::default();
    let mut outcomes = Vec::new();
    for part in parts {
        let (merged, o) = part.map_err(|_| {
            HeadlessError::Runtime("a trial thread stopped unexpectedly".to_owned())
        })?;
        all.metrics.merge(&merged);
        outcomes.extend(o);
    }
    outcomes.sort_by_key(|(i, _)| *i);
    let failure = failure.into_inner().unwrap_or_else(|p| p.into_inner());
    let failed_at = failure.as_ref().map_or(n, |(i, _)| *i);
    // The trials before the first that failed form a prefix of the seeds: each worker
    // takes the next one and finishes it. One thread stops at the first trial whose
    // running total passes the budget, unless it is the last; so does this.
    let mut total = 0u64;
    for (i, o) in outcomes.iter().take_while(|(i, _)| *i < failed_at) {
        total += o.events;
        if total > limit && i + 1 < n {
            let per = total / (i + 1);
            return Err(Usage(format!(
                "stopped after {} of {n} trials: they took {total} simulated events, and \
                 {of} simulates at most {limit}; ask for fewer trials (about {} of these \
                 fit) or lighter parameters",
                i + 1,
                limit / per.max(1)
            )));
        }
    }
    if let Some((_, e)) = failure {
        return Err(e);
    }
    all.events = total;
    all.outcomes = outcomes.into_iter().map(|(_, o)| o).collect();
    Ok(all)
}
