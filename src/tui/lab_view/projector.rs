//! The Lab for a classroom projector (~100×30): the lesson title in block letters, the
//! cluster large in solid glyphs, the walkthrough caption, a few key numbers, and for the
//! presenter an elapsed-time clock and a "next:" hint. Nothing else competes for the eye.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};

use super::{caption, draw_cluster, look, notice, panels};
use crate::sim::Kind;
use crate::tui::app::App;
use crate::tui::lab::Lab;
use crate::tui::lab_layout::{caption_rows, notice_rows};
use crate::tui::theme::Theme;

/// Height of the block-letter title.
const TITLE_ROWS: u16 = 4;

pub fn render(app: &App, lab: &Lab, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    // The legend (L) in full when it is on; else the step's caption, or the notice.
    let caption_h = if lab.legend {
        notice_rows(lab, area.width, 4) + 2
    } else {
        caption_rows(Some(lab), area.width).max(3)
    };
    let [top, header, cluster, bottom, numbers] = Layout::vertical([
        Constraint::Length(TITLE_ROWS),
        Constraint::Length(1),
        Constraint::Min(6),
        Constraint::Length(caption_h),
        Constraint::Length(1),
    ])
    .areas(area);
    title(app, lab, frame, top, t);
    frame.render_widget(panels::header(lab, t), header);
    draw_cluster(lab, frame, cluster, t, look(app));
    if lab.walk.is_some() && !lab.legend {
        caption(lab, frame, bottom, t);
    } else {
        let block = Block::bordered().border_style(t.border);
        let inner = block.inner(bottom);
        frame.render_widget(block, bottom);
        frame.render_widget(notice(lab, t, inner), inner);
    }
    frame.render_widget(key_numbers(lab, t), numbers);
}

/// Block letters on the left; the clock and the presenter's next step on the right.
fn title(app: &App, lab: &Lab, frame: &mut Frame, area: Rect, t: &Theme) {
    let big = BigText::builder()
        .pixel_size(PixelSize::HalfHeight)
        .style(t.title)
        .lines(vec![Line::from(app.lesson.short_title().to_uppercase())])
        .build();
    let width = (app.lesson.short_title().chars().count() as u16 * 8).min(area.width);
    let [left, right] =
        Layout::horizontal([Constraint::Length(width + 2), Constraint::Min(0)]).areas(area);
    frame.render_widget(big, left);
    let secs = app.elapsed.as_secs();
    let lines = vec![
        Line::styled(lab.scenario().title.to_string(), t.heading),
        Line::from(vec![
            Span::styled("◷ ", t.dim),
            Span::styled(format!("{} elapsed", crate::quiz::clock(secs)), t.label),
        ]),
        Line::from(vec![
            Span::styled("next: ", t.dim),
            Span::styled(next_hint(lab), t.accent),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), right);
}

/// What the presenter does next.
fn next_hint(lab: &Lab) -> String {
    match &lab.walk {
        Some(w) if w.heading.is_some() => "wait for the step (→ jumps there)".into(),
        Some(w) => match w.reached.map_or(0, |r| r + 1) {
            n if n < lab.steps() => format!("→ step {} of {}", n + 1, lab.steps()),
            _ => "last step · Esc leaves the walkthrough".into(),
        },
        None if lab.finished() => "r restarts · > next scenario".into(),
        None if lab.running => "Space pauses · g starts the walkthrough".into(),
        None => "g: guided walkthrough · Space: run".into(),
    }
}

/// The numbers that carry the scenario's lesson, on one line.
fn key_numbers(lab: &Lab, t: &Theme) -> Line<'static> {
    let m = lab.sim.metrics();
    let items: Vec<(String, String, bool)> = match lab.sim.params().kind {
        Kind::Checkout => vec![
            ("confirmed".into(), m.orders_confirmed.to_string(), false),
            (
                "pending".into(),
                lab.sim.orders_pending().to_string(),
                false,
            ),
            (
                "duplicate charges".into(),
                m.duplicate_charges.to_string(),
                m.duplicate_charges > 0,
            ),
        ],
        Kind::Sharding => lab
            .sim
            .shard_queues()
            .into_iter()
            .map(|(id, q)| {
                (
                    format!("{} queue", lab.sim.node_name(id)),
                    q.to_string(),
                    q > 10,
                )
            })
            .collect(),
        _ => vec![
            ("acked".into(), m.writes_acked.to_string(), false),
            (
                "acked writes LOST".into(),
                m.acked_writes_lost.to_string(),
                m.acked_writes_lost > 0,
            ),
            if lab.sim.params().writers > 1 {
                (
                    "concurrent DISCARDED".into(),
                    m.concurrent_writes_discarded.to_string(),
                    m.concurrent_writes_discarded > 0,
                )
            } else {
                (
                    "stale reads".into(),
                    m.stale_reads.to_string(),
                    m.stale_reads > 0,
                )
            },
            if lab.sim.params().writers > 1 {
                ("conflicts".into(), m.conflicts.to_string(), false)
            } else {
                (
                    "false suspicions".into(),
                    m.false_suspicions.to_string(),
                    m.false_suspicions > 0,
                )
            },
        ],
    };
    let mut spans = vec![Span::raw(" ")];
    for (name, value, bad) in items {
        let mark = if bad { "✗ " } else { "" };
        spans.push(Span::styled(format!("{name} "), t.dim));
        spans.push(Span::styled(
            format!("{mark}{value}   "),
            if bad { t.wrong } else { t.label },
        ));
    }
    Line::from(spans)
}
