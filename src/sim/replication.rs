//! `replicate_write`, as the lesson writes it: the coordinator appends locally, then sends
//! the value to each replica. Acknowledgement by mode (async / sync / quorum), re-sends of
//! unacknowledged values, and failover.

use std::collections::VecDeque;

use super::causal::Vv;
use super::detector::Detector;
use super::engine::{Ctx, Out, Timer};
use super::event::EventKind;
use super::msg::{ERA_SHIFT, Msg, NodeId, Stamp, Version};
use super::node::Node;
use super::params::{AckAfter, Kind, Mode, Params, Stamps};

/// Most unacknowledged writes a coordinator keeps; beyond it new writes are refused.
pub const PENDING_MAX: usize = 1024;
/// A primary's timestamps are `(epoch << SEQ_BITS) | seq`.
pub const SEQ_BITS: u32 = 40;
/// Wall-clock stamps count from here, as a real clock counts from its epoch, so a clock
/// that is behind still gives a positive reading at the start.
pub const WALL_EPOCH_US: u64 = 1_000_000_000_000;
/// "Nobody": a node that does not know who is primary.
pub const NO_NODE: NodeId = NodeId::MAX;

/// A write the coordinator is still replicating.
#[derive(Debug, Clone, Copy)]
pub struct Pending {
    pub op: u32,
    pub key: u8,
    pub version: Version,
    /// Bit per node that holds it (the coordinator included).
    pub holders: u64,
    pub client: NodeId,
    pub acked: bool,
}

/// What a data node does once its next disk sync has written a write (`ack_after =
/// fsync`).
#[derive(Debug, Clone, Copy)]
pub enum Deferred {
    /// Sends this: a replica's `Ack` to the primary, or in async mode the primary's
    /// `WriteOk` to its client.
    Send(NodeId, Msg),
    /// The primary counts its own copy of this write as held.
    Held(u32),
}

/// Replication state: each data node's view (see [`super::election`]) and what its
/// coordinator is still replicating, and the simulator's own record of the newest primary.
#[derive(Debug, Clone)]
pub struct Replication {
    /// The primary of the newest epoch any node has taken over in: whose values count as
    /// what the cluster serves, and what `@primary` names. Protocol code reads the nodes'
    /// own views, never this.
    pub primary: NodeId,
    pub epoch: u64,
    pub seq: u64,
    /// Sequence number the current epoch started after.
    pub epoch_base: u64,
    /// Data nodes in the group (primary and replicas), in id order.
    pub members: Vec<NodeId>,
    pub pending: Vec<VecDeque<Pending>>,
    retry_armed: Vec<bool>,
    /// Each data node's own view, by node id.
    pub views: Vec<super::election::View>,
    /// Per node, what waits for its next disk sync (`ack_after = fsync`); a crash loses it.
    pub deferred: Vec<Vec<Deferred>>,
    /// Reads each primary holds until its leadership is confirmed (quorum mode).
    pub held: Vec<Vec<super::reads::HeldRead>>,
    /// How many times the timestamps were switched (the high bits of every multi-writer
    /// timestamp; see [`Version::ts`]).
    pub era: u64,
}

impl Replication {
    pub fn new(p: &Params, n: usize) -> Self {
        let data = if p.kind == Kind::Replication {
            p.replicas as usize + 1
        } else {
            0
        };
        Self {
            primary: 0,
            epoch: 0,
            seq: 0,
            epoch_base: 0,
            members: (0..data as NodeId).collect(),
            pending: vec![VecDeque::new(); n],
            retry_armed: vec![false; n],
            held: vec![Vec::new(); n],
            deferred: vec![Vec::new(); n],
            views: (0..data)
                .map(|_| super::election::View {
                    primary: 0,
                    group: (1u64 << data) - 1,
                    caught_up: true,
                    ..Default::default()
                })
                .collect(),
            era: 0,
        }
    }

    /// Arms each data node's disk syncs, if simulated; their first syncs are spread over
    /// one period, as independent disks' would be.
    pub fn start(&mut self, p: &Params, out: &mut Out) {
        let data = self.views.len() as u64;
        if p.fsync_every_ms > 0 {
            for n in 0..data {
                let first = p.fsync_every_ms * 1000 * (n + 1) / data;
                out.timer(n as NodeId, first.max(1), Timer::Fsync);
            }
        }
    }

    /// Whether what a node receives counts only after its next disk sync.
    fn after_fsync(p: &Params) -> bool {
        p.fsync_every_ms > 0 && p.ack_after == AckAfter::Fsync
    }

    /// How many nodes (the coordinator included) must hold a write before `coordinator`
    /// acknowledges it, and which nodes count.
    fn needed(&self, mode: Mode, coordinator: NodeId, writers: u32) -> (usize, u64) {
        let all = self.member_mask();
        let group = match self.views.get(coordinator as usize) {
            Some(v) if writers == 1 => v.group | 1 << coordinator,
            _ => all,
        };
        match mode {
            Mode::Async => (1, all),
            Mode::Sync => (group.count_ones() as usize, group),
            Mode::Quorum => (self.members.len() / 2 + 1, all),
        }
    }

    fn member_mask(&self) -> u64 {
        self.members.iter().fold(0, |m, &i| m | 1 << i)
    }

    /// (ms, writes behind) of `node` relative to the primary; see [`super::metrics`].
    pub fn lag(&self, nodes: &[Node], node: NodeId, now_us: u64) -> (f64, u64) {
        let Some((p, r)) = self.pair(nodes, node) else {
            return (0.0, 0);
        };
        let epoch_of = |v: &Version| v.ts >> SEQ_BITS;
        let seq_of = |v: &Version| v.ts & ((1 << SEQ_BITS) - 1);
        let mut replica_seq = self.epoch_base;
        let mut missing_keys = 0;
        for (pv, rv) in p.store.iter().zip(&r.store) {
            if let Some(rv) = rv
                && epoch_of(rv) == self.epoch
            {
                replica_seq = replica_seq.max(seq_of(rv));
            }
            if pv.is_some_and(|pv| rv.is_none_or(|rv| pv.newer_than(&rv))) {
                missing_keys += 1;
            }
        }
        let ms = Self::oldest_missing_us(p, r)
            .map_or(0.0, |t| super::time::ms_f64(now_us.saturating_sub(t)));
        // A replica that holds later writes but missed an earlier one (dropped, never
        // re-sent in async mode) is still behind on that key.
        (ms, self.seq.saturating_sub(replica_seq).max(missing_keys))
    }

    /// The primary and `node`, when `node` is a member other than the primary.
    fn pair<'a>(&self, nodes: &'a [Node], node: NodeId) -> Option<(&'a Node, &'a Node)> {
        let (p, r) = (nodes.get(self.primary as usize)?, nodes.get(node as usize)?);
        (node != self.primary && self.members.contains(&node)).then_some((p, r))
    }

    /// When the primary applied the oldest write that replica `r` lacks (true µs).
    fn oldest_missing_us(p: &Node, r: &Node) -> Option<u64> {
        p.store
            .iter()
            .zip(&r.store)
            .filter_map(|(pv, rv)| match (pv, rv) {
                (Some(pv), Some(rv)) if !pv.newer_than(rv) => None,
                (Some(pv), _) => Some(pv.at_us),
                (None, _) => None,
            })
            .min()
    }
}

/// What a client tells a coordinator it has seen (several writers).
#[derive(Debug, Clone, Copy)]
struct Seen {
    ts: u64,
    vv: Vv,
}

/// A client's write as it reaches the node that coordinates it.
#[derive(Debug, Clone, Copy)]
struct WriteRequest {
    client: NodeId,
    op: u32,
    key: u8,
    value: i64,
    seen: Seen,
}

impl Replication {
    /// Reacts to the writes a data node receives: a client's `Write`, a coordinator's
    /// `Replicate`, a replica's `Ack`.
    pub fn on_message(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        from: NodeId,
        to: NodeId,
        msg: Msg,
        out: &mut Out,
    ) {
        match msg {
            Msg::Write {
                op,
                key,
                value,
                seen_ts,
                seen_vv,
            } => {
                let seen = Seen {
                    ts: seen_ts,
                    vv: seen_vv,
                };
                let w = WriteRequest {
                    client: from,
                    op,
                    key,
                    value,
                    seen,
                };
                self.coordinate(cx, det, to, w, out)
            }
            Msg::Replicate { key, version } => {
                if !self.admit_write(cx, det, from, to, &version, out) {
                    return;
                }
                if cx.params.writers > 1 {
                    self.receive_version(cx, to, key, version, out);
                } else {
                    cx.nodes[to as usize].apply(key, version);
                }
                if cx.params.mode != Mode::Async {
                    let ack = Msg::Ack {
                        write: version.write,
                    };
                    if Replication::after_fsync(cx.params) {
                        self.deferred[to as usize].push(Deferred::Send(from, ack));
                    } else {
                        out.send(to, from, ack);
                    }
                }
            }
            Msg::Ack { write } => self.on_ack(cx, to, from, write, out),
            _ => {}
        }
    }

    /// The coordinator's half of `replicate_write`: append locally, send to each replica.
    fn coordinate(
        &mut self,
        cx: &mut Ctx,
        det: &Detector,
        me: NodeId,
        w: WriteRequest,
        out: &mut Out,
    ) {
        let WriteRequest {
            client,
            op,
            key,
            value,
            seen,
        } = w;
        let p = cx.params;
        let single = p.writers == 1;
        if !self.members.contains(&me) {
            out.send(me, client, Msg::WriteFail { op });
            return;
        }
        if single && !self.views[me as usize].serving(me) {
            self.send_elsewhere(det, me, client, op, out);
            return;
        }
        let queue = &mut self.pending[me as usize];
        if queue.len() >= PENDING_MAX {
            if queue.front().is_some_and(|w| w.acked) {
                queue.pop_front();
            } else {
                out.send(me, client, Msg::WriteFail { op });
                return;
            }
        }
        let (ts, stamp, vv) = if single {
            self.seq += 1;
            let ts = (self.views[me as usize].epoch << SEQ_BITS) | self.seq;
            (ts, Stamp::Sequence, Vv::default())
        } else {
            self.stamp(cx, me, seen)
        };
        let version = Version {
            value,
            write: op,
            ts,
            stamp,
            origin: me,
            at_us: cx.now_us,
            vv,
        };
        if single {
            cx.nodes[me as usize].apply(key, version);
        } else {
            cx.outcomes.stamp(op, me, vv);
            self.keep(cx, me, key, version, out);
        }
        for &r in &self.members {
            if r != me {
                out.send(me, r, Msg::Replicate { key, version });
            }
        }
        let mode = p.mode;
        // With `ack_after = fsync` its own copy counts once its disk sync has written it.
        let deferred = Replication::after_fsync(p);
        let acked = !deferred && (mode == Mode::Async || self.needed(mode, me, p.writers).0 <= 1);
        let ok = Msg::WriteOk { op, ts, vv };
        if acked {
            out.send(me, client, ok);
        } else if deferred {
            let d = if mode == Mode::Async {
                Deferred::Send(client, ok)
            } else {
                Deferred::Held(op)
            };
            self.deferred[me as usize].push(d);
        }
        if mode != Mode::Async {
            let pending = Pending {
                op,
                key,
                version,
                holders: if deferred { 0 } else { 1 << me },
                client,
                acked,
            };
            self.pending[me as usize].push_back(pending);
            if !self.retry_armed[me as usize] {
                self.retry_armed[me as usize] = true;
                out.timer(me, p.retry_ms * 1000, Timer::Retry);
            }
        }
    }

    /// A multi-writer timestamp for a new write coordinated by `me` for a client that has
    /// seen `seen`: its local wall clock or its Lamport clock in the current era, and the
    /// version vector of everything `me` and the client have seen. A Lamport clock only
    /// jumps past stamps of its own era: a wall-clock reading is not a Lamport time.
    fn stamp(&self, cx: &mut Ctx, me: NodeId, seen: Seen) -> (u64, Stamp, Vv) {
        let era = self.era;
        let now_us = cx.now_us;
        let node = &mut cx.nodes[me as usize];
        let mut known = node.known;
        known.merge(&seen.vv);
        let vv = known.next(me);
        node.known = vv;
        let wall = || (node.clock.local_us(now_us) + WALL_EPOCH_US as i64).max(0) as u64;
        let (raw, stamp) = match cx.params.timestamps {
            Stamps::Wall => (wall(), Stamp::Wall),
            Stamps::Vector => (wall(), Stamp::Vector),
            Stamps::Lamport => {
                let l = if seen.ts >> ERA_SHIFT == era {
                    node.lamport.observe(seen.ts & ((1 << ERA_SHIFT) - 1))
                } else {
                    node.lamport.tick()
                };
                (l, Stamp::Lamport)
            }
        };
        let ts = (era << ERA_SHIFT) | raw.min((1 << ERA_SHIFT) - 1);
        (ts, stamp, vv)
    }

    /// A data node receives another coordinator's write (several writers): it has now seen
    /// it, and keeps it by last-writer-wins or, with version vectors, beside concurrent ones.
    fn receive_version(
        &mut self,
        cx: &mut Ctx,
        me: NodeId,
        key: u8,
        version: Version,
        out: &mut Out,
    ) {
        cx.nodes[me as usize].known.merge(&version.vv);
        self.keep(cx, me, key, version, out);
    }

    /// Stores `version` at `me` as the timestamp setting says, records conflicts that
    /// version vectors detect, and checks the key's acknowledged writes.
    fn keep(&mut self, cx: &mut Ctx, me: NodeId, key: u8, version: Version, out: &mut Out) {
        let node = &mut cx.nodes[me as usize];
        // The cluster's setting decides, not the stamp: a write stamped before a switch to
        // version vectors still carries the vector of what its coordinator had seen.
        if cx.params.timestamps == Stamps::Vector {
            let (kept, beside) = node.apply_vector(key, version);
            if kept && !beside.is_empty() {
                cx.conflict(me, key, version, &beside, out);
            }
        } else {
            node.apply(key, version);
        }
        cx.check_key(self, key, out);
    }

    /// `from` (or, after its disk sync, `me` itself) holds write `write`: the coordinator
    /// acknowledges it to its client once enough nodes do.
    fn on_ack(&mut self, cx: &mut Ctx, me: NodeId, from: NodeId, write: u32, out: &mut Out) {
        if cx.params.writers == 1 && !self.views[me as usize].serving(me) {
            // No longer primary (restarted, or deposed): it acknowledges nothing.
            return;
        }
        let (needed, members) = self.needed(cx.params.mode, me, cx.params.writers);
        let queue = &mut self.pending[me as usize];
        let Some(i) = queue.iter().position(|p| p.op == write) else {
            return;
        };
        let p = &mut queue[i];
        p.holders |= 1 << from;
        if !p.acked && (p.holders & members).count_ones() as usize >= needed {
            p.acked = true;
            out.send(
                me,
                p.client,
                Msg::WriteOk {
                    op: p.op,
                    ts: p.version.ts,
                    vv: p.version.vv,
                },
            );
        }
        let newly = p.acked;
        if p.acked && p.holders & members == members {
            queue.remove(i);
        }
        if newly && self.held.get(me as usize).is_some_and(|h| !h.is_empty()) {
            self.answer_held(cx.nodes, me, out);
        }
    }

    /// The retry timer: re-sends every unacknowledged value to the replicas that have not
    /// confirmed it.
    pub fn on_retry(&mut self, cx: &mut Ctx, me: NodeId, out: &mut Out) {
        let (_, counted) = self.needed(cx.params.mode, me, cx.params.writers);
        let queue = &self.pending[me as usize];
        for p in queue {
            for &r in &self.members {
                if r != me && counted & (1 << r) != 0 && p.holders & (1 << r) == 0 {
                    out.send(
                        me,
                        r,
                        Msg::Replicate {
                            key: p.key,
                            version: p.version,
                        },
                    );
                }
            }
        }
        if queue.is_empty() {
            self.retry_armed[me as usize] = false;
        } else {
            out.timer(me, cx.params.retry_ms * 1000, Timer::Retry);
        }
    }

    /// A crash loses what a node held only in memory: the writes it was still replicating
    /// (their re-sends stop), the reads and acknowledgements it was holding, and, when disk
    /// syncs are simulated, every value its last sync did not write (otherwise the stored
    /// values are its disk, and survive). A client's operations become unknown when it
    /// restarts (see [`super::client::Clients::restart`]). The retry timer's chain runs on
    /// and stops by itself on the empty queue. (Its clocks and its view of who is primary
    /// survive: a real node keeps its term on disk, written before it answers.)
    pub fn lose_volatile_state(&mut self, cx: &mut Ctx, node: NodeId, out: &mut Out) {
        if let Some(q) = self.pending.get_mut(node as usize) {
            q.clear();
        }
        if let Some(h) = self.held.get_mut(node as usize) {
            h.clear();
        }
        if let Some(d) = self.deferred.get_mut(node as usize) {
            d.clear();
        }
        if cx.params.fsync_every_ms > 0 && (node as usize) < self.views.len() {
            let values = cx.nodes[node as usize].revert_to_disk();
            if !values.is_empty() {
                self.views[node as usize].lost_memory = true;
                cx.metrics.unsynced_copies_lost += values.len() as u64;
                out.event(EventKind::MemoryLost { node, values });
            }
        }
    }

    /// A data node's disk sync timer: its memory is written to disk, and what waited for
    /// that is done.
    pub fn on_fsync(&mut self, cx: &mut Ctx, me: NodeId, out: &mut Out) {
        out.timer(me, cx.params.fsync_every_ms.max(1) * 1000, Timer::Fsync);
        cx.nodes[me as usize].sync_to_disk(cx.now_us);
        for d in std::mem::take(&mut self.deferred[me as usize]) {
            match d {
                Deferred::Send(to, msg) => out.send(me, to, msg),
                Deferred::Held(write) => self.on_ack(cx, me, me, write, out),
            }
        }
    }

    /// A crash can change what the cluster serves (several writers).
    pub fn after_membership_change(&self, cx: &mut Ctx, out: &mut Out) {
        if cx.params.kind == Kind::Replication && cx.params.writers > 1 {
            for k in 0..cx.params.keys as u8 {
                cx.check_key(self, k, out);
            }
        }
    }

    /// A data node starts again: with one writer it asks the others who is primary (the
    /// primary's values reach it by messages, see [`super::election`]); with several, a
    /// former member rejoins the group.
    pub fn restart(&mut self, cx: &mut Ctx, det: &mut Detector, node: NodeId, out: &mut Out) {
        let data = cx.params.replicas as NodeId + 1;
        if node < data {
            if cx.params.writers == 1 {
                self.rejoin(cx, det, node, out);
            } else if !self.members.contains(&node) {
                self.members.push(node);
                self.members.sort_unstable();
            }
        }
    }

    /// Records the largest replication lag of a data node that is up (sampled at each
    /// client tick).
    pub fn sample_lag(&self, cx: &mut Ctx) {
        for &m in &self.members {
            if !cx.nodes[m as usize].is_up() {
                continue;
            }
            let Some((p, r)) = self.pair(cx.nodes, m) else {
                continue;
            };
            if let Some(t) = Self::oldest_missing_us(p, r) {
                let ms = super::time::ms_f64(cx.now_us.saturating_sub(t));
                if ms > cx.metrics.max_replication_lag_ms {
                    cx.metrics.max_replication_lag_ms = ms;
                }
            }
        }
    }
}
