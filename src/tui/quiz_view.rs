//! The Quiz tab: a question with lettered options, practice feedback, or the summary (the
//! document is built by [`quiz_doc`](super::quiz_doc)), under a title with the mode, score
//! and countdown.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::app::App;
use super::layout;
use super::lesson_view::render_doc;
use super::quiz_doc::quiz_lines;
use crate::quiz::{Mode, Order};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
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
    let clock = match q.countdown {
        Some(deadline) if deadline > app.elapsed => {
            let left = (deadline - app.elapsed).as_millis().div_ceil(1000);
            format!(" · ◷ {}", crate::quiz::clock(left as u64))
        }
        Some(_) => " · ◷ time's up: Enter reveals".to_owned(),
        None => String::new(),
    };
    let mode = if q.classroom {
        "Classroom · the answer stays hidden until Enter".to_owned()
    } else {
        mode
    };
    let title = format!("Quiz · {mode}{clock}");
    render_doc(app, frame, area, &lines.doc, q.scroll.offset, &title);
}
