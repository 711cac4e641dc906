//! Guided walkthroughs: run to each step's time, issue its commands, pause on its caption;
//! going back replays from the seed, so every visit to a step shows the same cluster.

use super::Lab;
use crate::sim::Command;

/// A guided walkthrough in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Walk {
    /// The step whose caption is showing (0-based); `None` before the first is reached.
    pub reached: Option<usize>,
    /// The step the lab is running towards.
    pub heading: Option<usize>,
}

impl Lab {
    /// Starts the scenario's walkthrough from t=0 (same seed) and runs to its first step.
    pub fn start_walkthrough(&mut self) {
        if self.scenario().steps.is_empty() {
            self.note = Some(format!("`{}` has no walkthrough", self.scenario().id));
            return;
        }
        self.reset(self.seed);
        self.walk = Some(Walk::default());
        self.walk_next();
    }

    /// The walkthrough's step count.
    pub fn steps(&self) -> usize {
        self.scenario().steps.len()
    }

    /// Simulated time (µs) of the step the lab is running towards.
    pub(super) fn heading_us(&self) -> Option<u64> {
        let step = self.walk?.heading?;
        Some(self.scenario().steps[step].at_ms.saturating_mul(1000))
    }

    /// Runs (animated) towards the next step; pressed again while running, it gets there at
    /// once.
    pub(super) fn walk_next(&mut self) {
        let Some(walk) = self.walk else { return };
        if walk.heading.is_some() {
            self.arrive();
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
        if self.heading_us().is_some_and(|t| t <= self.sim.now_us()) {
            self.arrive();
        }
    }

    /// Reaches the step the lab was heading to: runs exactly to its time, issues its
    /// commands, and pauses on its caption.
    pub(super) fn arrive(&mut self) {
        let (Some(walk), Some(at_us)) = (self.walk, self.heading_us()) else {
            return;
        };
        let Some(step) = walk.heading else { return };
        self.run_to(at_us);
        let commands: Vec<String> = self.scenario().steps[step]
            .commands
            .iter()
            .map(|c| c.to_string())
            .collect();
        for text in commands {
            match Command::parse(&text) {
                Ok(cmd) => self.command(cmd),
                Err(e) => self.note = Some(format!("step {}: `{text}`: {e}", step + 1)),
            }
        }
        self.walk = Some(Walk {
            reached: Some(step),
            heading: None,
        });
        self.running = false;
    }

    /// Goes back one step by replaying from the seed, so the cluster is exactly as it was.
    pub(super) fn walk_back(&mut self) {
        let Some(walk) = self.walk else { return };
        let target = match (walk.heading, walk.reached) {
            (Some(_), Some(r)) => r,
            (_, Some(r)) => r.saturating_sub(1),
            (_, None) => 0,
        };
        self.reset(self.seed);
        self.walk = Some(Walk::default());
        for step in 0..=target {
            self.walk = Some(Walk {
                reached: step.checked_sub(1),
                heading: Some(step),
            });
            self.arrive();
        }
    }
}
