//! The presenter's screen (`distlab present`): a header with the lesson, the elapsed time
//! and the link's state; what the class sees now (the step's caption or the question, the
//! right answer marked for the teacher alone); what comes next; the teacher's notes; and
//! the keys. Every box wraps its text and ends a cut one with `…`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::presenter::{KEYS, Presenter};
use super::theme::Theme;
use crate::link::{LabState, QuizState, Snapshot};

/// Draws the presenter at `now` (seconds since the Unix epoch, for the elapsed clock).
pub fn render(p: &Presenter, frame: &mut Frame, now: u64) {
    let t = &p.theme;
    let area = frame.area();
    frame.render_widget(Block::new().style(t.base), area);
    let [head, context, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(footer_rows(area.width)),
    ])
    .areas(area);
    header(p, frame, head, now);
    match (&p.snapshot, &p.linked) {
        (Some(s), Some(_)) => {
            frame.render_widget(Line::styled(context_line(s), t.heading), context);
            boxes(s, frame, body, t);
        }
        _ => waiting(p, frame, body),
    }
    let status_line = match (&p.refused, &p.linked) {
        (Some(why), _) => Line::styled(format!(" distlab: {why}"), t.warn),
        (None, None) => Line::styled(format!(" {}", p.waiting), t.dim),
        (None, Some((_, path))) => Line::styled(
            format!(
                " following {}",
                crate::sanitize::one_line(&path.display().to_string())
            ),
            t.dim,
        ),
    };
    frame.render_widget(status_line, status);
    frame.render_widget(Paragraph::new(footer_lines(t, footer.width)), footer);
    if p.ascii {
        super::glyphs::to_ascii(frame.buffer_mut());
    }
}

fn header(p: &Presenter, frame: &mut Frame, area: Rect, now: u64) {
    let t = &p.theme;
    let (clock, link) = match &p.linked {
        Some((hello, _)) => (
            format!(
                "◷ {} elapsed",
                crate::quiz::clock(now.saturating_sub(hello.started_unix))
            ),
            Span::styled(format!("● linked: pid {}", hello.pid), t.right),
        ),
        None => (String::new(), Span::styled("○ not linked", t.warn)),
    };
    let lesson = p.snapshot.as_ref().map_or("", |s| s.lesson.as_str());
    let right_w = clock.chars().count() + link.content.chars().count() + 4;
    let left = clip(
        &format!(" distlab present · {lesson}"),
        (area.width as usize).saturating_sub(right_w),
    );
    let [l, r] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_w as u16)]).areas(area);
    frame.render_widget(Line::styled(left, t.title), l);
    frame.render_widget(
        Line::from(vec![
            Span::styled(clock, t.label),
            Span::raw("  "),
            link,
            Span::raw(" "),
        ])
        .right_aligned(),
        r,
    );
}

/// The screen on the projector, in one line.
fn context_line(s: &Snapshot) -> String {
    match (s.tab.as_str(), &s.lab, &s.quiz) {
        ("lab", Some(lab), _) => format!(
            " Lab · {} seed {} · t={} · {}",
            lab.scenario,
            lab.seed,
            lab.time,
            if lab.running { "running" } else { "paused" }
        ),
        ("quiz", _, Some(q)) => format!(" Quiz · question {} of {}", q.number, q.total),
        (tab, _, _) => format!(
            " {}{}",
            capitalized(tab),
            s.reading
                .as_ref()
                .map_or(String::new(), |r| format!(" · {r}"))
        ),
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// Now, next and notes.
fn boxes(s: &Snapshot, frame: &mut Frame, area: Rect, t: &Theme) {
    let (now, next, notes) = match (s.tab.as_str(), &s.lab, &s.quiz) {
        ("lab", Some(lab), _) => lab_boxes(lab, t),
        ("quiz", _, Some(q)) => quiz_boxes(q, t),
        _ => (
            Boxed::text("Now", s.reading.clone().unwrap_or_default(), t.base),
            Boxed::text(
                "Next",
                "→ the next section (or concept); 3 shows the lab, 4 the quiz".into(),
                t.dim,
            ),
            Boxed::text(
                "Notes",
                "Notes come with lab steps and quiz questions.".into(),
                t.dim,
            ),
        ),
    };
    // Each box as tall as its text, what is over goes to "now"; short of room, the notes
    // give way first, then what comes next (each keeps a line and its `…`).
    let width = area.width.saturating_sub(2) as usize;
    let need = |b: &Boxed| b.lines(width).len() as u16 + 2;
    let mut next_h = need(&next).clamp(3, 6);
    let mut notes_h = need(&notes).clamp(3, 9);
    let now_need = need(&now).max(5);
    let total = area.height;
    while next_h + notes_h + now_need > total && notes_h > 3 {
        notes_h -= 1;
    }
    while next_h + notes_h + now_need > total && next_h > 3 {
        next_h -= 1;
    }
    let [a, b, c] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(next_h),
        Constraint::Length(notes_h),
    ])
    .areas(area);
    now.draw(frame, a, t, t.accent);
    next.draw(frame, b, t, t.border);
    notes.draw(frame, c, t, t.border);
}

/// A titled box of paragraphs, each with its style.
struct Boxed {
    title: String,
    paragraphs: Vec<(String, Style)>,
    /// Lettered options after the paragraphs: (mark, text, style); each hangs under its
    /// text.
    options: Vec<(String, String, Style)>,
}

impl Boxed {
    fn text(title: &str, text: String, style: Style) -> Boxed {
        Boxed {
            title: title.to_owned(),
            paragraphs: vec![(text, style)],
            options: Vec::new(),
        }
    }

    /// The box's text wrapped at `width`: an option (`▸ a) …`) hangs under its text.
    fn lines(&self, width: usize) -> Vec<(String, Style)> {
        let mut lines = Vec::new();
        for (text, style) in &self.paragraphs {
            if text.is_empty() {
                lines.push((String::new(), *style));
                continue;
            }
            for l in crate::plain::wrap_lines(text, width.max(10), "", "") {
                lines.push((l, *style));
            }
        }
        for (mark, text, style) in &self.options {
            for l in crate::plain::wrap_lines(text, width.max(10), mark, "     ") {
                lines.push((l, *style));
            }
        }
        lines
    }

    /// Wrapped into `area`; a box too small for its text ends it with `…`.
    fn draw(&self, frame: &mut Frame, area: Rect, t: &Theme, border: Style) {
        let title_w = (area.width as usize).saturating_sub(4);
        let block = Block::bordered().border_style(border).title(Line::styled(
            format!(" {} ", clip(&self.title, title_w)),
            t.heading,
        ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = (inner.width as usize).max(1);
        let mut lines = self.lines(width);
        let rows = inner.height as usize;
        if lines.len() > rows {
            let mut texts: Vec<String> = lines.iter().map(|(l, _)| l.clone()).collect();
            crate::plain::clip_lines(&mut texts, rows, width);
            lines.truncate(rows);
            for ((l, _), clipped) in lines.iter_mut().zip(texts) {
                *l = clipped;
            }
        }
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|(l, style)| Line::styled(l, style))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn lab_boxes(lab: &LabState, t: &Theme) -> (Boxed, Boxed, Boxed) {
    let Some(walk) = &lab.walk else {
        return (
            Boxed {
                title: format!("Now · {}", lab.title),
                paragraphs: vec![
                    ("No walkthrough runs.".into(), t.base),
                    (format!("Watch for: {}", lab.notice), t.base),
                ],
                options: Vec::new(),
            },
            Boxed::text(
                "Next",
                "→ starts the guided walkthrough (step 1)".into(),
                t.dim,
            ),
            notes_box("Notes · scenario", lab.notes.as_deref(), t),
        );
    };
    let now_title = if walk.running_to {
        format!("Now · running to step {} of {}", walk.step, walk.steps)
    } else {
        format!("Now · step {} of {} · {}", walk.step, walk.steps, lab.title)
    };
    let now = Boxed {
        title: now_title,
        paragraphs: walk
            .caption
            .iter()
            .map(|l| {
                let style = match l.tone.as_str() {
                    "event" => t.accent,
                    "warning" => t.warn,
                    _ => t.base,
                };
                (l.text.clone(), style)
            })
            .collect(),
        options: Vec::new(),
    };
    let next = match &walk.next {
        Some(n) => Boxed {
            title: format!("Next · step {} of {} · {}", n.step, walk.steps, n.when),
            paragraphs: vec![(n.caption.clone(), t.dim)],
            options: Vec::new(),
        },
        None => Boxed::text(
            "Next",
            "That was the last step: the walkthrough ends here.".into(),
            t.dim,
        ),
    };
    let notes = match (&walk.notes, &lab.notes) {
        (Some(n), _) => notes_box(&format!("Notes · step {}", walk.step), Some(n), t),
        (None, scenario) => notes_box("Notes · scenario", scenario.as_deref(), t),
    };
    (now, next, notes)
}

fn notes_box(title: &str, notes: Option<&str>, t: &Theme) -> Boxed {
    match notes {
        Some(n) => Boxed::text(title, n.to_owned(), t.label),
        None => Boxed::text(title, "(no notes here in the lesson file)".into(), t.dim),
    }
}

fn quiz_boxes(q: &QuizState, t: &Theme) -> (Boxed, Boxed, Boxed) {
    if q.phase == "finished" {
        let score = q.score.clone().unwrap_or_default();
        return (
            Boxed::text("Now · the quiz is over", format!("Score: {score}"), t.base),
            Boxed::text(
                "Next",
                "1-3 shows another tab on the projector".into(),
                t.dim,
            ),
            notes_box("Notes", None, t),
        );
    }
    let phase = match (q.phase.as_str(), q.seconds_left) {
        ("countdown", Some(0)) if q.marked.is_none() => {
            "time's up: mark the class's answer".to_owned()
        }
        ("countdown", Some(0)) => "time's up: r reveals".to_owned(),
        ("countdown", Some(s)) => format!("◷ {} left", crate::quiz::clock(s)),
        ("revealed", _) => match (q.marked, q.answer) {
            (Some(m), Some(a)) => format!(
                "revealed · the class said {} {}",
                crate::lesson::letter(m),
                if m == a { "✓" } else { "✗" }
            ),
            _ => "revealed".to_owned(),
        },
        _ => "the class is answering".to_owned(),
    };
    let paragraphs = vec![(q.question.clone(), t.base), (String::new(), t.base)];
    let mut options = Vec::new();
    for (i, option) in q.options.iter().enumerate() {
        let marked = q.marked == Some(i);
        let right = q.answer == Some(i);
        let mark = if marked { "▸" } else { " " };
        let verdict = if right { "  ✓ right" } else { "" };
        let style = match (right, marked) {
            (true, _) => t.right,
            (false, true) => t.selected,
            _ => t.base,
        };
        options.push((
            format!("{mark} {}) ", crate::lesson::letter(i)),
            format!("{option}{verdict}"),
            style,
        ));
    }
    let now = Boxed {
        title: format!("Now · question {} of {} · {phase}", q.number, q.total),
        paragraphs,
        options,
    };
    let marked = q
        .marked
        .map_or("none".to_owned(), |m| crate::lesson::letter(m).to_string());
    let next = match q.phase.as_str() {
        "revealed" => Boxed::text(
            "Next",
            if q.number < q.total {
                format!("→ question {} of {}", q.number + 1, q.total)
            } else {
                "→ the score".to_owned()
            },
            t.dim,
        ),
        _ => Boxed::text(
            "Next",
            format!(
                "a–{} marks the class's answer (now: {marked}) · t countdown · {}",
                crate::lesson::letter(q.options.len().saturating_sub(1)),
                if q.marked.is_some() {
                    "r reveals"
                } else {
                    "r reveals once one is marked"
                }
            ),
            t.dim,
        ),
    };
    (
        now,
        next,
        notes_box("Notes · question", q.notes.as_deref(), t),
    )
}

fn waiting(p: &Presenter, frame: &mut Frame, area: Rect) {
    let t = &p.theme;
    let lines = vec![
        Line::raw(""),
        Line::styled("waiting for distlab…", t.heading).centered(),
        Line::raw(""),
        Line::styled(
            "Start distlab on the projector (distlab --projector); this screen follows it",
            t.dim,
        )
        .centered(),
        Line::styled("and reconnects whenever it restarts.", t.dim).centered(),
    ];
    let block = Block::bordered().border_style(t.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Rows the footer takes at `width`.
fn footer_rows(width: u16) -> u16 {
    footer_groups(width).len().max(1) as u16
}

/// The footer's key hints packed into rows of `width`.
fn footer_groups(width: u16) -> Vec<Vec<(&'static str, &'static str)>> {
    let mut rows: Vec<Vec<(&str, &str)>> = vec![Vec::new()];
    let mut used = 1;
    for k in KEYS {
        let w = k.label.chars().count() + k.short.chars().count() + 3;
        if used + w > width as usize && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            used = 1;
        }
        used += w;
        if let Some(row) = rows.last_mut() {
            row.push((k.label, k.short));
        }
    }
    rows
}

fn footer_lines(t: &Theme, width: u16) -> Vec<Line<'static>> {
    footer_groups(width)
        .into_iter()
        .map(|row| {
            let mut spans = vec![Span::raw(" ")];
            for (label, short) in row {
                spans.push(Span::styled(label, t.accent));
                spans.push(Span::styled(format!(" {short}  "), t.dim));
            }
            Line::from(spans)
        })
        .collect()
}

/// `s` in at most `width` columns, ending in `…` when cut.
fn clip(s: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}
