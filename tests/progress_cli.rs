//! `distlab progress`: the report, the JSON export, and resetting with and without
//! confirmation; two `distlab quiz --plain` runs at once keeping both attempts; a file that
//! may not be read. Every run uses `--progress-file` in a temp dir.

mod common;
use common::{distlab_with_progress as distlab, temp_progress as temp};

use std::fs;
use std::path::Path;

use distlab::progress::{Attempt, ProgressStore};
use predicates::prelude::*;

/// Two finished attempts, q4 missed twice, q2 missed once, a reading position.
fn saved(path: &Path) {
    let mut store = ProgressStore::fresh(path);
    let day = store.lesson_mut("day001");
    day.record_answer("q2", false);
    day.record_answer("q2", true);
    day.record_answer("q4", false);
    day.record_answer("q4", false);
    day.record_answer("q1", true);
    day.set_reading("concepts", 12);
    let attempt = |right, finished_at| Attempt {
        right,
        total: 15,
        elapsed_secs: 200,
        finished_at,
    };
    day.record_attempt(attempt(13, 1));
    day.record_attempt(attempt(9, 2));
    store.lesson_mut("day002").record_answer("x1", true);
    store.save().unwrap();
}

#[test]
fn with_no_progress_it_says_so_and_creates_no_file() {
    let (_dir, path) = temp();
    let out = distlab(&path).arg("progress").assert().success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        out.starts_with("Progress for Day 001 (day001) in "),
        "{out}"
    );
    assert!(out.contains("Attempts: 0\nBest score: none yet\nLast score: none yet\n"));
    assert!(out.contains("Weakest questions: none missed yet\n"));
    assert!(out.ends_with("Take the quiz: distlab quiz\n"));
    assert!(!path.exists());
}

#[test]
fn the_report_shows_attempts_scores_reading_and_weakest_questions() {
    let (_dir, path) = temp();
    saved(&path);
    let out = distlab(&path).arg("progress").assert().success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(out.contains("Attempts: 2\n"));
    assert!(out.contains("Best score: 13/15 (86%)\n"));
    assert!(out.contains("Last score: 9/15 (60%)\n"));
    assert!(out.contains("Questions answered at least once: 3 of 30\n"));
    assert!(out.contains("Reading position: concepts, line 12\n"));
    let weak = out.split_once("Weakest questions:\n").unwrap().1;
    let mut weak = weak.lines();
    // Named by a short title, in plain words, one line each within 80 columns.
    let first = weak.next().unwrap();
    assert!(first.starts_with("- In the store's checkout"), "{first}");
    assert!(first.ends_with("… (right 0 of 2 times)"), "{first}");
    let second = weak.next().unwrap();
    assert!(second.starts_with("- Why does replication"), "{second}");
    assert!(second.ends_with(" (right 1 of 2 times)"), "{second}");
    assert!(first.chars().count() <= 80 && second.chars().count() <= 80);
    assert_eq!(weak.next(), None);
    assert!(!out.contains('\x1b'));
}

#[test]
fn json_exports_everything() {
    let (_dir, path) = temp();
    saved(&path);
    let out = distlab(&path)
        .args(["progress", "--json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["format_version"], 2);
    assert_eq!(v["lesson"], "day001");
    assert_eq!(v["file"], path.display().to_string());
    let day = &v["lessons"]["day001"];
    assert_eq!(day["attempts"], 2);
    assert_eq!(day["best"]["right"], 13);
    assert_eq!(day["last"]["right"], 9);
    assert_eq!(day["reading"]["section"], "concepts");
    assert_eq!(day["questions"]["q4"]["asked"], 2);
    assert_eq!(day["questions"]["q4"]["box"], 1);
    assert_eq!(day["questions"]["q4"]["last"], "wrong");
    assert_eq!(v["lessons"]["day002"]["questions"]["x1"]["right"], 1);
    let weakest: Vec<&str> = v["weakest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(weakest, ["q4", "q2"]);
}

#[test]
fn reset_with_yes_forgets_this_lesson_only() {
    let (_dir, path) = temp();
    saved(&path);
    distlab(&path)
        .args(["progress", "--reset", "--yes"])
        .assert()
        .success()
        .stdout(format!(
            "Reset progress for day001 in {}.\n",
            path.display()
        ));
    let (store, _) = ProgressStore::open(&path).unwrap();
    assert!(store.lesson("day001").is_none());
    assert!(store.lesson("day002").is_some(), "other lessons kept");
}

#[test]
fn reset_asks_first_and_only_yes_resets() {
    let (_dir, path) = temp();
    saved(&path);
    let before = fs::read(&path).unwrap();
    let prompt = format!("Reset progress for day001 in {}? [y/N] ", path.display());
    for answer in ["n\n", "\n", "", "maybe\n"] {
        distlab(&path)
            .args(["progress", "--reset"])
            .write_stdin(answer)
            .assert()
            .success()
            .stderr(prompt.clone())
            .stdout("Nothing was reset.\n");
        assert_eq!(
            fs::read(&path).unwrap(),
            before,
            "answer {answer:?} kept it"
        );
    }
    distlab(&path)
        .args(["progress", "--reset"])
        .write_stdin("Y\n")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Reset progress for day001"));
    assert!(
        ProgressStore::open(&path)
            .unwrap()
            .0
            .lesson("day001")
            .is_none()
    );
}

#[test]
fn reset_with_nothing_saved_says_so() {
    let (_dir, path) = temp();
    distlab(&path)
        .args(["progress", "--reset", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("nothing to reset"));
    assert!(!path.exists());
}

#[test]
fn bad_flag_combinations_are_usage_errors() {
    let (_dir, path) = temp();
    for args in [
        &["progress", "--json", "--reset"][..],
        &["progress", "--yes"],
    ] {
        distlab(&path).args(args).assert().code(2);
    }
}

#[test]
fn a_newer_progress_file_is_an_error_and_left_alone() {
    let (_dir, path) = temp();
    fs::write(&path, "format_version = 99\n").unwrap();
    distlab(&path)
        .arg("progress")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("newer than this distlab reads"));
    assert_eq!(fs::read_to_string(&path).unwrap(), "format_version = 99\n");
}

/// `distlab quiz --plain` on `path`, reading answers from a pipe the caller writes to.
fn quiz_process(path: &Path) -> std::process::Child {
    use std::process::{Command, Stdio};
    Command::new(assert_cmd::cargo::cargo_bin("distlab"))
        .env("DISTLAB_CONFIG", common::NO_CONFIG)
        .arg("--progress-file")
        .arg(path)
        .args(["quiz", "--plain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("distlab starts")
}

#[test]
fn two_plain_quizzes_at_once_keep_both_attempts_and_every_answer() {
    use std::io::Write;
    let (_dir, path) = temp();
    let right = common::right_letters();
    // A wrong letter, or for an estimate question the bottom of its scale, far from the
    // answers of the shipped lesson's estimates.
    let wrong: Vec<String> = right
        .iter()
        .map(|c| match c.as_str() {
            "a" => "b".to_owned(),
            c if c.len() == 1 => "a".to_owned(),
            _ => "0".to_owned(),
        })
        .collect();
    let mut first = quiz_process(&path);
    let mut second = quiz_process(&path);
    {
        let mut to_first = first.stdin.take().unwrap();
        let mut to_second = second.stdin.take().unwrap();
        // Both have loaded the (missing) file before either answers; then they answer in
        // turn, each saving after every answer.
        std::thread::sleep(std::time::Duration::from_millis(300));
        for (r, w) in right.iter().zip(&wrong) {
            writeln!(to_first, "{r}").unwrap();
            writeln!(to_second, "{w}").unwrap();
            std::thread::sleep(std::time::Duration::from_millis(15));
        }
    }
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert_eq!(stderr, "", "no warning");
    }
    let (store, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    let day = store.lesson("day001").unwrap();
    let n = u32::try_from(right.len()).unwrap();
    assert_eq!(day.attempts, 2, "both attempts kept");
    assert_eq!(day.best.unwrap().score().to_string(), format!("{n}/{n}"));
    assert_eq!(day.questions.len(), right.len());
    for (id, q) in &day.questions {
        assert_eq!((q.asked, q.right), (2, 1), "{id}: one right, one wrong");
    }
}

#[cfg(unix)]
#[test]
fn a_progress_file_that_may_not_be_read_is_reported_and_left_in_place() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = temp();
    saved(&path);
    let before = fs::read(&path).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    // The directory is open to all, so the old build could (wrongly) move the file aside.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let mut cmd = if fs::read(&path).is_ok() {
        // Root reads any file: run distlab as `nobody`, who may not.
        let setpriv = Path::new("/usr/bin/setpriv");
        if !setpriv.exists() {
            eprintln!("running as root without setpriv: skipped");
            return;
        }
        let mut cmd = assert_cmd::Command::new(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(assert_cmd::cargo::cargo_bin("distlab"))
            .env("DISTLAB_CONFIG", common::NO_CONFIG)
            .arg("--progress-file")
            .arg(&path);
        cmd
    } else {
        distlab(&path)
    };
    let out = cmd.arg("progress").assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    assert!(
        stderr.contains(&format!("{}: permission denied", path.display())),
        "{stderr}"
    );
    assert_eq!(fs::read(&path).unwrap(), before, "left where it was");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("corrupt"))
        .collect();
    assert!(names.is_empty(), "nothing moved aside: {names:?}");
}
