//! [`ProgressStore`]: the progress file on disk, loaded once, saved atomically, and moved
//! aside (never lost) when it cannot be read.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::write_atomic;
use super::{FORMAT_VERSION, LessonProgress, Progress};

/// The comment at the top of every progress file.
const HEADER: &str = "\
# distlab progress: quiz history and reading position, per lesson.
# distlab rewrites this file after every answer; edit it only while distlab is not running.
# Delete it, or run `distlab progress --reset`, to start afresh.
";

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
    /// Writing the file failed; the previous file, if any, is intact.
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

/// The progress file: where it lives and what it holds. Load once with [`open`], update
/// through [`lesson_mut`], and [`save`] after each change.
///
/// [`open`]: ProgressStore::open
/// [`lesson_mut`]: ProgressStore::lesson_mut
/// [`save`]: ProgressStore::save
#[derive(Debug, Clone)]
pub struct ProgressStore {
    path: PathBuf,
    progress: Progress,
}

impl ProgressStore {
    /// `progress.toml` in the platform's data directory (on Linux
    /// `$XDG_DATA_HOME/distlab`, by default `~/.local/share/distlab`).
    pub fn default_path() -> Result<PathBuf, ProgressError> {
        directories::ProjectDirs::from("", "", "distlab")
            .map(|d| d.data_dir().join("progress.toml"))
            .ok_or(ProgressError::NoDataDir)
    }

    /// Empty progress that will be saved to `path` (nothing is read).
    pub fn fresh(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            progress: Progress::default(),
        }
    }

    /// Loads the progress file at `path`. A missing file gives fresh progress. A corrupt or
    /// unreadable one is moved to `<name>.corrupt-<unix-seconds>` and fresh progress starts,
    /// with a warning saying so.
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
        let path = path.into();
        let reason = match fs::read(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Self::fresh(path), None)),
            Err(e) => format!("cannot read it: {e}"),
            Ok(bytes) => match parse(&path, &bytes)? {
                Ok(progress) => return Ok((Self { path, progress }, None)),
                Err(reason) => reason,
            },
        };
        match move_aside(&path, now_unix) {
            Ok(moved_to) => {
                let warning = ProgressWarning::MovedAside {
                    path: path.clone(),
                    moved_to,
                    reason,
                };
                Ok((Self::fresh(path), Some(warning)))
            }
            Err(source) => Err(ProgressError::Stuck {
                path,
                reason,
                source,
            }),
        }
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

    /// One lesson's progress to update (created empty if needed). Call [`save`](Self::save)
    /// afterwards.
    pub fn lesson_mut(&mut self, lesson_id: &str) -> &mut LessonProgress {
        self.progress
            .lessons
            .entry(lesson_id.to_owned())
            .or_default()
    }

    /// Forgets one lesson's progress; true if there was any. Call [`save`](Self::save).
    pub fn reset_lesson(&mut self, lesson_id: &str) -> bool {
        self.progress.lessons.remove(lesson_id).is_some()
    }

    /// The file's contents: the header comment, then TOML.
    pub fn to_toml(&self) -> Result<String, ProgressError> {
        let mut progress = self.progress.clone();
        progress.format_version = FORMAT_VERSION;
        Ok(format!("{HEADER}\n{}", toml::to_string(&progress)?))
    }

    /// Writes the file atomically: a crash mid-save leaves the previous file intact.
    pub fn save(&self) -> Result<(), ProgressError> {
        let text = self.to_toml()?;
        write_atomic(&self.path, text.as_bytes()).map_err(|source| ProgressError::Save {
            path: self.path.clone(),
            source,
        })
    }
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
        Some(v) if v != i64::from(FORMAT_VERSION) => {
            return Ok(Err(format!("format_version {v} is not one distlab knows")));
        }
        Some(_) => {}
    }
    Ok(match toml::from_str::<Progress>(text) {
        Ok(mut p) => {
            p.normalize();
            Ok(p)
        }
        Err(e) => Err(toml_problem(text, &e)),
    })
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
    let name = path
        .file_name()
        .map_or_else(|| "progress".into(), |n| n.to_string_lossy().into_owned());
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
