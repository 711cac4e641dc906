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
