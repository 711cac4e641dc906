//! The command line as a user meets it: check, print, completions, bad input, closed pipes.

mod common;
use common::distlab;

use predicates::prelude::*;

/// The first line of a print that holds text distlab added.
const LEGEND: &str = "Text marked ┊ was added by distlab; the rest is the course's.";

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lessons/");

fn fixture(name: &str) -> String {
    format!("{FIXTURES}{name}")
}

#[test]
fn check_accepts_the_shipped_lesson() {
    let day001 = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/day001.toml");
    distlab()
        .args(["check", day001])
        .assert()
        .success()
        .stdout(format!(
            "OK: {day001} (walkthroughs checked on seeds 1-100: 1000 runs; 3 estimate \
             questions checked: 300 runs; 3 sweeps checked: 5000 runs)\n"
        ));
}

#[test]
fn check_reports_every_file_and_exits_2_if_any_fails() {
    distlab()
        .args([
            "check",
            &fixture("minimal.toml"),
            &fixture("two_right.toml"),
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("OK: ").and(predicate::str::contains("minimal.toml")))
        .stderr(predicate::str::contains(
            "two_right.toml:82:6: question `q1` has 2 right options",
        ))
        .stderr(predicate::str::contains("1 of 2 lesson files failed"));
}

#[test]
fn missing_empty_binary_and_syntax_errors_exit_2_with_the_file_named() {
    let cases = [
        (
            "does-not-exist.toml",
            "does-not-exist.toml: cannot read the lesson file: no such file",
        ),
        ("empty.toml", "empty.toml: the file is empty"),
        ("binary.toml", "binary.toml:2:4: this is not a text file"),
        (
            "syntax_error.toml",
            "syntax_error.toml:4:35: invalid basic string",
        ),
    ];
    for (file, message) in cases {
        distlab()
            .args(["check", &fixture(file)])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
        // The same file given to --lesson fails the same way, before anything is printed.
        distlab()
            .args(["--lesson", &fixture(file), "print"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn print_shows_the_whole_lesson_as_plain_text() {
    let out = distlab()
        .arg("print")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with(&format!(
        "{LEGEND}\n\nDay 001: Distributed Systems Foundations\n====="
    )));
    for needle in [
        "✗ Incorrect: \"A cluster is just one big computer.\"",
        "✓ Correct: ",
        "    def replicate_write(primary, replicas, value):",
        "        for replica in replicas:",
        "Link: https://www.somethingsimilar.com/2013/01/14/notes-on-distributed-systems-for-young-bloods/",
        "Question 1/",
        "a) It always uses more CPU cores.",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
    assert!(!text.contains('\u{1b}'), "no escape codes in a pipe");
    assert!(!text.contains("[Specify"));
    assert!(
        !text.contains("Answer:"),
        "answers are hidden without --answers"
    );
    let too_wide =
        |l: &&str| unicode_width::UnicodeWidthStr::width(*l) > 80 && !l.contains("https://");
    assert_eq!(
        text.lines().find(too_wide),
        None,
        "wrapped at 80; links are never split"
    );
}

#[test]
fn print_section_and_answers() {
    let out = distlab()
        .args(["print", "--section", "quiz", "--answers", "--width", "60"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    // The legend wraps at the width too.
    let legend = LEGEND.replace(" course's.", "\ncourse's.");
    assert!(text.starts_with(&format!("{legend}\n\nKnowledge Check\n")));
    assert!(text.contains("✓ b) It coordinates independent components"));
    assert!(text.contains("Answer: b. Independent components"));
    assert!(!text.contains("Learning Objectives"));
    assert!(
        text.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 60)
    );
}

#[test]
fn print_one_concept_by_id() {
    distlab()
        .args(["print", "--section", "time-failure"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "{LEGEND}\n\nCONCEPT 3: TIME, FAILURE"
        )));
}

#[test]
fn unknown_section_is_usage_error_listing_valid_ids() {
    distlab()
        .args(["print", "--section", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown section `nope`; expected one of: intro, aha",
        ));
}

#[test]
fn bare_distlab_into_a_pipe_prints_the_lesson() {
    distlab()
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "{LEGEND}\n\nDay 001: Distributed Systems Foundations"
        )));
}

#[test]
fn lesson_option_loads_another_file() {
    distlab()
        .args([
            "--lesson",
            &fixture("minimal.toml"),
            "print",
            "--section",
            "intro",
        ])
        .assert()
        .success()
        .stdout("Day 999: A Minimal Lesson\n=========================\n\nShort, but complete.\n");
}

#[test]
fn hostile_lesson_text_never_reaches_the_output() {
    let out = distlab()
        .args(["--lesson", &fixture("hostile_text.toml"), "print"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Short, but complete. evil"));
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{85}', '\u{202e}'] {
        assert!(!text.contains(bad), "{bad:?} reached the output");
    }
}

#[test]
fn usage_errors_exit_2_and_help_and_version_exit_0() {
    distlab()
        .arg("--no-such-flag")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--no-such-flag"));
    distlab().arg("check").assert().code(2);
    distlab().arg("--help").assert().success().stdout(
        predicate::str::contains("Examples:").and(predicate::str::contains("distlab print")),
    );
    distlab()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("distlab 0."));
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef distlab"),
        ("fish", "complete -c distlab"),
    ] {
        distlab()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("print")));
    }
    distlab()
        .args(["completions", "powershell"])
        .assert()
        .code(2);
}

#[test]
fn closed_pipe_ends_quietly() {
    let out = common::with_closed_pipe(&["print", "--answers"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "status {:?}, stderr {stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn lab_checks_the_scenario_before_touching_the_terminal() {
    distlab()
        .args(["lab", "no-such-scenario"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "unknown scenario `no-such-scenario`; expected one of: async-drop, sync-drop",
        ));
    distlab()
        .args(["lab", "partition", "--seed", "7"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the lab needs a terminal"));
    distlab().args(["lab", "--seed", "x"]).assert().code(2);
}

#[test]
fn lab_checks_a_comparison_before_touching_the_terminal() {
    for (spec, says) in [
        ("mode=async", "two settings of one parameter"),
        (
            "mode=async,drop=0.1",
            "set different parameters (`mode` and `drop`)",
        ),
        (
            "mode=async,async",
            "a comparison needs two different values",
        ),
        (
            "drop=0.1,0.10",
            "drop=0.1 and drop=0.10 are the same setting",
        ),
        (
            "mode=async,fast",
            "parameter `mode` = fast: not one of the choices",
        ),
        ("nosuch=1,2", "unknown parameter `nosuch`"),
        (
            "kind=detector,checkout",
            "`kind` changes what the scenario is",
        ),
        ("mode=\u{1b}[31m,sync", "--compare `mode="),
    ] {
        let out = distlab()
            .args(["lab", "async-drop", "--compare", spec])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(says));
        // No escape byte from the command line is echoed back.
        assert!(!out.get_output().stderr.contains(&0x1b), "{spec}");
    }
    distlab()
        .args([
            "lab",
            "async-drop",
            "--compare",
            "mode=async,sync",
            "--walkthrough",
        ])
        .assert()
        .code(2);
    // A good comparison gets as far as the terminal.
    distlab()
        .args(["lab", "async-drop", "--compare", "mode=async,sync"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the lab needs a terminal"));
}

#[test]
fn present_needs_a_terminal_and_a_socket_that_is_one() {
    distlab()
        .arg("present")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a terminal"));
    distlab()
        .args(["present", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--socket"));
}
