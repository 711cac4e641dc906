//! Applying lab commands: checking them against this cluster, then changing its state.

use super::engine::{Item, Out};
use super::event::EventKind;
use super::msg::NodeId;
use super::node::{Role, Status};
use super::params::Kind;
use super::role::role_bindings;
use super::{Command, Sim};
use crate::sanitize::quote;

/// Parameters that `set KEY VALUE` may change while the cluster runs.
pub const LIVE_KEYS: &[&str] = &[
    "mode",
    "timestamps",
    "read_from",
    "failover",
    "fencing",
    "ack_after",
    "latency_ms_min",
    "latency_ms_max",
    "drop",
    "client_drop",
    "burst_every_ms",
    "burst_ms",
    "burst_drop",
    "drop_heartbeats",
    "duplicate",
    "write_every_ms",
    "read_ratio",
    "client_timeout_ms",
    "retry_ms",
    "timeout_ms",
    "order_every_ms",
    "order_timeout_ms",
    "retries",
    "idempotency",
    "service_ms",
    "rate_per_s",
    "hot_fraction",
];

impl Sim {
    /// Checks that a command names existing nodes (or roles this scenario has) and fits
    /// this scenario now.
    pub fn check_command(&self, cmd: &Command) -> Result<(), String> {
        self.prepare(cmd).map(|_| ())
    }

    /// The command as it applies now: its roles resolved (see [`Sim::resolve`]), then
    /// checked. A problem with what a role resolved to says what it resolved to.
    pub(crate) fn prepare(&self, cmd: &Command) -> Result<Command, String> {
        let resolved = self.resolve(cmd)?;
        match self.check_resolved(&resolved) {
            Ok(()) => Ok(resolved),
            Err(e) if cmd.names_role() => Err(format!("{}: {e}", role_bindings(cmd, &resolved))),
            Err(e) => Err(e),
        }
    }

    fn check_resolved(&self, cmd: &Command) -> Result<(), String> {
        let known = |n: &str| -> Result<(), String> {
            if self.node_id(n).is_some() {
                Ok(())
            } else {
                let names: Vec<&str> = self.nodes.iter().map(|n| n.name.as_str()).collect();
                Err(format!(
                    "no node named `{}`; nodes: {}{}",
                    quote(n),
                    names.join(", "),
                    super::engine::rename_hint(n, &names)
                ))
            }
        };
        match cmd {
            Command::Crash(n) | Command::Restart(n) | Command::Pause(n, _) => known(n),
            Command::Skew(n, _)
            | Command::Drift(n, _)
            | Command::StepClock(n, _)
            | Command::Resync(n, _)
            | Command::Slow(n, _) => known(n),
            Command::Partition(ns) => ns.iter().try_for_each(|n| known(n)),
            Command::PartitionOneway(a, b) | Command::DropNext(a, b) => known(a).and(known(b)),
            Command::Read(n, k) => {
                known(n)?;
                if self
                    .node_id(n)
                    .is_some_and(|i| self.nodes[i as usize].role == Role::Client)
                {
                    return Err(format!(
                        "`read` asks a data node, and `{}` is a client",
                        quote(n)
                    ));
                }
                self.key_index(k.as_deref()).map(|_| ())
            }
            Command::Write(Some((c, k, _))) => {
                self.client_index(c)?;
                self.key_index(Some(k)).map(|_| ())
            }
            // The first client writes (c1, unless the lesson named it otherwise).
            Command::Write(None) => {
                let first = self.clients.list.first().map(|c| self.node_name(c.node));
                self.client_index(first.unwrap_or("c1")).map(|_| ())
            }
            Command::Set(k, v) => {
                if !LIVE_KEYS.contains(&k.as_str()) {
                    return Err(format!(
                        "`{}` cannot change while the cluster runs; live parameters: {}",
                        quote(k),
                        LIVE_KEYS.join(", ")
                    ));
                }
                let mut p = self.params.clone();
                p.set_assignment(&format!("{k}={v}"))
                    .map_err(|e| e.to_string())
            }
            Command::Timestamps(s) => {
                let mut p = self.params.clone();
                p.timestamps = *s;
                p.check_rules().map_err(|e| e.to_string())
            }
            _ => Ok(()),
        }
    }

    /// The index of the client named `name`, or why there is none.
    pub(crate) fn client_index(&self, name: &str) -> Result<usize, String> {
        if self.params.kind != Kind::Replication {
            return Err("this scenario has no clients that read or write".into());
        }
        let id = self.node_id(name);
        self.clients
            .list
            .iter()
            .position(|c| Some(c.node) == id)
            .ok_or_else(|| {
                let names: Vec<&str> = self
                    .clients
                    .list
                    .iter()
                    .map(|c| self.node_name(c.node))
                    .collect();
                format!(
                    "no client named `{}`; clients: {}{}",
                    crate::sanitize::quote(name),
                    names.join(", "),
                    super::engine::rename_hint(name, &names)
                )
            })
    }

    pub(crate) fn key_index(&self, k: Option<&str>) -> Result<u8, String> {
        let k = k.unwrap_or("x");
        let keys = &super::msg::KEY_NAMES[..self.params.keys as usize];
        keys.iter()
            .position(|n| *n == k)
            .map(|i| i as u8)
            .ok_or_else(|| format!("no key `{}`; keys: {}", quote(k), keys.join(", ")))
    }

    /// Applies `cmd`, the [`Sim::prepare`]d form of `written` (the same command when it
    /// names no role), and records it in the trace with both.
    pub(crate) fn execute(&mut self, written: Command, cmd: Command, out: &mut Out) {
        let id = |s: &Sim, n: &str| s.node_id(n).unwrap_or(0);
        let now = self.now_us;
        let stamps_before = self.params.timestamps;
        match &cmd {
            Command::Crash(n) => {
                let i = id(self, n);
                let (mut cx, p) = self.split();
                let node = &mut cx.nodes[i as usize];
                if !node.is_crashed() {
                    node.status = Status::Crashed;
                    node.crashed_at_us = now;
                    node.incarnation += 1;
                    p.rep.lose_volatile_state(&mut cx, i, out);
                }
                p.rep.after_membership_change(&mut cx, out);
            }
            Command::Restart(n) => {
                let i = id(self, n);
                if !self.nodes[i as usize].is_up() {
                    if !self.nodes[i as usize].is_crashed() {
                        // A paused node restarted: its process starts afresh, and what it
                        // held only in memory is gone, as in a crash.
                        let (mut cx, p) = self.split();
                        cx.nodes[i as usize].incarnation += 1;
                        p.rep.lose_volatile_state(&mut cx, i, out);
                    }
                    self.nodes[i as usize].status = Status::Up;
                    self.restart_node(i, out);
                }
            }
            Command::Pause(n, ms) => {
                let i = id(self, n);
                if self.nodes[i as usize].is_up() {
                    let until_us = now + ms.min(&86_400_000) * 1000;
                    self.nodes[i as usize].status = Status::Paused { until_us };
                    self.queue.push(until_us, Item::Resume(i));
                }
            }
            Command::Partition(ns) => {
                let group: Vec<NodeId> = ns.iter().map(|n| id(self, n)).collect();
                self.net.partition(&group);
            }
            Command::PartitionOneway(a, b) => {
                let (a, b) = (id(self, a), id(self, b));
                self.net.set_blocked(a, b, true);
            }
            Command::Heal => self.net.heal(),
            Command::Skew(n, ms) => {
                let i = id(self, n) as usize;
                self.nodes[i].clock.skew_ms = (*ms).clamp(-86_400_000, 86_400_000);
            }
            Command::StepClock(n, ms) => {
                let i = id(self, n) as usize;
                let skew = self.nodes[i].clock.skew_ms.saturating_add(*ms);
                self.nodes[i].clock.skew_ms = skew.clamp(-86_400_000, 86_400_000);
            }
            Command::Drift(n, ppm) => {
                let i = id(self, n) as usize;
                self.nodes[i].clock.set_drift(now, *ppm);
            }
            Command::Resync(n, clear) => {
                let i = id(self, n) as usize;
                self.nodes[i].clock.resync(now, *clear);
            }
            Command::Slow(n, ms) => {
                let i = id(self, n) as usize;
                self.net.slow_us[i] = ms.min(&60_000) * 1000;
            }
            Command::DropNext(a, b) => {
                let (a, b) = (id(self, a), id(self, b));
                self.net.drop_next(a, b);
            }
            Command::Loss(p) => {
                self.net.loss = *p;
                self.params.drop = *p;
            }
            Command::Duplicate(p) => {
                self.net.duplicate = *p;
                self.params.duplicate = *p;
            }
            Command::Latency(lo, hi) => {
                self.net.set_latency(*lo, *hi);
                (self.params.latency_ms_min, self.params.latency_ms_max) = (*lo, *hi);
            }
            Command::Mode(m) => self.params.mode = *m,
            Command::Timestamps(s) => self.params.timestamps = *s,
            Command::Write(Some((client, key, value))) => {
                if let (Ok(c), Ok(k)) = (self.client_index(client), self.key_index(Some(key))) {
                    let (mut cx, p) = self.split();
                    p.clients.manual_write(&mut cx, Some((c, k, *value)), out);
                }
            }
            Command::Write(None) => {
                let (mut cx, p) = self.split();
                p.clients.manual_write(&mut cx, None, out);
            }
            Command::Set(k, v) => {
                let idle = self.params.write_every_ms == 0;
                if self.params.set_assignment(&format!("{k}={v}")).is_ok() {
                    if idle && self.params.write_every_ms > 0 {
                        // The workload starts now.
                        for c in &self.clients.list {
                            out.timer(c.node, 1, super::engine::Timer::ClientTick);
                        }
                    }
                    self.net.loss = self.params.drop;
                    self.net.drop_heartbeats = self.params.drop_heartbeats;
                    self.net.set_bursts(&self.params);
                    self.net.duplicate = self.params.duplicate;
                    self.net
                        .set_latency(self.params.latency_ms_min, self.params.latency_ms_max);
                }
            }
            Command::Read(n, k) => {
                let node = id(self, n);
                let key = self.key_index(k.as_deref()).unwrap_or(0);
                let (mut cx, p) = self.split();
                p.clients.manual_read(&mut cx, node, key, out);
            }
        }
        if self.params.timestamps != stamps_before {
            // A write stamped after the switch beats every write stamped before it.
            self.rep.era += 1;
        }
        let resolved = written.names_role().then_some(cmd);
        out.event(EventKind::Command {
            command: written,
            resolved,
        });
    }

    /// A node starts again: a restarted client's operations become unknown, a former data
    /// node rejoins, a shard forgets its queue.
    fn restart_node(&mut self, node: NodeId, out: &mut Out) {
        match self.params.kind {
            Kind::Replication => {
                let (mut cx, p) = self.split();
                p.clients.restart(&mut cx, node, out);
                p.rep.restart(&mut cx, p.det, node, out);
            }
            Kind::Sharding => self.shard.reset(node),
            _ => {}
        }
    }
}
