//! The learner's interventions as simulator commands (kept in the command log, so the
//! session replays), and the session as a replay file.

use super::Lab;
use crate::sim::{Command, Mode, NodeId, Session};
use crate::tui::action::LabAction;
use crate::tui::effect::Effect;

impl Lab {
    /// `F`: the same scenario and seed again from the start, with fencing switched (a
    /// replay, so the two runs can be compared from the beginning).
    pub(super) fn replay_with_fencing_toggled(&mut self) {
        if !self.offers(LabAction::ToggleFencing) {
            self.note = Some(
                "fencing changes nothing here: it matters where one primary is replaced by \
                 another (replication with one writer and heartbeats)"
                    .into(),
            );
            return;
        }
        let on = !self.sim.params().fencing;
        let how = if on { "fencing on" } else { "fencing off" };
        self.replay_with("fencing", toml::Value::Boolean(on), how);
    }

    /// `A`: the same scenario and seed again from the start, with acknowledgements after
    /// disk syncs switched (`ack_after`), where disk syncs are simulated.
    pub(super) fn replay_with_ack_after_toggled(&mut self) {
        use crate::sim::AckAfter;
        if !self.offers(LabAction::ToggleAckAfter) {
            self.note = Some(
                "acks after disk sync change nothing here: every write is on disk the moment \
                 it arrives (fsync_every_ms = 0); they matter where disks sync periodically \
                 (power-loss)"
                    .into(),
            );
            return;
        }
        let (word, how) = match self.sim.params().ack_after {
            AckAfter::Receive => ("fsync", "ack_after = fsync (an ack waits for a disk sync)"),
            AckAfter::Fsync => (
                "receive",
                "ack_after = receive (an ack as soon as in memory)",
            ),
        };
        self.replay_with("ack_after", toml::Value::String(word.into()), how);
    }

    /// `(` / `)`: picks the message sent before (`step < 0`) or after the one picked,
    /// among those the space-time diagram draws (heartbeats only where it draws them). The
    /// first `(` picks the newest; `)` past the newest picks none.
    pub(super) fn pick(&mut self, step: i32) {
        let heartbeats = self.sim.params().kind == crate::sim::Kind::Detector;
        let shown: Vec<_> = (self.record.arrows.iter())
            .filter(|a| heartbeats || !a.heartbeat)
            .map(|a| a.key())
            .collect();
        let at = self.picked.and_then(|k| shown.iter().position(|&s| s == k));
        self.picked = match (at, step < 0) {
            (None, true) => shown.last().copied(),
            (None, false) => None,
            (Some(i), true) => shown.get(i.saturating_sub(1)).copied(),
            (Some(i), false) => shown.get(i + 1).copied(),
        };
        if self.picked.is_none() && shown.is_empty() {
            self.note = Some("no message yet: run the lab, then pick one".into());
        }
    }

    /// What happened to the picked message, in words: `n1 → n3 replicate(y=1): sent at
    /// t=0.155s, DROPPED at t=0.159s (link loss)`.
    pub fn picked_text(&self) -> Option<String> {
        let key = self.picked?;
        let a = self.record.arrows.iter().find(|a| a.key() == key)?;
        let name = |n: NodeId| self.sim.node_name(n).to_owned();
        let t = crate::sim::narrate::fmt_time;
        let fate = match a.dropped {
            Some(cause) => format!(
                "DROPPED at {} ({}); it would have arrived at {}",
                t(a.end_us),
                cause.describe(),
                t(a.planned_us)
            ),
            None => format!(
                "delivered at {}, {} ms on the way",
                t(a.end_us),
                (a.end_us - a.sent_us) / 1000
            ),
        };
        Some(format!(
            "picked: {} → {} {}: sent at {}, {fate}",
            name(a.from),
            name(a.to),
            a.msg,
            t(a.sent_us)
        ))
    }

    /// `M`: the same scenario and seed again from the start in the next replication mode.
    pub(super) fn replay_in_next_mode(&mut self) {
        if !self.offers(LabAction::ReplayNextMode) {
            self.note =
                Some("replication modes change nothing here: this scenario has no replicas".into());
            return;
        }
        let next = match self.sim.params().mode {
            Mode::Async => Mode::Sync,
            Mode::Sync => Mode::Quorum,
            Mode::Quorum => Mode::Async,
        };
        let how = format!("mode = {next}");
        self.replay_with("mode", toml::Value::String(next.to_string()), &how);
    }

    /// `I`: the checkout again from the start with idempotency keys switched.
    pub(super) fn replay_with_idempotency_toggled(&mut self) {
        if !self.offers(LabAction::ToggleIdempotency) {
            self.note = Some(
                "idempotency keys change nothing here: they matter where a retried request \
                 can be applied twice (checkout)"
                    .into(),
            );
            return;
        }
        let on = !self.sim.params().idempotency;
        let how = if on {
            "idempotency keys (payment recognises a retried charge)"
        } else {
            "no idempotency keys (a retried charge is a new charge)"
        };
        self.replay_with("idempotency", toml::Value::Boolean(on), how);
    }

    /// The same scenario and seed again from the start with `key = value` (`how` says so).
    fn replay_with(&mut self, key: &str, value: toml::Value, how: &str) {
        let mut overrides = self.overrides.clone();
        overrides.insert(key.into(), value);
        let seed = self.seed();
        self.restart_with(overrides);
        self.note = Some(format!(
            "replaying {} seed {seed} from the start with {how}: Space runs it",
            self.scenario().id,
        ));
    }

    /// `t`: wall → Lamport → version vectors, where several coordinators write; elsewhere
    /// it says why timestamps change nothing.
    pub(super) fn cycle_timestamps(&mut self) {
        use crate::sim::Stamps;
        if !self.offers(LabAction::ToggleTimestamps) {
            self.note = Some(
                "timestamps change nothing here: with one writer the primary orders every \
                 write by epoch and sequence number; they matter where several coordinators \
                 write (clock-skew)"
                    .into(),
            );
            return;
        }
        let next = match self.sim.params().timestamps {
            Stamps::Wall => Stamps::Lamport,
            Stamps::Lamport => Stamps::Vector,
            Stamps::Vector => Stamps::Wall,
        };
        self.command(crate::sim::Command::Timestamps(next));
    }

    pub(super) fn selected_name(&self) -> String {
        self.sim
            .nodes()
            .get(self.selected)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    }

    /// The node the selected one talks to most over a link that is not cut: the primary,
    /// or the first other data node (a message over a cut link is lost anyway).
    pub(super) fn peer(&self) -> Option<NodeId> {
        let me = self.selected as NodeId;
        let open = |n: NodeId| !self.sim.network().is_blocked(me, n);
        match self.sim.primary() {
            Some(p) if p != me && open(p) => Some(p),
            _ => (0..self.sim.nodes().len() as NodeId).find(|&n| {
                n != me && open(n) && self.sim.nodes()[n as usize].role != crate::sim::Role::Client
            }),
        }
    }

    /// Blocks every link out of the selected node (it can hear, but cannot speak).
    pub(super) fn one_way(&mut self) {
        let me = self.selected_name();
        let others: Vec<String> = self
            .sim
            .nodes()
            .iter()
            .filter(|n| n.name != me)
            .map(|n| n.name.clone())
            .collect();
        for other in others {
            self.command(Command::PartitionOneway(me.clone(), other));
        }
    }

    pub(super) fn drop_next(&mut self) {
        match self.peer() {
            Some(peer) => {
                let (from, to) = (self.selected_name(), self.sim.node_name(peer).to_owned());
                self.command(Command::DropNext(from.clone(), to.clone()));
                if self.note.is_none() {
                    self.note = Some(format!(
                        "the next message from {from} to {to} will be dropped"
                    ));
                }
            }
            None => {
                self.note = Some("no other node it can send to: every link out of it is cut".into())
            }
        }
    }

    pub(super) fn command(&mut self, cmd: Command) {
        if self.finished() {
            self.note = Some("the scenario has ended: r resets it, R with a new seed".into());
            return;
        }
        if self.refuses_in_compare(&cmd) {
            return;
        }
        let (record, watch) = (&mut self.record, &mut self.watch);
        match self.sim.apply(cmd.clone(), &mut |e| {
            watch.see(e, None);
            record.push(e);
        }) {
            Ok(()) => self.twin_command(&cmd),
            Err(e) => self.note = Some(e),
        }
    }

    /// The session so far: scenario, seed and every command with its time.
    pub fn session(&self) -> Session {
        let set = self
            .overrides
            .iter()
            .map(|(k, v)| (k.clone(), plain_value(v)))
            .collect();
        let mut s = Session {
            scenario: self.scenario().id.to_string(),
            seed: self.seed(),
            set,
            ..Session::default()
        };
        s.record(self.sim.command_log());
        s.until_us = Some(self.sim.now_us());
        s
    }

    /// The session as a replay file to write: its name and text.
    pub(super) fn replay_file(&self) -> Effect {
        let session = self.session();
        let name = format!(
            "distlab-{}-seed{}-t{}ms.toml",
            session.scenario,
            self.seed(),
            crate::sim::time::ms(self.sim.now_us())
        );
        Effect::WriteReplay {
            name,
            text: session.to_toml(),
        }
    }
}

/// A parameter value as `--set` writes it (`0.2`, `quorum`, `true`).
fn plain_value(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
