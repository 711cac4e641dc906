//! The Concepts screen: one panel per concept with every part, and a "try it" link to its
//! scenario in the lab.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::App;
use super::lesson_view::render_doc;
use crate::lesson::Text;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [picker, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let mut spans = vec![Span::raw(" ")];
    let n = app.lesson.concepts.len().max(1);
    // Each tab gets an equal share of the row: " 2 Replication, Partit… " and a gap. A
    // title that fits is shown whole; one that does not ends in `…`, never cut bare.
    let share = (picker.width as usize).saturating_sub(1) / n;
    for (i, c) in app.lesson.concepts.iter().enumerate() {
        let style = if i == app.concepts.current {
            t.tab_active
        } else {
            t.dim
        };
        let number = (i + 1).to_string();
        let room = share.saturating_sub(number.len() + 4);
        spans.push(Span::styled(
            format!(" {number} {} ", crate::plain::ellipsize(&c.title, room)),
            style,
        ));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(spans), picker);
    let concept = &app.lesson.concepts[app.concepts.current];
    let which = format!(
        "Concept {} of {}",
        app.concepts.current + 1,
        app.lesson.concepts.len()
    );
    let title = match concept.scenario.as_slice() {
        [] => which,
        [s] => format!("{which} · t: try `{s}` in the lab"),
        several => format!(
            "{which} · t: try it in the lab ({} scenarios)",
            several.len()
        ),
    };
    let doc = app.concept_doc();
    render_doc(app, frame, body, doc, app.concepts.pos.offset, &title);
    if let Some(row) = app.concepts.choosing {
        choices(app, frame, body, &concept.scenario, row);
    }
}

/// The "try which scenario?" list over the concept: each scenario's id and title, the
/// chosen one marked (a symbol as well as the colour, so it reads without colour).
fn choices(app: &App, frame: &mut Frame, area: Rect, ids: &[Text], row: usize) {
    let t = &app.theme;
    // As wide as the titles need, within the concept's panel.
    let longest = (ids.iter())
        .map(|id| {
            id.chars().count()
                + 2
                + app
                    .lesson
                    .scenario(id)
                    .map_or(0, |s| s.title.chars().count())
        })
        .max()
        .unwrap_or(0);
    let width = area.width.saturating_sub(4).min(longest as u16 + 6);
    let room = (width as usize).saturating_sub(4);
    let lines: Vec<Line> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let title = app.lesson.scenario(id).map_or("", |s| s.title.as_str());
            let (mark, style) = if i == row {
                ("▶ ", t.tab_active)
            } else {
                ("  ", ratatui::style::Style::default())
            };
            let text = crate::plain::ellipsize(&format!("{id}: {title}"), room);
            Line::styled(format!("{mark}{text}"), style)
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let popup = Rect {
        x: area.x + 2,
        y: area.y + 2,
        width,
        height,
    }
    .intersection(area);
    let block = Block::bordered()
        .border_style(t.accent)
        .title(" Try which scenario? ")
        .title_bottom(Line::styled(" ↑/↓ choose · Enter open · Esc close ", t.dim));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
