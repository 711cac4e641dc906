//! The live space-time diagram: one lane per node, time flowing to the right, every message
//! a line from its send (○) to its delivery (▼ / ▲ where it lands, ✗ where it was lost, ◉
//! while on its way), and a time axis under the lanes.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;

use crate::sim::{Msg, NodeId};
use crate::tui::lab::Lab;
use crate::tui::lab_layout::{LANE_NAMES, SpaceTime, us_per_column};
use crate::tui::theme::Theme;

/// Width of the lane names on the left.
const NAMES: u16 = LANE_NAMES;

/// The simulated time a diagram `width` columns wide (lane names included) shows: its
/// width in time, or less while the messages it holds (the newest few hundred) go back
/// less far, so the title never promises messages from before them.
pub fn window_us(lab: &Lab, width: u16, since_us: u64) -> u64 {
    let span = (us_per_column(lab) * f64::from(width.saturating_sub(NAMES))) as u64;
    let now = lab.sim.now_us();
    let held = held_since_us(lab).map_or(now, |s| now.saturating_sub(s.max(since_us)));
    span.min(held)
}

/// When the earliest message the record still holds was sent (they are kept in the
/// order they ended, not sent).
pub fn held_since_us(lab: &Lab) -> Option<u64> {
    lab.record.arrows.iter().map(|a| a.sent_us).min()
}

/// `12s`, `2.4s`, `0.25s`: seconds with no trailing zeros.
pub fn short_secs(us: u64) -> String {
    let s = format!("{}.{:03}", us / 1_000_000, us / 1000 % 1000);
    format!("{}s", s.trim_end_matches('0').trim_end_matches('.'))
}

/// The time axis under the lanes: a tick (`┴`) and its time at round seconds (or tenths,
/// or tens of seconds), spaced so the labels never touch.
fn axis(buf: &mut Buffer, plot: Rect, y: u16, start_us: f64, per_col: f64, t: &Theme) {
    for x in plot.x..plot.right() {
        buf[(x, y)].set_symbol("─").set_style(t.border);
    }
    // The smallest step whose ticks are at least 9 columns apart.
    let step_us = [
        100_000u64, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000,
    ]
    .into_iter()
    .find(|&s| s as f64 / per_col >= 9.0)
    .unwrap_or(30_000_000);
    let first = (start_us.max(0.0) as u64).div_ceil(step_us) * step_us;
    for tick in (first..).step_by(step_us as usize) {
        let x = f64::from(plot.x) + (tick as f64 - start_us) / per_col;
        let x = x.round() as u16;
        if x >= plot.right() {
            break;
        }
        let label = short_secs(tick);
        // A label that would run past the edge is left out; its tick stays.
        buf[(x, y)].set_symbol("┴").set_style(t.border);
        if x + 1 + label.len() as u16 <= plot.right() {
            buf.set_string(x + 1, y, &label, t.dim);
        }
    }
}

/// Draws the diagram; with `reduced_motion`, messages appear once they have landed (no
/// line growing while one is on its way).
pub fn draw(lab: &Lab, area: Rect, buf: &mut Buffer, t: &Theme, look: super::cluster::Look) {
    let reduced_motion = look.reduced_motion;
    let Some(mut st) = SpaceTime::of(lab, area) else {
        return;
    };
    st.since_us = look.since_us as f64;
    let (plot, gap, lanes) = (st.plot, st.gap, st.lanes as usize);
    let lane_y = |id: NodeId| st.lane_y(id);
    let rows = Lanes {
        top: st.top,
        gap,
        count: st.lanes,
    };
    for (i, node) in lab.sim.nodes().iter().enumerate() {
        let Some(y) = lane_y(i as NodeId) else {
            continue;
        };
        let involved = lab
            .why
            .as_ref()
            .is_none_or(|w| w.shown().nodes().contains(&(i as NodeId)));
        let style = if i == lab.selected && lab.why.is_none() {
            t.selected
        } else if involved {
            t.label
        } else {
            t.dim
        };
        // Its name, and what it is now in a word (`n1 primary`, `n2 crashed`).
        let room = (NAMES - 1) as usize;
        let label = match node.badge() {
            Some(b) => format!("{} {}", node.name, b.split(',').next().unwrap_or(&b)),
            None => node.name.clone(),
        };
        // A word that does not fit is left out whole rather than cut (`n1 coordinator`
        // shows as `n1`).
        let label = if label.chars().count() > room {
            node.name.clone()
        } else {
            label
        };
        let label = crate::plain::ellipsize(&label, room);
        buf.set_stringn(area.x, y, &label, (NAMES - 1) as usize, style);
        for x in plot.x..plot.right() {
            buf[(x, y)].set_symbol("─").set_style(t.border);
        }
    }
    let now = lab.sim.now_us();
    let (start, per_col) = (st.start_us, st.per_col);
    // Below the last lane, where a row is free: the time axis.
    let last_lane = area.y + (lanes.saturating_sub(1)) as u16 * gap;
    if area.bottom() > last_lane + 1 {
        axis(buf, plot, area.bottom() - 1, start, per_col, t);
    }
    let left_out = lab.sim.nodes().len().saturating_sub(lanes);
    if left_out > 0 {
        let more = format!("+{left_out} more…");
        buf.set_stringn(
            area.x,
            area.bottom() - 1,
            &more,
            (NAMES - 1) as usize,
            t.dim,
        );
    }
    let col = |t_us: u64| st.col(t_us);
    let show_heartbeats = lab.heartbeats;
    let mut labels = Vec::new();
    for (a, path) in st.drawn(lab) {
        let (Some(y0), Some(y1)) = (lane_y(a.from), lane_y(a.to)) else {
            continue;
        };
        let style = if a.dropped.is_some() {
            t.wrong
        } else if a.heartbeat {
            t.heartbeat()
        } else {
            t.accent
        };
        // The picked message stands out (`(` and `)`, or a click, pick one); with why?
        // open, the chain's messages do, the selected link's most, and the rest are dim.
        let style = match &lab.why {
            Some(w) if w.selected().packet.is_some() && why_key(lab) == Some(a.key()) => {
                style.patch(t.selected)
            }
            Some(w) if w.chain_messages.contains(&a.key()) => style,
            Some(_) => t.dim,
            None if lab.picked == Some(a.key()) => style.patch(t.selected),
            None => style,
        };
        let head = match (a.dropped.is_some(), y1 > y0) {
            (true, _) => "✗",
            (false, true) => "▼",
            (false, false) => "▲",
        };
        segment(buf, plot, rows, (y0, y1), path, head, style);
        labels.push((a, path, y0));
    }
    // With `o`, each message's stamp just after where it leaves its sender's lane, where
    // the lane is free for it (a label never covers another message).
    let writers = lab.sim.params().writers as usize;
    for (a, path, y0) in labels {
        let Some(text) = a.stamp(lab.stamps, writers) else {
            continue;
        };
        let x0 = path[0].0.round() + 1.0;
        if x0 < f64::from(plot.x) {
            continue;
        }
        let x0 = x0 as u16;
        let end = x0 + text.chars().count() as u16;
        let free =
            end <= plot.right() && (x0..end).all(|x| matches!(buf[(x, y0)].symbol(), "─" | " "));
        if free {
            buf.set_stringn(x0, y0, &text, text.len(), t.dim);
        }
    }
    let in_flight = if reduced_motion || lab.why.is_some() {
        Vec::new()
    } else {
        lab.sim.network().in_flight()
    };
    for p in in_flight {
        if matches!(p.msg, Msg::Heartbeat { .. }) && !show_heartbeats {
            continue;
        }
        let (Some(y0), Some(y1)) = (lane_y(p.from), lane_y(p.to)) else {
            continue;
        };
        let y = f64::from(y0) + (f64::from(y1) - f64::from(y0)) * p.progress(now);
        segment(
            buf,
            plot,
            rows,
            (y0, y1),
            [(col(p.sent_us), f64::from(y0)), (col(now), y)],
            "◉",
            t.accent,
        );
    }
    // With why? open, the selected link's event is marked on its first node's lane.
    if let Some(w) = &lab.why {
        let l = w.selected();
        if let Some(y) = l.nodes.first().and_then(|&n| lane_y(n)) {
            let x = col(l.t_us).round();
            if x >= f64::from(plot.x) && x < f64::from(plot.right()) {
                buf[(x as u16, y)].set_symbol("⚑").set_style(t.warn);
            }
        }
        return;
    }
    // The event on screen, on its node's lane at its time.
    if let Some((e, Some(id))) = lab.focus()
        && let Some(y) = lane_y(id)
    {
        let x = col(e.t_us).round();
        if x >= f64::from(plot.x) && x < f64::from(plot.right()) {
            buf[(x as u16, y)].set_symbol("⚑").set_style(t.warn);
        }
    }
}

/// The diagram key of the message the selected why? link is about.
fn why_key(lab: &Lab) -> Option<(NodeId, NodeId, u64)> {
    let w = lab.why.as_ref()?;
    let id = w.selected().packet?;
    w.packet_key(id)
}

/// Where the lanes are: one row per node, `gap` rows apart, from `top`.
#[derive(Debug, Clone, Copy)]
struct Lanes {
    top: u16,
    gap: u16,
    count: u16,
}

impl Lanes {
    /// Whether `row` is a node's lane.
    fn is_lane(self, row: u16) -> bool {
        row >= self.top
            && (row - self.top).is_multiple_of(self.gap)
            && (row - self.top) / self.gap < self.count
    }
}

/// A line of dots from `a` to `b` ending in `head`, clipped to `area`.
///
/// The line never marks another node's lane: where it crosses one it is left open, and a
/// head that would land on one (a message lost half-way across) moves back towards the
/// sender's lane, to the first row that is no other node's.
fn segment(
    buf: &mut Buffer,
    area: Rect,
    lanes: Lanes,
    (from_row, to_row): (u16, u16),
    [a, b]: [(f64, f64); 2],
    head: &str,
    style: Style,
) {
    let foreign = |row: u16| lanes.is_lane(row) && row != from_row && row != to_row;
    let steps = (b.0 - a.0).abs().max((b.1 - a.1).abs()).ceil().max(1.0) as usize;
    for s in 0..=steps {
        let f = s as f64 / steps as f64;
        let (x, y) = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
        if x < 0.0 || y < 0.0 {
            continue;
        }
        let mut pos = Position {
            x: x.round() as u16,
            y: y.round() as u16,
        };
        if s == steps {
            while foreign(pos.y) {
                pos.y = if pos.y > from_row {
                    pos.y - 1
                } else {
                    pos.y + 1
                };
            }
        } else if foreign(pos.y) {
            continue;
        }
        if area.contains(pos) {
            let symbol = if s == steps {
                head
            } else if s == 0 {
                "○"
            } else {
                "·"
            };
            buf[(pos.x, pos.y)].set_symbol(symbol).set_style(style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of a 12x5 plot after one message from lane row 0 to lane row 4, drawn
    /// along `to` with `head`, over lanes `gap` rows apart.
    fn drawn(gap: u16, to: (f64, f64), head: &str) -> Vec<String> {
        let area = Rect::new(0, 0, 12, 5);
        let lanes = Lanes {
            top: 0,
            gap,
            count: 4 / gap + 1,
        };
        let mut buf = Buffer::empty(area);
        segment(
            &mut buf,
            area,
            lanes,
            (0, 4),
            [(0.0, 0.0), to],
            head,
            Style::default(),
        );
        buf.content
            .chunks(12)
            .map(|r| r.iter().map(|c| c.symbol()).collect())
            .collect()
    }

    #[test]
    fn a_line_never_marks_another_nodes_lane() {
        // Five lanes on five rows: every row is some node's.
        let r = drawn(1, (8.0, 4.0), "▼");
        assert!(r[0].starts_with('○') && r[4].contains('▼'), "{r:?}");
        for row in &r[1..4] {
            assert_eq!(row.trim(), "", "lanes 1 to 3 are left alone: {r:?}");
        }
        // Lost half-way, over lane 2: the ✗ goes back to the sender's lane.
        let r = drawn(1, (4.0, 2.0), "✗");
        assert!(r[0].contains('✗') && !r[2].contains('✗'), "{r:?}");
        // With rows between the lanes, the line runs through them.
        let r = drawn(2, (8.0, 4.0), "▼");
        assert!(r[1].contains('·') && r[3].contains('·'), "{r:?}");
        assert_eq!(r[2].trim(), "", "lane 1 is crossed, not marked: {r:?}");
    }
}
