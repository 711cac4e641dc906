//! The progress file: round trip, corrupt and cut-short files, the end marker and format
//! versions, permissions, interrupted saves, and the bookkeeping the quiz relies on (Leitner
//! boxes, best and last attempts, weakest questions). Several processes at once: see
//! `progress_merge.rs`; temp files: `progress_files.rs`.

use std::fs;
use std::io;
use std::path::Path;

use distlab::progress::{
    Attempt, LastResult, ProgressError, ProgressStore, ProgressWarning, write_atomic_with,
};

const NOW: u64 = 1_700_000_000;

fn sample(store: &mut ProgressStore) {
    let day = store.lesson_mut("day001");
    day.record_answer("q1", true);
    day.record_answer("q1", true);
    day.record_answer("q2", false);
    day.set_reading("concepts", 42);
    day.record_attempt(Attempt {
        right: 12,
        total: 15,
        elapsed_secs: 300,
        finished_at: NOW,
    });
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_file_is_fresh_progress_and_nothing_is_written_until_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/progress.toml");
    let (mut store, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    assert!(store.lesson("day001").is_none());
    assert!(!path.exists());
    store.save().unwrap();
    assert!(path.exists(), "save creates the directories it needs");
}

#[test]
fn progress_round_trips_through_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = ProgressStore::fresh(&path);
    sample(&mut store);
    store.save().unwrap();

    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# distlab progress:"),
        "header comment: {text}"
    );
    assert!(text.contains("format_version = 2"));
    assert!(
        text.ends_with("\n# end of distlab progress\n"),
        "end marker last: {text}"
    );

    let (loaded, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    assert_eq!(loaded.progress(), store.progress());
    let day = loaded.lesson("day001").unwrap();
    assert_eq!(day.attempts, 1);
    assert_eq!(day.best.unwrap().score().to_string(), "12/15");
    let q1 = day.questions["q1"];
    assert_eq!((q1.asked, q1.right, q1.leitner_box), (2, 2, 3));
    assert_eq!(day.questions["q2"].last, Some(LastResult::Wrong));
    let reading = day.reading.as_ref().unwrap();
    assert_eq!((reading.section.as_str(), reading.line), ("concepts", 42));
    assert_eq!(
        files_in(dir.path()),
        [".progress.toml.lock", "progress.toml"],
        "the lock file stays; no temp file is left"
    );
}

fn assert_moved_aside(contents: &[u8], reason_part: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    fs::write(&path, contents).unwrap();
    let (store, warning) = ProgressStore::open_at(&path, NOW).unwrap();
    let aside = dir.path().join(format!("progress.toml.corrupt-{NOW}"));
    let Some(ProgressWarning::MovedAside {
        moved_to, reason, ..
    }) = &warning
    else {
        panic!("expected a warning, got {warning:?}");
    };
    assert_eq!(moved_to, &aside);
    assert!(reason.contains(reason_part), "reason {reason:?}");
    let message = warning.as_ref().unwrap().to_string();
    assert!(
        message.contains("progress.toml.corrupt-1700000000"),
        "{message}"
    );
    assert_eq!(fs::read(&aside).unwrap(), contents, "nothing lost");
    assert!(!path.exists());
    assert!(store.lesson("day001").is_none(), "fresh progress");
    let mut store = store;
    store.save().unwrap();
    assert!(ProgressStore::open(&path).unwrap().1.is_none());
}

#[test]
fn a_corrupt_file_is_moved_aside_with_a_warning_and_progress_starts_afresh() {
    assert_moved_aside(b"format_version = 1\n[lessons.day001\n", "line 2");
    assert_moved_aside(b"\xff\xfe\x00binary", "not UTF-8");
    assert_moved_aside(b"attempts = 3\n", "no format_version");
    assert_moved_aside(b"", "no format_version");
    assert_moved_aside(
        b"format_version = 1\n[lessons.day001]\nattempts = \"many\"\n",
        "line 3",
    );
    assert_moved_aside(b"format_version = 0\n", "format_version 0");
}

#[test]
fn a_second_corruption_in_the_same_second_does_not_overwrite_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    fs::write(&path, "first junk").unwrap();
    ProgressStore::open_at(&path, NOW).unwrap();
    fs::write(&path, "second junk").unwrap();
    let (_, warning) = ProgressStore::open_at(&path, NOW).unwrap();
    let first = dir.path().join(format!("progress.toml.corrupt-{NOW}"));
    let second = dir.path().join(format!("progress.toml.corrupt-{NOW}-2"));
    assert_eq!(fs::read_to_string(first).unwrap(), "first junk");
    assert_eq!(fs::read_to_string(&second).unwrap(), "second junk");
    assert!(
        matches!(warning, Some(ProgressWarning::MovedAside { moved_to, .. }) if moved_to == second)
    );
}

#[test]
fn a_path_that_is_not_a_regular_file_is_an_error_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    fs::create_dir(&path).unwrap();
    let err = ProgressStore::open_at(&path, NOW).unwrap_err();
    assert!(matches!(err, ProgressError::NotAFile { .. }), "{err}");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(path.is_dir(), "the directory stays where it is");
    assert_eq!(
        files_in(dir.path()),
        ["progress.toml"],
        "nothing moved aside"
    );
    // A device is never read (it could be endless) and never moved.
    let err = ProgressStore::open_at("/dev/zero", NOW).unwrap_err();
    assert!(matches!(err, ProgressError::NotAFile { .. }), "{err}");
    assert!(Path::new("/dev/zero").exists());
}

#[test]
fn a_file_from_a_newer_distlab_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    fs::write(&path, "format_version = 9\nfuture = true\n").unwrap();
    let err = ProgressStore::open_at(&path, NOW).unwrap_err();
    assert!(
        matches!(err, ProgressError::NewerFormat { found: 9, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("left untouched"));
    assert_eq!(files_in(dir.path()), ["progress.toml"]);
}

#[test]
fn a_save_interrupted_before_the_rename_leaves_the_old_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = ProgressStore::fresh(&path);
    sample(&mut store);
    store.save().unwrap();
    let before = fs::read(&path).unwrap();

    store.lesson_mut("day001").record_answer("q3", false);
    let new_text = store.to_toml().unwrap();
    let err = write_atomic_with(&path, new_text.as_bytes(), |tmp| {
        // The new contents are complete in a temp file beside the target...
        assert_eq!(tmp.parent(), Some(dir.path()));
        assert_eq!(fs::read_to_string(tmp).unwrap(), new_text);
        // ...and then the process "dies" before the rename.
        Err(io::Error::other("killed"))
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "killed");
    assert_eq!(fs::read(&path).unwrap(), before, "old file intact");
    assert_eq!(
        files_in(dir.path()),
        [".progress.toml.lock", "progress.toml"],
        "temp file cleaned up"
    );
    let (loaded, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    assert!(
        !loaded
            .lesson("day001")
            .unwrap()
            .questions
            .contains_key("q3")
    );
}

#[test]
fn a_stray_half_written_temp_file_from_a_crash_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = ProgressStore::fresh(&path);
    sample(&mut store);
    store.save().unwrap();
    let stray = dir.path().join(".progress.toml.999999-0.tmp");
    fs::write(&stray, "format_version = 1\n[lessons.day0").unwrap();
    let (mut loaded, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    assert_eq!(loaded.progress(), store.progress());
    loaded.save().unwrap();
    assert!(ProgressStore::open(&path).unwrap().1.is_none());
}

#[test]
fn hand_edited_values_are_repaired_on_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let text = "format_version = 1\n[lessons.day001.questions.q1]\nasked = 2\nright = 7\nbox = 9\n\
                [lessons.day001.questions.q2]\nbox = 0\n";
    fs::write(&path, text).unwrap();
    let (store, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    let qs = &store.lesson("day001").unwrap().questions;
    assert_eq!((qs["q1"].right, qs["q1"].leitner_box), (2, 5));
    assert_eq!(qs["q2"].leitner_box, 1);
}

#[test]
fn leitner_boxes_best_last_and_weakest_follow_the_answers() {
    let mut store = ProgressStore::fresh("unused.toml");
    let day = store.lesson_mut("day001");
    for _ in 0..6 {
        day.record_answer("q1", true);
    }
    assert_eq!(day.box_of("q1"), Some(5));
    day.record_answer("q1", false);
    assert_eq!(day.box_of("q1"), Some(1));
    assert_eq!(day.box_of("q9"), None);
    day.record_answer("q2", false);
    day.record_answer("q3", true);
    day.record_answer("q3", false);
    day.record_answer("q3", true);
    let weakest: Vec<&str> = day.weakest().into_iter().map(|(id, _)| id).collect();
    assert_eq!(weakest, ["q2", "q3", "q1"]);

    let attempt = |right, finished_at| Attempt {
        right,
        total: 15,
        elapsed_secs: 60,
        finished_at,
    };
    day.record_attempt(attempt(10, 1));
    day.record_attempt(attempt(13, 2));
    day.record_attempt(attempt(9, 3));
    assert_eq!(day.attempts, 3);
    assert_eq!(day.best.unwrap().finished_at, 2);
    assert_eq!(day.last.unwrap().finished_at, 3);
    assert!(store.reset_lesson("day001"));
    assert!(store.lesson("day001").is_none());
}

/// A file the previous build wrote: format version 1, no end marker.
const VERSION_1_FILE: &str = "\
# distlab progress: quiz history and reading position, per lesson.
# distlab rewrites this file after every answer; edit it only while distlab is not running.
# Delete it, or run `distlab progress --reset`, to start afresh.

format_version = 1

[lessons.day001]
attempts = 1

[lessons.day001.best]
right = 12
total = 15
elapsed_secs = 300
finished_at = 1700000000

[lessons.day001.reading]
section = \"concepts\"
line = 42

[lessons.day001.questions.q1]
asked = 2
right = 2
last = \"right\"
box = 3
";

#[test]
fn a_file_cut_short_at_any_byte_is_moved_aside_never_loaded_as_if_whole() {
    let dir = tempfile::tempdir().unwrap();
    let full_path = dir.path().join("full.toml");
    let mut store = ProgressStore::fresh(&full_path);
    sample(&mut store);
    store.lesson_mut("day002").record_answer("x1", true);
    store.save().unwrap();
    let full = fs::read(&full_path).unwrap();
    let whole = ProgressStore::open(&full_path)
        .unwrap()
        .0
        .progress()
        .clone();

    let path = dir.path().join("progress.toml");
    let mut loaded_whole = 0;
    for len in 0..full.len() {
        let cut = &full[..len];
        fs::write(&path, cut).unwrap();
        let (loaded, warning) = ProgressStore::open_at(&path, NOW).unwrap();
        match warning {
            Some(ProgressWarning::MovedAside { moved_to, .. }) => {
                assert_eq!(fs::read(&moved_to).unwrap(), cut, "kept aside whole");
                fs::remove_file(moved_to).unwrap();
                assert!(loaded.progress().lessons.is_empty());
            }
            None => {
                // Only the final newline may be missing from a file that loads.
                assert_eq!(len, full.len() - 1, "a file cut at byte {len} loaded");
                assert_eq!(loaded.progress(), &whole);
                loaded_whole += 1;
            }
        }
    }
    assert_eq!(loaded_whole, 1);
}

#[test]
fn a_version_2_file_without_its_end_marker_is_cut_short() {
    let text = "format_version = 2\n[lessons.day001]\nattempts = 3\n";
    assert_moved_aside(text.as_bytes(), "cut short");
}

#[test]
fn a_version_1_file_from_the_previous_build_is_read_and_rewritten_as_version_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    fs::write(&path, VERSION_1_FILE).unwrap();
    let (mut store, warning) = ProgressStore::open_at(&path, NOW).unwrap();
    assert!(warning.is_none(), "{warning:?}");
    let day = store.lesson("day001").unwrap();
    assert_eq!(day.attempts, 1);
    assert_eq!(day.questions["q1"].leitner_box, 3);
    assert_eq!(day.reading.as_ref().unwrap().line, 42);

    store.lesson_mut("day001").record_answer("q1", true);
    store.save().unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("format_version = 2\n"), "{text}");
    assert!(text.ends_with("# end of distlab progress\n"), "{text}");
    let (again, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    let day = again.lesson("day001").unwrap();
    assert_eq!((day.attempts, day.questions["q1"].asked), (1, 3));
    assert_eq!(
        files_in(dir.path()),
        [".progress.toml.lock", "progress.toml"]
    );
}

#[test]
fn a_hand_edited_version_2_file_that_keeps_its_last_line_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let text = "format_version = 2\n\n[lessons.day001]\nattempts = 4\n\n\
                # end of distlab progress\n\n";
    fs::write(&path, text).unwrap();
    let (store, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none(), "{warning:?}");
    assert_eq!(store.lesson("day001").unwrap().attempts, 4);
}

/// True when this process can read a file it may not read (it runs as root).
fn permissions_are_bypassed(path: &Path) -> bool {
    fs::read(path).is_ok()
}

#[cfg(unix)]
#[test]
fn a_file_that_may_not_be_read_is_a_permission_error_and_stays_where_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = ProgressStore::fresh(&path);
    sample(&mut store);
    store.save().unwrap();
    let before = files_in(dir.path());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if permissions_are_bypassed(&path) {
        eprintln!("running as root: checked through `setpriv` in progress_cli.rs instead");
        return;
    }
    let err = ProgressStore::open_at(&path, NOW).unwrap_err();
    let message = err.to_string();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    assert!(
        matches!(err, ProgressError::PermissionDenied { .. }),
        "{err:?}"
    );
    assert!(
        message.starts_with(&format!("{}: permission denied", path.display())),
        "{message}"
    );
    assert_eq!(files_in(dir.path()), before, "nothing moved aside");
}

#[test]
fn the_last_attempt_is_the_one_that_finished_last() {
    let mut store = ProgressStore::fresh("unused.toml");
    let day = store.lesson_mut("day001");
    let attempt = |right, finished_at| Attempt {
        right,
        total: 10,
        elapsed_secs: 60,
        finished_at,
    };
    day.record_attempt(attempt(5, 20));
    day.record_attempt(attempt(9, 10)); // finished earlier, saved later
    assert_eq!(day.attempts, 2);
    assert_eq!(day.last.unwrap().finished_at, 20);
    assert_eq!(day.best.unwrap().right, 9);
}

#[cfg(unix)]
#[test]
fn a_symlinked_progress_file_is_saved_through_the_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("dot")).unwrap();
    let target = dir.path().join("dot/progress.toml");
    let link = dir.path().join("p.toml");
    std::os::unix::fs::symlink("dot/progress.toml", &link).unwrap();
    for _ in 0..2 {
        let (mut store, _) = ProgressStore::open_at(&link, NOW).unwrap();
        store.lesson_mut("day001").record_answer("q1", true);
        store.save().unwrap();
    }
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let (store, _) = ProgressStore::open_at(&target, NOW).unwrap();
    assert_eq!(store.lesson("day001").unwrap().questions["q1"].asked, 2);
}
