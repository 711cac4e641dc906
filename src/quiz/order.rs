//! The order questions are asked in, and the order of each question's options.
//!
//! Three orders: the lesson's (course questions first), a reproducible shuffle of questions
//! and options from a seed, and Leitner review (lowest boxes first).

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::leitner;
use crate::lesson::Question;

/// One question to ask: its index in the lesson and how its options are arranged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Index of the question in the lesson's list.
    pub question: usize,
    /// `options[shown]` is the lesson's index of the option shown at position `shown`.
    pub options: Vec<usize>,
}

impl Slot {
    fn unshuffled(question: usize, q: &Question) -> Self {
        Self {
            question,
            options: (0..q.options.len()).collect(),
        }
    }
}

/// Lesson order, with the questions that come from the course first (each group keeps
/// the lesson's order); options as written.
pub fn lesson_order(questions: &[Question]) -> Vec<Slot> {
    let (course, ours): (Vec<_>, Vec<_>) = questions
        .iter()
        .enumerate()
        .partition(|(_, q)| q.from_course);
    course
        .into_iter()
        .chain(ours)
        .map(|(i, q)| Slot::unshuffled(i, q))
        .collect()
}

/// Questions and each question's options shuffled by a [`ChaCha8Rng`] seeded with `seed`:
/// the same seed gives the same order on every platform.
pub fn shuffled(questions: &[Question], seed: u64) -> Vec<Slot> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut slots: Vec<Slot> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| Slot::unshuffled(i, q))
        .collect();
    slots.shuffle(&mut rng);
    for slot in &mut slots {
        slot.options.shuffle(&mut rng);
    }
    slots
}

/// Leitner review order: lowest box first. `box_of` gives a question's box, or `None` if
/// it was never asked (it counts as box 1). Within a box, questions asked before (so the
/// ones just missed) come before those never asked; then lesson order.
pub fn review(questions: &[Question], box_of: impl Fn(&str) -> Option<u8>) -> Vec<Slot> {
    let mut keyed: Vec<((u8, bool, usize), Slot)> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let b = box_of(&q.id);
            let key = (b.map_or(leitner::FIRST_BOX, leitner::clamp), b.is_none(), i);
            (key, Slot::unshuffled(i, q))
        })
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, slot)| slot).collect()
}
