//! Clients: the workload's writes and reads, their timeouts (result unknown), and the
//! Jepsen-style history they leave in the trace.

use super::causal::Vv;
use super::engine::{Ctx, Out, Timer};
use super::event::{ClientOp, EventKind, OpType};
use super::msg::{Msg, NodeId};
use super::net::{below, unit};
use super::node::{Node, Role};
use super::params::{Params, ReadFrom};
use super::replication::Replication;

/// An operation a client is waiting on.
#[derive(Debug, Clone, Copy)]
pub struct OpState {
    pub op: u32,
    pub write: bool,
    pub key: u8,
    pub value: i64,
    pub invoke_us: u64,
    /// For reads: the latest write acknowledged before the read began.
    pub must_see: Option<u32>,
    /// For reads: the newest write a read that finished before this one began returned.
    pub seen_read: Option<u32>,
    pub workload: bool,
    /// How many times a node sent it elsewhere (`NotPrimary`); bounded, so two nodes that
    /// name each other cannot bounce it forever.
    pub redirects: u8,
    /// The history's process that invoked it.
    pub process: u32,
    /// A read meant for the primary: only a serving primary answers it.
    pub leader: bool,
}

/// Most redirects one operation follows.
const REDIRECTS_MAX: u8 = 3;

#[derive(Debug, Clone)]
pub struct ClientState {
    pub node: NodeId,
    pub index: u32,
    pub ops: Vec<OpState>,
    /// Highest timestamp seen in replies (carried to coordinators in Lamport mode).
    pub seen_ts: u64,
    /// The writes it has seen (acknowledged to it, or returned by its reads), carried to
    /// coordinators with several writers: its writes causally follow them.
    pub seen_vv: Vv,
    /// The node it believes is primary (one writer): where its writes go. Learned from
    /// redirects; after a timeout it tries the next data node.
    pub primary: NodeId,
    /// How many of its operations timed out: each one ends a history process (Jepsen's
    /// convention: a process whose operation's outcome is unknown never invokes again).
    pub retired: u32,
    /// Its latest writes that timed out (at most [`GAVE_UP_MAX`]), to tell a late
    /// acknowledgement from a duplicate one.
    pub gave_up: Vec<(u32, u8, i64)>,
    /// The operation timeout in the queue that comes due first (op, true µs), and the later
    /// ones held back until it does (see [`Clients::hold_timeout`]).
    pub armed: Option<(u32, u64)>,
    pub held: std::collections::VecDeque<super::engine::Held>,
}

/// How many timed-out writes a client remembers.
const GAVE_UP_MAX: usize = 64;

/// Processes of manual operations (`w`, `write`, `read` commands) are numbered from here,
/// one per operation (several may be under way at once, and a process does one at a time).
const MANUAL_PROCESS: u32 = 1_000_000;

impl ClientState {
    /// The history process of an operation: the workload's is a new one after each
    /// timeout, `clients` apart so no two clients ever share one; a manual one its own.
    /// The key and value of write `op`, if it timed out waiting for it.
    fn gave_up(&self, op: u32) -> Option<(u8, i64)> {
        (self.gave_up.iter())
            .find(|g| g.0 == op)
            .map(|&(_, k, v)| (k, v))
    }

    fn process(&self, workload: bool, clients: u32, op: u32) -> u32 {
        if workload {
            self.index + self.retired * clients.max(1)
        } else {
            MANUAL_PROCESS.saturating_add(op)
        }
    }
}

/// All clients, and the workload's value counter.
#[derive(Debug, Clone, Default)]
pub struct Clients {
    pub list: Vec<ClientState>,
    pub next_value: i64,
    /// Queue every timeout as it is set (for the test that holding them changes nothing).
    pub eager: bool,
}

impl Clients {
    pub fn start(&mut self, p: &Params, nodes: &[Node], out: &mut Out) {
        for (i, _) in nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.role == Role::Client)
        {
            let index = self.list.len() as u32;
            self.list.push(ClientState {
                node: i as NodeId,
                index,
                ops: Vec::new(),
                seen_ts: 0,
                seen_vv: Vv::default(),
                primary: 0,
                retired: 0,
                gave_up: Vec::new(),
                armed: None,
                held: Default::default(),
            });
            if p.write_every_ms > 0 {
                // Stagger the writers so two clients do not always act at the same instant.
                let clients = u64::from(p.client_count());
                let first = p.write_every_ms * 1000 * (index as u64 + 1) / (clients + 1);
                out.timer(i as NodeId, first.max(1), Timer::ClientTick);
            }
        }
    }

    fn of(&mut self, node: NodeId) -> Option<&mut ClientState> {
        self.list.iter_mut().find(|c| c.node == node)
    }

    /// Client `node`'s timeout for `op` is being scheduled at `at_us`. Most operations end
    /// before their timeout, which then comes due to do nothing; so while an earlier
    /// timeout of the client is queued, this one is held back (its place in the queue's
    /// order taken with `reserve`) and queued when that one comes due, unless its
    /// operation has ended by then (see [`Clients::release_timeout`]). Returns whether it
    /// was held; if not, the caller queues it now.
    pub fn hold_timeout(
        &mut self,
        node: NodeId,
        op: u32,
        at_us: u64,
        reserve: &mut dyn FnMut() -> u64,
        life: u32,
    ) -> bool {
        if self.eager {
            return false;
        }
        let Some(c) = self.of(node) else {
            return false;
        };
        match c.armed {
            None => {
                c.armed = Some((op, at_us));
                false
            }
            // Held in the order they come due, all after the armed one.
            Some((_, armed_at))
                if armed_at <= at_us && c.held.back().is_none_or(|h| h.at_us <= at_us) =>
            {
                c.held.push_back(super::engine::Held {
                    at_us,
                    seq: reserve(),
                    tag: op,
                    life,
                });
                true
            }
            Some(_) => false,
        }
    }

    /// Client `node`'s timeout for `op` came due: if it was the armed one, the next held
    /// timeout whose operation is still under way is armed and returned for the caller to
    /// queue; those whose operation ended are dropped (they would find nothing to do).
    pub fn release_timeout(&mut self, node: NodeId, op: u32) -> Option<super::engine::Held> {
        let c = self.of(node)?;
        if c.armed.is_none_or(|(o, _)| o != op) {
            return None;
        }
        c.armed = None;
        while let Some(h) = c.held.pop_front() {
            if c.ops.iter().any(|o| o.op == h.tag) {
                c.armed = Some((h.tag, h.at_us));
                return Some(h);
            }
        }
        None
    }

    /// The workload's timer at client `node`: unless an operation of the workload is still
    /// under way, it writes the next value or, `read_ratio` of the time, reads. Each tick
    /// also samples replication's lag.
    pub fn on_tick(&mut self, cx: &mut Ctx, rep: &Replication, node: NodeId, out: &mut Out) {
        let p = cx.params;
        if p.write_every_ms == 0 {
            return; // the workload was switched off (`set write_every_ms 0`)
        }
        out.timer(node, p.write_every_ms * 1000, Timer::ClientTick);
        rep.sample_lag(cx);
        let Some(c) = self.list.iter().position(|c| c.node == node) else {
            return;
        };
        if self.list[c].ops.iter().any(|o| o.workload) {
            return;
        }
        let key = if p.keys > 1 {
            below(cx.rng, p.keys as u64) as u8
        } else {
            0
        };
        let read = p.read_ratio > 0.0 && unit(cx.rng) < p.read_ratio;
        if read {
            let target = self.read_target(cx, c);
            self.issue_read(cx, c, target, key, true, out);
        } else {
            self.next_value += 1;
            let v = self.next_value;
            self.issue_write(cx, c, key, v, true, out);
        }
    }

    fn read_target(&self, cx: &mut Ctx, c: usize) -> NodeId {
        let data = cx.params.replicas as u64 + 1;
        match cx.params.read_from {
            ReadFrom::Primary => self.list[c].primary,
            ReadFrom::Replica => cx.params.replicas as NodeId,
            ReadFrom::Any => below(cx.rng, data) as NodeId,
        }
    }

    fn issue_write(
        &mut self,
        cx: &mut Ctx,
        c: usize,
        key: u8,
        value: i64,
        workload: bool,
        out: &mut Out,
    ) {
        let op = cx.outcomes.invoke_write(key, value, cx.now_us);
        cx.metrics.writes_issued += 1;
        let clients = cx.params.client_count();
        let cl = &mut self.list[c];
        let process = cl.process(workload, clients, op);
        cl.ops.push(OpState {
            op,
            write: true,
            key,
            value,
            invoke_us: cx.now_us,
            must_see: None,
            seen_read: None,
            workload,
            redirects: 0,
            leader: false,
            process,
        });
        let target = if cx.params.writers == 1 {
            cl.primary
        } else {
            c as NodeId
        };
        let node = cl.node;
        let (seen_ts, seen_vv) = (cl.seen_ts, cl.seen_vv);
        out.event(history(
            node,
            process,
            OpType::Invoke,
            true,
            key,
            Some(value),
            op,
        ));
        out.send(
            node,
            target,
            Msg::Write {
                op,
                key,
                value,
                seen_ts,
                seen_vv,
            },
        );
        out.timer(
            node,
            cx.params.client_timeout_ms * 1000,
            Timer::ClientTimeout { op },
        );
    }

    fn issue_read(
        &mut self,
        cx: &mut Ctx,
        c: usize,
        target: NodeId,
        key: u8,
        workload: bool,
        out: &mut Out,
    ) {
        let op = cx.outcomes.next_op();
        cx.metrics.reads += 1;
        let must_see = cx.outcomes.latest_acked(key);
        let seen_read = cx.outcomes.latest_read(key);
        let clients = cx.params.client_count();
        // A workload read for the primary says so. A read the learner aims at a node
        // (`read NODE`) is answered by that node, whatever its role.
        let leader = workload && cx.params.read_from == ReadFrom::Primary;
        let cl = &mut self.list[c];
        let process = cl.process(workload, clients, op);
        cl.ops.push(OpState {
            op,
            write: false,
            key,
            value: 0,
            invoke_us: cx.now_us,
            must_see,
            seen_read,
            workload,
            redirects: 0,
            leader,
            process,
        });
        out.event(history(
            cl.node,
            process,
            OpType::Invoke,
            false,
            key,
            None,
            op,
        ));
        out.send(cl.node, target, Msg::Read { op, key, leader });
        out.timer(
            cl.node,
            cx.params.client_timeout_ms * 1000,
            Timer::ClientTimeout { op },
        );
    }

    /// The learner's `write`: client `c` writes `value` to key `key`, or with no
    /// arguments the first client writes the workload's next value to the first key.
    pub fn manual_write(&mut self, cx: &mut Ctx, w: Option<(usize, u8, i64)>, out: &mut Out) {
        let (c, key, value) = w.unwrap_or_else(|| {
            self.next_value += 1;
            (0, 0, self.next_value)
        });
        if c < self.list.len() {
            self.issue_write(cx, c, key, value, false, out);
        }
    }

    /// The learner's `read NODE KEY`: the first client reads `key` from `target`.
    pub fn manual_read(&mut self, cx: &mut Ctx, target: NodeId, key: u8, out: &mut Out) {
        if !self.list.is_empty() {
            self.issue_read(cx, 0, target, key, false, out);
        }
    }

    /// A reply reaches client `node`: its operation completes (acknowledged, failed, or a
    /// read's value, checked for staleness) or, on `NotPrimary`, is redirected.
    pub fn on_reply(
        &mut self,
        cx: &mut Ctx,
        rep: &Replication,
        node: NodeId,
        msg: Msg,
        out: &mut Out,
    ) {
        if let Msg::NotPrimary { op, primary } = msg {
            self.redirected(node, op, primary, out);
            return;
        }
        let now = cx.now_us;
        let (op, ts, vv) = match msg {
            Msg::WriteOk { op, ts, vv } => (op, ts, vv),
            Msg::WriteFail { op } | Msg::ReadOk { op, .. } => (op, 0, Vv::default()),
            _ => return,
        };
        let Some(cl) = self.of(node) else {
            return;
        };
        let Some(i) = cl.ops.iter().position(|o| o.op == op) else {
            if matches!(msg, Msg::WriteOk { .. })
                && let Some((key, value)) = cl.gave_up(op)
            {
                // Its timeout already fired: the client has moved on, and to its history
                // the write's outcome stays unknown, though the write did succeed.
                out.event(EventKind::LateAck {
                    client: node,
                    key,
                    value,
                });
            }
            return;
        };
        let o = cl.ops.swap_remove(i);
        cl.seen_ts = cl.seen_ts.max(ts);
        cl.seen_vv.merge(&vv);
        let process = o.process;
        match msg {
            Msg::WriteOk { .. } => {
                cx.metrics.writes_acked += 1;
                cx.metrics.ack_latency.record(now - o.invoke_us);
                cx.outcomes.ack(op, now);
                out.event(history(
                    node,
                    process,
                    OpType::Ok,
                    true,
                    o.key,
                    Some(o.value),
                    op,
                ));
                cx.check_key(rep, o.key, out);
            }
            Msg::WriteFail { .. } => {
                cx.metrics.writes_failed += 1;
                out.event(history(
                    node,
                    process,
                    OpType::Fail,
                    true,
                    o.key,
                    Some(o.value),
                    op,
                ));
            }
            Msg::ReadOk { version, .. } => {
                if let Some(v) = version {
                    cl.seen_ts = cl.seen_ts.max(v.ts);
                    cl.seen_vv.merge(&v.vv);
                }
                cx.metrics.reads_ok += 1;
                let value = version.map(|v| v.value);
                out.event(history(node, process, OpType::Ok, false, o.key, value, op));
                let stale = (cx.outcomes.stale(o.must_see, version))
                    .or_else(|| cx.outcomes.stale(o.seen_read, version));
                if let Some(v) = version {
                    cx.outcomes.read_returned(o.key, v.write, now);
                }
                if let Some(expected) = stale {
                    cx.metrics.stale_reads += 1;
                    out.event(EventKind::StaleRead {
                        client: node,
                        key: o.key,
                        got: value,
                        expected,
                    });
                }
            }
            _ => {}
        }
    }

    /// A node said it is not the primary and named who is: the client believes it and
    /// sends the same operation there (a redirect), within the same timeout.
    fn redirected(&mut self, node: NodeId, op: u32, primary: NodeId, out: &mut Out) {
        let Some(cl) = self.of(node) else {
            return;
        };
        if primary != super::replication::NO_NODE {
            cl.primary = primary;
        }
        let Some(o) = cl.ops.iter_mut().find(|o| o.op == op) else {
            return;
        };
        if o.redirects >= REDIRECTS_MAX || primary == super::replication::NO_NODE {
            return; // it waits for its timeout
        }
        o.redirects += 1;
        let msg = if o.write {
            Msg::Write {
                op,
                key: o.key,
                value: o.value,
                seen_ts: cl.seen_ts,
                seen_vv: cl.seen_vv,
            }
        } else {
            Msg::Read {
                op,
                key: o.key,
                leader: o.leader,
            }
        };
        out.send(node, primary, msg);
    }

    /// An operation's timer ran out before its reply came: its outcome is unknown, and the
    /// client retires that history process.
    pub fn on_timeout(&mut self, cx: &mut Ctx, node: NodeId, op: u32, out: &mut Out) {
        let data = cx.params.replicas as NodeId + 1;
        let single = cx.params.writers == 1;
        let Some(cl) = self.of(node) else {
            return;
        };
        let Some(i) = cl.ops.iter().position(|o| o.op == op) else {
            return;
        };
        let o = cl.ops.swap_remove(i);
        if single && (o.write || cx.params.read_from == ReadFrom::Primary) {
            // Silence: perhaps the primary is gone. Try the next data node next time.
            cl.primary = (cl.primary + 1) % data;
        }
        let process = o.process;
        cl.retired += 1;
        if o.write {
            cx.metrics.writes_unknown += 1;
            if cl.gave_up.len() >= GAVE_UP_MAX {
                cl.gave_up.remove(0);
            }
            cl.gave_up.push((op, o.key, o.value));
        }
        let value = o.write.then_some(o.value);
        out.event(history(
            node,
            process,
            OpType::Info,
            o.write,
            o.key,
            value,
            op,
        ));
    }

    /// Client `node` starts again: it has forgotten what it was waiting for, so each of
    /// its operations under way becomes unknown, as at a timeout.
    pub fn restart(&mut self, cx: &mut Ctx, node: NodeId, out: &mut Out) {
        let waiting: Vec<u32> = (self.list.iter())
            .filter(|c| c.node == node)
            .flat_map(|c| c.ops.iter().map(|o| o.op))
            .collect();
        for op in waiting {
            self.on_timeout(cx, node, op, out);
        }
    }
}

fn history(
    client: NodeId,
    process: u32,
    op_type: OpType,
    write: bool,
    key: u8,
    value: Option<i64>,
    op: u32,
) -> EventKind {
    EventKind::Client(ClientOp {
        client,
        process,
        op_type,
        write,
        key,
        value,
        op,
    })
}
