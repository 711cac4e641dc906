//! The built-in lesson's questions that use the lab state general truths of their setup, not
//! the luck of one seed: every predict and diagnose question is run on seeds 1..=100 and its
//! claim must hold on at least 95 of them; a diagnose question's right answer must name what
//! really happened to the subject during the silence the learner sees.

use distlab::lesson::{self, Lesson, Question, QuestionKind};
use distlab::quiz::lab_question::{self, LabRun};
use distlab::sim::{Sim, Status};

const SEEDS: u64 = 100;
const MUST_HOLD: usize = 95;

fn lab_questions(lesson: &Lesson) -> Vec<&Question> {
    lesson
        .questions
        .iter()
        .filter(|q| lab_question::uses_lab(q))
        .collect()
}

fn with_seed(q: &Question, seed: u64) -> Question {
    let mut q = q.clone();
    q.seed = Some(seed);
    q
}

/// What the learner sees: heartbeat arrivals up to the question's end time.
fn seen_us(q: &Question, run: &LabRun) -> (Vec<u64>, u64) {
    let until_us = q
        .until_ms
        .unwrap_or_else(|| run.sim.params().duration_ms)
        .saturating_mul(1000);
    let seen = run
        .heartbeats_us
        .iter()
        .copied()
        .filter(|&t| t <= until_us)
        .collect();
    (seen, until_us)
}

/// The longest silence in the view, as (start, end) in µs; the end of the view counts as an
/// end.
fn longest_silence(seen: &[u64], until_us: u64) -> (u64, u64) {
    let mut ends: Vec<u64> = seen.to_vec();
    ends.push(until_us);
    ends.windows(2)
        .map(|w| (w[0], w[1]))
        .max_by_key(|(a, b)| b - a)
        .unwrap_or((0, until_us))
}

/// The subject's true condition, as a word the right option must contain.
fn condition_at(lesson: &Lesson, q: &Question, at_us: u64) -> &'static str {
    let scenario = lesson.scenario(q.scenario.as_deref().unwrap()).unwrap();
    let set: toml::Table = q.set.clone().into_iter().collect();
    let mut sim = Sim::from_scenario_with(scenario, q.seed.unwrap_or(1), &set).unwrap();
    sim.run_until(at_us, &mut |_| {});
    let subject = sim.node_id(q.subject.as_deref().unwrap()).unwrap();
    let observer = sim.node_id(q.observer.as_deref().unwrap()).unwrap();
    match sim.nodes()[subject as usize].status {
        Status::Crashed => "crash",
        Status::Paused { .. } => "paus",
        Status::Up if sim.network().is_blocked(subject, observer) => "partition",
        Status::Up if sim.network().slow_us[subject as usize] > 0 => "delayed",
        Status::Up => "up",
    }
}

#[test]
fn the_lesson_has_enough_lab_questions_of_each_kind() {
    let lesson = lesson::builtin().unwrap();
    let qs = lab_questions(&lesson);
    let count = |k| qs.iter().filter(|q| q.kind == k).count();
    assert!(count(QuestionKind::Predict) >= 2, "predict questions");
    assert!(count(QuestionKind::Diagnose) >= 2, "diagnose questions");
    for q in &qs {
        assert!(q.expect.is_some(), "{} has a claim", q.id);
        let n = q.options.len();
        assert!((3..=5).contains(&n), "{} has {n} options", q.id);
        assert_eq!(
            q.options.iter().filter(|o| o.correct).count(),
            1,
            "{}",
            q.id
        );
        assert!(
            ["messages", "replication", "time-failure"].contains(&q.checks.as_str()),
            "{} checks a concept",
            q.id
        );
    }
}

#[test]
fn every_lab_claim_holds_on_at_least_95_of_100_seeds() {
    let lesson = lesson::builtin().unwrap();
    let mut report = Vec::new();
    for q in lab_questions(&lesson) {
        let held = (1..=SEEDS)
            .filter(|&seed| {
                lab_question::run(&lesson, &with_seed(q, seed))
                    .unwrap()
                    .holds()
            })
            .count();
        report.push(format!("{} {held}/{SEEDS}", q.id));
        assert!(
            held >= MUST_HOLD,
            "{}: `{}` holds on only {held} of {SEEDS} seeds",
            q.id,
            q.expect.as_deref().unwrap_or("")
        );
    }
    println!("{}", report.join(", "));
}

#[test]
fn each_diagnose_answer_names_what_really_happened_on_at_least_95_of_100_seeds() {
    let lesson = lesson::builtin().unwrap();
    let diagnose = lab_questions(&lesson)
        .into_iter()
        .filter(|q| q.kind == QuestionKind::Diagnose);
    for q in diagnose {
        let right = q.options[q.answer()].text.to_lowercase();
        let mut held = 0;
        for seed in 1..=SEEDS {
            let q = with_seed(q, seed);
            let run = lab_question::run(&lesson, &q).unwrap();
            let (seen, until_us) = seen_us(&q, &run);
            assert!(
                !seen.is_empty(),
                "{} seed {seed}: the observer heard nothing from the subject",
                q.id
            );
            let (from, to) = longest_silence(&seen, until_us);
            let condition = condition_at(&lesson, &q, from + (to - from) / 2);
            if condition != "up" && right.contains(condition) {
                held += 1;
            }
        }
        println!(
            "{}: the right option names the truth on {held}/{SEEDS}",
            q.id
        );
        assert!(
            held >= MUST_HOLD,
            "{}: the right option names the truth on only {held} of {SEEDS} seeds",
            q.id
        );
    }
}

/// The clue of a question about a delayed subject is in the view itself: once the delay
/// ends, the heartbeats still on the way arrive together with fresh ones, in pairs.
#[test]
fn a_delayed_subject_shows_heartbeats_in_pairs_when_the_delay_ends() {
    let lesson = lesson::builtin().unwrap();
    let mut checked = 0;
    for q in lab_questions(&lesson) {
        if q.kind != QuestionKind::Diagnose {
            continue;
        }
        let run = lab_question::run(&lesson, q).unwrap();
        let (seen, until_us) = seen_us(q, &run);
        let (from, to) = longest_silence(&seen, until_us);
        if condition_at(&lesson, q, from + (to - from) / 2) != "delayed" {
            continue;
        }
        checked += 1;
        for seed in 1..=SEEDS {
            let q = with_seed(q, seed);
            let run = lab_question::run(&lesson, &q).unwrap();
            let (seen, _) = seen_us(&q, &run);
            let period_us = run.sim.params().heartbeat_ms * 1000;
            let pairs = seen
                .windows(2)
                .filter(|w| w[1] - w[0] < period_us / 2)
                .count();
            assert!(pairs >= 3, "{} seed {seed}: {pairs} pairs", q.id);
        }
    }
    assert!(checked > 0, "a diagnose question about a delayed node");
}
