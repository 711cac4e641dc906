//! Reads a client sends to the primary (`read_from = primary`, one writer). Only a node
//! serving as primary answers them; the others redirect the client as they do for writes.
//! In quorum mode the primary first makes sure it still leads, the way Raft's ReadIndex
//! does: a majority of data nodes (itself included) confirm they know of no newer epoch,
//! and it answers only once the key has no write still waiting for its majority, so a
//! read never returns a value that a newer primary could lose or one it has not got.

use super::detector::Detector;
use super::engine::{Ctx, Out};
use super::msg::{Msg, NodeId};
use super::node::Node;
use super::params::{Mode, Params};
use super::replication::{NO_NODE, Replication};

/// A read the primary holds until its leadership is confirmed.
#[derive(Debug, Clone, Copy)]
pub struct HeldRead {
    pub op: u32,
    pub key: u8,
    pub client: NodeId,
    pub epoch: u64,
    /// Data nodes that confirmed `epoch` is still the newest they know (bit per node).
    pub confirmed: u64,
}

impl Replication {
    /// Reacts to reads at a data node: a client's `Read`, and the leadership checks that a
    /// primary in quorum mode makes before it answers one (`LeaderCheck`, `LeaderOk`).
    pub fn on_read_message(
        &mut self,
        cx: &mut Ctx,
        det: &mut Detector,
        from: NodeId,
        to: NodeId,
        msg: Msg,
        out: &mut Out,
    ) {
        match msg {
            Msg::Read { op, key, leader } => {
                if leader && self.leader_read(cx.params, det, from, to, (op, key), out) {
                    return;
                }
                let version = cx.nodes[to as usize]
                    .store
                    .get(key as usize)
                    .copied()
                    .flatten();
                out.send(to, from, Msg::ReadOk { op, key, version });
            }
            Msg::LeaderCheck { epoch, read } => {
                // Asked by the primary of `epoch` whether it still leads: yes, unless it
                // knows of a newer epoch, which it then tells the asker about.
                let Some(v) = self.views.get(to as usize) else {
                    return;
                };
                let newest = v.epoch.max(v.voted);
                if epoch >= newest {
                    out.send(to, from, Msg::LeaderOk { epoch, read });
                    if epoch > v.epoch {
                        self.learn(cx, det, to, epoch, from, out);
                    }
                } else {
                    let (epoch, primary) = v.news();
                    if primary != NO_NODE {
                        out.send(to, from, Msg::View { epoch, primary });
                    }
                }
            }
            Msg::LeaderOk { epoch, read } => {
                // `from` confirmed `epoch` for the held read `read`.
                let Some(held) = self.held.get_mut(to as usize) else {
                    return;
                };
                if let Some(h) = held.iter_mut().find(|h| h.op == read && h.epoch == epoch) {
                    h.confirmed |= 1 << from;
                }
                self.answer_held(cx.nodes, to, out);
            }
            _ => {}
        }
    }

    /// A read for the primary, `(op, key)`, reaches data node `me`. Returns whether it was
    /// handled here (redirected or held); otherwise the caller answers from `me`'s store.
    fn leader_read(
        &mut self,
        p: &Params,
        det: &Detector,
        client: NodeId,
        me: NodeId,
        (op, key): (u32, u8),
        out: &mut Out,
    ) -> bool {
        if p.writers != 1 || me as usize >= self.views.len() {
            return false;
        }
        let v = &self.views[me as usize];
        if !v.serving(me) {
            self.send_elsewhere(det, me, client, op, out);
            return true;
        }
        if p.mode != Mode::Quorum {
            return false;
        }
        let epoch = v.epoch;
        self.held[me as usize].push(HeldRead {
            op,
            key,
            client,
            epoch,
            confirmed: 1 << me,
        });
        for n in (0..self.views.len() as NodeId).filter(|&n| n != me) {
            out.send(me, n, Msg::LeaderCheck { epoch, read: op });
        }
        true
    }

    /// Not the primary (as far as `me` knows): send the client to the one it knows; a node
    /// that knows none, or is still taking over, stays silent, and so does one that
    /// suspects the primary it knows (the client would only wait there).
    pub fn send_elsewhere(
        &self,
        det: &Detector,
        me: NodeId,
        client: NodeId,
        op: u32,
        out: &mut Out,
    ) {
        let v = &self.views[me as usize];
        let suspected = det.suspects(me, v.primary);
        if v.primary != me && v.primary != NO_NODE && !suspected {
            out.send(
                me,
                client,
                Msg::NotPrimary {
                    op,
                    primary: v.primary,
                },
            );
        }
    }

    /// Answers each held read of `me` whose leadership a majority confirmed, while `me` still
    /// serves in that epoch, and whose key has no write still waiting for its majority.
    pub fn answer_held(&mut self, nodes: &[Node], me: NodeId, out: &mut Out) {
        let majority = self.views.len() / 2 + 1;
        let v = &self.views[me as usize];
        let (serving, epoch) = (v.serving(me), v.epoch);
        let pending = &self.pending[me as usize];
        let store = &nodes[me as usize].store;
        let mut answers = Vec::new();
        self.held[me as usize].retain(|h| {
            if !serving || h.epoch != epoch {
                return false; // it stepped down: the client will time out or be redirected
            }
            let confirmed = h.confirmed.count_ones() as usize >= majority;
            let settled = !pending.iter().any(|p| p.key == h.key && !p.acked);
            if confirmed && settled {
                answers.push((h.client, h.op, h.key, store[h.key as usize]));
                return false;
            }
            true
        });
        for (client, op, key, version) in answers {
            out.send(me, client, Msg::ReadOk { op, key, version });
        }
    }
}
