//! Several stores on one progress file, as when a TUI is left open while `distlab quiz
//! --plain` runs in another terminal: every save merges its changes into the file as it is
//! then, so nobody's answers, attempts, reading position or reset are lost.

use std::fs;
use std::path::Path;

use distlab::progress::{Attempt, LastResult, ProgressError, ProgressStore, ProgressWarning};

const NOW: u64 = 1_700_000_000;

fn attempt(right: u32, finished_at: u64) -> Attempt {
    Attempt {
        right,
        total: 15,
        elapsed_secs: 100,
        finished_at,
    }
}

fn open(path: &Path) -> ProgressStore {
    let (store, warning) = ProgressStore::open(path).unwrap();
    assert!(warning.is_none(), "{warning:?}");
    store
}

#[test]
fn two_stores_interleaving_answers_and_attempts_keep_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut a = open(&path);
    let mut b = open(&path);

    a.lesson_mut("day001").record_answer("q1", true);
    a.save().unwrap();
    b.lesson_mut("day001").record_answer("q1", false);
    b.lesson_mut("day001").record_answer("q2", true);
    b.save().unwrap();
    a.lesson_mut("day001").record_answer("q2", false);
    a.lesson_mut("day001")
        .record_attempt(attempt(10, NOW + 100));
    a.save().unwrap();
    b.lesson_mut("day001").record_attempt(attempt(12, NOW + 90));
    b.save().unwrap();

    let disk = open(&path);
    let day = disk.lesson("day001").unwrap();
    assert_eq!(day.attempts, 2, "both attempts kept");
    assert_eq!(day.best.unwrap().right, 12, "the better of both");
    assert_eq!(
        day.last.unwrap().finished_at,
        NOW + 100,
        "the latest by finished_at"
    );
    let (q1, q2) = (day.questions["q1"], day.questions["q2"]);
    assert_eq!((q1.asked, q1.right, q2.asked, q2.right), (2, 1, 2, 1));
    // Boxes follow the answers in the order they were saved: q1 right (2) then wrong (1);
    // q2 right (2) then wrong (1).
    assert_eq!((q1.leitner_box, q2.leitner_box), (1, 1));
    assert_eq!(q1.last, Some(LastResult::Wrong));
    assert_eq!(q2.last, Some(LastResult::Wrong));
    // The last store to save shows the merged progress, unsaved changes none.
    assert_eq!(b.progress(), disk.progress());
    assert!(!b.has_unsaved_changes());
    // And the other one shows what it had merged into at its last save.
    assert_eq!(a.lesson("day001").unwrap().questions["q1"].asked, 2);
}

#[test]
fn a_reading_position_survives_a_save_by_a_store_that_did_not_move() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut tui = open(&path);
    let mut plain = open(&path);
    tui.lesson_mut("day001").set_reading("concepts", 7);
    tui.save().unwrap();
    plain.lesson_mut("day001").record_answer("q1", true);
    plain.save().unwrap();
    let disk = open(&path);
    let day = disk.lesson("day001").unwrap();
    assert_eq!(day.reading.as_ref().unwrap().line, 7);
    assert_eq!(day.questions["q1"].asked, 1);

    // The last position saved wins.
    plain.lesson_mut("day001").set_reading("summary", 1);
    plain.save().unwrap();
    tui.lesson_mut("day001").set_reading("concepts", 9);
    tui.save().unwrap();
    assert_eq!(
        open(&path)
            .lesson("day001")
            .unwrap()
            .reading
            .as_ref()
            .unwrap()
            .line,
        9
    );
}

#[test]
fn a_reset_applies_to_the_file_as_it_is_when_saved_and_to_that_lesson_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut resetter = open(&path);
    let mut learner = open(&path);
    learner.lesson_mut("day001").record_answer("q1", true);
    learner
        .lesson_mut("day001")
        .record_attempt(attempt(15, NOW));
    learner.lesson_mut("day002").record_answer("x1", true);
    learner.save().unwrap();

    // The resetter never saw those answers in memory, but the reset removes them.
    assert!(!resetter.reset_lesson("day001"));
    resetter.save().unwrap();
    let disk = open(&path);
    assert!(disk.lesson("day001").is_none());
    assert_eq!(disk.lesson("day002").unwrap().questions["x1"].asked, 1);

    // Answers given after the reset count, and only they.
    learner.lesson_mut("day001").record_answer("q2", false);
    learner.save().unwrap();
    let disk = open(&path);
    let day = disk.lesson("day001").unwrap();
    assert_eq!(day.attempts, 0);
    assert_eq!(day.questions.keys().collect::<Vec<_>>(), ["q2"]);
    assert_eq!(learner.progress(), disk.progress());
}

#[test]
fn changes_after_a_reset_in_the_same_store_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = open(&path);
    store.lesson_mut("day001").record_answer("q1", true);
    store.save().unwrap();
    store.lesson_mut("day001").record_answer("q1", true);
    assert!(store.reset_lesson("day001"));
    store.lesson_mut("day001").record_answer("q3", false);
    store.save().unwrap();
    let day = open(&path).lesson("day001").unwrap().clone();
    assert_eq!(day.questions.keys().collect::<Vec<_>>(), ["q3"]);
}

#[test]
fn threads_saving_at_once_through_their_own_stores_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    const THREADS: u32 = 4;
    const SAVES: u32 = 15;
    let barrier = std::sync::Barrier::new(THREADS as usize);
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let (path, barrier) = (&path, &barrier);
            s.spawn(move || {
                let (mut store, _) = ProgressStore::open(path).unwrap();
                barrier.wait();
                for i in 0..SAVES {
                    let day = store.lesson_mut("day001");
                    day.record_answer("q1", i % 2 == 0);
                    day.record_answer(&format!("t{t}"), true);
                    store.save().unwrap();
                }
                store
                    .lesson_mut("day001")
                    .record_attempt(attempt(t, NOW + u64::from(t)));
                store.save().unwrap();
            });
        }
    });
    let disk = open(&path);
    let day = disk.lesson("day001").unwrap();
    assert_eq!(day.attempts, THREADS);
    assert_eq!(day.questions["q1"].asked, THREADS * SAVES);
    assert_eq!(day.questions["q1"].right, THREADS * SAVES.div_ceil(2));
    for t in 0..THREADS {
        assert_eq!(day.questions[&format!("t{t}")].asked, SAVES);
    }
    assert_eq!(day.best.unwrap().right, THREADS - 1);
    assert_eq!(day.last.unwrap().finished_at, NOW + u64::from(THREADS - 1));
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, [".progress.toml.lock", "progress.toml"]);
}

#[test]
fn a_failed_save_keeps_the_changes_for_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("sub");
    let path = blocker.join("progress.toml");
    fs::write(&blocker, "a file where the directory should be").unwrap();
    let mut store = ProgressStore::fresh(&path);
    store.lesson_mut("day001").record_answer("q1", true);
    let err = store.save().unwrap_err();
    assert!(matches!(err, ProgressError::Save { .. }), "{err:?}");
    assert!(store.has_unsaved_changes());
    assert_eq!(store.lesson("day001").unwrap().questions["q1"].asked, 1);

    fs::remove_file(&blocker).unwrap();
    store.lesson_mut("day001").record_answer("q1", false);
    store.save().unwrap();
    let q1 = open(&path).lesson("day001").unwrap().questions["q1"];
    assert_eq!((q1.asked, q1.right), (2, 1), "counted once each");
}

#[test]
fn a_file_broken_since_it_was_loaded_is_moved_aside_and_this_stores_copy_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = ProgressStore::fresh(&path);
    store.lesson_mut("day001").record_answer("q1", true);
    store.save().unwrap();
    fs::write(&path, "format_version = 2\n[lessons.day0").unwrap();

    store.lesson_mut("day001").record_answer("q2", true);
    let warning = store.save_at(NOW).unwrap();
    let aside = dir.path().join(format!("progress.toml.corrupt-{NOW}"));
    assert!(
        matches!(&warning, Some(ProgressWarning::MovedAside { moved_to, .. }) if *moved_to == aside),
        "{warning:?}"
    );
    assert_eq!(
        fs::read_to_string(&aside).unwrap(),
        "format_version = 2\n[lessons.day0"
    );
    let disk = open(&path);
    let day = disk.lesson("day001").unwrap();
    assert_eq!(
        (day.questions["q1"].asked, day.questions["q2"].asked),
        (1, 1)
    );
    assert_eq!(store.progress(), disk.progress());
}

#[test]
fn a_save_over_a_file_from_a_newer_distlab_fails_and_leaves_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = open(&path);
    store.lesson_mut("day001").record_answer("q1", true);
    fs::write(&path, "format_version = 7\n").unwrap();
    let err = store.save().unwrap_err();
    assert!(
        matches!(err, ProgressError::NewerFormat { found: 7, .. }),
        "{err:?}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "format_version = 7\n");
    assert!(store.has_unsaved_changes());
}

#[test]
fn a_file_deleted_while_a_store_is_open_stays_deleted_but_for_new_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = open(&path);
    store.lesson_mut("day001").record_answer("q1", true);
    store.lesson_mut("day002").record_answer("x1", true);
    store.save().unwrap();
    fs::remove_file(&path).unwrap(); // "Delete it to start afresh."
    store.lesson_mut("day001").record_answer("q2", true);
    store.save().unwrap();
    let disk = open(&path);
    assert!(disk.lesson("day002").is_none());
    let day = disk.lesson("day001").unwrap();
    assert_eq!(day.questions.keys().collect::<Vec<_>>(), ["q2"]);
}

#[test]
fn stores_opening_one_corrupt_file_at_once_move_it_aside_once_and_all_open() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.toml");
        fs::write(&path, "junk [").unwrap();
        const THREADS: usize = 4;
        let barrier = std::sync::Barrier::new(THREADS);
        let warnings: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    let (path, barrier) = (&path, &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        ProgressStore::open_at(path, NOW).map(|(_, w)| w.is_some())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let warned = warnings
            .iter()
            .map(|r| *r.as_ref().expect("every store opens"))
            .filter(|&w| w)
            .count();
        assert_eq!(warned, 1, "{warnings:?}");
        let aside = dir.path().join(format!("progress.toml.corrupt-{NOW}"));
        assert_eq!(fs::read_to_string(aside).unwrap(), "junk [");
    }
}
