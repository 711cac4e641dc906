//! A course: a `course.toml` that names lesson files in the order they are taught, with a
//! title. Loading it loads and validates every lesson, and reports every problem at once:
//! the course file's own at their file:line:col (a missing lesson, a lesson id used twice),
//! then each broken lesson's.
//!
//! ```toml
//! title = "Distributed systems, day by day"
//! lessons = ["day001.toml", "day002.toml"]
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::input::{LESSON_MAX_BYTES, read_limited, shown};
use crate::lesson::{self, Lesson, LessonError};

/// The file a course directory holds.
pub const COURSE_FILE: &str = "course.toml";

/// Most lessons a course may list.
pub const LESSONS_MAX: usize = 99;

/// A loaded course: its title and its lessons, in order, each valid.
#[derive(Debug, Clone)]
pub struct Course {
    pub title: String,
    /// The course file, as named in messages.
    pub name: String,
    pub lessons: Vec<CourseLesson>,
}

/// One lesson of a course and the file it came from.
#[derive(Debug, Clone)]
pub struct CourseLesson {
    /// The lesson file as the course names it (`day002.toml`).
    pub file: String,
    pub path: PathBuf,
    pub lesson: Lesson,
}

/// Why a course could not be loaded: every problem found, the course file's first.
#[derive(Debug)]
pub struct CourseError {
    pub errors: Vec<LessonError>,
}

impl fmt::Display for CourseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CourseError {}

/// The course file at `path`: a directory's `course.toml`, or the file itself.
pub fn course_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(COURSE_FILE)
    } else {
        path.to_owned()
    }
}

/// True when `path` names a course: a directory (with or without its `course.toml`, which
/// [`load`] then reports missing) or a file named `course.toml`.
pub fn is_course(path: &Path) -> bool {
    path.is_dir() || path.file_name().is_some_and(|n| n == COURSE_FILE)
}

/// Loads the course at `path` (a directory or its `course.toml`) and every lesson it names.
pub fn load(path: &Path) -> Result<Course, CourseError> {
    let file = course_file(path);
    let name = shown(&file);
    let one = |e: LessonError| CourseError { errors: vec![e] };
    let bytes = read_limited(&file, LESSON_MAX_BYTES).map_err(|e| {
        one(LessonError::Io {
            path: name.clone(),
            reason: format!("{e} (a course is a directory with a {COURSE_FILE})"),
        })
    })?;
    let source = std::str::from_utf8(&bytes).map_err(|e| {
        one(lesson::problems_at(
            &name,
            "",
            [(
                0..0,
                format!("not UTF-8 text (at byte {})", e.valid_up_to()),
            )],
        ))
    })?;
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let table = DeTable::parse(source).map_err(|e| {
        let message = crate::sanitize::one_line(e.message().trim_end()).replace('⏎', " ");
        one(lesson::problems_at(
            &name,
            source,
            [(e.span().unwrap_or(0..0), message)],
        ))
    })?;
    let dir = file.parent().unwrap_or(Path::new(".")).to_owned();
    let mut problems: Vec<(Range<usize>, String)> = Vec::new();
    let mut errors = Vec::new();
    let (mut title, mut entries) = (None, Vec::new());
    for (key, value) in table.get_ref().iter() {
        match (key.get_ref().as_ref(), value.get_ref()) {
            ("title", DeValue::String(t)) if t.trim().is_empty() => problems.push((
                value.span(),
                "`title` is empty; expected the course's title".into(),
            )),
            ("title", DeValue::String(t)) => title = Some(crate::sanitize::sanitize(t.trim())),
            ("lessons", DeValue::Array(items)) => {
                if items.is_empty() {
                    problems.push((
                        value.span(),
                        "`lessons` is empty; expected the lesson files in teaching order, \
                         e.g. [\"day001.toml\"]"
                            .into(),
                    ));
                }
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(path) => entries.push((path.to_string(), item.span())),
                        other => problems.push((
                            item.span(),
                            format!(
                                "a lesson is {}; expected a file name in quotes",
                                a_type(other)
                            ),
                        )),
                    }
                }
            }
            (field @ ("title" | "lessons"), other) => problems.push((
                value.span(),
                format!(
                    "`{field}` is {}; expected {}",
                    a_type(other),
                    if field == "title" {
                        "text in quotes"
                    } else {
                        "a list of lesson files, e.g. [\"day001.toml\"]"
                    }
                ),
            )),
            (other, _) => problems.push((
                key.span(),
                format!(
                    "unknown field `{}`; expected `title` or `lessons`",
                    crate::sanitize::quote(other)
                ),
            )),
        }
    }
    for field in ["title", "lessons"] {
        if table.get_ref().get(field).is_none() {
            problems.push((
                0..0,
                format!("missing field `{field}` at the top of the file; see lessons/FORMAT.md"),
            ));
        }
    }
    if entries.len() > LESSONS_MAX {
        problems.push((
            entries[LESSONS_MAX].1.clone(),
            format!(
                "{} lessons; a course may list at most {LESSONS_MAX}",
                entries.len()
            ),
        ));
    }
    let mut lessons: Vec<CourseLesson> = Vec::new();
    for (written, span) in entries.iter().take(LESSONS_MAX) {
        let quoted = crate::sanitize::quote(written);
        let rel = Path::new(written);
        if written.trim().is_empty() || rel.is_absolute() {
            problems.push((
                span.clone(),
                format!("lesson `{quoted}`: expected a lesson file's path relative to the course's directory"),
            ));
            continue;
        }
        if let Some(first) = lessons.iter().find(|l| l.file == *written) {
            problems.push((
                span.clone(),
                format!(
                    "lesson `{quoted}` is listed twice (first as `{}`)",
                    first.file
                ),
            ));
            continue;
        }
        let path = dir.join(rel);
        if !path.is_file() {
            problems.push((
                span.clone(),
                format!("lesson `{quoted}` does not exist: no file {}", shown(&path)),
            ));
            continue;
        }
        match lesson::load_file(&path) {
            Ok(lesson) => {
                if let Some(first) = lessons.iter().find(|l| l.lesson.id == lesson.id) {
                    problems.push((
                        span.clone(),
                        format!(
                            "lesson `{quoted}` has id `{}`, as `{}` does; a lesson's id keys \
                             its saved progress, so each lesson needs its own",
                            lesson.id, first.file
                        ),
                    ));
                    continue;
                }
                lessons.push(CourseLesson {
                    file: written.clone(),
                    path,
                    lesson,
                });
            }
            Err(e) => {
                problems.push((
                    span.clone(),
                    format!("lesson `{quoted}` is not valid (its problems follow)"),
                ));
                errors.push(e);
            }
        }
    }
    if let (true, Some(title)) = (problems.is_empty() && errors.is_empty(), title.clone()) {
        return Ok(Course {
            title,
            name,
            lessons,
        });
    }
    let mut all = Vec::new();
    if !problems.is_empty() {
        all.push(lesson::problems_at(&name, source, problems));
    }
    all.extend(errors);
    Err(CourseError { errors: all })
}

/// A value's type with its article: "an integer", "a table".
fn a_type(v: &DeValue<'_>) -> String {
    let ty = v.type_str();
    let article = if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {ty}")
}
