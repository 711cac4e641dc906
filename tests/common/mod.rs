//! Helpers shared by the command-line tests: the binary with a predictable environment
//! (a colour terminal, no NO_COLOR, and no config file from the machine running the tests).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A config path that never exists, so a developer's own config cannot change a test.
pub const NO_CONFIG: &str = "/nonexistent/distlab-tests/config.toml";

/// What `distlab ARGS` writes to standard output, which must succeed.
pub fn stdout_of(args: &[&str]) -> String {
    let out = distlab()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("UTF-8 output")
}

/// `distlab` in a colour terminal, without NO_COLOR and without a config file.
pub fn distlab() -> Command {
    let mut cmd = Command::cargo_bin("distlab").expect("the binary builds");
    cmd.env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .env("DISTLAB_CONFIG", NO_CONFIG);
    cmd
}

/// `distlab --progress-file PATH`.
pub fn distlab_with_progress(progress: &Path) -> Command {
    let mut cmd = distlab();
    cmd.arg("--progress-file").arg(progress);
    cmd
}

/// A temporary directory and a progress file path inside it (not created).
pub fn temp_progress() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("progress.toml");
    (dir, path)
}

/// Runs `distlab ARGS` the way `distlab … | head -c 16` would: reads the first 16 bytes of
/// its output, closes the pipe, then feeds `stdin` (if any) and waits for it to end.
pub fn with_closed_pipe(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::{Read, Write};
    use std::process::{Command as StdCommand, Stdio};
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("distlab"))
        .args(args)
        .env("DISTLAB_CONFIG", NO_CONFIG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("distlab starts");
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output first");
    drop(stdout);
    let mut input = child.stdin.take().expect("piped stdin");
    if let Some(text) = stdin {
        let _ = input.write_all(text.as_bytes());
    }
    drop(input);
    child.wait_with_output().expect("distlab ends")
}

/// The right answer to each question, in the order `distlab quiz --plain` asks them: a
/// letter, or for an estimate question the answer its runs compute, as a whole number.
pub fn right_letters() -> Vec<String> {
    use distlab::quiz::{Mode, QuizSession, estimate, letter};
    let lesson = distlab::lesson::builtin().unwrap();
    let qs = lesson.questions.clone();
    // A first attempt (a fresh progress file) arranges the options by the attempt's seed.
    let mut s = QuizSession::in_lesson_order(&qs, Mode::Practice)
        .with_options_shuffled(distlab::quiz::attempt_seed("day001", 0));
    let mut out = Vec::new();
    while let Some(q) = s.current().cloned() {
        if q.estimate.is_some() {
            let answer = estimate::compute(&lesson, &q).unwrap().answer;
            s.settle_estimate(answer);
            let guess = answer.round() as usize;
            out.push(guess.to_string());
            s.answer(guess).unwrap();
        } else {
            let a = q.answer();
            out.push(letter(a).to_string());
            s.answer(a).unwrap();
        }
    }
    out
}
