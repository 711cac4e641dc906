//! Nodes: name, role, status, clocks and stored values.

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

/// One simulated machine.
#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    /// What it does now: `primary`, `replica`, `client`, `monitor`, `order`, `shard`, ...
    pub role: String,
    pub status: Status,
    pub clock: WallClock,
    pub lamport: Lamport,
    /// Stored value per key (replication kinds).
    pub store: Vec<Option<Version>>,
    /// When it last crashed (true µs), for detection latency.
    pub crashed_at_us: u64,
}

impl Node {
    pub fn new(name: impl Into<String>, role: impl Into<String>, keys: usize) -> Self {
        Self {
            name: name.into(),
            role: role.into(),
            status: Status::Up,
            clock: WallClock::default(),
            lamport: Lamport::default(),
            store: vec![None; keys],
            crashed_at_us: 0,
        }
    }

    pub fn is_up(&self) -> bool {
        self.status == Status::Up
    }

    pub fn is_crashed(&self) -> bool {
        self.status == Status::Crashed
    }

    /// Applies `v` to `key` if it wins last-writer-wins; returns whether it did.
    pub fn apply(&mut self, key: u8, v: Version) -> bool {
        let slot = &mut self.store[key as usize];
        match slot {
            Some(cur) if !v.newer_than(cur) => false,
            _ => {
                *slot = Some(v);
                true
            }
        }
    }

    /// The highest timestamp it holds (how up to date it is).
    pub fn freshness(&self) -> u64 {
        self.store.iter().flatten().map(|v| v.ts).max().unwrap_or(0)
    }
}
