//! [`QuizSession`]: one pass over a list of questions, scored as it goes.

use std::time::Duration;

use super::order::{self, Slot};
use super::{Mode, Order, Score};
use crate::lesson::Question;

/// A quiz in progress: the questions in asking order (options arranged as shown), the
/// answers given so far, and the mode.
#[derive(Debug, Clone)]
pub struct QuizSession {
    mode: Mode,
    items: Vec<Item>,
    /// `chosen[k]` is the option picked for `items[k]`; answered questions are a prefix.
    chosen: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Item {
    lesson_index: usize,
    /// `options[shown]` is the lesson's index of the option shown at `shown`.
    options: Vec<usize>,
    /// The question with its options in the order shown.
    question: Question,
    /// For an estimate question: the answer the runs computed (see
    /// [`QuizSession::settle_estimate`]), needed before it can be answered.
    truth: Option<f64>,
}

/// What the learner is told about one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    /// The question's 1-based number in this session ("Question K/N").
    pub number: usize,
    /// The question's id (keys saved progress).
    pub question_id: String,
    /// The question's text.
    pub text: String,
    /// The question's index in the lesson.
    pub lesson_index: usize,
    /// The concept or section id the question checks (a key can jump there).
    pub checks: String,
    /// Whether the chosen option was the right one.
    pub correct: bool,
    /// The option chosen, as shown (0 is `a`).
    pub chosen: usize,
    /// The right option, as shown.
    pub right: usize,
    /// The right option's text.
    pub right_text: String,
    /// Why the right answer is right.
    pub explanation: String,
    /// Each option's text, as shown (empty for an estimate question).
    pub options: Vec<String>,
    /// For each option as shown: why it is right or wrong.
    pub whys: Vec<String>,
    /// For an estimate question: the guess and the answer.
    pub estimate: Option<Guess>,
}

/// An estimate question's guess against its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    pub guess: u64,
    /// The answer the runs computed.
    pub answer: f64,
    /// How far from the answer a guess may be and count as right.
    pub close: u64,
    pub unit: String,
}

/// The result of [`QuizSession::answer`].
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The question's id, for recording progress.
    pub question_id: String,
    /// Whether the answer was right (for progress; an exam does not show it yet).
    pub correct: bool,
    /// What to show now: `Some` in practice, `None` in an exam.
    pub feedback: Option<Feedback>,
}

/// Why an answer was not accepted. Nothing is scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Every question has been answered already.
    #[error("the quiz is over; there is no question to answer")]
    Finished,
    /// The index names no option of the current question.
    #[error("option {index} does not exist; this question has {count} options")]
    NotAnOption { index: usize, count: usize },
    /// An estimate outside the question's scale.
    #[error("{guess} is off the scale; expected {min} to {max}")]
    OffTheScale { guess: usize, min: u64, max: u64 },
    /// An estimate question whose answer has not been computed yet.
    #[error("this question's runs have not been made yet")]
    NotSettled,
}

/// The end (or a stop part-way): the score, the time taken and what went wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Right answers out of the questions answered.
    pub score: Score,
    /// How many questions the session has in all.
    pub questions: usize,
    /// Whether every question was answered.
    pub complete: bool,
    /// Time taken, as supplied by the caller.
    pub elapsed: Duration,
    /// Feedback for every answered question, in asking order (an exam shows it here).
    pub results: Vec<Feedback>,
    /// The questions answered wrong, in asking order.
    pub missed: Vec<Feedback>,
}

impl QuizSession {
    /// A session asking `questions` in the order given by `slots` (see [`order`]).
    /// Slots naming no question are skipped.
    pub fn new(questions: &[Question], slots: Vec<Slot>, mode: Mode) -> Self {
        let items = slots
            .into_iter()
            .filter_map(|slot| {
                let q = questions.get(slot.question)?;
                let mut question = q.clone();
                let options: Vec<usize> = (slot.options.iter().copied())
                    .filter(|&o| o < q.options.len())
                    .collect();
                question.options = options.iter().map(|&o| q.options[o].clone()).collect();
                Some(Item {
                    lesson_index: slot.question,
                    options,
                    question,
                    truth: None,
                })
            })
            .collect();
        Self {
            mode,
            items,
            chosen: Vec::new(),
        }
    }

    /// A session in `order`; `box_of` gives Leitner boxes for [`Order::Review`] (see
    /// [`order::review`]) and is not called otherwise. `options_seed` arranges the options
    /// of [`Order::Lesson`] and [`Order::Review`] (see [`super::attempt_seed`]).
    pub fn with_order(
        questions: &[Question],
        order: Order,
        mode: Mode,
        box_of: impl Fn(&str) -> Option<u8>,
        options_seed: u64,
    ) -> Self {
        match order {
            Order::Lesson => {
                Self::in_lesson_order(questions, mode).with_options_shuffled(options_seed)
            }
            Order::Course => Self::in_lesson_order(questions, mode),
            Order::Shuffled(seed) => Self::shuffled(questions, seed, mode),
            Order::Review => {
                Self::review(questions, box_of, mode).with_options_shuffled(options_seed)
            }
        }
    }

    /// Lesson order, course questions first.
    pub fn in_lesson_order(questions: &[Question], mode: Mode) -> Self {
        Self::new(questions, order::lesson_order(questions), mode)
    }

    /// Questions and options shuffled reproducibly from `seed`.
    pub fn shuffled(questions: &[Question], seed: u64, mode: Mode) -> Self {
        Self::new(questions, order::shuffled(questions, seed), mode)
    }

    /// Leitner review: lowest boxes first (`box_of` as in [`order::review`]).
    pub fn review(questions: &[Question], box_of: impl Fn(&str) -> Option<u8>, mode: Mode) -> Self {
        Self::new(questions, order::review(questions, box_of), mode)
    }

    /// The same session with each question's options shuffled by a [`ChaCha8Rng`] seeded
    /// with `seed` (see [`super::attempt_seed`]): an attempt's own arrangement, so the right
    /// answer's letter is not something to remember. Answers given so far are kept only if
    /// none were given.
    ///
    /// [`ChaCha8Rng`]: rand_chacha::ChaCha8Rng
    pub fn with_options_shuffled(mut self, seed: u64) -> Self {
        use rand::SeedableRng;
        use rand::seq::SliceRandom;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        for item in &mut self.items {
            let mut perm: Vec<usize> = (0..item.options.len()).collect();
            perm.shuffle(&mut rng);
            item.options = perm.iter().map(|&i| item.options[i]).collect();
            let shown = std::mem::take(&mut item.question.options);
            item.question.options = perm.iter().map(|&i| shown[i].clone()).collect();
        }
        self.chosen.clear();
        self
    }

    /// The questions as asked: each one's lesson index and how its options are arranged,
    /// so an unfinished attempt can be saved and resumed exactly ([`QuizSession::resume`]).
    pub fn slots(&self) -> Vec<Slot> {
        self.items
            .iter()
            .map(|i| Slot {
                question: i.lesson_index,
                options: i.options.clone(),
            })
            .collect()
    }

    /// The options picked so far, as shown (0 is `a`), in asking order.
    pub fn chosen(&self) -> &[usize] {
        &self.chosen
    }

    /// An attempt asked in `slots` with `chosen` already answered (the same questions and
    /// arrangement as when it was saved); `None` if the answers do not fit the questions.
    /// `answer_of` computes an estimate question's answer again (it is not saved).
    pub fn resume(
        questions: &[Question],
        slots: Vec<Slot>,
        mode: Mode,
        chosen: &[usize],
        mut answer_of: impl FnMut(&Question) -> Option<f64>,
    ) -> Option<Self> {
        let expected = slots.len();
        let mut s = Self::new(questions, slots, mode);
        if s.items.len() != expected || chosen.len() > expected {
            return None;
        }
        for &c in chosen {
            if s.needs_estimate() {
                let q = s.current()?;
                let answer = answer_of(q)?;
                s.settle_estimate(answer);
            }
            s.answer(c).ok()?;
        }
        Some(s)
    }

    /// True when the current question is an estimate question whose answer is not known
    /// yet: compute it ([`super::estimate::compute`]) and [`QuizSession::settle_estimate`].
    pub fn needs_estimate(&self) -> bool {
        self.items
            .get(self.chosen.len())
            .is_some_and(|i| i.question.estimate.is_some() && i.truth.is_none())
    }

    /// Gives the current estimate question the answer its runs computed.
    pub fn settle_estimate(&mut self, answer: f64) {
        if let Some(item) = self.items.get_mut(self.chosen.len())
            && item.question.estimate.is_some()
        {
            item.truth = Some(answer);
        }
    }

    /// Practice or exam.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// How many questions this session asks.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when the session has no questions at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many questions have been answered.
    pub fn answered(&self) -> usize {
        self.chosen.len()
    }

    /// True when every question has been answered.
    pub fn is_finished(&self) -> bool {
        self.chosen.len() >= self.items.len()
    }

    /// The question to answer now, options in the order shown; `None` when finished.
    pub fn current(&self) -> Option<&Question> {
        self.items.get(self.chosen.len()).map(|i| &i.question)
    }

    /// The 1-based number of the current question (`K` in "Question K/N").
    pub fn number(&self) -> usize {
        (self.chosen.len() + 1).min(self.items.len())
    }

    /// Answers the current question with the option shown at `index` (0 is `a`), or for an
    /// estimate question with the guess `index` (once its answer is settled).
    pub fn answer(&mut self, index: usize) -> Result<Answered, AnswerError> {
        let k = self.chosen.len();
        let item = self.items.get(k).ok_or(AnswerError::Finished)?;
        if let Some(spec) = &item.question.estimate {
            item.truth.ok_or(AnswerError::NotSettled)?;
            let guess = index as u64;
            if guess < spec.min || guess > spec.max {
                let (min, max) = (spec.min, spec.max);
                return Err(AnswerError::OffTheScale {
                    guess: index,
                    min,
                    max,
                });
            }
        } else {
            let count = item.question.options.len();
            if index >= count {
                return Err(AnswerError::NotAnOption { index, count });
            }
        }
        self.chosen.push(index);
        let feedback = self.feedback(k);
        Ok(Answered {
            question_id: feedback.question_id.clone(),
            correct: feedback.correct,
            feedback: (self.mode == Mode::Practice).then_some(feedback),
        })
    }

    /// Right answers so far out of answers so far. An exam should not show it until the end.
    pub fn score(&self) -> Score {
        let right = (0..self.chosen.len()).filter(|&k| self.is_right(k)).count();
        Score {
            right: to_u32(right),
            total: to_u32(self.chosen.len()),
        }
    }

    /// The summary of what has been answered so far; `elapsed` comes from the caller.
    pub fn summary(&self, elapsed: Duration) -> Summary {
        let results: Vec<Feedback> = (0..self.chosen.len()).map(|k| self.feedback(k)).collect();
        let missed = results.iter().filter(|f| !f.correct).cloned().collect();
        Summary {
            score: self.score(),
            questions: self.items.len(),
            complete: self.is_finished(),
            elapsed,
            results,
            missed,
        }
    }

    /// A new session asking only the questions answered wrong, in the same order, with
    /// options arranged as before. Empty if nothing was missed.
    pub fn retry_missed(&self) -> Self {
        let items = (0..self.chosen.len())
            .filter(|&k| !self.is_right(k))
            .map(|k| self.items[k].clone())
            .collect();
        Self {
            mode: self.mode,
            items,
            chosen: Vec::new(),
        }
    }

    /// The same questions in the same order, nothing answered yet.
    pub fn restart(&self) -> Self {
        Self {
            mode: self.mode,
            items: self.items.clone(),
            chosen: Vec::new(),
        }
    }

    fn is_right(&self, k: usize) -> bool {
        let item = &self.items[k];
        match (&item.question.estimate, item.truth) {
            (Some(spec), Some(answer)) => {
                super::estimate::is_close(spec, self.chosen[k] as u64, answer)
            }
            (Some(_), None) => false,
            (None, _) => self.chosen[k] == item.question.answer(),
        }
    }

    fn feedback(&self, k: usize) -> Feedback {
        let Item {
            lesson_index,
            question: q,
            truth,
            ..
        } = &self.items[k];
        let right = q.answer();
        let estimate = q.estimate.as_ref().map(|spec| Guess {
            guess: self.chosen[k] as u64,
            answer: truth.unwrap_or(f64::NAN),
            close: spec.close,
            unit: spec.unit.to_string(),
        });
        let right_text = match &estimate {
            Some(g) => super::estimate::with_unit(g.answer, &g.unit),
            None => q
                .options
                .get(right)
                .map(|o| o.text.to_string())
                .unwrap_or_default(),
        };
        Feedback {
            number: k + 1,
            question_id: q.id.to_string(),
            text: q.text.to_string(),
            lesson_index: *lesson_index,
            checks: q.checks.to_string(),
            correct: self.is_right(k),
            chosen: self.chosen[k],
            right,
            right_text,
            explanation: q.explanation.to_string(),
            options: q.options.iter().map(|o| o.text.to_string()).collect(),
            whys: q.options.iter().map(|o| o.why.to_string()).collect(),
            estimate,
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
