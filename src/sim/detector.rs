//! The failure detector: heartbeats every `heartbeat_ms`; a monitor suspects a node after
//! `timeout_ms` of its own local time without one, and trusts it again on the next.

use super::engine::{Ctx, Held, Out, Timer};
use super::event::EventKind;
use super::msg::{Msg, NodeId};
use super::params::{Kind, Params};
use super::replication::Replication;

/// One monitor watching one target.
#[derive(Debug, Clone, Copy)]
pub struct Watch {
    pub monitor: NodeId,
    pub target: NodeId,
    pub generation: u32,
    pub suspected: bool,
    /// The check in the queue that comes due first: its generation and true time.
    pub armed: Option<(u32, u64)>,
    /// The newest check, held back until the armed one comes due (see
    /// [`Detector::hold_check`]).
    pub held: Option<Held>,
}

#[derive(Debug, Clone, Default)]
pub struct Detector {
    pub watches: Vec<Watch>,
    next_generation: u32,
    /// Queue every check as it is set, holding none back (for the test that holding them
    /// changes nothing).
    pub eager: bool,
}

impl Detector {
    pub fn start(&mut self, p: &Params, rep: &Replication, out: &mut Out) {
        if p.heartbeat_ms == 0 {
            return;
        }
        match p.kind {
            Kind::Replication if p.writers == 1 => {
                for &m in &rep.members {
                    out.timer(m, p.heartbeat_ms * 1000, Timer::Heartbeat);
                }
                self.watch_primary(p, rep.primary, &rep.members, out);
            }
            Kind::Detector => {
                for t in 1..=p.replicas.max(1) as NodeId {
                    out.timer(t, p.heartbeat_ms * 1000, Timer::Heartbeat);
                    self.add(p, 0, t, out);
                }
            }
            _ => {}
        }
    }

    fn add(&mut self, p: &Params, monitor: NodeId, target: NodeId, out: &mut Out) {
        self.next_generation += 1;
        let generation = self.next_generation;
        self.watches.push(Watch {
            monitor,
            target,
            generation,
            suspected: false,
            armed: None,
            held: None,
        });
        out.timer(
            monitor,
            p.timeout_ms * 1000,
            Timer::Check { target, generation },
        );
    }

    /// After a failover: every member except the primary watches the (new) primary.
    pub fn watch_primary(
        &mut self,
        p: &Params,
        primary: NodeId,
        members: &[NodeId],
        out: &mut Out,
    ) {
        if p.heartbeat_ms == 0 {
            return;
        }
        self.watches.clear();
        for &m in members.iter().filter(|&&m| m != primary) {
            self.add(p, m, primary, out);
        }
    }

    /// A watched node's heartbeat timer: it sends a heartbeat to each monitor that
    /// watches it.
    pub fn on_heartbeat_timer(&mut self, cx: &mut Ctx, node: NodeId, out: &mut Out) {
        for w in self.watches.iter().filter(|w| w.target == node) {
            out.send(node, w.monitor, Msg::Heartbeat { epoch: 0 });
        }
        out.timer(node, cx.params.heartbeat_ms * 1000, Timer::Heartbeat);
    }

    /// `monitor` now watches `target` (and nothing else); a node does not watch itself.
    pub fn rewatch(&mut self, p: &Params, monitor: NodeId, target: NodeId, out: &mut Out) {
        if p.heartbeat_ms == 0 {
            return;
        }
        if self
            .watches
            .iter()
            .any(|w| w.monitor == monitor && w.target == target)
            && self.watches.iter().filter(|w| w.monitor == monitor).count() == 1
        {
            return;
        }
        self.watches.retain(|w| w.monitor != monitor);
        if monitor != target {
            self.add(p, monitor, target, out);
        }
    }

    /// `monitor` watches nobody (it is primary, or it crashed and forgot).
    pub fn unwatch(&mut self, monitor: NodeId) {
        self.watches.retain(|w| w.monitor != monitor);
    }

    /// A heartbeat from `from` reaches `to`: if `to` watches `from`, it trusts it again and
    /// restarts the timeout.
    pub fn on_heartbeat(&mut self, cx: &mut Ctx, from: NodeId, to: NodeId, out: &mut Out) {
        self.next_generation += 1;
        let generation = self.next_generation;
        if let Some(w) = self
            .watches
            .iter_mut()
            .find(|w| w.monitor == to && w.target == from)
        {
            w.generation = generation;
            if w.suspected {
                w.suspected = false;
                out.event(EventKind::Trust {
                    monitor: to,
                    target: from,
                });
            }
            out.timer(
                to,
                cx.params.timeout_ms * 1000,
                Timer::Check {
                    target: from,
                    generation,
                },
            );
        }
    }

    /// A monitor's timeout ran out: it suspects the target (a false suspicion if the target
    /// is up). Returns whether it newly suspects it.
    pub fn on_check(
        &mut self,
        cx: &mut Ctx,
        monitor: NodeId,
        target: NodeId,
        generation: u32,
        out: &mut Out,
    ) -> bool {
        let Some(w) = self
            .watches
            .iter_mut()
            .find(|w| w.monitor == monitor && w.target == target)
        else {
            return false;
        };
        if w.generation != generation || w.suspected {
            return false;
        }
        w.suspected = true;
        let t = &cx.nodes[target as usize];
        let correct = t.is_crashed();
        cx.metrics.suspicions += 1;
        if correct {
            cx.metrics
                .detection_latency
                .record(cx.now_us.saturating_sub(t.crashed_at_us));
        } else {
            cx.metrics.false_suspicions += 1;
        }
        out.event(EventKind::Suspect {
            monitor,
            target,
            correct,
        });
        true
    }

    /// A check of `target` by `monitor` is being scheduled at `at_us`. Each heartbeat sets
    /// one, so a watch has many waiting, and all but the newest come due to find a newer
    /// heartbeat arrived: rather than queue each, the newest is held back while an older
    /// one is queued to come due no later, and queued when that one comes due (see
    /// [`Detector::release`]), in the place in the queue's order it was given now. Every
    /// check that could suspect still comes due at its time and in its order, so the run
    /// is the same, with fewer events that do nothing. Returns whether it was held (the
    /// caller takes its place with `reserve`); if not, the caller queues it now.
    pub fn hold_check(
        &mut self,
        monitor: NodeId,
        target: NodeId,
        generation: u32,
        at_us: u64,
        reserve: &mut dyn FnMut() -> u64,
        life: u32,
    ) -> bool {
        if self.eager {
            return false;
        }
        let Some(w) =
            (self.watches.iter_mut()).find(|w| w.monitor == monitor && w.target == target)
        else {
            return false;
        };
        match w.armed {
            Some((_, armed_at)) if armed_at <= at_us => {
                w.held = Some(Held {
                    at_us,
                    seq: reserve(),
                    tag: generation,
                    life,
                });
                true
            }
            _ => {
                // Queued now: it comes due first; an older held one is stale already.
                w.armed = Some((generation, at_us));
                w.held = None;
                false
            }
        }
    }

    /// The check of `generation` came due: if it was the armed one, the held check (if
    /// any) is armed in its place, and returned for the caller to queue.
    pub fn release(&mut self, monitor: NodeId, target: NodeId, generation: u32) -> Option<Held> {
        let w = (self.watches.iter_mut()).find(|w| w.monitor == monitor && w.target == target)?;
        if w.armed.is_none_or(|(g, _)| g != generation) {
            return None;
        }
        let held = w.held.take();
        w.armed = held.map(|h| (h.tag, h.at_us));
        held
    }

    /// Whether `monitor` suspects `target` now.
    pub fn suspects(&self, monitor: NodeId, target: NodeId) -> bool {
        self.watches
            .iter()
            .any(|w| w.monitor == monitor && w.target == target && w.suspected)
    }

    pub fn suspected_by(&self, target: NodeId) -> Vec<NodeId> {
        self.watches
            .iter()
            .filter(|w| w.target == target && w.suspected)
            .map(|w| w.monitor)
            .collect()
    }
}
