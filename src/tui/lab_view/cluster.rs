//! The cluster drawn as a graph: nodes on an ellipse, the links they use (`·`), messages
//! moving along them (position ∝ elapsed / latency: `◉` data, `•` a heartbeat), ✗ where a
//! message was lost, and a ╳ cut on every partitioned link (`┄`). Symbols carry the
//! meaning; colour only helps.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::sim::{Msg, NodeId, Status};
use crate::tui::lab::Lab;
use crate::tui::lab_layout::{Placed, place};
use crate::tui::theme::Theme;

fn centre(r: Rect) -> (f64, f64) {
    (f64::from(r.x) + f64::from(r.width) / 2.0, f64::from(r.y))
}

/// How to draw the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Look {
    /// Block characters for messages (projectors wash out fine glyphs); links stay thin.
    pub solid: bool,
    /// No moving messages: each delivered message is marked ◆ at its destination.
    pub reduced_motion: bool,
    /// The space-time diagram leaves out messages sent before this true time (µs): compare
    /// holds both runs' diagrams to the stretch both still hold.
    pub since_us: u64,
}

/// Draws the cluster into `buf`.
pub fn draw(lab: &Lab, area: Rect, buf: &mut Buffer, t: &Theme, look: Look) {
    let solid = look.solid;
    if area.width < 20 || area.height < 3 {
        return;
    }
    let sim = &lab.sim;
    let placed = place(sim, area);
    let net = sim.network();
    let mut links = lab.record.links.clone();
    links.extend(
        net.blocked_links()
            .into_iter()
            .map(|(a, b)| (a.min(b), a.max(b))),
    );
    for &(a, b) in &links {
        let (pa, pb) = (
            centre(placed[a as usize].rect),
            centre(placed[b as usize].rect),
        );
        let cut = net.is_blocked(a, b) || net.is_blocked(b, a);
        let style = if cut { t.wrong } else { t.border };
        // Links stay thin in every look, so messages are the largest marks on them.
        line(buf, area, pa, pb, |x, y, buf| {
            put(buf, x, y, if cut { "┄" } else { "·" }, style)
        });
        if cut {
            let (mx, my) = ((pa.0 + pb.0) / 2.0, (pa.1 + pb.1) / 2.0);
            put(buf, mx.round() as u16, my.round() as u16, "╳", t.wrong);
        }
    }
    let now = sim.now_us();
    // A drop stays marked for about a second of wall time; at most a dozen at once.
    let window_us = (1_000_000.0 * lab.speed_factor()) as u64;
    let recent = lab.record.drops.iter().rev().take(12);
    for d in recent.filter(|d| now.saturating_sub(d.end_us) <= window_us) {
        let at = along(&placed, d.from, d.to, d.reached());
        put(buf, at.0, at.1, "✗", t.wrong);
    }
    let in_flight = if look.reduced_motion {
        Vec::new()
    } else {
        net.in_flight()
    };
    for p in in_flight {
        let at = along(&placed, p.from, p.to, p.progress(now));
        let heartbeat = matches!(p.msg, Msg::Heartbeat { .. });
        let (glyph, style) = match (heartbeat, solid) {
            (true, false) => ("•", t.heartbeat()),
            (true, true) => ("▪", t.heartbeat()),
            (false, false) => ("◉", t.accent),
            (false, true) => ("█", t.accent),
        };
        put(buf, at.0, at.1, glyph, style);
    }
    if look.reduced_motion {
        mark_arrivals(lab, &placed, buf, t, window_us);
    }
    for (i, p) in placed.iter().enumerate() {
        let node = &sim.nodes()[i];
        let mut style = match node.status {
            Status::Up => t.label,
            Status::Crashed => t.wrong,
            Status::Paused { .. } => t.warn,
        };
        match &lab.why {
            // With why? open, the nodes its chain involves stand out, the selected link's
            // most; the others are dimmed.
            Some(w) if w.selected().nodes.contains(&(i as crate::sim::NodeId)) => {
                style = style.patch(t.selected)
            }
            Some(w) if !w.shown().nodes().contains(&(i as crate::sim::NodeId)) => style = t.dim,
            Some(_) => {}
            None if i == lab.selected => style = style.patch(t.selected),
            None => {}
        }
        // A label is drawn on clean cells: nothing of a link under it shows through.
        for x in p.rect.x..p.rect.right() {
            if let Some(cell) = buf.cell_mut((x, p.rect.y)) {
                cell.reset();
                cell.set_style(t.base);
            }
        }
        buf.set_stringn(p.rect.x, p.rect.y, &p.label, p.rect.width as usize, style);
    }
    // The node the event on screen is about (the step's event, or the latest one).
    if let Some((_, Some(id))) = lab.focus()
        && let Some(p) = placed.get(id as usize)
    {
        // One column of space from the label, on whichever side has room, and never on
        // another node's label.
        let free = |x: u16| {
            x >= area.x
                && x < area.right()
                && !placed
                    .iter()
                    .any(|q| q.rect.y == p.rect.y && x + 1 >= q.rect.x && x <= q.rect.right())
        };
        let right = p.rect.right() + 1;
        let left = p.rect.x.checked_sub(2);
        if let Some(x) = [Some(right), left].into_iter().flatten().find(|&x| free(x)) {
            put(buf, x, p.rect.y, "⚑", t.warn);
        }
    }
}

/// Reduced motion: a ◆ beside each node that received a message recently (instead of
/// messages moving along the links).
fn mark_arrivals(lab: &Lab, placed: &[Placed], buf: &mut Buffer, t: &Theme, window_us: u64) {
    let now = lab.sim.now_us();
    let recent = lab
        .record
        .arrows
        .iter()
        .rev()
        .take_while(|a| now.saturating_sub(a.end_us) <= window_us);
    for a in recent.filter(|a| a.dropped.is_none() && !a.heartbeat) {
        let r = placed[a.to as usize].rect;
        put(buf, r.right(), r.y, "◆", t.accent);
    }
}

/// The cell a fraction `f` of the way from node `a` to node `b`.
fn along(placed: &[Placed], a: NodeId, b: NodeId, f: f64) -> (u16, u16) {
    let (pa, pb) = (
        centre(placed[a as usize].rect),
        centre(placed[b as usize].rect),
    );
    (
        (pa.0 + (pb.0 - pa.0) * f).round() as u16,
        (pa.1 + (pb.1 - pa.1) * f).round() as u16,
    )
}

fn put(buf: &mut Buffer, x: u16, y: u16, symbol: &str, style: Style) {
    if buf.area.contains(ratatui::layout::Position { x, y }) {
        buf[(x, y)].set_symbol(symbol).set_style(style);
    }
}

/// Calls `plot` for each cell on the straight line from `a` to `b`, inside `area`.
fn line(
    buf: &mut Buffer,
    area: Rect,
    a: (f64, f64),
    b: (f64, f64),
    mut plot: impl FnMut(u16, u16, &mut Buffer),
) {
    let steps = (b.0 - a.0).abs().max((b.1 - a.1).abs()).ceil().max(1.0) as usize;
    for s in 0..=steps {
        let f = s as f64 / steps as f64;
        let (x, y) = (
            (a.0 + (b.0 - a.0) * f).round() as u16,
            (a.1 + (b.1 - a.1) * f).round() as u16,
        );
        if area.contains(ratatui::layout::Position { x, y }) {
            plot(x, y, buf);
        }
    }
}
