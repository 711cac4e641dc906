//! Running the lab: wall time × speed to simulated time, one step at a time, and the end
//! of a run (its duration, or a quiz question's `until_ms`).

use std::time::Duration;

use super::Lab;
use super::walk::Walk;
use crate::sim::Event;
use crate::sim::story::{self, Anchor, Target};

impl Lab {
    /// Advances simulated time by `wall` × speed, while running.
    pub fn tick(&mut self, wall: Duration) {
        if !self.animating() {
            return;
        }
        let total = wall.as_secs_f64() * 1e6 * self.speed_factor() + self.carry_us;
        let advance = total.floor();
        self.carry_us = total - advance;
        let target = self.sim.now_us().saturating_add(advance as u64);
        match self.heading_target() {
            Some(Target::At(stop)) if target >= stop => self.arrive(None),
            Some(Target::Until(a)) => {
                let hit = self.advance_to(target, Some(&a));
                if hit.is_some() || self.finished() {
                    self.arrive(hit);
                }
            }
            _ => {
                self.advance_to(target, None);
            }
        }
    }

    /// When the run ends (true µs): the scenario's duration, or a quiz question's `until_ms`.
    pub fn end_us(&self) -> u64 {
        let duration = self.sim.params().duration_ms.saturating_mul(1000);
        self.until_us.map_or(duration, |u| u.min(duration))
    }

    /// Runs to `target_us` (at most the end of the run), or only until just after the
    /// first event matching `until`, which it returns. At the end it finishes the run.
    pub(super) fn advance_to(&mut self, target_us: u64, until: Option<&Anchor>) -> Option<Event> {
        if self.finished() {
            return None;
        }
        let end_us = self.end_us();
        let target = target_us.min(end_us);
        let (record, watch) = (&mut self.record, &mut self.watch);
        let hit = story::advance(&mut self.sim, watch, target, until, &mut |e| record.push(e));
        self.record.sample(&self.sim);
        if self.sim.exhausted() {
            self.running = false;
            self.note = Some(crate::sim::exhausted_message(&self.sim));
        } else if hit.is_none() && self.sim.now_us() >= end_us {
            let (record, watch) = (&mut self.record, &mut self.watch);
            self.sim.finish(&mut |e| {
                watch.see(e, None);
                record.push(e);
            });
            self.running = false;
            if let Some(u) = self
                .until_us
                .filter(|u| *u < self.sim.params().duration_ms * 1000)
            {
                self.note = Some(format!(
                    "■ the question's run ends here, at t={}s (its until_ms): these are the numbers \
                     its claim was checked against",
                    crate::sim::time::whole_secs(u)
                ));
            }
        }
        self.twin_follow();
        hit
    }

    /// Runs exactly to `t_us` (used by walkthroughs and tests).
    pub fn run_to(&mut self, t_us: u64) {
        self.advance_to(t_us, None);
    }

    /// One event, then everything else at that same instant, so a saved session replays
    /// exactly (a replay applies commands after all events up to their time).
    pub(super) fn step(&mut self) {
        if self.finished() {
            return;
        }
        self.running = false;
        // In a walkthrough, stepping heads for the next step and stops there, so the step's
        // commands run on time and going back replays the same story.
        if let Some(w) = self.walk.clone()
            && w.heading.is_none()
        {
            let next = w.reached.map_or(0, |r| r + 1);
            if next < self.steps() {
                self.walk = Some(Walk {
                    heading: Some(next),
                    ..w
                });
            }
        }
        let until = match self.heading_target() {
            Some(Target::At(stop)) => {
                if self.sim.next_event_us().is_none_or(|t| t >= stop) {
                    self.arrive(None);
                    return;
                }
                None
            }
            Some(Target::Until(a)) => Some(a),
            None => None,
        };
        let Some(next) = self.sim.next_event_us() else {
            self.advance_to(self.end_us(), None);
            return;
        };
        // Everything at the next event's instant; in a walkthrough waiting for an event,
        // stop on it.
        let hit = self.advance_to(next, until.as_ref());
        if hit.is_some() || (until.is_some() && self.finished()) {
            self.arrive(hit);
        }
    }
}
