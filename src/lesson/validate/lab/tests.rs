use super::*;

/// The minimal lesson with a scenario `demo` and three predict questions on it.
fn lesson_with_three_lab_questions() -> String {
    let mut src = include_str!("../../../../tests/fixtures/lessons/minimal.toml").to_owned();
    src.push_str("params = { duration_ms = 2000 }\n");
    for id in ["q2", "q3", "q4"] {
        src.push_str(&format!(
            "\n[[questions]]\nid = \"{id}\"\nchecks = \"messages\"\nkind = \"predict\"\n\
             text = \"How many?\"\nexplanation = \"Some.\"\nscenario = \"demo\"\n\
             expect = \"writes_issued > 0\"\n\n\
             [[questions.options]]\ntext = \"Some\"\ncorrect = true\nwhy = \"Yes.\"\n\n\
             [[questions.options]]\ntext = \"None\"\nwhy = \"No.\"\n"
        ));
    }
    src
}

fn lab_problems(src: &str, budget: u64) -> Vec<String> {
    let lesson: Lesson = toml::from_str(src).unwrap();
    let doc = Doc::parse(src).unwrap();
    check(&lesson, src, Some(&doc), budget)
        .into_iter()
        .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
        .collect()
}

#[test]
fn lab_questions_within_the_budget_all_run() {
    assert_eq!(
        lab_problems(&lesson_with_three_lab_questions(), LAB_EVENTS_MAX),
        Vec::<String>::new()
    );
}

#[test]
fn lab_questions_past_the_budget_are_reported_not_run() {
    let src = lesson_with_three_lab_questions();
    // The first run spends more than one event; the other two are left.
    let got = lab_problems(&src, 1);
    let line = src[..src.find("id = \"q3\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert_eq!(
        got,
        [format!(
            "{line}:6: questions `q3`, `q4` not run: the lesson's lab questions need more than 1 \
             simulated events in all; shorten their runs (`until_ms`, `duration_ms`), make them \
             send fewer messages (raise `heartbeat_ms` or `write_every_ms`) or ask fewer lab \
             questions"
        )]
    );
}

#[test]
fn the_budget_allows_several_full_runs() {
    let budget = LAB_EVENTS_MAX;
    assert!(
        budget >= 5 * EVENTS_MAX,
        "at least five runs as long as one run may be"
    );
}
