//! One chain per kind of anomaly: the effect first, each link an event of the trace.

use super::super::event::{EventKind, OpType, OrderNote};
use super::super::msg::{Msg, NodeId};
use super::super::narrate::narrate;
use super::super::params::{Failover, Mode};
use super::super::replication::NO_NODE;
use super::super::time::secs;
use super::index::{Fate, Index};
use super::{Anomaly, Explanation, Link, Tie, kv};

/// Most messages a chain lists as missed in one place (the rest are like them).
const MISSED_MAX: usize = 3;
/// Most commands a chain lists as the scene.
const COMMANDS_MAX: usize = 4;
/// Most instants of commands a chain lists as the scene (the latest first).
const SCENE_INSTANTS: usize = 2;

pub fn chain(ix: &Index, i: usize, a: Anomaly) -> Explanation {
    let mut c = Chain {
        ix,
        links: Vec::new(),
    };
    let title = match a {
        Anomaly::LostWrite { op, key, value } if ix.setting.params.writers == 1 => {
            c.lost_write(i, op, key, value);
            format!("{} lost", kv(key, Some(value)))
        }
        Anomaly::LostWrite { op, key, value } => {
            c.overwritten(i, op, key, value, false);
            format!("{} lost", kv(key, Some(value)))
        }
        Anomaly::DiscardedWrite { op, key, value, .. } => {
            c.overwritten(i, op, key, value, true);
            format!("{} discarded", kv(key, Some(value)))
        }
        Anomaly::StaleRead {
            client,
            key,
            got,
            expected,
        } => {
            c.stale_read(i, client, key, expected);
            format!(
                "stale read: {} read {}, not {}",
                ix.name(client),
                kv(key, got),
                kv(key, Some(expected))
            )
        }
        Anomaly::FalseSuspicion { monitor, target } => {
            c.false_suspicion(i, monitor, target);
            format!("{} falsely suspected {}", ix.name(monitor), ix.name(target))
        }
        Anomaly::DuplicateCharge { order, times } => {
            c.duplicate_charge(i, order, times);
            format!("order {order} charged {times} times")
        }
        Anomaly::StalePrimaryAck {
            op,
            key,
            value,
            by,
            primary,
        } => {
            c.stale_ack(i, op, by, primary);
            format!(
                "{} acknowledged by {}, not the primary",
                kv(key, Some(value)),
                ix.name(by)
            )
        }
    };
    // The effect first, then its causes from the latest back.
    if c.links.len() > 2 {
        c.links[1..].sort_by(|a, b| b.t_us.cmp(&a.t_us).then(b.event.cmp(&a.event)));
    }
    Explanation {
        event: i,
        t_us: ix.t(i),
        anomaly: a,
        title,
        links: c.links,
    }
}

struct Chain<'a, 'b> {
    ix: &'b Index<'a>,
    links: Vec<Link>,
}

impl Chain<'_, '_> {
    fn push(&mut self, event: usize, tie: Tie, text: String, nodes: Vec<NodeId>) {
        if self.links.iter().any(|l| l.event == event) {
            return;
        }
        let packet = self.ix.packet(event).map(|p| p.id);
        let t_us = self.ix.t(event);
        self.links.push(Link {
            event,
            t_us,
            tie,
            text,
            nodes,
            packet,
        });
    }

    fn push_link(&mut self, l: Link) {
        if !self.links.iter().any(|o| o.event == l.event) {
            self.links.push(l);
        }
    }

    fn name(&self, id: NodeId) -> String {
        self.ix.name(id).to_string()
    }

    /// An event told as the narration tells it, without its time.
    fn told(&self, i: usize) -> String {
        let line = narrate(&self.ix.setting.names, &self.ix.trace[i]);
        match line.split_once(' ') {
            Some((_, rest)) => rest.trim_start_matches("» ").to_string(),
            None => line,
        }
    }

    /// The commands that set the scene for `nodes` before `by`: the latest instant's
    /// commands that name them, as one link.
    fn scene(&mut self, by: usize, nodes: &[NodeId]) {
        self.scene_since(by, 0, nodes);
    }

    /// Every command applied at instant `t`, as one link.
    fn scene_at(&mut self, t: u64, nodes: &[NodeId]) {
        let ix = self.ix;
        let at: Vec<usize> = ix
            .commands
            .iter()
            .copied()
            .filter(|&c| ix.t(c) == t)
            .collect();
        self.commands_link(&at, nodes);
    }

    /// Commands applied at one instant (`at`, in trace order), as one link.
    fn commands_link(&mut self, at: &[usize], nodes: &[NodeId]) {
        let Some(&first) = at.first() else { return };
        let shown: Vec<String> = at
            .iter()
            .take(COMMANDS_MAX)
            .map(|&c| format!("`{}`", self.told(c)))
            .collect();
        let more = at.len().saturating_sub(COMMANDS_MAX);
        let text = match (shown.len(), more) {
            (1, _) => format!("the command {}", shown[0]),
            (_, 0) => format!("the commands {}", shown.join(", ")),
            _ => format!("the commands {} and {more} more", shown.join(", ")),
        };
        self.push(first, Tie::Earlier, text, nodes.to_vec());
    }

    fn scene_since(&mut self, by: usize, since_us: u64, nodes: &[NodeId]) {
        let found = self.ix.commands_on(by, since_us, nodes, usize::MAX);
        // The latest instants with such commands, each as one link.
        let mut instants: Vec<u64> = found.iter().map(|&c| self.ix.t(c)).collect();
        instants.dedup();
        for t in instants.into_iter().take(SCENE_INSTANTS) {
            let mut at: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&c| self.ix.t(c) == t)
                .collect();
            at.reverse();
            self.commands_link(&at, nodes);
        }
    }

    /// The mode in force at trace index `by` (the parameter, or the last `mode` command).
    fn mode_at(&self, by: usize) -> Mode {
        let ix = self.ix;
        ix.commands
            .iter()
            .rev()
            .filter(|&&c| c < by)
            .find_map(|&c| match &ix.trace[c].kind {
                EventKind::Command {
                    command: super::super::Command::Mode(m),
                    ..
                } => Some(*m),
                _ => None,
            })
            .unwrap_or(ix.setting.params.mode)
    }

    /// How a failover chose its node: `n2 became primary in place of n1 (epoch 1; rule: …)`.
    fn promotion(&self, f: usize) -> String {
        self.promotion_noting(f, "")
    }

    /// [`Self::promotion`] with `note` added inside its brackets.
    fn promotion_noting(&self, f: usize, note: &str) -> String {
        let EventKind::Failover {
            old,
            new: Some(new),
            epoch,
        } = self.ix.trace[f].kind
        else {
            return self.told(f);
        };
        let p = &self.ix.setting.params;
        let rule = if self.mode_at(f) == Mode::Quorum {
            "elected by a majority"
        } else if p.failover == Failover::Freshest {
            "rule: the freshest of the replicas that answered"
        } else {
            "rule: lowest-numbered replica first"
        };
        let rule = if note.is_empty() {
            rule.to_string()
        } else {
            format!("{rule}; {note}")
        };
        let n = self.name(new);
        if old == new {
            format!("{n} became primary again in a new epoch ({epoch}; {rule})")
        } else if old as usize >= self.ix.setting.names.len() {
            format!("{n} became primary of a cluster that had none (epoch {epoch}; {rule})")
        } else {
            format!(
                "{n} became primary in place of {} (epoch {epoch}; {rule})",
                self.name(old)
            )
        }
    }

    /// The nodes other than `except` that had a copy of `op` just before `by`.
    fn holders(&self, op: u32, key: u8, value: i64, by: usize, except: &[NodeId]) -> Vec<NodeId> {
        let data = self.ix.setting.names.len() as NodeId;
        (0..data)
            .filter(|n| !except.contains(n))
            .filter(|&n| {
                self.ix
                    .got(op, n, by)
                    .is_some_and(|g| self.ix.erased(n, key, value, g, by).is_none())
            })
            .collect()
    }

    /// `n1 lost x=34 from memory, and its disk had only x=30`, with the commands that did
    /// it (a power cut crashes every node at once). `value` is the write the chain is about:
    /// a newer write of the key may have replaced it in memory before the loss.
    fn memory_loss(
        &mut self,
        m: usize,
        node: NodeId,
        key: u8,
        value: i64,
        lost: i64,
        disk: Option<i64>,
    ) {
        let newer = if lost == value {
            String::new()
        } else {
            format!(" (which had replaced {})", kv(key, Some(value)))
        };
        let text = format!(
            "{} lost {}{newer} from memory, and its disk had only {}",
            self.name(node),
            kv(key, Some(lost)),
            kv(key, disk)
        );
        self.push(m, Tie::Earlier, text, vec![node]);
        if self.ix.command_with(m, node).is_some() {
            self.scene_at(self.ix.t(m), &[node]);
        }
    }

    /// Which nodes other than `except` had received `op` by `by`, and which of them had
    /// lost it from memory since: `n3 had received x=5`, `n2 and n3 had received x=5 but lost
    /// it from memory`.
    fn had(
        &self,
        op: u32,
        key: u8,
        value: i64,
        by: usize,
        except: &[NodeId],
    ) -> (String, Vec<NodeId>) {
        let w = kv(key, Some(value));
        let data = self.ix.setting.names.len() as NodeId;
        let got: Vec<NodeId> = (0..data)
            .filter(|n| !except.contains(n))
            .filter(|&n| self.ix.got(op, n, by).is_some())
            .collect();
        let (held, lost): (Vec<NodeId>, Vec<NodeId>) = got.iter().partition(|&&n| {
            self.ix
                .got(op, n, by)
                .is_some_and(|g| self.ix.erased(n, key, value, g, by).is_none())
        });
        let text = match (held.is_empty(), lost.is_empty()) {
            (true, true) => format!("no other replica had received {w}"),
            (false, true) => format!("{} had received {w}", self.names(&held)),
            (true, false) => format!(
                "{} had received {w} but lost it from memory",
                self.names(&lost)
            ),
            (false, false) => format!(
                "{} had received {w}; {} had lost it from memory",
                self.names(&held),
                self.names(&lost)
            ),
        };
        (text, held)
    }

    fn names(&self, nodes: &[NodeId]) -> String {
        let v: Vec<String> = nodes.iter().map(|&n| self.name(n)).collect();
        match v.len() {
            0 => String::new(),
            1 => v[0].clone(),
            _ => format!("{} and {}", v[..v.len() - 1].join(", "), v[v.len() - 1]),
        }
    }

    /// One writer: `op` was acknowledged, and the primary the cluster records holds an
    /// older value or none.
    fn lost_write(&mut self, i: usize, op: u32, key: u8, value: i64) {
        let ix = self.ix;
        let EventKind::WriteLost {
            primary, served, ..
        } = ix.trace[i].kind
        else {
            return;
        };
        let w = kv(key, Some(value));
        let serves = format!(
            "the cluster serves {} from {}, which holds {}",
            super::super::msg::key_name(key),
            self.name(primary),
            kv(key, served)
        );
        let rec = ix.record_at(i + 1);
        // Who had the write when the primary the cluster serves from took over.
        let promoted = rec.since.filter(|_| rec.primary == primary);
        // Only a write already made when the failover happened can have been missed by it.
        let made_before = |f: usize| {
            ix.writes
                .get(&op)
                .and_then(|wr| wr.sent)
                .is_some_and(|s| s < f)
        };
        let others = promoted.filter(|&f| made_before(f)).map_or_else(
            || (String::new(), Vec::new()),
            |f| {
                let old = match ix.trace[f].kind {
                    EventKind::Failover { old, .. } => old,
                    _ => NO_NODE,
                };
                self.had(op, key, value, f, &[primary, old])
            },
        );
        let (had, others) = others;
        // Made: what the checker reacted to.
        let trigger = ix.trigger(i);
        let made = match trigger.map(|t| (t, &ix.trace[t].kind)) {
            Some((t, EventKind::Failover { new: Some(n), .. }))
                if *n == primary && made_before(t) =>
            {
                let text = format!("{}, without {w}: {serves}", self.promotion_noting(t, &had));
                Some((t, text))
            }
            Some((t, EventKind::Client(o))) if o.op == op && o.op_type == OpType::Ok => Some((
                t,
                format!(
                    "{} received the ok for {w}, but {serves}",
                    self.name(o.client)
                ),
            )),
            Some((t, EventKind::MemoryLost { .. } | EventKind::Command { .. })) => {
                Some((t, format!("{}: {serves}", self.told(t))))
            }
            Some((t, EventKind::Delivered(p))) if p.to == primary => {
                Some((t, format!("{} delivered: {serves}", ix.msg(p))))
            }
            _ => None,
        };
        let made = made.unwrap_or_else(|| match promoted.filter(|&f| made_before(f)) {
            Some(f) => (
                f,
                format!("{}, without {w}: {serves}", self.promotion_noting(f, &had)),
            ),
            None => (i, format!("the run ended: {serves}")),
        });
        self.push(made.0, Tie::Made, made.1, vec![primary]);
        // The failover that made the primary, and who had the write then.
        if let Some(f) = promoted {
            let text = self.promotion_noting(f, &had);
            let mut nodes = vec![primary];
            nodes.extend(others);
            self.push(f, Tie::Earlier, text, nodes);
        }
        // Why the primary lacks it.
        let coord = ix
            .writes
            .get(&op)
            .and_then(|wr| wr.ack)
            .and_then(|a| ix.packet(a))
            .map(|p| p.from);
        self.why_without(op, key, value, primary, i);
        self.acknowledged(op, key, value, i);
        let mut nodes = vec![primary];
        nodes.extend(coord);
        self.scene(i, &nodes);
    }

    /// The acknowledgement of `op`: when, by whom, and who had it then; a stale primary's
    /// says who was primary instead.
    fn acknowledged(&mut self, op: u32, key: u8, value: i64, by: usize) {
        let ix = self.ix;
        let Some(a) = ix.writes.get(&op).and_then(|w| w.ack).filter(|&a| a < by) else {
            return;
        };
        let Some(p) = ix.packet(a) else { return };
        let coord = p.from;
        let w = kv(key, Some(value));
        let confirmed: Vec<NodeId> = (0..ix.setting.names.len() as NodeId)
            .filter(|&n| n != coord)
            .filter(|&n| {
                ix.delivered(a + 1, |d| {
                    d.to == coord
                        && d.from == n
                        && matches!(d.msg, Msg::Ack { write } if write == op)
                })
                .is_some()
            })
            .collect();
        let had = self.holders(op, key, value, a + 1, &[coord]);
        let how = if ix.setting.params.writers > 1 {
            String::new()
        } else {
            match self.mode_at(a) {
                Mode::Async if had.is_empty() => {
                    " before any other node had it (async: the primary answers at once)".into()
                }
                Mode::Async => format!(
                    " when only {} had it too (async: the primary waits for no replica)",
                    self.names(&had)
                ),
                Mode::Sync | Mode::Quorum if !confirmed.is_empty() => {
                    format!(" once {} confirmed it", self.names(&confirmed))
                }
                Mode::Sync => {
                    " with no other node counted (sync waits only for the nodes it counts)".into()
                }
                Mode::Quorum => " (quorum)".into(),
            }
        };
        let rec = ix.record_at(a);
        let stale =
            ix.setting.params.writers == 1 && rec.primary != coord && rec.primary != NO_NODE;
        let text = if stale {
            format!(
                "{} acknowledged {w}{how}, though {} had been primary (epoch {}) since {}",
                self.name(coord),
                self.name(rec.primary),
                rec.epoch,
                secs(rec.since.map_or(0, |f| ix.t(f)) as i64)
            )
        } else {
            format!("{} acknowledged {w}{how}", self.name(coord))
        };
        let mut nodes = vec![coord];
        nodes.extend(had);
        self.push(a, Tie::Earlier, text, nodes);
        if stale {
            self.why_unaware(coord, rec.primary, rec.since, a);
            self.confirmed_anyway(op, coord, rec.primary, &confirmed, a);
        }
    }

    /// The nodes that confirmed a replaced primary's write although they had already heard
    /// from the new primary: without fencing a node takes whatever a primary sends it.
    fn confirmed_anyway(
        &mut self,
        op: u32,
        old: NodeId,
        new: NodeId,
        confirmed: &[NodeId],
        by: usize,
    ) {
        let ix = self.ix;
        for &c in confirmed {
            let Some(&ack) = ix
                .sends(by, |p| {
                    p.from == c && p.to == old && matches!(p.msg, Msg::Ack { write } if write == op)
                })
                .first()
            else {
                continue;
            };
            let heard = ix.delivered(ack, |p| {
                p.to == c
                    && p.from == new
                    && matches!(p.msg, Msg::View { primary, .. } if primary == new)
            });
            if let Some(h) = heard {
                let fencing = if ix.setting.params.fencing {
                    ""
                } else {
                    ": without fencing, a node takes a deposed primary's writes"
                };
                let text = format!(
                    "{} had learned that {} was primary before it confirmed {}'s write{fencing}",
                    self.name(c),
                    self.name(new),
                    self.name(old)
                );
                self.push(h, Tie::Earlier, text, vec![c, new, old]);
            }
        }
    }

    /// Why `old` still acted as primary at `by` after `new` took over at `since`: the news
    /// (a view, a heartbeat) had not reached it, and what made `new` take over.
    fn why_unaware(&mut self, old: NodeId, new: NodeId, since: Option<usize>, by: usize) {
        let ix = self.ix;
        let Some(f) = since else { return };
        let mut n = 0;
        for s in ix.sends(by, |p| {
            p.from == new
                && p.to == old
                && matches!(p.msg, Msg::View { .. } | Msg::Heartbeat { .. })
        }) {
            if s < f {
                continue;
            }
            if let Some(l) = ix.missed(s, by)
                && n < 1
            {
                n += 1;
                self.push_link(l);
            }
        }
        let text = self.promotion(f);
        self.push(f, Tie::Earlier, text, vec![new, old]);
        if let Some(s) = ix.last_before(f + 1, |e| {
            matches!(e.kind, EventKind::Suspect { monitor, target, .. } if monitor == new && target == old)
        }) {
            let text = self.told(s);
            self.push(s, Tie::Earlier, text, vec![new, old]);
        }
    }

    /// Several writers: last-writer-wins kept another write instead of `op`.
    fn overwritten(&mut self, i: usize, op: u32, key: u8, value: i64, concurrent: bool) {
        let ix = self.ix;
        let winner = match ix.trace[i].kind {
            EventKind::WriteLost { served, .. } => served,
            EventKind::WriteDiscarded { winner, .. } => Some(winner),
            _ => None,
        };
        let w = kv(key, Some(value));
        let serves = format!("last-writer-wins serves {}", kv(key, winner));
        let made = ix
            .trigger(i)
            .map_or((i, format!("the run ended: {serves}")), |t| {
                (t, format!("{}: {serves}", self.told(t)))
            });
        let made_nodes = ix.packet(made.0).map_or_else(Vec::new, |p| vec![p.to]);
        self.push(made.0, Tie::Made, made.1, made_nodes);
        // A write's version (as its copies carry it), pinned to its coordination: the
        // client's write reaching the coordinator, or else its first copy, before `i`.
        let version_of = |op: u32| {
            let wr = ix.writes.get(&op)?;
            let version = wr.copies.iter().find_map(|&s| match ix.packet(s)?.msg {
                Msg::Replicate { version, .. } => Some(version),
                _ => None,
            })?;
            let coordinated = wr
                .sent
                .and_then(|s| match ix.fate(s, i + 1) {
                    Fate::Delivered(d) => Some(d),
                    _ => None,
                })
                .or_else(|| wr.copies.first().copied())
                .filter(|&e| e <= i)?;
            Some((coordinated, version))
        };
        let writers = ix.setting.params.writers as usize;
        let mine = version_of(op);
        let theirs = winner
            .and_then(|v| ix.by_value.get(&(key, v)).copied())
            .and_then(|wop| version_of(wop).map(|x| (wop, x)));
        if let (Some((ms, mv)), Some((wop, (ts, tv)))) = (mine, theirs) {
            let text = format!(
                "{} carries {} from {}, {w} only {} from {}: the larger stamp wins",
                kv(key, Some(tv.value)),
                tv.stamp_label(writers),
                self.name(tv.origin),
                mv.stamp_label(writers),
                self.name(mv.origin)
            );
            self.push(ts, Tie::Earlier, text, vec![tv.origin, mv.origin]);
            if concurrent {
                let text = format!(
                    "{} took {w} before it had seen {}: the two writes are concurrent",
                    self.name(mv.origin),
                    kv(key, Some(tv.value))
                );
                self.push(ms, Tie::Earlier, text, vec![mv.origin]);
            } else if let Some(g) = ix.got(wop, mv.origin, ms) {
                let text = format!(
                    "{} had received {} before it took {w}: the winner is the older write",
                    self.name(mv.origin),
                    kv(key, Some(tv.value))
                );
                self.push(g, Tie::Earlier, text, vec![mv.origin]);
            }
            self.acknowledged(op, key, value, i);
            let clocks: Vec<usize> = ix
                .commands_on(i, 0, &[tv.origin, mv.origin], usize::MAX)
                .into_iter()
                .filter(|&c| {
                    matches!(&ix.trace[c].kind, EventKind::Command { command, .. } if matches!(
                        command,
                        super::super::Command::Skew(..)
                            | super::super::Command::Drift(..)
                            | super::super::Command::StepClock(..)
                            | super::super::Command::Resync(..)
                            | super::super::Command::Timestamps(..)
                    ))
                })
                .take(COMMANDS_MAX)
                .collect();
            for c in clocks {
                let text = format!("the command `{}`", self.told(c));
                self.push(c, Tie::Earlier, text, vec![tv.origin, mv.origin]);
            }
        } else {
            self.acknowledged(op, key, value, i);
        }
    }

    /// A read returned an older value than one it had to see.
    fn stale_read(&mut self, i: usize, client: NodeId, key: u8, expected: i64) {
        let ix = self.ix;
        let Some(d) = ix.last_before(i, |e| {
            matches!(&e.kind, EventKind::Delivered(p) if p.to == client
                && matches!(p.msg, Msg::ReadOk { key: k, .. } if k == key))
        }) else {
            return;
        };
        let Some(reply) = ix.packet(d) else { return };
        let (x, rop, got) = match reply.msg {
            Msg::ReadOk { op, version, .. } => (reply.from, op, version.map(|v| v.value)),
            _ => return,
        };
        let text = format!(
            "{} got {} from {}",
            self.name(client),
            kv(key, got),
            self.name(x)
        );
        self.push(d, Tie::Made, text, vec![client, x]);
        let answered = ix.send_of(d);
        if let Some(s) = answered {
            let text = format!("{} answered {}", self.name(x), kv(key, got));
            self.push(s, Tie::Because, text, vec![x]);
        }
        let asked = ix.last_before(d, |e| {
            matches!(&e.kind, EventKind::Sent(p) if p.from == client && p.to == x
                && matches!(p.msg, Msg::Read { op, .. } if op == rop))
        });
        if let Some(r) = asked
            && let Some(Msg::Read { leader, .. }) = ix.packet(r).map(|p| p.msg)
        {
            let why = if leader {
                format!("it took {} for the primary", self.name(x))
            } else {
                "any node may answer a read here (read_from)".to_string()
            };
            let text = format!(
                "{} sent read({}) to {}: {why}",
                self.name(client),
                super::super::msg::key_name(key),
                self.name(x)
            );
            self.push(r, Tie::Because, text, vec![client, x]);
        }
        let by = answered.unwrap_or(d);
        if let Some(eop) = ix.by_value.get(&(key, expected)).copied() {
            self.why_without(eop, key, expected, x, by);
            let began = ix.last_before(d, |ev| {
                matches!(ev.kind, EventKind::Client(o) if o.op == rop && o.op_type == OpType::Invoke)
            });
            self.had_to_see(eop, key, expected, began);
        }
        self.scene(by, &[x]);
    }

    /// Why `x` had no copy of write `op` when it acted at `by`: it never got one (each copy
    /// sent to it dropped or on its way, or none sent), or it lost it from memory.
    fn why_without(&mut self, op: u32, key: u8, value: i64, x: NodeId, by: usize) {
        let ix = self.ix;
        let w = kv(key, Some(value));
        if let Some(g) = ix.got(op, x, by) {
            if let Some((m, (lost, disk))) = ix.erasure(x, key, value, g, by) {
                self.memory_loss(m, x, key, value, lost, disk);
            }
            let text = format!("{} had received {w}", self.name(x));
            self.push(g, Tie::Earlier, text, vec![x]);
            return;
        }
        let Some(wr) = ix.writes.get(&op) else { return };
        let mut n = 0;
        for &s in wr.copies.iter().filter(|&&s| s < by) {
            if ix.packet(s).is_some_and(|p| p.to == x)
                && let Some(l) = ix.missed(s, by)
                && n < MISSED_MAX
            {
                n += 1;
                self.push_link(l);
            }
        }
        if n == 0
            && let Some(a) = wr.ack.filter(|&a| a < by)
        {
            let coord = ix.packet(a).map_or(NO_NODE, |p| p.from);
            let text = format!(
                "{} had sent no copy of {w} to {} by then",
                self.name(coord),
                self.name(x)
            );
            self.push(a, Tie::Earlier, text, vec![coord, x]);
        }
    }

    /// What made a read have to see `value`: its acknowledgement before the read began, or
    /// (a read going back in time) another read that returned it first.
    fn had_to_see(&mut self, op: u32, key: u8, value: i64, began: Option<usize>) {
        let ix = self.ix;
        let w = kv(key, Some(value));
        let Some(b) = began else { return };
        let when = format!("before the read began at {}", secs(ix.t(b) as i64));
        let ok = ix
            .writes
            .get(&op)
            .and_then(|wr| wr.client_ok)
            .filter(|&ok| ok < b);
        if let Some(ok) = ok
            && let EventKind::Client(o) = ix.trace[ok].kind
        {
            let text = format!("{w} was acknowledged to {}, {when}", self.name(o.client));
            self.push(ok, Tie::Earlier, text, vec![o.client]);
            return;
        }
        let read = ix.last_before(b, |ev| {
            matches!(ev.kind, EventKind::Client(o) if !o.write && o.op_type == OpType::Ok
                && o.key == key && o.value == Some(value))
        });
        if let Some(r) = read
            && let EventKind::Client(o) = ix.trace[r].kind
        {
            let text = format!("{} had already read {w}, {when}", self.name(o.client));
            self.push(r, Tie::Earlier, text, vec![o.client]);
        }
    }

    /// A monitor's timeout ran out on a node that had not crashed.
    fn false_suspicion(&mut self, i: usize, monitor: NodeId, target: NodeId) {
        let ix = self.ix;
        let p = &ix.setting.params;
        let text = format!(
            "{} suspected {}, which had not crashed",
            self.name(monitor),
            self.name(target)
        );
        self.push(i, Tie::Made, text, vec![monitor, target]);
        let sends = ix
            .heartbeats
            .get(&(target, monitor))
            .cloned()
            .unwrap_or_default();
        let last = sends
            .iter()
            .rev()
            .filter(|&&s| s < i)
            .find_map(|&s| match ix.fate(s, i) {
                Fate::Delivered(d) => Some((s, d)),
                _ => None,
            });
        let since_send = match last {
            Some((s, d)) => {
                let text = format!(
                    "the last heartbeat from {} reached {}; none came in the {} ms after (timeout_ms)",
                    self.name(target),
                    self.name(monitor),
                    p.timeout_ms
                );
                self.push(d, Tie::Because, text, vec![target, monitor]);
                s
            }
            None => 0,
        };
        let mut n = 0;
        for &s in sends.iter().filter(|&&s| s > since_send && s < i) {
            if let Some(l) = ix.missed(s, i)
                && n < MISSED_MAX
            {
                n += 1;
                self.push_link(l);
            }
        }
        if n == 0
            && let Some(&s) = sends.iter().rev().find(|&&s| s < i)
            && Some(s) == last.map(|l| l.0)
        {
            // Nothing sent since the last one that arrived: the target stopped sending.
            let text = format!(
                "{} sent no further heartbeat to {} before the suspicion",
                self.name(target),
                self.name(monitor)
            );
            self.push(s, Tie::Because, text, vec![target]);
        }
        self.scene(i, &[target, monitor]);
    }

    /// Payment charged an order again.
    fn duplicate_charge(&mut self, i: usize, order: u32, times: u32) {
        let ix = self.ix;
        let events = ix.orders.get(&order).cloned().unwrap_or_default();
        let Some(&d) = events.iter().rev().find(|&&j| {
            j < i && matches!(&ix.trace[j].kind, EventKind::Delivered(p) if matches!(p.msg, Msg::Charge { .. }))
        }) else {
            return;
        };
        let Some(pk) = ix.packet(d) else { return };
        let Msg::Charge { attempt, .. } = pk.msg else {
            return;
        };
        let (pay, ord) = (pk.to, pk.from);
        let copy = if pk.duplicate {
            "a copy the network duplicated"
        } else if attempt > 0 {
            "a retry"
        } else {
            "the first request"
        };
        let text = format!(
            "{} received charge(order {order}) again ({copy}) and charged it: the request carries no idempotency key",
            self.name(pay)
        );
        self.push(d, Tie::Made, text, vec![pay, ord]);
        let sent = ix.send_of(d);
        if let Some(s) = sent
            && attempt > 0
        {
            let retry = events.iter().rev().copied().find(|&j| {
                j <= s
                    && matches!(ix.trace[j].kind, EventKind::Order { note: OrderNote::Retry { attempt: a }, .. } if a == attempt)
            });
            if let Some(r) = retry {
                let text = format!(
                    "the order service ({}) heard nothing from {} about order {order} within {} ms (order_timeout_ms) and sent the charge again (attempt {attempt})",
                    self.name(ord),
                    self.name(pay),
                    ix.setting.params.order_timeout_ms
                );
                self.push(r, Tie::Because, text, vec![ord]);
            }
            // The earlier charge's answer had not come back by the retry.
            let by = retry.unwrap_or(s);
            for &j in events.iter().filter(|&&j| j < by) {
                if let Some(p) = ix.packet(j)
                    && matches!(ix.trace[j].kind, EventKind::Sent(_))
                    && matches!(p.msg, Msg::Charged { .. })
                    && let Some(l) = ix.missed(j, by)
                {
                    self.push_link(l);
                    break;
                }
            }
        }
        if let Some(&first) = events.iter().find(|&&j| {
            j < i && matches!(ix.trace[j].kind, EventKind::Order { note: OrderNote::Charged { times: t }, .. } if t + 1 == times)
        }) {
            let text = format!("{} had already charged order {order}", self.name(pay));
            self.push(first, Tie::Because, text, vec![pay]);
        }
        self.scene(i, &[pay, ord]);
    }

    /// A write acknowledged by a primary the cluster had replaced.
    fn stale_ack(&mut self, i: usize, op: u32, by: NodeId, primary: NodeId) {
        let ix = self.ix;
        let Some(wr) = ix.writes.get(&op) else { return };
        let rec = ix.record_at(i);
        let text = format!(
            "{} acknowledged the write as primary, though {} had been primary (epoch {}) since {}",
            self.name(by),
            self.name(primary),
            rec.epoch,
            secs(rec.since.map_or(0, |f| ix.t(f)) as i64)
        );
        self.push(i, Tie::Made, text, vec![by]);
        if let Some(s) = wr.sent
            && let Fate::Delivered(d) = ix.fate(s, i)
            && ix.packet(d).is_some_and(|p| p.to == by)
        {
            let text = format!("{} received the write", self.name(by));
            self.push(d, Tie::Because, text, vec![by]);
        }
        self.why_unaware(by, primary, rec.since, i);
        self.scene(i, &[by, primary]);
    }
}
