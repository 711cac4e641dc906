//! Course text and distlab's text told apart: every line distlab added carries the margin
//! mark ┊, in `distlab print` (piped: no escape codes) and on screen; the course's own words
//! never do. The strings below are quoted from the course's Day 001 text and from distlab's
//! additions (the three written trade-offs, questions q4 onward, each option's why, the lab).

mod common;
mod tui_support;

use common::distlab;
use predicates::prelude::PredicateBooleanExt;
use ratatui::crossterm::event::KeyCode;
use tui_support::Harness;

const LEGEND: &str = "Text marked ┊ was added by distlab; the rest is the course's.";

/// Course text, word for word from the course's lesson.
const COURSE: &[&str] = &[
    "Day 001: Distributed Systems Foundations",
    "The insight: The hard part of distributed systems is not computation.",
    "Intuition: A distributed system is a set of autonomous processes",
    "Note: The write is easy to issue.",
    "    def replicate_write(primary, replicas, value):",
    "Anti-pattern: Trusting wall-clock timestamps alone",
    "Issue: Thinking distributed systems are mainly about adding more machines.",
    "- Distributed systems are coordination problems:",
    "Question 1/30: What most clearly distinguishes a distributed system",
    "✓ b) It coordinates independent components through uncertain message",
    "Answer: b. Independent components and uncertain communication",
    "Answer: a. These signals are imperfect, but they are essential",
];

/// Text distlab added.
const DISTLAB: &[&str] = &[
    "Fundamental trade-off: You gain independence",
    "Fundamental trade-off: Replication gains durability",
    "Fundamental trade-off: Timeouts, heartbeats, logical clocks",
    // A course question's options are explained by distlab.
    "A single multithreaded process can use many cores",
    "Right: components that fail independently",
    "Question 4/30: In the store's checkout",
    "✓ c) The other services keep running, not knowing if payment",
    "Answer: c. This is partial failure",
    "Question 21/30: Predict, then run. Async replication",
    "Question 27/30: Which failure is it?",
];

fn print(args: &[&str]) -> String {
    let out = distlab().arg("print").args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The line of `text` on which `needle` starts.
fn line_with<'t>(text: &'t str, needle: &str) -> &'t str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line has {needle:?}"))
}

#[test]
fn print_marks_what_distlab_added_and_only_that() {
    let text = print(&["--answers"]);
    assert!(text.starts_with(&format!("{LEGEND}\n\n")), "{text:.200}");
    assert!(!text.contains('\u{1b}'), "no escape codes in a pipe");
    for needle in COURSE {
        let line = line_with(&text, needle);
        assert!(!line.starts_with('┊'), "course text marked: {line:?}");
    }
    for needle in DISTLAB {
        let line = line_with(&text, needle);
        assert!(line.starts_with("┊ "), "distlab's text unmarked: {line:?}");
    }
    // Every line of an added paragraph is marked, not just its first, and the mark does not
    // push a line past the width.
    let tradeoff = text
        .lines()
        .skip_while(|l| !l.contains("Fundamental trade-off: You gain"))
        .take_while(|l| !l.is_empty());
    assert_eq!(
        tradeoff.clone().count(),
        8,
        "the trade-off wraps to 8 lines"
    );
    assert!(tradeoff.clone().all(|l| l.starts_with("┊ ")));
    let too_wide =
        |l: &&str| unicode_width::UnicodeWidthStr::width(*l) > 80 && !l.contains("https://");
    assert_eq!(text.lines().find(too_wide), None);
}

#[test]
fn print_marks_each_question_by_from_course() {
    let lesson = distlab::lesson::builtin().unwrap();
    let text = print(&["--section", "quiz"]);
    let n = lesson.questions.len();
    for (k, q) in lesson.questions.iter().enumerate() {
        let line = line_with(&text, &format!("Question {}/{n}: ", k + 1));
        assert_eq!(line.starts_with("┊ "), !q.from_course, "{}: {line:?}", q.id);
    }
    let ours = lesson.questions.iter().filter(|q| !q.from_course).count();
    assert_eq!((n - ours, ours), (3, 27), "q1-q3 are the course's");
}

#[test]
fn a_section_of_only_course_text_has_no_marks_and_no_legend() {
    for section in ["intro", "aha", "why", "objectives", "resources", "insights"] {
        let text = print(&["--section", section]);
        assert!(!text.contains('┊'), "{section}: {text}");
    }
    let text = print(&["--section", "messages"]);
    assert!(
        text.starts_with(&format!("{LEGEND}\n\nCONCEPT 1: ")),
        "{text}"
    );
}

#[test]
fn a_lesson_marks_the_fields_its_entries_list_in_added() {
    let minimal = include_str!("fixtures/lessons/minimal.toml");
    assert!(!minimal.contains("added"), "an older lesson without marks");
    let marked = minimal.replace(
        "fix = \"Coherence is the hard part.\"\n",
        "fix = \"Coherence is the hard part.\"\nadded = [\"fix\"]\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marked.toml");
    std::fs::write(&path, &marked).unwrap();
    let path = path.to_str().unwrap();
    let text = distlab()
        .args(["--lesson", path, "print", "--section", "troubleshooting"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(text.starts_with(LEGEND), "{text}");
    assert!(line_with(&text, "Issue: More machines.").starts_with("Issue:"));
    assert!(line_with(&text, "Clarification / fix: Coherence").starts_with("┊ "));
    // The older file, unchanged, still loads: its troubleshooting is the course's.
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lessons/minimal.toml"
    );
    distlab()
        .args(["--lesson", fixture, "print", "--section", "troubleshooting"])
        .assert()
        .success()
        .stdout(predicates::str::contains('┊').not());
}

#[test]
fn check_names_an_added_field_that_the_entry_does_not_have() {
    let minimal = include_str!("fixtures/lessons/minimal.toml");
    let bad = minimal.replace(
        "fix = \"Coherence is the hard part.\"\n",
        "fix = \"Coherence is the hard part.\"\nadded = [\"fixx\"]\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, &bad).unwrap();
    let line = bad.lines().position(|l| l.starts_with("added")).unwrap() + 1;
    distlab()
        .arg("check")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "bad.toml:{line}:10: troubleshooting[0]: `added` names `fixx`, which is not a text \
             field of this entry; expected one of `issue`, `why`, `fix`"
        )));
}

#[test]
fn concepts_tab_marks_the_trade_off_and_says_what_the_mark_means() {
    for theme in ["dark", "mono", "projector"] {
        let mut h = Harness::with_theme(80, 24, theme);
        h.keys("2");
        let top = h.screen();
        assert!(
            !top.contains('┊'),
            "{theme}: the concept opens on course text\n{top}"
        );
        h.key(KeyCode::End);
        let screen = h.screen();
        let tradeoff = line_with(&screen, "Fundamental trade-off:");
        assert!(
            tradeoff.contains("│ ┊ Fundamental trade-off: You gain"),
            "{screen}"
        );
        assert!(
            line_with(&screen, "Anti-pattern:").starts_with("│   Anti-pattern:"),
            "{screen}"
        );
        let bottom = screen.lines().rev().nth(1).unwrap();
        assert!(
            bottom.starts_with("└ ┊ added by distlab ─"),
            "{theme}: {bottom}"
        );
    }
}

#[test]
fn quiz_tab_marks_distlabs_questions_and_every_why() {
    let mut h = Harness::new(80, 24);
    h.keys("4");
    let course = h.screen();
    assert!(!course.contains('┊'), "q1 is the course's\n{course}");
    // A wrong answer shows the chosen option's why: distlab's, under a course question.
    let q = h.app.quiz.session.current().unwrap();
    let wrong = q
        .options
        .iter()
        .position(|o| o.why.starts_with("A single multithreaded"))
        .unwrap();
    h.keys(&distlab::doc::letter(wrong).to_string());
    let feedback = h.screen();
    assert!(line_with(&feedback, "A single multithreaded").contains("│ ┊    A single"));
    assert!(!line_with(&feedback, "Why: Independent components").contains('┊'));
    // q4 onward are distlab's: question and options marked.
    h.key(KeyCode::Enter);
    for _ in 0..2 {
        let q = h.app.quiz.session.current().unwrap();
        let right = distlab::doc::letter(q.answer()).to_string();
        h.keys(&right).key(KeyCode::Enter);
    }
    let q4 = h.screen();
    assert!(q4.contains("Question 4 of 30"), "{q4}");
    assert!(line_with(&q4, "In the store's checkout").contains("│ ┊ In the store's"));
    assert!(line_with(&q4, ") Everything stops at once").contains("│ ┊ "));
}

#[test]
fn lab_marks_the_scenario_notice_and_the_walkthrough_caption() {
    // Quoted from the lesson, not from here: captions get rewritten.
    let lesson = distlab::lesson::builtin().unwrap();
    let scenario = &lesson.scenarios[0];
    let first_words = |text: &str| {
        text.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut h = Harness::new(100, 40);
    h.keys("3");
    let screen = h.screen();
    let notice = line_with(&screen, &scenario.title);
    assert!(
        notice.starts_with(&format!("┊ {}", scenario.title)),
        "{screen}"
    );
    h.keys("g").key(KeyCode::Right);
    let screen = h.screen();
    assert!(screen.contains("Step 1/"), "{screen}");
    let caption = first_words(&scenario.steps[0].caption);
    assert!(
        line_with(&screen, &caption).starts_with(&format!("│┊ {caption}")),
        "{screen}"
    );
}

#[test]
fn help_overlay_has_the_legend() {
    let lines = distlab::tui::ui::help_lines(&Harness::new(80, 24).app);
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    assert!(text.iter().any(|l| l == LEGEND), "{text:?}");
}
