//! The lesson document ([`crate::doc`]) wrapped to a width and styled for the screen, with the
//! line where each section starts, for jumps and the position indicator. Lines distlab
//! added carry [`MARK`] in a dim margin, as in the printed lesson.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::doc::{Block, MARK, Piece, Tone};
use crate::plain::{MARGIN, gap_before, wrap_lines};

/// Where a section or concept starts in the wrapped lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub line: usize,
    pub id: String,
    pub title: String,
}

/// Wrapped, styled lines and their anchors.
#[derive(Debug, Clone, Default)]
pub struct StyledDoc {
    pub lines: Vec<Line<'static>>,
    pub anchors: Vec<Anchor>,
}

impl StyledDoc {
    /// Wraps `pieces` at `width` columns in `theme`'s styles.
    pub fn build(pieces: &[Piece], width: usize, theme: &Theme) -> StyledDoc {
        let mut d = StyledDoc::default();
        let width = width.max(10);
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 && gap_before(&piece.block) {
                // Inside a run of added blocks the margin mark goes on through the gap.
                let through = piece.is_added() && pieces[i - 1].is_added();
                let gap = if through {
                    Line::styled(MARK, theme.dim)
                } else {
                    Line::default()
                };
                d.lines.push(gap);
            }
            if piece.is_added() {
                let start = d.lines.len();
                d.block(&piece.block, width.saturating_sub(MARGIN).max(10), theme);
                for line in &mut d.lines[start..] {
                    *line = marked(std::mem::take(line), theme.dim);
                }
            } else {
                d.block(&piece.block, width, theme);
            }
        }
        d
    }

    /// The anchor of the section that contains line `line` (the last one at or above it).
    pub fn section_at(&self, line: usize) -> Option<&Anchor> {
        self.anchors.iter().rev().find(|a| a.line <= line)
    }

    fn block(&mut self, block: &Block, width: usize, t: &Theme) {
        use crate::plain::ellipsize;
        match block {
            Block::Heading {
                level,
                text,
                anchor,
            } => {
                if let Some(id) = anchor {
                    let title = text.clone();
                    self.anchors.push(Anchor {
                        line: self.lines.len(),
                        id: id.clone(),
                        title,
                    });
                }
                let (style, text) = match level {
                    1 => (t.title, text.clone()),
                    2 => (t.heading, text.clone()),
                    _ => (t.subheading, text.clone()),
                };
                for l in wrap_lines(&text, width, "", "") {
                    self.lines.push(Line::from(Span::styled(l, style)));
                }
                if *level <= 2 {
                    let rule = if *level == 1 { "━" } else { "─" };
                    self.lines
                        .push(Line::styled(rule.repeat(text.width().min(width)), t.border));
                }
            }
            Block::Para { label, text } => {
                let joined = format!("{label}{text}");
                self.labelled(
                    &wrap_lines(&joined, width, "", ""),
                    label.width(),
                    t.label,
                    t.base,
                );
            }
            Block::Label(text) => self
                .lines
                .push(Line::styled(ellipsize(text, width), t.label)),
            Block::Item {
                mark,
                text,
                indent,
                tone,
            } => {
                let first = format!("{}{mark}", " ".repeat(*indent));
                let rest = " ".repeat(indent + mark.width());
                let mark_style = match tone {
                    Tone::Plain => t.accent,
                    Tone::Right => t.right,
                    Tone::Wrong => t.wrong,
                };
                let lines = wrap_lines(text, width, &first, &rest);
                self.labelled(&lines, first.width(), mark_style, t.base);
            }
            Block::Note { text, indent } => {
                let pad = " ".repeat(*indent);
                for l in wrap_lines(text, width, &pad, &pad) {
                    self.lines.push(Line::styled(l, t.dim));
                }
            }
            Block::Code { language, lines } => {
                self.lines
                    .push(Line::styled(format!("  ┌─ {language}"), t.border));
                for l in lines {
                    self.lines.push(Line::from(vec![
                        Span::styled("  │ ", t.border),
                        Span::styled(ellipsize(l, width.saturating_sub(4)), t.code),
                    ]));
                }
                self.lines.push(Line::styled("  └─", t.border));
            }
            Block::Link { url, indent } => self.lines.push(Line::from(vec![
                Span::raw(" ".repeat(*indent)),
                Span::styled("Link: ", t.label),
                // Never wrapped (a link split across lines cannot be copied or clicked);
                // one too long for the column ends in `…` (`distlab print` prints it whole).
                Span::styled(ellipsize(url, width.saturating_sub(indent + 6)), t.link),
            ])),
        }
    }

    /// Pushes wrapped lines whose first `label_width` columns are styled as a label.
    fn labelled(&mut self, lines: &[String], label_width: usize, label: Style, body: Style) {
        for (i, l) in lines.iter().enumerate() {
            if i == 0 && label_width > 0 {
                let split = byte_at_width(l, label_width);
                self.lines.push(Line::from(vec![
                    Span::styled(l[..split].to_owned(), label),
                    Span::styled(l[split..].to_owned(), body),
                ]));
            } else {
                self.lines.push(Line::styled(l.clone(), body));
            }
        }
    }
}

/// `line` with the margin mark in front, in `style`. The line's own style moves onto its
/// spans, so it does not colour the mark.
pub fn marked(line: Line<'static>, style: Style) -> Line<'static> {
    let base = line.style;
    let mut spans = vec![Span::styled(format!("{MARK} "), style)];
    spans.extend(
        line.spans
            .into_iter()
            .map(|s| Span::styled(s.content, base.patch(s.style))),
    );
    Line::from(spans)
}

/// True for a line that starts with the margin mark (text distlab added).
pub fn is_marked(line: &Line<'_>) -> bool {
    line.spans
        .first()
        .is_some_and(|s| s.content.starts_with(MARK))
}

/// The byte index in `s` where `width` display columns end.
fn byte_at_width(s: &str, width: usize) -> usize {
    let mut w = 0;
    for (i, c) in s.char_indices() {
        if w >= width {
            return i;
        }
        w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    s.len()
}
