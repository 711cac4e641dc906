//! The quiz session on the real Day 001 questions: order, scoring, modes, retry, shuffle,
//! and Leitner review order.

use std::collections::BTreeMap;
use std::time::Duration;

use distlab::lesson::{self, Question};
use distlab::quiz::{AnswerError, Mode, Order, QuizSession, Score, leitner};

fn questions() -> Vec<Question> {
    lesson::builtin().expect("built-in lesson").questions
}

/// A right and a wrong answer to the current question. An estimate question's answer comes
/// from the caller (see tests/quiz_estimate.rs for the real runs); here it is settled at the
/// bottom of its scale, so the bottom is right and the top is wrong.
fn picks(s: &mut QuizSession) -> (usize, usize) {
    let q = s.current().unwrap().clone();
    match &q.estimate {
        Some(spec) => {
            if s.needs_estimate() {
                s.settle_estimate(spec.min as f64);
            }
            (spec.min as usize, spec.max as usize)
        }
        None => (q.answer(), (q.answer() + 1) % q.options.len()),
    }
}

fn ids(s: &QuizSession) -> Vec<String> {
    let mut s = s.clone();
    let mut out = Vec::new();
    while let Some(q) = s.current() {
        out.push(q.id.to_string());
        let (right, _) = picks(&mut s);
        s.answer(right).unwrap();
    }
    out
}

/// Answers every question: right where `right(k)` says so (k counts from 0), else wrong.
fn answer_all(s: &mut QuizSession, right: impl Fn(usize) -> bool) {
    let mut k = 0;
    while s.current().is_some() {
        let (yes, no) = picks(s);
        s.answer(if right(k) { yes } else { no }).unwrap();
        k += 1;
    }
}

#[test]
fn lesson_order_puts_course_questions_first_and_keeps_the_rest_in_order() {
    let mut qs = questions();
    qs[6].from_course = true; // q7 pretends to come from the course
    let s = QuizSession::in_lesson_order(&qs, Mode::Practice);
    let got = ids(&s);
    assert_eq!(&got[..5], ["q1", "q2", "q3", "q7", "q4"]);
    assert_eq!(got.len(), qs.len());
    assert_eq!(got.last().unwrap(), qs.last().unwrap().id.as_str());
}

#[test]
fn practice_gives_feedback_at_once_and_keeps_a_running_score() {
    let qs = questions();
    let mut s = QuizSession::in_lesson_order(&qs, Mode::Practice);
    let right = s.current().unwrap().answer();
    let a = s.answer(right).unwrap();
    assert!(a.correct);
    let f = a.feedback.expect("practice shows feedback");
    assert_eq!(f.question_id, "q1");
    assert_eq!(f.checks, "messages");
    assert_eq!(f.right, right);
    assert_eq!(f.whys.len(), qs[0].options.len());
    assert_eq!(f.explanation, qs[0].explanation.as_str());

    let wrong = (s.current().unwrap().answer() + 1) % 3;
    let b = s.answer(wrong).unwrap();
    assert!(!b.correct);
    let f = b.feedback.unwrap();
    assert_eq!((f.chosen, f.correct), (wrong, false));
    assert_eq!(f.right_text, qs[1].options[qs[1].answer()].text.as_str());
    assert_eq!(s.score(), Score { right: 1, total: 2 });
    assert_eq!(s.number(), 3);
}

#[test]
fn exam_hides_feedback_until_the_summary() {
    let qs = questions();
    let mut s = QuizSession::in_lesson_order(&qs, Mode::Exam);
    let mut k = 0;
    while s.current().is_some() {
        let (right, wrong) = picks(&mut s);
        let a = s.answer(if k % 2 == 0 { right } else { wrong }).unwrap();
        assert!(a.feedback.is_none(), "no feedback during an exam");
        k += 1;
    }
    let sum = s.summary(Duration::from_secs(90));
    assert!(sum.complete);
    let n = qs.len();
    assert_eq!(
        sum.score,
        Score {
            right: n.div_ceil(2) as u32,
            total: n as u32
        }
    );
    assert_eq!(sum.results.len(), n);
    assert_eq!(sum.missed.len(), n / 2);
    assert_eq!(sum.elapsed, Duration::from_secs(90));
    assert!(sum.missed.iter().all(|f| !f.correct));
}

#[test]
fn invalid_answers_are_refused_and_not_scored() {
    let qs = questions();
    let mut s = QuizSession::in_lesson_order(&qs, Mode::Practice);
    assert_eq!(
        s.answer(3),
        Err(AnswerError::NotAnOption { index: 3, count: 3 })
    );
    assert_eq!(s.answered(), 0);
    assert_eq!(s.score(), Score::default());
    answer_all(&mut s, |_| true);
    assert!(s.is_finished());
    assert_eq!(s.answer(0), Err(AnswerError::Finished));
    let n = qs.len() as u32;
    assert_eq!(
        s.summary(Duration::ZERO).score,
        Score { right: n, total: n }
    );
}

#[test]
fn a_summary_part_way_counts_only_what_was_answered() {
    let qs = questions();
    let mut s = QuizSession::in_lesson_order(&qs, Mode::Practice);
    let a = s.current().unwrap().answer();
    s.answer(a).unwrap();
    let sum = s.summary(Duration::from_secs(5));
    assert!(!sum.complete);
    assert_eq!(
        (sum.score, sum.questions),
        (Score { right: 1, total: 1 }, qs.len())
    );
}

#[test]
fn retry_missed_asks_only_the_missed_questions_and_restart_asks_all() {
    let qs = questions();
    let mut s = QuizSession::in_lesson_order(&qs, Mode::Practice);
    answer_all(&mut s, |k| k != 1 && k != 4);
    let retry = s.retry_missed();
    assert_eq!(ids(&retry), ["q2", "q5"]);
    assert_eq!(retry.answered(), 0);
    let mut again = s.restart();
    assert_eq!(again.len(), qs.len());
    assert_eq!(ids(&again), ids(&s.restart()));
    answer_all(&mut again, |_| true);
    assert!(again.retry_missed().is_empty());
}

/// The shown questions as (id, option texts).
fn layout(s: &QuizSession) -> Vec<(String, Vec<String>)> {
    let mut s = s.clone();
    let mut out = Vec::new();
    while let Some(q) = s.current() {
        let opts = q.options.iter().map(|o| o.text.to_string()).collect();
        out.push((q.id.to_string(), opts));
        let (right, _) = picks(&mut s);
        s.answer(right).unwrap();
    }
    out
}

#[test]
fn shuffle_is_reproducible_and_different_seeds_differ() {
    let qs = questions();
    let a = layout(&QuizSession::shuffled(&qs, 42, Mode::Practice));
    let b = layout(&QuizSession::shuffled(&qs, 42, Mode::Practice));
    let c = layout(&QuizSession::shuffled(&qs, 43, Mode::Practice));
    assert_eq!(a, b);
    assert_ne!(a, c);
    let plain = layout(&QuizSession::in_lesson_order(&qs, Mode::Practice));
    assert_ne!(a, plain);
    // Options are shuffled too: some question shows its options in another order.
    let moved = a.iter().any(|(id, opts)| {
        let q = qs.iter().find(|q| q.id == id.as_str()).unwrap();
        opts.iter()
            .zip(&q.options)
            .any(|(o, orig)| o != orig.text.as_str())
    });
    assert!(moved, "no options moved");
}

#[test]
fn shuffled_questions_still_score_by_their_right_option() {
    let qs = questions();
    let mut s = QuizSession::shuffled(&qs, 7, Mode::Practice);
    while let Some(q) = s.current() {
        if q.estimate.is_some() {
            let (right, _) = picks(&mut s);
            assert!(s.answer(right).unwrap().correct);
            continue;
        }
        let orig = qs.iter().find(|o| o.id == q.id).unwrap();
        let right_text = &orig.options[orig.answer()].text;
        let shown = q
            .options
            .iter()
            .position(|o| &o.text == right_text)
            .unwrap();
        assert!(s.answer(shown).unwrap().correct);
    }
    let n = qs.len() as u32;
    assert_eq!(s.score(), Score { right: n, total: n });
}

#[test]
fn review_asks_lowest_boxes_first_then_lesson_order() {
    let qs = questions();
    let boxes: BTreeMap<&str, u8> = qs
        .iter()
        .map(|q| (q.id.as_str(), 3))
        .chain([("q9", 1), ("q4", 1), ("q2", 2), ("q12", 5)])
        .collect();
    let s = QuizSession::review(&qs, |id| boxes.get(id).copied(), Mode::Practice);
    let got = ids(&s);
    assert_eq!(&got[..3], ["q4", "q9", "q2"]);
    assert_eq!(&got[3..5], ["q1", "q3"]);
    assert_eq!(got.last().unwrap(), "q12");
}

#[test]
fn review_puts_missed_questions_before_never_asked_ones_in_box_1() {
    let qs = questions();
    let boxes = BTreeMap::from([("q1", 2u8), ("q2", 2), ("q3", 2), ("q10", 1)]);
    let s = QuizSession::review(&qs, |id| boxes.get(id).copied(), Mode::Practice);
    let got = ids(&s);
    assert_eq!(&got[..3], ["q10", "q4", "q5"]);
    assert_eq!(&got[got.len() - 3..], ["q1", "q2", "q3"]);
}

#[test]
fn leitner_boxes_follow_answers() {
    let mut b = leitner::FIRST_BOX;
    for expected in [2, 3, 4, 5, 5] {
        b = leitner::next_box(b, true);
        assert_eq!(b, expected);
    }
    assert_eq!(leitner::next_box(b, false), 1);
}

#[test]
fn a_better_score_beats_by_ratio_then_size() {
    let s = |right, total| Score { right, total };
    assert!(s(12, 15).beats(&s(11, 15)));
    assert!(s(3, 3).beats(&s(14, 15)));
    assert!(s(15, 15).beats(&s(3, 3)));
    assert!(!s(10, 15).beats(&s(10, 15)));
    assert!(s(1, 15).beats(&s(0, 0)));
}

#[test]
fn seed_42_gives_the_same_order_everywhere() {
    let qs = questions();
    let got: Vec<String> = layout(&QuizSession::shuffled(&qs, 42, Mode::Practice))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    // ChaCha8Rng is portable: a change here means every saved --seed now means another quiz.
    // Adding or removing a question also changes it: the pin names today's 30 questions.
    let pinned = [
        "q8", "e2", "q12", "d2", "e3", "q13", "q4", "d3", "e1", "q14", "q15", "t5", "t4", "q1",
        "p3", "q3", "q5", "t3", "q10", "q6", "d1", "p1", "q9", "t2", "t1", "p4", "q11", "p2", "q2",
        "q7",
    ];
    assert_eq!(got, pinned);
}

#[test]
fn with_order_picks_the_order_and_asks_for_boxes_only_in_review() {
    let qs = questions();
    let never = |_: &str| -> Option<u8> { panic!("boxes are only for review") };
    let lesson = QuizSession::with_order(&qs, Order::Course, Mode::Exam, never, 0);
    assert_eq!(
        ids(&lesson),
        ids(&QuizSession::in_lesson_order(&qs, Mode::Exam))
    );
    assert_eq!(lesson.mode(), Mode::Exam);
    let shuffled = QuizSession::with_order(&qs, Order::Shuffled(42), Mode::Practice, never, 0);
    assert_eq!(
        layout(&shuffled),
        layout(&QuizSession::shuffled(&qs, 42, Mode::Practice))
    );
    let review = QuizSession::with_order(
        &qs,
        Order::Review,
        Mode::Practice,
        |id| Some(if id == "q15" { 1 } else { 2 }),
        7,
    );
    assert_eq!(ids(&review)[0], "q15");
    assert!(Order::Shuffled(42).describe().contains("--seed 42"));
}

#[test]
fn each_attempt_arranges_the_options_anew_and_a_seed_repeats_one() {
    let qs = lesson::builtin().unwrap().questions;
    let never = |_: &str| None;
    let attempt = |n: u64| {
        layout(&QuizSession::with_order(
            &qs,
            Order::Lesson,
            Mode::Practice,
            never,
            distlab::quiz::attempt_seed("day001", n),
        ))
    };
    assert_eq!(
        attempt(0),
        attempt(0),
        "the same attempt, the same arrangement"
    );
    assert_ne!(attempt(0), attempt(1), "the next attempt, another one");
    let course = layout(&QuizSession::with_order(
        &qs,
        Order::Course,
        Mode::Practice,
        never,
        9,
    ));
    assert_eq!(
        course,
        layout(&QuizSession::in_lesson_order(&qs, Mode::Practice))
    );
    // Over many attempts the right answer sits at every letter, not always at one.
    let mut letters = std::collections::BTreeSet::new();
    for n in 0..20 {
        let s = QuizSession::with_order(
            &qs,
            Order::Lesson,
            Mode::Practice,
            never,
            distlab::quiz::attempt_seed("day001", n),
        );
        letters.insert(s.current().unwrap().answer());
    }
    assert!(letters.len() >= 3, "{letters:?}");
}

#[test]
fn always_picking_the_longest_option_scores_at_most_40_percent() {
    let l = lesson::builtin().unwrap();
    let qs = l.questions.clone();
    // Estimate questions have no options: the lazy learner leaves the guess where it starts.
    let answers: BTreeMap<String, f64> = (qs.iter())
        .filter(|q| q.estimate.is_some())
        .map(|q| {
            let e = distlab::quiz::estimate::compute(&l, q).unwrap();
            (q.id.to_string(), e.answer)
        })
        .collect();
    for seed in 0..5 {
        let mut s = QuizSession::with_order(
            &qs,
            Order::Lesson,
            Mode::Practice,
            |_| None,
            distlab::quiz::attempt_seed("day001", seed),
        );
        while let Some(q) = s.current() {
            if let Some(spec) = &q.estimate {
                let start = distlab::quiz::estimate::start(spec) as usize;
                let answer = answers[q.id.as_str()];
                s.settle_estimate(answer);
                s.answer(start).unwrap();
                continue;
            }
            let longest = (0..q.options.len())
                .max_by_key(|&i| q.options[i].text.chars().count())
                .unwrap();
            s.answer(longest).unwrap();
        }
        let score = s.score();
        assert!(
            score.right * 100 <= 40 * score.total,
            "attempt {seed}: picking the longest scores {score}"
        );
    }
    assert!(distlab::lesson::cues::longest_key_warning(&lesson::builtin().unwrap()).is_none());
}
