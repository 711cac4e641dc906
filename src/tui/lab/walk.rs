//! Guided walkthroughs: run to each step's time or until its event, pause *on* it, issue
//! its commands, check its claims and show its caption with the run's numbers; going back
//! replays from the seed, so every visit to a step shows the same cluster.

use super::Lab;
use crate::sim::Event;
use crate::sim::story::{self, Arrival, Target};

/// A guided walkthrough in progress.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Walk {
    /// The step whose caption is showing (0-based); `None` before the first is reached.
    pub reached: Option<usize>,
    /// The step the lab is running towards.
    pub heading: Option<usize>,
    /// What the reached step found: its caption filled in, its claims checked, the event
    /// it paused on.
    pub arrival: Option<Arrival>,
}

impl Lab {
    /// Starts the scenario's walkthrough from t=0 (same seed) and runs to its first step.
    pub fn start_walkthrough(&mut self) {
        if self.scenario().steps.is_empty() {
            self.note = Some(format!("`{}` has no walkthrough", self.scenario().id));
            return;
        }
        // A walkthrough tells one run's story.
        let compared = self.compare.take().is_some();
        self.reset(self.seed());
        if compared {
            self.note = Some("compare closed: a walkthrough tells one run's story".into());
        }
        if let Err(why) = &self.parsed_story {
            self.note = Some(why.clone());
            return;
        }
        self.walk = Some(Walk::default());
        self.walk_next();
    }

    /// The walkthrough's step count.
    pub fn steps(&self) -> usize {
        self.story().map_or(0, |s| s.steps.len())
    }

    /// Where the step the lab is running towards pauses.
    pub(super) fn heading_target(&self) -> Option<Target> {
        let step = self.walk.as_ref()?.heading?;
        Some(self.story()?.steps.get(step)?.target.clone())
    }

    /// Runs (animated) towards the next step; pressed again while running, it gets there at
    /// once.
    pub(super) fn walk_next(&mut self) {
        let Some(walk) = self.walk.clone() else {
            return;
        };
        if walk.heading.is_some() {
            self.arrive(None);
            return;
        }
        let next = walk.reached.map_or(0, |r| r + 1);
        if next >= self.steps() {
            self.note = Some(
                "that was the last step: Esc leaves the walkthrough, r restarts the lab".into(),
            );
            return;
        }
        self.walk = Some(Walk {
            heading: Some(next),
            ..walk
        });
        self.running = true;
        if matches!(self.heading_target(), Some(Target::At(t)) if t <= self.sim.now_us()) {
            self.arrive(None);
        }
    }

    /// Reaches the step the lab was heading to: runs exactly to its time or until its event
    /// (unless `hit`, the event, was already reached), issues its commands, checks its
    /// claims and pauses on its caption.
    pub(super) fn arrive(&mut self, hit: Option<Event>) {
        let (Some(walk), Some(target)) = (self.walk.clone(), self.heading_target()) else {
            return;
        };
        let Some(step) = walk.heading else { return };
        let end_us = self.end_us();
        let stranded = walk.arrival.as_ref().is_some_and(|a| !a.reached());
        let (anchor, missed, late) = match target {
            _ if stranded => (None, false, false),
            Target::At(t) => {
                let late = t < self.sim.now_us();
                self.advance_to(t, None);
                (None, false, late)
            }
            Target::Until(a) => {
                let hit = hit.or_else(|| self.advance_to(end_us, Some(&a)));
                let missed = hit.is_none();
                (hit, missed, false)
            }
        };
        let arrival = match self.parsed_story.as_ref().ok() {
            Some(s) => {
                let (record, watch) = (&mut self.record, &mut self.watch);
                story::arrive(
                    s,
                    step,
                    &mut self.sim,
                    watch,
                    anchor,
                    story::Reach {
                        missed,
                        late,
                        stranded,
                    },
                    &mut |e| record.push(e),
                )
            }
            None => return,
        };
        self.walk = Some(Walk {
            reached: Some(step),
            heading: None,
            arrival: Some(arrival),
        });
        self.running = false;
    }

    /// Goes back one step by replaying from the seed, so the cluster is exactly as it was.
    pub(super) fn walk_back(&mut self) {
        let Some(walk) = self.walk.clone() else {
            return;
        };
        let target = match (walk.heading, walk.reached) {
            (Some(_), Some(r)) => r,
            (_, Some(r)) => r.saturating_sub(1),
            (_, None) => 0,
        };
        self.reset(self.seed());
        self.walk = Some(Walk::default());
        for step in 0..=target {
            let arrival = self.walk.as_ref().and_then(|w| w.arrival.clone());
            self.walk = Some(Walk {
                reached: step.checked_sub(1),
                heading: Some(step),
                arrival,
            });
            self.arrive(None);
        }
    }
}

/// How long (simulated µs) a free-run event stays marked on its node.
pub const FOCUS_RECENT_US: u64 = 3_000_000;

impl Lab {
    /// The event the screen points at, and the node it is about: in a walkthrough, the
    /// event the step paused on; in free run, the latest notable event while it is recent.
    pub fn focus(&self) -> Option<(&Event, Option<crate::sim::NodeId>)> {
        let e = match &self.walk {
            Some(w) => w
                .arrival
                .as_ref()
                .filter(|_| w.heading.is_none())?
                .anchor
                .as_ref()?,
            None => self
                .watch
                .latest()
                .filter(|e| self.sim.now_us().saturating_sub(e.t_us) <= FOCUS_RECENT_US)?,
        };
        // A lost write (one writer) is about the node that serves the key now: the primary.
        let node = story::subject(e, &self.sim).or_else(|| match e.kind {
            crate::sim::EventKind::WriteLost { .. } if self.sim.params().writers == 1 => {
                self.sim.primary()
            }
            _ => None,
        });
        Some((e, node))
    }
}
