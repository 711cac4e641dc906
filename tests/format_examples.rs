//! The lessons lessons/FORMAT.md shows are valid lessons, and a lesson shows only the
//! sections it has: no heading over a section left out or written empty.

use distlab::lesson;
use distlab::plain::{PrintOptions, print_lesson};

const FORMAT: &str = include_str!("../lessons/FORMAT.md");
const SMALLEST: &str = include_str!("fixtures/lessons/smallest.toml");

/// Every whole lesson in FORMAT.md: its TOML blocks that start with `format_version`.
fn format_lessons() -> Vec<String> {
    FORMAT
        .split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split_once("\n```").map(|(body, _)| body.to_owned()))
        .filter(|b| b.starts_with("format_version"))
        .collect()
}

fn printed(l: &lesson::Lesson) -> String {
    let mut out = Vec::new();
    let opts = PrintOptions {
        width: 100,
        section: None,
        answers: false,
    };
    print_lesson(l, &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn format_md_shows_the_smallest_lesson_and_a_complete_one_and_both_are_valid() {
    let lessons = format_lessons();
    assert_eq!(
        lessons.len(),
        2,
        "FORMAT.md shows the smallest and a complete lesson"
    );
    for src in &lessons {
        if let Err(e) = lesson::parse("FORMAT.md", src.as_bytes()) {
            panic!("a lesson in FORMAT.md is invalid:\n{e}\n{src}");
        }
    }
    // The smallest one is the fixture the tests below use, and it is short.
    assert_eq!(lessons[0].trim(), SMALLEST.trim());
    assert!(SMALLEST.lines().count() <= 25);
}

#[test]
fn a_lesson_shows_only_the_sections_it_has() {
    let l = lesson::parse("smallest.toml", SMALLEST.as_bytes()).unwrap();
    let text = printed(&l);
    for shown in [
        "Day 000: The Smallest Lesson",
        "Core Concepts Explained",
        "Knowledge Check",
    ] {
        assert!(text.contains(shown), "{shown} missing:\n{text}");
    }
    for absent in [
        "\"Aha!\"",
        "Why This Matters",
        "Learning Objectives",
        "Troubleshooting",
        "Advanced Connections",
        "Resources",
        "Key Insights",
        "Practical implications",
        "When to use it",
        "Fundamental trade-off",
    ] {
        assert!(
            !text.contains(absent),
            "`{absent}` shown with nothing under it:\n{text}"
        );
    }
    // Written empty is the same as left out.
    let empty = SMALLEST.replace(
        "[[concepts]]",
        "troubleshooting = []\nkey_insights = []\nexamples = []\n\n[[concepts]]",
    );
    let l = lesson::parse("empty.toml", empty.as_bytes()).unwrap();
    assert_eq!(printed(&l), text);
    // A section it does not have is not one to print or to check.
    assert!(distlab::plain::check_section(&l, "resources").is_err());
    let checks_absent = SMALLEST.replace("checks = \"messages\"", "checks = \"resources\"");
    let err = lesson::parse("absent.toml", checks_absent.as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("neither a concept nor a section of this lesson"),
        "{err}"
    );
}

#[test]
fn a_concept_with_only_a_title_is_refused_at_its_place() {
    let src = SMALLEST.replace(
        "intuition = \"A message sent now arrives later, or never.\"\n",
        "",
    );
    let err = lesson::parse("bare.toml", src.as_bytes()).unwrap_err();
    let line = src
        .lines()
        .position(|l| l.starts_with("title = \"Messages"))
        .unwrap()
        + 1;
    let p = &err.problems()[0];
    assert_eq!(p.line, line, "{err}");
    assert!(p.message.contains("has only a title"), "{err}");
}

#[test]
fn a_concept_may_name_one_scenario_or_several() {
    let l = lesson::builtin().unwrap();
    assert!(l.concepts.iter().any(|c| c.scenario.len() > 1));
    // Every scenario is reachable from a concept.
    for s in &l.scenarios {
        assert!(
            l.concepts.iter().any(|c| c.scenario.contains(&s.id)),
            "no concept offers `{}`",
            s.id
        );
    }
    // A name in a list that does not resolve is reported at that name.
    let src = include_str!("../lessons/day001.toml").replace(
        "[\"async-drop\", \"partition\", \"checkout\"]",
        "[\"async-drop\", \"partitoin\", \"checkout\"]",
    );
    let err = lesson::parse("day001.toml", src.as_bytes()).unwrap_err();
    let p = &err.problems()[0];
    let at = src.find("\"partitoin\"").unwrap();
    let line = src[..at].lines().count();
    assert_eq!(p.line, line, "{err}");
    assert!(p.message.contains("`partitoin`"), "{err}");
}
