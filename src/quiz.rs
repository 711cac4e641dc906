//! The quiz, without a terminal: a [`QuizSession`] asks a lesson's questions in some order,
//! scores answers, gives feedback (at once in practice, at the end in an exam) and sums up.
//!
//! Everything here is pure: no IO, no wall clock, no global randomness. Orders come from
//! [`order`] (lesson order, a seeded shuffle, or Leitner review), and the caller supplies
//! elapsed time. Saved history lives in [`crate::progress`].

pub mod estimate;
/// Running a lab question lives with the lesson, whose validator runs them too.
pub use crate::lesson::lab_run as lab_question;
pub mod leitner;
pub mod order;
mod session;

pub use session::{AnswerError, Answered, Feedback, Guess, QuizSession, Summary};

use serde::{Deserialize, Serialize};

/// When the learner is told whether an answer was right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Feedback right after each answer, and a running score.
    #[default]
    Practice,
    /// No feedback until the end.
    Exam,
}

/// Which order a session asks its questions in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Lesson order, the course's own questions first; each attempt arranges the options
    /// in its own order (see [`attempt_seed`]).
    #[default]
    Lesson,
    /// Lesson order with the options as the lesson writes them (`--course-order`).
    Course,
    /// Questions and options shuffled reproducibly from this seed.
    Shuffled(u64),
    /// Leitner review: lowest boxes first.
    Review,
}

impl Order {
    /// One line saying what the order is, e.g. for the start of a quiz.
    pub fn describe(&self) -> String {
        match self {
            Order::Lesson => {
                "lesson order, the course's own questions first; options in this attempt's order"
                    .into()
            }
            Order::Course => "the course's order, options as written".into(),
            Order::Shuffled(seed) => {
                format!("shuffled with seed {seed} (repeat with --shuffle --seed {seed})")
            }
            Order::Review => {
                "review, questions in the lowest Leitner boxes first; options in this attempt's \
                 order"
                    .into()
            }
        }
    }
}

impl Mode {
    /// One line saying what the mode does.
    pub fn describe(&self) -> &'static str {
        match self {
            Mode::Practice => "practice: feedback after each answer",
            Mode::Exam => "exam: feedback at the end",
        }
    }
}

/// A score: `right` answers out of `total` questions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Questions answered right.
    pub right: u32,
    /// Questions counted.
    pub total: u32,
}

impl Score {
    /// True when `self` is a better result than `other`: a higher ratio of right answers,
    /// or the same ratio over more questions.
    pub fn beats(&self, other: &Score) -> bool {
        let mine = u64::from(self.right) * u64::from(other.total.max(1));
        let theirs = u64::from(other.right) * u64::from(self.total.max(1));
        mine > theirs || (mine == theirs && self.total > other.total)
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.right, self.total)
    }
}

pub use crate::lesson::letter;

/// The seed that arranges the options of a lesson's attempt number `attempt` (0 for the
/// first): each attempt shows them in another order, and the same attempt of the same
/// lesson always in the same one (`--seed N` replaces it).
pub fn attempt_seed(lesson_id: &str, attempt: u64) -> u64 {
    // FNV-1a of the lesson id, then the attempt mixed in (SplitMix64's finaliser).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in lesson_id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = h ^ attempt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A duration as minutes and seconds, `0:54` or `12:05`: the one way the quiz and the lab
/// show elapsed time and countdowns.
pub fn clock(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// The option index a letter names (`a`/`A` → 0), if it is a letter.
pub fn index_of_letter(c: char) -> Option<usize> {
    let c = c.to_ascii_lowercase();
    c.is_ascii_lowercase().then(|| usize::from(c as u8 - b'a'))
}
