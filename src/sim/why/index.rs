//! The trace, indexed for the chains: each message's send and fate, and searches over the
//! events before a point.

use std::collections::HashMap;

use super::super::event::OpType;
use super::super::event::{Event, EventKind};
use super::super::msg::{Msg, NodeId};
use super::super::net::{DropCause, Packet};
use super::super::time::secs;
use super::Setting;

/// Where one message ended: delivered or lost at this trace index.
#[derive(Debug, Clone, Copy)]
pub struct Flight {
    pub sent: usize,
    pub end: Option<usize>,
}

/// What had become of a message by some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Delivered(usize),
    Dropped(usize, DropCause),
    /// Not yet delivered: it arrives at this time (or is lost later).
    OnItsWay,
}

/// What the trace says about one write, by its op number.
#[derive(Debug, Clone, Default)]
pub struct Write {
    pub key: u8,
    pub value: i64,
    /// The client's send of the write.
    pub sent: Option<usize>,
    /// The first acknowledgement's send (by its coordinator).
    pub ack: Option<usize>,
    /// The client's record of the acknowledgement.
    pub client_ok: Option<usize>,
    /// Sends of messages that copy it to another node (`replicate`, `sync`).
    pub copies: Vec<usize>,
}

pub struct Index<'a> {
    pub trace: &'a [Event],
    pub setting: &'a Setting,
    flights: HashMap<u64, Flight>,
    pub writes: HashMap<u32, Write>,
    /// The write of each (key, value), by op number.
    pub by_value: HashMap<(u8, i64), u32>,
    /// Heartbeat sends, by (from, to).
    pub heartbeats: HashMap<(NodeId, NodeId), Vec<usize>>,
    /// Commands, failovers and memory losses, in trace order.
    pub commands: Vec<usize>,
    pub failovers: Vec<usize>,
    pub memory_lost: Vec<usize>,
    /// Order events and charge messages, by order.
    pub orders: HashMap<u32, Vec<usize>>,
}

impl<'a> Index<'a> {
    pub fn new(trace: &'a [Event], setting: &'a Setting) -> Index<'a> {
        let mut ix = Index {
            trace,
            setting,
            flights: HashMap::new(),
            writes: HashMap::new(),
            by_value: HashMap::new(),
            heartbeats: HashMap::new(),
            commands: Vec::new(),
            failovers: Vec::new(),
            memory_lost: Vec::new(),
            orders: HashMap::new(),
        };
        for (i, e) in trace.iter().enumerate() {
            ix.learn(i, e);
        }
        ix
    }

    fn learn(&mut self, i: usize, e: &Event) {
        match &e.kind {
            EventKind::Sent(p) => {
                self.flights.insert(p.id, Flight { sent: i, end: None });
                match p.msg {
                    Msg::Write { op, key, value, .. } => {
                        let w = self.writes.entry(op).or_default();
                        (w.key, w.value) = (key, value);
                        w.sent.get_or_insert(i);
                        self.by_value.entry((key, value)).or_insert(op);
                    }
                    Msg::WriteOk { op, .. } if !p.duplicate => {
                        self.writes.entry(op).or_default().ack.get_or_insert(i);
                    }
                    Msg::Replicate { version, .. }
                    | Msg::Sync {
                        version: Some(version),
                        ..
                    } => self.writes.entry(version.write).or_default().copies.push(i),
                    Msg::Heartbeat { .. } => {
                        self.heartbeats.entry((p.from, p.to)).or_default().push(i)
                    }
                    Msg::Charge { order, .. } | Msg::Charged { order } => {
                        self.orders.entry(order).or_default().push(i)
                    }
                    _ => {}
                }
            }
            EventKind::Delivered(p) | EventKind::Dropped(p, _) => {
                if let Some(f) = self.flights.get_mut(&p.id) {
                    f.end = Some(i);
                }
                if let Msg::Charge { order, .. } = p.msg {
                    self.orders.entry(order).or_default().push(i);
                }
            }
            EventKind::Client(op) if op.write && op.op_type == OpType::Ok => {
                self.writes
                    .entry(op.op)
                    .or_default()
                    .client_ok
                    .get_or_insert(i);
            }
            EventKind::Command { .. } => self.commands.push(i),
            EventKind::Failover { .. } => self.failovers.push(i),
            EventKind::MemoryLost { .. } => self.memory_lost.push(i),
            EventKind::Order { order, .. } => self.orders.entry(*order).or_default().push(i),
            _ => {}
        }
    }

    pub fn name(&self, id: NodeId) -> &str {
        self.setting.name(id)
    }

    pub fn t(&self, i: usize) -> u64 {
        self.trace[i].t_us
    }

    /// The packet a send, delivery or loss is about.
    pub fn packet(&self, i: usize) -> Option<&'a Packet> {
        match &self.trace.get(i)?.kind {
            EventKind::Sent(p) | EventKind::Delivered(p) | EventKind::Dropped(p, _) => Some(p),
            _ => None,
        }
    }

    /// What had become of the message sent at `sent` by trace index `by`.
    pub fn fate(&self, sent: usize, by: usize) -> Fate {
        let Some(p) = self.packet(sent) else {
            return Fate::OnItsWay;
        };
        match self.flights.get(&p.id).and_then(|f| f.end) {
            Some(end) if end < by => match &self.trace[end].kind {
                EventKind::Dropped(_, cause) => Fate::Dropped(end, *cause),
                _ => Fate::Delivered(end),
            },
            _ => Fate::OnItsWay,
        }
    }

    /// The send of the message delivered or lost at `i`.
    pub fn send_of(&self, i: usize) -> Option<usize> {
        let p = self.packet(i)?;
        self.flights.get(&p.id).map(|f| f.sent)
    }

    /// Indices of events before `by` (latest first) for which `f` holds.
    pub fn before(&self, by: usize, f: impl Fn(&Event) -> bool) -> impl Iterator<Item = usize> {
        (0..by.min(self.trace.len()))
            .rev()
            .filter(move |&i| f(&self.trace[i]))
    }

    /// The latest event before `by` for which `f` holds.
    pub fn last_before(&self, by: usize, f: impl Fn(&Event) -> bool) -> Option<usize> {
        self.before(by, f).next()
    }

    /// Sends before `by` of messages for which `f` holds, in trace order.
    pub fn sends(&self, by: usize, f: impl Fn(&Packet) -> bool) -> Vec<usize> {
        (0..by.min(self.trace.len()))
            .filter(|&i| matches!(&self.trace[i].kind, EventKind::Sent(p) if f(p)))
            .collect()
    }

    /// The delivery before `by` of a message for which `f` holds (the latest).
    pub fn delivered(&self, by: usize, f: impl Fn(&Packet) -> bool) -> Option<usize> {
        self.last_before(by, |e| matches!(&e.kind, EventKind::Delivered(p) if f(p)))
    }

    /// `replicate(x=3) n1→n2`
    pub fn msg(&self, p: &Packet) -> String {
        format!("{} {}→{}", p.msg, self.name(p.from), self.name(p.to))
    }

    /// The trigger of an anomaly judged at `i`: the latest event before it at the same
    /// instant that is not itself an anomaly report.
    pub fn trigger(&self, i: usize) -> Option<usize> {
        let t = self.t(i);
        (0..i)
            .rev()
            .take_while(|&j| self.t(j) == t)
            .find(|&j| !is_report(&self.trace[j].kind))
    }

    /// A link for a message that had not reached its receiver by `by` (`None` if it had).
    pub fn missed(&self, sent: usize, by: usize) -> Option<super::Link> {
        let p = self.packet(sent)?;
        let nodes = vec![p.from, p.to];
        match self.fate(sent, by) {
            Fate::Delivered(_) => None,
            Fate::Dropped(at, cause) => Some(super::Link {
                event: at,
                t_us: self.t(at),
                tie: super::Tie::Missed,
                text: format!("{} dropped ({})", self.msg(p), cause.describe()),
                nodes,
                packet: Some(p.id),
            }),
            Fate::OnItsWay => Some(super::Link {
                event: sent,
                t_us: self.t(sent),
                tie: super::Tie::Missed,
                text: if p.doomed.is_some() {
                    format!(
                        "{} sent, still on its way (lost later, at {})",
                        self.msg(p),
                        secs(p.lost_at_us as i64)
                    )
                } else {
                    format!(
                        "{} sent, still on its way (arrives {})",
                        self.msg(p),
                        secs(p.deliver_us as i64)
                    )
                },
                nodes,
                packet: Some(p.id),
            }),
        }
    }

    /// Commands before `by` (latest first, at most `most`) that name one of `nodes` or
    /// change the whole network, applied at or after `since_us`.
    pub fn commands_on(
        &self,
        by: usize,
        since_us: u64,
        nodes: &[NodeId],
        most: usize,
    ) -> Vec<usize> {
        let names: Vec<&str> = nodes.iter().map(|&n| self.name(n)).collect();
        self.commands
            .iter()
            .rev()
            .copied()
            .filter(|&i| i < by && self.t(i) >= since_us)
            .filter(|&i| match &self.trace[i].kind {
                EventKind::Command { command, resolved } => {
                    names_any(resolved.as_ref().unwrap_or(command), &names)
                }
                _ => false,
            })
            .take(most)
            .collect()
    }

    /// The primary the cluster recorded just before trace index `by`.
    pub fn record_at(&self, by: usize) -> super::Record {
        let mut r = super::Record::new(self.setting);
        for &i in self.failovers.iter().take_while(|&&i| i < by) {
            r.see(i, &self.trace[i]);
        }
        r
    }

    /// When `node` got a copy of write `op` before `by`: its delivery of a message carrying
    /// it, or its own send of one (it coordinated it, or already held it).
    pub fn got(&self, op: u32, node: NodeId, by: usize) -> Option<usize> {
        let w = self.writes.get(&op)?;
        let mut first: Option<usize> = None;
        let mut see = |i: usize| {
            if i < by && first.is_none_or(|f| i < f) {
                first = Some(i);
            }
        };
        for &s in &w.copies {
            let Some(p) = self.packet(s) else { continue };
            if p.from == node {
                see(s);
            }
            if p.to == node
                && let Fate::Delivered(d) = self.fate(s, by)
            {
                see(d);
            }
        }
        if let Some(a) = w.ack
            && self.packet(a).is_some_and(|p| p.from == node)
        {
            see(a);
        }
        first
    }

    /// The memory loss at `node` in (`after`, `by`) that erased (key, value): its memory's
    /// copy of the key went back to a disk copy that is not this value.
    pub fn erased(
        &self,
        node: NodeId,
        key: u8,
        value: i64,
        after: usize,
        by: usize,
    ) -> Option<usize> {
        self.erasure(node, key, value, after, by).map(|(i, _)| i)
    }

    /// [`Self::erased`], with what the memory loss says of the key: (value in memory, value
    /// on disk).
    pub fn erasure(
        &self,
        node: NodeId,
        key: u8,
        value: i64,
        after: usize,
        by: usize,
    ) -> Option<(usize, (i64, Option<i64>))> {
        self.memory_lost.iter().find_map(|&i| {
            if i <= after || i >= by {
                return None;
            }
            match &self.trace[i].kind {
                EventKind::MemoryLost { node: n, values } if *n == node => values
                    .iter()
                    .find(|&&(k, _, disk)| k == key && disk != Some(value))
                    .map(|&(_, lost, disk)| (i, (lost, disk))),
                _ => None,
            }
        })
    }

    /// The command applied at the same instant as event `i` that names `node` (a memory
    /// loss is reported just before the crash command that caused it).
    pub fn command_with(&self, i: usize, node: NodeId) -> Option<usize> {
        let t = self.t(i);
        let name = self.name(node);
        self.commands
            .iter()
            .copied()
            .filter(|&c| self.t(c) == t)
            .filter(|&c| {
                matches!(&self.trace[c].kind, EventKind::Command { command, resolved }
                if names_any(resolved.as_ref().unwrap_or(command), &[name]))
            })
            .min_by_key(|&c| c.abs_diff(i))
    }
}

/// Is this event the simulator's report of an anomaly (rather than something a node did)?
pub fn is_report(k: &EventKind) -> bool {
    matches!(
        k,
        EventKind::WriteLost { .. }
            | EventKind::WriteDiscarded { .. }
            | EventKind::StaleRead { .. }
            | EventKind::Conflict { .. }
    )
}

/// Does the command name one of `names`, or change every link?
fn names_any(c: &super::super::Command, names: &[&str]) -> bool {
    use super::super::Command as C;
    let is = |n: &String| names.contains(&n.as_str());
    match c {
        C::Crash(n)
        | C::Restart(n)
        | C::Pause(n, _)
        | C::Skew(n, _)
        | C::Drift(n, _)
        | C::StepClock(n, _)
        | C::Resync(n, _)
        | C::Slow(n, _) => is(n),
        C::Partition(group) => group.iter().any(is),
        C::PartitionOneway(a, b) | C::DropNext(a, b) => is(a) || is(b),
        C::Heal | C::Loss(_) | C::Duplicate(_) | C::Latency(..) => true,
        C::Mode(_) | C::Timestamps(_) | C::Set(..) => true,
        C::Write(_) | C::Read(..) => false,
    }
}
