//! Why? The causal story of each anomaly, computed from the trace.
//!
//! An anomaly is something the simulator reports as wrong: an acknowledged write lost or
//! discarded, a stale read, a false suspicion, a duplicate charge, and one that only the
//! trace shows: a write acknowledged by a primary the cluster had already replaced. Each
//! gets a chain of links, the effect first: the event that made it, then what made that
//! possible, each link naming one event of the trace (by its index) with its time. A link
//! says how it bears on the anomaly ([`Tie`]): it happened before it in happens-before
//! order (a message delivered, a node's own earlier step), it is a message that did not
//! arrive in time, or it is an earlier event (a command, a decision elsewhere) that set the
//! scene. Nothing here is asserted from the scenario's story: every word comes from the
//! events, the parameters and the node names.
//!
//! [`counterfactual`] replays a run with one change to say what it would have saved.

mod chains;
mod index;
mod replay;

use super::event::{Event, EventKind, OrderNote};
use super::msg::{NodeId, key_name};
use super::params::Params;
use super::replication::NO_NODE;
use super::{Kind, Sim};

pub use replay::{Counterfactual, Counterfactuals, Replay, counterfactual};

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anomaly {
    /// An acknowledged write the cluster no longer serves.
    LostWrite { op: u32, key: u8, value: i64 },
    /// Several writers: an acknowledged write discarded for a concurrent one.
    DiscardedWrite {
        op: u32,
        key: u8,
        value: i64,
        winner: i64,
    },
    /// A read returned an older value than one acknowledged before it began.
    StaleRead {
        client: NodeId,
        key: u8,
        got: Option<i64>,
        expected: i64,
    },
    /// A monitor suspected a node that had not crashed.
    FalseSuspicion { monitor: NodeId, target: NodeId },
    /// An order was charged more than once.
    DuplicateCharge { order: u32, times: u32 },
    /// A primary acknowledged a write after the cluster had made another node primary of a
    /// newer epoch (split brain). Found in the trace: the simulator counts only the writes
    /// this loses.
    StalePrimaryAck {
        op: u32,
        key: u8,
        value: i64,
        by: NodeId,
        primary: NodeId,
    },
}

impl Anomaly {
    /// A short name for the kind, as `--json` writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            Anomaly::LostWrite { .. } => "write_lost",
            Anomaly::DiscardedWrite { .. } => "write_discarded",
            Anomaly::StaleRead { .. } => "stale_read",
            Anomaly::FalseSuspicion { .. } => "false_suspicion",
            Anomaly::DuplicateCharge { .. } => "duplicate_charge",
            Anomaly::StalePrimaryAck { .. } => "stale_primary_ack",
        }
    }
}

/// How a link bears on the anomaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tie {
    /// The event that made the anomaly (the first link).
    Made,
    /// It happened before the anomaly in happens-before order.
    Because,
    /// A message that had not reached its receiver when it mattered: dropped, or still on
    /// its way (the link's event is its send or its loss).
    Missed,
    /// An earlier event elsewhere that set the scene (a command, a decision of another
    /// node, an acknowledgement the anomaly is judged against).
    Earlier,
}

/// One link of a chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Index of the event in the trace.
    pub event: usize,
    pub t_us: u64,
    pub tie: Tie,
    /// What happened and why it matters, without the time (the chain prints it).
    pub text: String,
    /// The nodes it involves (to highlight).
    pub nodes: Vec<NodeId>,
    /// The message it is about, if any (its packet id).
    pub packet: Option<u64>,
}

/// The causal story of one anomaly.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Index of the anomaly's event in the trace (for a stale primary's acknowledgement,
    /// the acknowledgement's send).
    pub event: usize,
    pub t_us: u64,
    pub anomaly: Anomaly,
    /// `x=32 lost`
    pub title: String,
    /// The effect first.
    pub links: Vec<Link>,
}

impl Explanation {
    /// `x=32 lost ← failover … at 12.871s ← …`, one line.
    pub fn line(&self) -> String {
        let mut s = self.title.clone();
        for l in &self.links {
            s.push_str(" ← ");
            s.push_str(&l.text);
            s.push_str(" at ");
            s.push_str(&super::time::secs(l.t_us as i64));
        }
        s
    }

    /// The nodes any link involves, in order of first mention.
    pub fn nodes(&self) -> Vec<NodeId> {
        let mut all: Vec<NodeId> = Vec::new();
        for n in self.links.iter().flat_map(|l| &l.nodes) {
            if !all.contains(n) {
                all.push(*n);
            }
        }
        all
    }
}

/// What the chains need to know besides the trace.
#[derive(Debug, Clone)]
pub struct Setting {
    pub names: Vec<String>,
    pub params: Params,
    /// The primary the run started with (one writer), for the cluster's record of who
    /// is primary.
    pub first_primary: Option<NodeId>,
}

impl Setting {
    /// The setting of a run that starts as `sim` does (take it before the run begins or
    /// from a fresh copy: the primary it records is the current one).
    pub fn of(sim: &Sim) -> Setting {
        Setting {
            names: sim.node_names(),
            params: sim.params().clone(),
            first_primary: sim.primary(),
        }
    }

    pub(crate) fn name(&self, id: NodeId) -> &str {
        self.names.get(id as usize).map_or("?", String::as_str)
    }
}

/// Whether the simulator reports `e` as an anomaly (a stale primary's acknowledgement is
/// found only by [`anomalies`]).
pub fn is_anomaly(e: &Event) -> bool {
    matches!(
        e.kind,
        EventKind::WriteLost { .. }
            | EventKind::WriteDiscarded { .. }
            | EventKind::StaleRead { .. }
            | EventKind::Suspect { correct: false, .. }
    ) || matches!(e.kind, EventKind::Order { note: OrderNote::Charged { times }, .. } if times > 1)
}

/// Every anomaly of the trace, in trace order.
pub fn anomalies(trace: &[Event], setting: &Setting) -> Vec<(usize, Anomaly)> {
    let mut all = Vec::new();
    for (i, e) in trace.iter().enumerate() {
        let a = match e.kind {
            EventKind::WriteLost { op, key, value, .. } => Anomaly::LostWrite { op, key, value },
            EventKind::WriteDiscarded {
                op,
                key,
                value,
                winner,
            } => Anomaly::DiscardedWrite {
                op,
                key,
                value,
                winner,
            },
            EventKind::StaleRead {
                client,
                key,
                got,
                expected,
            } => Anomaly::StaleRead {
                client,
                key,
                got,
                expected,
            },
            EventKind::Suspect {
                monitor,
                target,
                correct: false,
            } => Anomaly::FalseSuspicion { monitor, target },
            EventKind::Order {
                order,
                note: OrderNote::Charged { times },
            } if times > 1 => Anomaly::DuplicateCharge { order, times },
            _ => continue,
        };
        all.push((i, a));
    }
    for (i, a) in stale_primary_acks(trace, setting) {
        let at = all.partition_point(|(j, _)| *j < i);
        all.insert(at, (i, a));
    }
    all
}

/// Every anomaly of the trace with its chain.
pub fn explain(trace: &[Event], setting: &Setting) -> Vec<Explanation> {
    let ix = index::Index::new(trace, setting);
    anomalies(trace, setting)
        .into_iter()
        .map(|(i, a)| chains::chain(&ix, i, a))
        .collect()
}

/// The chain of the anomaly at trace index `event` (`None` if there is none there).
pub fn explain_at(trace: &[Event], setting: &Setting, event: usize) -> Option<Explanation> {
    let (i, a) = anomalies(trace, setting)
        .into_iter()
        .find(|(i, _)| *i == event)?;
    Some(chains::chain(&index::Index::new(trace, setting), i, a))
}

/// The primary the cluster records at each point (the newest epoch's), as the simulator
/// does: it starts with the first primary, and a failover to an epoch at least as new
/// replaces it.
pub(crate) struct Record {
    pub primary: NodeId,
    pub epoch: u64,
    /// Index of the failover that made it primary (`None`: it was primary from the start).
    pub since: Option<usize>,
}

impl Record {
    pub fn new(setting: &Setting) -> Record {
        Record {
            primary: setting.first_primary.unwrap_or(NO_NODE),
            epoch: 0,
            since: None,
        }
    }

    pub fn see(&mut self, i: usize, e: &Event) {
        if let EventKind::Failover {
            new: Some(new),
            epoch,
            ..
        } = e.kind
            && epoch >= self.epoch
        {
            self.primary = new;
            self.epoch = epoch;
            self.since = Some(i);
        }
    }
}

/// Writes acknowledged (the acknowledgement sent) by a node other than the primary the
/// cluster records: one writer only.
fn stale_primary_acks(trace: &[Event], setting: &Setting) -> Vec<(usize, Anomaly)> {
    let p = &setting.params;
    if p.kind != Kind::Replication || p.writers != 1 || setting.first_primary.is_none() {
        return Vec::new();
    }
    let mut rec = Record::new(setting);
    let mut writes: std::collections::HashMap<u32, (u8, i64)> = Default::default();
    let mut out = Vec::new();
    for (i, e) in trace.iter().enumerate() {
        rec.see(i, e);
        match e.kind {
            EventKind::Sent(ref pk) => match pk.msg {
                super::Msg::Write { op, key, value, .. } => {
                    writes.insert(op, (key, value));
                }
                super::Msg::WriteOk { op, .. } if pk.from != rec.primary && !pk.duplicate => {
                    if let Some(&(key, value)) = writes.get(&op) {
                        out.push((
                            i,
                            Anomaly::StalePrimaryAck {
                                op,
                                key,
                                value,
                                by: pk.from,
                                primary: rec.primary,
                            },
                        ));
                    }
                }
                _ => {}
            },
            _ => continue,
        }
    }
    out
}

/// `x=32`
pub(crate) fn kv(key: u8, value: Option<i64>) -> String {
    match value {
        Some(v) => format!("{}={v}", key_name(key)),
        None => format!("{}=none", key_name(key)),
    }
}
