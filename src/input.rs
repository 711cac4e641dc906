//! Reading untrusted input files with a bound: a file far larger than any real lesson,
//! replay or config, a device such as `/dev/zero`, a FIFO that may never be written to, or a
//! directory is a quick, clear error, never a hang or an unbounded allocation.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::sanitize::one_line;

/// Largest lesson file read, in bytes (the built-in Day 001 lesson is about 70 KB).
pub const LESSON_MAX_BYTES: u64 = 4 * 1024 * 1024;
/// Largest config file read, in bytes (a real one is a few lines).
pub const CONFIG_MAX_BYTES: u64 = 64 * 1024;
/// Largest replay (saved session) file read, in bytes.
pub const REPLAY_MAX_BYTES: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// There is nothing at the path.
    NotFound,
    /// The path is a directory.
    Directory,
    /// A FIFO, socket or device: reading it could block or never end.
    NotRegular,
    /// Larger than the limit, in bytes.
    TooLarge { limit: u64 },
    /// The operating system refused.
    PermissionDenied,
    /// Anything else, as the OS describes it.
    Other(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::Directory => f.write_str("it is a directory, not a file"),
            ReadError::NotRegular => {
                f.write_str("it is not a regular file (a device, FIFO or socket)")
            }
            ReadError::TooLarge { limit } => write!(
                f,
                "it is larger than {} KiB, the most distlab reads from such a file",
                limit / 1024
            ),
            ReadError::PermissionDenied => f.write_str("permission denied"),
            ReadError::Other(e) => f.write_str(&one_line(e)),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            io::ErrorKind::PermissionDenied => ReadError::PermissionDenied,
            io::ErrorKind::IsADirectory => ReadError::Directory,
            _ => ReadError::Other(e.to_string()),
        }
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ReadError::Directory);
    }
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow between the check and the read: read one byte past the limit.
    File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// How a path is named in a message: on one line, with nothing that drives a terminal.
pub fn shown(path: &Path) -> String {
    one_line(&path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused_quickly() {
        assert_eq!(
            read_limited(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular)
        );
        assert_eq!(read_limited(Path::new("/"), 10), Err(ReadError::Directory));
        assert_eq!(
            read_limited(Path::new("/no/such/file"), 10),
            Err(ReadError::NotFound)
        );
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 11]).unwrap();
        assert_eq!(
            read_limited(&big, 10),
            Err(ReadError::TooLarge { limit: 10 })
        );
        assert_eq!(read_limited(&big, 11).unwrap().len(), 11);
    }
}
