//! Compare: runs A and B side by side (stacked where the terminal is small), each with its
//! cluster and space-time diagram, and one table of their numbers with the rows that
//! differ marked and the better and worse value told apart.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{boxed, cluster, draw_panel, look, panels};
use crate::sim::time::{ms_f64, secs};
use crate::sim::{Kind, Sim};
use crate::tui::app::App;
use crate::tui::lab::{Compare, Lab, Panel};
use crate::tui::theme::Theme;

/// The fewest rows the "where the runs part" box is drawn in (stacked, a line says it).
const PARTING_BOX_MIN: u16 = 6;

/// Which way a number is better, where one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
    /// Neither: it describes the run (who is primary, messages sent).
    Neither,
}

/// One row of the compared numbers, for one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub label: String,
    pub value: String,
    /// What the comparison of better and worse uses (`None`: not measured yet).
    pub num: Option<f64>,
    pub better: Better,
}

fn m(label: &str, value: impl ToString, num: Option<f64>, better: Better) -> Measure {
    Measure {
        label: label.into(),
        value: value.to_string(),
        num,
        better,
    }
}

fn count(label: &str, n: u64, better: Better) -> Measure {
    m(label, n, Some(n as f64), better)
}

/// A latency in whole ms, or `-` before there is one.
fn latency(label: &str, h: &crate::sim::Histogram, q: f64) -> Measure {
    if h.count() == 0 {
        m(label, "-", None, Better::Lower)
    } else {
        let v = ms_f64(h.quantile_us(q));
        m(label, format!("{v:.0} ms"), Some(v), Better::Lower)
    }
}

/// The numbers a run is compared on, for its kind of scenario.
pub fn measures(sim: &Sim) -> Vec<Measure> {
    use Better::{Higher, Lower, Neither};
    let x = sim.metrics();
    let p = sim.params();
    let mut out = Vec::new();
    match p.kind {
        Kind::Replication => {
            out.push(m(
                "writes acked",
                format!("{} of {}", x.writes_acked, x.writes_issued),
                Some(x.writes_acked as f64),
                Higher,
            ));
            out.push(count("writes timed out", x.writes_unknown, Lower));
            out.push(count("acked writes lost", x.acked_writes_lost, Lower));
            if p.writers > 1 {
                out.push(count(
                    "discarded writes",
                    x.concurrent_writes_discarded,
                    Lower,
                ));
                out.push(count("siblings kept", x.conflicts, Neither));
            }
            out.push(count("stale reads", x.stale_reads, Lower));
            if p.fsync_every_ms > 0 {
                out.push(count("lost from memory", x.unsynced_copies_lost, Lower));
            }
            out.push(latency("ack p50", &x.ack_latency, 0.5));
            out.push(latency("ack p99", &x.ack_latency, 0.99));
            if p.writers == 1 {
                let acting: Vec<&str> = (sim.nodes().iter())
                    .filter(|n| n.role == crate::sim::Role::Primary && !n.is_crashed())
                    .map(|n| n.name.as_str())
                    .collect();
                let (shown, n) = match acting.len() {
                    0 => ("none".to_owned(), 0.0),
                    1 => (acting[0].to_owned(), 1.0),
                    k => (format!("{} (split brain)", acting.join("+")), k as f64),
                };
                // One primary is right; none or two are worse.
                let off = (n - 1.0f64).abs();
                out.push(m("primary now", shown, Some(off), Lower));
            }
            out.push(m(
                "replicas agree",
                if x.divergence { "no" } else { "yes" },
                Some(f64::from(u8::from(x.divergence))),
                Lower,
            ));
            out.push(count("false suspicions", x.false_suspicions, Lower));
        }
        Kind::Detector => {
            let correct = x.suspicions.saturating_sub(x.false_suspicions);
            out.push(count("suspicions", x.suspicions, Neither));
            out.push(count("false suspicions", x.false_suspicions, Lower));
            out.push(count("crashes detected", correct, Higher));
            out.push(latency("detection p50", &x.detection_latency, 0.5));
        }
        Kind::Checkout => {
            out.push(count("orders placed", x.orders_placed, Neither));
            out.push(count("confirmed", x.orders_confirmed, Higher));
            out.push(count("pending", sim.orders_pending(), Neither));
            out.push(count("failed", x.orders_failed, Lower));
            out.push(count("retries", x.order_retries, Neither));
            out.push(count("duplicate charges", x.duplicate_charges, Lower));
        }
        Kind::Sharding => {
            // What the hot shard costs: its longest queue and its slowest answers, and
            // how the load spread (each shard's queue now is in the lab's own panel).
            for (i, (id, _)) in sim.shard_queues().into_iter().enumerate() {
                let Some(s) = x.shards.get(i) else {
                    continue;
                };
                let name = sim.node_name(id);
                out.push(count(
                    &format!("{name} longest queue"),
                    s.max_queue_len,
                    Lower,
                ));
                out.push(latency(&format!("{name} p99"), &s.latency, 0.99));
                out.push(count(&format!("{name} served"), s.served, Neither));
            }
            out.push(count("misrouted", x.misrouted, Lower));
        }
    }
    out.push(count("messages sent", x.messages_sent, Neither));
    out
}

/// One table row: the label, and each run's measure (`None` where that run has no such
/// row, e.g. a shard only one of them has).
type Pair = (String, Option<Measure>, Option<Measure>);

/// A's rows in order, each of B's beside A's of the same label, and a row only B has
/// after the row B has before it (a fourth shard's rows after the third's).
pub fn paired(a: Vec<Measure>, b: Vec<Measure>) -> Vec<Pair> {
    let mut rows: Vec<Pair> = a
        .into_iter()
        .map(|x| (x.label.clone(), Some(x), None))
        .collect();
    let mut after = 0;
    for y in b {
        match rows.iter().position(|r| r.0 == y.label) {
            Some(i) => {
                rows[i].2 = Some(y);
                after = i + 1;
            }
            None => {
                rows.insert(after, (y.label.clone(), None, Some(y)));
                after += 1;
            }
        }
    }
    rows
}

/// Whether a row differs, and for each side whether it is the better (`Some(true)`), the
/// worse (`Some(false)`), or neither.
pub fn judge(a: Option<&Measure>, b: Option<&Measure>) -> (bool, Option<bool>, Option<bool>) {
    let value = |m: Option<&Measure>| m.map(|m| m.value.clone());
    if value(a) == value(b) {
        return (false, None, None);
    }
    let (Some(a), Some(b)) = (a, b) else {
        return (true, None, None);
    };
    let (Some(x), Some(y)) = (a.num, b.num) else {
        return (true, None, None);
    };
    let a_better = match a.better {
        Better::Lower if x != y => Some(x < y),
        Better::Higher if x != y => Some(x > y),
        _ => None,
    };
    (true, a_better, a_better.map(|v| !v))
}

/// The full Lab tab in compare.
pub fn render(app: &App, lab: &Lab, c: &Compare, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let stacked = area.width < 110 || area.height < 32;
    let rows = paired(measures(&lab.sim), measures(&c.twin.sim));
    // Stacked, where the runs part is one line under the status too (its box may not fit).
    let table_h = rows.len() as u16 + 3;
    let box_room = area.height.saturating_sub(2 + table_h);
    let parting_line = if stacked && box_room < PARTING_BOX_MIN + 1 {
        parting_summary(c)
    } else {
        None
    };
    let about = about(lab, c, t, area.width);
    let [head, about_row, parting_row, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(about.len() as u16),
        Constraint::Length(u16::from(parting_line.is_some())),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(header(lab, c, t, head.width), head);
    frame.render_widget(Paragraph::new(about), about_row);
    if let Some(text) = parting_line {
        let cut = crate::plain::ellipsize(&text, parting_row.width as usize);
        frame.render_widget(Line::styled(cut, t.label), parting_row);
    }
    if stacked {
        let [runs, side] =
            Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)])
                .areas(rest);
        let [top, bottom] =
            Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(runs);
        draw_run(app, lab, "A", &c.left_label(), frame, top);
        draw_run(app, &c.twin, "B", &c.right_label(), frame, bottom);
        let [table, parting] =
            Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(side);
        draw_table(c, &rows, frame, table, t);
        if parting.height >= PARTING_BOX_MIN {
            draw_parting(lab, c, frame, parting, t);
        }
        return;
    }
    let halves = |r: Rect| {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(r)
    };
    let below = rest.height.saturating_sub(table_h);
    let [clusters, middle, diagrams] = Layout::vertical([
        Constraint::Length(below * 3 / 5),
        Constraint::Length(table_h),
        Constraint::Min(0),
    ])
    .areas(rest);
    let [ca, cb] = halves(clusters);
    draw_run(app, lab, "A", &c.left_label(), frame, ca);
    draw_run(app, &c.twin, "B", &c.right_label(), frame, cb);
    let [table, parting] = halves(middle);
    draw_table(c, &rows, frame, table, t);
    draw_parting(lab, c, frame, parting, t);
    if diagrams.height >= 4 {
        let [da, db] = halves(diagrams);
        let panel = match lab.panel {
            Panel::Trace if lab.sim.params().kind == Kind::Checkout => Panel::Trace,
            Panel::Log => Panel::Log,
            _ => Panel::SpaceTime,
        };
        // Both diagrams over the stretch both runs still hold (a busier run keeps a
        // shorter one), so the same column is the same time in each.
        let held = |l: &Lab| super::spacetime::held_since_us(l).unwrap_or(0);
        let since_us = held(lab).max(held(&c.twin));
        let look = cluster::Look {
            since_us,
            ..look(app)
        };
        draw_panel(lab, frame, da, t, panel, look);
        draw_panel(&c.twin, frame, db, t, panel, look);
    }
}

/// The projector's compare: the two clusters large, side by side, and the numbers and
/// where the runs part under them.
pub fn render_projector(app: &App, lab: &Lab, c: &Compare, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let rows = paired(measures(&lab.sim), measures(&c.twin.sim));
    let table_h = (rows.len() as u16 + 3).min(area.height / 2);
    let about = about(lab, c, t, area.width);
    let [top, head, about_row, clusters, middle] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(about.len() as u16),
        Constraint::Min(6),
        Constraint::Length(table_h),
    ])
    .areas(area);
    frame.render_widget(super::projector::title(app, lab, t, top.width), top);
    frame.render_widget(header(lab, c, t, head.width), head);
    frame.render_widget(Paragraph::new(about), about_row);
    let halves = |r: Rect| {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(r)
    };
    let [ca, cb] = halves(clusters);
    draw_run(app, lab, "A", &c.left_label(), frame, ca);
    draw_run(app, &c.twin, "B", &c.right_label(), frame, cb);
    let [table, parting] = halves(middle);
    draw_table(c, &rows, frame, table, t);
    draw_parting(lab, c, frame, parting, t);
}

/// The line under the status: what the comparison holds equal, or the lab's note.
/// What the two runs share, or the note on the last key (on two rows where it needs
/// them, the second ending in `…` if even that is short).
fn about(lab: &Lab, c: &Compare, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let (text, style) = match &lab.note {
        Some(n) => (n.clone(), t.message),
        None => (
            format!(
                "A and B: seed {}, the same commands, in lockstep; only {} differs · C: one run",
                lab.seed(),
                c.key
            ),
            t.accent,
        ),
    };
    let width = (width as usize).max(10);
    if lab.note.is_none() {
        return vec![Line::styled(crate::plain::ellipsize(&text, width), style)];
    }
    let mut lines = crate::plain::wrap_lines(&text, width, "", "");
    crate::plain::clip_lines(&mut lines, 2, width);
    lines.into_iter().map(|l| Line::styled(l, style)).collect()
}

/// Where the runs part, on one line: `Part at t=0.149s · A: n1 → c1 ... · B: nothing`.
fn parting_summary(c: &Compare) -> Option<String> {
    let p = c.parted.as_ref()?;
    let what = |e: &Option<String>| e.clone().unwrap_or_else(|| "nothing then".into());
    Some(format!(
        "Traces part at t={} · A: {} · B: {}",
        secs(p.t_us as i64),
        what(&p.a),
        what(&p.b)
    ))
}

/// Where the two runs' traces part, in a box: the time, what each run did there, and what
/// that means for what follows.
fn draw_parting(lab: &Lab, c: &Compare, frame: &mut Frame, area: Rect, t: &Theme) {
    let block = boxed(t, "Where the runs part", area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width.max(10) as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut say = |text: &str, style: Style, rest: &str| {
        for l in crate::plain::wrap_lines(text, w, "", rest) {
            lines.push(Line::styled(l, style));
        }
    };
    match &c.parted {
        None => say(
            &format!(
                "Nowhere yet: both traces are the same event for event, to t={}. The one \
                 setting has not changed anything the runs did.",
                secs(lab.sim.now_us() as i64)
            ),
            t.base,
            "",
        ),
        Some(p) => {
            say(
                &format!("At t={} the traces part:", secs(p.t_us as i64)),
                t.label,
                "",
            );
            let what =
                |e: &Option<String>| e.clone().unwrap_or_else(|| "nothing at that moment".into());
            say(&format!("A: {}", what(&p.a)), t.base, "   ");
            say(&format!("B: {}", what(&p.b)), t.base, "   ");
            // Whether the runs still draw alike: the same number of random words drawn
            // means the same latencies and losses so far.
            let apart = lab.sim.random_draws() != c.twin.sim.random_draws();
            say(
                if apart {
                    "Before that the runs did the same things at the same times. Since then \
                     they have drawn different numbers of random values, so their latencies \
                     and losses fall on different messages: compare what each run did, not \
                     message by message."
                } else {
                    "Before that the runs did the same things at the same times, and they \
                     still draw the same random values (the same latencies and losses): all \
                     that differs follows from this one difference."
                },
                t.dim,
                "",
            );
        }
    }
    let room = inner.height as usize;
    if lines.len() > room && room > 0 {
        lines.truncate(room);
        if let Some(last) = lines.last_mut() {
            let text: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
            let cut = crate::plain::ellipsize(&format!("{text} …"), w);
            *last = Line::styled(cut, last.spans.first().map_or(t.base, |s| s.style));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The status line in compare: what both runs share (scenario, seed, time, state,
/// speed), then what each has apart.
fn header(lab: &Lab, c: &Compare, t: &Theme, width: u16) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = panels::header(lab, t).spans.into_iter().take(5).collect();
    let pair = format!("A {} · B {} ", c.left, c.right);
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    // Narrow, the word `compare` goes first (the line under says it), so both values fit.
    let lead = if used + c.key.width() + pair.width() + 12 <= width as usize {
        format!("· compare {}: ", c.key)
    } else {
        format!("· {}: ", c.key)
    };
    spans.push(Span::styled(lead, t.base));
    spans.push(Span::styled(pair, t.label));
    // What both runs share, where it fits (the compared setting is named above).
    spans.extend(panels::knobs(lab, t, Some(c.key.as_str())));
    panels::fitted(Line::from(spans), width as usize)
}

/// One run's cluster, titled with its side and setting.
fn draw_run(app: &App, lab: &Lab, side: &str, setting: &str, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let block = boxed(t, &format!("{side} · {setting}"), area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let looks = look(app);
    cluster::draw(lab, inner, frame.buffer_mut(), t, looks);
}

/// The numbers of both runs, one row per measure; rows that differ are marked `≠`, and
/// where one value is better, it is drawn as right and the other as wrong.
/// What [`judge`] says of a row: it differs; A is the better; B is.
type Judgement = (bool, Option<bool>, Option<bool>);

fn draw_table(c: &Compare, rows: &[Pair], frame: &mut Frame, area: Rect, t: &Theme) {
    let differ = rows
        .iter()
        .filter(|(_, a, b)| judge(a.as_ref(), b.as_ref()).0)
        .count();
    // The better of two values that differ is marked ✓ as well as coloured, where the
    // marks leave every label whole.
    let judged: Vec<Judgement> = rows
        .iter()
        .map(|(_, a, b)| judge(a.as_ref(), b.as_ref()))
        .collect();
    let w = area.width.saturating_sub(2) as usize;
    let widest_label = rows.iter().map(|r| r.0.width()).max().unwrap_or(0);
    let shown = |m: &Option<Measure>, better: Option<bool>, mark: bool| {
        let v = m.as_ref().map_or("-".to_owned(), |m| m.value.clone());
        if mark && better == Some(true) {
            format!("{v} ✓")
        } else {
            v
        }
    };
    // Each value column as wide as its widest value, the label column what is left (at
    // most its widest label).
    let widths = |mark: bool| {
        let col = |side: fn(&Pair) -> &Option<Measure>,
                   pick: fn(&Judgement) -> Option<bool>,
                   head: usize| {
            (rows.iter().zip(&judged))
                .map(|(r, j)| shown(side(r), pick(j), mark).width())
                .max()
                .unwrap_or(0)
                .max(head)
                + 1
        };
        (
            col(|r| &r.1, |j| j.1, c.left.width() + 2),
            col(|r| &r.2, |j| j.2, c.right.width() + 2),
        )
    };
    let mark = judged.iter().any(|j| j.1.is_some()) && {
        let (a_w, b_w) = widths(true);
        widest_label + 3 + a_w + b_w <= w
    };
    let (a_w, b_w) = widths(mark);
    let title = match (differ, mark) {
        (0, _) => "Numbers · A and B agree".to_owned(),
        (_, true) => format!("Numbers · {differ} differ (≠) · ✓ the better"),
        (_, false) => format!("Numbers · {differ} differ (≠)"),
    };
    let block = boxed(t, &title, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let label_w = rows.iter().map(|r| r.0.width()).max().unwrap_or(0);
    let label_w = label_w.min(w.saturating_sub(3 + a_w + b_w)).max(6);
    // Where even that does not fit, the values give way too, alike.
    let over = (label_w + 3 + a_w + b_w).saturating_sub(w);
    let (a_w, b_w) = (
        a_w.saturating_sub(over.div_ceil(2)),
        b_w.saturating_sub(over.div_ceil(2)),
    );
    let cell = |s: &str, width: usize| {
        let s = crate::plain::ellipsize(s, width.max(1));
        let pad = width.saturating_sub(s.width());
        format!("{s}{}", " ".repeat(pad))
    };
    let mut lines = vec![Line::from(vec![
        Span::raw(format!("  {} ", cell("", label_w))),
        Span::styled(cell(&format!("A {}", c.left), a_w), t.heading),
        Span::styled(cell(&format!("B {}", c.right), b_w), t.heading),
    ])];
    let style_of = |better: Option<bool>, differs: bool| -> Style {
        match better {
            Some(true) => t.right,
            Some(false) => t.wrong,
            None if differs => t.accent,
            None => t.base,
        }
    };
    for ((label, a, b), &(differs, a_better, b_better)) in rows.iter().zip(&judged) {
        lines.push(Line::from(vec![
            Span::styled(if differs { "≠ " } else { "  " }, t.accent),
            Span::styled(
                format!("{} ", cell(label, label_w)),
                if differs { t.label } else { t.dim },
            ),
            Span::styled(
                cell(&shown(a, a_better, mark), a_w),
                style_of(a_better, differs),
            ),
            Span::styled(
                cell(&shown(b, b_better, mark), b_w),
                style_of(b_better, differs),
            ),
        ]));
    }
    let rows_room = inner.height as usize;
    if lines.len() > rows_room && rows_room > 0 {
        let left_out = lines.len() - (rows_room - 1);
        lines.truncate(rows_room - 1);
        lines.push(Line::styled(format!(" +{left_out} more…"), t.dim));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: &str, num: f64, better: Better) -> Measure {
        m("x", value, Some(num), better)
    }

    #[test]
    fn the_better_value_is_told_from_the_worse_only_where_they_differ() {
        let (lo, hi) = (row("1", 1.0, Better::Lower), row("3", 3.0, Better::Lower));
        assert_eq!(judge(Some(&lo), Some(&hi)), (true, Some(true), Some(false)));
        assert_eq!(judge(Some(&hi), Some(&lo)), (true, Some(false), Some(true)));
        assert_eq!(judge(Some(&lo), Some(&lo)), (false, None, None));
        let (a, b) = (row("1", 1.0, Better::Higher), row("3", 3.0, Better::Higher));
        assert_eq!(judge(Some(&a), Some(&b)), (true, Some(false), Some(true)));
        let (a, b) = (
            row("n1", 1.0, Better::Neither),
            row("n2", 1.0, Better::Neither),
        );
        assert_eq!(judge(Some(&a), Some(&b)), (true, None, None));
        assert_eq!(judge(Some(&a), None), (true, None, None));
    }

    #[test]
    fn a_row_only_one_run_has_comes_after_the_row_before_it() {
        // A fourth shard's row goes after the third's, not after the last row.
        let a = vec![
            m("q1", 1, Some(1.0), Better::Lower),
            m("q2", 2, None, Better::Lower),
            m("misrouted", 0, None, Better::Lower),
        ];
        let b = vec![
            m("q0", 9, None, Better::Lower),
            m("q1", 4, None, Better::Lower),
            m("q2", 2, None, Better::Lower),
            m("q3", 3, None, Better::Lower),
            m("misrouted", 0, None, Better::Lower),
        ];
        let rows = paired(a, b);
        let labels: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(labels, ["q0", "q1", "q2", "q3", "misrouted"]);
        assert!(rows[0].1.is_none() && rows[3].1.is_none());
        assert_eq!(rows[1].2.as_ref().unwrap().value, "4");
        assert!(rows.iter().all(|r| r.2.is_some()));
    }
}
