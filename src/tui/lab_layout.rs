//! Where the lab's parts go, and the text whose length decides it (the walkthrough caption,
//! the free-run banner, the notice), and where each node of the cluster sits: pure functions
//! of the lab and an area, so that `update` (mouse clicks) and the lab's view agree.

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::widgets::Block;
use unicode_width::UnicodeWidthStr;

use super::lab::Lab;
use crate::doc::MARK;
use crate::sim::{Sim, Status};

/// The regions of a lab drawn in `area`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabAreas {
    pub header: Rect,
    pub notice: Rect,
    /// The walkthrough caption (zero height without one).
    pub caption: Rect,
    /// In free run, the latest notable event (zero height before there is one).
    pub banner: Rect,
    /// The bordered box around the cluster, and the drawing area inside it.
    pub cluster_box: Rect,
    pub cluster: Rect,
    pub nodes: Rect,
    pub metrics: Rect,
    /// The space-time diagram, log or trace (whichever `v` selected); on very wide
    /// terminals both the diagram and the log.
    pub panel: Rect,
    pub extra: Option<Rect>,
}

/// How a caption line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Text,
    /// The event the step paused on, quoted from the trace.
    Event,
    /// Something on this seed differs from what the step says.
    Warning,
}

/// The walkthrough caption's lines at `width` columns (empty when no walkthrough runs):
/// the caption with the run's numbers, the event the step paused on, and a warning when
/// the step's claims do not hold on this seed.
pub fn caption_lines(lab: &Lab, width: u16) -> Vec<(String, Tone)> {
    let Some(walk) = &lab.walk else {
        return Vec::new();
    };
    let w = width.saturating_sub(4).max(10) as usize;
    let wrap = |text: &str, tone: Tone| -> Vec<(String, Tone)> {
        // The caption is plain prose; a marked line (⚑, ⚠, ✗) hangs under its mark.
        let rest = if tone == Tone::Text { "" } else { "  " };
        crate::plain::wrap_lines(text, w, "", rest)
            .into_iter()
            .map(|l| (l, tone))
            .collect()
    };
    let arrival = match (walk.heading, &walk.arrival) {
        (Some(next), previous) => {
            let waiting = match lab.story().map(|s| &s.steps[next].target) {
                Some(crate::sim::story::Target::Until(a)) => format!(" — until `{a}` happens"),
                _ => String::new(),
            };
            let mut lines = wrap(
                &format!(
                    "▶ Running to step {} of {}{waiting}…",
                    next + 1,
                    lab.steps()
                ),
                Tone::Event,
            );
            // What the class was just reading stays on screen, dated, so nobody loses the
            // thread while the run moves on; before step 1, what to watch for.
            let context = match previous {
                Some(a) => format!(
                    "Step {} (at {}): {}",
                    a.step + 1,
                    crate::sim::time::secs(a.t_us as i64),
                    a.caption
                ),
                None => format!("Watch for: {}", lab.scenario().notice),
            };
            lines.extend(wrap(&context, Tone::Text));
            return lines;
        }
        (None, Some(a)) => a,
        (None, None) => return Vec::new(),
    };
    let seed = lab.sim.seed();
    if let Some(why) = lab.story().and_then(|st| arrival.not_reached(st, seed)) {
        return wrap(
            &format!("⚠ {why} R tries another seed, r restarts, Esc leaves the walkthrough."),
            Tone::Warning,
        );
    }
    let mut lines = wrap(&arrival.caption, Tone::Text);
    if let Some(e) = &arrival.anchor {
        // An anomaly has a causal chain behind it: say which key shows it.
        let why = if crate::sim::why::is_anomaly(e) {
            " · y: why?"
        } else {
            ""
        };
        lines.extend(wrap(&format!("⚑ {}{why}", lab.sim.narrate(e)), Tone::Event));
    }
    if arrival.late {
        lines.extend(wrap(
            "⚠ This step's time had already passed on this seed: the caption may not describe \
             this run.",
            Tone::Warning,
        ));
    }
    let failed: Vec<String> = arrival
        .claims
        .iter()
        .filter(|c| !c.held)
        .map(|c| format!("{} ({})", c.claim, c.values()))
        .collect();
    if !failed.is_empty() {
        lines.extend(wrap(
            &format!(
                "✗ Not true in this run (seed {seed}{}): {}. The caption may not describe it.",
                if lab.overrides.is_empty() && lab.sim.command_log().is_empty() {
                    ""
                } else {
                    ", with your changes"
                },
                failed.join("; ")
            ),
            Tone::Warning,
        ));
    }
    lines
}

/// The free-run banner at `width` columns: the latest notable event, quoted from the
/// trace, on at most two lines (cut between words, ending in `…`).
pub fn banner_lines(lab: &Lab, width: u16) -> Vec<String> {
    if lab.walk.is_some() {
        return Vec::new();
    }
    let Some(e) = lab.watch.latest() else {
        return Vec::new();
    };
    let text = format!("⚑ latest: {}", lab.sim.narrate(e));
    // One column spare for the `…`.
    let wrap = width.max(10) as usize - 1;
    let mut lines = crate::plain::wrap_lines(&text, wrap, "", "  ");
    crate::plain::clip_lines(&mut lines, 2, wrap + 1);
    lines
}

/// Rows the caption box takes (0 without a walkthrough).
pub fn caption_rows(lab: Option<&Lab>, width: u16) -> u16 {
    lab.map_or(0, |lab| {
        let n = caption_lines(lab, width).len() as u16;
        if lab.walk.is_some() {
            (n + 2).clamp(3, 9)
        } else {
            0
        }
    })
}

/// Where everything goes in the full Lab screen.
pub fn lab_areas(area: Rect, lab: Option<&Lab>) -> LabAreas {
    let caption = caption_rows(lab, area.width);
    let notice_max = if area.height < 30 { 2 } else { 3 };
    // During a walkthrough the caption tells the story; the scenario's notice makes room
    // (a note, such as a refused command, still shows).
    let notice_h = match lab {
        Some(lab)
            if lab.walk.is_some() && lab.note.is_none() && !lab.legend && lab.picked.is_none() =>
        {
            0
        }
        Some(lab) => notice_rows(lab, area.width, notice_max),
        None => 1,
    };
    let banner_h = lab.map_or(0, |l| banner_lines(l, area.width).len() as u16);
    let [header, notice, banner, caption_box, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(notice_h),
        Constraint::Length(banner_h),
        Constraint::Length(caption),
        Constraint::Min(0),
    ])
    .areas(area);
    let top_share = if rest.height >= 40 { 45 } else { 50 };
    let [top, bottom] = Layout::vertical([
        Constraint::Percentage(top_share),
        Constraint::Percentage(100 - top_share),
    ])
    .areas(rest);
    let [cluster_box, nodes] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
    let (metrics, panel, extra) = if area.width >= 180 {
        let [m, p, e] = Layout::horizontal([
            Constraint::Length(52),
            Constraint::Fill(3),
            Constraint::Fill(2),
        ])
        .areas(bottom);
        (m, p, Some(e))
    } else {
        let [m, p] = Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
            .areas(bottom);
        (m, p, None)
    };
    let cluster = Block::bordered().inner(cluster_box);
    LabAreas {
        header,
        notice,
        caption: caption_box,
        banner,
        cluster_box,
        cluster,
        nodes,
        metrics,
        panel,
        extra,
    }
}

/// Where the compact side lab puts its cluster, for mouse clicks.
pub fn side_cluster(area: Rect) -> Rect {
    let [_, cluster_box, _] = side_layout(area);
    Block::bordered().inner(cluster_box)
}

pub fn side_layout(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(3),
        Constraint::Percentage(55),
        Constraint::Min(0),
    ])
    .areas(area)
}

/// The scenario's "what to notice", or the lab's latest note (a refused command, a save).
pub fn notice_text(lab: &Lab) -> String {
    let picked = lab.picked_text();
    match &lab.note {
        Some(note) => note.clone(),
        None if picked.is_some() => picked.unwrap_or_default(),
        None if lab.legend => LEGEND.to_owned(),
        // Scenarios are distlab's, never the course's: the margin mark says so.
        None => format!(
            "{MARK} {} — {}",
            lab.scenario().title,
            lab.scenario().notice
        ),
    }
}

/// What each mark on the cluster and the space-time diagram means (`L` shows it).
pub const LEGEND: &str = "● up ✖ crashed ‖ paused ↯ suspected · ⚑ the event on screen · on \
    the way: ◉ message • heartbeat · ○ sent ▼▲ delivered ✗ lost · link · cut ┄ \
    partitioned ╳";

/// Rows the notice needs at `width`, at most `max`.
pub fn notice_rows(lab: &Lab, width: u16, max: u16) -> u16 {
    let lines = crate::plain::wrap_lines(
        &notice_text(lab),
        width.saturating_sub(2).max(10) as usize,
        "",
        "",
    );
    (lines.len() as u16).clamp(1, max)
}

/// A node's label and where it sits.
pub struct Placed {
    pub label: String,
    pub rect: Rect,
}

/// How much of a node's badge its label shows: as much as the cluster's area leaves room
/// for without labels running into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// `● n1 [primary]`, `● c1 [client]`
    Full,
    /// Clients, whose role never changes, by name only: `● c1`.
    ServersOnly,
    /// Names only: `● n1` (the Nodes panel still shows each badge).
    Names,
}

/// The label a node is drawn with: status symbol, name, and as much of its badge as
/// `detail` asks for (`● n1 [primary]`, `✖ n1 [crashed, was primary]`, `● c1`).
fn label_at(sim: &Sim, id: usize, detail: Detail) -> String {
    let n = &sim.nodes()[id];
    let symbol = match n.status {
        Status::Up => "●",
        Status::Crashed => "✖",
        Status::Paused { .. } => "‖",
    };
    let badge = match detail {
        Detail::Full => true,
        Detail::ServersOnly => n.role != crate::sim::Role::Client,
        Detail::Names => false,
    };
    if badge {
        format!("{symbol} {}", n.label())
    } else {
        format!("{symbol} {}", n.name)
    }
}

/// Where each node's label goes in `area` (an ellipse, first node at the top), with as
/// much of each badge as fits without two labels touching.
pub fn place(sim: &Sim, area: Rect) -> Vec<Placed> {
    let mut placed = Vec::new();
    for detail in [Detail::Full, Detail::ServersOnly, Detail::Names] {
        placed = place_at(sim, area, detail);
        let touching = placed.iter().enumerate().any(|(i, a)| {
            placed[i + 1..].iter().any(|b| {
                a.rect.y == b.rect.y
                    && a.rect.x < b.rect.right() + 1
                    && b.rect.x < a.rect.right() + 1
            })
        });
        if !touching {
            return placed;
        }
    }
    spread(&mut placed, area);
    placed
}

/// Moves labels that share a row apart, a column between each, inside `area`; where the
/// row is too narrow for them all, the widest are shortened with `…` until it is not.
/// No label is ever drawn over another.
fn spread(placed: &mut [Placed], area: Rect) {
    let mut rows: Vec<u16> = placed.iter().map(|p| p.rect.y).collect();
    rows.sort_unstable();
    rows.dedup();
    for y in rows {
        let mut on_row: Vec<usize> = (0..placed.len())
            .filter(|&i| placed[i].rect.y == y)
            .collect();
        on_row.sort_by_key(|&i| placed[i].rect.x);
        let total = |placed: &[Placed]| {
            on_row.iter().map(|&i| placed[i].rect.width).sum::<u16>() + on_row.len() as u16 - 1
        };
        while total(placed) > area.width {
            let Some(&widest) = on_row.iter().max_by_key(|&&i| placed[i].rect.width) else {
                break;
            };
            let p = &mut placed[widest];
            if p.rect.width <= 3 {
                break;
            }
            p.label = crate::plain::ellipsize(&p.label, p.rect.width as usize - 1);
            p.rect.width = p.label.width() as u16;
        }
        let mut next = area.x;
        for &i in &on_row {
            let r = &mut placed[i].rect;
            r.x = r.x.max(next);
            next = r.right() + 1;
        }
        let mut limit = area.right();
        for &i in on_row.iter().rev() {
            let r = &mut placed[i].rect;
            if r.right() > limit {
                r.x = limit.saturating_sub(r.width).max(area.x);
            }
            limit = r.x.saturating_sub(1);
        }
    }
}

fn place_at(sim: &Sim, area: Rect, detail: Detail) -> Vec<Placed> {
    let n = sim.nodes().len();
    let (cx, cy) = (
        f64::from(area.x) + f64::from(area.width) / 2.0,
        f64::from(area.y) + f64::from(area.height) / 2.0,
    );
    let rx = (f64::from(area.width) / 2.0 - 10.0).max(1.0);
    let ry = (f64::from(area.height) / 2.0 - 1.0).max(0.0);
    (0..n)
        .map(|i| {
            let label = label_at(sim, i, detail);
            let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n as f64;
            let (x, y) = (cx + rx * angle.cos(), cy + ry * angle.sin());
            let width = (label.width() as u16).min(area.width);
            let left = (x - f64::from(width) / 2.0).round().max(f64::from(area.x));
            let left = (left as u16).min(area.right().saturating_sub(width));
            let top = (y.round() as u16).clamp(area.y, area.bottom().saturating_sub(1));
            Placed {
                label,
                rect: Rect::new(left, top, width, 1),
            }
        })
        .collect()
}

/// The node whose label is at (`column`, `row`), if any.
pub fn node_at(lab: &Lab, area: Rect, column: u16, row: u16) -> Option<usize> {
    place(&lab.sim, area)
        .iter()
        .position(|p| p.rect.contains(Position { x: column, y: row }))
}

/// Width of the space-time diagram's lane names, on the left.
pub const LANE_NAMES: u16 = 11;

/// Simulated µs per column of the space-time diagram: 15 ms at the default speed and
/// slower (a 20–80 ms message spans a few columns), wider when faster so the diagram never
/// scrolls faster than the eye can follow.
pub fn us_per_column(lab: &Lab) -> f64 {
    15_000.0 * (lab.speed_factor() / 0.25).max(1.0)
}

/// Where the space-time diagram draws inside its panel: the drawing and a click both
/// use it, so they agree on which message is where.
#[derive(Debug, Clone, Copy)]
pub struct SpaceTime {
    /// The lanes' part, right of the names.
    pub plot: Rect,
    /// The first lane's row, the rows from one lane to the next, and how many lanes fit.
    pub top: u16,
    pub gap: u16,
    pub lanes: u16,
    /// When not every node has a lane: the node the event on screen is about, given the
    /// last lane (so the step's event is always marked on its node's lane).
    pub extra: Option<crate::sim::NodeId>,
    /// The true time (µs) at the plot's left edge, and µs per column.
    pub start_us: f64,
    pub per_col: f64,
    /// Messages sent before this true time (µs) are left out (see `Look::since_us`).
    pub since_us: f64,
}

impl SpaceTime {
    /// The diagram's geometry in `area`, if it is large enough to draw.
    pub fn of(lab: &Lab, area: Rect) -> Option<SpaceTime> {
        let n = lab.sim.nodes().len() as u16;
        if area.width <= LANE_NAMES + 4 || area.height < 2 || n == 0 {
            return None;
        }
        let plot = Rect {
            x: area.x + LANE_NAMES,
            width: area.width - LANE_NAMES,
            ..area
        };
        let gap = (area.height.saturating_sub(1) / n).max(1);
        let per_col = us_per_column(lab);
        // When not every node has a lane, the bottom row says how many are left out.
        let mut lanes = (area.height / gap).min(n);
        if lanes < n {
            lanes = lanes.min(area.height - 1);
        }
        let extra = (lab.focus().and_then(|(_, node)| node))
            .filter(|&id| lanes > 0 && lanes < n && u16::from(id) >= lanes - 1);
        // Why? shows the chain's stretch of the run, from its first cause to the anomaly;
        // else the plot ends now.
        let (start_us, per_col) = match &lab.why {
            Some(w) => {
                let (from, to) = w.stretch_us();
                let per = ((to - from) as f64 / f64::from(plot.width.max(1))).max(2_000.0);
                (from as f64, per)
            }
            None => (
                lab.sim.now_us() as f64 - per_col * f64::from(plot.width - 1),
                per_col,
            ),
        };
        Some(SpaceTime {
            plot,
            top: area.y,
            gap,
            lanes,
            extra,
            start_us,
            per_col,
            since_us: 0.0,
        })
    }

    /// The row of node `id`'s lane, if it fits.
    pub fn lane_y(&self, id: crate::sim::NodeId) -> Option<u16> {
        let slot = match self.extra {
            Some(e) if e == id => Some(self.lanes - 1),
            Some(_) => (u16::from(id) + 1 < self.lanes).then_some(u16::from(id)),
            None => (u16::from(id) < self.lanes).then_some(u16::from(id)),
        };
        slot.map(|s| self.top + s * self.gap)
    }

    /// The (fractional) column of true time `t_us`.
    pub fn col(&self, t_us: u64) -> f64 {
        f64::from(self.plot.x) + (t_us as f64 - self.start_us) / self.per_col
    }

    /// The messages the diagram draws (heartbeats only while `H` shows them), each with
    /// the line it is drawn along: from its send to where it landed or was lost.
    pub fn drawn<'a>(
        &self,
        lab: &'a Lab,
    ) -> impl Iterator<Item = (&'a super::lab::record::Arrow, [(f64, f64); 2])> + 'a {
        let st = *self;
        let heartbeats = lab.heartbeats;
        let end_us = st.start_us + st.per_col * f64::from(st.plot.width);
        let arrows = lab.why.as_ref().map_or(&lab.record.arrows, |w| &w.arrows);
        arrows
            .iter()
            .filter(move |a| {
                a.end_us as f64 >= st.start_us
                    && (a.sent_us as f64) <= end_us
                    && a.sent_us as f64 >= st.since_us
            })
            .filter(move |a| {
                heartbeats
                    || !a.heartbeat
                    || lab
                        .why
                        .as_ref()
                        .is_some_and(|w| w.chain_messages.contains(&a.key()))
            })
            .filter_map(move |a| {
                let (y0, y1) = (st.lane_y(a.from)?, st.lane_y(a.to)?);
                let (y0, y1) = (f64::from(y0), f64::from(y1));
                let end_y = if a.dropped.is_some() {
                    y0 + (y1 - y0) * a.reached()
                } else {
                    y1
                };
                Some((a, [(st.col(a.sent_us), y0), (st.col(a.end_us), end_y)]))
            })
    }
}

/// The message drawn nearest the cell (`column`, `row`) of the space-time diagram in
/// `area`, within a cell of it, by [`Arrow::key`](super::lab::record::Arrow::key).
pub fn message_at(
    lab: &Lab,
    area: Rect,
    column: u16,
    row: u16,
) -> Option<(crate::sim::NodeId, crate::sim::NodeId, u64)> {
    let st = SpaceTime::of(lab, area)?;
    let (px, py) = (f64::from(column), f64::from(row));
    let distance = |[(x0, y0), (x1, y1)]: [(f64, f64); 2]| {
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len = dx * dx + dy * dy;
        let f = if len == 0.0 {
            0.0
        } else {
            (((px - x0) * dx + (py - y0) * dy) / len).clamp(0.0, 1.0)
        };
        ((x0 + f * dx - px).powi(2) + (y0 + f * dy - py).powi(2)).sqrt()
    };
    st.drawn(lab)
        .map(|(a, path)| (a.key(), distance(path)))
        .filter(|&(_, d)| d <= 1.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(key, _)| key)
}
