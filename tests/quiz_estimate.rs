//! Estimate questions: the answer is what the runs compute (checked against runs made here,
//! one by one, with a median computed here), the explanation's claim holds, a guess is
//! scored by closeness, and an attempt with estimates resumes with the same score.

use distlab::lesson::{self, Lesson, Question, QuestionKind};
use distlab::quiz::estimate;
use distlab::quiz::order::Slot;
use distlab::quiz::{AnswerError, Mode, QuizSession};
use distlab::sim::{Expect, Sim};

fn builtin() -> Lesson {
    lesson::builtin().expect("built-in lesson")
}

fn estimates(l: &Lesson) -> Vec<&Question> {
    l.questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Estimate)
        .collect()
}

/// The outcome `key` of each run, seeds 1 to `runs`, made one at a time.
fn one_by_one(l: &Lesson, q: &Question, key: &str) -> Vec<(f64, distlab::sim::Metrics)> {
    let spec = q.estimate.as_ref().unwrap();
    let scenario = l.scenario(q.scenario.as_deref().unwrap()).unwrap();
    let set: toml::Table = q.set.clone().into_iter().collect();
    (1..=spec.runs)
        .map(|seed| {
            let mut sim = Sim::from_scenario_with(scenario, seed, &set).unwrap();
            let end = q.until_ms.unwrap_or(sim.params().duration_ms) * 1000;
            sim.run_until(end, &mut |_| {});
            sim.finish(&mut |_| {});
            let m = sim.metrics().clone();
            let v = m
                .values()
                .into_iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap();
            (v, m)
        })
        .collect()
}

#[test]
fn the_lesson_asks_at_least_three_numbers_of_both_kinds() {
    let l = builtin();
    let e = estimates(&l);
    assert!(e.len() >= 3, "{} estimate questions", e.len());
    let specs: Vec<_> = e.iter().map(|q| q.estimate.as_ref().unwrap()).collect();
    assert!(specs.iter().any(|s| s.count.is_some()));
    assert!(specs.iter().any(|s| s.median.is_some()));
}

#[test]
fn each_answer_is_what_the_runs_compute_one_by_one_and_bears_out_the_explanation() {
    let l = builtin();
    for q in estimates(&l) {
        let spec = q.estimate.as_ref().unwrap();
        let got = estimate::compute(&l, q).unwrap();
        let runs = one_by_one(&l, q, &got.outcome);
        let values: Vec<f64> = runs.iter().map(|(v, _)| *v).collect();
        assert_eq!(got.values, values, "{}: the values, seed by seed", q.id);
        let answer = match (&spec.count, &spec.median) {
            (Some(claim), None) => {
                let claim = Expect::parse(claim).unwrap();
                runs.iter().filter(|(_, m)| claim.holds(m)).count() as f64
            }
            (None, Some(_)) => {
                let mut v = values.clone();
                v.sort_by(|a, b| a.partial_cmp(b).unwrap());
                let n = v.len();
                if n % 2 == 1 {
                    v[n / 2]
                } else {
                    (v[n / 2 - 1] + v[n / 2]) / 2.0
                }
            }
            _ => unreachable!(),
        };
        assert_eq!(got.answer, answer, "{}", q.id);
        let claim = Expect::parse_over(q.expect.as_deref().unwrap(), &["answer"]).unwrap();
        assert!(
            claim.holds_for(&[("answer".into(), answer)]),
            "{}: the explanation says {claim}, the runs say {answer}",
            q.id
        );
        assert!(
            (spec.min as f64..=spec.max as f64).contains(&answer),
            "{}: the answer {answer} is on the scale",
            q.id
        );
        // The bars hold every run once.
        assert_eq!(
            got.bins().iter().map(|b| b.runs).sum::<usize>(),
            spec.runs as usize
        );
    }
}

/// A session of the lesson's first estimate question alone.
fn one_estimate(l: &Lesson) -> (QuizSession, usize) {
    let index = l
        .questions
        .iter()
        .position(|q| q.kind == QuestionKind::Estimate)
        .unwrap();
    let slots = vec![Slot {
        question: index,
        options: Vec::new(),
    }];
    (QuizSession::new(&l.questions, slots, Mode::Practice), index)
}

#[test]
fn a_guess_is_right_within_close_of_the_answer_and_wrong_beyond() {
    let l = builtin();
    let (s, index) = one_estimate(&l);
    let spec = l.questions[index].estimate.clone().unwrap();
    let mut unsettled = s.clone();
    assert_eq!(unsettled.answer(10), Err(AnswerError::NotSettled));
    let answer = 37.0;
    for (guess, right) in [
        (37, true),
        (37 + spec.close, true),
        (37 - spec.close, true),
        (37 + spec.close + 1, false),
        (37 - spec.close - 1, false),
    ] {
        let mut s = s.clone();
        assert!(s.needs_estimate());
        s.settle_estimate(answer);
        assert!(!s.needs_estimate());
        let a = s.answer(guess as usize).unwrap();
        assert_eq!(a.correct, right, "guess {guess} against {answer}");
        let f = a.feedback.unwrap();
        let g = f.estimate.unwrap();
        assert_eq!((g.guess, g.answer), (guess, answer));
        assert_eq!(f.right_text, "37\u{a0}runs");
        assert_eq!(s.score().right, u32::from(right));
    }
    let mut s = s.clone();
    s.settle_estimate(answer);
    let over = spec.max as usize + 1;
    assert_eq!(
        s.answer(over),
        Err(AnswerError::OffTheScale {
            guess: over,
            min: spec.min,
            max: spec.max
        })
    );
    assert_eq!(s.answered(), 0, "an answer off the scale is not scored");
}

#[test]
fn an_attempt_with_estimates_resumes_with_its_answers_and_score() {
    let l = builtin();
    let slots: Vec<Slot> = (0..l.questions.len())
        .rev()
        .map(|i| Slot {
            question: i,
            options: (0..l.questions[i].options.len()).collect(),
        })
        .collect();
    let mut s = QuizSession::new(&l.questions, slots.clone(), Mode::Practice);
    let answer_of = |q: &Question| Some(if q.id == "e1" { 40.0 } else { 10.0 });
    // The estimates come first (the slots are in reverse); answer four questions.
    for _ in 0..4 {
        if s.needs_estimate() {
            let a = answer_of(s.current().unwrap()).unwrap();
            s.settle_estimate(a);
            s.answer(40).unwrap();
        } else {
            let right = s.current().unwrap().answer();
            s.answer(right).unwrap();
        }
    }
    let chosen = s.chosen().to_vec();
    let resumed = QuizSession::resume(
        &l.questions,
        slots.clone(),
        Mode::Practice,
        &chosen,
        answer_of,
    )
    .unwrap();
    assert_eq!(resumed.answered(), 4);
    assert_eq!(resumed.score(), s.score());
    assert_eq!(resumed.current().unwrap().id, s.current().unwrap().id);
    // Without the estimates' answers the attempt cannot be scored again.
    assert!(QuizSession::resume(&l.questions, slots, Mode::Practice, &chosen, |_| None).is_none());
}
