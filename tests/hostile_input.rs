//! Untrusted bytes never reach the terminal: OSC 52 (clipboard write), CSI (clear screen,
//! colours) and 8-bit C1 sequences injected into every kind of value distlab repeats back —
//! parameter values and names in a lesson, commands and names in a replay file, config
//! values, file names, `--section`, `sim ID`, `--set`, `lab ID`, flag values clap rejects,
//! and standard input echoed by `quiz --plain` — come back with no escape byte and no C1
//! control on stdout or stderr. Also: hostile sizes and kinds of file are refused quickly.

mod common;

use std::fs;
use std::path::Path;

use common::distlab;

const OSC52: &str = "\u{1b}]52;c;aGVsbG8=\u{7}";
const CSI: &str = "\u{1b}[2J\u{1b}[31m";
const C1: &str = "\u{9b}31m\u{9d}0;title\u{9c}";
/// The three, as TOML escapes (a TOML string cannot hold them raw).
const TOML_HOSTILE: &str = "\\u001b]52;c;aGVsbG8=\\u0007\\u001b[2J\\u009b31m\\u009d0;t\\u009c";

fn hostile() -> String {
    format!("x{OSC52}{CSI}{C1}y")
}

/// Asserts that `bytes` holds no ESC and no C1 control (U+0080..U+009F, as UTF-8).
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !bytes.contains(&0x1b),
        "{what}: an ESC byte reached the terminal: {text:?}"
    );
    assert!(
        !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "{what}: a C1 control reached the terminal: {text:?}"
    );
    assert!(
        !bytes
            .windows(2)
            .any(|w| w == b"\xc2\x9b" || w == b"\xc2\x9d"),
        "{what}: an 8-bit CSI or OSC reached the terminal"
    );
}

/// Runs `distlab` with `args` (and `stdin`), expects a failure, and checks both streams.
fn run_clean(what: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let out = distlab()
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("distlab runs");
    assert_clean(&format!("{what} (stdout)"), &out.stdout);
    assert_clean(&format!("{what} (stderr)"), &out.stderr);
    out
}

/// The built-in lesson with `from` replaced by `to` (once), written to `dir`.
fn lesson_with(dir: &Path, from: &str, to: &str) -> String {
    let source = include_str!("../lessons/day001.toml");
    assert!(
        source.contains(from),
        "the fixture text `{from}` is in the lesson"
    );
    let path = dir.join("hostile.toml");
    fs::write(&path, source.replacen(from, to, 1)).unwrap();
    path.display().to_string()
}

#[test]
fn hostile_values_in_a_lesson_are_never_echoed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "mode value",
            "mode = \"async\"",
            format!("mode = \"{TOML_HOSTILE}\""),
        ),
        (
            "kind value",
            "kind = \"replication\"",
            format!("kind = \"{TOML_HOSTILE}\""),
        ),
        (
            "timestamps value",
            "timestamps = \"wall\"",
            format!("timestamps = \"{TOML_HOSTILE}\""),
        ),
        (
            "parameter name",
            "mode = \"async\"",
            format!("\"{TOML_HOSTILE}\" = 1"),
        ),
        (
            "field name",
            "id = \"day001\"",
            format!("id = \"day001\"\n\"{TOML_HOSTILE}\" = 1"),
        ),
        (
            "event command",
            "command = \"crash @primary\"",
            format!("command = \"crash {TOML_HOSTILE}\""),
        ),
    ];
    for (what, from, to) in cases {
        let path = lesson_with(dir.path(), from, &to);
        for args in [
            vec!["check", path.as_str()],
            vec!["--lesson", path.as_str(), "print"],
            vec!["--lesson", path.as_str(), "sim", "async-drop"],
        ] {
            let out = run_clean(what, &args, "");
            assert_eq!(out.status.code(), Some(2), "{what}: {args:?} is bad input");
        }
    }
}

#[test]
fn hostile_command_line_values_are_never_echoed_raw() {
    let h = hostile();
    let (set_value, set_key) = (format!("mode={h}"), format!("{h}=1"));
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("file name", vec!["check", &h]),
        ("lesson file name", vec!["--lesson", &h, "print"]),
        ("--section", vec!["print", "--section", &h]),
        ("sim ID", vec!["sim", &h]),
        ("lab ID", vec!["lab", &h]),
        (
            "--set value",
            vec!["sim", "async-drop", "--set", &set_value],
        ),
        ("--set key", vec!["sim", "async-drop", "--set", &set_key]),
        ("--set without =", vec!["sim", "async-drop", "--set", &h]),
        ("--theme (clap)", vec!["--theme", &h, "print"]),
        ("unknown subcommand (clap)", vec![&h]),
        ("replay file name", vec!["sim", "--replay", &h]),
    ];
    for (what, args) in cases {
        let out = run_clean(what, &args, "");
        assert_eq!(out.status.code(), Some(2), "{what}: bad input exits 2");
    }
}

#[test]
fn hostile_replay_and_config_files_are_never_echoed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let replays = [
        format!("scenario = \"{TOML_HOSTILE}\"\nseed = 1\n"),
        format!(
            "scenario = \"async-drop\"\nseed = 1\n[[commands]]\nat_us = 5\ncommand = \"crash {TOML_HOSTILE}\"\n"
        ),
        format!("scenario = \"async-drop\"\nseed = 1\n[set]\nmode = \"{TOML_HOSTILE}\"\n"),
        format!("scenario = \"async-drop\"\nseed = 1\n\"{TOML_HOSTILE}\" = 2\n"),
    ];
    for (i, text) in replays.iter().enumerate() {
        let path = dir.path().join(format!("replay-{i}.toml"));
        fs::write(&path, text).unwrap();
        let p = path.display().to_string();
        let out = run_clean(&format!("replay {i}"), &["sim", "--replay", &p], "");
        assert_eq!(out.status.code(), Some(2), "replay {i} is bad input");
    }
    let configs = [
        format!("theme = \"{TOML_HOSTILE}\"\n"),
        format!("\"{TOML_HOSTILE}\" = true\n"),
        format!("speed = \"{TOML_HOSTILE}\"\n"),
    ];
    for (i, text) in configs.iter().enumerate() {
        let path = dir.path().join(format!("config-{i}.toml"));
        fs::write(&path, text).unwrap();
        let out = distlab()
            .env("DISTLAB_CONFIG", &path)
            .arg("print")
            .output()
            .unwrap();
        assert_clean(&format!("config {i} (stderr)"), &out.stderr);
        assert_clean(&format!("config {i} (stdout)"), &out.stdout);
        assert_eq!(out.status.code(), Some(2), "config {i} is bad input");
    }
}

#[test]
fn quiz_plain_never_echoes_standard_input_raw() {
    let (_dir, progress) = common::temp_progress();
    let stdin = format!("{}\n{}\n{}\na\n", hostile(), OSC52, "é".repeat(10_000));
    let out = distlab()
        .arg("--progress-file")
        .arg(&progress)
        .args(["quiz", "--plain"])
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert_clean("quiz --plain (stdout)", &out.stdout);
    assert_clean("quiz --plain (stderr)", &out.stderr);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Not an option"),
        "junk is not an answer: {text}"
    );
    assert!(
        !text.contains(&"é".repeat(100)),
        "a long line is echoed bounded"
    );
}

#[test]
fn endless_invalid_answers_stop_the_plain_quiz_with_a_message() {
    let (_dir, progress) = common::temp_progress();
    let out = distlab()
        .arg("--progress-file")
        .arg(&progress)
        .args(["quiz", "--plain"])
        .write_stdin("zz\n".repeat(1000))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not an option"), "{err}");
}

#[test]
fn devices_fifos_directories_and_huge_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    fs::write(&big, "# x\n".repeat(1_200_000)).unwrap();
    let d = dir.path().display().to_string();
    let b = big.display().to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["check", "/dev/zero"], "not a regular file"),
        (vec!["check", &d], "directory"),
        (vec!["check", &b], "larger than 4096 KiB"),
        (vec!["sim", "--replay", "/dev/zero"], "not a regular file"),
        (vec!["sim", "--replay", &b], "larger than 1024 KiB"),
        (
            vec!["--progress-file", "/dev/zero", "progress"],
            "not a regular file",
        ),
        (
            vec!["--progress-file", &d, "progress"],
            "not a regular file",
        ),
    ];
    #[cfg(unix)]
    let fifo = {
        let fifo = dir.path().join("fifo.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        made.is_ok_and(|s| s.success())
            .then(|| fifo.display().to_string())
    };
    let mut cases = cases;
    #[cfg(unix)]
    if let Some(f) = &fifo {
        cases.push((vec!["check", f], "not a regular file"));
        cases.push((vec!["--lesson", f, "print"], "not a regular file"));
    }
    for (args, expected) in cases {
        let out = distlab()
            .args(&args)
            .timeout(std::time::Duration::from_secs(10))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let config = distlab()
        .env("DISTLAB_CONFIG", "/dev/zero")
        .arg("print")
        .timeout(std::time::Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(config.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&config.stderr).contains("not a regular file"));
}

#[test]
fn a_run_that_would_make_too_many_events_stops_with_a_clear_message() {
    let out = distlab()
        .args(["sim", "sharding", "--set", "rate_per_s=100000"])
        .args(["--set", "duration_ms=86400000", "--json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let max = distlab::sim::EVENTS_MAX;
    assert!(err.contains(&format!("after {max} events")), "{err}");
    // Each event of this run is narrated in about 1.5 lines (a request and its reply).
    let lines = out.stdout.iter().filter(|&&b| b == b'\n').count() as u64;
    assert!(
        lines <= 3 * max,
        "output is bounded by the event budget: {lines} lines"
    );
}

#[test]
fn hostile_progress_paths_and_contents_are_never_echoed_raw() {
    let dir = tempfile::tempdir().unwrap();
    let hostile_path = dir.path().join(format!("p{OSC52}{C1}.toml"));
    let crafted = dir.path().join("crafted.toml");
    fs::write(
        &crafted,
        format!(
            "format_version = 2\n[lessons.day001]\nattempts = 0\n[lessons.day001.reading]\n\
             section = \"aha{TOML_HOSTILE}\"\nline = 3\n[lessons.day001.questions.\"q1{TOML_HOSTILE}\"]\n\
             asked = 2\nright = 0\nbox = 1\n[lessons.\"x{TOML_HOSTILE}\"]\nattempts = 1\n\
             # end of distlab progress\n"
        ),
    )
    .unwrap();
    for path in [&hostile_path, &crafted] {
        for args in [vec!["progress"], vec!["progress", "--json"]] {
            let out = distlab()
                .arg("--progress-file")
                .arg(path)
                .args(&args)
                .output()
                .unwrap();
            assert!(out.status.success(), "{args:?}: {out:?}");
            assert_clean(&format!("{args:?} (stdout)"), &out.stdout);
            assert_clean(&format!("{args:?} (stderr)"), &out.stderr);
            if args.len() == 2 && path == &crafted {
                let json: serde_json::Value = serde_json::from_slice(&out.stdout)
                    .unwrap_or_else(|e| panic!("still JSON: {e}"));
                assert!(json["lessons"]["day001"].is_object());
            }
        }
    }
}

#[test]
fn endless_standard_input_is_an_error_not_a_hang() {
    let (_dir, progress) = common::temp_progress();
    let zeros = "\0".repeat(3 * 1024 * 1024);
    let out = distlab()
        .arg("--progress-file")
        .arg(&progress)
        .args(["quiz", "--plain"])
        .write_stdin(zeros.clone())
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("longer than 1024 KiB"));
    // `progress --reset` asks for a confirmation: the same bounded read.
    let (_dir2, path) = common::temp_progress();
    distlab()
        .arg("--progress-file")
        .arg(&path)
        .args(["quiz", "--plain"])
        .write_stdin("a\n")
        .assert()
        .success();
    let out = distlab()
        .arg("--progress-file")
        .arg(&path)
        .args(["progress", "--reset"])
        .write_stdin(zeros)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("longer than 1024 KiB"));
}

#[test]
fn a_file_with_thousands_of_problems_lists_the_first_hundred() {
    let dir = tempfile::tempdir().unwrap();
    let keys: String = (0..5000).map(|k| format!("k{k} = 1\n")).collect();
    let path = lesson_with(dir.path(), "[why]\n", &format!("[why]\n{keys}"));
    let out = run_clean("many problems", &["check", &path], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let listed = err.lines().filter(|l| l.contains("unknown field")).count();
    assert_eq!(listed, distlab::lesson::PROBLEMS_SHOWN, "{err}");
    assert!(
        err.contains("4900 more problems not shown; fix these first"),
        "{err}"
    );
}
