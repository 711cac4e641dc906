//! A course: a course.toml lists lesson files in order. It loads with every lesson checked,
//! reports every problem at its file:line:col at once, opens a start screen that lists the
//! lessons with their progress, opens one, and offers the next once its quiz is done.

mod common;
mod tui_support;

use std::fs;
use std::path::Path;
use std::sync::mpsc;

use distlab::course;
use distlab::progress::ProgressStore;
use distlab::tui::CourseOptions;
use distlab::tui::terminal::Msg;
use distlab::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_support::IoBackend;

const DAY001: &str = include_str!("../lessons/day001.toml");
const SMALLEST: &str = include_str!("fixtures/lessons/smallest.toml");

/// A course in a temporary directory: `course` as its course.toml, and these lesson files.
fn course_dir(course: &str, lessons: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("course.toml"), course).unwrap();
    for (name, text) in lessons {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn two_lessons() -> tempfile::TempDir {
    course_dir(
        "title = \"Two days\"\nlessons = [\"day001.toml\", \"day000.toml\"]\n",
        &[("day001.toml", DAY001), ("day000.toml", SMALLEST)],
    )
}

#[test]
fn the_shipped_course_loads_and_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let c = course::load(&dir).unwrap();
    assert_eq!(c.lessons[0].lesson.id, "day001");
    // Loading through the course file itself is the same.
    let again = course::load(&dir.join("course.toml")).unwrap();
    assert_eq!(again.lessons.len(), c.lessons.len());
    let out = common::distlab()
        .args(["check", "--seeds", "1-2"])
        .arg(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("OK: ") && stdout.contains("day001.toml"),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("\"{}\"", c.title)), "{stdout}");
}

#[test]
fn every_problem_of_a_course_is_reported_at_its_place_at_once() {
    let broken = SMALLEST.replace("title = \"Messages Take Time\"\n", "");
    let text = "title = \"Broken\"\n\
                lessons = [\"day000.toml\", \"missing.toml\", 7, \"again.toml\", \"bad.toml\", \"day000.toml\"]\n\
                teacher = \"me\"\n";
    let dir = course_dir(
        text,
        &[
            ("day000.toml", SMALLEST),
            // The same lesson id in two files would mix their progress.
            ("again.toml", SMALLEST),
            ("bad.toml", &broken),
        ],
    );
    let err = course::load(dir.path()).unwrap_err().to_string();
    let at = |needle: &str| {
        let i = text.find(needle).unwrap();
        let line = text[..i].matches('\n').count() + 1;
        let col = i - text[..i].rfind('\n').map_or(0, |n| n + 1) + 1;
        format!("course.toml:{line}:{col}: ")
    };
    for (place, message) in [
        (
            at("\"missing.toml\""),
            "lesson `missing.toml` does not exist",
        ),
        (
            at("7"),
            "a lesson is an integer; expected a file name in quotes",
        ),
        (
            at("\"again.toml\""),
            "has id `day000`, as `day000.toml` does",
        ),
        (at("\"bad.toml\""), "lesson `bad.toml` is not valid"),
        (
            at("\"day000.toml\"]"),
            "lesson `day000.toml` is listed twice",
        ),
        (at("teacher"), "unknown field `teacher`"),
    ] {
        let line = err.lines().find(|l| l.contains(&place));
        assert!(
            line.is_some_and(|l| l.contains(message)),
            "no `{place}{message}` in:\n{err}"
        );
    }
    // The broken lesson's own problem follows, at its own place.
    assert!(
        err.contains("bad.toml:6:1: concepts[0] (id \"messages\"): missing field `title`"),
        "{err}"
    );
    // The same, and exit status 2, from the command line, before any terminal is touched.
    for args in [["check"], ["--course"]] {
        let out = common::distlab()
            .args(args)
            .arg(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("does not exist") && stderr.contains("bad.toml:6:1"),
            "{stderr}"
        );
    }
}

#[test]
fn a_course_with_no_file_or_a_command_after_it_is_refused_clearly() {
    let empty = tempfile::tempdir().unwrap();
    let out = common::distlab()
        .arg("--course")
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("course.toml") && stderr.contains("cannot read"),
        "{stderr}"
    );
    let dir = two_lessons();
    let out = common::distlab()
        .arg("--course")
        .arg(dir.path())
        .arg("print")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--lesson FILE"), "{stderr}");
    // Without a terminal, it lists the lessons and says how to open one.
    let out = common::distlab()
        .arg("--course")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.starts_with("Two days\n"), "{stdout}");
    assert!(
        stdout.contains("  2. Day 000: The Smallest Lesson (day000.toml)"),
        "{stdout}"
    );
}

fn key(code: KeyCode) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn chars(s: &str) -> Vec<Msg> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

fn ctrl_c() -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )))
}

/// Runs the course screen on a test terminal, fed `input`; returns the last screen.
fn run_course(dir: &Path, progress: &Path, input: Vec<Msg>) -> String {
    let c = course::load(dir).unwrap();
    let (store, _) = ProgressStore::open(progress).unwrap();
    let options = CourseOptions {
        theme: Theme::builtin("dark").unwrap(),
        progress: Some(store),
        warning: None,
        display: Default::default(),
    };
    let (tx, rx) = mpsc::channel();
    for m in input {
        tx.send(m).unwrap();
    }
    drop(tx);
    let mut terminal = Terminal::new(IoBackend(TestBackend::new(100, 30))).unwrap();
    let warning = distlab::tui::course_loop(&mut terminal, &c, options, &rx).unwrap();
    assert_eq!(warning, None);
    tui_support::text_of(terminal.backend().0.buffer())
}

#[test]
fn the_start_screen_lists_the_lessons_opens_one_and_offers_the_next() {
    let dir = two_lessons();
    let progress_dir = tempfile::tempdir().unwrap();
    let progress = progress_dir.path().join("progress.toml");
    // Nothing done yet: both listed, the first is next.
    let screen = run_course(dir.path(), &progress, vec![ctrl_c()]);
    assert!(screen.contains("Two days"), "{screen}");
    assert!(
        screen.contains("▶  1  Day 001  Distributed Systems Foundations  next"),
        "{screen}"
    );
    assert!(
        screen.contains("   2  Day 000  The Smallest Lesson"),
        "{screen}"
    );
    assert_eq!(screen.matches("not opened yet").count(), 2, "{screen}");
    // Open the second, take its one-question quiz, leave it with q.
    let mut input = chars("j");
    input.push(key(KeyCode::Enter));
    input.extend(chars("4a"));
    input.push(key(KeyCode::Enter));
    input.extend(chars("q"));
    input.push(ctrl_c());
    let screen = run_course(dir.path(), &progress, input);
    // Back on the list: its score, and the lesson not yet taken offered next.
    assert!(
        screen.contains("quiz best ") && screen.contains("in 1 attempt"),
        "{screen}"
    );
    assert!(screen.contains("Day 000's quiz is finished"), "{screen}");
    assert!(
        screen.contains("Next: Day 001: Distributed Systems Foundations."),
        "{screen}"
    );
    assert!(screen.contains("▶  1  Day 001"), "{screen}");
    // Progress is kept per lesson, by id: the second lesson has an attempt, the first none.
    let (store, _) = ProgressStore::open(&progress).unwrap();
    assert_eq!(store.lesson("day000").map(|p| p.attempts), Some(1));
    assert!(store.lesson("day001").is_none_or(|p| p.attempts == 0));
    // And it is there the next time the course opens, even after the lesson file changed
    // (its question keyed by id).
    let edited = SMALLEST.replace("One idea and one question.", "One idea, one question.");
    fs::write(dir.path().join("day000.toml"), edited).unwrap();
    let screen = run_course(dir.path(), &progress, vec![ctrl_c()]);
    assert!(
        screen.contains("quiz best ") && screen.contains("in 1 attempt"),
        "{screen}"
    );
}

#[test]
fn ctrl_c_inside_a_lesson_leaves_the_course_too() {
    let dir = two_lessons();
    let progress_dir = tempfile::tempdir().unwrap();
    let progress = progress_dir.path().join("progress.toml");
    // Ctrl-C in the lesson; the keys after it would move and open, were the list shown.
    let mut input = vec![key(KeyCode::Enter), ctrl_c()];
    input.extend(chars("j"));
    input.push(key(KeyCode::Enter));
    let screen = run_course(dir.path(), &progress, input);
    // The last screen drawn is the lesson's.
    assert!(
        screen.contains("1 Lesson  2 Concepts  3 Lab  4 Quiz"),
        "{screen}"
    );
    assert!(
        screen.contains("q lessons"),
        "the footer says where q goes:\n{screen}"
    );
}
