//! The lock that makes a save (read, merge, write) exclusive across processes: an advisory
//! `flock` (on Windows `LockFileEx`) on `.NAME.lock` beside the progress file. The lock file
//! is never renamed or deleted, so every process locks the same file; the progress file
//! itself cannot be locked, as each save renames a new one over it.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fd_lock::RwLock;

/// How long a save waits for another process's save to finish. A save takes milliseconds;
/// a process stopped (Ctrl-Z) in the middle of one must not hang every other for ever.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// How long to sleep between tries while the lock is held.
const POLL: Duration = Duration::from_millis(5);

/// `.NAME.lock` beside `path`.
pub fn lock_path(path: &Path) -> PathBuf {
    super::atomic::parent_dir(path).join(format!(".{}.lock", super::atomic::file_name(path)))
}

/// Runs `f` while holding the exclusive lock for `path` (creating its directory and the lock
/// file if needed), waiting up to `wait` for it. The error names the lock file; it is
/// `TimedOut` when another process held the lock all that time.
pub fn with_lock<T>(path: &Path, wait: Duration, f: impl FnOnce() -> T) -> io::Result<T> {
    let lock = lock_path(path);
    let io_error =
        |e: io::Error| io::Error::new(e.kind(), format!("cannot lock {}: {e}", lock.display()));
    fs::create_dir_all(super::atomic::parent_dir(path)).map_err(io_error)?;
    let file = open_lock_file(&lock).map_err(io_error)?;
    let mut rw = RwLock::new(file);
    let deadline = Instant::now() + wait;
    let _guard = loop {
        match rw.try_write() {
            Ok(guard) => break guard,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) =>
            {
                if Instant::now() >= deadline {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!(
                            "another distlab has held {} for over {} s (is one stopped in \
                             the middle of a save?)",
                            lock.display(),
                            wait.as_secs_f32()
                        ),
                    ));
                }
                std::thread::sleep(POLL);
            }
            Err(e) => return Err(io_error(e)),
        }
    };
    Ok(f())
}

/// Runs `f` under the lock only if it is free right now and the lock file can be made;
/// `None` otherwise (for best-effort housekeeping that must never wait or fail).
pub fn if_unlocked<T>(path: &Path, f: impl FnOnce() -> T) -> Option<T> {
    let file = open_lock_file(&lock_path(path)).ok()?;
    let mut rw = RwLock::new(file);
    let _guard = rw.try_write().ok()?;
    Some(f())
}

fn open_lock_file(lock: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock)
}
