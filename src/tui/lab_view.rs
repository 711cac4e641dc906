//! The Lab screen: status, the cluster graph, node state, metrics, and the space-time
//! diagram / log / order trace; plus the compact lab shown beside the text on wide terminals.

mod cluster;
mod compare;
mod panels;
mod projector;
mod spacetime;
mod why;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::app::App;
use super::lab::{Lab, Panel};
use super::lab_layout::{Tone, banner_lines, caption_lines, lab_areas, notice_text, side_layout};
use super::styled_doc;
use super::theme::Theme;
use crate::sim::Kind;

pub use panels::{fitted, speed_label};

/// The full Lab tab.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    if let Some(t_off) = &app.tradeoffs {
        return super::tradeoffs_view::render(app, t_off, frame, area);
    }
    let Some(lab) = &app.lab else {
        return no_lab(app, frame, area);
    };
    if let Some(c) = &lab.compare {
        return if app.display.projector {
            compare::render_projector(app, lab, c, frame, area)
        } else {
            compare::render(app, lab, c, frame, area)
        };
    }
    if app.display.projector {
        return projector::render(app, lab, frame, area);
    }
    let a = lab_areas(area, Some(lab));
    frame.render_widget(header(lab, t, a.header.width), a.header);
    if let Some(w) = &lab.why {
        // Why? takes the rows above the metrics (notice, caption, cluster and nodes), and
        // the space-time diagram shows the chain's stretch of the run.
        let top = a.header.bottom();
        let bottom = a.cluster_box.bottom().max(a.nodes.bottom()).max(top + 4);
        let box_area = Rect::new(area.x, top, area.width, bottom - top);
        draw_why(w, frame, box_area, t);
        let metrics = Paragraph::new(clip_rows(
            panels::metrics(lab, t, a.metrics.width as usize),
            a.metrics.height.saturating_sub(2),
            t,
        ))
        .block(boxed(
            t,
            &metrics_title(app, a.metrics.width),
            a.metrics.width,
        ));
        frame.render_widget(metrics, a.metrics);
        let panel = match a.extra {
            Some(extra) => Rect::new(
                a.panel.x,
                a.panel.y,
                extra.right() - a.panel.x,
                a.panel.height,
            ),
            None => a.panel,
        };
        draw_panel(lab, frame, panel, t, Panel::SpaceTime, look(app));
        return;
    }
    frame.render_widget(notice(lab, t, a.notice), a.notice);
    banner(lab, frame, a.banner, t);
    caption(lab, frame, a.caption, t, app.display.ascii);
    draw_cluster(lab, frame, a.cluster_box, t, look(app));
    let nodes = Paragraph::new(clip_rows(
        panels::nodes(
            lab,
            t,
            a.nodes.height < 2 + 2 * lab.sim.nodes().len() as u16,
            a.nodes.width.saturating_sub(2) as usize,
        ),
        a.nodes.height.saturating_sub(2),
        t,
    ))
    .block(boxed(t, "Nodes", a.nodes.width));
    frame.render_widget(nodes, a.nodes);
    let metrics = Paragraph::new(clip_rows(
        panels::metrics(lab, t, a.metrics.width as usize),
        a.metrics.height.saturating_sub(2),
        t,
    ))
    .block(boxed(
        t,
        &metrics_title(app, a.metrics.width),
        a.metrics.width,
    ));
    frame.render_widget(metrics, a.metrics);
    match a.extra {
        Some(extra) => {
            draw_panel(lab, frame, a.panel, t, Panel::SpaceTime, look(app));
            let second = if lab.sim.params().kind == Kind::Checkout {
                Panel::Trace
            } else {
                Panel::Log
            };
            draw_panel(lab, frame, extra, t, second, look(app));
        }
        None => draw_panel(lab, frame, a.panel, t, lab.panel, look(app)),
    }
}

/// The metrics panel's title, with the key to the many-run view of these numbers where
/// the lesson has sweeps and the title has room.
fn metrics_title(app: &App, width: u16) -> String {
    let key = "Metrics · T: trade-offs over many runs";
    if !app.lesson.sweeps.is_empty() && key.chars().count() + 4 <= width as usize {
        key.to_owned()
    } else if !app.lesson.sweeps.is_empty() && "Metrics · T: trade-offs".len() + 4 <= width as usize
    {
        "Metrics · T: trade-offs".to_owned()
    } else {
        "Metrics".to_owned()
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
    frame.render_widget(header(lab, t, status.width), status);
    frame.render_widget(notice(lab, t, note), note);
    draw_cluster(lab, frame, cluster_box, t, look(app));
    let [nodes, log] = Layout::vertical([
        Constraint::Length(lab.sim.nodes().len() as u16 + 2),
        Constraint::Min(0),
    ])
    .areas(rest);
    frame.render_widget(
        Paragraph::new(clip_rows(
            panels::nodes(lab, t, true, nodes.width.saturating_sub(2) as usize),
            nodes.height.saturating_sub(2),
            t,
        ))
        .block(boxed(t, "Nodes · 3: full lab", nodes.width)),
        nodes,
    );
    let rows = log.height.saturating_sub(2) as usize;
    frame.render_widget(
        Paragraph::new(panels::log(
            lab,
            t,
            rows,
            log.width.saturating_sub(2) as usize,
        ))
        .block(boxed(t, "Log", log.width)),
        log,
    );
}

/// The why? panel in `area`.
pub(super) fn draw_why(w: &super::lab::WhyView, frame: &mut Frame, area: Rect, t: &Theme) {
    let block = boxed(t, &why::title(w), area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = why::lines(w, t, inner.width as usize, inner.height as usize);
    frame.render_widget(Paragraph::new(clip_rows(lines, inner.height, t)), inner);
}

fn no_lab(app: &App, frame: &mut Frame, area: Rect) {
    let msg = app
        .lab_error
        .clone()
        .unwrap_or_else(|| "This lesson has no lab scenarios.".into());
    frame.render_widget(
        Paragraph::new(format!("\n{msg}"))
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true })
            .block(boxed(&app.theme, "Lab", area.width)),
        area,
    );
}

/// A bordered panel `width` columns wide, its title ended in `…` where it does not fit.
fn boxed(t: &Theme, title: &str, width: u16) -> Block<'static> {
    let room = (width as usize).saturating_sub(4);
    Block::bordered().border_style(t.border).title(Line::styled(
        format!(" {} ", crate::plain::ellipsize(title, room)),
        t.heading,
    ))
}

/// The status line fitted to `width`: a knob that does not fit is dropped whole, with `…`.
pub(super) fn header(lab: &Lab, t: &Theme, width: u16) -> Line<'static> {
    panels::fitted(panels::header(lab, t), width as usize)
}

/// At most `rows` of `lines`; when some are left out, the last row says how many.
fn clip_rows(mut lines: Vec<Line<'static>>, rows: u16, t: &Theme) -> Vec<Line<'static>> {
    let rows = rows as usize;
    if lines.len() > rows && rows > 0 {
        let left_out = lines.len() - (rows - 1);
        lines.truncate(rows - 1);
        lines.push(Line::styled(format!(" +{left_out} more…"), t.dim));
    }
    lines
}

/// The notice, wrapped at words into `area`; when it needs more rows than it has, its last
/// row ends in `…`.
pub(super) fn notice(lab: &Lab, t: &Theme, area: Rect) -> Paragraph<'static> {
    let style = if lab.note.is_some() { t.message } else { t.dim };
    let width = area.width.max(10) as usize;
    let mut lines = crate::plain::wrap_lines(&notice_text(lab), width, "", "");
    crate::plain::clip_lines(&mut lines, (area.height as usize).max(1), width);
    Paragraph::new(
        lines
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect::<Vec<_>>(),
    )
}

/// The walkthrough caption: `Step K/N`, what just happened and what to notice, and the keys.
pub(super) fn caption(lab: &Lab, frame: &mut Frame, area: Rect, t: &Theme, ascii: bool) {
    let Some(walk) = &lab.walk else { return };
    let step = walk.heading.or(walk.reached).map_or(1, |s| s + 1);
    // A quiet mark that what the step says was checked against this very run.
    let checked = match &walk.arrival {
        Some(a) if walk.heading.is_none() && !a.claims.is_empty() && a.true_here() => " ✓",
        _ => "",
    };
    let head = format!("Step {step}/{}{checked} · ", lab.steps());
    let room = (area.width as usize).saturating_sub(4 + head.chars().count());
    let title = format!(
        " {head}{} ",
        crate::plain::ellipsize(&lab.scenario().title, room)
    );
    let keys = super::glyphs::key_names(" →/Space next · ← back · Esc leave ", ascii);
    let block = Block::bordered()
        .border_style(t.accent)
        .title(Line::styled(title, t.title))
        .title_bottom(Line::styled(keys, t.dim).right_aligned());
    let mut lines = caption_lines(lab, area.width);
    // What does not fit in the box ends in `…`.
    let rows = area.height.saturating_sub(2) as usize;
    if lines.len() > rows {
        let mut text: Vec<String> = lines.iter().map(|(l, _)| l.clone()).collect();
        crate::plain::clip_lines(&mut text, rows, area.width.saturating_sub(2) as usize);
        lines.truncate(rows);
        if let (Some(last), Some(cut)) = (lines.last_mut(), text.pop()) {
            last.0 = cut;
        }
    }
    let lines: Vec<Line> = lines
        .into_iter()
        .map(|(l, tone)| {
            let style = match tone {
                // While the run moves on, the step before is context, not news.
                Tone::Text if walk.heading.is_some() => t.dim,
                Tone::Text => t.base,
                Tone::Event => t.accent,
                Tone::Warning => t.warn,
            };
            // A step's caption (and what to watch for) is distlab's words; the ⚑ line is the
            // run's, the "running to" line the app's.
            match tone {
                Tone::Text => styled_doc::marked(Line::styled(l, style), t.dim),
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
        since_us: 0,
    }
}

pub(super) fn draw_cluster(
    lab: &Lab,
    frame: &mut Frame,
    area: Rect,
    t: &Theme,
    look: cluster::Look,
) {
    let mut title = format!(
        "Cluster · {} · {}",
        lab.scenario().id,
        panels::speed_label(lab.speed_factor())
    );
    // Where the title has room: the key that explains the marks below.
    if title.chars().count() + 16 <= area.width as usize {
        title.push_str(" · L: legend");
    }
    let block = boxed(t, &title, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    cluster::draw(lab, inner, frame.buffer_mut(), t, look);
}

fn draw_panel(
    lab: &Lab,
    frame: &mut Frame,
    area: Rect,
    t: &Theme,
    panel: Panel,
    look: cluster::Look,
) {
    let rows = area.height.saturating_sub(2) as usize;
    let (title, lines) = match panel {
        Panel::SpaceTime => {
            // The window it shows, so a learner can read distances as time.
            let window_us = spacetime::window_us(lab, area.width.saturating_sub(2), look.since_us);
            let window = spacetime::short_secs(window_us);
            let mut title = match &lab.why {
                Some(w) => format!(
                    "Space-time · the chain's stretch, at {} · the rest dimmed",
                    crate::sim::time::secs(w.selected().t_us as i64)
                ),
                None => format!("Space-time · last {window} · v: next view"),
            };
            // Like `L` on the cluster, the key that changes what this panel draws, where
            // the title has room for it.
            if lab.stamps != crate::tui::lab::record::StampView::Off {
                let shown = match lab.stamps {
                    crate::tui::lab::record::StampView::Wall => "send clocks",
                    crate::tui::lab::record::StampView::Lamport => "Lamport",
                    _ => "write stamps",
                };
                let key = format!(" · o: {shown}");
                if title.chars().count() + key.chars().count() + 4 <= area.width as usize {
                    title.push_str(&key);
                }
            }
            let beats = if lab.heartbeats { "hide" } else { "show" };
            let key = format!(" · H: {beats} heartbeats");
            let offered = lab.offers(crate::tui::action::LabAction::ToggleHeartbeats);
            if offered && title.chars().count() + key.chars().count() + 4 <= area.width as usize {
                title.push_str(&key);
            }
            (title, None)
        }
        Panel::Log => (
            "Event log · v: next view".to_owned(),
            Some(panels::log(
                lab,
                t,
                rows,
                area.width.saturating_sub(2) as usize,
            )),
        ),
        Panel::Trace => (
            "Order traces · v: next view".to_owned(),
            Some(panels::trace(
                lab,
                t,
                rows,
                area.width.saturating_sub(2) as usize,
            )),
        ),
    };
    let block = boxed(t, &title, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match lines {
        Some(lines) => frame.render_widget(Paragraph::new(lines), inner),
        None => spacetime::draw(lab, inner, frame.buffer_mut(), t, look),
    }
}
