//! Reading untrusted input files with a bound: a file far larger than any real lesson,
//! replay or config, a device such as `/dev/zero`, a FIFO that may never be written to, or a
//! directory is a quick, clear error, never a hang or an unbounded allocation.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, Read};
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

/// Longest line of standard input kept, in bytes (an answer is a letter or a word); the
/// rest of a longer line is read and dropped.
pub const LINE_MAX_BYTES: usize = 4096;
/// Longest line of standard input read at all: past this without a newline (`< /dev/zero`)
/// reading stops with an error rather than spinning forever.
pub const LINE_SKIP_MAX_BYTES: usize = 1024 * 1024;

/// One line of `input` without its line ending, at most [`LINE_MAX_BYTES`] of it; `None`
/// at the end of input. A line longer than [`LINE_SKIP_MAX_BYTES`] is an error
/// (`InvalidData`), so no input can make this use unbounded memory or time.
pub fn read_line(input: &mut dyn BufRead) -> io::Result<Option<String>> {
    let mut buf = Vec::new();
    let n = Read::take(&mut *input, LINE_MAX_BYTES as u64).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') && n == LINE_MAX_BYTES {
        skip_line(input, LINE_SKIP_MAX_BYTES - LINE_MAX_BYTES)?;
    }
    Ok(Some(String::from_utf8_lossy(&buf).trim_end().to_owned()))
}

/// Reads and drops input up to and including the next newline, at most `budget` bytes.
fn skip_line(input: &mut dyn BufRead, mut budget: usize) -> io::Result<()> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
            input.consume(i + 1);
            return Ok(());
        }
        let len = chunk.len();
        input.consume(len);
        budget = budget.saturating_sub(len);
        if budget == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a line of input is longer than {} KiB",
                    LINE_SKIP_MAX_BYTES / 1024
                ),
            ));
        }
    }
}

/// How a path is named in a message: on one line, with nothing that drives a terminal.
pub fn shown(path: &Path) -> String {
    one_line(&path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_bounded_and_an_endless_line_is_an_error() {
        let mut short = io::Cursor::new(b"a\r\nbb\n".to_vec());
        assert_eq!(read_line(&mut short).unwrap().as_deref(), Some("a"));
        assert_eq!(read_line(&mut short).unwrap().as_deref(), Some("bb"));
        assert_eq!(read_line(&mut short).unwrap(), None);
        let mut long = vec![b'x'; LINE_MAX_BYTES * 3];
        long.extend_from_slice(b"\nnext\n");
        let mut long = io::Cursor::new(long);
        assert_eq!(read_line(&mut long).unwrap().unwrap().len(), LINE_MAX_BYTES);
        assert_eq!(read_line(&mut long).unwrap().as_deref(), Some("next"));
        let mut endless = io::BufReader::new(io::repeat(0));
        let e = read_line(&mut endless).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    }

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
