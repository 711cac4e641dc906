//! The event loop: pops (time, seq)-ordered items, hands messages and timers to the
//! protocol handlers, and turns what they ask for (sends, timers) into network sends and
//! queue entries.
//!
//! Every protocol (replication with its election and reads, clients, the failure
//! detector, checkout, sharding) is a struct whose handlers, `on_...(&mut self, cx: &mut
//! Ctx, ..., out: &mut Out)`, each react to one kind of message or timer: the [`Ctx`] is
//! the simulator's shared state, and what a handler asks for goes into [`Out`]. A protocol
//! that needs another's state is passed it explicitly (clients read [`Replication`];
//! replication changes whom the [`Detector`] watches).

use rand_chacha::ChaCha8Rng;

use super::checkout::Checkout;
use super::client::Clients;
use super::detector::Detector;
use super::event::{Event, EventKind};
use super::metrics::Metrics;
use super::msg::{Msg, NodeId};
use super::net::{DropCause, Packet};
use super::node::{Node, Role, Status};
use super::outcome::Outcomes;
use super::params::{Kind, Params};
use super::replication::Replication;
use super::sharding::Sharding;
use super::{Command, Sim};

/// Something scheduled in the queue.
#[derive(Debug, Clone, Copy)]
pub enum Item {
    /// A message's arrival (or loss) is due: the network slot.
    Packet(u32),
    /// A node's timer, with the [`Node::incarnation`] that set it.
    Timer(NodeId, Timer, u32),
    /// The scenario's next scripted command (index into `script`).
    Script(u32),
    /// A paused node wakes up.
    Resume(NodeId),
}

/// A timer held back: when it comes due, its place in the queue's order, what it is for
/// (a check's generation, a timeout's operation), and its node's incarnation when it was
/// set.
#[derive(Debug, Clone, Copy)]
pub struct Held {
    pub at_us: u64,
    pub seq: u64,
    pub tag: u32,
    pub life: u32,
}

/// Timers that protocol handlers set; durations are in the node's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    ClientTick,
    ClientTimeout {
        op: u32,
    },
    Retry,
    /// A node standing in an election, or taking over, asks again.
    Election,
    Heartbeat,
    Check {
        target: NodeId,
        generation: u32,
    },
    OrderTick,
    OrderTimeout {
        order: u32,
        attempt: u8,
    },
    Arrival,
    ServiceDone,
    /// A data node writes its memory to disk (every `fsync_every_ms`), then sends the
    /// acknowledgements that waited for it.
    Fsync,
    /// The router reports the shards' queue lengths (once a second, for narration).
    Report,
}

/// What a handler asks for; reused between events so handling allocates nothing.
#[derive(Debug, Clone)]
pub struct Out {
    pub sends: Vec<(NodeId, NodeId, Msg)>,
    /// (node, delay in that node's local µs, timer)
    pub timers: Vec<(NodeId, u64, Timer)>,
    pub events: Vec<EventKind>,
    /// Whether trace events are kept for the sink (see [`Sim::set_traced`]).
    pub trace: bool,
}

impl Default for Out {
    fn default() -> Self {
        Self {
            sends: Vec::new(),
            timers: Vec::new(),
            events: Vec::new(),
            trace: true,
        }
    }
}

impl Out {
    /// True when nothing was asked for.
    pub fn is_empty(&self) -> bool {
        self.sends.is_empty() && self.timers.is_empty() && self.events.is_empty()
    }

    pub fn send(&mut self, from: NodeId, to: NodeId, msg: Msg) {
        self.sends.push((from, to, msg));
    }
    pub fn timer(&mut self, node: NodeId, local_delay_us: u64, t: Timer) {
        self.timers.push((node, local_delay_us, t));
    }
    pub fn event(&mut self, e: EventKind) {
        if self.trace {
            self.events.push(e);
        }
    }
}

/// What a replication node was called before nodes were named by identity, and its name
/// now (`replica-1` → `n2`), for a helpful error where an old name is written.
pub fn renamed(old: &str) -> Option<String> {
    if old == "primary" {
        return Some("n1".into());
    }
    let num = |prefix: &str| {
        old.strip_prefix(prefix)
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|&i| (1..=9).contains(&i))
    };
    num("replica-")
        .map(|i| format!("n{}", i + 1))
        .or_else(|| num("client-").map(|i| format!("c{i}")))
}

/// The hint added to "no node named ..." when `name` is an old name of a node in `names`.
pub fn rename_hint(name: &str, names: &[impl AsRef<str>]) -> String {
    match renamed(name) {
        Some(new) if names.iter().any(|n| n.as_ref() == new) => format!(
            " (nodes are named by identity now, and a role is a badge: `{name}` is `{new}`; \
             `@primary` names whichever node is primary when the command applies)"
        ),
        _ => String::new(),
    }
}

/// What a protocol handler may use besides its own state and [`Out`]: the simulator's
/// shared state, borrowed apart from [`Sim`] for one event (see [`Sim::split`]).
pub struct Ctx<'a> {
    /// True (simulated) time now, µs.
    pub now_us: u64,
    pub params: &'a Params,
    pub nodes: &'a mut [Node],
    pub metrics: &'a mut Metrics,
    /// The run's one source of randomness.
    pub rng: &'a mut ChaCha8Rng,
    /// The operations' record that lost-write, stale-read and conflict checks judge.
    pub outcomes: &'a mut Outcomes,
    /// The run has ended and the messages in flight are landing (see [`Sim::finish`]).
    pub quiet: bool,
}

/// Each protocol's own state, borrowed beside a [`Ctx`].
pub struct Protocols<'a> {
    pub rep: &'a mut Replication,
    pub clients: &'a mut Clients,
    pub det: &'a mut Detector,
    pub shop: &'a mut Checkout,
    pub shard: &'a mut Sharding,
}

/// The nodes of a scenario kind, in id order.
pub fn topology(p: &Params) -> Vec<Node> {
    let keys = p.keys as usize;
    let mut v = Vec::new();
    match p.kind {
        Kind::Replication => {
            // Named by identity: a role changes with failover, a name never does. With
            // several writers the first `writers` data nodes each coordinate their own
            // client's writes, and none is primary.
            let role = |i: u32| match (p.writers > 1, i < p.writers) {
                (false, _) => [Role::Primary, Role::Replica][usize::from(i > 0)],
                (true, true) => Role::Coordinator,
                (true, false) => Role::Replica,
            };
            for i in 0..=p.replicas {
                v.push(Node::new(format!("n{}", i + 1), role(i), keys));
            }
            for i in 1..=p.client_count() {
                v.push(Node::new(format!("c{i}"), Role::Client, keys));
            }
        }
        Kind::Detector => {
            v.push(Node::new("monitor", Role::Monitor, keys));
            for i in 1..=p.replicas.max(1) {
                v.push(Node::new(format!("node-{i}"), Role::Watched, keys));
            }
        }
        Kind::Checkout => {
            for (n, role) in [
                ("web", Role::Web),
                ("order", Role::Order),
                ("inventory", Role::Inventory),
                ("payment", Role::Payment),
            ] {
                v.push(Node::new(n, role, keys));
            }
        }
        Kind::Sharding => {
            v.push(Node::new("router", Role::Router, keys));
            for r in &super::msg::REGIONS[..p.shards as usize] {
                v.push(Node::new(format!("shard-{r}"), Role::Shard, keys));
            }
            for r in &super::msg::REGIONS[..p.shards as usize * p.replicas.min(1) as usize] {
                v.push(Node::new(
                    format!("shard-{r}-copy"),
                    Role::ShardReplica,
                    keys,
                ));
            }
        }
    }
    // The names the lesson chose (`name.n1 = "lisbon"`; checked with the parameters).
    for n in &mut v {
        if let Some((_, new)) = p.names.iter().find(|(built_in, _)| *built_in == n.name) {
            n.name = new.clone();
        }
    }
    v
}

impl Sim {
    /// Arms the first timers and the scripted commands.
    pub(crate) fn start(&mut self) {
        let mut out = std::mem::take(&mut self.out);
        match self.params.kind {
            Kind::Replication => {
                self.rep.start(&self.params, &mut out);
                self.clients.start(&self.params, &self.nodes, &mut out);
            }
            Kind::Detector => {}
            Kind::Checkout => self.shop.start(&self.params, &mut out),
            Kind::Sharding => self.shard.start(&self.params, &mut self.metrics, &mut out),
        }
        self.det.start(&self.params, &self.rep, &mut out);
        for i in 0..self.script.len() {
            self.queue.push(self.script[i].0, Item::Script(i as u32));
        }
        self.flush(&mut out, &mut |_| {});
        self.out = out;
    }

    /// Processes the next event, if any; returns whether there was one.
    pub fn step(&mut self, sink: &mut impl FnMut(&Event)) -> bool {
        let mut out = std::mem::take(&mut self.out);
        let stepped = self.step_with(&mut out, sink);
        self.out = out;
        stepped
    }

    /// [`Sim::step`] with the handlers' buffer taken out of `self` (by a caller that steps
    /// many times, so it is taken and put back once).
    fn step_with(&mut self, out: &mut Out, sink: &mut impl FnMut(&Event)) -> bool {
        let Some((t, item)) = self.queue.pop() else {
            return false;
        };
        debug_assert!(
            t >= self.now_us,
            "time went back: {t} µs after {} µs",
            self.now_us
        );
        self.now_us = self.now_us.max(t);
        self.events_processed += 1;
        self.handle(item, out, sink);
        if !out.is_empty() {
            self.flush(out, sink);
        }
        true
    }

    /// Processes every event up to and including true time `t_us`, then sets the clock
    /// to `t_us`. Returns the number of events processed.
    ///
    /// A run never processes more than [`EVENTS_MAX`](super::EVENTS_MAX) events: past that
    /// it stops where it is (the clock stays at the last event) and [`Sim::exhausted`] says
    /// so, so no parameter, file or command can make a run take unbounded time or memory.
    pub fn run_until(&mut self, t_us: u64, sink: &mut impl FnMut(&Event)) -> u64 {
        let before = self.events_processed;
        let mut out = std::mem::take(&mut self.out);
        let mut stopped = false;
        while self.queue.peek_time().is_some_and(|at| at <= t_us) {
            if self.exhausted() {
                stopped = true;
                break;
            }
            self.step_with(&mut out, sink);
        }
        self.out = out;
        if !stopped {
            self.now_us = self.now_us.max(t_us);
        }
        self.events_processed - before
    }

    /// True once the run has processed [`EVENTS_MAX`](super::EVENTS_MAX) events and
    /// [`Sim::run_until`] no longer advances.
    pub fn exhausted(&self) -> bool {
        self.events_processed >= super::EVENTS_MAX
    }

    /// Applies a command now and records it in the command log, as written: a role such
    /// as `@primary` is resolved now, and the trace event carries both forms.
    pub fn apply(&mut self, cmd: Command, sink: &mut impl FnMut(&Event)) -> Result<(), String> {
        let resolved = self.prepare(&cmd)?;
        if self.command_log.len() < super::COMMAND_LOG_MAX {
            // As written: a replay resolves its roles again, at the same time.
            self.command_log.push((self.now_us, cmd.clone()));
        }
        let mut out = std::mem::take(&mut self.out);
        self.execute(cmd, resolved, &mut out);
        self.flush(&mut out, sink);
        self.out = out;
        Ok(())
    }

    fn handle(&mut self, item: Item, out: &mut Out, sink: &mut impl FnMut(&Event)) {
        // A check coming due first lets the one held behind it into the queue, in the
        // place it was given (see `Detector::hold_check`).
        // So does an operation timeout (see `Clients::hold_timeout`).
        let released = match item {
            Item::Timer(node, Timer::Check { target, generation }, _) => {
                (self.det.release(node, target, generation)).map(|h| {
                    let generation = h.tag;
                    (h, node, Timer::Check { target, generation })
                })
            }
            Item::Timer(node, Timer::ClientTimeout { op }, _) => (self.clients)
                .release_timeout(node, op)
                .map(|h| (h, node, Timer::ClientTimeout { op: h.tag })),
            _ => None,
        };
        if let Some((h, node, timer)) = released {
            self.queue
                .push_reserved(h.at_us, h.seq, Item::Timer(node, timer, h.life));
        }
        match item {
            Item::Packet(slot) => self.arrive(slot, out, sink),
            Item::Timer(..) if self.quiet => {}
            // Settling: the workload has stopped; the protocol's own timers run on.
            Item::Timer(_, Timer::ClientTick | Timer::OrderTick | Timer::Arrival, _)
                if self.settling => {}
            Item::Script(_) if self.settling => {}
            // The election timer is the election's volatile state, which a crash loses
            // (the node asks afresh when it starts again).
            Item::Timer(node, Timer::Election, life)
                if life != self.nodes[node as usize].incarnation => {}
            Item::Timer(node, timer, life) => {
                match self.nodes[node as usize].status {
                    // Periodic timers keep their rhythm while a node is down, doing nothing,
                    // so a restarted node picks up where it was.
                    Status::Crashed => {
                        if let Some(period_us) = self.period_us(timer) {
                            self.queue.push(self.now_us + period_us, item);
                        }
                    }
                    Status::Paused { until_us } => {
                        self.queue.push(until_us, Item::Timer(node, timer, life));
                    }
                    Status::Up => self.on_timer(node, timer, out),
                }
            }
            Item::Script(i) => {
                let cmd = self.script[i as usize].1.clone();
                match self.prepare(&cmd) {
                    Ok(resolved) => self.execute(cmd, resolved, out),
                    Err(reason) => out.event(EventKind::CommandFailed {
                        command: cmd,
                        reason,
                    }),
                }
            }
            Item::Resume(node) => {
                let n = &mut self.nodes[node as usize];
                if matches!(n.status, Status::Paused { until_us } if until_us <= self.now_us) {
                    n.status = Status::Up;
                    out.event(EventKind::Resumed(node));
                }
            }
        }
    }

    fn arrive(&mut self, slot: u32, out: &mut Out, sink: &mut impl FnMut(&Event)) {
        let Some(&Packet {
            from, to, doomed, ..
        }) = self.net.get(slot)
        else {
            return;
        };
        let cause = if let Some(c) = doomed {
            Some(c)
        } else if self.net.is_blocked(from, to) {
            Some(DropCause::Partition)
        } else if self.nodes[to as usize].is_crashed() {
            // Crash-stop loses what reaches a stopped node; a message already on the wire
            // when its sender crashed still arrives (a crash does not recall packets).
            Some(DropCause::Crash)
        } else {
            None
        };
        if let Some(c) = cause {
            let Some(p) = self.net.take(slot) else {
                return;
            };
            match c {
                DropCause::Partition => self.metrics.messages_blocked += 1,
                DropCause::Crash => self.metrics.messages_lost_to_crash += 1,
                _ => self.metrics.messages_dropped += 1,
            }
            if out.trace {
                sink(&Event {
                    t_us: self.now_us,
                    kind: EventKind::Dropped(p, c),
                });
            }
            return;
        }
        if let Status::Paused { until_us } = self.nodes[to as usize].status {
            // It waits in the paused node's inbox.
            self.queue.push(until_us, Item::Packet(slot));
            return;
        }
        let Some(p) = self.net.take(slot) else {
            return;
        };
        self.metrics.messages_delivered += 1;
        self.nodes[p.to as usize].lamport.observe(p.lamport);
        if out.trace {
            sink(&Event {
                t_us: self.now_us,
                kind: EventKind::Delivered(p),
            });
        }
        self.on_message(p.from, p.to, p.msg, out);
    }

    /// Hands a delivered message to the protocol it belongs to.
    fn on_message(&mut self, from: NodeId, to: NodeId, msg: Msg, out: &mut Out) {
        let (mut cx, p) = self.split();
        let cx = &mut cx;
        match msg {
            Msg::Heartbeat { epoch } => {
                p.det.on_heartbeat(cx, from, to, out);
                p.rep.on_heartbeat(cx, p.det, from, to, epoch, out);
            }
            Msg::Write { .. } | Msg::Replicate { .. } | Msg::Ack { .. } => {
                p.rep.on_message(cx, p.det, from, to, msg, out)
            }
            Msg::Read { .. } | Msg::LeaderCheck { .. } | Msg::LeaderOk { .. } => {
                p.rep.on_read_message(cx, p.det, from, to, msg, out)
            }
            Msg::VoteRequest { .. }
            | Msg::Vote { .. }
            | Msg::Collect { .. }
            | Msg::Sync { .. }
            | Msg::View { .. }
            | Msg::Hello { .. }
            | Msg::NoPrimary { .. } => p.rep.on_election_message(cx, p.det, from, to, msg, out),
            Msg::WriteOk { .. }
            | Msg::WriteFail { .. }
            | Msg::ReadOk { .. }
            | Msg::NotPrimary { .. } => p.clients.on_reply(cx, p.rep, to, msg, out),
            Msg::Place { .. }
            | Msg::Placed { .. }
            | Msg::Reserve { .. }
            | Msg::Reserved { .. }
            | Msg::Charge { .. }
            | Msg::Charged { .. } => p.shop.on_message(cx, from, to, msg, out),
            Msg::Request { .. } | Msg::Response { .. } | Msg::ShardCopy { .. } => {
                p.shard.on_message(cx, from, to, msg, out)
            }
        }
    }

    /// Hands a timer that fired at an up node to the protocol that set it.
    fn on_timer(&mut self, node: NodeId, timer: Timer, out: &mut Out) {
        let (mut cx, p) = self.split();
        let cx = &mut cx;
        match timer {
            Timer::ClientTick => p.clients.on_tick(cx, p.rep, node, out),
            Timer::ClientTimeout { op } => p.clients.on_timeout(cx, node, op, out),
            Timer::Retry => p.rep.on_retry(cx, node, out),
            Timer::Fsync => p.rep.on_fsync(cx, node, out),
            Timer::Election => p.rep.on_election_timer(cx, p.det, node, out),
            Timer::Heartbeat if cx.params.kind == Kind::Replication && cx.params.writers == 1 => {
                p.rep.on_heartbeat_timer(cx, node, out)
            }
            Timer::Heartbeat => p.det.on_heartbeat_timer(cx, node, out),
            Timer::Check { target, generation } => {
                if p.det.on_check(cx, node, target, generation, out) {
                    p.rep.on_suspect(cx, p.det, node, target, out);
                }
            }
            Timer::OrderTick => p.shop.on_tick(cx, out),
            Timer::OrderTimeout { order, attempt } => p.shop.on_timeout(cx, order, attempt, out),
            Timer::Arrival => p.shard.on_arrival(cx, out),
            Timer::ServiceDone => p.shard.on_service_done(cx, node, out),
            Timer::Report => p.shard.on_report(node, out),
        }
    }

    /// Borrows the simulator apart for one event: the shared state every handler may use,
    /// and each protocol's own.
    pub(crate) fn split(&mut self) -> (Ctx<'_>, Protocols<'_>) {
        let cx = Ctx {
            now_us: self.now_us,
            params: &self.params,
            nodes: &mut self.nodes,
            metrics: &mut self.metrics,
            rng: &mut self.rng,
            outcomes: &mut self.outcomes,
            quiet: self.quiet,
        };
        let protocols = Protocols {
            rep: &mut self.rep,
            clients: &mut self.clients,
            det: &mut self.det,
            shop: &mut self.shop,
            shard: &mut self.shard,
        };
        (cx, protocols)
    }

    fn period_us(&self, t: Timer) -> Option<u64> {
        let p = &self.params;
        let ms = match t {
            Timer::ClientTick if p.write_every_ms == 0 => return None,
            Timer::ClientTick => p.write_every_ms,
            Timer::Heartbeat => p.heartbeat_ms,
            Timer::Retry => p.retry_ms,
            Timer::Fsync => p.fsync_every_ms,
            Timer::OrderTick => p.order_every_ms,
            Timer::Arrival => 1,
            Timer::Report => 1000,
            _ => return None,
        };
        Some(ms.max(1) * 1000)
    }

    /// Turns a handler's requests into sends, timers and trace events.
    pub(crate) fn flush(&mut self, out: &mut Out, sink: &mut impl FnMut(&Event)) {
        for e in out.events.drain(..) {
            sink(&Event {
                t_us: self.now_us,
                kind: e,
            });
        }
        for (from, to, msg) in out.sends.drain(..) {
            debug_assert_ne!(from, to, "node {from} sends {msg} to itself");
            debug_assert!(
                (to as usize) < self.nodes.len(),
                "{msg} from node {from} to node {to}, which does not exist"
            );
            let n = &mut self.nodes[from as usize];
            if !n.is_up() {
                continue;
            }
            let stamps = (n.lamport.tick(), n.clock.local_us(self.now_us));
            let (a, b) = self
                .net
                .send(&mut self.rng, self.now_us, from, to, msg, stamps);
            self.metrics.messages_sent += 1;
            for slot in [Some(a), b].into_iter().flatten() {
                let Some(p) = self.net.get(slot) else {
                    continue;
                };
                self.queue.push(p.due_us(), Item::Packet(slot));
                if p.duplicate {
                    self.metrics.messages_duplicated += 1;
                }
                if out.trace {
                    sink(&Event {
                        t_us: self.now_us,
                        kind: EventKind::Sent(*p),
                    });
                }
            }
        }
        for (node, local_delay_us, t) in out.timers.drain(..) {
            debug_assert!((node as usize) < self.nodes.len(), "{t:?} for node {node}");
            let d = self.nodes[node as usize]
                .clock
                .true_duration_us(local_delay_us);
            let (at, life) = (
                self.now_us + d.max(1),
                self.nodes[node as usize].incarnation,
            );
            let queue = &mut self.queue;
            let held = match t {
                Timer::Check { target, generation } => (self.det).hold_check(
                    node,
                    target,
                    generation,
                    at,
                    &mut || queue.reserve(),
                    life,
                ),
                Timer::ClientTimeout { op } => {
                    (self.clients).hold_timeout(node, op, at, &mut || queue.reserve(), life)
                }
                _ => false,
            };
            if held {
                continue;
            }
            self.queue.push(at, Item::Timer(node, t, life));
        }
    }

    /// Runs to the end of the scenario (`duration_ms`), then [`Sim::finish`]es.
    pub fn run_to_end(&mut self, sink: &mut impl FnMut(&Event)) {
        let end = self.params.duration_ms * 1000;
        self.run_until(end, sink);
        self.finish(sink);
    }
}
