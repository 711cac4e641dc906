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

/// `lesson::builtin()` only reads the built-in lesson; this is the full check (every
/// reference, every lab question run) that a `--lesson FILE` gets at load.
#[test]
fn builtin_lesson_passes_every_check_a_lesson_file_gets() {
    let checked = lesson::parse(lesson::BUILTIN_NAME, lesson::BUILTIN_SOURCE.as_bytes())
        .unwrap_or_else(|e| panic!("the built-in lesson is invalid:\n{e}"));
    let read = lesson::builtin().unwrap();
    assert_eq!(format!("{checked:?}"), format!("{read:?}"));
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
    let aha = l.aha.as_ref().expect("an aha section");
    assert!(aha.insight.contains("coordination under uncertainty"));
    assert!(aha.concrete_anchor.as_ref().unwrap().contains("checkout"));
    assert_eq!(aha.recognize.len(), 5);
    assert_eq!(l.misconceptions.iter().filter(|m| !m.correct).count(), 2);
    assert_eq!(l.misconceptions.iter().filter(|m| m.correct).count(), 1);
    assert_eq!(l.examples.len(), 4);
    let why = l.why.as_ref().expect("a why section");
    assert_eq!((why.before.len(), why.after.len()), (3, 3));
    assert_eq!(l.objectives.as_ref().unwrap().items.len(), 3);
    assert_eq!(l.concepts.len(), 3);
    assert_eq!(l.troubleshooting.len(), 2);
    assert_eq!(l.connections.len(), 2);
    let resources = l.resources.as_ref().expect("a resources section");
    assert_eq!(resources.items.len(), 3);
    assert_eq!(l.key_insights.len(), 3);
    let urls: Vec<&str> = resources.items.iter().map(|r| r.url.as_str()).collect();
    assert!(urls.contains(&"https://lamport.azurewebsites.net/pubs/time-clocks.pdf"));
}

#[test]
fn concepts_have_real_tradeoffs_not_the_placeholder() {
    let l = lesson::builtin().unwrap();
    for c in &l.concepts {
        let tradeoff = c
            .tradeoff
            .as_deref()
            .expect("every Day 001 concept has a trade-off");
        assert!(
            !tradeoff.contains("[Specify"),
            "{} still has the placeholder",
            c.id
        );
        assert!(
            tradeoff.split_whitespace().count() >= 20,
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
    for q in l.questions.iter().filter(|q| q.estimate.is_none()) {
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
    let err = lesson::load_file(&fixture("bad_scenario_param.toml")).unwrap_err();
    let got: Vec<(usize, usize, &str)> = err
        .problems()
        .iter()
        .map(|p| (p.line, p.column, p.message.as_str()))
        .collect();
    // Each bad parameter at its value, and the event (neither parameter changes the nodes)
    // at its command.
    assert_eq!(
        got,
        [
            (
                101,
                19,
                "scenario `demo`: parameter `mode` = eventual: not one of the choices; \
                 expected one of async | sync | quorum"
            ),
            (
                101,
                38,
                "scenario `demo`: parameter `drop` = 2: out of range; expected a probability 0..=1"
            ),
            (
                102,
                34,
                "scenario `demo`, event at 5 ms: `crash nobody`: no node named `nobody`; nodes: \
                 n1, n2, n3, c1"
            ),
        ]
    );
}

#[test]
fn every_concept_can_be_tried_in_the_lab() {
    let l = lesson::builtin().unwrap();
    assert!(l.scenarios.len() >= 8);
    for c in &l.concepts {
        assert!(!c.scenario.is_empty(), "{} has no scenario", c.id);
        for id in &c.scenario {
            assert!(l.scenario(id).is_some());
        }
    }
}

// Lessons written from the minimal fixture with one defect each; every problem is checked
// for its line, column and message.

const MINIMAL: &str = include_str!("fixtures/lessons/minimal.toml");

/// Every problem of lesson `source`, as (line, column, message), in the order reported.
fn problems_of(source: &str) -> Vec<(usize, usize, String)> {
    let err = lesson::parse("day002.toml", source.as_bytes()).expect_err("should be rejected");
    err.problems()
        .iter()
        .map(|p| (p.line, p.column, p.message.clone()))
        .collect()
}

/// Line and column (1-based, in characters) where `needle` first occurs in `source`.
fn place(source: &str, needle: &str) -> (usize, usize) {
    let i = source
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the lesson"));
    let before = &source[..i];
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (before.matches('\n').count() + 1, column)
}

/// The minimal lesson with `extra` appended to its scenario `demo` (which comes last).
fn with_scenario(extra: &str) -> String {
    format!("{MINIMAL}{extra}")
}

/// The minimal lesson with `fields` added to question `q1`.
fn with_question_fields(source: &str, fields: &str) -> String {
    let anchor = "explanation = \"Coordination under uncertainty.\"\n";
    assert!(source.contains(anchor));
    source.replacen(anchor, &format!("{anchor}{fields}"), 1)
}

#[test]
fn scenario_problems_point_at_the_parameter_event_or_step() {
    let src = with_scenario("params = { dorp = 0.1, replicas = 2 }\n");
    let got = problems_of(&src);
    let (line, col) = place(&src, "dorp");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].1), (line, col));
    assert!(
        got[0]
            .2
            .starts_with("scenario `demo`: unknown parameter `dorp`"),
        "{got:?}"
    );

    let src = with_scenario(
        "params = { mode = \"sync\" }\n\n[[scenarios.events]]\nat_ms = 5\ncommand = \"heal\"\n\n\
         [[scenarios.events]]\nat_ms = 7\ncommand = \"crash nobody\"\n\n\
         [[scenarios.steps]]\nat_ms = 10\ncommands = [\"heal\", \"partition n10\"]\ncaption = \"Look.\"\n",
    );
    let got = problems_of(&src);
    let event = place(&src, "\"crash nobody\"");
    let step = place(&src, "\"partition n10\"");
    assert_eq!(
        got,
        [
            (
                event.0,
                event.1,
                "scenario `demo`, event at 7 ms: `crash nobody`: no node named `nobody`; \
                 nodes: n1, n2, n3, c1"
                    .to_owned()
            ),
            (
                step.0,
                step.1,
                "scenario `demo`, step 1 (at 10 ms): `partition n10`: no node named \
                 `n10`; nodes: n1, n2, n3, c1"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn a_bad_parameter_that_keeps_the_nodes_still_lets_commands_be_checked() {
    let src = with_scenario(
        "params = { kind = \"detector\", latency_ms_min = 100, latency_ms_max = 50 }\n\n\
         [[scenarios.events]]\nat_ms = 100\ncommand = \"pause node-9 100\"\n",
    );
    let got = problems_of(&src);
    let max = place(&src, "50 }");
    let event = place(&src, "\"pause");
    assert_eq!(
        got,
        [
            (
                max.0,
                max.1,
                "scenario `demo`: parameter `latency_ms_max` = 50: smaller than latency_ms_min = \
                 100; expected a number >= latency_ms_min"
                    .to_owned()
            ),
            (
                event.0,
                event.1,
                "scenario `demo`, event at 100 ms: `pause node-9 100`: no node named `node-9`; \
                 nodes: monitor, node-1, node-2"
                    .to_owned()
            ),
        ]
    );
    // A bad `replicas` leaves the nodes unknown: the command is not checked against a guess.
    let src = with_scenario(
        "params = { kind = \"detector\", replicas = 0 }\n\n\
         [[scenarios.events]]\nat_ms = 100\ncommand = \"pause node-9 100\"\n",
    );
    assert_eq!(problems_of(&src).len(), 1);
}

#[test]
fn a_question_set_problem_points_at_that_override() {
    let src = with_question_fields(
        MINIMAL,
        "scenario = \"demo\"\nset = { mode = \"sync\", drop = 5 }\n",
    );
    let got = problems_of(&src);
    let at = place(&src, "5 }");
    assert_eq!(
        got,
        [(
            at.0,
            at.1,
            "question `q1`: `set`: parameter `drop` = 5: out of range; expected a probability 0..=1"
                .to_owned()
        )]
    );
    // A rule between parameters broken by the override points at the override.
    let src = with_question_fields(
        MINIMAL,
        "scenario = \"demo\"\nset = { latency_ms_min = 900 }\n",
    );
    let got = problems_of(&src);
    let at = place(&src, "900");
    assert_eq!((got.len(), got[0].0, got[0].1), (1, at.0, at.1), "{got:?}");
    assert!(
        got[0].2.contains("smaller than latency_ms_min = 900"),
        "{got:?}"
    );
}

#[test]
fn a_broken_scenario_is_reported_once_not_per_question() {
    let mut src = with_question_fields(MINIMAL, "scenario = \"demo\"\n");
    src.push_str("params = { drop = 2 }\n");
    for (id, set) in [("q2", ""), ("q3", "set = { mode = \"fast\" }\n")] {
        src.push_str(&format!(
            "\n[[questions]]\nid = \"{id}\"\nchecks = \"messages\"\ntext = \"Why?\"\n\
             explanation = \"Because.\"\nscenario = \"demo\"\n{set}\n\
             [[questions.options]]\ntext = \"A\"\ncorrect = true\nwhy = \"Yes.\"\n\n\
             [[questions.options]]\ntext = \"B\"\nwhy = \"No.\"\n"
        ));
    }
    let got = problems_of(&src);
    let drop = place(&src, "2 }");
    let fast = place(&src, "\"fast\"");
    assert_eq!(
        got,
        [
            (
                drop.0,
                drop.1,
                "scenario `demo`: parameter `drop` = 2: out of range; expected a probability 0..=1"
                    .to_owned()
            ),
            (
                fast.0,
                fast.1,
                "question `q3`: `set`: parameter `mode` = fast: not one of the choices; \
                 expected one of async | sync | quorum"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn every_missing_field_is_reported_with_its_entry() {
    let src = MINIMAL
        .replace("explanation = \"Coordination under uncertainty.\"\n", "")
        .replace("why = \"Messages take time and fail.\"\n", "")
        .replace("title = \"Messages\"\n", "")
        .replace("tagline = \"Short, but complete.\"\n", "");
    let got = problems_of(&src);
    let concept = place(&src, "[[concepts]]");
    let question = place(&src, "[[questions]]");
    let second_option = src.match_indices("[[questions.options]]").nth(1).unwrap().0;
    let option = place(&src, &src[second_option..]);
    assert_eq!(
        got,
        [
            (
                1,
                1,
                "missing field `tagline` at the top level of the file; see lessons/FORMAT.md"
                    .to_owned()
            ),
            (
                concept.0,
                concept.1,
                "concepts[0] (id \"messages\"): missing field `title`".to_owned()
            ),
            (
                question.0,
                question.1,
                "questions[0] (id \"q1\"): missing field `explanation`".to_owned()
            ),
            (
                option.0,
                option.1,
                "questions[0] (id \"q1\").options[1]: missing field `why`".to_owned()
            ),
        ]
    );
}

#[test]
fn type_errors_in_lists_of_tables_name_the_entry() {
    let src = MINIMAL
        .replace(
            "correct = true\nwhy = \"Messages",
            "correct = \"yes\"\nwhy = \"Messages",
        )
        .replace("label = \"Chat\"", "label = 42");
    let got = problems_of(&src);
    let yes = place(&src, "\"yes\"");
    let label = place(&src, "42");
    assert_eq!(
        got,
        [
            (
                label.0,
                label.1,
                "examples[0]: `label` is an integer; expected text (a string in quotes)"
                    .to_owned()
            ),
            (
                yes.0,
                yes.1,
                "questions[0] (id \"q1\").options[1]: `correct` is a string; expected true or false"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn drift_past_its_bound_is_an_error_that_states_the_range() {
    let src = with_scenario("\n[[scenarios.events]]\nat_ms = 5\ncommand = \"drift n2 900000\"\n");
    let got = problems_of(&src);
    let at = place(&src, "\"drift");
    assert_eq!(
        got,
        [(
            at.0,
            at.1,
            "scenario `demo`, event at 5 ms: `drift n2 900000`: drift in ppm `900000` is \
             out of range; expected an integer -500000..=500000"
                .to_owned()
        )]
    );
}

#[test]
fn replicas_zero_is_refused_for_the_kinds_that_need_replicas() {
    for (kind, range) in [("replication", "1..=8"), ("detector", "1..=8")] {
        let src = with_scenario(&format!("params = {{ kind = \"{kind}\", replicas = 0 }}\n"));
        let got = problems_of(&src);
        let at = place(&src, "0 }");
        assert_eq!(
            got,
            [(
                at.0,
                at.1,
                format!(
                    "scenario `demo`: parameter `replicas` = 0: out of range for kind = {kind}; \
                     expected an integer {range} for kind = {kind}"
                )
            )]
        );
    }
    let src = with_scenario("params = { kind = \"sharding\", replicas = 2 }\n");
    let got = problems_of(&src);
    assert!(
        got[0]
            .2
            .contains("expected an integer 0..=1 for kind = sharding"),
        "{got:?}"
    );
    let ok = with_scenario("params = { kind = \"sharding\", replicas = 0 }\n");
    lesson::parse("day002.toml", ok.as_bytes()).expect("sharding without copies is valid");
}

#[test]
fn a_whole_number_out_of_range_says_out_of_range_and_the_range() {
    for value in ["99999999999999999999", "-3", "9"] {
        let src = with_scenario(&format!("params = {{ replicas = {value} }}\n"));
        let got = problems_of(&src);
        let at = place(&src, &format!("{value} }}"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1), at, "{value}");
        assert!(
            got[0].2.contains(&format!(
                "parameter `replicas` = {value}: out of range; expected an integer 1..=8"
            )),
            "{got:?}"
        );
    }
}

#[test]
fn times_past_a_day_are_errors_at_the_number() {
    let mut src = with_question_fields(
        MINIMAL,
        "kind = \"predict\"\nscenario = \"demo\"\nuntil_ms = 9223372036854775807\n\
         expect = \"writes_issued > 0\"\n",
    );
    src.push_str(
        "\n[[scenarios.events]]\nat_ms = 86400001\ncommand = \"heal\"\n\n\
         [[scenarios.steps]]\nat_ms = 90000000\ncaption = \"Later.\"\n",
    );
    let started = std::time::Instant::now();
    let got = problems_of(&src);
    assert!(
        started.elapsed().as_secs() < 10,
        "the check must not run the question"
    );
    let until = place(&src, "9223372036854775807");
    let event = place(&src, "86400001");
    let step = place(&src, "90000000");
    let day = "expected an integer 0..=86400000 (ms: at most a day of simulated time)";
    assert_eq!(
        got,
        [
            (
                until.0,
                until.1,
                format!("question `q1`: `until_ms` = 9223372036854775807 is out of range; {day}")
            ),
            (
                event.0,
                event.1,
                format!("scenario `demo`, event at 86400001 ms: `at_ms` is out of range; {day}")
            ),
            (
                step.0,
                step.1,
                format!("scenario `demo`, step 1 (at 90000000 ms): `at_ms` is out of range; {day}")
            ),
        ]
    );
}

#[test]
fn blank_teacher_notes_point_at_the_value() {
    let text = std::fs::read_to_string(fixture("minimal.toml")).unwrap();
    let at = text
        .find("\nexplanation")
        .expect("a question's explanation");
    let with = format!("{}\nnotes = \"   \"{}", &text[..at], &text[at..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blank_notes.toml");
    std::fs::write(&path, &with).unwrap();
    let err = lesson::load_file(&path).expect_err("a blank notes is refused");
    let p = err.problems().first().expect("located");
    let line = with[..with.find("notes = ").unwrap()].matches('\n').count() + 1;
    assert_eq!(p.line, line);
    assert!(
        p.message.contains("`questions.notes` is empty"),
        "{}",
        p.message
    );
}
