//! Drawing the course's start screen: the course's title, its lessons with what the
//! learner has done in each (the next one marked), the chosen lesson's tagline, and keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::course::CourseScreen;
use super::keymap;
use super::theme::Theme;

/// Draws `s` in `theme`; `ascii` draws ASCII glyphs only.
pub fn render(s: &CourseScreen, theme: &Theme, ascii: bool, frame: &mut Frame) {
    let t = theme;
    let area = frame.area();
    frame.render_widget(Block::new().style(t.base), area);
    if !super::layout::fits(area) {
        super::ui::too_small(t, frame, area);
        return;
    }
    let inner = area.width.saturating_sub(4) as usize;
    let about_text = s.lessons.get(s.selected).map(|e| {
        let mut lines: Vec<Line> = crate::plain::wrap_lines(&e.tagline, inner.max(10), "", "")
            .into_iter()
            .map(Line::raw)
            .collect();
        lines.push(Line::styled(e.holds.clone(), t.dim));
        (e, lines)
    });
    // The list first; the chosen lesson's box only where room is left for it.
    let room = area.height.saturating_sub(4);
    let list_rows = (2 * s.lessons.len() as u16 + 2).max(4).min(room);
    let about_rows = about_text.as_ref().map_or(0, |(_, l)| l.len() as u16 + 2);
    let about_rows = if about_rows <= room - list_rows {
        about_rows
    } else {
        0
    };
    let [head, list, about, _, note, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(list_rows),
        Constraint::Length(about_rows),
        Constraint::Min(0),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let title = format!(" {} ", s.title);
    frame.render_widget(
        Line::from(vec![
            Span::styled(
                crate::plain::ellipsize(&title, area.width as usize),
                t.title,
            ),
            Span::styled(format!("· {} lessons", s.lessons.len()), t.dim),
        ]),
        head,
    );
    frame.render_widget(lessons(s, t, list), list);
    if let Some((e, text)) = about_text {
        let block = Block::bordered()
            .border_style(t.border)
            .padding(Padding::horizontal(1))
            .title(Line::styled(format!(" {} ", e.short), t.title));
        frame.render_widget(Paragraph::new(text).block(block), about);
    }
    let message = match (&s.note, s.saving) {
        (Some(n), _) => Line::styled(n.clone(), t.message),
        (None, false) => Line::styled("Progress is not being saved in this session.", t.dim),
        (None, true) => Line::default(),
    };
    // At the bottom of its two rows, so a one-line note sits just above the keys.
    let rows = (message.width() as u16)
        .div_ceil(note.width.saturating_sub(2).max(1))
        .clamp(1, 2);
    let note = Rect {
        y: note.y + note.height.saturating_sub(rows),
        height: rows.min(note.height),
        ..note
    };
    let padded = Block::new().padding(Padding::horizontal(1));
    let message = Paragraph::new(message).wrap(Wrap { trim: true });
    frame.render_widget(message.block(padded), note);
    // Neighbours with the same word share it, as in the lessons' footer: `↓/↑ lesson`.
    let mut groups: Vec<(Vec<&str>, &str)> = Vec::new();
    for b in keymap::COURSE {
        let first = b.label.split('/').next().unwrap_or(b.label);
        match groups.last_mut() {
            Some((labels, short)) if *short == b.short => labels.push(first),
            _ => groups.push((vec![b.label], b.short)),
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (labels, short) in groups {
        let label = if labels.len() == 1 {
            labels[0].to_owned()
        } else {
            let firsts: Vec<&str> = labels
                .iter()
                .map(|l| l.split('/').next().unwrap_or(l))
                .collect();
            firsts.join("/")
        };
        spans.push(Span::styled(
            super::glyphs::key_names(&label, ascii),
            t.accent,
        ));
        spans.push(Span::styled(format!(" {short}  "), t.dim));
    }
    frame.render_widget(Line::from(spans), keys);
    super::cells::split_clusters(frame.buffer_mut());
    if ascii {
        super::glyphs::to_ascii(frame.buffer_mut());
    }
}

/// The list: two rows per lesson, its number, name and title, then what was done in it;
/// the chosen one marked ▶ (and styled), the next to take marked "next".
fn lessons<'a>(s: &'a CourseScreen, t: &Theme, area: Rect) -> Paragraph<'a> {
    let width = area.width.saturating_sub(4) as usize;
    let next = s.next_lesson();
    let mut lines = Vec::new();
    for (i, e) in s.lessons.iter().enumerate() {
        let chosen = i == s.selected;
        let mark = if chosen { "▶" } else { " " };
        let badge = if next == Some(i) { "  next" } else { "" };
        let head = format!("{mark} {:>2}  {}  ", i + 1, e.short);
        let room = width.saturating_sub(head.width() + badge.width());
        let style = if chosen { t.tab_active } else { t.base };
        lines.push(Line::from(vec![
            Span::styled(head, style),
            Span::styled(crate::plain::ellipsize(&e.title, room), style),
            Span::styled(badge, t.accent),
        ]));
        let done = crate::plain::ellipsize(&e.done, width.saturating_sub(7));
        lines.push(Line::styled(format!("       {done}"), t.dim));
    }
    // Keep the chosen lesson in view on a short screen.
    let rows = area.height.saturating_sub(2) as usize;
    let offset = (2 * s.selected + 2).saturating_sub(rows);
    Paragraph::new(lines)
        .scroll((offset.min(u16::MAX as usize) as u16, 0))
        .block(
            Block::bordered()
                .border_style(t.border)
                .padding(Padding::horizontal(1))
                .title(Line::styled(" Lessons ", t.title)),
        )
}
