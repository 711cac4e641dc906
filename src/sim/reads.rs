//! Reads a client sends to the primary (`read_from = primary`, one writer). Only a node
//! serving as primary answers them; the others redirect the client as they do for writes.
//! In quorum mode the primary first makes sure it still leads, the way Raft's ReadIndex
//! does: a majority of data nodes (itself included) confirm they know of no newer epoch,
//! and it answers only once the key has no write still waiting for its majority, so a
//! read never returns a value that a newer primary could lose or one it has not got.

use super::Sim;
use super::engine::Out;
use super::msg::{Msg, NodeId};
use super::params::Mode;
use super::replication::NO_NODE;

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

impl Sim {
    /// A read reaches data node `me`. Returns whether it was handled here (redirected or
    /// held); otherwise the caller answers from `me`'s store.
    pub(crate) fn leader_read(
        &mut self,
        client: NodeId,
        me: NodeId,
        op: u32,
        key: u8,
        out: &mut Out,
    ) -> bool {
        if self.params.writers != 1 || me as usize >= self.rep.views.len() {
            return false;
        }
        let v = &self.rep.views[me as usize];
        if !v.serving(me) {
            self.send_elsewhere(me, client, op, out);
            return true;
        }
        if self.params.mode != Mode::Quorum {
            return false;
        }
        let epoch = v.epoch;
        self.rep.held[me as usize].push(HeldRead {
            op,
            key,
            client,
            epoch,
            confirmed: 1 << me,
        });
        let others: Vec<NodeId> = (0..self.rep.views.len() as NodeId)
            .filter(|&n| n != me)
            .collect();
        for n in others {
            out.send(me, n, Msg::LeaderCheck { epoch, read: op });
        }
        true
    }

    /// Not the primary (as far as `me` knows): send the client to the one it knows; a node
    /// that knows none, or is still taking over, stays silent, and so does one that
    /// suspects the primary it knows (the client would only wait there).
    pub(crate) fn send_elsewhere(&mut self, me: NodeId, client: NodeId, op: u32, out: &mut Out) {
        let v = &self.rep.views[me as usize];
        let suspected = self.det.suspects(me, v.primary);
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

    /// A data node asked by the primary of `epoch` whether it still leads: yes, unless it
    /// knows of a newer epoch, which it then tells the asker about.
    pub(crate) fn leader_check(
        &mut self,
        from: NodeId,
        me: NodeId,
        epoch: u64,
        read: u32,
        out: &mut Out,
    ) {
        let Some(v) = self.rep.views.get(me as usize) else {
            return;
        };
        let newest = v.epoch.max(v.voted);
        if epoch >= newest {
            out.send(me, from, Msg::LeaderOk { epoch, read });
            if epoch > v.epoch {
                self.learn(me, epoch, from, out);
            }
        } else {
            let (epoch, primary) = v.news();
            if primary != NO_NODE {
                out.send(me, from, Msg::View { epoch, primary });
            }
        }
    }

    /// `from` confirmed `epoch` for the held read `read`.
    pub(crate) fn leader_ok(
        &mut self,
        from: NodeId,
        me: NodeId,
        epoch: u64,
        read: u32,
        out: &mut Out,
    ) {
        let Some(held) = self.rep.held.get_mut(me as usize) else {
            return;
        };
        if let Some(h) = held.iter_mut().find(|h| h.op == read && h.epoch == epoch) {
            h.confirmed |= 1 << from;
        }
        self.answer_held(me, out);
    }

    /// Answers each held read of `me` whose leadership a majority confirmed, while `me` still
    /// serves in that epoch, and whose key has no write still waiting for its majority.
    pub(crate) fn answer_held(&mut self, me: NodeId, out: &mut Out) {
        let majority = self.rep.views.len() / 2 + 1;
        let v = &self.rep.views[me as usize];
        let (serving, epoch) = (v.serving(me), v.epoch);
        let pending = &self.rep.pending[me as usize];
        let store = &self.nodes[me as usize].store;
        let mut answers = Vec::new();
        self.rep.held[me as usize].retain(|h| {
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
