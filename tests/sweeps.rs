//! The lesson's sweeps: `distlab sweep SWEEP` shows the caption, the table and every claim
//! judged on the run; `distlab check` runs them and names a claim that does not hold at
//! its line and column; a claim that cannot be checked is an error at load.

mod common;
use common::{distlab, stdout_of};

use predicates::prelude::*;

const DAY001: &str = include_str!("../lessons/day001.toml");

/// Day 001 with `from` replaced by `to` (which must occur once), as a file.
fn edited(from: &str, to: &str) -> (tempfile::TempDir, String) {
    assert_eq!(DAY001.matches(from).count(), 1, "{from}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day001.toml");
    std::fs::write(&path, DAY001.replace(from, to)).unwrap();
    let shown = path.to_str().unwrap().to_owned();
    (dir, shown)
}

/// Line and column (1-based) of the first occurrence of `needle` in `text`.
fn place(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

#[test]
fn the_lesson_offers_its_sweeps_and_each_shows_its_caption_table_and_claims() {
    let list = stdout_of(&["sweep", "--list"]);
    for id in ["loss-vs-drop", "detector-timeout", "retries-idempotency"] {
        assert!(list.contains(id), "{list}");
    }
    let text = stdout_of(&["sweep", "retries-idempotency", "--trials", "20"]);
    assert!(
        text.starts_with("Duplicate charges against retries"),
        "{text}"
    );
    assert!(
        text.contains("A retry after a timeout cannot know"),
        "{text}"
    );
    assert!(text.contains("retries  idempotency"), "{text}");
    assert!(text.contains("claims, checked on this run:"), "{text}");
    let claims: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  ok") || l.starts_with("  FAIL"))
        .collect();
    assert_eq!(claims.len(), 4, "{text}");
    assert!(claims.iter().all(|l| l.starts_with("  ok")), "{text}");
}

#[test]
fn check_runs_the_sweeps_and_names_a_claim_that_does_not_hold() {
    let claim = r#"{ where = "mode=sync", expect = "loss_seeds == 0" }"#;
    let (_dir, path) = edited(
        claim,
        r#"{ where = "mode=sync", expect = "loss_seeds > 0" }"#,
    );
    let source = std::fs::read_to_string(&path).unwrap();
    let (line, col) = place(&source, r#""loss_seeds > 0""#);
    distlab().args(["check", &path]).assert().code(2).stderr(
        predicate::str::contains(format!("{path}:{line}:{col}: sweep `loss-vs-drop`"))
            .and(predicate::str::contains("does not hold on seeds 1-200"))
            .and(predicate::str::contains("fails on 5 of 5 rows")),
    );
}

#[test]
fn a_claim_that_cannot_be_checked_is_refused_at_its_place() {
    let claim = r#"{ where = "mode=async", expect = "mean_ack_ms < 150" }"#;
    for (to, says) in [
        (
            r#"{ where = "mode=async", expect = "latency < 150" }"#,
            "latency",
        ),
        (
            r#"{ where = "mode=fast", expect = "mean_ack_ms < 150" }"#,
            "not `fast`",
        ),
        (
            r#"{ where = "colour=red", expect = "mean_ack_ms < 150" }"#,
            "not varied by this sweep",
        ),
        (
            r#"{ where = "mode=async", rises = "speed" }"#,
            "not an outcome of a sweep",
        ),
        (
            r#"{ where = "mode=async", expect = "mean_ack_ms < 150", rises = "loss_seeds" }"#,
            "more than one",
        ),
        (r#"{ where = "mode=async" }"#, "says nothing"),
        (
            r#"{ where = "drop=0.1 mode=async", rises = "loss_seeds" }"#,
            "leaves free",
        ),
    ] {
        let (_dir, path) = edited(claim, to);
        distlab()
            .args(["check", &path])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says).and(predicate::str::contains(&path)));
    }
    let (_dir, path) = edited(
        r#"scenario = "async-drop"
vary = ["drop=0,0.1,0.2,0.3,0.5""#,
        r#"scenario = "async-drop"
vary = ["drop=0,0.1,0.2,0.3,5""#,
    );
    distlab()
        .args(["check", &path])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sweep `loss-vs-drop` at drop=5"));
}

#[test]
fn a_lesson_sweep_and_a_scenario_sweep_are_told_apart() {
    distlab()
        .args(["sweep", "loss-vs-drop", "--vary", "drop=0,1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("vary their own parameters"));
    distlab()
        .args(["sweep", "async-drop"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs at least one --vary"));
    distlab()
        .args(["sweep", "nothing-here", "--vary", "drop=0"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown sweep or scenario")
                .and(predicate::str::contains("loss-vs-drop")),
        );
}

/// A flat line neither rises nor falls, and an outcome a row did not measure makes no
/// claim about it true.
#[test]
fn flat_lines_and_unmeasured_outcomes_do_not_make_a_claim_true() {
    let claim = r#"{ where = "mode=sync", expect = "loss_seeds == 0" }"#;
    for (to, says) in [
        (
            r#"{ where = "mode=sync", rises = "loss_seeds" }"#,
            "loss_seeds rises (never falls) with drop",
        ),
        (
            r#"{ where = "mode=sync", falls = "loss_seeds" }"#,
            "loss_seeds falls (never rises) with drop",
        ),
        (
            r#"{ where = "mode=sync", expect = "duplicate_charges_per_run == 0" }"#,
            "duplicate_charges_per_run = -",
        ),
    ] {
        let (_dir, path) = edited(claim, to);
        distlab()
            .args(["check", &path])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("does not hold").and(predicate::str::contains(says)));
    }
}
