//! What a story needs to remember of a run as it goes: how many events of each counted
//! kind happened, the latest notable event (the "what just happened" banner), and the
//! outcomes at the previous pause (for `new.OUTCOME`). It sees every event and never
//! changes the run.

use super::super::Metrics;
use super::super::event::Event;
use super::anchor::{Anchor, notable};

#[derive(Debug, Clone, Default)]
pub struct Watch {
    names: Vec<String>,
    counted: Vec<(Anchor, u64)>,
    latest: Option<Event>,
    previous: Vec<(String, f64)>,
}

impl Watch {
    /// A watch over a cluster with these node names that counts these kinds of event.
    pub fn new(names: Vec<String>, counted: Vec<Anchor>) -> Watch {
        let mut list: Vec<(Anchor, u64)> = Vec::new();
        for a in counted {
            if !list.iter().any(|(b, _)| *b == a) {
                list.push((a, 0));
            }
        }
        Watch {
            names,
            counted: list,
            latest: None,
            previous: Vec::new(),
        }
    }

    /// Takes in one event; returns whether it matches `until`.
    pub fn see(&mut self, e: &Event, until: Option<&Anchor>) -> bool {
        for (a, n) in &mut self.counted {
            if a.matches(e, &self.names) {
                *n += 1;
            }
        }
        if notable(e) {
            self.latest = Some(e.clone());
        }
        until.is_some_and(|a| a.matches(e, &self.names))
    }

    /// How many events matching `a` happened so far (0 if `a` is not counted).
    pub fn count(&self, a: &Anchor) -> u64 {
        self.counted
            .iter()
            .find(|(b, _)| b == a)
            .map_or(0, |(_, n)| *n)
    }

    /// The latest failover, lost write, suspicion, stale read, duplicate charge, failed
    /// order, crash or restart.
    pub fn latest(&self) -> Option<&Event> {
        self.latest.as_ref()
    }

    /// Remembers the outcomes now: the base of `new.OUTCOME` at the next pause.
    pub fn mark(&mut self, m: &Metrics) {
        self.previous = m.values();
    }

    /// An outcome's value at the previous pause (0 before the first).
    pub fn previous(&self, key: &str) -> f64 {
        self.previous
            .iter()
            .find(|(k, _)| k == key)
            .map_or(0.0, |(_, v)| *v)
    }
}
