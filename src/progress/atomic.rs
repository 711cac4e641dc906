//! Writing a file so that a crash at any moment leaves either the old file or the new one,
//! never half of one: write a temp file in the same directory, fsync it, rename it over.
//!
//! Temp files are named `.NAME.PID-N.tmp` and created with `create_new`, so a save never
//! writes through a file (or a symlink) that was already there; on a name clash it tries the
//! next `N`. A process killed mid-save leaves its temp file behind: [`remove_stale_temps`]
//! deletes those whose process is gone or that are older than [`STALE_AFTER`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// A temp file this old is stale even if a process with its PID runs (PIDs are reused; a
/// save takes milliseconds).
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// How many temp names a save tries before it gives up.
const TEMP_TRIES: u32 = 100;

/// Replaces `path` with `bytes` atomically (see the module docs).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |_| Ok(()))
}

/// [`write_atomic`] with a hook run after the temp file is written and synced, just before
/// the rename; an error from it abandons the save (tests use it to simulate a crash).
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent_dir(path);
    fs::create_dir_all(&dir)?;
    let (tmp, file) = create_temp(&dir, path)?;
    let result = write_synced(file, bytes)
        .and_then(|()| before_rename(&tmp))
        .and_then(|()| fs::rename(&tmp, path));
    match result {
        Ok(()) => {
            sync_dir(&dir);
            Ok(())
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The directory holding `path` (`.` for a bare file name).
pub(super) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file name of `path` as text (`progress` if it has none).
pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "progress".into(), |n| n.to_string_lossy().into_owned())
}

/// Creates a new temp file `.NAME.PID-N.tmp` beside the target, never one that exists.
fn create_temp(dir: &Path, path: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = file_name(path);
    let mut last_clash = None;
    for _ in 0..TEMP_TRIES {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_clash = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_clash.unwrap_or_else(|| io::Error::other("no free temp file name")))
}

fn write_synced(mut f: File, bytes: &[u8]) -> io::Result<()> {
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes the rename itself durable where the platform allows; best effort.
fn sync_dir(dir: &Path) {
    if cfg!(unix)
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
}

/// Deletes the temp files that saves of `path` left behind when their process died (see
/// [`stale_temps`]). Best effort; returns the files it removed.
pub fn remove_stale_temps(path: &Path, now: SystemTime) -> Vec<PathBuf> {
    stale_temps(path, now)
        .into_iter()
        .filter(|tmp| fs::remove_file(tmp).is_ok())
        .collect()
}

/// The temp files of saves of `path` that are stale: their process is no longer running
/// (known where `/proc` lists processes), or they are older than [`STALE_AFTER`]. This
/// process's own temp files count as running.
pub(super) fn stale_temps(path: &Path, now: SystemTime) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent_dir(path)) else {
        return Vec::new();
    };
    let prefix = format!(".{}.", file_name(path));
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(|n| temp_pid(n, &prefix)) else {
                return false;
            };
            let Ok(meta) = entry.metadata() else {
                return false;
            };
            let old = meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .is_some_and(|age| age >= STALE_AFTER);
            meta.is_file() && (old || process_gone(pid))
        })
        .map(|entry| entry.path())
        .collect()
}

/// The PID in a temp file name `PREFIX PID-N.tmp`, if `name` is one.
fn temp_pid(name: &str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?.strip_suffix(".tmp")?;
    let (pid, n) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(pid) && digits(n)) {
        return None;
    }
    pid.parse().ok()
}

/// True when no process `pid` runs, as far as this platform can tell (`/proc`); false when
/// it cannot tell, or for this process.
fn process_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    pid != std::process::id() && proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognised_and_nothing_else() {
        let prefix = ".progress.toml.";
        assert_eq!(temp_pid(".progress.toml.123-4.tmp", prefix), Some(123));
        for other in [
            "progress.toml",
            ".progress.toml.lock",
            ".progress.toml.123.tmp",
            ".progress.toml.-4.tmp",
            ".progress.toml.12a-4.tmp",
            ".progress.toml.123-4.tmp.bak",
            ".other.toml.123-4.tmp",
        ] {
            assert_eq!(temp_pid(other, prefix), None, "{other}");
        }
    }

    #[test]
    fn this_process_is_not_gone() {
        assert!(!process_gone(std::process::id()));
    }
}
