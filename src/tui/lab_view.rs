//! The Lab screen: status, the cluster graph, node state, metrics, and the space-time
//! diagram / log / order trace; plus the compact lab shown beside the text on wide terminals.

mod cluster;
mod panels;
mod projector;
mod spacetime;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::app::App;
use super::lab::{Lab, Panel};
use super::styled_doc;
use super::theme::Theme;
use crate::doc::MARK;
use crate::sim::Kind;

pub use cluster::node_at;
pub use panels::speed_label;

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
enum Tone {
    Text,
    /// The event the step paused on, quoted from the trace.
    Event,
    /// Something on this seed differs from what the step says.
    Warning,
}

/// The walkthrough caption's lines at `width` columns (empty when no walkthrough runs):
/// the caption with the run's numbers, the event the step paused on, and a warning when
/// the step's claims do not hold on this seed.
fn caption_lines(lab: &Lab, width: u16) -> Vec<(String, Tone)> {
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
        (Some(next), _) => {
            let waiting = match lab.story().map(|s| &s.steps[next].target) {
                Some(crate::sim::story::Target::Until(a)) => format!(" — until `{a}` happens"),
                _ => String::new(),
            };
            return wrap(
                &format!("Running to step {} of {}{waiting}…", next + 1, lab.steps()),
                Tone::Text,
            );
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
        lines.extend(wrap(&format!("⚑ {}", lab.sim.narrate(e)), Tone::Event));
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
fn banner_lines(lab: &Lab, width: u16) -> Vec<String> {
    if lab.walk.is_some() {
        return Vec::new();
    }
    let Some(e) = lab.watch.latest() else {
        return Vec::new();
    };
    let text = format!("⚑ latest: {}", lab.sim.narrate(e));
    let mut lines = crate::plain::wrap_lines(&text, width.max(10) as usize - 1, "", "  ");
    if lines.len() > 2 {
        lines.truncate(2);
        lines[1].push('…');
    }
    lines
}

/// Rows the caption box takes (0 without a walkthrough).
pub(super) fn caption_rows(lab: Option<&Lab>, width: u16) -> u16 {
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
        Some(lab) if lab.walk.is_some() && lab.note.is_none() => 0,
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

fn side_layout(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(3),
        Constraint::Percentage(55),
        Constraint::Min(0),
    ])
    .areas(area)
}

/// The full Lab tab.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let Some(lab) = &app.lab else {
        return no_lab(app, frame, area);
    };
    if app.display.projector {
        return projector::render(app, lab, frame, area);
    }
    let a = lab_areas(area, Some(lab));
    frame.render_widget(panels::header(lab, t), a.header);
    frame.render_widget(notice(lab, t), a.notice);
    banner(lab, frame, a.banner, t);
    caption(lab, frame, a.caption, t);
    draw_cluster(lab, frame, a.cluster_box, t, look(app));
    let nodes = Paragraph::new(panels::nodes(
        lab,
        t,
        a.nodes.height < 2 + 2 * lab.sim.nodes().len() as u16,
        a.nodes.width.saturating_sub(2) as usize,
    ))
    .block(boxed(t, "Nodes"));
    frame.render_widget(nodes, a.nodes);
    let metrics = Paragraph::new(panels::metrics(lab, t, a.metrics.width as usize))
        .block(boxed(t, "Metrics"));
    frame.render_widget(metrics, a.metrics);
    match a.extra {
        Some(extra) => {
            draw_panel(lab, frame, a.panel, t, Panel::SpaceTime);
            let second = if lab.sim.params().kind == Kind::Checkout {
                Panel::Trace
            } else {
                Panel::Log
            };
            draw_panel(lab, frame, extra, t, second);
        }
        None => draw_panel(lab, frame, a.panel, t, lab.panel),
    }
}

/// The compact lab beside the text: status, the cluster, and the node list.
pub fn render_side(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let Some(lab) = &app.lab else {
        return no_lab(app, frame, area);
    };
    let [head, cluster_box, rest] = side_layout(area);
    let [status, note] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(head);
    frame.render_widget(panels::header(lab, t), status);
    frame.render_widget(notice(lab, t), note);
    draw_cluster(lab, frame, cluster_box, t, look(app));
    let [nodes, log] = Layout::vertical([
        Constraint::Length(lab.sim.nodes().len() as u16 + 2),
        Constraint::Min(0),
    ])
    .areas(rest);
    frame.render_widget(
        Paragraph::new(panels::nodes(
            lab,
            t,
            true,
            nodes.width.saturating_sub(2) as usize,
        ))
        .block(boxed(t, "Nodes · 3: full lab")),
        nodes,
    );
    let rows = log.height.saturating_sub(2) as usize;
    frame.render_widget(
        Paragraph::new(panels::log(lab, t, rows)).block(boxed(t, "Log")),
        log,
    );
}

fn no_lab(app: &App, frame: &mut Frame, area: Rect) {
    let msg = app
        .lab_error
        .clone()
        .unwrap_or_else(|| "This lesson has no lab scenarios.".into());
    frame.render_widget(
        Paragraph::new(msg)
            .wrap(Wrap { trim: true })
            .block(boxed(&app.theme, "Lab")),
        area,
    );
}

fn boxed<'a>(t: &Theme, title: &'a str) -> Block<'a> {
    Block::bordered()
        .border_style(t.border)
        .title(Line::styled(format!(" {title} "), t.heading))
}

/// The scenario's "what to notice", or the lab's latest note (a refused command, a save).
fn notice_text(lab: &Lab) -> String {
    match &lab.note {
        Some(note) => note.clone(),
        // Scenarios are distlab's, never the course's: the margin mark says so.
        None => format!(
            "{MARK} {} — {}",
            lab.scenario().title,
            lab.scenario().notice
        ),
    }
}

/// Rows the notice needs at `width`, at most `max`.
pub(super) fn notice_rows(lab: &Lab, width: u16, max: u16) -> u16 {
    let lines = crate::plain::wrap_lines(
        &notice_text(lab),
        width.saturating_sub(2).max(10) as usize,
        "",
        "",
    );
    (lines.len() as u16).clamp(1, max)
}

/// The notice, wrapped.
pub(super) fn notice(lab: &Lab, t: &Theme) -> Paragraph<'static> {
    let style = if lab.note.is_some() { t.message } else { t.dim };
    Paragraph::new(Line::styled(notice_text(lab), style)).wrap(Wrap { trim: true })
}

/// The walkthrough caption: `Step K/N`, what just happened and what to notice, and the keys.
pub(super) fn caption(lab: &Lab, frame: &mut Frame, area: Rect, t: &Theme) {
    let Some(walk) = &lab.walk else { return };
    let step = walk.heading.or(walk.reached).map_or(1, |s| s + 1);
    // A quiet mark that what the step says was checked against this very run.
    let checked = match &walk.arrival {
        Some(a) if walk.heading.is_none() && !a.claims.is_empty() && a.true_here() => " ✓",
        _ => "",
    };
    let title = format!(
        " Step {step}/{}{checked} · {} ",
        lab.steps(),
        lab.scenario().title
    );
    let keys = " →/Space next · ← back · Esc leave ";
    let block = Block::bordered()
        .border_style(t.accent)
        .title(Line::styled(title, t.title))
        .title_bottom(Line::styled(keys, t.dim).right_aligned());
    let lines: Vec<Line> = caption_lines(lab, area.width)
        .into_iter()
        .map(|(l, tone)| {
            let style = match tone {
                Tone::Text => t.base,
                Tone::Event => t.accent,
                Tone::Warning => t.warn,
            };
            // A step's caption is distlab's words (the "running to" line is the app's, the
            // ⚑ line the run's).
            match (tone, walk.heading) {
                (Tone::Text, None) => styled_doc::marked(Line::styled(l, style), t.dim),
                _ => Line::styled(l, style),
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The free-run banner: the latest notable event.
pub(super) fn banner(lab: &Lab, frame: &mut Frame, area: Rect, t: &Theme) {
    let lines: Vec<Line> = banner_lines(lab, area.width)
        .into_iter()
        .map(|l| Line::styled(l, t.accent))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// How the cluster is drawn, from the display preferences.
pub(super) fn look(app: &App) -> cluster::Look {
    cluster::Look {
        solid: app.display.projector,
        reduced_motion: app.display.reduced_motion,
    }
}

pub(super) fn draw_cluster(
    lab: &Lab,
    frame: &mut Frame,
    area: Rect,
    t: &Theme,
    look: cluster::Look,
) {
    let title = format!(
        "Cluster · {} · {}",
        lab.scenario().id,
        panels::speed_label(lab.speed_factor())
    );
    let block = boxed(t, &title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    cluster::draw(lab, inner, frame.buffer_mut(), t, look);
}

fn draw_panel(lab: &Lab, frame: &mut Frame, area: Rect, t: &Theme, panel: Panel) {
    let rows = area.height.saturating_sub(2) as usize;
    let (title, lines) = match panel {
        Panel::SpaceTime => ("Space-time diagram · v: next view", None),
        Panel::Log => ("Event log · v: next view", Some(panels::log(lab, t, rows))),
        Panel::Trace => (
            "Order traces · v: next view",
            Some(panels::trace(
                lab,
                t,
                rows,
                area.width.saturating_sub(2) as usize,
            )),
        ),
    };
    let block = boxed(t, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match lines {
        Some(lines) => frame.render_widget(Paragraph::new(lines), inner),
        None => spacetime::draw(lab, inner, frame.buffer_mut(), t),
    }
}
