//! `distlab quiz --plain` with scripted input: right, wrong and invalid answers, early end
//! of input, exam and review modes, shuffling, progress saved, and output discipline.
//! Every run uses `--progress-file` in a temp dir, so the real data dir is never touched.

mod common;
use common::{distlab_with_progress as distlab, temp_progress as temp};

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use distlab::lesson::{self, Question, QuestionKind};
use distlab::progress::ProgressStore;
use distlab::quiz::lab_question;
use distlab::quiz::{Mode, QuizSession};
use predicates::prelude::*;

/// How many questions the built-in lesson has.
fn total() -> usize {
    lesson::builtin().unwrap().questions.len()
}

/// How many of the lesson's questions ask for a number.
fn estimates() -> usize {
    let qs = lesson::builtin().unwrap().questions;
    qs.iter().filter(|q| q.estimate.is_some()).count()
}

/// A wrong letter for the (multiple-choice) question whose right letter is `right`.
fn wrong(right: &str) -> String {
    assert!(right.len() == 1, "`{right}` is not an option letter");
    if right == "a" { "b" } else { "a" }.to_owned()
}

fn lines(answers: &[String]) -> String {
    answers.iter().map(|c| format!("{c}\n")).collect()
}

fn run(progress: &Path, args: &[&str], input: String) -> (String, String, i32) {
    let out = distlab(progress)
        .args(["quiz", "--plain"])
        .args(args)
        .write_stdin(input)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn all_right_scores_full_marks_and_saves_an_attempt() {
    let (_dir, path) = temp();
    let n = total();
    let (out, err, code) = run(&path, &[], lines(&common::right_letters()));
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.contains(&format!("Question 1/{n}: What most clearly distinguishes")));
    assert!(out.contains("\na) It always uses more CPU cores.\n"));
    let close = out.matches("✓ Close: ").count();
    assert_eq!(
        close,
        estimates(),
        "estimate questions are right when close"
    );
    assert_eq!(out.matches("✓ Right: ").count() + close, n);
    assert!(!out.contains("✗ Wrong") && !out.contains("✗ Off by"));
    assert!(out.contains("Score so far: 7/7\n"));
    assert!(out.contains(&format!("Quiz finished: {n} of {n} right")));
    assert!(out.ends_with(&format!("\nScore: {n}/{n}\n")), "{out}");
    assert!(!out.contains('\x1b'), "no escape codes");

    let (store, _) = ProgressStore::open(&path).unwrap();
    let day = store.lesson("day001").unwrap();
    assert_eq!(day.attempts, 1);
    assert_eq!(day.best.unwrap().score().to_string(), format!("{n}/{n}"));
    assert_eq!(day.questions.len(), n);
    assert!(
        day.questions
            .values()
            .all(|s| s.asked == 1 && s.leitner_box == 2)
    );
}

#[test]
fn a_wrong_answer_shows_the_right_one_and_the_explanation() {
    let (_dir, path) = temp();
    let mut letters = common::right_letters();
    letters[1] = wrong(&letters[1]);
    let (out, _, code) = run(&path, &[], lines(&letters));
    assert_eq!(code, 0);
    assert_eq!(out.matches("✗ Wrong: ").count(), 1);
    assert!(out.contains(
        "The right answer: b) Because multiple copies improve resilience but make update \
         visibility and agreement more complex.\n"
    ));
    assert!(out.contains("Explanation: Replication improves durability and availability"));
    assert!(out.contains("Read again: distlab print --section replication\n"));
    assert!(out.contains("Score so far: 1/2\n"));
    assert!(out.contains("Missed:\n- Question 2: Why does replication"));
    let n = total();
    assert!(out.ends_with(&format!("\nScore: {}/{n}\n", n - 1)));
    let (store, _) = ProgressStore::open(&path).unwrap();
    let q2 = store.lesson("day001").unwrap().questions["q2"];
    assert_eq!((q2.asked, q2.right, q2.leitner_box), (1, 0, 1));
}

#[test]
fn an_invalid_answer_names_the_valid_letters_and_asks_again_unscored() {
    let (_dir, path) = temp();
    let right = common::right_letters();
    let input = format!("z\n\nab\n{}", lines(&right));
    let (out, _, code) = run(&path, &[], input);
    assert_eq!(code, 0);
    assert_eq!(out.matches("Not an option: choose a–c\n").count(), 3);
    let n = total();
    assert_eq!(
        out.matches(&format!("Question 1/{n}: ")).count(),
        4,
        "asked again each time"
    );
    assert!(out.ends_with(&format!("\nScore: {n}/{n}\n")));
    // Question 4 has four options, so its range names a–d.
    let input = format!("{}e\n", lines(&right[..3]));
    let (out, _, _) = run(&path, &[], input);
    assert!(out.contains("Not an option: choose a–d\n"));
    let (store, _) = ProgressStore::open(&path).unwrap();
    assert_eq!(store.lesson("day001").unwrap().questions["q1"].asked, 2);
}

#[test]
fn end_of_input_ends_cleanly_with_a_summary_of_what_was_answered() {
    let (_dir, path) = temp();
    let right = common::right_letters();
    let input = format!("{}\n{}\n", right[0], wrong(&right[1]));
    let (out, err, code) = run(&path, &[], input);
    assert_eq!((code, err.as_str()), (0, ""));
    let n = total();
    assert!(out.contains(&format!("Input ended after 2 of {n} questions")));
    assert!(out.contains(&format!("Question 3/{n}: ")));
    assert!(out.ends_with("\nScore: 1/2\n"), "{out}");
    let (store, _) = ProgressStore::open(&path).unwrap();
    let day = store.lesson("day001").unwrap();
    assert_eq!(day.attempts, 0, "an unfinished quiz is not an attempt");
    assert_eq!(day.questions.len(), 2, "each answer was saved");
}

#[test]
fn empty_input_prints_the_first_question_and_score_0_of_0() {
    let (_dir, path) = temp();
    let (out, _, code) = run(&path, &[], String::new());
    assert_eq!(code, 0);
    let n = total();
    assert!(out.contains(&format!("Question 1/{n}: ")));
    assert!(out.contains(&format!("\nInput ended after 0 of {n} questions, in ")));
    assert!(out.ends_with(".\nScore: 0/0\n"), "{out}");
}

#[test]
fn exam_mode_defers_feedback_to_the_end() {
    let (_dir, path) = temp();
    let mut letters = common::right_letters();
    letters[0] = wrong(&letters[0]);
    let (out, _, code) = run(&path, &["--exam"], lines(&letters));
    assert_eq!(code, 0);
    let (during, after) = out.split_once("Your answers:").expect("an answer review");
    assert!(!during.contains('✓') && !during.contains('✗'), "{during}");
    assert!(!during.contains("Score so far"));
    let n = total();
    assert_eq!(during.matches("Answer recorded.").count(), n);
    let close = after.matches("✓ Close: ").count();
    assert_eq!(after.matches("✓ Right: ").count() + close, n - 1);
    assert_eq!(after.matches("✗ Wrong: ").count(), 1);
    assert!(out.contains("exam: feedback at the end"));
    assert!(out.ends_with(&format!("\nScore: {}/{n}\n", n - 1)));
}

fn first_question(out: &str) -> &str {
    let start = out.find(&format!("Question 1/{}: ", total())).unwrap();
    let end = out[start..].find("Answer (").unwrap();
    &out[start..start + end]
}

#[test]
fn shuffle_with_a_seed_is_reproducible_and_seeds_differ() {
    let (_dir, path) = temp();
    let (a, _, code) = run(&path, &["--shuffle", "--seed", "42"], "x\n".into());
    assert_eq!(code, 0);
    let (b, _, _) = run(&path, &["--shuffle", "--seed", "42"], "x\n".into());
    let (c, _, _) = run(&path, &["--shuffle", "--seed", "3"], "x\n".into());
    // Identical apart from the time taken.
    let timeless = |s: &str| {
        s.lines()
            .filter(|l| !l.contains(", in "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(timeless(&a), timeless(&b));
    assert_ne!(first_question(&a), first_question(&c));
    assert!(a.contains("shuffled with seed 42 (repeat with --shuffle --seed 42)"));
    // Seed 42 asks q8 first (pinned in tests/quiz_session.rs).
    assert!(first_question(&a).contains("partition customers by region"));
}

#[test]
fn shuffle_without_a_seed_prints_the_seed_it_used() {
    let (_dir, path) = temp();
    let (out, _, _) = run(&path, &["--shuffle"], String::new());
    assert!(out.contains("(repeat with --shuffle --seed "), "{out}");
}

#[test]
fn review_asks_the_lowest_boxes_first() {
    let (_dir, path) = temp();
    let right = common::right_letters();
    // Get everything right but question 7 (q7), then review.
    let mut letters = right.clone();
    letters[6] = wrong(&letters[6]);
    run(&path, &[], lines(&letters));
    let (out, _, code) = run(&path, &["--review"], String::new());
    assert_eq!(code, 0);
    assert!(out.contains("Order: review"));
    assert!(
        first_question(&out).contains("replicate_write from the lesson"),
        "q7 comes first: {}",
        first_question(&out)
    );
}

#[test]
fn bad_flag_combinations_are_usage_errors() {
    let (_dir, path) = temp();
    for args in [
        &["quiz", "--plain", "--seed", "3", "--course-order"][..],
        &["quiz", "--plain", "--shuffle", "--review"],
        &["quiz", "--plain", "--seed", "x", "--shuffle"],
    ] {
        distlab(&path)
            .args(args)
            .write_stdin("")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error"));
    }
    assert!(!path.exists());
}

#[test]
fn without_plain_and_without_a_terminal_the_quiz_falls_back_to_plain() {
    let (_dir, path) = temp();
    distlab(&path)
        .arg("quiz")
        .write_stdin("")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Question 1/{}: ",
            total()
        )))
        .stdout(predicate::str::ends_with("Score: 0/0\n"));
}

#[test]
fn a_corrupt_progress_file_is_moved_aside_with_a_warning_and_the_quiz_goes_on() {
    let (dir, path) = temp();
    fs::write(&path, "this is = = not toml").unwrap();
    let right = common::right_letters();
    let (out, err, code) = run(&path, &[], format!("{}\n", right[0]));
    assert_eq!(code, 0);
    assert!(err.starts_with("distlab: warning: "), "{err}");
    assert!(err.contains("progress.toml.corrupt-"), "{err}");
    assert!(out.ends_with("\nScore: 1/1\n"));
    let aside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("progress.toml.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    let suffix = aside[0].trim_start_matches("progress.toml.corrupt-");
    assert!(suffix.chars().all(|c| c.is_ascii_digit()), "{suffix}");
    assert_eq!(
        fs::read_to_string(dir.path().join(&aside[0])).unwrap(),
        "this is = = not toml"
    );
    assert!(ProgressStore::open(&path).unwrap().1.is_none());
}

#[test]
#[cfg(unix)]
fn an_unusable_progress_path_is_a_runtime_failure_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    fs::write(&file, "x").unwrap();
    let path = file.join("progress.toml"); // a path under a regular file
    distlab(&path)
        .args(["quiz", "--plain"])
        .write_stdin("a\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("distlab: error: "))
        .stderr(predicate::str::contains("progress"));
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
}

#[test]
#[cfg(target_os = "linux")]
fn without_progress_file_progress_goes_to_the_xdg_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("distlab").unwrap();
    cmd.env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .args(["quiz", "--plain"])
        .write_stdin(format!("{}\n", common::right_letters()[0]))
        .assert()
        .success();
    let saved = dir.path().join("data/distlab/progress.toml");
    assert!(saved.exists(), "expected {}", saved.display());
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    let (_dir, path) = temp();
    let answers = lines(&common::right_letters());
    let progress = path.to_str().unwrap();
    let out = common::with_closed_pipe(
        &["--progress-file", progress, "quiz", "--plain"],
        Some(&answers),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "status {:?}: {stderr}", out.status);
    assert_eq!(stderr, "");
}

#[test]
fn another_lesson_keeps_its_own_progress_and_letter_range() {
    let (_dir, path) = temp();
    let mini = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lessons/minimal.toml"
    );
    let (out, _, code) = run(
        &path,
        &["--lesson", mini, "--course-order"],
        "c\nb\n".into(),
    );
    assert_eq!(code, 0);
    assert!(out.contains("Question 1/1: What is hard?\na) Computation.\nb) Coordination.\n"));
    assert!(out.contains("Not an option: choose a–b\n"));
    assert!(out.ends_with("\nScore: 1/1\n"));
    let (store, _) = ProgressStore::open(&path).unwrap();
    assert_eq!(store.lesson("mini").unwrap().attempts, 1);
    assert!(store.lesson("day001").is_none());
}

/// The first question of `kind` in the order the plain quiz asks them: its index from 0 and
/// the question.
fn first_of(kind: QuestionKind) -> (usize, Question) {
    let qs = lesson::builtin().unwrap().questions;
    let mut s = QuizSession::in_lesson_order(&qs, Mode::Practice);
    let mut k = 0;
    while let Some(q) = s.current() {
        if q.kind == kind {
            return (k, q.clone());
        }
        let a = q.answer();
        s.answer(a).unwrap();
        k += 1;
    }
    panic!("no {kind:?} question");
}

/// `12` for 12 000 ms, `16.5` for 16 500 ms.
fn secs(ms: u64) -> String {
    let s = format!("{:.2}", ms as f64 / 1000.0);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// What the plain quiz must print after the answer: the run, then each claim's line.
fn outcome_lines(q: &Question) -> Vec<String> {
    let lesson = lesson::builtin().unwrap();
    let run = lab_question::run(&lesson, q).unwrap();
    let until = q.until_ms.unwrap_or(run.sim.params().duration_ms);
    let set: Vec<String> = q.set.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    let with = if set.is_empty() {
        String::new()
    } else {
        format!(" with {}", set.join(", "))
    };
    let mut lines = vec![format!(
        "The simulator ran {}{with} (seed {}, until {} s):",
        q.scenario.as_deref().unwrap(),
        q.seed.unwrap_or(1),
        secs(until)
    )];
    lines.extend(run.explain_plain().into_iter().map(|l| format!("  {l}")));
    lines
}

#[test]
fn a_diagnose_question_shows_the_observers_view_before_its_options_and_the_truth_after() {
    let (_dir, path) = temp();
    let (k, q) = first_of(QuestionKind::Diagnose);
    let right = common::right_letters();
    let (out, _, code) = run(&path, &[], lines(&right[..=k]));
    assert_eq!(code, 0);
    let asked = out
        .split_once(&format!("Question {}/{}: ", k + 1, total()))
        .unwrap()
        .1;
    let (before_options, after) = asked.split_once("\na) ").unwrap();
    let (observer, subject) = (
        q.observer.as_deref().unwrap(),
        q.subject.as_deref().unwrap(),
    );
    let view = before_options
        .lines()
        .nth(1)
        .expect("the view, after the question");
    assert!(
        view.starts_with(&format!(
            "{observer}'s view of {subject}'s heartbeats (arrival times, true time; \
             {subject} sends one every 0.2 s): "
        )),
        "{view}"
    );
    assert!(
        view.contains(" … "),
        "long regular stretches are shortened: {view}"
    );
    assert!(view.ends_with(" s."), "{view}");
    // The times shown are arrival times in seconds, in order.
    let times: Vec<f64> = view
        .split_once("): ")
        .unwrap()
        .1
        .split([' ', ','])
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(times.len() >= 5, "{view}");

    let outcome = outcome_lines(&q).join("\n");
    let (feedback, rest) = after.split_once(&outcome).expect(&outcome);
    assert!(feedback.contains("✓ Right: "));
    assert!(feedback.contains("\nExplanation: "));
    assert!(
        rest.starts_with(&format!("\n  The truth about {subject}: the scenario ran ")),
        "{rest}"
    );
    let truth = rest.lines().nth(1).unwrap();
    assert!(truth.contains(&format!(" s {subject} is ")), "{truth}");
    assert!(rest.contains("\nScore so far: "));
}

#[test]
fn a_predict_question_prints_what_the_simulator_computed_after_the_answer() {
    let (_dir, path) = temp();
    let (k, q) = first_of(QuestionKind::Predict);
    let mut letters = common::right_letters()[..=k].to_vec();
    letters[k] = wrong(&letters[k]);
    let (out, _, code) = run(&path, &[], lines(&letters));
    assert_eq!(code, 0);
    let asked = out
        .split_once(&format!("Question {}/{}: ", k + 1, total()))
        .unwrap()
        .1;
    let (question, after) = asked.split_once("\nAnswer (").unwrap();
    assert!(
        !question.contains("The simulator ran"),
        "not before the answer"
    );
    assert!(
        !question.contains("'s view of"),
        "a predict question has no view"
    );
    let outcome = outcome_lines(&q).join("\n");
    assert!(outcome.contains("✓"), "the claim holds: {outcome}");
    let (feedback, rest) = after.split_once(&outcome).expect(&outcome);
    assert!(feedback.contains("✗ Wrong: "));
    assert!(feedback.contains("\nThe right answer: "));
    assert!(rest.starts_with("\nScore so far: "), "{rest}");
}

#[test]
fn an_exam_shows_what_the_simulator_computed_in_the_summary() {
    let (_dir, path) = temp();
    let (k, q) = first_of(QuestionKind::Predict);
    let (out, _, code) = run(&path, &["--exam"], lines(&common::right_letters()));
    assert_eq!(code, 0);
    let (during, after) = out.split_once("Your answers:").unwrap();
    assert!(!during.contains("The simulator ran"), "{during}");
    let (_, rest) = after
        .split_once(&format!("\nQuestion {}: ", k + 1))
        .unwrap();
    let outcome = outcome_lines(&q).join("\n");
    let (feedback, _) = rest.split_once(&outcome).expect(&outcome);
    assert!(feedback.contains("✓ Right: "));
    assert!(
        !feedback.contains("\nQuestion "),
        "right after its own feedback"
    );
    let lab = lesson::builtin()
        .unwrap()
        .questions
        .iter()
        .filter(|q| lab_question::uses_lab(q))
        .count();
    assert_eq!(after.matches("The simulator ran ").count(), lab);
}
