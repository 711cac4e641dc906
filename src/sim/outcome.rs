//! Outcomes computed from the simulated state: lost acknowledged writes, stale reads and
//! divergence. The exact definitions are in [`super::metrics`].

use std::collections::VecDeque;

use super::Sim;
use super::causal::Vv;
use super::engine::{Ctx, Out};
use super::event::EventKind;
use super::msg::{NodeId, Version};
use super::node::Node;
use super::params::{Kind, Params};
use super::replication::Replication;

/// Writes remembered for outcome checks; older ones count as long settled.
pub const WRITE_LOG_MAX: usize = 8192;
const NOT_ACKED: u64 = u64::MAX;

#[derive(Debug, Clone, Copy)]
struct WriteRec {
    op: u32,
    key: u8,
    value: i64,
    invoke_us: u64,
    ack_us: u64,
    /// When it was first known to have taken effect: acknowledged, or returned by a read
    /// (an unacknowledged write can be read before it is lost or times out).
    visible_us: u64,
    lost: bool,
    /// Several writers: its coordinator and version vector, once coordinated.
    coord: Option<NodeId>,
    vv: Vv,
    /// Version vectors found it concurrent with another write (counted once).
    conflicted: bool,
}

/// The write log and per-key bookkeeping.
#[derive(Debug, Clone)]
pub struct Outcomes {
    writes: VecDeque<WriteRec>,
    latest_acked: Vec<Option<u32>>,
    latest_read: Vec<Option<u32>>,
    /// Per key: the latest invoke time among acknowledged writes not yet counted lost.
    open_invoke_us: Vec<u64>,
    next_op: u32,
}

impl Outcomes {
    pub fn new(keys: usize) -> Self {
        Self {
            writes: VecDeque::new(),
            latest_acked: vec![None; keys],
            latest_read: vec![None; keys],
            open_invoke_us: vec![0; keys],
            next_op: 0,
        }
    }

    pub fn next_op(&mut self) -> u32 {
        self.next_op += 1;
        self.next_op
    }

    pub fn invoke_write(&mut self, key: u8, value: i64, now_us: u64) -> u32 {
        let op = self.next_op();
        if self.writes.len() >= WRITE_LOG_MAX {
            self.writes.pop_front();
        }
        self.writes.push_back(WriteRec {
            op,
            key,
            value,
            invoke_us: now_us,
            ack_us: NOT_ACKED,
            visible_us: NOT_ACKED,
            lost: false,
            coord: None,
            vv: Vv::default(),
            conflicted: false,
        });
        op
    }

    /// Where write `op` is in the log. Ops increase along it, and the one asked for is
    /// nearly always among the last few (an acknowledgement follows its write within a
    /// round trip), so look there before searching the whole log.
    fn index(&self, op: u32) -> Option<usize> {
        let n = self.writes.len();
        for i in (n.saturating_sub(4)..n).rev() {
            let at = self.writes[i].op;
            if at == op {
                return Some(i);
            }
            if at < op {
                return None;
            }
        }
        self.writes.binary_search_by_key(&op, |w| w.op).ok()
    }

    fn find(&self, op: u32) -> Option<&WriteRec> {
        self.writes.get(self.index(op)?)
    }

    /// When `op` was acknowledged: `None` if never (yet); 0 if too old to remember.
    fn ack_of(&self, op: u32) -> u64 {
        match self.writes.front() {
            Some(f) if op >= f.op => self.find(op).map_or(0, |w| w.ack_us),
            _ => 0,
        }
    }

    pub fn ack(&mut self, op: u32, now_us: u64) {
        let Some(i) = self.index(op) else {
            return;
        };
        let w = &mut self.writes[i];
        w.ack_us = now_us;
        w.visible_us = w.visible_us.min(now_us);
        let k = w.key as usize;
        self.open_invoke_us[k] = self.open_invoke_us[k].max(w.invoke_us);
        let newer = self.latest_acked[k].is_none_or(|l| self.ack_of(l) <= now_us);
        if newer {
            self.latest_acked[k] = Some(op);
        }
    }

    /// Several writers: `op` was coordinated by `coord` with version vector `vv` (the
    /// first coordination counts).
    pub fn stamp(&mut self, op: u32, coord: NodeId, vv: Vv) {
        if let Some(i) = self.index(op) {
            let w = &mut self.writes[i];
            if w.coord.is_none() {
                w.coord = Some(coord);
                w.vv = vv;
            }
        }
    }

    /// Marks `op` as found concurrent with another write; true the first time.
    pub fn mark_conflicted(&mut self, op: u32) -> bool {
        match self.index(op) {
            Some(i) if !self.writes[i].conflicted => {
                self.writes[i].conflicted = true;
                true
            }
            _ => false,
        }
    }

    /// Several writers: marks the acknowledged writes of `key` that are neither kept by
    /// the cluster (`served`: every write it serves for the key) nor seen by a write it
    /// keeps; returns each with whether it was discarded for a concurrent write (`true`)
    /// or overwritten by one it had itself seen, or left with nothing (`false`).
    /// `winner` is the write the cluster serves first.
    pub fn check_causal(
        &mut self,
        key: u8,
        served: &[Version],
        winner: Option<Version>,
        lost: &mut Vec<(u32, i64, bool)>,
    ) {
        for w in self
            .writes
            .iter_mut()
            .filter(|w| w.key == key && w.ack_us != NOT_ACKED && !w.lost && w.coord.is_some())
        {
            let coord = w.coord.unwrap_or_default();
            let n = w.vv.0.get(coord as usize).copied().unwrap_or(0);
            let kept = served
                .iter()
                .any(|v| v.write == w.op || v.vv.has_seen(coord, n));
            if kept {
                continue;
            }
            w.lost = true;
            let concurrent = winner.is_some_and(|s| !w.vv.descends(&s.vv));
            lost.push((w.op, w.value, concurrent));
        }
    }

    pub fn latest_acked(&self, key: u8) -> Option<u32> {
        self.latest_acked[key as usize]
    }

    /// Marks the acknowledged writes of `key` that `served` makes lost; returns them.
    pub fn check(&mut self, key: u8, served: Option<Version>, lost: &mut Vec<(u32, i64)>) {
        let threshold = served.map_or(0, |v| self.ack_of(v.write));
        let k = key as usize;
        if threshold == NOT_ACKED || threshold >= self.open_invoke_us[k] {
            return;
        }
        let mut open = 0;
        for w in self
            .writes
            .iter_mut()
            .filter(|w| w.key == key && w.ack_us != NOT_ACKED && !w.lost)
        {
            if w.invoke_us > threshold {
                w.lost = true;
                lost.push((w.op, w.value));
            } else {
                open = open.max(w.invoke_us);
            }
        }
        self.open_invoke_us[k] = open;
    }

    /// The newest write (by when it was invoked) that a finished read of `key` returned.
    pub fn latest_read(&self, key: u8) -> Option<u32> {
        self.latest_read[key as usize]
    }

    /// A read of `key` returned write `op` at `now_us`.
    pub fn read_returned(&mut self, key: u8, op: u32, now_us: u64) {
        if let Some(i) = self.index(op) {
            let w = &mut self.writes[i];
            w.visible_us = w.visible_us.min(now_us);
        }
        let invoke = |o: Option<u32>| o.and_then(|o| self.find(o)).map(|w| w.invoke_us);
        let newer = match (invoke(Some(op)), invoke(self.latest_read[key as usize])) {
            (Some(new), Some(old)) => new > old,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if newer {
            self.latest_read[key as usize] = Some(op);
        }
    }

    /// Is a read that returned `got` stale, given a write it must see (one acknowledged,
    /// or returned by another read, before it began)? Returns that write's value.
    pub fn stale(&self, must_see: Option<u32>, got: Option<Version>) -> Option<i64> {
        let m = self.find(must_see?)?;
        // Fresh: the write it must see, or one that took effect no earlier than that write
        // began (acknowledged or first read after it), so it may be ordered after it.
        let visible = |op: u32| match self.writes.front() {
            Some(f) if op >= f.op => self.find(op).map_or(0, |w| w.visible_us),
            _ => 0,
        };
        let fresh = got.is_some_and(|g| g.write == m.op || visible(g.write) >= m.invoke_us);
        (!fresh).then_some(m.value)
    }
}

impl Replication {
    /// The version of `key` the cluster serves now: the primary's; with several writers,
    /// the last-writer-wins winner among the data nodes that are up.
    pub fn served(&self, p: &Params, nodes: &[Node], key: u8) -> Option<Version> {
        if p.writers == 1 {
            return nodes[self.primary as usize].store[key as usize];
        }
        let mut best: Option<Version> = None;
        for &m in &self.members {
            let n = &nodes[m as usize];
            if let (true, Some(v)) = (n.is_up(), n.store[key as usize])
                && best.is_none_or(|b| v.newer_than(&b))
            {
                best = Some(v);
            }
        }
        best
    }

    /// Several writers: every write of `key` the cluster still serves: the
    /// last-writer-wins winner, and with version vectors each sibling that the data nodes
    /// that are up keep and no kept write has seen.
    pub fn served_all(&self, p: &Params, nodes: &[Node], key: u8) -> Vec<Version> {
        let mut all: Vec<Version> = Vec::new();
        for &m in &self.members {
            let n = &nodes[m as usize];
            if n.is_up() {
                all.extend(n.kept(key).copied());
            }
        }
        let winner = self.served(p, nodes, key);
        if p.timestamps != super::params::Stamps::Vector {
            return winner.into_iter().collect();
        }
        let top = |v: &Version| {
            !all.iter()
                .any(|o| o.write != v.write && o.vv.descends(&v.vv) && o.vv != v.vv)
        };
        let mut kept: Vec<Version> = all.iter().copied().filter(|v| top(v)).collect();
        kept.sort_by_key(|v| v.write);
        kept.dedup_by_key(|v| v.write);
        kept
    }
}

impl Sim {
    /// The version of `key` the cluster serves now (see [`Replication::served`]).
    pub fn served(&self, key: u8) -> Option<Version> {
        self.rep.served(&self.params, &self.nodes, key)
    }

    /// Several writers: every write of `key` the cluster still serves (see
    /// [`Replication::served_all`]).
    pub fn served_all(&self, key: u8) -> Vec<Version> {
        self.rep.served_all(&self.params, &self.nodes, key)
    }

    /// Do two data nodes that are up hold different values for some key right now? (The
    /// outcome "divergence" is this, checked once the network is quiet, in [`Sim::finish`].)
    pub fn diverged(&self) -> bool {
        let mut up = (self.rep.members.iter())
            .map(|&m| &self.nodes[m as usize])
            .filter(|n| n.is_up());
        let Some(first) = up.next() else { return false };
        let writes = |n: &super::Node| {
            n.store
                .iter()
                .map(|v| v.map(|v| v.write))
                .collect::<Vec<_>>()
        };
        let first = writes(first);
        up.any(|n| writes(n) != first)
    }

    /// Whether the data nodes that are up still disagree once the protocol has settled: on
    /// a copy of the cluster, the workload stops (no new operations) while re-sends,
    /// heartbeats, elections and catch-up run on for [`SETTLE_PERIODS`] of the slowest of
    /// `retry_ms`, `heartbeat_ms` and `timeout_ms`; then the messages in flight land.
    pub fn settled_divergence(&self) -> bool {
        if self.params.kind != Kind::Replication || self.quiet {
            return self.diverged();
        }
        let mut probe = self.clone();
        probe.settling = true;
        let p = &probe.params;
        let period_ms = p.retry_ms.max(p.heartbeat_ms).max(p.timeout_ms).max(1);
        let until = probe.now_us + period_ms * 1000 * SETTLE_PERIODS;
        probe.run_until(until, &mut |_| {});
        probe.quiet = true;
        let mut budget = 1_000_000u32;
        while probe.net.in_flight_count() > 0 && budget > 0 {
            budget -= 1;
            if !probe.step(&mut |_| {}) {
                break;
            }
        }
        probe.diverged()
    }

    /// Ends a run: stops the workload and timers, lets the messages in flight land, then
    /// checks every key for lost writes and counts pending orders. Divergence is measured
    /// on a copy of the cluster that was left to settle (see [`Sim::settled_divergence`]),
    /// so the run itself ends where it ended.
    pub fn finish(&mut self, sink: &mut impl FnMut(&Event)) {
        let settled = self.settled_divergence();
        self.quiet = true;
        // Bounded: with timers off, only replies to deliveries can still be sent.
        let mut budget = 1_000_000u32;
        while self.net.in_flight_count() > 0 && budget > 0 {
            budget -= 1;
            if !self.step(sink) {
                break;
            }
        }
        let mut out = std::mem::take(&mut self.out);
        let (mut cx, p) = self.split();
        for k in 0..cx.params.keys as u8 {
            cx.check_key(p.rep, k, &mut out);
        }
        self.metrics.divergence = settled;
        self.metrics.orders_pending = self.shop.pending();
        self.flush(&mut out, sink);
        self.out = out;
    }
}

use super::event::Event;

impl Ctx<'_> {
    /// Checks `key`'s acknowledged writes against what the cluster serves now: counts and
    /// reports those lost or, with version vectors, discarded for a concurrent write.
    pub fn check_key(&mut self, rep: &Replication, key: u8, out: &mut Out) {
        if self.params.kind != Kind::Replication {
            return;
        }
        if self.params.writers == 1
            && self.params.fsync_every_ms > 0
            && !self.quiet
            && (self.nodes[rep.primary as usize].is_crashed()
                || (rep.views.get(rep.primary as usize)).is_some_and(|v| !v.serving(rep.primary)))
        {
            // With simulated disks the crash erased the primary's memory, but the others
            // may still hold what it lost: the next primary to serve, or the run's end,
            // decides (a restarted primary that does not serve yet is still recovering).
            // (Without them a crashed primary's values are what it will serve again.)
            return;
        }
        let served = rep.served(self.params, self.nodes, key);
        if self.params.writers == 1 {
            let mut lost = Vec::new();
            self.outcomes.check(key, served, &mut lost);
            for (op, value) in lost {
                self.metrics.acked_writes_lost += 1;
                out.event(EventKind::WriteLost {
                    op,
                    key,
                    value,
                    primary: rep.primary,
                    served: served.map(|v| v.value),
                });
            }
            return;
        }
        let all = rep.served_all(self.params, self.nodes, key);
        let mut lost = Vec::new();
        self.outcomes.check_causal(key, &all, served, &mut lost);
        for (op, value, concurrent) in lost {
            match served {
                Some(s) if concurrent => {
                    self.metrics.concurrent_writes_discarded += 1;
                    let winner = s.value;
                    out.event(EventKind::WriteDiscarded {
                        op,
                        key,
                        value,
                        winner,
                    });
                }
                _ => {
                    self.metrics.acked_writes_lost += 1;
                    out.event(EventKind::WriteLost {
                        op,
                        key,
                        value,
                        primary: super::replication::NO_NODE,
                        served: served.map(|v| v.value),
                    });
                }
            }
        }
    }

    /// Version vectors found `version` concurrent with the writes `beside` at `me`.
    pub fn conflict(
        &mut self,
        me: NodeId,
        key: u8,
        version: Version,
        beside: &[Version],
        out: &mut Out,
    ) {
        for w in std::iter::once(&version).chain(beside) {
            if self.outcomes.mark_conflicted(w.write) {
                self.metrics.conflicts += 1;
            }
        }
        if let Some(other) = beside.first() {
            out.event(EventKind::Conflict {
                node: me,
                key,
                value: version.value,
                other: other.value,
                kept: (beside.len() + 1).min(255) as u8,
            });
        }
    }
}

/// How long a finished run's copy settles before divergence is measured, in periods of its
/// slowest protocol timer.
pub const SETTLE_PERIODS: u64 = 10;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The write log's lookup finds what a plain search finds, for ops near the end,
        /// far back, between writes (reads take op numbers too) and past the end.
        #[test]
        fn finding_a_write_agrees_with_a_search(
            steps in proptest::collection::vec(any::<bool>(), 1..60),
            probe in 0u32..70,
        ) {
            let mut o = Outcomes::new(1);
            let mut writes = Vec::new();
            for write in steps {
                if write {
                    writes.push(o.invoke_write(0, 1, 0));
                } else {
                    o.next_op();
                }
            }
            let expected = writes.iter().position(|&w| w == probe);
            prop_assert_eq!(o.index(probe), expected);
        }
    }

    fn v(op: u32) -> Version {
        Version {
            value: op as i64,
            write: op,
            ts: op as u64,
            stamp: super::super::msg::Stamp::Sequence,
            origin: 0,
            at_us: 0,
            vv: Vv::default(),
        }
    }

    fn vv(a: &[u32]) -> Vv {
        let mut v = Vv::default();
        v.0[..a.len()].copy_from_slice(a);
        v
    }

    #[test]
    fn a_causally_earlier_winner_loses_a_write_a_concurrent_one_discards_it() {
        let mut o = Outcomes::new(1);
        // a by node 0; b by node 1 after seeing a; c by node 0 without seeing b.
        let (a, b, c) = (
            o.invoke_write(0, 1, 0),
            o.invoke_write(0, 2, 1),
            o.invoke_write(0, 3, 2),
        );
        o.stamp(a, 0, vv(&[1, 0]));
        o.stamp(b, 1, vv(&[1, 1]));
        o.stamp(c, 0, vv(&[2, 0]));
        o.stamp(c, 1, vv(&[9, 9])); // a second coordination does not restamp
        for w in [a, b, c] {
            o.ack(w, 5);
        }
        let served = |w: u32, x: &[u32]| Version { vv: vv(x), ..v(w) };
        let mut lost = Vec::new();
        // a serves: b had seen a (a causally earlier winner), and c is concurrent with a?
        // No: c has seen a. Both b and c are lost to a causally earlier write.
        o.check_causal(
            0,
            &[served(a, &[1, 0])],
            Some(served(a, &[1, 0])),
            &mut lost,
        );
        assert_eq!(lost, vec![(b, 2, false), (c, 3, false)]);
        let mut o2 = Outcomes::new(1);
        let (a, b) = (o2.invoke_write(0, 1, 0), o2.invoke_write(0, 2, 1));
        o2.stamp(a, 0, vv(&[1, 0]));
        o2.stamp(b, 1, vv(&[0, 1]));
        o2.ack(a, 5);
        o2.ack(b, 5);
        let mut lost = Vec::new();
        let win = served(b, &[0, 1]);
        o2.check_causal(0, &[win], Some(win), &mut lost);
        assert_eq!(lost, vec![(a, 1, true)], "concurrent: discarded, not lost");
        // Kept as siblings, or seen by a kept write: nothing lost.
        let mut o3 = Outcomes::new(1);
        let (a, b) = (o3.invoke_write(0, 1, 0), o3.invoke_write(0, 2, 1));
        o3.stamp(a, 0, vv(&[1, 0]));
        o3.stamp(b, 1, vv(&[0, 1]));
        o3.ack(a, 5);
        o3.ack(b, 5);
        let mut lost = Vec::new();
        let both = [served(a, &[1, 0]), served(b, &[0, 1])];
        o3.check_causal(0, &both, Some(both[1]), &mut lost);
        let later = served(9, &[2, 1]);
        o3.check_causal(0, &[later], Some(later), &mut lost);
        assert!(lost.is_empty());
        assert!(o3.mark_conflicted(a) && !o3.mark_conflicted(a));
    }

    #[test]
    fn served_older_write_loses_later_acked_ones() {
        let mut o = Outcomes::new(1);
        let a = o.invoke_write(0, 1, 10);
        o.ack(a, 20);
        let b = o.invoke_write(0, 2, 30);
        o.ack(b, 40);
        let mut lost = Vec::new();
        o.check(0, Some(v(b)), &mut lost);
        assert!(lost.is_empty());
        o.check(0, Some(v(a)), &mut lost);
        assert_eq!(lost, vec![(b, 2)]);
        o.check(0, None, &mut lost);
        assert_eq!(lost, vec![(b, 2), (a, 1)], "each write is counted once");
    }

    #[test]
    fn stale_read_definition() {
        let mut o = Outcomes::new(1);
        let a = o.invoke_write(0, 1, 10);
        o.ack(a, 20);
        let b = o.invoke_write(0, 2, 30);
        o.ack(b, 40);
        assert_eq!(o.stale(Some(b), Some(v(a))), Some(2));
        assert_eq!(o.stale(Some(b), None), Some(2));
        assert_eq!(o.stale(Some(b), Some(v(b))), None);
        assert_eq!(o.stale(None, None), None);
        // A concurrent (unacknowledged) newer write is not stale.
        let c = o.invoke_write(0, 3, 50);
        assert_eq!(o.stale(Some(b), Some(v(c))), None);
    }
}
