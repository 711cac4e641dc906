//! Nodes: name, role, status, clocks and stored values.

use super::causal::Vv;
use super::clock::{Lamport, WallClock};
use super::msg::Version;

/// Whether a node runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Up,
    /// Stopped: messages that reach it are lost and it sends nothing (what it sent before
    /// still arrives); its stored data survives a restart.
    Crashed,
    /// Stalled until this true time (µs): messages wait, timers fire late.
    Paused {
        until_us: u64,
    },
}

/// What a node does now. A replication node's role changes with failover (a replica is
/// promoted, a primary steps down); every other node keeps the role it starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Primary,
    Replica,
    /// With several writers: a data node that takes its own client's writes and copies
    /// them to the others (no node is primary).
    Coordinator,
    Client,
    /// The failure detector's monitor (detector scenarios).
    Monitor,
    /// A node the monitor watches (detector scenarios).
    Watched,
    Web,
    Order,
    Inventory,
    Payment,
    Router,
    Shard,
    ShardReplica,
}

impl Role {
    /// The word screens, narration and claims (`NODE.role == replica`) use.
    pub fn word(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Replica => "replica",
            Role::Coordinator => "coordinator",
            Role::Client => "client",
            Role::Monitor => "monitor",
            Role::Watched => "node",
            Role::Web => "web",
            Role::Order => "order",
            Role::Inventory => "inventory",
            Role::Payment => "payment",
            Role::Router => "router",
            Role::Shard => "shard",
            Role::ShardReplica => "shard replica",
        }
    }
}

impl std::fmt::Display for Role {
    /// The word, padded to a width if one is asked for (`{:<12}`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.word())
    }
}

/// One simulated machine.
#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    /// What it does now.
    pub role: Role,
    pub status: Status,
    pub clock: WallClock,
    pub lamport: Lamport,
    /// Stored value per key (replication kinds): what it holds in memory and serves.
    pub store: Vec<Option<Version>>,
    /// What its last disk sync wrote, when syncs are simulated (`fsync_every_ms > 0`): a
    /// crash puts `store` back to this. Otherwise every write is on disk when it arrives,
    /// and this stays empty.
    pub disk: Vec<Option<Version>>,
    /// When its last disk sync ran (true µs; 0 before the first).
    pub synced_at_us: u64,
    /// With version vectors: per key, the writes kept beside `store`'s because they are
    /// concurrent with it (siblings); empty otherwise.
    pub siblings: Vec<Vec<Version>>,
    /// With several writers: every write it has received or coordinated (stored or not).
    pub known: Vv,
    /// When it last crashed (true µs), for detection latency.
    pub crashed_at_us: u64,
    /// How many times its process has stopped (a crash, or a restart from a pause): an
    /// election timer set in an earlier life is gone with that process.
    pub incarnation: u32,
}

impl Node {
    pub fn new(name: impl Into<String>, role: Role, keys: usize) -> Self {
        Self {
            name: name.into(),
            role,
            status: Status::Up,
            clock: WallClock::default(),
            lamport: Lamport::default(),
            store: vec![None; keys],
            disk: vec![None; keys],
            synced_at_us: 0,
            siblings: vec![Vec::new(); keys],
            known: Vv::default(),
            crashed_at_us: 0,
            incarnation: 0,
        }
    }

    pub fn is_up(&self) -> bool {
        self.status == Status::Up
    }

    pub fn is_crashed(&self) -> bool {
        self.status == Status::Crashed
    }

    /// What goes in the brackets after its name: its role now, and its state when it is
    /// not running (`primary`, `crashed, was primary`, `paused, replica`). A name that
    /// already says the role (`web`, `monitor`, `node-2`) gets only its state, or no badge.
    pub fn badge(&self) -> Option<String> {
        let named = self.name.starts_with(self.role.word());
        match (self.status, named) {
            (Status::Up, true) => None,
            (Status::Up, false) => Some(self.role.word().to_owned()),
            (Status::Crashed, true) => Some("crashed".to_owned()),
            // A role that changes with failover is what it was; any other, what it is.
            (Status::Crashed, false) if matches!(self.role, Role::Primary | Role::Replica) => {
                Some(format!("crashed, was {}", self.role))
            }
            (Status::Crashed, false) => Some(format!("crashed, {}", self.role)),
            (Status::Paused { .. }, true) => Some("paused".to_owned()),
            (Status::Paused { .. }, false) => Some(format!("paused, {}", self.role)),
        }
    }

    /// Its name with its badge: `n1 [primary]`, `n1 [crashed, was primary]`, `web`.
    pub fn label(&self) -> String {
        match self.badge() {
            Some(b) => format!("{} [{b}]", self.name),
            None => self.name.clone(),
        }
    }

    /// Applies `v` to `key` if it wins last-writer-wins; returns whether it did.
    pub fn apply(&mut self, key: u8, v: Version) -> bool {
        let slot = &mut self.store[key as usize];
        match slot {
            Some(cur) if !v.newer_than(cur) => false,
            _ => {
                *slot = Some(v);
                // What it replaces by last-writer-wins, it also wins over every sibling.
                self.siblings[key as usize].clear();
                true
            }
        }
    }

    /// Applies `v` by version vector: ignored if it or a write that has seen it is kept;
    /// otherwise it replaces every kept write it has seen, and is kept beside the ones it
    /// has not (concurrent writes become siblings; `store` shows the one with the latest
    /// timestamp). Returns whether it was kept, and the writes it is now kept beside.
    pub fn apply_vector(&mut self, key: u8, v: Version) -> (bool, Vec<Version>) {
        let k = key as usize;
        let mut kept: Vec<Version> = self.store[k].into_iter().collect();
        kept.append(&mut self.siblings[k]);
        let covered = kept
            .iter()
            .any(|c| c.write == v.write || c.vv.descends(&v.vv));
        if !covered {
            kept.retain(|c| !v.vv.descends(&c.vv));
        }
        let beside = if covered { Vec::new() } else { kept.clone() };
        if !covered {
            kept.push(v);
        }
        let winner =
            (0..kept.len()).reduce(|a, b| if kept[b].newer_than(&kept[a]) { b } else { a });
        self.store[k] = winner.map(|w| kept.swap_remove(w));
        self.siblings[k] = kept;
        (!covered, beside)
    }

    /// Every write it keeps for `key`: the stored one and its siblings.
    pub fn kept(&self, key: u8) -> impl Iterator<Item = &Version> {
        let k = key as usize;
        self.store[k].iter().chain(&self.siblings[k])
    }

    /// Its memory is written to disk, at true time `now_us`.
    pub fn sync_to_disk(&mut self, now_us: u64) {
        self.disk.copy_from_slice(&self.store);
        self.synced_at_us = now_us;
    }

    /// A crash: memory is lost, and the node holds what its disk does. Returns what it
    /// held only in memory: (key, value in memory, value on disk).
    pub fn revert_to_disk(&mut self) -> Vec<(u8, i64, Option<i64>)> {
        let lost = (self.store.iter().zip(&self.disk).enumerate())
            .filter_map(|(k, (m, d))| match (m, d) {
                (Some(m), d) if d.is_none_or(|d| d.write != m.write) => {
                    Some((k as u8, m.value, d.map(|d| d.value)))
                }
                _ => None,
            })
            .collect();
        self.store.copy_from_slice(&self.disk);
        lost
    }

    /// The highest timestamp it holds (how up to date it is).
    pub fn freshness(&self) -> u64 {
        self.store.iter().flatten().map(|v| v.ts).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::msg::Stamp;

    fn ver(write: u32, ts: u64, vv: &[u32]) -> Version {
        let mut v = Vv::default();
        v.0[..vv.len()].copy_from_slice(vv);
        Version {
            value: i64::from(write),
            write,
            ts,
            stamp: Stamp::Vector,
            origin: 0,
            at_us: 0,
            vv: v,
        }
    }

    #[test]
    fn a_label_is_the_identity_with_the_role_as_a_badge() {
        let mut n = Node::new("n1", Role::Primary, 1);
        assert_eq!(n.label(), "n1 [primary]");
        n.status = Status::Crashed;
        assert_eq!(n.label(), "n1 [crashed, was primary]");
        n.status = Status::Paused { until_us: 5 };
        n.role = Role::Replica;
        assert_eq!(n.label(), "n1 [paused, replica]");
        let mut web = Node::new("web", Role::Web, 1);
        assert_eq!(web.label(), "web");
        web.status = Status::Crashed;
        assert_eq!(web.label(), "web [crashed]");
        let mut client = Node::new("c2", Role::Client, 1);
        assert_eq!(client.label(), "c2 [client]");
        client.status = Status::Crashed;
        assert_eq!(client.label(), "c2 [crashed, client]");
    }

    #[test]
    fn a_role_pads_like_a_string_in_columns() {
        assert_eq!(format!("{:<8}|", Role::Primary), "primary |");
        assert_eq!(Role::ShardReplica.to_string(), "shard replica");
    }

    #[test]
    fn version_vectors_keep_concurrent_writes_and_replace_seen_ones() {
        let mut n = Node::new("n", Role::Replica, 1);
        assert_eq!(n.apply_vector(0, ver(1, 10, &[1, 0])), (true, vec![]));
        let (kept, beside) = n.apply_vector(0, ver(2, 5, &[0, 1]));
        assert!(kept);
        assert_eq!(beside.iter().map(|v| v.write).collect::<Vec<_>>(), [1]);
        // The latest timestamp is shown first; both are kept.
        assert_eq!(n.store[0].map(|v| v.write), Some(1));
        assert_eq!(n.kept(0).count(), 2);
        // A duplicate, or a write both have seen, is ignored.
        assert!(!n.apply_vector(0, ver(2, 5, &[0, 1])).0);
        assert!(!n.apply_vector(0, ver(0, 1, &[0, 0])).0);
        // A write that has seen both replaces them.
        assert_eq!(n.apply_vector(0, ver(3, 1, &[1, 2])), (true, vec![]));
        assert_eq!(n.kept(0).map(|v| v.write).collect::<Vec<_>>(), [3]);
        // Last-writer-wins replaces the stored write and drops its siblings.
        n.apply_vector(0, ver(4, 2, &[2, 0]));
        assert_eq!(n.kept(0).count(), 2);
        assert!(n.apply(0, ver(5, 99, &[0, 0])));
        assert_eq!(n.kept(0).map(|v| v.write).collect::<Vec<_>>(), [5]);
    }
}
