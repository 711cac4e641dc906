//! The Lab for a classroom projector (~100×30): one title line with the presenter's clock
//! and "next:" hint, the facts the scenario rests on (mode, loss, skewed clocks), the
//! cluster large with thin links and bright messages, the walkthrough caption in full, and
//! a few key numbers. Nothing else competes for the eye.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use unicode_width::UnicodeWidthStr;

use super::{banner, caption, draw_cluster, look, notice};
use crate::sim::Kind;
use crate::tui::app::App;
use crate::tui::lab::Lab;
use crate::tui::lab_layout::{banner_lines, caption_rows, notice_rows};
use crate::tui::theme::Theme;

pub fn render(app: &App, lab: &Lab, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let facts = clock_facts(lab);
    // The caption in full during a walkthrough; in free run the notice (or the legend) in
    // full, and the latest notable event under it.
    let banner_h = banner_lines(lab, area.width).len() as u16;
    let why_h = lab.why.as_ref().map(|w| {
        let rows =
            super::why::lines(w, t, area.width.saturating_sub(2) as usize, usize::MAX).len() as u16;
        (rows + 2).min(area.height / 2)
    });
    let caption_h = if let Some(h) = why_h {
        h
    } else if lab.walk.is_some() && !lab.legend {
        caption_rows(Some(lab), area.width).max(3)
    } else {
        notice_rows(lab, area.width.saturating_sub(2), 4) + 2
    };
    let [top, header, facts_row, cluster, bottom, news, numbers] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::from(!facts.is_empty())),
        Constraint::Min(6),
        Constraint::Length(caption_h),
        Constraint::Length(if lab.walk.is_some() || lab.why.is_some() {
            0
        } else {
            banner_h
        }),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(title(app, lab, t, top.width), top);
    frame.render_widget(super::header(lab, t, header.width), header);
    frame.render_widget(facts_line(&facts, t), facts_row);
    draw_cluster(lab, frame, cluster, t, look(app));
    if let Some(w) = &lab.why {
        super::draw_why(w, frame, bottom, t);
    } else if lab.walk.is_some() && !lab.legend {
        caption(lab, frame, bottom, t, app.display.ascii);
    } else {
        let block = Block::bordered().border_style(t.border);
        let inner = block.inner(bottom);
        frame.render_widget(block, bottom);
        frame.render_widget(notice(lab, t, inner), inner);
    }
    banner(lab, frame, news, t);
    frame.render_widget(key_numbers(lab, t), numbers);
}

/// One line: the scenario's title on the left; the presenter's clock and next move on the
/// right. The title gives way (with `…`) before the clock or the hint do.
pub(super) fn title(app: &App, lab: &Lab, t: &Theme, width: u16) -> Line<'static> {
    let clock = format!("◷ {}", crate::quiz::clock(app.elapsed.as_secs()));
    let next = crate::tui::glyphs::key_names(&next_hint(lab), app.display.ascii);
    let right = clock.width() + " · next: ".width() + next.width() + 1;
    let room = (width as usize).saturating_sub(right + 2);
    let name = crate::plain::ellipsize(&lab.scenario().title, room.max(1));
    let gap = (width as usize).saturating_sub(1 + name.width() + right);
    Line::from(vec![
        Span::styled(format!(" {name}"), t.heading),
        Span::raw(" ".repeat(gap)),
        Span::styled(clock, t.label),
        Span::styled(" · next: ", t.dim),
        Span::styled(format!("{next} "), t.accent),
    ])
}

/// The clocks that are not true time, which the picture alone cannot show:
/// `n2 +400 ms`, `n3 drifts +50 ppm`.
fn clock_facts(lab: &Lab) -> Vec<String> {
    lab.sim
        .nodes()
        .iter()
        .filter_map(|n| {
            let drift = n.clock.drift_ppm;
            let mut parts = Vec::new();
            if let Some(off) = super::panels::offset_text(n.clock.offset_us(lab.sim.now_us())) {
                parts.push(off);
            }
            if drift != 0 {
                parts.push(format!("drifts {drift:+} ppm"));
            }
            (!parts.is_empty()).then(|| format!("{} {}", n.name, parts.join(", ")))
        })
        .collect()
}

fn facts_line(facts: &[String], t: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(" clocks off true time: ", t.dim)];
    for (i, f) in facts.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.dim));
        }
        spans.push(Span::styled(f.clone(), t.warn));
    }
    Line::from(spans)
}

/// What the presenter does next.
fn next_hint(lab: &Lab) -> String {
    match &lab.walk {
        Some(w) if w.heading.is_some() => "wait, or → jumps to the step".into(),
        Some(w) => match w.reached.map_or(0, |r| r + 1) {
            n if n < lab.steps() => format!("→ step {} of {}", n + 1, lab.steps()),
            _ => "last step · Esc leaves".into(),
        },
        None if lab.finished() => "r restarts · > next scenario".into(),
        None if lab.running => "Space pauses · g walkthrough".into(),
        None => "g walkthrough · Space runs".into(),
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
