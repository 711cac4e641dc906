//! What distlab remembers between runs, per lesson: quiz attempts, best and last score,
//! each question's history and Leitner box, and where the learner stopped reading.
//!
//! [`ProgressStore`] loads the file once, hands out [`LessonProgress`] to update, and saves
//! atomically. A corrupt file is moved aside with a [`ProgressWarning`], never lost.

mod atomic;
pub mod report;
mod store;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::quiz::{Score, Summary, leitner};

pub use atomic::{write_atomic, write_atomic_with};
pub use store::{ProgressError, ProgressStore, ProgressWarning};

/// Seconds since the Unix epoch (0 if the clock is before it): the time stamps that
/// progress files and corrupt-file names carry.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The progress file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

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
    /// Where the learner stopped reading.
    pub reading: Option<ReadingPosition>,
    /// History per question id.
    pub questions: BTreeMap<String, QuestionStats>,
}

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
        let stats = self.questions.entry(question_id.to_owned()).or_default();
        stats.asked = stats.asked.saturating_add(1);
        if correct {
            stats.right = stats.right.saturating_add(1);
        }
        stats.last = Some(if correct {
            LastResult::Right
        } else {
            LastResult::Wrong
        });
        stats.leitner_box = leitner::next_box(stats.leitner_box, correct);
    }

    /// Records a finished attempt: counts it, makes it the last, and the best if it is.
    pub fn record_attempt(&mut self, attempt: Attempt) {
        self.attempts = self.attempts.saturating_add(1);
        self.last = Some(attempt);
        let better = self
            .best
            .is_none_or(|best| attempt.score().beats(&best.score()));
        if better {
            self.best = Some(attempt);
        }
    }

    /// Remembers where the learner is reading.
    pub fn set_reading(&mut self, section: impl Into<String>, line: u32) {
        self.reading = Some(ReadingPosition {
            section: section.into(),
            line,
        });
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
