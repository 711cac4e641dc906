//! Loading lessons: the shipped lesson is complete, and each validation rule has a fixture
//! that breaks it and a test that checks the message and the reported place.

use std::path::PathBuf;

use distlab::lesson::{self, LessonError, SECTIONS};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lessons")
        .join(name)
}

/// Loads a fixture that must fail, returning (line, column, message) of its first problem.
fn first_problem(name: &str) -> (usize, usize, String) {
    let err = lesson::load_file(&fixture(name)).expect_err("fixture should be rejected");
    let p = err
        .problems()
        .first()
        .unwrap_or_else(|| panic!("no located problem: {err}"));
    let rendered = err.to_string();
    assert!(
        rendered.contains(name),
        "message names the file: {rendered}"
    );
    (p.line, p.column, p.message.clone())
}

#[test]
fn builtin_lesson_loads_and_has_every_section() {
    let l = lesson::builtin().expect("built-in lesson is valid");
    assert_eq!(l.title, "Day 001: Distributed Systems Foundations");
    assert_eq!(l.short_title(), "Day 001");
    assert!(
        l.tagline
            .contains("many uncertain computers trying to preserve useful guarantees")
    );
    assert!(l.aha.insight.contains("coordination under uncertainty"));
    assert!(l.aha.concrete_anchor.contains("checkout"));
    assert_eq!(l.aha.recognize.len(), 5);
    assert_eq!(l.misconceptions.iter().filter(|m| !m.correct).count(), 2);
    assert_eq!(l.misconceptions.iter().filter(|m| m.correct).count(), 1);
    assert_eq!(l.examples.len(), 4);
    assert_eq!((l.why.before.len(), l.why.after.len()), (3, 3));
    assert_eq!(l.objectives.items.len(), 3);
    assert_eq!(l.concepts.len(), 3);
    assert_eq!(l.troubleshooting.len(), 2);
    assert_eq!(l.connections.len(), 2);
    assert_eq!(l.resources.items.len(), 3);
    assert_eq!(l.key_insights.len(), 3);
    let urls: Vec<&str> = l.resources.items.iter().map(|r| r.url.as_str()).collect();
    assert!(urls.contains(&"https://lamport.azurewebsites.net/pubs/time-clocks.pdf"));
}

#[test]
fn concepts_have_real_tradeoffs_not_the_placeholder() {
    let l = lesson::builtin().unwrap();
    for c in &l.concepts {
        assert!(
            !c.tradeoff.contains("[Specify"),
            "{} still has the placeholder",
            c.id
        );
        assert!(
            c.tradeoff.split_whitespace().count() >= 20,
            "{} trade-off too thin",
            c.id
        );
    }
    let code = l.concepts[0]
        .code
        .as_ref()
        .expect("concept 1 has the replicate_write code");
    assert!(
        code.source
            .contains("def replicate_write(primary, replicas, value):")
    );
    assert!(
        code.source.contains("        send(replica, value)"),
        "code keeps its indentation"
    );
}

#[test]
fn course_questions_come_first_then_at_least_nine_more() {
    let l = lesson::builtin().unwrap();
    assert!(
        l.questions.len() >= 12,
        "only {} questions",
        l.questions.len()
    );
    let seed = [
        ("What most clearly distinguishes a distributed system", 1),
        ("Why does replication make system design harder", 1),
        ("Why are timeouts and lag metrics important", 0),
    ];
    for (q, (text, answer)) in l.questions.iter().zip(seed) {
        assert!(q.from_course, "{} should be a course question", q.id);
        assert!(q.text.starts_with(text), "{} is `{}`", q.id, q.text);
        assert_eq!(q.answer(), answer, "{}", q.id);
    }
    assert!(l.questions[3..].iter().all(|q| !q.from_course));
    for q in &l.questions {
        assert!((2..=6).contains(&q.options.len()));
        assert_eq!(q.options.iter().filter(|o| o.correct).count(), 1);
        assert!(
            q.options.iter().all(|o| !o.why.is_blank()),
            "{} lacks a why",
            q.id
        );
        let known = l.concept(&q.checks).is_some() || SECTIONS.iter().any(|(s, _)| q.checks == *s);
        assert!(known, "{} checks unknown `{}`", q.id, q.checks);
    }
}

#[test]
fn minimal_fixture_is_valid() {
    let l = lesson::load_file(&fixture("minimal.toml")).unwrap();
    assert_eq!(l.id, "mini");
}

#[test]
fn missing_field_names_the_field() {
    let (line, _, msg) = first_problem("missing_field.toml");
    assert_eq!(line, 1);
    assert!(msg.contains("missing field `tagline`"), "{msg}");
}

#[test]
fn empty_text_points_at_the_value() {
    assert_eq!(
        first_problem("empty_text.toml"),
        (
            39,
            13,
            "`concepts.intuition` is empty; expected some text".into()
        )
    );
}

#[test]
fn duplicate_id_points_at_the_second() {
    let (line, col, msg) = first_problem("duplicate_id.toml");
    assert_eq!((line, col), (97, 6));
    assert!(
        msg.contains("duplicate question id `q1` (first defined on line 82)"),
        "{msg}"
    );
}

#[test]
fn two_right_options_rejected() {
    let (line, _, msg) = first_problem("two_right.toml");
    assert_eq!(line, 82);
    assert!(
        msg.contains("has 2 right options (a, b); expected exactly one"),
        "{msg}"
    );
}

#[test]
fn no_right_option_rejected() {
    let (line, _, msg) = first_problem("no_right.toml");
    assert_eq!(line, 82);
    assert!(msg.contains("has 0 right options"), "{msg}");
}

#[test]
fn too_few_options_rejected() {
    let (line, _, msg) = first_problem("one_option.toml");
    assert_eq!(line, 82);
    assert!(msg.contains("has 1 option; expected 2 to 6"), "{msg}");
}

#[test]
fn unknown_checks_reference_lists_valid_ids() {
    let (line, col, msg) = first_problem("unknown_checks.toml");
    assert_eq!((line, col), (83, 10));
    assert!(msg.contains("checks `mesages`"), "{msg}");
    assert!(msg.contains("expected one of: messages, intro"), "{msg}");
}

#[test]
fn unknown_scenario_reference_rejected() {
    let (line, col, msg) = first_problem("unknown_scenario.toml");
    assert_eq!((line, col), (47, 12));
    assert!(msg.contains("refers to scenario `dmeo`"), "{msg}");
    assert!(msg.contains("expected one of: demo"), "{msg}");
}

#[test]
fn unknown_concept_reference_rejected() {
    let (line, _, msg) = first_problem("unknown_concept.toml");
    assert_eq!(line, 99);
    assert!(msg.contains("illustrates concept `clocks`"), "{msg}");
}

#[test]
fn unsupported_format_version_rejected() {
    let (line, col, msg) = first_problem("bad_version.toml");
    assert_eq!((line, col), (2, 18));
    assert!(msg.contains("format_version 7 is not supported"), "{msg}");
}

#[test]
fn syntax_error_has_place_and_snippet() {
    let err = lesson::load_file(&fixture("syntax_error.toml")).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.line, 4);
    assert!(
        err.to_string()
            .contains("4 | title = \"Day 999: A Minimal Lesson"),
        "{err}"
    );
}

#[test]
fn unknown_field_lists_expected_fields() {
    let (line, col, msg) = first_problem("unknown_field.toml");
    assert_eq!((line, col), (43, 1));
    assert!(msg.contains("unknown field `mental_modle`"), "{msg}");
    assert!(msg.contains("`mental_model`"), "{msg}");
}

#[test]
fn template_placeholder_rejected() {
    let (line, _, msg) = first_problem("placeholder_tradeoff.toml");
    assert_eq!(line, 46);
    assert!(msg.contains("template placeholder"), "{msg}");
}

#[test]
fn empty_binary_and_missing_files_are_clear_errors() {
    let empty = lesson::load_file(&fixture("empty.toml")).unwrap_err();
    assert!(matches!(empty, LessonError::Empty { .. }));
    assert!(empty.to_string().contains("empty.toml: the file is empty"));
    let binary = lesson::load_file(&fixture("binary.toml")).unwrap_err();
    assert!(
        matches!(binary, LessonError::Binary { line: 2, .. }),
        "{binary}"
    );
    assert!(binary.to_string().contains("not a text file"));
    let missing = lesson::load_file(&fixture("no-such-lesson.toml")).unwrap_err();
    assert!(
        missing
            .to_string()
            .contains("no-such-lesson.toml: cannot read the lesson file: no such file")
    );
}

#[test]
fn hostile_text_is_sanitized_at_load() {
    let l = lesson::load_file(&fixture("hostile_text.toml")).unwrap();
    let t = l.tagline.as_str();
    assert_eq!(t, "Short, but complete. evil");
    for bad in [
        '\u{1b}', '\u{7}', '\u{9b}', '\u{85}', '\u{202e}', '\u{202c}',
    ] {
        assert!(!t.contains(bad), "{bad:?} survived");
    }
}

#[test]
fn invalid_scenario_parameter_names_the_parameter() {
    let (line, col, msg) = first_problem("bad_scenario_param.toml");
    assert_eq!((line, col), (97, 6));
    assert!(msg.contains("parameter `drop` = 2: out of range"), "{msg}");
}

#[test]
fn every_concept_can_be_tried_in_the_lab() {
    let l = lesson::builtin().unwrap();
    assert!(l.scenarios.len() >= 8);
    for c in &l.concepts {
        let id = c
            .scenario
            .as_ref()
            .expect("each Day 001 concept has a scenario");
        assert!(l.scenario(id).is_some());
    }
}
