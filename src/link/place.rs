//! Where presenter links live: one Unix-domain socket per projected instance,
//! `projector-PID.sock`, in a directory only its user may enter:
//! `$XDG_RUNTIME_DIR/distlab/`, else `/tmp/distlab-UID/`. A directory that another user
//! owns, or that others may read or enter, is refused (someone could listen in, or plant a
//! socket that a presenter would trust).

use std::fmt;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why the socket directory cannot be used.
#[derive(Debug)]
pub enum PlaceError {
    /// It belongs to someone else.
    NotOwned {
        dir: PathBuf,
        owner: u32,
        me: u32,
    },
    /// Others may read, write or enter it.
    Open {
        dir: PathBuf,
        mode: u32,
    },
    /// It is a symbolic link or not a directory.
    NotADir {
        dir: PathBuf,
    },
    Io {
        dir: PathBuf,
        error: io::Error,
    },
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlaceError::NotOwned { dir, owner, me } => write!(
                f,
                "{} belongs to user {owner}, not to you ({me}); refusing to use it for the \
                 presenter link",
                crate::sanitize::one_line(&dir.display().to_string())
            ),
            PlaceError::Open { dir, mode } => write!(
                f,
                "{} is open to other users (mode {mode:o}); expected 700 (chmod 700 it)",
                crate::sanitize::one_line(&dir.display().to_string())
            ),
            PlaceError::NotADir { dir } => write!(
                f,
                "{} is not a directory (or is a symbolic link); refusing to use it",
                crate::sanitize::one_line(&dir.display().to_string())
            ),
            PlaceError::Io { dir, error } => write!(
                f,
                "cannot use {}: {error}",
                crate::sanitize::one_line(&dir.display().to_string())
            ),
        }
    }
}

/// The effective user id.
pub fn uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// The directory presenter links live in (not checked; see [`private_dir`]).
pub fn default_dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(run) if run.is_absolute() => run.join("distlab"),
        _ => std::env::temp_dir().join(format!("distlab-{}", uid())),
    }
}

/// Makes sure `dir` exists, is a real directory, is ours and is closed to others
/// (creating it with mode 700 if it does not exist).
pub fn private_dir(dir: &Path) -> Result<(), PlaceError> {
    let io_err = |error| PlaceError::Io {
        dir: dir.to_owned(),
        error,
    };
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io_err(e)),
    }
    check_private(dir)
}

/// Checks that `dir` is a directory we own that nobody else may enter.
pub fn check_private(dir: &Path) -> Result<(), PlaceError> {
    let meta = std::fs::symlink_metadata(dir).map_err(|error| PlaceError::Io {
        dir: dir.to_owned(),
        error,
    })?;
    if !meta.file_type().is_dir() {
        return Err(PlaceError::NotADir {
            dir: dir.to_owned(),
        });
    }
    let me = uid();
    if meta.uid() != me {
        return Err(PlaceError::NotOwned {
            dir: dir.to_owned(),
            owner: meta.uid(),
            me,
        });
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(PlaceError::Open {
            dir: dir.to_owned(),
            mode,
        });
    }
    Ok(())
}

/// The socket a projected instance with process id `pid` serves in `dir`.
pub fn socket_path(dir: &Path, pid: u32) -> PathBuf {
    dir.join(format!("projector-{pid}.sock"))
}

/// The process id a socket's name carries, if it is one of ours.
pub fn pid_of(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    name.strip_prefix("projector-")?
        .strip_suffix(".sock")?
        .parse()
        .ok()
}

/// Every socket of ours in `dir`, by process id.
pub fn sockets(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| pid_of(p).is_some())
        .collect();
    out.sort_by_key(|p| pid_of(p));
    out
}

/// True when nobody answers on the socket at `path`: it was left by a run that ended
/// without cleaning up (a crash, a kill), and may be replaced.
pub fn stale(path: &Path) -> bool {
    match UnixStream::connect(path) {
        Ok(_) => false,
        Err(e) => matches!(
            e.kind(),
            io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound
        ),
    }
}

/// Removes the stale sockets in `dir` (see [`stale`]).
pub fn sweep(dir: &Path) {
    for path in sockets(dir) {
        if stale(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// How long a presenter waits for a projected instance to say hello.
pub const HELLO_WAIT: Duration = Duration::from_millis(800);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_open_to_others_is_refused_and_a_fresh_one_is_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("links");
        private_dir(&dir).unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let err = private_dir(&dir).unwrap_err().to_string();
        assert!(err.contains("755") && err.contains("chmod 700"), "{err}");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(matches!(
            check_private(&link),
            Err(PlaceError::NotADir { .. })
        ));
    }

    #[test]
    fn socket_names_carry_the_pid() {
        let p = socket_path(Path::new("/x"), 42);
        assert_eq!(p, Path::new("/x/projector-42.sock"));
        assert_eq!(pid_of(&p), Some(42));
        assert_eq!(pid_of(Path::new("/x/other.sock")), None);
    }

    #[test]
    fn a_socket_nobody_serves_is_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let path = socket_path(tmp.path(), 1);
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(!stale(&path));
        drop(listener);
        assert!(stale(&path), "the file stays, but nobody listens");
        sweep(tmp.path());
        assert!(!path.exists());
    }
}
