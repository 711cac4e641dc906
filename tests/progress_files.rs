//! The temp files of atomic saves: created new (never written through an existing name or a
//! symlink), and removed when a killed process left them behind.
//!
//! A test binary of its own: the temp-name counter is per process, so the clash test knows
//! which names this process's first saves try.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use distlab::progress::ProgressStore;

/// A PID that no process has: that of a child that has ended.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn temp_files_of_killed_saves_are_removed_on_open_and_on_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let mut store = ProgressStore::fresh(&path);
    store.lesson_mut("day001").record_answer("q1", true);
    store.save().unwrap();

    let me = std::process::id();
    let dead = format!(".progress.toml.{}-0.tmp", dead_pid());
    let old = format!(".progress.toml.{me}-900001.tmp");
    let live = format!(".progress.toml.{me}-900002.tmp");
    let unrelated = [
        ".other.toml.1-0.tmp",
        ".progress.toml.notes",
        "progress.toml.bak",
    ];
    for name in [&dead, &old, &live]
        .into_iter()
        .chain(&unrelated.map(String::from))
    {
        fs::write(dir.path().join(name), "format_version = 2\n[lessons").unwrap();
    }
    let eleven_minutes_ago = SystemTime::now() - Duration::from_secs(11 * 60);
    fs::File::options()
        .write(true)
        .open(dir.path().join(&old))
        .unwrap()
        .set_modified(eleven_minutes_ago)
        .unwrap();

    let (_, warning) = ProgressStore::open(&path).unwrap();
    assert!(warning.is_none());
    let names = names_in(dir.path());
    assert!(
        !names.contains(&dead),
        "a dead process's temp file: {names:?}"
    );
    assert!(
        !names.contains(&old),
        "a temp file over ten minutes old: {names:?}"
    );
    assert!(
        names.contains(&live),
        "a save of a running process: {names:?}"
    );
    for name in unrelated {
        assert!(
            names.contains(&name.to_owned()),
            "{name} is not a temp file"
        );
    }

    // A save cleans up too.
    fs::write(dir.path().join(&dead), "junk").unwrap();
    store.lesson_mut("day001").record_answer("q1", true);
    store.save().unwrap();
    assert!(!dir.path().join(&dead).exists());
    assert!(dir.path().join(&live).exists());
}

#[cfg(unix)]
#[test]
fn a_save_never_writes_through_a_file_or_symlink_already_at_a_temp_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.toml");
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let me = std::process::id();
    // This process's first saves use counters from 0; the other test saves at most twice.
    const TAKEN: u64 = 60;
    let taken = |n: u64| dir.path().join(format!(".progress.toml.{me}-{n}.tmp"));
    for n in 0..TAKEN {
        if n % 2 == 0 {
            fs::write(taken(n), "precious").unwrap();
        } else {
            std::os::unix::fs::symlink(&victim, taken(n)).unwrap();
        }
    }
    let mut store = ProgressStore::fresh(&path);
    store.lesson_mut("day001").record_answer("q1", true);
    store.save().unwrap();

    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    for n in 0..TAKEN {
        let p = taken(n);
        assert_eq!(
            fs::read_to_string(&p).unwrap(),
            "precious",
            "{}",
            p.display()
        );
    }
    let (loaded, _) = ProgressStore::open(&path).unwrap();
    assert_eq!(loaded.lesson("day001").unwrap().questions["q1"].asked, 1);
}
