//! What the lab remembers of a run for drawing: a narrated log, finished message arrows for
//! the space-time diagram, recent drops, replication-lag history and per-order traces.
//! Every collection is bounded, so an hour of animation uses the same memory as a minute.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::headless::report::worth_narrating;
use crate::sim::{DropCause, Event, EventKind, Msg, NodeId, OrderNote, Packet, Sim};

/// Most log lines kept.
pub const LOG_MAX: usize = 300;
/// Most finished arrows kept for the space-time diagram.
pub const ARROWS_MAX: usize = 800;
/// Most drops kept for the ✗ markers.
pub const DROPS_MAX: usize = 64;
/// Lag samples kept per node (one per [`LAG_SAMPLE_US`]).
pub const LAG_SAMPLES: usize = 120;
pub const LAG_SAMPLE_US: u64 = 250_000;
/// Orders kept in the trace view.
pub const ORDERS_MAX: usize = 16;

/// How a log line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Good,
    Bad,
    Warn,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub t_us: u64,
    pub text: String,
    pub tone: Tone,
    /// The message the line is about (a delivery or a loss), for the stamps it carried.
    pub message: Option<Arrow>,
}

/// Which stamp the space-time diagram and the log print beside each message (`o`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StampView {
    #[default]
    Off,
    /// The sender's wall clock when it sent the message.
    Wall,
    /// The sender's Lamport clock, which every message carries.
    Lamport,
    /// The timestamp of the write a message carries (a version vector with `vector`).
    Write,
}

impl StampView {
    /// The next view; `writes` says whether the scenario's messages carry writes.
    pub fn next(self, writes: bool) -> StampView {
        match self {
            StampView::Off => StampView::Wall,
            StampView::Wall => StampView::Lamport,
            StampView::Lamport if writes => StampView::Write,
            StampView::Lamport | StampView::Write => StampView::Off,
        }
    }

    /// What it shows, in a few words.
    pub fn name(self, vector: bool) -> &'static str {
        match self {
            StampView::Off => "off",
            StampView::Wall => "sender's wall clock at send (s)",
            StampView::Lamport => "sender's Lamport clock",
            StampView::Write if vector => "the write's version vector",
            StampView::Write => "the write's timestamp",
        }
    }
}

/// A message from send to its end (delivery or loss), for the space-time diagram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrow {
    pub from: NodeId,
    pub to: NodeId,
    pub sent_us: u64,
    pub end_us: u64,
    /// When it would have arrived (equals `end_us` for a delivered message).
    pub planned_us: u64,
    pub dropped: Option<DropCause>,
    pub heartbeat: bool,
    /// What it carried.
    pub msg: Msg,
    /// Its sender's Lamport clock when it was sent.
    pub lamport: u64,
    /// Its sender's wall clock when it was sent, in whole ms.
    pub sent_local_ms: i32,
}

impl Arrow {
    fn of(p: &Packet, end_us: u64, dropped: Option<DropCause>) -> Arrow {
        Arrow {
            from: p.from,
            to: p.to,
            sent_us: p.sent_us,
            end_us,
            planned_us: p.deliver_us,
            dropped,
            heartbeat: matches!(p.msg, Msg::Heartbeat { .. }),
            msg: p.msg,
            lamport: p.lamport,
            sent_local_ms: p.sent_local_ms,
        }
    }

    /// The stamp `view` shows for this message, short: `0.336` (its sender's wall clock at
    /// send, in seconds), `L17` (its sender's Lamport clock), or the stamp of the write it
    /// carries (`[2,1]`, `@L61`, `@2.728s`, `#7`); `None` when it carries none of that kind.
    pub fn stamp(&self, view: StampView, writers: usize) -> Option<String> {
        match view {
            StampView::Off => None,
            StampView::Wall => Some(
                crate::sim::time::secs(i64::from(self.sent_local_ms) * 1000)
                    .trim_end_matches('s')
                    .to_owned(),
            ),
            StampView::Lamport => Some(format!("L{}", self.lamport)),
            StampView::Write => match self.msg {
                Msg::Replicate { version, .. }
                | Msg::Sync {
                    version: Some(version),
                    ..
                }
                | Msg::ReadOk {
                    version: Some(version),
                    ..
                } => {
                    let label = version.stamp_label(writers);
                    Some(label.strip_prefix('@').unwrap_or(&label).to_owned())
                }
                _ => None,
            },
        }
    }

    /// Which message it is: sender, receiver and send time (unique in a run).
    pub fn key(&self) -> (NodeId, NodeId, u64) {
        (self.from, self.to, self.sent_us)
    }

    /// How far along its link the message got (1.0 when delivered).
    pub fn reached(&self) -> f64 {
        let span = self.planned_us.saturating_sub(self.sent_us).max(1) as f64;
        (self.end_us.saturating_sub(self.sent_us) as f64 / span).clamp(0.0, 1.0)
    }
}

/// One call in an order's trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub t_us: u64,
    pub text: String,
    pub tone: Tone,
}

/// Everything recorded so far.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub log: VecDeque<LogLine>,
    pub arrows: VecDeque<Arrow>,
    pub drops: VecDeque<Arrow>,
    /// Per node: replication lag in ms, oldest first.
    pub lag: Vec<VecDeque<f64>>,
    next_lag_sample_us: u64,
    /// Per order: its spans in time order.
    pub orders: BTreeMap<u32, Vec<Span>>,
    /// The node names, for narration (they never change during a run).
    names: Vec<String>,
    /// Node pairs (lower id first) that have exchanged messages: the links to draw.
    pub links: BTreeSet<(NodeId, NodeId)>,
    /// While on, a copy of every event taken in, not yet compared (compare finds where
    /// two runs part with it).
    pub tap: Option<Vec<Event>>,
}

impl Record {
    /// A record for nodes named `names` that already knows which links the scenario uses.
    pub fn with_links(names: Vec<String>, links: BTreeSet<(NodeId, NodeId)>) -> Record {
        Record {
            lag: vec![VecDeque::new(); names.len()],
            names,
            links,
            ..Record::default()
        }
    }

    /// Takes in one event.
    pub fn push(&mut self, e: &Event) {
        if let Some(tap) = self.tap.as_mut() {
            tap.push(e.clone());
        }
        match &e.kind {
            EventKind::Sent(p) => {
                self.links.insert((p.from.min(p.to), p.from.max(p.to)));
            }
            EventKind::Delivered(p) => {
                self.arrow(Arrow::of(p, e.t_us, None));
            }
            EventKind::Dropped(p, cause) => {
                let a = Arrow::of(p, e.t_us, Some(*cause));
                self.arrow(a);
                bounded_push(&mut self.drops, a, DROPS_MAX);
            }
            EventKind::Order { order, note } => self.order(*order, e.t_us, *note),
            _ => {}
        }
        self.order_message(e);
        if worth_narrating(e) {
            let text = crate::sim::narrate::narrate(&self.names, e);
            let message = match &e.kind {
                EventKind::Delivered(p) => Some(Arrow::of(p, e.t_us, None)),
                EventKind::Dropped(p, c) => Some(Arrow::of(p, e.t_us, Some(*c))),
                _ => None,
            };
            let line = LogLine {
                t_us: e.t_us,
                text,
                tone: tone_of(e),
                message,
            };
            bounded_push(&mut self.log, line, LOG_MAX);
        }
    }

    fn arrow(&mut self, a: Arrow) {
        self.links.insert((a.from.min(a.to), a.from.max(a.to)));
        bounded_push(&mut self.arrows, a, ARROWS_MAX);
    }

    fn order(&mut self, order: u32, t_us: u64, note: OrderNote) {
        let (text, tone) = match note {
            OrderNote::Pending => ("pending".to_owned(), Tone::Normal),
            OrderNote::Retry { attempt } => (format!("◷ timeout, retry #{attempt}"), Tone::Warn),
            OrderNote::Confirmed => ("confirmed ✓".to_owned(), Tone::Good),
            OrderNote::Failed => ("failed ✗".to_owned(), Tone::Bad),
            OrderNote::Charged { times } if times > 1 => {
                (format!("⚠ CHARGED {times}×: DUPLICATE"), Tone::Bad)
            }
            OrderNote::Charged { .. } => ("charged".to_owned(), Tone::Normal),
        };
        self.order_span(order, Span { t_us, text, tone });
    }

    /// Calls between the checkout services become spans of their order.
    fn order_message(&mut self, e: &Event) {
        let (p, dropped) = match &e.kind {
            EventKind::Delivered(p) => (p, None),
            EventKind::Dropped(p, cause) => (p, Some(*cause)),
            _ => return,
        };
        let (order, what) = match p.msg {
            Msg::Reserve { order, .. } => (order, "reserve"),
            Msg::Reserved { order } => (order, "reserved"),
            Msg::Charge { order, .. } => (order, "charge"),
            Msg::Charged { order } => (order, "paid"),
            _ => return,
        };
        let took_ms = crate::sim::time::ms(e.t_us.saturating_sub(p.sent_us));
        let span = match dropped {
            None => Span {
                t_us: e.t_us,
                text: format!("{what} ({took_ms} ms)"),
                tone: Tone::Normal,
            },
            Some(cause) => Span {
                t_us: e.t_us,
                text: format!("{what} LOST ({})", cause.describe()),
                tone: Tone::Bad,
            },
        };
        self.order_span(order, span);
    }

    fn order_span(&mut self, order: u32, span: Span) {
        self.orders.entry(order).or_default().push(span);
        while self.orders.len() > ORDERS_MAX {
            self.orders.pop_first();
        }
    }

    /// Samples replication lag (call after advancing the simulation).
    pub fn sample(&mut self, sim: &Sim) {
        while self.next_lag_sample_us <= sim.now_us() {
            for (id, lags) in self.lag.iter_mut().enumerate() {
                let (ms, _) = sim.replication_lag(id as NodeId);
                bounded_push(lags, ms, LAG_SAMPLES);
            }
            self.next_lag_sample_us += LAG_SAMPLE_US;
        }
    }
}

/// The messages sent from `from_us` to `to_us` (true µs) that had ended (delivered or
/// lost) in `trace`, for a diagram of that stretch of a run.
pub fn arrows_of(trace: &[Event], from_us: u64, to_us: u64) -> VecDeque<Arrow> {
    trace
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Delivered(p) => Some(Arrow::of(p, e.t_us, None)),
            EventKind::Dropped(p, cause) => Some(Arrow::of(p, e.t_us, Some(*cause))),
            _ => None,
        })
        .filter(|a| a.sent_us >= from_us && a.sent_us <= to_us)
        .collect()
}

fn bounded_push<T>(q: &mut VecDeque<T>, item: T, max: usize) {
    if q.len() == max {
        q.pop_front();
    }
    q.push_back(item);
}

fn tone_of(e: &Event) -> Tone {
    match &e.kind {
        EventKind::Dropped(..)
        | EventKind::WriteLost { .. }
        | EventKind::WriteDiscarded { .. }
        | EventKind::StaleRead { .. } => Tone::Bad,
        EventKind::Conflict { .. } => Tone::Warn,
        EventKind::Suspect { correct: false, .. }
        | EventKind::Failover { .. }
        | EventKind::Command { .. } => Tone::Warn,
        EventKind::Suspect { correct: true, .. } => Tone::Good,
        EventKind::CommandFailed { .. } => Tone::Bad,
        _ => Tone::Normal,
    }
}
