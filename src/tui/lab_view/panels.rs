//! The lab's text panels: the status header, per-node state, metrics with replication-lag
//! sparklines, the narrated log, and the checkout trace. Every number comes from the sim.

use crate::tui::lab::record::StampView;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::sim::time::{ms_f64, secs, whole_secs};
use crate::sim::{Kind, Sim, Status, key_name};
use crate::tui::lab::Lab;
use crate::tui::lab::record::Tone;
use crate::tui::theme::Theme;

/// Speed as the learner reads it: ×0.25, ×1, ×10.
pub fn speed_label(f: f64) -> String {
    if f >= 1.0 {
        format!("×{f:.0}")
    } else {
        format!("×{f}")
    }
}

/// The status line: scenario, seed, time, run state, speed and the knobs in force.
pub fn header(lab: &Lab, t: &Theme) -> Line<'static> {
    let sim = &lab.sim;
    let state = if lab.finished() {
        Span::styled("■ ended ", t.warn)
    } else if lab.running {
        Span::styled("▶ running ", t.right)
    } else {
        Span::styled("‖ paused ", t.warn)
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", lab.scenario().id), t.title),
        Span::styled(format!("seed {} ", lab.seed()), t.accent),
        Span::styled(
            format!(
                "t={}/{}s ",
                secs(sim.now_us() as i64),
                whole_secs(lab.end_us())
            ),
            t.label,
        ),
        state,
        Span::styled(format!("{} ", speed_label(lab.speed_factor())), t.accent),
    ];
    spans.extend(knobs(lab, t, None));
    Line::from(spans)
}

/// The settings the learner turns (drop, mode, timestamps, fencing, acks), for the status
/// line; `except` leaves out the one a comparison holds apart (it names that itself).
pub fn knobs(lab: &Lab, t: &Theme, except: Option<&str>) -> Vec<Span<'static>> {
    let p = lab.sim.params();
    let shown = |key: &str| except != Some(key);
    let mut texts = Vec::new();
    if shown("drop") {
        texts.push(format!("drop {:.0}%", p.drop * 100.0));
    }
    if lab.replicated() {
        if shown("mode") {
            texts.push(p.mode.to_string());
        }
        // Timestamps order writes only where several coordinators write.
        if p.writers > 1 && shown("timestamps") {
            texts.push(format!("{} ts", p.timestamps));
        }
        if p.fencing && p.writers == 1 && p.heartbeat_ms > 0 && shown("fencing") {
            texts.push("fencing".to_owned());
        }
        if p.fsync_every_ms > 0 && shown("ack_after") {
            let acks = match p.ack_after {
                crate::sim::AckAfter::Receive => "in memory",
                crate::sim::AckAfter::Fsync => "on disk",
            };
            texts.push(format!("acks {acks}"));
        }
    }
    (texts.into_iter().enumerate())
        .map(|(i, k)| {
            Span::styled(
                if i == 0 {
                    format!("· {k}")
                } else {
                    format!(" · {k}")
                },
                t.base,
            )
        })
        .collect()
}

/// `spans` with the padding after its first span (a key's column) narrowed, down to one
/// space, as far as the line needs to fit in `width` columns.
fn unpad(mut spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(|s| s.content.width()).sum();
    if let Some(key) = spans.first_mut()
        && total > width
    {
        let text = key.content.trim_end();
        let pad = key.content.width() - text.width();
        let keep = pad.saturating_sub(total - width).max(1);
        key.content = format!("{text}{}", " ".repeat(keep)).into();
    }
    spans
}

/// `line` fitted to `width` columns (see [`fit`]).
pub fn fitted(line: Line<'static>, width: usize) -> Line<'static> {
    fit(line.spans, width)
}

/// The spans of a line that fit in `width` columns whole, in order; when some do not, the
/// line ends in `…` instead. A value is never cut in the middle (`clock 1` for `12.000s`).
fn fit(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let total: usize = spans.iter().map(|s| s.content.width()).sum();
    if total <= width {
        return Line::from(spans);
    }
    let mut used = 0;
    let mut kept: Vec<Span<'static>> = Vec::new();
    for s in spans {
        let w = s.content.width();
        if used + w > width {
            break;
        }
        used += w;
        kept.push(s);
    }
    // Room for the `…`: the padding at the end of the last span kept, or that span.
    while used + 1 > width {
        let Some(last) = kept.last_mut() else { break };
        let trimmed = last.content.trim_end().to_owned();
        if trimmed.len() < last.content.len() {
            used -= last.content.width() - trimmed.width();
            last.content = trimmed.into();
            // Keep one space before the `…`.
            if used + 2 <= width {
                last.content.to_mut().push(' ');
                used += 1;
            }
        } else {
            used -= last.content.width();
            kept.pop();
        }
    }
    kept.push(Span::raw("…"));
    Line::from(kept)
}

/// One or two lines per node, fitted to `width` columns: status, clocks, Lamport, stored
/// values, who suspects it.
pub fn nodes(lab: &Lab, t: &Theme, compact: bool, width: usize) -> Vec<Line<'static>> {
    let sim = &lab.sim;
    let mut out = Vec::new();
    // Labels are padded to the longest, so what follows them lines up.
    let label_width = sim
        .nodes()
        .iter()
        .map(|n| n.label().width())
        .max()
        .unwrap_or(0);
    for (i, n) in sim.nodes().iter().enumerate() {
        let mark = if i == lab.selected { "▸" } else { " " };
        let (symbol, style) = match n.status {
            Status::Up => ("●", t.right),
            Status::Crashed => ("✖", t.wrong),
            Status::Paused { .. } => ("‖", t.warn),
        };
        let name_style = if i == lab.selected {
            t.selected
        } else {
            t.label
        };
        let badge = n.badge().map(|b| format!(" [{b}]")).unwrap_or_default();
        let pad = label_width.saturating_sub(n.name.width() + badge.width());
        let badge_style = if n.is_up() { t.dim } else { style };
        let mut first = vec![
            Span::raw(mark),
            Span::styled(format!("{symbol} "), style),
            Span::styled(n.name.clone(), name_style),
            Span::styled(format!("{badge}{:pad$}", ""), badge_style),
        ];
        let suspects: Vec<&str> = sim
            .suspected_by(i as u8)
            .iter()
            .map(|&m| sim.node_name(m))
            .collect();
        if !suspects.is_empty() {
            first.push(Span::styled(
                format!(" ↯ suspected by {}", suspects.join(", ")),
                t.warn,
            ));
        }
        if compact {
            // One line per node: keep what the learner changed (the clock) in sight.
            if let Some(off) = offset_text(n.clock.offset_us(sim.now_us())) {
                first.push(Span::styled(format!(" skew {off}"), t.warn));
            }
            out.push(fit(first, width));
            continue;
        }
        out.push(fit(first, width));
        let local = sim.local_us(i as u8);
        // The clock's real offset now: the skew set and the drift accumulated together.
        let skew = offset_text(n.clock.offset_us(sim.now_us()));
        let clock_style = if skew.is_some() || n.clock.drift_ppm != 0 {
            t.warn
        } else {
            t.dim
        };
        let values = stored(sim, i);
        // What the learner changes ([ and ]) comes first, so it survives a narrow panel.
        let mut offset = String::new();
        if let Some(skew) = skew {
            offset.push_str(&format!("skew {skew} · "));
        }
        if n.clock.drift_ppm != 0 {
            offset.push_str(&format!("drift {:+} ppm · ", n.clock.drift_ppm));
        }
        let mut second = vec![Span::raw("   "), Span::styled(offset, t.warn)];
        // One span per stored value, so a narrow panel drops whole values, never digits.
        second.extend(values.iter().map(|v| Span::styled(format!("{v} "), t.base)));
        if !values.is_empty() {
            second.push(Span::styled("· ", t.base));
        }
        second.push(Span::styled(format!("clock {}", secs(local)), clock_style));
        second.push(Span::styled(
            format!(" (true {})", secs(sim.now_us() as i64)),
            clock_style,
        ));
        second.push(Span::styled(format!(" L={}", n.lamport.0), t.dim));
        out.push(fit(second, width));
    }
    out
}

/// `x=10`, with simulated disks `x=12 (disk x=10)` where the disk is behind, and with
/// several writers each kept write's timestamp: `x=10 @2.728s`, `x=12 @L61`, or with
/// siblings `x=80 @[40,41] | 81 @[39,42]`.
fn stored(sim: &Sim, i: usize) -> Vec<String> {
    let writers = sim.params().writers as usize;
    let node = &sim.nodes()[i];
    (0..node.store.len() as u8)
        .filter_map(|k| {
            let v = node.store[k as usize]?;
            let name = key_name(k);
            if writers < 2 {
                // With simulated disks, what a crash would leave where it differs.
                let disk = (sim.params().fsync_every_ms > 0)
                    .then(|| node.disk[k as usize])
                    .filter(|d| d.map(|d| d.write) != Some(v.write));
                return Some(match disk {
                    None => format!("{name}={}", v.value),
                    Some(Some(d)) => format!("{name}={} (disk {name}={})", v.value, d.value),
                    Some(None) => format!("{name}={} (disk: none)", v.value),
                });
            }
            let kept: Vec<String> = node
                .kept(k)
                .map(|v| format!("{} {}", v.value, v.stamp_label(writers)))
                .collect();
            Some(format!("{name}={}", kept.join(" | ")))
        })
        .collect()
}

/// Eight-level bar for a sparkline.
fn bar(v: f64, max: f64) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if max <= 0.0 {
        return BARS[0];
    }
    BARS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize]
}

/// The metrics panel.
pub fn metrics(lab: &Lab, t: &Theme, width: usize) -> Vec<Line<'static>> {
    let sim = &lab.sim;
    let m = sim.metrics();
    let kv = |k: &str, v: String, style: Style| {
        Line::from(vec![
            Span::styled(format!("{k:<20} "), t.dim),
            Span::styled(v, style),
        ])
    };
    let bad = |n: u64| if n > 0 { t.wrong } else { t.base };
    let mut out = Vec::new();
    match sim.params().kind {
        Kind::Replication => {
            out.push(kv(
                "writes ok/unknown",
                format!(
                    "{}/{} of {}",
                    m.writes_acked, m.writes_unknown, m.writes_issued
                ),
                t.base,
            ));
            let lost = if m.acked_writes_lost > 0 {
                format!("✗ {}", m.acked_writes_lost)
            } else {
                "0".into()
            };
            out.push(kv("acked writes lost", lost, bad(m.acked_writes_lost)));
            if sim.params().writers > 1 {
                let discarded = m.concurrent_writes_discarded;
                let shown = if discarded > 0 {
                    format!("✗ {discarded}")
                } else {
                    "0".into()
                };
                out.push(kv("concurrent discarded", shown, bad(discarded)));
                out.push(kv("conflicts (siblings)", m.conflicts.to_string(), t.base));
            }
            out.push(kv(
                "stale reads",
                m.stale_reads.to_string(),
                bad(m.stale_reads),
            ));
            if sim.params().writers == 1 {
                out.push(primary_line(sim, t));
            }
            if sim.params().fsync_every_ms > 0 {
                let lost = m.unsynced_copies_lost;
                out.push(kv("copies lost (memory)", lost.to_string(), bad(lost)));
            }
            let ack = &m.ack_latency;
            let (p50, p99) = (ms_f64(ack.quantile_us(0.5)), ms_f64(ack.quantile_us(0.99)));
            // The percentiles cover the acknowledged writes only: say how many are missing.
            let unknown = m.writes_unknown;
            let mut line = kv("ack p50 / p99", format!("{p50:.0} / {p99:.0} ms"), t.base);
            if unknown > 0 {
                // Its own span: a narrow panel drops it whole (with a `…`), never a digit.
                line.spans
                    .push(Span::styled(format!(" · +{unknown} timed out"), t.base));
            }
            out.push(line);
            if m.divergence {
                out.push(kv("divergence", "✗ replicas disagree".into(), t.wrong));
            }
            lag_lines(lab, t, width, &mut out);
            out.push(kv(
                "false suspicions",
                format!("{} of {}", m.false_suspicions, m.suspicions),
                bad(m.false_suspicions),
            ));
        }
        Kind::Detector => {
            let correct = m.suspicions.saturating_sub(m.false_suspicions);
            out.push(kv("suspicions", m.suspicions.to_string(), t.base));
            out.push(kv(
                "false (node was up)",
                m.false_suspicions.to_string(),
                bad(m.false_suspicions),
            ));
            out.push(kv("correct (crashed)", correct.to_string(), t.base));
            let p50 = ms_f64(m.detection_latency.quantile_us(0.5));
            let detect = if m.detection_latency.count() == 0 {
                "no crash yet".to_owned()
            } else {
                format!("{p50:.0} ms")
            };
            out.push(kv("detection p50", detect, t.base));
            let suspected: Vec<&str> = (0..sim.nodes().len() as u8)
                .filter(|&n| !sim.suspected_by(n).is_empty())
                .map(|n| sim.node_name(n))
                .collect();
            let now = if suspected.is_empty() {
                "nobody".to_owned()
            } else {
                format!("↯ {}", suspected.join(", "))
            };
            out.push(kv(
                "suspected now",
                now,
                if suspected.is_empty() { t.base } else { t.warn },
            ));
        }
        Kind::Checkout => {
            out.push(kv("orders placed", m.orders_placed.to_string(), t.base));
            out.push(kv("confirmed", m.orders_confirmed.to_string(), t.right));
            out.push(kv("pending", sim.orders_pending().to_string(), t.base));
            out.push(kv(
                "failed",
                m.orders_failed.to_string(),
                bad(m.orders_failed),
            ));
            out.push(kv("retries", m.order_retries.to_string(), t.base));
            out.push(kv(
                "duplicate charges",
                m.duplicate_charges.to_string(),
                bad(m.duplicate_charges),
            ));
        }
        Kind::Sharding => {
            for (id, queue) in sim.shard_queues() {
                out.push(kv(
                    &format!("{} queue", sim.node_name(id)),
                    "▮".repeat(queue.min(width.saturating_sub(22))) + &format!(" {queue}"),
                    t.base,
                ));
            }
            for (k, v) in m
                .scenario_counters()
                .into_iter()
                .filter(|(k, _)| k.starts_with("shard_"))
            {
                out.push(kv(&k.replace("shard_", ""), format!("{v:.0}"), t.base));
            }
            out.push(kv("misrouted", m.misrouted.to_string(), bad(m.misrouted)));
        }
    }
    // Every row fitted: decoration goes first (the padding after a key), then a value
    // that still does not fit is dropped whole, and `…` says so.
    let inner = width.saturating_sub(2);
    out.into_iter()
        .map(|l| fit(unpad(l.spans, inner), inner))
        .collect()
}

/// Who acts as primary now: each running node that believes it is one. Two at once is
/// split brain, and the line says so.
fn primary_line(sim: &crate::sim::Sim, t: &Theme) -> Line<'static> {
    let acting: Vec<&str> = sim
        .nodes()
        .iter()
        .filter(|n| n.role == crate::sim::Role::Primary && !n.is_crashed())
        .map(|n| n.name.as_str())
        .collect();
    let (key, text, style) = match acting.len() {
        0 => ("primary now", "none serving".to_owned(), t.warn),
        1 => ("primary now", acting[0].to_owned(), t.base),
        n => {
            let (last, rest) = (acting[n - 1], acting[..n - 1].join(", "));
            ("split brain", format!("⚠ {rest} and {last}"), t.wrong)
        }
    };
    Line::from(vec![
        Span::styled(format!("{key:<20} "), t.dim),
        Span::styled(text, style),
    ])
}

fn lag_lines(lab: &Lab, t: &Theme, width: usize, out: &mut Vec<Line<'static>>) {
    let sim = &lab.sim;
    // Inside the border: "lag n3 ", the sparkline, then "1234 ms · 12 behind".
    let spark = width.saturating_sub(2 + 14 + 20).min(40);
    let replicas =
        || (sim.nodes().iter().enumerate()).filter(|(_, n)| n.role == crate::sim::Role::Replica);
    let name_width = replicas().map(|(_, n)| n.name.width()).max().unwrap_or(0);
    for (i, n) in replicas() {
        let (ms, behind) = sim.replication_lag(i as u8);
        let history = &lab.record.lag[i];
        let max = history.iter().copied().fold(1.0, f64::max);
        let line: String = history
            .iter()
            .rev()
            .take(spark)
            .rev()
            .map(|&v| bar(v, max))
            .collect();
        out.push(Line::from(vec![
            Span::styled(format!("lag {:<name_width$} ", n.name), t.dim),
            Span::styled(
                if spark > 2 {
                    format!("{line:<spark$} ")
                } else {
                    String::new()
                },
                t.accent,
            ),
            Span::styled(
                format!("{ms:.0} ms · {behind} behind"),
                if behind > 0 { t.warn } else { t.base },
            ),
        ]));
    }
}

fn tone(t: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Normal => t.base,
        Tone::Good => t.right,
        Tone::Bad => t.wrong,
        Tone::Warn => t.warn,
    }
}

/// The newest `rows` log lines, oldest first.
/// The newest entries of the event log that fit in `rows` lines of `width` columns, each
/// wrapped at words (continuation lines indented), the newest at the bottom. Only whole
/// entries are shown, unless the newest alone is taller than the panel.
pub fn log(lab: &Lab, t: &Theme, rows: usize, width: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    let writers = lab.sim.params().writers as usize;
    for l in lab.record.log.iter().rev() {
        let style = tone(t, l.tone);
        // With `o`, the stamp the message carried (a line about a message only).
        let stamp = (l.message.as_ref()).and_then(|m| Some((m, m.stamp(lab.stamps, writers)?)));
        let text = match stamp {
            Some((m, s)) => match lab.stamps {
                StampView::Wall => {
                    let by = lab.sim.node_name(m.from);
                    format!("{} · sent at {s}s by {by}'s clock", l.text)
                }
                StampView::Lamport => format!("{} · L={}", l.text, m.lamport),
                _ => format!("{} · stamp {s}", l.text),
            },
            None => l.text.clone(),
        };
        let wrapped = crate::plain::wrap_lines(&text, width.max(10), "", "  ");
        if out.len() + wrapped.len() > rows && !out.is_empty() {
            break;
        }
        out.extend(wrapped.into_iter().rev().map(|w| Line::styled(w, style)));
        if out.len() >= rows {
            break;
        }
    }
    out.truncate(rows);
    out.reverse();
    out
}

/// The checkout trace: each order as one request traced across the services.
pub fn trace(lab: &Lab, t: &Theme, rows: usize, width: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    for (order, spans) in lab.record.orders.iter().rev() {
        let mut parts = vec![Span::styled(format!("order {order:<3} "), t.label)];
        for (i, s) in spans.iter().enumerate() {
            if i > 0 {
                parts.push(Span::styled(" → ", t.dim));
            }
            parts.push(Span::styled(s.text.clone(), tone(t, s.tone)));
        }
        let mut lines = wrap_spans(parts, width, 10);
        lines.append(&mut out);
        out = lines;
        if out.len() >= rows {
            break;
        }
    }
    let extra = out.len().saturating_sub(rows);
    out.split_off(extra)
}

/// Breaks spans into lines of at most `width` columns at span boundaries, continuation
/// lines indented by `indent`.
fn wrap_spans(spans: Vec<Span<'static>>, width: usize, indent: usize) -> Vec<Line<'static>> {
    use unicode_width::UnicodeWidthStr;
    let mut lines = Vec::new();
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in spans {
        let w = span.content.width();
        if used + w > width && used > indent {
            lines.push(Line::from(std::mem::take(&mut line)));
            line.push(Span::raw(" ".repeat(indent)));
            used = indent;
        }
        used += w;
        line.push(span);
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
    lines
}

/// A clock's offset from true time as the panels show it, `+440 ms` or `-0.3 ms`; `None`
/// for a clock that reads true time.
pub(super) fn offset_text(offset_us: i64) -> Option<String> {
    match offset_us {
        0 => None,
        us if us.abs() < 10_000 => Some(format!("{:+.1} ms", us as f64 / 1000.0)),
        us => Some(format!("{:+} ms", (us as f64 / 1000.0).round() as i64)),
    }
}
