//! Reading a lesson: bytes → text → TOML → [`Lesson`] → validated, with errors that point
//! at the file, line and column and show the offending line.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use super::locate::Doc;
use super::model::{FORMAT_VERSION, FORMAT_VERSION_MIN, Lesson};
use super::schema;
use super::validate::validate;
use crate::sanitize::sanitize;

/// The built-in Day 001 lesson, compiled into the binary.
pub const BUILTIN_SOURCE: &str = include_str!("../../lessons/day001.toml");
/// How the built-in lesson is named in messages.
pub const BUILTIN_NAME: &str = "day001.toml (built in)";

/// Why a lesson could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LessonError {
    #[error("{path}: cannot read the lesson file: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: the file is empty; expected a lesson in TOML (see lessons/FORMAT.md)")]
    Empty { path: String },
    #[error(
        "{path}:{line}:{column}: this is not a text file (byte {offset} is not UTF-8 text); \
         expected a lesson in TOML (see lessons/FORMAT.md)"
    )]
    Binary {
        path: String,
        offset: usize,
        line: usize,
        column: usize,
    },
    /// One or more problems, each with its place in the file.
    #[error("{}", render_problems(path, problems))]
    Invalid {
        path: String,
        problems: Vec<Problem>,
    },
}

impl LessonError {
    /// The problems found, for errors that have places in the file.
    pub fn problems(&self) -> &[Problem] {
        match self {
            LessonError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// One thing wrong with a lesson file, at a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what is expected.
    pub message: String,
    /// The source line, sanitized, and the caret range under it.
    pub snippet: String,
    pub caret: Range<usize>,
}

impl Problem {
    /// A problem with the file as a whole (a missing table or field): line 1, no snippet.
    pub fn whole_file(message: impl Into<String>) -> Self {
        Self {
            line: 1,
            column: 1,
            message: message.into(),
            snippet: String::new(),
            caret: 0..0,
        }
    }

    /// A problem at byte range `span` of `source`.
    ///
    /// This counts the lines before `span` (linear in the file): to place many problems in
    /// one file, build a [`LineIndex`] once and use [`Problem::at_indexed`].
    pub fn at(source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line = source[..start].matches('\n').count() + 1;
        Self::placed(source, line, span, message)
    }

    /// [`Problem::at`] with the lines of `source` already indexed: logarithmic, not
    /// linear, in the size of the file.
    pub fn at_indexed(
        source: &str,
        lines: &LineIndex,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        Self::placed(source, lines.line_of(start), span, message)
    }

    /// The problem at `span`, which starts on 1-based line `line`.
    fn placed(source: &str, line: usize, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let raw_line = source[line_start..line_end].trim_end_matches('\r');
        let column = source[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(source, span.end.clamp(start, line_end.max(start)));
        let width = source[start..end].chars().count().max(1);
        let snippet: String = sanitize(raw_line).chars().take(160).collect();
        let caret_start = (column - 1).min(snippet.chars().count());
        Self {
            line,
            column,
            message: message.into(),
            snippet,
            caret: caret_start..caret_start + width.min(80),
        }
    }
}

/// Where each line of a text starts, so that a byte offset becomes a line number by binary
/// search: placing every problem of a large file stays fast.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// Most problems shown for one file: the rest are counted, not listed, so a broken file
/// of any size gives a message a person can read (and a bounded amount of output).
pub const PROBLEMS_SHOWN: usize = 100;

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn render_problems(path: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().take(PROBLEMS_SHOWN).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{path}:{}:{}: {}", p.line, p.column, p.message));
        if !p.snippet.trim().is_empty() {
            let gutter = p.line.to_string().len();
            let pad = " ".repeat(gutter);
            let carets = "^".repeat(p.caret.len().max(1));
            let indent = " ".repeat(p.caret.start);
            out.push_str(&format!(
                "\n{pad} |\n{} | {}\n{pad} | {indent}{carets}",
                p.line, p.snippet
            ));
        }
    }
    if problems.len() > PROBLEMS_SHOWN {
        out.push_str(&format!(
            "\n{path}: {} more problems not shown; fix these first",
            problems.len() - PROBLEMS_SHOWN
        ));
    }
    out
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// The built-in Day 001 lesson. The test suite validates it in full (its lab questions
/// run, which takes a while), so a start only reads it; should it ever fail to read, the
/// full check says why rather than panicking.
pub fn builtin() -> Result<Lesson, LessonError> {
    toml::from_str(BUILTIN_SOURCE).or_else(|_| parse(BUILTIN_NAME, BUILTIN_SOURCE.as_bytes()))
}

/// Reads and validates the lesson file at `path`.
pub fn load_file(path: &Path) -> Result<Lesson, LessonError> {
    load_file_with_source(path).map(|(lesson, _)| lesson)
}

/// [`load_file`], also returning the text read, for checks that place more problems in it.
pub fn load_file_with_source(path: &Path) -> Result<(Lesson, String), LessonError> {
    let name = crate::input::shown(path);
    let bytes = crate::input::read_limited(path, crate::input::LESSON_MAX_BYTES).map_err(|e| {
        LessonError::Io {
            path: name.clone(),
            reason: e.to_string(),
        }
    })?;
    let lesson = parse(&name, &bytes)?;
    let source = text_of(&name, &bytes)?.to_owned();
    Ok((lesson, source))
}

/// Problems at byte ranges of `source` (the file named `path`), as one error, in file order.
pub fn problems_at(
    path: &str,
    source: &str,
    found: impl IntoIterator<Item = (Range<usize>, String)>,
) -> LessonError {
    let lines = LineIndex::new(source);
    let mut problems: Vec<Problem> = found
        .into_iter()
        .map(|(span, message)| Problem::at_indexed(source, &lines, span, message))
        .collect();
    problems.sort_by_key(|p| (p.line, p.column));
    LessonError::Invalid {
        path: path.to_owned(),
        problems,
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<toml::Spanned<i64>>,
}

/// Parses and validates lesson `bytes`; `name` is how the file is named in errors.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Lesson, LessonError> {
    let path = name.to_owned();
    let source = text_of(name, bytes)?;
    if source.trim().is_empty() {
        return Err(LessonError::Empty { path });
    }
    let invalid = |mut problems: Vec<Problem>| {
        problems.sort_by_key(|p| (p.line, p.column));
        LessonError::Invalid {
            path: path.clone(),
            problems,
        }
    };
    // The spanned document, to name entries and point at values; it parses whenever serde
    // can read the file.
    let doc = Doc::parse(source);
    let syntax = |e: toml::de::Error| {
        let span = e.span().unwrap_or(0..0);
        // The message may repeat text from the file.
        let message = crate::sanitize::one_line(e.message().trim_end()).replace('⏎', " ");
        if span.start == 0 && (span.is_empty() || span.end >= source.trim_end().len()) {
            // serde reports a missing top-level field against the whole document.
            let message = format!("{message} at the top level of the file; see lessons/FORMAT.md");
            return invalid(vec![Problem::whole_file(message)]);
        }
        // Inside a list of tables, say which entry.
        let message = match doc.as_ref().and_then(|d| d.entry_at(span.start)) {
            Some(entry) => format!("{entry}: {message}"),
            None => message,
        };
        invalid(vec![Problem::at(source, span, message)])
    };
    let probe: VersionProbe = toml::from_str(source).map_err(syntax)?;
    match probe.format_version {
        None => {
            return Err(invalid(vec![Problem::whole_file(format!(
                "missing `format_version`; expected `format_version = {FORMAT_VERSION}` at the top"
            ))]));
        }
        Some(v)
            if !(i64::from(FORMAT_VERSION_MIN)..=i64::from(FORMAT_VERSION))
                .contains(v.get_ref()) =>
        {
            return Err(invalid(vec![Problem::at(
                source,
                v.span(),
                format!(
                    "format_version {} is not supported; this distlab reads format_version \
                     {FORMAT_VERSION_MIN} to {FORMAT_VERSION}",
                    v.get_ref()
                ),
            )]));
        }
        Some(_) => {}
    }
    // Every missing field, unknown field and wrong type at once; serde stops at the first.
    if let Some(doc) = &doc {
        let problems = schema::check(source, doc);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
    }
    let lesson: Lesson = toml::from_str(source).map_err(syntax)?;
    let problems = validate(&lesson, source, doc.as_ref());
    if problems.is_empty() {
        Ok(lesson)
    } else {
        Err(invalid(problems))
    }
}

fn text_of<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, LessonError> {
    let binary_at = |offset: usize| {
        let before = String::from_utf8_lossy(&bytes[..offset]);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LessonError::Binary {
            path: name.to_owned(),
            offset,
            line,
            column,
        }
    };
    let text = std::str::from_utf8(bytes).map_err(|e| binary_at(e.valid_up_to()))?;
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(binary_at(nul));
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}
