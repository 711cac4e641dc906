//! Trade-offs (`T` in the lab): the lesson's sweeps run on every core in the background,
//! drawn as curves of one outcome against the first varied parameter, with the sweep's
//! caption and each of its claims judged on this very run. The terminal stays responsive
//! while the trials run; Esc cancels them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;

use crate::headless::HeadlessError;
use crate::headless::sweep::{self, Judged, Row};
use crate::lesson::{Lesson, Scenario, Sweep};
use crate::sim::sweep::OUTCOMES;

/// Something the learner asks of the Trade-offs view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradeAction {
    /// Open the view on the sweep of the scenario in the lab (or the first), and run it.
    Open,
    /// Esc: cancel the trials while they run; otherwise close the view.
    Close,
    NextSweep,
    PrevSweep,
    /// The next / previous outcome the curves show.
    NextOutcome,
    PrevOutcome,
    /// Run the sweep again on the next seeds (the same number of trials); after a
    /// cancel, on the same seeds.
    NewSeeds,
    /// Scroll the numbers and claims (where they do not all fit).
    ScrollDown,
    ScrollUp,
}

/// Finished runs, kept while the app runs: coming back to a sweep, or opening the view
/// again, shows its last run at once instead of running its thousands of trials again.
#[derive(Default)]
pub struct Kept {
    /// (sweep index, first seed) → the run's rows and judged claims.
    runs: Vec<KeptRun>,
    /// The first seed last shown of each sweep.
    seeds: Vec<(usize, u64)>,
}

/// A kept run: (sweep index, first seed), its rows, its judged claims.
type KeptRun = ((usize, u64), Vec<Row>, Vec<Judged>);

/// At most this many finished runs are kept (the oldest go first).
const KEPT_MAX: usize = 12;

impl Kept {
    fn take(&mut self, key: (usize, u64)) -> Option<(Vec<Row>, Vec<Judged>)> {
        let i = self.runs.iter().position(|(k, ..)| *k == key)?;
        let (_, rows, judged) = self.runs.remove(i);
        Some((rows, judged))
    }

    fn put(&mut self, key: (usize, u64), rows: Vec<Row>, judged: Vec<Judged>) {
        self.runs.retain(|(k, ..)| *k != key);
        if self.runs.len() >= KEPT_MAX {
            self.runs.remove(0);
        }
        self.runs.push((key, rows, judged));
    }

    fn seed_of(&self, index: usize) -> u64 {
        (self.seeds.iter().find(|(i, _)| *i == index)).map_or(1, |(_, s)| *s)
    }

    fn set_seed(&mut self, index: usize, seed: u64) {
        self.seeds.retain(|(i, _)| *i != index);
        self.seeds.push((index, seed));
    }
}

/// The background run of one sweep.
pub enum Run {
    Running {
        done: Arc<AtomicU64>,
        total: u64,
        cancel: Arc<AtomicBool>,
        handle: JoinHandle<Result<Vec<Row>, HeadlessError>>,
    },
    Done {
        rows: Vec<Row>,
        judged: Vec<Judged>,
    },
    Failed(String),
    Cancelled {
        done: u64,
        total: u64,
    },
}

/// The Trade-offs view's state.
pub struct TradeOffs {
    /// Which of the lesson's sweeps.
    pub index: usize,
    /// Index into [`OUTCOMES`] of the outcome the curves show.
    pub outcome: usize,
    /// The first seed of every row of the run shown.
    pub seed: u64,
    pub run: Run,
    /// The sweep running or shown, whose claims are judged when its trials finish.
    running_sweep: Option<Sweep>,
    /// How far the numbers and claims are scrolled (lines), and the farthest that shows
    /// anything new (the view sets it as it draws).
    pub scroll: usize,
    pub scroll_max: std::cell::Cell<usize>,
    /// What the last key did not do, and why.
    pub note: Option<String>,
    /// Earlier finished runs (see [`Kept`]).
    kept: Kept,
}

impl TradeOffs {
    /// The view on the sweep of `scenario` (the first sweep if it has none): its last run
    /// if `kept` has it, else running.
    pub fn open(lesson: &Lesson, scenario: Option<&str>, kept: Kept) -> Option<TradeOffs> {
        if lesson.sweeps.is_empty() {
            return None;
        }
        let index = scenario
            .and_then(|id| lesson.sweeps.iter().position(|s| s.scenario == id))
            .unwrap_or(0);
        let mut t = TradeOffs {
            index,
            outcome: 0,
            seed: kept.seed_of(index),
            run: Run::Cancelled { done: 0, total: 0 },
            running_sweep: None,
            scroll: 0,
            scroll_max: std::cell::Cell::new(0),
            note: None,
            kept,
        };
        t.start(lesson);
        Some(t)
    }

    /// Closes the view: the trials stop, and what finished is kept for next time.
    pub fn close(mut self) -> Kept {
        self.cancel();
        self.keep();
        self.kept
    }

    /// Puts a finished run shown now among the kept ones.
    fn keep(&mut self) {
        if let Run::Done { .. } = self.run {
            let Run::Done { rows, judged } =
                std::mem::replace(&mut self.run, Run::Cancelled { done: 0, total: 0 })
            else {
                return;
            };
            self.kept.put((self.index, self.seed), rows, judged);
        }
    }

    pub fn sweep<'a>(&self, lesson: &'a Lesson) -> &'a Sweep {
        &lesson.sweeps[self.index.min(lesson.sweeps.len() - 1)]
    }

    /// Whether trials are running (so the event loop keeps drawing the progress).
    pub fn running(&self) -> bool {
        matches!(self.run, Run::Running { .. })
    }

    /// Applies `action`; returns false when the view closes.
    pub fn update(&mut self, action: TradeAction, lesson: &Lesson) -> bool {
        let n = lesson.sweeps.len().max(1);
        self.note = None;
        match action {
            TradeAction::Open => {}
            TradeAction::Close if self.running() => self.cancel(),
            TradeAction::Close => return false,
            TradeAction::NextSweep | TradeAction::PrevSweep => {
                self.cancel();
                self.keep();
                self.index = if action == TradeAction::NextSweep {
                    (self.index + 1) % n
                } else {
                    (self.index + n - 1) % n
                };
                self.seed = self.kept.seed_of(self.index);
                self.start(lesson);
            }
            TradeAction::ScrollDown => {
                self.scroll = (self.scroll + 5).min(self.scroll_max.get());
            }
            TradeAction::ScrollUp => self.scroll = self.scroll.saturating_sub(5),
            TradeAction::NextOutcome | TradeAction::PrevOutcome => {
                let shown = self.shown_outcomes();
                if shown.len() == 1 {
                    self.note = Some(format!(
                        "this sweep measures one outcome only ({})",
                        OUTCOMES[shown[0]]
                    ));
                }
                self.scroll = 0;
                if let Some(at) = shown.iter().position(|&o| o == self.outcome) {
                    let k = shown.len();
                    let next = if action == TradeAction::NextOutcome {
                        (at + 1) % k
                    } else {
                        (at + k - 1) % k
                    };
                    self.outcome = shown[next];
                }
            }
            TradeAction::NewSeeds => {
                // A cancelled run runs again on its own seeds; a finished one moves on.
                let again = matches!(self.run, Run::Cancelled { .. } | Run::Failed(_));
                self.cancel();
                self.keep();
                if !again {
                    let trials =
                        sweep::lesson_request(self.sweep(lesson), 1, None, Default::default())
                            .trials;
                    self.seed = self.seed.saturating_add(trials);
                }
                self.start(lesson);
            }
        }
        true
    }

    /// Starts the sweep's trials on another thread, on every core.
    fn start(&mut self, lesson: &Lesson) {
        let sw = self.sweep(lesson).clone();
        self.outcome = first_claimed(&sw);
        self.scroll = 0;
        self.kept.set_seed(self.index, self.seed);
        if let Some((rows, judged)) = self.kept.take((self.index, self.seed)) {
            self.running_sweep = Some(sw);
            self.run = Run::Done { rows, judged };
            return;
        }
        let Some(sc) = lesson
            .scenarios
            .iter()
            .find(|s| s.id == sw.scenario)
            .cloned()
        else {
            self.run = Run::Failed(format!("no scenario `{}`", sw.scenario));
            return;
        };
        let mut req = sweep::lesson_request(&sw, self.seed, None, Default::default());
        let cancel = Arc::new(AtomicBool::new(false));
        req.cancel = Some(cancel.clone());
        let rows =
            crate::sim::sweep::axes(&req.vary).map_or(0, |a| crate::sim::sweep::grid(&a).len());
        let total = req.trials * rows as u64;
        self.running_sweep = Some(sw);
        let done = Arc::new(AtomicU64::new(0));
        let seen = done.clone();
        let handle = std::thread::spawn(move || {
            let sc: Scenario = sc;
            sweep::run_rows(&sc, &req, &mut |d, _| seen.store(d, Ordering::Relaxed))
        });
        self.run = Run::Running {
            done,
            total,
            cancel,
            handle,
        };
    }

    /// Stops the trials, if they run; the view says how far they got.
    fn cancel(&mut self) {
        if let Run::Running { cancel, .. } = &self.run {
            cancel.store(true, Ordering::Relaxed);
        }
        self.poll_until_done();
    }

    /// Waits for the trials' thread after a cancel (it stops within one trial).
    fn poll_until_done(&mut self) {
        if let Run::Running { .. } = self.run {
            let Run::Running {
                done,
                total,
                cancel,
                handle,
            } = std::mem::replace(&mut self.run, Run::Failed(String::new()))
            else {
                return;
            };
            self.run = finish(handle, &done, total, &cancel, &self.running_sweep);
        }
    }

    /// On each frame: takes the rows once the trials are done.
    pub fn poll(&mut self) {
        let finished = matches!(&self.run, Run::Running { handle, .. } if handle.is_finished());
        if finished {
            self.poll_until_done();
        }
    }

    /// How far the trials are: (done, total).
    pub fn progress(&self) -> (u64, u64) {
        match &self.run {
            Run::Running { done, total, .. } => (done.load(Ordering::Relaxed), *total),
            Run::Cancelled { done, total } => (*done, *total),
            Run::Done { rows, .. } => {
                let n: u64 = rows.iter().map(|r| r.trials.outcomes.len() as u64).sum();
                (n, n)
            }
            Run::Failed(_) => (0, 0),
        }
    }

    /// The outcomes some row measured (all of them before there are rows).
    pub fn shown_outcomes(&self) -> Vec<usize> {
        let Run::Done { rows, .. } = &self.run else {
            return (0..OUTCOMES.len()).collect();
        };
        (0..OUTCOMES.len())
            .filter(|&i| {
                rows.iter().any(|r| {
                    sweep::outcomes(r)
                        .iter()
                        .any(|c| c.name == OUTCOMES[i] && c.value.is_some())
                })
            })
            .collect()
    }
}

/// Joins a finished (or cancelled) run.
fn finish(
    handle: JoinHandle<Result<Vec<Row>, HeadlessError>>,
    done: &AtomicU64,
    total: u64,
    cancel: &AtomicBool,
    sweep: &Option<Sweep>,
) -> Run {
    let result = handle.join();
    if cancel.load(Ordering::Relaxed) {
        return Run::Cancelled {
            done: done.load(Ordering::Relaxed),
            total,
        };
    }
    match result {
        Ok(Ok(rows)) => {
            let judged = sweep
                .as_ref()
                .map_or(Vec::new(), |s| sweep::judge(s, &rows));
            Run::Done { rows, judged }
        }
        Ok(Err(e)) => Run::Failed(e.to_string()),
        Err(_) => Run::Failed("the sweep's thread stopped unexpectedly".into()),
    }
}

/// The outcome the sweep's first claim is about (what its caption teaches first).
fn first_claimed(sw: &Sweep) -> usize {
    sw.claims
        .iter()
        .find_map(|c| {
            let text = [&c.rises, &c.falls, &c.expect]
                .into_iter()
                .flatten()
                .map(|t| t.to_string())
                .next()?;
            OUTCOMES.iter().position(|o| text.contains(o))
        })
        .unwrap_or(0)
}
