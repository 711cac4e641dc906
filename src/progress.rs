//! What distlab remembers between runs, per lesson: quiz attempts, best and last score,
//! each question's history and Leitner box, and where the learner stopped reading.
//!
//! [`ProgressStore`] loads the file, hands out [`LessonProgress`] to update, and saves
//! atomically. A corrupt file is moved aside with a [`ProgressWarning`], never lost.
//!
//! # Several processes at once
//!
//! A TUI left open and a `distlab quiz --plain` in another terminal share one file. So a
//! store does not write its whole copy back: each update method ([`record_answer`],
//! [`record_attempt`], [`set_reading`], and the store's `reset_lesson`) also notes the
//! *change* it made, and [`ProgressStore::save`] takes an exclusive lock, reads the file
//! afresh, replays this process's changes onto it, writes the result atomically and adopts
//! it. The merge rule:
//!
//! - **Answers** are replayed in order onto the file's question history: `asked` and `right`
//!   add up, `last` is the result of the latest replayed answer, and the Leitner box moves
//!   once per replayed answer from the box the file holds. Every process saves after every
//!   answer, so the replay order is the order the answers were saved in: two learners'
//!   answers interleave as they were given, to within one save.
//! - **Attempts** add up; `best` is the better of the file's best and each new attempt
//!   (as [`Score::beats`] decides); `last` is the latest by `finished_at` (the one saved
//!   later on a tie).
//! - **Reading position**: the last one saved wins; a process that did not move keeps the
//!   file's.
//! - **A lesson reset** removes the lesson from the file as it is when the reset is saved
//!   (callers save right after resetting), then the resetting process's later changes, if
//!   any, are replayed.
//!
//! Fields of [`LessonProgress`] changed by hand (not through its methods) are not merged.
//!
//! [`record_answer`]: LessonProgress::record_answer
//! [`record_attempt`]: LessonProgress::record_attempt
//! [`set_reading`]: LessonProgress::set_reading

mod atomic;
pub mod debounce;
mod lock;
pub mod report;
mod store;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::quiz::{Score, Summary, leitner};

pub use atomic::{remove_stale_temps, write_atomic, write_atomic_with};
pub use store::{ProgressError, ProgressStore, ProgressWarning};

/// Seconds since the Unix epoch (0 if the clock is before it): the time stamps that
/// progress files and corrupt-file names carry.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The progress file format this build writes. Version 2 files end with
/// [`END_MARKER`](store::END_MARKER); version 1 files (written before it existed) are
/// still read. See [`ProgressStore::open`].
pub const FORMAT_VERSION: u32 = 2;

/// Everything in a progress file: one entry per lesson id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Always [`FORMAT_VERSION`] when written by this build.
    pub format_version: u32,
    /// Progress per lesson, keyed by the lesson's id (e.g. `day001`).
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            lessons: BTreeMap::new(),
        }
    }
}

/// One lesson's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// Finished quiz attempts (every question answered).
    pub attempts: u32,
    /// The best finished attempt.
    pub best: Option<Attempt>,
    /// The most recent finished attempt.
    pub last: Option<Attempt>,
    /// The latest finished attempts, oldest first (at most [`RECENT_MAX`]): the trend the
    /// Quiz tab draws.
    pub recent: Vec<Attempt>,
    /// The attempt under way in the terminal app, if one was left unfinished: the app
    /// resumes it on the next start.
    pub open: Option<OpenAttempt>,
    /// Where the learner stopped reading.
    pub reading: Option<ReadingPosition>,
    /// History per question id.
    pub questions: BTreeMap<String, QuestionStats>,
    /// The changes made through the methods since the store last loaded or saved: what a
    /// save replays onto the file (see the [module docs](self)).
    #[serde(skip)]
    pending: Pending,
}

/// An unfinished attempt: the questions as asked, with their options' arrangement, and
/// the answers given so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpenAttempt {
    /// `practice` or `exam`.
    pub mode: String,
    pub questions: Vec<OpenQuestion>,
    /// The option picked for each question answered so far, as shown (0 is `a`).
    pub answers: Vec<usize>,
}

/// One question of an [`OpenAttempt`]: its id and the lesson's option indices in the order
/// shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpenQuestion {
    pub id: String,
    pub options: Vec<usize>,
}

/// Most finished attempts kept in [`LessonProgress::recent`].
pub const RECENT_MAX: usize = 10;

/// One change to a lesson's progress, as a save replays it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Answer { question_id: String, correct: bool },
    Attempt(Attempt),
    Reading(ReadingPosition),
    Open(Option<OpenAttempt>),
}

/// The changes not yet saved. They are bookkeeping, not progress: two lessons with the
/// same history are equal whatever each still has to save.
#[derive(Debug, Clone, Default)]
struct Pending(Vec<Change>);

impl PartialEq for Pending {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Pending {}

/// A finished quiz attempt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attempt {
    /// Questions answered right.
    pub right: u32,
    /// Questions asked.
    pub total: u32,
    /// Time taken, in whole seconds.
    pub elapsed_secs: u64,
    /// When it finished, in seconds since the Unix epoch (supplied by the caller).
    pub finished_at: u64,
}

impl Attempt {
    /// The attempt a finished session's summary describes; `finished_at` is Unix seconds.
    pub fn from_summary(summary: &Summary, finished_at: u64) -> Self {
        Self {
            right: summary.score.right,
            total: summary.score.total,
            elapsed_secs: summary.elapsed.as_secs(),
            finished_at,
        }
    }

    /// The score of this attempt.
    pub fn score(&self) -> Score {
        Score {
            right: self.right,
            total: self.total,
        }
    }
}

/// The result of the last time a question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LastResult {
    Right,
    Wrong,
}

/// One question's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionStats {
    /// Times asked (answered, right or wrong).
    pub asked: u32,
    /// Times answered right.
    pub right: u32,
    /// The last answer's result.
    pub last: Option<LastResult>,
    /// Leitner box, 1 to 5 (see [`leitner`]).
    #[serde(rename = "box")]
    pub leitner_box: u8,
}

impl Default for QuestionStats {
    fn default() -> Self {
        Self {
            asked: 0,
            right: 0,
            last: None,
            leitner_box: leitner::FIRST_BOX,
        }
    }
}

impl QuestionStats {
    /// Right answers over times asked (0 when never asked).
    pub fn right_ratio(&self) -> f64 {
        if self.asked == 0 {
            0.0
        } else {
            f64::from(self.right) / f64::from(self.asked)
        }
    }
}

/// A place in the lesson: a section (or concept) id and a line offset within it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingPosition {
    /// A section id (see `lesson::SECTIONS`) or a concept id.
    pub section: String,
    /// Lines scrolled past the start of that section.
    pub line: u32,
}

impl LessonProgress {
    /// Records one answer: counts it, remembers the result and moves the Leitner box.
    pub fn record_answer(&mut self, question_id: &str, correct: bool) {
        self.change(Change::Answer {
            question_id: question_id.to_owned(),
            correct,
        });
    }

    /// Records a finished attempt: counts it, makes it the best if it is, and the last
    /// unless the last one finished later.
    pub fn record_attempt(&mut self, attempt: Attempt) {
        self.change(Change::Attempt(attempt));
    }

    /// Remembers the attempt under way (or, with `None`, that none is).
    pub fn set_open(&mut self, open: Option<OpenAttempt>) {
        self.change(Change::Open(open));
    }

    /// Remembers where the learner is reading.
    pub fn set_reading(&mut self, section: impl Into<String>, line: u32) {
        self.change(Change::Reading(ReadingPosition {
            section: section.into(),
            line,
        }));
    }

    /// True when changes are waiting to be saved.
    pub fn has_unsaved_changes(&self) -> bool {
        !self.pending.0.is_empty()
    }

    /// Applies a change and keeps it for the next save. Only the latest reading position
    /// and open attempt are kept: the last one saved wins anyway.
    fn change(&mut self, change: Change) {
        self.apply(&change);
        if matches!(change, Change::Reading(_)) {
            self.pending.0.retain(|c| !matches!(c, Change::Reading(_)));
        }
        if matches!(change, Change::Open(_)) {
            self.pending.0.retain(|c| !matches!(c, Change::Open(_)));
        }
        self.pending.0.push(change);
    }

    /// Applies a change to this history (no bookkeeping): the merge rule of the module docs.
    fn apply(&mut self, change: &Change) {
        match change {
            Change::Answer {
                question_id,
                correct,
            } => {
                let stats = self.questions.entry(question_id.clone()).or_default();
                stats.asked = stats.asked.saturating_add(1);
                if *correct {
                    stats.right = stats.right.saturating_add(1);
                }
                stats.last = Some(if *correct {
                    LastResult::Right
                } else {
                    LastResult::Wrong
                });
                stats.leitner_box = leitner::next_box(stats.leitner_box, *correct);
            }
            Change::Attempt(attempt) => {
                self.attempts = self.attempts.saturating_add(1);
                if self
                    .last
                    .is_none_or(|last| attempt.finished_at >= last.finished_at)
                {
                    self.last = Some(*attempt);
                }
                let better = self
                    .best
                    .is_none_or(|best| attempt.score().beats(&best.score()));
                if better {
                    self.best = Some(*attempt);
                }
                let at = self
                    .recent
                    .partition_point(|a| a.finished_at <= attempt.finished_at);
                self.recent.insert(at, *attempt);
                if self.recent.len() > RECENT_MAX {
                    self.recent.remove(0);
                }
            }
            Change::Reading(position) => self.reading = Some(position.clone()),
            Change::Open(open) => self.open = open.clone(),
        }
    }

    /// Replays this lesson's unsaved changes onto `onto` (the same lesson as a file holds
    /// it); true if there were any.
    fn replay_onto(&self, onto: &mut LessonProgress) -> bool {
        for change in &self.pending.0 {
            onto.apply(change);
        }
        !self.pending.0.is_empty()
    }

    /// Forgets the unsaved changes (they are in the file now).
    fn mark_saved(&mut self) {
        self.pending.0.clear();
    }

    /// The Leitner box of a question, or `None` if it was never asked.
    pub fn box_of(&self, question_id: &str) -> Option<u8> {
        self.questions
            .get(question_id)
            .filter(|s| s.asked > 0)
            .map(|s| s.leitner_box)
    }

    /// Questions answered wrong at least once, weakest first: lowest right ratio, then
    /// lowest box, then id.
    pub fn weakest(&self) -> Vec<(&str, &QuestionStats)> {
        let mut weak: Vec<_> = self
            .questions
            .iter()
            .filter(|(_, s)| s.right < s.asked)
            .map(|(id, s)| (id.as_str(), s))
            .collect();
        weak.sort_by(|(a_id, a), (b_id, b)| {
            a.right_ratio()
                .total_cmp(&b.right_ratio())
                .then(a.leitner_box.cmp(&b.leitner_box))
                .then(a_id.cmp(b_id))
        });
        weak
    }

    /// Repairs values a hand edit may have broken: boxes out of range, more right than asked.
    fn normalize(&mut self) {
        for s in self.questions.values_mut() {
            s.leitner_box = leitner::clamp(s.leitner_box);
            s.right = s.right.min(s.asked);
        }
    }
}

impl Progress {
    /// Repairs every lesson (see [`LessonProgress`]'s checks).
    fn normalize(&mut self) {
        self.lessons
            .values_mut()
            .for_each(LessonProgress::normalize);
    }
}
