//! The Concepts screen: one panel per concept with every part, and a "try it" link to its
//! scenario in the lab.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::app::App;
use super::lesson_view::render_doc;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [picker, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let mut spans = vec![Span::raw(" ")];
    for (i, c) in app.lesson.concepts.iter().enumerate() {
        let style = if i == app.concepts.current {
            t.tab_active
        } else {
            t.dim
        };
        let name = c
            .title
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        spans.push(Span::styled(format!(" {} {name}… ", i + 1), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(spans), picker);
    let concept = &app.lesson.concepts[app.concepts.current];
    let title = match &concept.scenario {
        Some(s) => format!(
            "Concept {} of {} · t: try `{s}` in the lab",
            app.concepts.current + 1,
            app.lesson.concepts.len()
        ),
        None => format!(
            "Concept {} of {}",
            app.concepts.current + 1,
            app.lesson.concepts.len()
        ),
    };
    let doc = app.concept_doc();
    render_doc(app, frame, body, doc, app.concepts.pos.offset, &title);
}
