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
    /// Run the sweep again on the next seeds (the same number of trials).
    NewSeeds,
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
}

impl TradeOffs {
    /// The view on the sweep of `scenario` (the first sweep if it has none), running.
    pub fn open(lesson: &Lesson, scenario: Option<&str>) -> Option<TradeOffs> {
        if lesson.sweeps.is_empty() {
            return None;
        }
        let index = scenario
            .and_then(|id| lesson.sweeps.iter().position(|s| s.scenario == id))
            .unwrap_or(0);
        let mut t = TradeOffs {
            index,
            outcome: 0,
            seed: 1,
            run: Run::Cancelled { done: 0, total: 0 },
            running_sweep: None,
        };
        t.start(lesson);
        Some(t)
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
        match action {
            TradeAction::Open => {}
            TradeAction::Close if self.running() => self.cancel(),
            TradeAction::Close => return false,
            TradeAction::NextSweep | TradeAction::PrevSweep => {
                self.cancel();
                self.index = if action == TradeAction::NextSweep {
                    (self.index + 1) % n
                } else {
                    (self.index + n - 1) % n
                };
                self.seed = 1;
                self.start(lesson);
            }
            TradeAction::NextOutcome | TradeAction::PrevOutcome => {
                let shown = self.shown_outcomes();
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
                self.cancel();
                let trials =
                    sweep::lesson_request(self.sweep(lesson), 1, None, Default::default()).trials;
                self.seed = self.seed.saturating_add(trials);
                self.start(lesson);
            }
        }
        true
    }

    /// Starts the sweep's trials on another thread, on every core.
    fn start(&mut self, lesson: &Lesson) {
        let sw = self.sweep(lesson).clone();
        self.outcome = first_claimed(&sw);
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
