//! The Quiz tab: a question with lettered options, practice feedback, or the summary (the
//! document is built by [`quiz_doc`](super::quiz_doc)), under a title with the mode, score
//! and countdown; on a projector, the classroom stage ([`stage`]) in large text.

use ratatui::Frame;
use ratatui::buffer::CellDiffOption;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::app::App;
use super::layout;
use super::lesson_view::render_doc;
use super::quiz_doc::quiz_lines;
use super::quiz_doc::stage::{self, Look, Part, Stage};
use super::theme::Theme;
use crate::quiz::{Mode, Order};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if let Some(stage) = app.classroom_stage() {
        return draw_stage(&stage, frame, area, &app.theme);
    }
    let q = &app.quiz;
    let lines = quiz_lines(
        &app.lesson,
        q,
        &app.theme,
        layout::text_width(area) as usize,
    );
    let order = match q.order {
        Order::Lesson => String::new(),
        Order::Course => " · course order".to_owned(),
        Order::Shuffled(seed) => format!(" · shuffled (seed {seed})"),
        Order::Review => " · review: weakest first".to_owned(),
    };
    let mode = match q.session.mode() {
        Mode::Practice => format!("Practice{order} · score {}", q.session.score()),
        Mode::Exam => format!("Exam{order} · feedback at the end"),
    };
    let clock = match stage::countdown_left(q, app.elapsed) {
        Some(0) if q.class_mark.is_none() => " · ◷ time's up: mark the class's answer".to_owned(),
        Some(0) => " · ◷ time's up: Enter reveals".to_owned(),
        Some(left) => format!(" · ◷ {}", crate::quiz::clock(left)),
        None => String::new(),
    };
    let mode = match (&q.showing, q.classroom) {
        (crate::tui::quiz_tab::Showing::Question, true) => {
            "Classroom · the answer stays hidden until Enter".to_owned()
        }
        (_, true) => "Classroom".to_owned(),
        (_, false) => mode,
    };
    let title = format!("Quiz · {mode}{clock}");
    render_doc(app, frame, area, &lines.doc, q.scroll.offset, &title);
}

/// The classroom stage: no box (a double-height line doubles every cell of its row, so a
/// border would be drawn twice its size); big lines hold their text in the row's first
/// half, which the terminal stretches across the whole row.
fn draw_stage(stage: &Stage, frame: &mut Frame, area: Rect, t: &Theme) {
    let buf = frame.buffer_mut();
    for l in &stage.lines {
        let (style, lead_style) = look(l.part, t);
        let indent = if l.big { 1 } else { 2 };
        let centre = matches!(l.part, Part::Countdown | Part::TimeUp);
        let w = l.lead.width() + l.text.width();
        let columns = if l.big { area.width / 2 } else { area.width };
        let x = if centre {
            area.x + columns.saturating_sub(w as u16) / 2
        } else {
            area.x + indent
        };
        let line = Line::from(vec![
            Span::styled(l.lead.clone(), lead_style),
            Span::styled(l.text.clone(), style),
        ]);
        for dy in 0..if l.big { 2 } else { 1 } {
            let y = area.y + l.row + dy;
            if y >= area.bottom() {
                break;
            }
            let row = Rect::new(x, y, area.right().saturating_sub(x), 1);
            buf.set_line(row.x, row.y, &line, row.width);
            if l.big {
                // The row's second half is off the screen's edge once the terminal
                // doubles the line: never write there.
                for cx in area.x + columns..area.right() {
                    buf[(cx, y)].set_diff_option(CellDiffOption::Skip);
                }
            }
        }
    }
}

/// The style of a stage line's text and of its lead (an option's letter).
fn look(part: Part, t: &Theme) -> (Style, Style) {
    match part {
        Part::Header => (t.heading, t.heading),
        Part::Question => (t.label.add_modifier(Modifier::BOLD), t.label),
        Part::Option { look, .. } => match look {
            Look::Open => (t.base, t.accent),
            Look::Marked => (t.selected, t.accent),
            Look::Right => (t.right.add_modifier(Modifier::BOLD), t.right),
            Look::Wrong => (t.dim.add_modifier(Modifier::CROSSED_OUT), t.wrong),
        },
        Part::Countdown => (t.title, t.title),
        Part::TimeUp => (t.warn, t.warn),
        Part::Why => (t.base, t.base),
        Part::Hint => (t.dim, t.dim),
    }
}
