//! Who is primary, decided by messages. Every data node keeps its own view (the epoch it
//! knows and who it believes is primary of it); nothing reads another node's memory.
//!
//! - A replica that suspects its primary takes over: in `async` and `sync` modes the
//!   lowest-numbered replica promotes itself at once (with `failover = freshest` it first
//!   gathers the others' newest values); in `quorum` mode it stands for the next epoch, needs
//!   the votes of a majority, then gathers the newest value of each key from a majority
//!   before it serves.
//! - The new primary announces its epoch to the others (a `View`), and heartbeats carry it.
//!   A node that learns of a newer epoch adopts it; a primary that learns of one steps down,
//!   redirects its waiting clients, and reconciles: it asks the new primary for its values
//!   (`Hello`) and takes them, dropping whatever it held that was never replicated.
//! - Nothing stops a deposed primary that has not heard the news from serving the clients
//!   that still reach it (split brain). With `fencing = true` every node refuses what a
//!   primary of an older epoch sends it and tells it the newer epoch, so the deposed
//!   primary cannot get a write acknowledged by anyone who has moved on.
//! - A restarted node knows nobody as primary until a `View` tells it; its values are
//!   brought up to date by the primary's `Sync` messages. When a majority answers that it
//!   knows no primary either (the whole cluster restarted, after a power loss), the mode's
//!   rule picks one as if the old primary were suspected: an election in quorum mode, the
//!   lowest-numbered node first otherwise (after gathering, with `failover = freshest`).

use super::detector::Detector;
use super::engine::{Ctx, Out, Timer};
use super::event::EventKind;
use super::msg::{Msg, NodeId, Version};
use super::node::{Node, Role};
use super::params::{Failover, Kind, Mode, Params};
use super::replication::{NO_NODE, Replication, SEQ_BITS};

/// One data node's view of the group.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The highest epoch it knows of.
    pub epoch: u64,
    /// Who it believes is primary of `epoch` ([`NO_NODE`]: it does not know).
    pub primary: NodeId,
    /// The highest epoch it has voted in (quorum mode).
    pub voted: u64,
    /// The epoch it stands for or is taking over in (0: neither).
    pub standing: u64,
    /// Nodes that voted for it in `standing` (bit per node, itself included).
    pub votes: u64,
    /// While taking over: the keys received from each node (bit per key), by node.
    pub gathered: Vec<u64>,
    /// As primary: the nodes whose confirmation sync mode waits for (bit per node).
    pub group: u64,
    /// A take-over it has put off: the primary it suspected, to replace when the election
    /// timer fires unless it hears of a new primary first (a lost election in quorum mode,
    /// or a replica further down the line waiting for the one before it).
    pub again: Option<NodeId>,
    /// It holds every write its primary acknowledged: true from the start, false after a
    /// restart or a step-down until the primary's values (`Sync`, `adopt`) have all come.
    pub caught_up: bool,
    /// While catching up: the keys the primary has sent (bit per key).
    pub adopted: u64,
    /// Whether its election timer is set to ask again (one chain at a time).
    pub asking: bool,
    /// While it knows no primary: the nodes (itself included) that said in this round of
    /// asking that they know none either (bit per node), and the newest epoch they know.
    pub unaware: u64,
    pub unaware_epoch: u64,
    /// Rounds of asking in which a majority knew no primary (see `cold_start`).
    pub unaware_rounds: u64,
    /// Whether it was caught up when it went down (kept through a restart, as its epoch
    /// is): only such a node may take over in a cold start.
    pub was_caught_up: bool,
    /// When it last became caught up (true µs).
    pub caught_up_at_us: u64,
    /// While it stands (quorum mode): the rounds of asking for votes (one per `retry_ms`)
    /// left before it gives this epoch up and stands again, as a Raft candidate waits one
    /// randomised election timeout for its votes.
    pub patience: u64,
    /// A crash lost writes it held only in memory (disks simulated), and it has not served
    /// as primary again since, with values gathered from others.
    pub lost_memory: bool,
}

impl View {
    /// True for the primary of its epoch, serving (not still taking over).
    pub fn serving(&self, me: NodeId) -> bool {
        self.primary == me && self.standing == 0
    }

    /// What it tells a node that is behind: the newest epoch it knows of (one it has voted
    /// in counts) and that epoch's primary, if it knows it yet.
    pub fn news(&self) -> (u64, NodeId) {
        if self.voted > self.epoch {
            (self.voted, NO_NODE)
        } else {
            (self.epoch, self.primary)
        }
    }
}

/// The epoch a primary's write timestamp carries.
pub fn epoch_of(ts: u64) -> u64 {
    ts >> SEQ_BITS
}

/// `me` sends `to` the value of every key it stores, one `Sync` each: for a new primary
/// gathering (`adopt = false`) or for a node catching up (`adopt = true`).
fn send_values(nodes: &[Node], me: NodeId, to: NodeId, epoch: u64, adopt: bool, out: &mut Out) {
    for (k, &version) in nodes[me as usize].store.iter().enumerate() {
        let key = k as u8;
        out.send(
            me,
            to,
            Msg::Sync {
                epoch,
                key,
                version,
                adopt,
            },
        );
    }
}

/// `me` serves as primary (its view already says so): its role says so and it watches
/// nobody.
fn start_serving(nodes: &mut [Node], det: &mut Detector, me: NodeId) {
    nodes[me as usize].role = Role::Primary;
    det.unwatch(me);
}

/// Whether the cluster has one primary (elections and catching up apply).
fn single_primary(p: &Params) -> bool {
    p.kind == Kind::Replication && p.writers == 1
}

/// Every key, one bit each.
fn all_keys(p: &Params) -> u64 {
    (1u64 << p.keys) - 1
}

impl Replication {
    fn data_nodes(&self) -> std::ops::Range<NodeId> {
        0..self.views.len() as NodeId
    }

    fn majority(&self) -> usize {
        self.views.len() / 2 + 1
    }

    /// `monitor`'s failure detector has just suspected `target`: if that is the primary it
    /// knows, it takes over by the mode's rule.
    pub fn on_suspect(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        monitor: NodeId,
        target: NodeId,
        out: &mut Out,
    ) {
        let primary_of_monitor = self.views.get(monitor as usize).map(|v| v.primary);
        if cx.params.kind == Kind::Replication && primary_of_monitor == Some(target) {
            self.suspect_primary(cx, det, monitor, target, out);
        }
    }

    /// `me` suspects its primary `old`: take over, by the mode's rule.
    fn suspect_primary(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        me: NodeId,
        old: NodeId,
        out: &mut Out,
    ) {
        let p = cx.params;
        if !single_primary(p) || me == old {
            return;
        }
        if p.mode == Mode::Quorum {
            self.stand(cx, me, out);
            return;
        }
        if p.failover == Failover::None {
            let epoch = self.views[me as usize].epoch;
            out.event(EventKind::Failover {
                old,
                new: None,
                epoch,
            });
            return;
        }
        if !self.views[me as usize].caught_up {
            return; // it may lack acknowledged writes: it must not take over
        }
        // The line: the data nodes other than the suspected primary, lowest first. The first
        // takes over at once; each next one waits half a timeout more, in case the one
        // before it is gone too (or is not caught up), unless it hears of a new primary.
        let rank = self.data_nodes().filter(|&n| n != old && n < me).count() as u64;
        if rank > 0 {
            self.views[me as usize].again = Some(old);
            out.timer(me, rank * p.timeout_ms * 500, Timer::Election);
            return;
        }
        self.promote_in_line(cx, det, me, rank, out);
    }

    /// Async and sync modes: `me`, `rank`-th in line, takes over (with `failover =
    /// freshest`, after gathering). Nobody votes, so two nodes that cannot hear each other
    /// may both take over: each picks an epoch no other node can pick (its own residue
    /// modulo the number of data nodes, as Paxos ballots carry their proposer), past what
    /// it knows plus its rank, so two primaries never share an epoch and fencing can always
    /// tell the newer one.
    fn promote_in_line(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        me: NodeId,
        rank: u64,
        out: &mut Out,
    ) {
        let v = &self.views[me as usize];
        let n = self.views.len().max(1) as u64;
        let least = v.epoch.max(v.voted) + 1 + rank;
        let epoch = least + (u64::from(me) + n - least % n) % n;
        if cx.params.failover == Failover::Freshest {
            // Gather first: ask every other node for its values, serve once all answered or
            // when the election timer runs out.
            self.begin_gathering(cx.params, me, epoch, true);
            for n in self.data_nodes().filter(|&n| n != me) {
                out.send(me, n, Msg::Collect { epoch });
            }
            out.timer(me, cx.params.retry_ms * 1000, Timer::Election);
        } else {
            self.take_over(cx, det, me, epoch, out);
        }
    }

    /// `me` stands for (or takes over in) `epoch`: its own vote, and nothing gathered yet
    /// but, when `gathering`, its own values.
    fn begin_gathering(&mut self, p: &Params, me: NodeId, epoch: u64, gathering: bool) {
        let keys = all_keys(p);
        let n = self.views.len();
        let v = &mut self.views[me as usize];
        v.standing = epoch;
        v.voted = v.voted.max(epoch);
        v.votes = 1 << me;
        v.gathered = vec![0; n];
        if gathering {
            v.gathered[me as usize] = keys;
        }
    }

    /// Quorum mode: stand for the next epoch and ask every other node for its vote. It
    /// waits for the votes one election timeout, drawn between `timeout_ms` and twice that
    /// (Raft's randomised timeout: two candidates that split a vote seldom stand again at
    /// the same moment), asking again every `retry_ms` those that have not answered.
    fn stand(&mut self, cx: &mut Ctx, me: NodeId, out: &mut Out) {
        let p = cx.params;
        let v = &self.views[me as usize];
        if v.standing != 0 {
            return; // already standing; the election timer re-asks
        }
        let epoch = v.epoch.max(v.voted) + 1;
        // Not gathering yet: only its own values count once it has won.
        self.begin_gathering(p, me, epoch, false);
        for n in self.data_nodes().filter(|&n| n != me) {
            out.send(me, n, Msg::VoteRequest { epoch });
        }
        let timeout_us = p.timeout_ms.max(1) * 1000;
        let wait_us = timeout_us + super::net::below(cx.rng, timeout_us);
        self.views[me as usize].patience = wait_us.div_ceil(p.retry_ms.max(1) * 1000);
        out.timer(me, p.retry_ms * 1000, Timer::Election);
    }

    /// The election timer of a node standing or taking over: ask again those that have not
    /// answered; with `failover = freshest`, serve with what has come in. Of a node that
    /// put a take-over off, or is catching up: stand, take over or ask again.
    pub fn on_election_timer(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        me: NodeId,
        out: &mut Out,
    ) {
        let p = cx.params;
        let v = self.views[me as usize].clone();
        if v.standing == 0 {
            if let Some(old) = v.again {
                self.views[me as usize].again = None;
                if v.primary == old && p.mode == Mode::Quorum {
                    self.stand(cx, me, out);
                } else if v.primary == old && v.caught_up {
                    let rank = self.data_nodes().filter(|&n| n != old && n < me).count();
                    self.promote_in_line(cx, det, me, rank as u64, out);
                }
            } else if v.asking {
                self.views[me as usize].asking = false;
                self.ask_to_catch_up(p, me, out);
            }
            return;
        }
        if p.mode != Mode::Quorum {
            self.take_over(cx, det, me, v.standing, out);
            return;
        }
        let won = v.votes.count_ones() as usize >= self.majority();
        if !won && v.patience <= 1 {
            // No majority within its election timeout (a split vote, or too few reachable):
            // give this epoch up and stand for the next, with a new random timeout.
            self.views[me as usize].standing = 0;
            self.stand(cx, me, out);
            return;
        }
        if !won {
            self.views[me as usize].patience -= 1;
        }
        for n in self.data_nodes().filter(|&n| n != me) {
            let msg = if !won {
                (v.votes & 1 << n == 0).then_some(Msg::VoteRequest { epoch: v.standing })
            } else {
                (v.votes & 1 << n != 0 && v.gathered[n as usize] != all_keys(p))
                    .then_some(Msg::Collect { epoch: v.standing })
            };
            if let Some(m) = msg {
                out.send(me, n, m);
            }
        }
        out.timer(me, p.retry_ms * 1000, Timer::Election);
    }

    /// Reacts to the messages of the election and of catching up.
    pub fn on_election_message(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        from: NodeId,
        to: NodeId,
        msg: Msg,
        out: &mut Out,
    ) {
        let p = cx.params;
        if !single_primary(p) || to as usize >= self.views.len() {
            return;
        }
        match msg {
            Msg::VoteRequest { epoch } => {
                let v = &mut self.views[to as usize];
                if epoch > v.epoch.max(v.voted) {
                    v.voted = epoch;
                    // A newer election is under way and it votes in that one: it gives up
                    // its own candidacy and its plan to stand again (Raft resets its
                    // election timer when it grants a vote).
                    v.again = None;
                    if v.standing != 0 && v.standing < epoch {
                        v.standing = 0;
                    }
                    if v.primary == to {
                        // A primary asked to vote in a newer epoch has been replaced.
                        self.step_down(cx, det, to, epoch, NO_NODE, out);
                    }
                    out.send(to, from, Msg::Vote { epoch });
                }
            }
            Msg::Vote { epoch } => {
                let (majority, keys) = (self.majority(), all_keys(p));
                let data = self.views.len() as NodeId;
                let v = &mut self.views[to as usize];
                if v.standing != epoch || v.votes & 1 << from != 0 {
                    return;
                }
                v.votes |= 1 << from;
                let votes = v.votes;
                if votes.count_ones() as usize == majority {
                    // Won: gather the newest value of each key from the voters first.
                    v.gathered[to as usize] = keys;
                    for n in (0..data).filter(|&n| n != to && votes & 1 << n != 0) {
                        out.send(to, n, Msg::Collect { epoch });
                    }
                    self.gathered(cx, det, to, out);
                } else if votes.count_ones() as usize > majority {
                    out.send(to, from, Msg::Collect { epoch });
                }
            }
            Msg::Collect { epoch } => {
                let v = &mut self.views[to as usize];
                if epoch < v.epoch.max(v.voted) && p.mode == Mode::Quorum {
                    return;
                }
                v.voted = v.voted.max(epoch);
                send_values(cx.nodes, to, from, epoch, false, out);
            }
            Msg::Sync {
                epoch,
                key,
                version,
                adopt: false,
            } => {
                let v = &mut self.views[to as usize];
                if v.standing != epoch || v.gathered.is_empty() {
                    return;
                }
                v.gathered[from as usize] |= 1 << key;
                if let Some(version) = version {
                    cx.nodes[to as usize].apply(key, version);
                }
                self.gathered(cx, det, to, out);
            }
            Msg::Sync {
                epoch,
                key,
                version,
                adopt: true,
            } => {
                let keys = all_keys(p);
                let v = &mut self.views[to as usize];
                if epoch < v.epoch || v.primary == to || v.primary != from {
                    return;
                }
                // Reconciling: the primary's value replaces this node's, whatever it held,
                // unless it holds a later write of this same primary (a replicate that
                // overtook the sync on the way).
                let slot = &mut cx.nodes[to as usize].store[key as usize];
                let later = slot.is_some_and(|cur| {
                    epoch_of(cur.ts) == epoch && version.is_none_or(|v| cur.newer_than(&v))
                });
                if !later {
                    *slot = version;
                }
                v.adopted |= 1 << key;
                if v.adopted == keys {
                    v.caught_up = true;
                    v.caught_up_at_us = cx.now_us;
                }
            }
            Msg::View { epoch, primary } => self.learn(cx, det, to, epoch, primary, out),
            Msg::NoPrimary { epoch } => {
                let majority = self.majority();
                let v = &mut self.views[to as usize];
                // Not while it stands, waits to stand again (a lost election's random
                // pause), or has voted in an election still under way.
                if v.primary != NO_NODE || v.standing != 0 || v.again.is_some() || v.voted > v.epoch
                {
                    return;
                }
                v.unaware |= 1 << from | 1 << to;
                v.unaware_epoch = v.unaware_epoch.max(epoch);
                if v.unaware.count_ones() as usize == majority {
                    self.cold_start(cx, det, to, out);
                }
            }
            Msg::Hello { .. } => {
                let v = &self.views[to as usize];
                let (epoch, primary) = v.news();
                if primary == NO_NODE {
                    // It knows none either, and no election it has voted in is under way:
                    // it says so.
                    if v.standing == 0 && v.voted <= v.epoch {
                        out.send(to, from, Msg::NoPrimary { epoch });
                    }
                    return;
                }
                out.send(to, from, Msg::View { epoch, primary });
                if v.serving(to) {
                    self.views[to as usize].group |= 1 << from;
                    send_values(cx.nodes, to, from, epoch, true, out);
                }
            }
            _ => {}
        }
    }

    /// Takes over once the values of a majority (quorum) or of everyone (freshest) are in.
    fn gathered(&mut self, cx: &mut Ctx, det: &mut Detector, me: NodeId, out: &mut Out) {
        let v = &self.views[me as usize];
        let complete = v
            .gathered
            .iter()
            .filter(|&&g| g == all_keys(cx.params))
            .count();
        let needed = if cx.params.mode == Mode::Quorum {
            self.majority()
        } else {
            self.views.len()
        };
        if v.standing != 0 && complete >= needed {
            self.take_over(cx, det, me, v.standing, out);
        }
    }

    /// `me` becomes primary of `epoch` and tells the others.
    fn take_over(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        me: NodeId,
        epoch: u64,
        out: &mut Out,
    ) {
        let all: u64 = self.data_nodes().fold(0, |m, n| m | 1 << n);
        let v = &mut self.views[me as usize];
        let old = v.primary;
        v.epoch = epoch;
        v.primary = me;
        v.standing = 0;
        v.lost_memory = false;
        v.voted = v.voted.max(epoch);
        v.gathered.clear();
        // Sync mode waits for every node it counts; the one it replaced is not counted until
        // it comes back and catches up.
        v.group = if old != NO_NODE && old != me {
            all & !(1 << old)
        } else {
            all
        };
        start_serving(cx.nodes, det, me);
        for n in self.data_nodes().filter(|&n| n != me) {
            out.send(me, n, Msg::View { epoch, primary: me });
        }
        cx.metrics.failovers += 1;
        out.event(EventKind::Failover {
            old,
            new: Some(me),
            epoch,
        });
        self.observe_primary(cx, me, epoch, out);
    }

    /// The simulator's own record of the newest primary (what `@primary` and the screens
    /// name, and whose values count as what the cluster serves).
    fn observe_primary(&mut self, cx: &mut Ctx, me: NodeId, epoch: u64, out: &mut Out) {
        if epoch >= self.epoch {
            self.epoch = epoch;
            self.primary = me;
            self.epoch_base = self.seq;
            for k in 0..cx.params.keys as u8 {
                cx.check_key(self, k, out);
            }
        }
    }

    /// `me` hears of `primary` as primary of `epoch` (a `View`, or a heartbeat or write from
    /// that primary): it adopts a newer epoch, and a primary that learns of one steps down.
    pub fn learn(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        me: NodeId,
        epoch: u64,
        primary: NodeId,
        out: &mut Out,
    ) {
        let p = cx.params;
        if !single_primary(p) || me as usize >= self.views.len() {
            return;
        }
        let v = &self.views[me as usize];
        // "Epoch N has begun, primary not known yet" tells a node standing in N (or later)
        // nothing it does not know: its own election goes on.
        if primary == NO_NODE && v.standing != 0 && epoch <= v.standing {
            return;
        }
        // Older than an epoch it has voted in: stale news (that election was superseded).
        let newer = epoch > v.epoch && epoch >= v.voted;
        let unknown = epoch == v.epoch && v.primary == NO_NODE;
        if !(newer || unknown) {
            return;
        }
        if primary == me && p.mode == Mode::Quorum && v.lost_memory {
            // A restarted primary told that it still is one, having lost writes from memory
            // that a majority may have acknowledged without it: it does not serve what is
            // left, but stands for a new epoch, as a restarted Raft leader comes back a
            // follower. Winning, it gathers a majority's values (its own count once in),
            // which any majority that acknowledged a write shares a node with.
            self.views[me as usize].epoch = epoch;
            self.views[me as usize].primary = me;
            self.stand(cx, me, out);
            return;
        }
        if primary == me {
            // A restarted primary told that it still is one: it serves again.
            let all: u64 = self.data_nodes().fold(0, |m, n| m | 1 << n);
            let v = &mut self.views[me as usize];
            v.epoch = epoch;
            v.primary = me;
            v.group = all;
            start_serving(cx.nodes, det, me);
            self.observe_primary(cx, me, epoch, out);
            return;
        }
        if v.primary == me && v.standing == 0 {
            self.step_down(cx, det, me, epoch, primary, out);
            return;
        }
        let v = &mut self.views[me as usize];
        let changed = v.primary != primary;
        if primary != NO_NODE && primary != me {
            // Another serves: it catches up from that one (`Sync`), as any replica does.
            v.lost_memory = false;
        }
        v.epoch = epoch;
        v.primary = primary;
        v.standing = 0;
        v.again = None;
        v.voted = v.voted.max(epoch);
        cx.nodes[me as usize].role = Role::Replica;
        if primary != NO_NODE {
            det.rewatch(p, me, primary, out);
            if changed {
                // A new primary may not count it yet, nor have sent it all it acknowledged:
                // until the primary's values have come, it must not take over.
                let v = &mut self.views[me as usize];
                v.caught_up = false;
                v.adopted = 0;
                if !v.asking {
                    self.ask_to_catch_up(p, me, out);
                }
            }
        }
    }

    /// A primary learns that `primary` took over in `epoch`: it stops serving, sends its
    /// waiting clients there, and asks it for its values to reconcile.
    fn step_down(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        me: NodeId,
        epoch: u64,
        primary: NodeId,
        out: &mut Out,
    ) {
        let v = &mut self.views[me as usize];
        v.epoch = epoch;
        v.primary = primary;
        v.standing = 0;
        v.voted = v.voted.max(epoch);
        v.group = 0;
        v.caught_up = false;
        v.adopted = 0;
        cx.nodes[me as usize].role = Role::Replica;
        for p in self.pending[me as usize].drain(..) {
            if !p.acked {
                out.send(me, p.client, Msg::NotPrimary { op: p.op, primary });
            }
        }
        out.event(EventKind::SteppedDown { node: me, primary });
        if primary != NO_NODE {
            det.rewatch(cx.params, me, primary, out);
        }
        if !self.views[me as usize].asking {
            self.ask_to_catch_up(cx.params, me, out);
        }
    }

    /// A heartbeat from `from` carrying `epoch` reaches data node `to`: it learns of a
    /// newer epoch, or with fencing tells a primary of an older one about its own.
    pub fn on_heartbeat(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        from: NodeId,
        to: NodeId,
        epoch: u64,
        out: &mut Out,
    ) {
        if !single_primary(cx.params) || to as usize >= self.views.len() {
            return;
        }
        let mine = self.views[to as usize].epoch;
        if epoch > mine {
            self.learn(cx, det, to, epoch, from, out);
        } else if epoch < mine && cx.params.fencing {
            let primary = self.views[to as usize].primary;
            out.send(
                to,
                from,
                Msg::View {
                    epoch: mine,
                    primary,
                },
            );
        }
    }

    /// A write from a primary of `epoch` reaches replica `me`: it learns of a newer
    /// primary, or with fencing refuses one from an older epoch (and says so). Returns
    /// whether to apply it.
    pub fn admit_write(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        from: NodeId,
        me: NodeId,
        v: &Version,
        out: &mut Out,
    ) -> bool {
        if !single_primary(cx.params) || me as usize >= self.views.len() {
            return true;
        }
        let epoch = epoch_of(v.ts);
        let view = &self.views[me as usize];
        // An epoch it has voted in counts: after voting for a new primary it no longer
        // confirms the old one's writes.
        let current = view.epoch.max(view.voted);
        if fenced(cx.params) && epoch < current {
            let (e, primary) = view.news();
            out.send(me, from, Msg::View { epoch: e, primary });
            return false;
        }
        if epoch > view.epoch {
            self.learn(cx, det, me, epoch, from, out);
        }
        true
    }

    /// A majority knows no primary (the cluster restarted whole): `me` acts as if it
    /// suspected the primary, in an epoch newer than any of them knows. In async and sync
    /// modes only a node that was caught up when it went down, and knows the newest epoch
    /// the others told it of, may take over (what it held on disk is what it serves);
    /// quorum mode's election gathers from a majority instead.
    fn cold_start(&mut self, cx: &mut Ctx, det: &mut Detector, me: NodeId, out: &mut Out) {
        let p = cx.params;
        let v = &mut self.views[me as usize];
        if p.mode != Mode::Quorum && (!v.was_caught_up || v.epoch.max(v.voted) < v.unaware_epoch) {
            // It may lack acknowledged writes: it missed a newer epoch, or was still
            // catching up when it went down. One that did not miss them must take over.
            return;
        }
        v.epoch = v.epoch.max(v.unaware_epoch);
        v.unaware_rounds += 1;
        let rounds = v.unaware_rounds;
        if p.mode == Mode::Quorum {
            self.stand(cx, me, out);
            return;
        }
        if p.failover == Failover::None {
            out.event(EventKind::Failover {
                old: NO_NODE,
                new: None,
                epoch: v.epoch,
            });
            return;
        }
        // The line, lowest first: the k-th in line takes over in the k-th such round, in
        // case those before it are down (a new primary's `View` ends the rounds).
        let rank = self.data_nodes().filter(|&n| n < me).count() as u64;
        if rounds > rank {
            self.promote_in_line(cx, det, me, rank, out);
        }
    }

    /// A node that is behind asks to catch up: the primary it knows for its values, or,
    /// knowing none, every other data node who is primary. Asked again every `timeout_ms`
    /// until it has caught up.
    fn ask_to_catch_up(&mut self, p: &Params, me: NodeId, out: &mut Out) {
        let v = &self.views[me as usize];
        if v.caught_up || v.serving(me) {
            return;
        }
        let epoch = v.epoch;
        let primary = v.primary;
        if primary == NO_NODE {
            for n in self.data_nodes().filter(|&n| n != me) {
                out.send(me, n, Msg::Hello { epoch });
            }
        } else {
            out.send(me, primary, Msg::Hello { epoch });
        }
        let v = &mut self.views[me as usize];
        v.asking = true;
        v.unaware = 0;
        out.timer(me, p.timeout_ms.max(1) * 1000, Timer::Election);
    }

    /// A data node starts again: it knows nobody as primary and asks the others.
    pub fn rejoin(&mut self, cx: &mut Ctx, det: &mut Detector, me: NodeId, out: &mut Out) {
        let p = cx.params;
        if !single_primary(p) || me as usize >= self.views.len() {
            return;
        }
        let v = &mut self.views[me as usize];
        // An epoch it voted in is one it knows of, as Raft's term is kept on disk: whatever
        // election it voted in before it went down is over for it, so it can say it knows
        // no primary (and, with a majority that know none either, start again).
        v.epoch = v.epoch.max(v.voted);
        v.primary = NO_NODE;
        v.standing = 0;
        v.again = None;
        v.gathered.clear();
        v.group = 0;
        // With simulated disks, caught up on disk: a sync since it caught up.
        let synced =
            p.fsync_every_ms == 0 || v.caught_up_at_us <= cx.nodes[me as usize].synced_at_us;
        v.was_caught_up = v.caught_up && synced;
        v.caught_up = false;
        v.adopted = 0;
        v.unaware_rounds = 0;
        // Its election timer went with the process that set it (see `Item::Timer`).
        v.asking = false;
        cx.nodes[me as usize].role = Role::Replica;
        det.unwatch(me);
        self.ask_to_catch_up(p, me, out);
    }

    /// A data node's heartbeat timer: a serving primary tells every other data node it is
    /// alive, with its epoch.
    pub fn on_heartbeat_timer(&mut self, cx: &mut Ctx, me: NodeId, out: &mut Out) {
        out.timer(me, cx.params.heartbeat_ms * 1000, Timer::Heartbeat);
        let v = &self.views[me as usize];
        if !v.serving(me) {
            return;
        }
        let epoch = v.epoch;
        for n in self.data_nodes().filter(|&n| n != me) {
            out.send(me, n, Msg::Heartbeat { epoch });
        }
    }
}

/// Whether nodes refuse what a primary of an older epoch sends (`fencing = true`).
/// Without it even quorum mode's elections do not stop a deposed primary: a replica
/// that voted for the new one still confirms the old one's writes.
fn fenced(p: &Params) -> bool {
    p.fencing
}
