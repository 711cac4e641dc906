//! [`ProgressStore`]: the progress file on disk, loaded, merged into under a lock on every
//! save, written atomically, and moved aside (never lost) when it cannot be read.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::atomic::{remove_stale_temps, stale_temps, write_atomic};
use super::lock::{self, LOCK_WAIT};
use super::{FORMAT_VERSION, LessonProgress, Progress};

/// The comment at the top of every progress file.
const HEADER: &str = "\
# distlab progress: quiz history and reading position, per lesson.
# distlab merges its changes into this file after every answer; edit it only while distlab
# is not running, and keep the last line: a file without it counts as cut short.
# Delete it, or run `distlab progress --reset`, to start afresh.
";

/// The last line of every progress file this build writes (format version 2 on). Written
/// last, it shows the file is whole: a file cut short at any point lacks it.
pub const END_MARKER: &str = "# end of distlab progress";

/// The format version written before [`END_MARKER`] existed; its files are read without it.
const UNMARKED_VERSION: i64 = 1;

/// Why progress cannot be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    /// The platform has no data directory (no HOME, for instance).
    #[error(
        "cannot find a data directory to keep progress in (is HOME set?); \
         name a file with --progress-file FILE"
    )]
    NoDataDir,
    /// The file comes from a newer distlab: it is left alone rather than moved aside.
    #[error(
        "{}: this progress file has format_version {found}, newer than this distlab reads \
         ({FORMAT_VERSION}); it was left untouched: upgrade distlab or use --progress-file FILE",
        path.display()
    )]
    NewerFormat { path: PathBuf, found: i64 },
    /// The file is unusable and could not be moved aside either, so it is left untouched.
    #[error(
        "{}: the progress file cannot be used ({reason}) and could not be moved aside \
         ({source}); it was left untouched: move it away or use --progress-file FILE",
        path.display()
    )]
    Stuck {
        path: PathBuf,
        reason: String,
        source: io::Error,
    },
    /// The file may not be read: reported as such, and left where it is (it is not corrupt).
    #[error(
        "{}: permission denied: distlab may not read this progress file ({source}); it was \
         left untouched: make it readable and writable for you (chmod u+rw) or use \
         --progress-file FILE",
        path.display()
    )]
    PermissionDenied { path: PathBuf, source: io::Error },
    /// The path is a directory, a device or a FIFO: it is left alone.
    #[error(
        "{}: this is not a regular file, so it cannot hold progress; it was left untouched: \
         name a file with --progress-file FILE",
        path.display()
    )]
    NotAFile { path: PathBuf },
    /// Locking, reading or writing the file failed; the previous file, if any, is intact and
    /// the unsaved changes are kept for the next save.
    #[error("{}: cannot save progress: {source}", path.display())]
    Save { path: PathBuf, source: io::Error },
    /// The progress could not be encoded (should not happen).
    #[error("cannot encode progress as TOML: {0}")]
    Encode(#[from] toml::ser::Error),
}

/// Something the learner should know about, though loading went on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgressWarning {
    /// The file was corrupt or unreadable; it was renamed and progress starts afresh.
    #[error(
        "{}: the progress file could not be used ({reason}); it was moved to {} and \
         progress starts afresh",
        path.display(),
        moved_to.display()
    )]
    MovedAside {
        path: PathBuf,
        moved_to: PathBuf,
        reason: String,
    },
}

/// The progress file: where it lives and what it holds. Load with [`open`], update through
/// [`lesson_mut`] and [`reset_lesson`], and [`save`] after each change.
///
/// A save merges: it locks the file, reads it afresh, replays the changes this store made
/// since it last loaded or saved (see the [module docs](super) for the rule), writes the
/// result atomically and adopts it. So processes sharing one file never undo each other's
/// work, and after a save this store also shows what the others saved. Cloning a store with
/// unsaved changes and saving both would count those changes twice.
///
/// [`open`]: ProgressStore::open
/// [`lesson_mut`]: ProgressStore::lesson_mut
/// [`reset_lesson`]: ProgressStore::reset_lesson
/// [`save`]: ProgressStore::save
#[derive(Debug, Clone)]
pub struct ProgressStore {
    path: PathBuf,
    progress: Progress,
    /// Lessons reset since the last load or save.
    resets: BTreeSet<String>,
}

/// What a read of the progress file found.
enum OnDisk {
    Missing,
    Whole(Progress),
    /// Unusable, for this reason: to be moved aside.
    Unusable(String),
}

impl ProgressStore {
    /// `progress.toml` in the platform's data directory (on Linux
    /// `$XDG_DATA_HOME/distlab`, by default `~/.local/share/distlab`).
    pub fn default_path() -> Result<PathBuf, ProgressError> {
        directories::ProjectDirs::from("", "", "distlab")
            .map(|d| d.data_dir().join("progress.toml"))
            .ok_or(ProgressError::NoDataDir)
    }

    /// Empty progress for `path`, without reading it. Its first save merges its changes
    /// into whatever the file holds then.
    pub fn fresh(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            progress: Progress::default(),
            resets: BTreeSet::new(),
        }
    }

    /// Loads the progress file at `path`. A missing file gives fresh progress. A corrupt,
    /// cut-short or unreadable one is moved to `<name>.corrupt-<unix-seconds>` and fresh
    /// progress starts, with a warning saying so; one that may not be read (permission
    /// denied) is an error and stays where it is. Temp files that killed saves left beside
    /// it are deleted.
    ///
    /// # Versions and the end marker
    ///
    /// Format version 2 files end with [`END_MARKER`]; one without it was cut short (a
    /// crash on a file system that does not order the write before the rename, a copy
    /// interrupted, a disk full) and is moved aside. Files of version 1, written by builds
    /// from before the marker, have none: they are read as before when they parse, and the
    /// next save rewrites them as version 2. A cut-short version 1 file cannot be told from
    /// a whole one, which is why the marker comes with a new version instead of being
    /// optional in the old one: a version 2 file can never pass for an unmarked one, and
    /// builds from before refuse it as newer and leave it untouched rather than overwrite
    /// it without merging.
    pub fn open(
        path: impl Into<PathBuf>,
    ) -> Result<(Self, Option<ProgressWarning>), ProgressError> {
        Self::open_at(path, super::unix_now())
    }

    /// [`open`](Self::open) with the current time given, in seconds since the Unix epoch.
    pub fn open_at(
        path: impl Into<PathBuf>,
        now_unix: u64,
    ) -> Result<(Self, Option<ProgressWarning>), ProgressError> {
        let path = through_links(path.into());
        clean_up_after_killed_saves(&path);
        let found = read(&path)?;
        if !matches!(found, OnDisk::Unusable(_)) {
            return Self::from_disk(&path, found, now_unix);
        }
        // Move it aside under the lock, after a second look: another distlab may have
        // moved it, or saved a whole file, in the meantime.
        let again = || Self::from_disk(&path, read(&path)?, now_unix);
        lock::with_lock(&path, LOCK_WAIT, again).unwrap_or_else(|_| again())
    }

    /// A store of what a read of `path` found, moving an unusable file aside.
    fn from_disk(
        path: &Path,
        found: OnDisk,
        now_unix: u64,
    ) -> Result<(Self, Option<ProgressWarning>), ProgressError> {
        let reason = match found {
            OnDisk::Missing => return Ok((Self::fresh(path), None)),
            OnDisk::Whole(progress) => {
                let store = Self {
                    progress,
                    ..Self::fresh(path)
                };
                return Ok((store, None));
            }
            OnDisk::Unusable(reason) => reason,
        };
        let moved_to = move_aside_or_stuck(path, now_unix, &reason)?;
        let warning = ProgressWarning::MovedAside {
            path: path.to_path_buf(),
            moved_to,
            reason,
        };
        Ok((Self::fresh(path), Some(warning)))
    }

    /// The file this progress is saved to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// All of the progress, every lesson.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// One lesson's progress, if there is any.
    pub fn lesson(&self, lesson_id: &str) -> Option<&LessonProgress> {
        self.progress.lessons.get(lesson_id)
    }

    /// One lesson's progress to update through its methods (created empty if needed). Call
    /// [`save`](Self::save) afterwards.
    pub fn lesson_mut(&mut self, lesson_id: &str) -> &mut LessonProgress {
        self.progress
            .lessons
            .entry(lesson_id.to_owned())
            .or_default()
    }

    /// Forgets one lesson's progress; true if there was any here. The save that follows
    /// removes the lesson from the file as it is then. Call [`save`](Self::save).
    pub fn reset_lesson(&mut self, lesson_id: &str) -> bool {
        self.resets.insert(lesson_id.to_owned());
        self.progress.lessons.remove(lesson_id).is_some()
    }

    /// True when there are changes that no save has written yet.
    pub fn has_unsaved_changes(&self) -> bool {
        !self.resets.is_empty()
            || self
                .progress
                .lessons
                .values()
                .any(LessonProgress::has_unsaved_changes)
    }

    /// This store's progress as the file holds it: the header comment, the TOML, and the
    /// end marker.
    pub fn to_toml(&self) -> Result<String, ProgressError> {
        render(&self.progress)
    }

    /// Saves this store's changes, merged into the file as it is now (see the type docs),
    /// then shows the merged progress. The write is atomic: a crash mid-save leaves the
    /// previous file intact. If the file has become unusable since it was loaded, it is
    /// moved aside and this store's progress is written in its place; the warning says so.
    /// On an error nothing changes, on disk or here: the changes wait for the next save.
    pub fn save(&mut self) -> Result<Option<ProgressWarning>, ProgressError> {
        self.save_at(super::unix_now())
    }

    /// [`save`](Self::save) with the current time given, in seconds since the Unix epoch
    /// (it names a file moved aside).
    pub fn save_at(&mut self, now_unix: u64) -> Result<Option<ProgressWarning>, ProgressError> {
        let path = self.path.clone();
        lock::with_lock(&path, LOCK_WAIT, || self.merge_and_write(now_unix))
            .map_err(|source| ProgressError::Save { path, source })?
    }

    /// The save itself, run under the lock.
    fn merge_and_write(&mut self, now_unix: u64) -> Result<Option<ProgressWarning>, ProgressError> {
        remove_stale_temps(&self.path, SystemTime::now());
        let (merged, moved) = match read(&self.path)? {
            OnDisk::Missing => (self.replay_onto(Progress::default()), None),
            OnDisk::Whole(on_disk) => (self.replay_onto(on_disk), None),
            OnDisk::Unusable(reason) => {
                // What the file held is gone but for this store's copy of it: keep that.
                let moved_to = move_aside_or_stuck(&self.path, now_unix, &reason)?;
                let mut kept = self.progress.clone();
                kept.lessons
                    .values_mut()
                    .for_each(LessonProgress::mark_saved);
                (kept, Some((moved_to, reason)))
            }
        };
        let written = render(&merged).and_then(|text| {
            write_atomic(&self.path, text.as_bytes()).map_err(|source| ProgressError::Save {
                path: self.path.clone(),
                source,
            })
        });
        if let Err(e) = written {
            if let Some((moved_to, _)) = &moved {
                // Put the unusable file back, so that nothing changed and the next save
                // finds it again (rather than a missing file and no copy of this progress).
                let _ = fs::rename(moved_to, &self.path);
            }
            return Err(e);
        }
        self.progress = merged;
        self.resets.clear();
        Ok(moved.map(|(moved_to, reason)| ProgressWarning::MovedAside {
            path: self.path.clone(),
            moved_to,
            reason,
        }))
    }

    /// `on_disk` with this store's resets and unsaved changes replayed onto it.
    fn replay_onto(&self, mut on_disk: Progress) -> Progress {
        for id in &self.resets {
            on_disk.lessons.remove(id);
        }
        for (id, lesson) in &self.progress.lessons {
            if lesson.has_unsaved_changes() {
                lesson.replay_onto(on_disk.lessons.entry(id.clone()).or_default());
            }
        }
        on_disk.format_version = FORMAT_VERSION;
        on_disk
    }
}

/// The file's text: the header comment, the TOML, and the end marker.
fn render(progress: &Progress) -> Result<String, ProgressError> {
    let mut progress = progress.clone();
    progress.format_version = FORMAT_VERSION;
    Ok(format!(
        "{HEADER}\n{}\n{END_MARKER}\n",
        toml::to_string(&progress)?
    ))
}

/// Largest progress file read, in bytes (years of daily quizzes stay far below a MiB); a
/// larger file is treated as corrupt and moved aside.
pub const PROGRESS_MAX_BYTES: u64 = 2 * 1024 * 1024;

/// The file `path` names once symbolic links are followed (at most 16 of them): a save
/// replaces that file, not the link (which would quietly stop pointing at the progress),
/// and locks beside it, so every process that reaches the file by any name shares a lock.
fn through_links(path: PathBuf) -> PathBuf {
    let mut path = path;
    for _ in 0..16 {
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        let Some(target) = is_link.then(|| fs::read_link(&path).ok()).flatten() else {
            break;
        };
        path = if target.is_absolute() {
            target
        } else {
            super::atomic::parent_dir(&path).join(target)
        };
    }
    path
}

/// Reads and parses the progress file, at most [`PROGRESS_MAX_BYTES`] of it. A path that is
/// not a regular file (a directory, `/dev/zero`, a FIFO) is an error and left alone: it is
/// never read, and never moved aside.
fn read(path: &Path) -> Result<OnDisk, ProgressError> {
    use crate::input::{ReadError, read_limited};
    match read_limited(path, PROGRESS_MAX_BYTES) {
        Ok(bytes) => classify(path, Ok(bytes)),
        Err(ReadError::NotFound) => Ok(OnDisk::Missing),
        Err(ReadError::PermissionDenied) => {
            classify(path, Err(io::Error::from(io::ErrorKind::PermissionDenied)))
        }
        Err(ReadError::NotRegular | ReadError::Directory) => Err(ProgressError::NotAFile {
            path: path.to_path_buf(),
        }),
        Err(e @ (ReadError::TooLarge { .. } | ReadError::Other(_))) => {
            Ok(OnDisk::Unusable(format!("cannot read it: {e}")))
        }
    }
}

/// What a read of `path` that gave `read` found. Permission denied is an error, not
/// corruption: the file is probably fine, and moving it aside would hide it.
fn classify(path: &Path, read: io::Result<Vec<u8>>) -> Result<OnDisk, ProgressError> {
    match read {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(OnDisk::Missing),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            Err(ProgressError::PermissionDenied {
                path: path.to_path_buf(),
                source: e,
            })
        }
        Err(e) => Ok(OnDisk::Unusable(format!("cannot read it: {e}"))),
        Ok(bytes) => Ok(match parse(path, &bytes)? {
            Ok(progress) => OnDisk::Whole(progress),
            Err(reason) => OnDisk::Unusable(reason),
        }),
    }
}

/// Deletes temp files that saves killed midway left beside `path`, if there are any and no
/// save is running (best effort: opening never waits or fails for it).
fn clean_up_after_killed_saves(path: &Path) {
    let now = SystemTime::now();
    if !stale_temps(path, now).is_empty() {
        lock::if_unlocked(path, || remove_stale_temps(path, now));
    }
}

/// Moves an unusable file aside, or says why it is stuck where it is.
fn move_aside_or_stuck(path: &Path, now_unix: u64, reason: &str) -> Result<PathBuf, ProgressError> {
    move_aside(path, now_unix).map_err(|source| ProgressError::Stuck {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
        source,
    })
}

/// Parses a progress file: `Ok(Ok(progress))`, `Ok(Err(why it is corrupt))`, or an error
/// for a newer format (which must not be moved aside).
fn parse(path: &Path, bytes: &[u8]) -> Result<Result<Progress, String>, ProgressError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(Err("it is not UTF-8 text".into()));
    };
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => return Ok(Err(toml_problem(text, &e))),
    };
    match table
        .get("format_version")
        .and_then(toml::Value::as_integer)
    {
        None => return Ok(Err("it has no format_version".into())),
        Some(v) if v > i64::from(FORMAT_VERSION) => {
            return Err(ProgressError::NewerFormat {
                path: path.to_path_buf(),
                found: v,
            });
        }
        Some(v) if v == i64::from(FORMAT_VERSION) => {
            if !ends_with_marker(text) {
                return Ok(Err(format!(
                    "it is cut short: its last line is not `{END_MARKER}`"
                )));
            }
        }
        Some(UNMARKED_VERSION) => {}
        Some(v) => return Ok(Err(format!("format_version {v} is not one distlab knows"))),
    }
    Ok(match toml::from_str::<Progress>(text) {
        Ok(mut p) => {
            p.normalize();
            Ok(p)
        }
        Err(e) => Err(toml_problem(text, &e)),
    })
}

/// True when the last line that is not blank is [`END_MARKER`].
fn ends_with_marker(text: &str) -> bool {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim() == END_MARKER)
}

/// A one-line description of a TOML error: its message and line.
fn toml_problem(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

/// Renames `path` to `<name>.corrupt-<now>` (or `...-2`, `-3`, ... if that exists).
fn move_aside(path: &Path, now_unix: u64) -> io::Result<PathBuf> {
    let name = super::atomic::file_name(path);
    let dir = super::atomic::parent_dir(path);
    let base = format!("{name}.corrupt-{now_unix}");
    let mut target = dir.join(&base);
    let mut n = 2;
    while target.symlink_metadata().is_ok() {
        target = dir.join(format!("{base}-{n}"));
        n += 1;
    }
    fs::rename(path, &target)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_denied_is_an_error_not_corruption() {
        let path = Path::new("/somewhere/progress.toml");
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        let Err(err) = classify(path, Err(denied)) else {
            panic!("permission denied must be an error");
        };
        assert!(matches!(err, ProgressError::PermissionDenied { .. }));
        let message = err.to_string();
        assert!(
            message.starts_with("/somewhere/progress.toml: permission denied"),
            "{message}"
        );
        assert!(message.contains("left untouched"), "{message}");
    }

    #[test]
    fn other_read_errors_are_unusable_and_a_missing_file_is_missing() {
        let path = Path::new("p.toml");
        let other = io::Error::other("boom");
        assert!(
            matches!(classify(path, Err(other)), Ok(OnDisk::Unusable(r)) if r.contains("boom"))
        );
        let missing = io::Error::from(io::ErrorKind::NotFound);
        assert!(matches!(classify(path, Err(missing)), Ok(OnDisk::Missing)));
    }

    #[test]
    fn the_marker_must_be_the_last_line_that_is_not_blank() {
        assert!(ends_with_marker(&format!("a = 1\n{END_MARKER}\n")));
        assert!(ends_with_marker(&format!("a = 1\n{END_MARKER}")));
        assert!(ends_with_marker(&format!(
            "a = 1\r\n{END_MARKER}\r\n\n  \n"
        )));
        assert!(!ends_with_marker(&format!("{END_MARKER}\na = 1\n")));
        assert!(!ends_with_marker("a = 1\n# end of distlab prog"));
        assert!(!ends_with_marker(""));
    }
}
