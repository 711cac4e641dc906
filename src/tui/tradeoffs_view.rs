//! The Trade-offs view: one outcome of a sweep drawn against its first varied parameter,
//! one curve per value of the others, with the numbers, the caption and each claim judged
//! on the run; a progress line while the trials run.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, LineGauge, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::app::App;
use super::styled_doc;
use super::theme::Theme;
use super::tradeoffs::{Run, TradeOffs};
use crate::headless::sweep::{self, Row, meaning, shown_value};
use crate::sim::sweep::OUTCOMES;

/// One curve: its name (the other varied parameters' values) and its points.
pub struct Curve {
    pub name: String,
    /// (x, value) for each row of the curve that measured the outcome.
    pub points: Vec<(f64, f64)>,
}

/// The curves of `outcome` over `rows`, and the x values with their labels. The x of a row
/// is its first varied parameter's value where every value is a number, its position
/// otherwise.
pub fn curves(rows: &[Row], outcome: &str) -> (Vec<Curve>, Vec<(f64, String)>) {
    let mut xs: Vec<String> = Vec::new();
    for r in rows {
        if let Some((_, v)) = r.at.first()
            && !xs.contains(v)
        {
            xs.push(v.clone());
        }
    }
    let numeric = xs
        .iter()
        .all(|x| x.parse::<f64>().is_ok_and(f64::is_finite));
    let x_of = |v: &str| match numeric {
        true => v.parse::<f64>().unwrap_or(0.0),
        false => xs.iter().position(|x| x == v).unwrap_or(0) as f64,
    };
    let mut curves: Vec<Curve> = Vec::new();
    for r in rows {
        let Some((_, first)) = r.at.first() else {
            continue;
        };
        let rest: Vec<String> = r.at[1..].iter().map(|(k, v)| format!("{k}={v}")).collect();
        let name = if rest.is_empty() {
            outcome.to_owned()
        } else {
            rest.join(" ")
        };
        let value = sweep::outcomes(r)
            .into_iter()
            .find(|c| c.name == outcome)
            .and_then(|c| c.value);
        let at = match curves.iter().position(|c| c.name == name) {
            Some(i) => i,
            None => {
                curves.push(Curve {
                    name,
                    points: Vec::new(),
                });
                curves.len() - 1
            }
        };
        if let Some(v) = value {
            curves[at].points.push((x_of(first), v));
        }
    }
    let labels = xs.iter().map(|x| (x_of(x), x.clone())).collect();
    (curves, labels)
}

/// The view, in the Lab tab's area.
pub fn render(app: &App, t_off: &TradeOffs, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let sw = t_off.sweep(&app.lesson);
    let n = app.lesson.sweeps.len();
    let width = area.width.max(20) as usize;
    let caption = crate::plain::wrap_lines(&sw.caption, width.saturating_sub(2), "", "");
    let caption_h = (caption.len() as u16).min(if area.height < 30 { 3 } else { 5 });
    let [title, caption_row, status, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(caption_h),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let head = format!(
        " Trade-offs {}/{n} · {} · {}",
        t_off.index + 1,
        sw.id,
        sw.title
    );
    frame.render_widget(
        Line::styled(crate::plain::ellipsize(&head, width), t.title),
        title,
    );
    let mut caption = caption;
    crate::plain::clip_lines(&mut caption, caption_h as usize, width.saturating_sub(2));
    let caption: Vec<Line> = caption
        .into_iter()
        .map(|l| styled_doc::marked(Line::styled(l, t.base), t.dim))
        .collect();
    frame.render_widget(Paragraph::new(caption), caption_row);
    draw_status(app, t_off, frame, status, t);
    match &t_off.run {
        Run::Done { rows, judged } => draw_result(app, t_off, rows, judged, frame, body),
        Run::Failed(e) => frame.render_widget(
            Paragraph::new(
                crate::plain::wrap_lines(&format!("The sweep could not run: {e}"), width, "", "")
                    .into_iter()
                    .map(|l| Line::styled(l, t.wrong))
                    .collect::<Vec<_>>(),
            ),
            body,
        ),
        Run::Running { .. } | Run::Cancelled { .. } => {}
    }
}

/// The line under the caption: progress while running, what was run once done.
fn draw_status(app: &App, t_off: &TradeOffs, frame: &mut Frame, area: Rect, t: &Theme) {
    let (done, total) = t_off.progress();
    let keys = crate::tui::glyphs::key_names(
        "←/→ sweep · ↑/↓ outcome · n new seeds · Esc close",
        app.display.ascii,
    );
    match &t_off.run {
        Run::Running { .. } => {
            let ratio = if total == 0 {
                0.0
            } else {
                done as f64 / total as f64
            };
            let label = format!(
                "running {done} of {total} trials on {} cores · Esc cancels ",
                crate::headless::trials::default_jobs()
            );
            let gauge = LineGauge::default()
                .ratio(ratio.clamp(0.0, 1.0))
                .label(Span::styled(label, t.label))
                .filled_style(t.accent)
                .unfilled_style(t.dim);
            frame.render_widget(gauge, area);
        }
        _ if t_off.note.is_some() => {
            let text = t_off.note.clone().unwrap_or_default();
            frame.render_widget(
                Line::styled(
                    crate::plain::ellipsize(&text, area.width as usize),
                    t.message,
                ),
                area,
            );
        }
        Run::Cancelled { done, total } => {
            let text = format!(
                "cancelled after {done} of {total} trials, so nothing is drawn · n runs the \
                 same seeds again · Esc closes"
            );
            frame.render_widget(
                Line::styled(crate::plain::ellipsize(&text, area.width as usize), t.warn),
                area,
            );
        }
        Run::Done { rows, .. } => {
            let per = rows.first().map_or(0, |r| r.trials.outcomes.len());
            let text = format!(
                "{total} runs: {} rows × {per} seeds from seed {} · {keys}",
                rows.len(),
                t_off.seed
            );
            frame.render_widget(
                Line::styled(crate::plain::ellipsize(&text, area.width as usize), t.dim),
                area,
            );
        }
        Run::Failed(_) => {}
    }
}

/// The series' styles, in order; each also has its own mark (see [`series_marker`]),
/// which the legend shows, so no meaning rests on colour alone.
fn series_style(t: &Theme, i: usize) -> Style {
    [t.accent, t.warn, t.right, t.wrong, t.label, t.title][i % 6]
}

/// The series' marks: dotted, solid and half-height lines.
fn series_marker(i: usize) -> (Marker, &'static str) {
    [(Marker::Dot, "•"), (Marker::Block, "█"), (Marker::Bar, "▄")][i % 3]
}

/// A short name for an outcome, for the chart's title.
fn outcome_label(outcome: &str) -> &'static str {
    match outcome {
        "loss_seeds" => "Seeds that lost an acknowledged write",
        "lost_per_run" => "Acknowledged writes lost per run",
        "availability" => "Writes acknowledged (availability)",
        "mean_ack_ms" => "Mean write latency, ms",
        "p99_ack_ms" => "99th-percentile write latency, ms",
        "false_suspicions_per_run" => "False suspicions per run",
        "p50_detection_ms" => "Median time to detect a crash, ms",
        "duplicate_charges_per_run" => "Duplicate charges per run",
        _ => "",
    }
}

/// The x values that get a label. Ratatui draws the first label at the left edge, the
/// last at the right, and a middle one of three at the centre, but four or more at places
/// that are not their share of the axis: so the lowest, the middle and the highest (each
/// exactly where its value is), or only the ends where three do not fit in `width`.
fn x_ticks(labels: &[(f64, String)], lo: f64, hi: f64, width: u16) -> Vec<f64> {
    let longest = labels.iter().map(|l| l.1.width()).max().unwrap_or(1) + 2;
    if 3 * longest <= width as usize {
        vec![lo, (lo + hi) / 2.0, hi]
    } else {
        vec![lo, hi]
    }
}

fn draw_result(
    app: &App,
    t_off: &TradeOffs,
    rows: &[Row],
    judged: &[sweep::Judged],
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let outcome = OUTCOMES[t_off.outcome.min(OUTCOMES.len() - 1)];
    let (curves, labels) = curves(rows, outcome);
    let [chart_area, side] = if area.width >= 100 {
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area)
    } else if area.width >= 76 {
        // A short chart says little: beside the numbers, it keeps its height.
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
    } else {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        [a, b]
    };
    draw_chart(t, outcome, &curves, &labels, rows, frame, chart_area);
    draw_numbers_and_claims(t, t_off, outcome, &curves, &labels, judged, frame, side);
}

fn draw_chart(
    t: &Theme,
    outcome: &str,
    curves: &[Curve],
    labels: &[(f64, String)],
    rows: &[Row],
    frame: &mut Frame,
    area: Rect,
) {
    let first_key = rows
        .first()
        .and_then(|r| r.at.first())
        .map_or(String::new(), |(k, _)| k.clone());
    let (x_lo, x_hi) = labels
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (x, _)| {
            (lo.min(*x), hi.max(*x))
        });
    let (x_lo, x_hi) = if x_lo < x_hi {
        (x_lo, x_hi)
    } else {
        (x_lo.min(0.0), x_lo.max(0.0) + 1.0)
    };
    let y_max = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    let share = matches!(outcome, "loss_seeds" | "availability");
    let y_hi = if share {
        1.0
    } else if y_max > 0.0 {
        y_max * 1.1
    } else {
        1.0
    };
    let datasets: Vec<Dataset> = curves
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Dataset::default()
                .marker(series_marker(i).0)
                .graph_type(GraphType::Line)
                .style(series_style(t, i))
                .data(&c.points)
        })
        .collect();
    let y_label = |v: f64| {
        if share {
            format!("{:.0}%", v * 100.0)
        } else {
            tick(v)
        }
    };
    // Ratatui spreads axis labels evenly, so each label must be the value at its place: on
    // a numeric axis, evenly spaced values from the lowest to the highest; on a named one
    // (points at their positions), every name.
    let numeric = labels.iter().any(|(x, _)| *x != 0.0)
        && labels.iter().enumerate().any(|(i, (x, _))| *x != i as f64);
    let x_labels: Vec<Line> = if numeric {
        (x_ticks(labels, x_lo, x_hi, area.width.saturating_sub(8)).into_iter())
            .map(|x| Line::raw(tick(x)))
            .collect()
    } else {
        labels.iter().map(|(_, l)| Line::raw(l.clone())).collect()
    };
    let room = (area.width as usize).saturating_sub(2);
    let title = format!(" {} ({outcome}) ", outcome_label(outcome));
    let title = if title.width() > room {
        format!(" {} ", outcome_label(outcome))
    } else {
        title
    };
    // The legend, one line under the title, outside the plot (a legend box inside it
    // would hide a curve): each curve's mark and name in its style.
    // Curves that differ in one parameter name it once: `mode: • async  █ sync`.
    let mut legend = vec![Span::raw(" ")];
    if curves.len() > 1 {
        let key = one_key(curves);
        if let Some(k) = &key {
            legend.push(Span::styled(format!("{k}: "), t.dim));
        }
        for (i, c) in curves.iter().enumerate() {
            let name = match &key {
                Some(_) => c.name.split_once('=').map_or(c.name.as_str(), |(_, v)| v),
                None => c.name.as_str(),
            };
            legend.push(Span::styled(
                format!("{} {name}  ", series_marker(i).1),
                series_style(t, i),
            ));
        }
    }
    let block = Block::bordered()
        .border_style(t.border)
        .title(Line::styled(
            crate::plain::ellipsize(&title, room),
            t.heading,
        ))
        .title_bottom(Line::styled(
            crate::plain::ellipsize(&format!(" {} ", meaning(outcome)), room),
            t.dim,
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [legend_row, plot] = Layout::vertical([
        Constraint::Length(u16::from(curves.len() > 1)),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(
        super::lab_view::fitted(Line::from(legend), legend_row.width as usize),
        legend_row,
    );
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .title(Span::styled(first_key, t.label))
                .style(t.dim)
                .bounds([x_lo, x_hi])
                .labels(x_labels),
        )
        .y_axis(
            Axis::default()
                .style(t.dim)
                .bounds([0.0, y_hi])
                .labels(vec![
                    Line::raw(y_label(0.0)),
                    Line::raw(y_label(y_hi / 2.0)),
                    Line::raw(y_label(y_hi)),
                ]),
        )
        .legend_position(None);
    frame.render_widget(chart, plot);
}

/// An axis value, short: `0.25`, `12.5`, `900`.
fn tick(v: f64) -> String {
    let s = if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The one parameter the curves differ in, when each is named `key=value` by the same key.
fn one_key(curves: &[Curve]) -> Option<String> {
    curves
        .iter()
        .map(|c| c.name.split_once('=').map(|(k, _)| k.to_owned()))
        .collect::<Option<Vec<_>>>()
        .filter(|keys| {
            keys.windows(2).all(|w| w[0] == w[1])
                && curves.first().is_some_and(|c| !c.name.contains(' '))
        })
        .and_then(|keys| keys.into_iter().next())
}

#[allow(clippy::too_many_arguments)]
fn draw_numbers_and_claims(
    t: &Theme,
    t_off: &TradeOffs,
    outcome: &str,
    curves: &[Curve],
    labels: &[(f64, String)],
    judged: &[sweep::Judged],
    frame: &mut Frame,
    area: Rect,
) {
    let title = if area.width >= 40 {
        " The numbers, and the sweep's claims "
    } else {
        " Numbers and claims "
    };
    let block = Block::bordered()
        .border_style(t.border)
        .title(Line::styled(title, t.heading));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    // One column per curve, the x values down the side. Where the curves differ in one
    // parameter, a column is headed by its value and a line above names the parameter.
    let one_key = one_key(curves);
    let head_of = |c: &Curve| match &one_key {
        Some(_) => c
            .name
            .split_once('=')
            .map_or(c.name.clone(), |(_, v)| v.to_owned()),
        None => c.name.clone(),
    };
    let x_w = labels.iter().map(|l| l.1.width()).max().unwrap_or(1).max(4) + 1;
    let room = w.saturating_sub(x_w) / curves.len().max(1);
    let col_w = curves
        .iter()
        .map(|c| head_of(c).width())
        .max()
        .unwrap_or(6)
        .max(7)
        .saturating_add(1)
        .min(room.max(4));
    let cell = |s: &str, width: usize| {
        let s = crate::plain::ellipsize(s, width.saturating_sub(1).max(1));
        format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
    };
    if let Some(key) = &one_key {
        lines.push(Line::from(vec![
            Span::styled(cell("", x_w), t.dim),
            Span::styled(format!("{key}:"), t.dim),
        ]));
    }
    let mut head = vec![Span::styled(cell("", x_w), t.dim)];
    for (i, c) in curves.iter().enumerate() {
        head.push(Span::styled(cell(&head_of(c), col_w), series_style(t, i)));
    }
    lines.push(super::lab_view::fitted(Line::from(head), w));
    for (x, label) in labels {
        let mut row = vec![Span::styled(cell(label, x_w), t.label)];
        for c in curves {
            let v = c.points.iter().find(|p| p.0 == *x).map(|p| p.1);
            row.push(Span::styled(cell(&shown_value(outcome, v), col_w), t.base));
        }
        lines.push(super::lab_view::fitted(Line::from(row), w));
    }
    lines.push(Line::raw(""));
    let sw_claims = judged.len();
    for j in judged {
        let (mark, style) = if j.holds {
            ("✓ ", t.right)
        } else {
            ("✗ ", t.wrong)
        };
        for (k, l) in crate::plain::wrap_lines(&j.detail, w.saturating_sub(2).max(10), "", "")
            .into_iter()
            .enumerate()
        {
            let lead = if k == 0 { mark } else { "  " };
            lines.push(Line::from(vec![
                Span::styled(lead, style),
                Span::styled(l, t.base),
            ]));
        }
    }
    if sw_claims == 0 {
        lines.push(Line::styled("This sweep makes no claims.", t.dim));
    }
    let rows = inner.height as usize;
    // The table's heading rows stay; what is under them scrolls.
    let head = usize::from(one_key.is_some()) + 1;
    if lines.len() > rows && rows > head + 1 {
        let body: Vec<Line<'static>> = lines.split_off(head);
        let room = rows - head - 1;
        // Scrolled as far as asked, never past the last screenful; the last row says what
        // is left and how to see it.
        let last_top = body.len().saturating_sub(room);
        t_off.scroll_max.set(last_top);
        let top = t_off.scroll.min(last_top);
        let below = body.len() - top - room.min(body.len() - top);
        lines.extend(body.into_iter().skip(top).take(room));
        let more = match (top > 0, below > 0) {
            (_, true) => format!(" +{below} more lines · PgDn/Space: more"),
            (true, false) => " end · PgUp: back".to_owned(),
            (false, false) => String::new(),
        };
        lines.push(Line::styled(more, t.dim));
    } else {
        t_off.scroll_max.set(0);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
