//! The lesson as plain text: for a pipe, a pager or a screen reader. No escape codes ever;
//! meaning is carried by words and the symbols ✓ and ✗.

pub mod quiz;
pub use crate::wrap::wrap_lines;

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::doc::{self, Block, Piece};
use crate::lesson::Lesson;

/// How to print the lesson.
#[derive(Debug, Clone)]
pub struct PrintOptions {
    /// Wrap paragraphs at this many columns.
    pub width: usize,
    /// Print only this section id or concept id.
    pub section: Option<String>,
    /// Include quiz answers and explanations.
    pub answers: bool,
}

/// `section` is not a section id nor a concept id; the message lists the valid ones.
#[derive(Debug, thiserror::Error)]
#[error("unknown section `{section}`; expected one of: {valid}")]
pub struct UnknownSection {
    pub section: String,
    pub valid: String,
}

/// Checks that `section` names something printable in `lesson`.
pub fn check_section(lesson: &Lesson, section: &str) -> Result<(), UnknownSection> {
    let known =
        lesson.sections().any(|(id, _)| *id == section) || lesson.concept(section).is_some();
    if known {
        return Ok(());
    }
    let mut valid: Vec<&str> = lesson.sections().map(|(id, _)| *id).collect();
    valid.extend(lesson.concepts.iter().map(|c| c.id.as_str()));
    Err(UnknownSection {
        section: crate::sanitize::quote(section),
        valid: valid.join(", "),
    })
}

/// Writes the lesson (or one section of it) to `out`. Lines distlab added carry
/// [`doc::MARK`] in the margin, and a legend above says so when there are any.
pub fn print_lesson(lesson: &Lesson, opts: &PrintOptions, out: &mut dyn Write) -> io::Result<()> {
    let width = opts.width.clamp(20, 1000);
    let pieces = doc::blocks(lesson, opts.section.as_deref(), opts.answers);
    if pieces.iter().any(Piece::is_added) {
        wrap_lines(doc::LEGEND, width, "", "")
            .iter()
            .try_for_each(|l| writeln!(out, "{l}"))?;
        writeln!(out)?;
    }
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 && gap_before(&piece.block) {
            // Inside a run of added blocks the margin mark goes on through the gap.
            let through = piece.is_added() && pieces[i - 1].is_added();
            writeln!(out, "{}", if through { doc::MARK } else { "" })?;
        }
        if piece.is_added() {
            for l in block_lines(&piece.block, width - MARGIN) {
                writeln!(out, "{}", format!("{} {l}", doc::MARK).trim_end())?;
            }
        } else {
            block_lines(&piece.block, width)
                .iter()
                .try_for_each(|l| writeln!(out, "{l}"))?;
        }
    }
    out.flush()
}

/// Columns the margin mark and its space take.
pub const MARGIN: usize = 2;

/// Whether a blank line separates this block from the one before.
pub fn gap_before(block: &Block) -> bool {
    matches!(
        block,
        Block::Heading { .. } | Block::Para { .. } | Block::Label(_) | Block::Code { .. }
    )
}

fn block_lines(block: &Block, width: usize) -> Vec<String> {
    match block {
        Block::Heading { level: 3, text, .. } => wrap_lines(&text.to_uppercase(), width, "", ""),
        Block::Heading { level, text, .. } => {
            let rule = if *level == 1 { "=" } else { "-" };
            vec![text.clone(), rule.repeat(text.width().min(width))]
        }
        Block::Para { label, text } => wrap_lines(&format!("{label}{text}"), width, "", ""),
        Block::Label(text) => vec![text.clone()],
        Block::Item {
            mark, text, indent, ..
        } => {
            let first = format!("{}{mark}", " ".repeat(*indent));
            let rest = " ".repeat(indent + mark.width());
            wrap_lines(text, width, &first, &rest)
        }
        Block::Note { text, indent } => {
            let pad = " ".repeat(*indent);
            wrap_lines(text, width, &pad, &pad)
        }
        Block::Code { language, lines } => {
            let head = [format!("Code example ({language}):"), String::new()];
            let code = lines.iter().map(|l| format!("    {l}"));
            head.into_iter().chain(code).collect()
        }
        // Never wrapped: a link split across lines cannot be copied or clicked.
        Block::Link { url, indent } => vec![format!("{}Link: {url}", " ".repeat(*indent))],
    }
}

/// Keeps at most `rows` of `lines`; when some are left out, the last one kept ends in `…`
/// (shortened first if the `…` would take it past `width` columns).
pub fn clip_lines(lines: &mut Vec<String>, rows: usize, width: usize) {
    if lines.len() <= rows {
        return;
    }
    lines.truncate(rows.max(1));
    if let Some(last) = lines.last_mut() {
        while last.width() + 1 > width && last.pop().is_some() {}
        last.push('…');
    }
}

/// `text` in at most `room` columns: whole if it fits, else cut at a word where it can be
/// and ended with `…` (a number, or any word, is never cut unless it alone is too wide).
pub fn ellipsize(text: &str, room: usize) -> String {
    if text.width() <= room {
        return text.to_owned();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let next = if out.is_empty() {
            word.to_owned()
        } else {
            format!("{out} {word}")
        };
        if next.width() + 1 > room {
            break;
        }
        out = next;
    }
    if out.trim().is_empty() {
        // Not even one word fits: its first characters.
        out = String::new();
        for c in text.chars() {
            if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > room {
                break;
            }
            out.push(c);
        }
    }
    // No separator left dangling before the `…`.
    let out = out
        .trim_end_matches([',', ':', ';', ' ', '·', '—'])
        .to_owned();
    if room == 0 {
        return String::new();
    }
    format!("{out}…")
}
