//! Output of `distlab sim`: the summary (text or JSON), events as JSON, Jepsen history
//! lines, and the progress bar.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use crate::sim::narrate::narrate;
use crate::sim::{ClientOp, Event, EventKind, Metrics, Msg, OpType, key_name};

/// The numbers printed at the end of a run or of many trials.
pub struct Summary<'a> {
    pub scenario: &'a str,
    pub trials: u64,
    pub seed: u64,
    pub events: u64,
    pub wall_ms: f64,
    pub metrics: &'a Metrics,
}

impl Summary<'_> {
    fn events_per_sec(&self) -> f64 {
        if self.wall_ms > 0.0 {
            self.events as f64 / (self.wall_ms / 1000.0)
        } else {
            0.0
        }
    }

    /// Every summary key, in print order.
    pub fn fields(&self) -> Vec<(String, Value)> {
        let mut v: Vec<(String, Value)> = vec![
            ("scenario".into(), json!(self.scenario)),
            ("trials".into(), json!(self.trials)),
            ("seed".into(), json!(self.seed)),
            ("events".into(), json!(self.events)),
            (
                "wall_ms".into(),
                json!((self.wall_ms * 100.0).round() / 100.0),
            ),
            (
                "events_per_sec".into(),
                json!(self.events_per_sec().round()),
            ),
        ];
        for (k, x) in self.metrics.values() {
            let val = if k == "divergence" {
                json!(x != 0.0)
            } else if x.fract() == 0.0 {
                json!(x as u64)
            } else {
                json!((x * 100.0).round() / 100.0)
            };
            v.push((k, val));
        }
        v
    }

    /// One line of JSON.
    pub fn json(&self) -> String {
        let mut map = Map::new();
        map.insert("type".into(), json!("summary"));
        for (k, v) in self.fields() {
            map.insert(k, v);
        }
        Value::Object(map).to_string()
    }

    /// For a person: one `key: value` per line and a histogram of ack latency.
    pub fn write_text(&self, w: &mut dyn Write) -> io::Result<()> {
        writeln!(w, "\nsummary")?;
        let crashes_detected = self.metrics.detection_latency.count();
        for (k, v) in self.fields() {
            let v = match v {
                Value::String(s) => s,
                // With nothing detected there is no latency to report, not a latency of 0.
                _ if k == "p50_detection_ms" && crashes_detected == 0 => {
                    "none (no crash was detected)".into()
                }
                other => other.to_string(),
            };
            writeln!(w, "  {k:<28} {v}")?;
        }
        let h = &self.metrics.ack_latency;
        if h.count() > 0 {
            let unknown = self.metrics.writes_unknown;
            let beside = if unknown > 0 {
                let (are, their) = if unknown == 1 {
                    ("it is", "its")
                } else {
                    ("they are", "their")
                };
                format!(
                    "; {unknown} more timed out with no answer, so {are} not in these \
                     percentiles ({their} latency is at least client_timeout_ms)"
                )
            } else {
                String::new()
            };
            writeln!(
                w,
                "\nack latency (client invoke → ok), {} acknowledged writes{beside}",
                h.count()
            )?;
            let buckets = h.buckets();
            // Merge into at most 12 rows.
            let per = buckets.len().div_ceil(12).max(1);
            let rows: Vec<(u64, u64, u64)> = buckets
                .chunks(per)
                .map(|c| (c[0].0, c[c.len() - 1].1, c.iter().map(|b| b.2).sum()))
                .collect();
            let max = rows.iter().map(|r| r.2).max().unwrap_or(1).max(1);
            for (lo, hi, c) in rows {
                let bar = "#".repeat(((c * 40).div_ceil(max)) as usize);
                let (lo, hi) = (crate::sim::time::ms_f64(lo), crate::sim::time::ms_f64(hi));
                writeln!(w, "  {lo:>9.1}–{hi:<9.1} ms {bar} {c}")?;
            }
        }
        Ok(())
    }
}

/// Whether a person wants to read this event: sends and heartbeat deliveries are left out
/// (the JSON output has every event).
pub fn worth_narrating(e: &Event) -> bool {
    match &e.kind {
        EventKind::Sent(_) => false,
        EventKind::Delivered(p) => !matches!(
            p.msg,
            Msg::Heartbeat { .. }
                | Msg::ShardCopy { .. }
                | Msg::Request { .. }
                | Msg::Response { .. }
        ),
        EventKind::Dropped(p, _) => !matches!(p.msg, Msg::Request { .. } | Msg::Response { .. }),
        _ => true,
    }
}

/// One event as a JSON object; `index` is its place in the trace (what `--explain` calls
/// its event id).
pub fn event_json(names: &[String], index: usize, e: &Event) -> String {
    let name = |id: u8| names.get(id as usize).cloned().unwrap_or_default();
    let mut m = Map::new();
    m.insert("event".into(), json!(index));
    m.insert("t_us".into(), json!(e.t_us));
    let kind = match &e.kind {
        EventKind::Sent(_) => "sent",
        EventKind::Delivered(_) => "delivered",
        EventKind::Dropped(..) => "dropped",
        EventKind::Command { .. } => "command",
        EventKind::CommandFailed { .. } => "command_failed",
        EventKind::Resumed(_) => "resumed",
        EventKind::Client(_) => "client",
        EventKind::Suspect { .. } => "suspect",
        EventKind::Trust { .. } => "trust",
        EventKind::Failover { .. } => "failover",
        EventKind::SteppedDown { .. } => "stepped_down",
        EventKind::MemoryLost { .. } => "memory_lost",
        EventKind::WriteLost { .. } => "write_lost",
        EventKind::LateAck { .. } => "late_ack",
        EventKind::WriteDiscarded { .. } => "write_discarded",
        EventKind::Conflict { .. } => "conflict",
        EventKind::StaleRead { .. } => "stale_read",
        EventKind::Order { .. } => "order",
        EventKind::Shed { .. } => "shed",
        EventKind::ShardLoad { .. } => "shard_load",
    };
    m.insert("type".into(), json!(kind));
    match &e.kind {
        EventKind::Sent(p) | EventKind::Delivered(p) | EventKind::Dropped(p, _) => {
            m.insert("id".into(), json!(p.id));
            m.insert("from".into(), json!(name(p.from)));
            m.insert("to".into(), json!(name(p.to)));
            m.insert("msg".into(), json!(p.msg.to_string()));
            m.insert("sent_us".into(), json!(p.sent_us));
            m.insert("deliver_us".into(), json!(p.deliver_us));
            if let EventKind::Dropped(_, c) = &e.kind {
                m.insert("cause".into(), json!(c.describe()));
            }
        }
        EventKind::Client(op) => {
            m.insert("client".into(), json!(name(op.client)));
            m.insert("op".into(), json!(op_type(op.op_type)));
            m.insert("f".into(), json!(if op.write { "write" } else { "read" }));
            m.insert("key".into(), json!(key_name(op.key)));
            m.insert("value".into(), json!(op.value));
        }
        _ => {}
    }
    m.insert("text".into(), json!(narrate(names, e)));
    Value::Object(m).to_string()
}

fn op_type(t: OpType) -> &'static str {
    match t {
        OpType::Invoke => "invoke",
        OpType::Ok => "ok",
        OpType::Fail => "fail",
        OpType::Info => "info",
    }
}

/// A Jepsen-style history line:
/// `{"type":..,"f":..,"process":N,"node":"c1","key":..,"value":..,"time":NANOS}`, where
/// `node` names the client that ran the operation (`process` is the checker's id for it,
/// fresh after each `info`).
pub fn history_line(t_us: u64, op: &ClientOp, node: &str) -> String {
    json!({
        "type": op_type(op.op_type),
        "f": if op.write { "write" } else { "read" },
        "process": op.process,
        "node": node,
        "key": key_name(op.key),
        "value": op.value,
        "time": t_us.saturating_mul(1000),
    })
    .to_string()
}

/// `[#####.....] 512/10000 trials` on stderr, redrawn in place.
pub fn progress(done: u64, total: u64) {
    let width = 30;
    let filled = (done * width / total.max(1)) as usize;
    let bar = format!(
        "{}{}",
        "#".repeat(filled),
        ".".repeat(width as usize - filled)
    );
    let _ = write!(io::stderr(), "\r[{bar}] {done}/{total} trials");
}
