//! The Lesson screen: the whole lesson as a readable, scrollable document.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::app::App;
use super::layout;
use super::styled_doc::{StyledDoc, is_marked};
use crate::doc::MARK;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let doc = app.lesson_doc();
    let section = doc
        .section_at(app.lesson_tab.pos.offset)
        .map_or("", |a| a.title.as_str())
        .to_owned();
    render_doc(app, frame, area, doc, app.lesson_tab.pos.offset, &section);
}

/// Draws a wrapped document in a bordered box with a scrollbar and a position indicator.
pub fn render_doc(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    doc: &StyledDoc,
    offset: usize,
    title: &str,
) {
    let t = &app.theme;
    let height = layout::text_height(area) as usize;
    let max = doc.lines.len().saturating_sub(height);
    let offset = offset.min(max);
    let percent = (offset * 100).checked_div(max).unwrap_or(100);
    let position = format!(
        " {}–{} of {} · {percent}% ",
        offset + 1,
        (offset + height).min(doc.lines.len()),
        doc.lines.len()
    );
    let visible: Vec<Line> = doc
        .lines
        .iter()
        .skip(offset)
        .take(height)
        .cloned()
        .collect();
    let room = (area.width as usize).saturating_sub(4);
    let title = crate::plain::ellipsize(title, room);
    let mut block = Block::bordered()
        .border_style(t.border)
        .title(Line::styled(format!(" {title} "), t.heading))
        .title_bottom(Line::styled(position.clone(), t.dim).right_aligned());
    // Say what the margin mark means whenever it is on screen (and there is room for it
    // beside the position).
    let legend = format!(" {MARK} added by distlab ");
    let fits = legend.chars().count() + position.chars().count() + 3 <= area.width as usize;
    if fits && visible.iter().any(is_marked) {
        block = block.title_bottom(Line::styled(legend, t.dim));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Centre the reading column when the box is wider than a comfortable line.
    let width = (layout::text_width(area)).min(inner.width.saturating_sub(2));
    let left = inner.width.saturating_sub(width) / 2;
    let text_area = Rect {
        x: inner.x + left,
        width,
        ..inner
    };
    frame.render_widget(Paragraph::new(visible), text_area);
    if max > 0 {
        let mut state = ScrollbarState::new(max).position(offset);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .thumb_style(t.accent)
            .track_style(t.border);
        frame.render_stateful_widget(
            bar,
            area.inner(Margin {
                vertical: 1,
                horizontal: 0,
            }),
            &mut state,
        );
    }
}
