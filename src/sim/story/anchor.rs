//! Anchors: the simulated events a walkthrough step can pause on, and that a claim can
//! count (`count(false_suspicion node-1)`). Written as a word and optional arguments:
//! `failover`, `failover to n2`, `write_lost`, `false_suspicion node-1`, `crash`,
//! `crash n3`, `duplicate_charge`, ...

use std::fmt;

use super::super::command::Command;
use super::super::event::{Event, EventKind, OpType, OrderNote};
use super::super::net::DropCause;

/// One kind of event a step can wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A replica was promoted to primary.
    Failover,
    /// A failover was wanted, but nobody could be promoted.
    FailoverBlocked,
    WriteLost,
    WriteDiscarded,
    Conflict,
    StaleRead,
    /// Any suspicion, false or correct.
    Suspicion,
    FalseSuspicion,
    CorrectSuspicion,
    Trust,
    WriteAcked,
    WriteUnknown,
    WriteRefused,
    ReadOk,
    DuplicateCharge,
    OrderConfirmed,
    OrderFailed,
    OrderRetry,
    Shed,
    /// A message lost to random link loss.
    Drop,
    /// A command was applied (scripted, by a step, or by the learner); the verb is kept
    /// in [`Anchor::verb`].
    Command,
}

/// The words, the number of node arguments each takes (at most), and a description.
const WORDS: &[(&str, What, usize, &str)] = &[
    (
        "failover",
        What::Failover,
        2,
        "a replica is promoted (`failover to NODE`, `failover from NODE`)",
    ),
    (
        "failover_blocked",
        What::FailoverBlocked,
        0,
        "a failover is wanted but nobody can be promoted",
    ),
    (
        "write_lost",
        What::WriteLost,
        0,
        "an acknowledged write is lost",
    ),
    (
        "write_discarded",
        What::WriteDiscarded,
        0,
        "last-writer-wins discards an acknowledged write for a concurrent one",
    ),
    (
        "conflict",
        What::Conflict,
        1,
        "a node keeps concurrent writes side by side (`conflict NODE`; version vectors)",
    ),
    (
        "stale_read",
        What::StaleRead,
        0,
        "a read returns a stale value",
    ),
    (
        "suspicion",
        What::Suspicion,
        1,
        "a monitor suspects a node (`suspicion NODE`)",
    ),
    (
        "false_suspicion",
        What::FalseSuspicion,
        1,
        "a monitor suspects a node that is up",
    ),
    (
        "correct_suspicion",
        What::CorrectSuspicion,
        1,
        "a monitor suspects a crashed node",
    ),
    ("trust", What::Trust, 1, "a monitor trusts a node again"),
    (
        "write_acked",
        What::WriteAcked,
        0,
        "a client's write is acknowledged",
    ),
    (
        "write_unknown",
        What::WriteUnknown,
        0,
        "a client's write times out: outcome unknown",
    ),
    (
        "write_refused",
        What::WriteRefused,
        0,
        "a client's write is refused",
    ),
    ("read_ok", What::ReadOk, 0, "a client's read returns"),
    (
        "duplicate_charge",
        What::DuplicateCharge,
        0,
        "payment charges an order a second time",
    ),
    (
        "order_confirmed",
        What::OrderConfirmed,
        0,
        "an order is confirmed",
    ),
    (
        "order_failed",
        What::OrderFailed,
        0,
        "an order fails after its retries",
    ),
    (
        "order_retry",
        What::OrderRetry,
        0,
        "the order service retries an order",
    ),
    (
        "shed",
        What::Shed,
        1,
        "a shard's full queue sheds a request",
    ),
    ("drop", What::Drop, 0, "a message is lost to link loss"),
];

/// Command verbs an anchor can name (`crash`, `crash NODE`, `heal`, ...).
const VERBS: &[&str] = &[
    "crash",
    "restart",
    "pause",
    "partition",
    "partition-oneway",
    "heal",
    "skew",
    "drift",
    "slow",
    "drop-next",
    "loss",
    "duplicate",
    "latency",
    "mode",
    "timestamps",
    "write",
    "read",
    "set",
];

/// An event pattern: a kind and, where it has one, the node(s) it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub what: What,
    /// For [`What::Command`]: the verb.
    pub verb: Option<&'static str>,
    /// The node the event is about (the suspected node, the node promoted, ...).
    pub node: Option<String>,
    /// For `failover from NODE`: the primary replaced.
    pub from: Option<String>,
}

impl Anchor {
    /// Parses `WORD [NODE]` (or `failover [to NODE] [from NODE]`); node names must be in
    /// `names`.
    pub fn parse(text: &str, names: &[String]) -> Result<Anchor, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let Some((&first, rest)) = words.split_first() else {
            return Err(format!(
                "an empty event; expected one of: {}",
                Anchor::choices()
            ));
        };
        let node = |w: &str| -> Result<String, String> {
            if names.iter().any(|n| n == w) {
                Ok(w.to_owned())
            } else {
                Err(format!(
                    "no node `{}` in this scenario; nodes: {}{}",
                    crate::sanitize::quote(w),
                    names.join(", "),
                    crate::sim::rename_hint(w, names)
                ))
            }
        };
        if let Some(verb) = VERBS.iter().find(|v| **v == first) {
            let n = match rest {
                [] => None,
                [n] => Some(node(n)?),
                _ => return Err(format!("`{first}` takes at most one node")),
            };
            return Ok(Anchor {
                what: What::Command,
                verb: Some(verb),
                node: n,
                from: None,
            });
        }
        let Some(&(_, what, args, _)) = WORDS.iter().find(|(w, ..)| *w == first) else {
            return Err(format!(
                "unknown event `{}`; expected one of: {}",
                crate::sanitize::quote(first),
                Anchor::choices()
            ));
        };
        let mut a = Anchor {
            what,
            verb: None,
            node: None,
            from: None,
        };
        if what == What::Failover {
            let mut it = rest.iter();
            while let Some(&w) = it.next() {
                let target = it
                    .next()
                    .ok_or_else(|| format!("`failover {w}` needs a node after `{w}`"))?;
                match w {
                    "to" => a.node = Some(node(target)?),
                    "from" => a.from = Some(node(target)?),
                    _ => {
                        return Err(format!(
                            "expected `failover [to NODE] [from NODE]`, not `failover {}`",
                            rest.join(" ")
                        ));
                    }
                }
            }
            return Ok(a);
        }
        match rest {
            [] => {}
            [n] if args >= 1 => a.node = Some(node(n)?),
            _ if args == 0 => return Err(format!("`{first}` takes no node")),
            _ => return Err(format!("`{first}` takes at most one node")),
        }
        Ok(a)
    }

    /// Every word an anchor may start with, for error messages.
    pub fn choices() -> String {
        let mut v: Vec<&str> = WORDS.iter().map(|(w, ..)| *w).collect();
        v.extend(VERBS);
        v.join(", ")
    }

    /// The anchor words with what each means, for documentation.
    pub fn documented() -> impl Iterator<Item = (&'static str, &'static str)> {
        WORDS.iter().map(|(w, _, _, d)| (*w, *d))
    }

    /// Whether `e` is an event of this kind (about this node), given the node names.
    pub fn matches(&self, e: &Event, names: &[String]) -> bool {
        let is = |id: u8, want: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| names.get(id as usize).is_some_and(|n| n == w))
        };
        match (&e.kind, self.what) {
            (
                EventKind::Failover {
                    old,
                    new: Some(new),
                    ..
                },
                What::Failover,
            ) => is(*new, &self.node) && is(*old, &self.from),
            (EventKind::Failover { new: None, .. }, What::FailoverBlocked) => true,
            (EventKind::WriteLost { .. }, What::WriteLost) => true,
            (EventKind::WriteDiscarded { .. }, What::WriteDiscarded) => true,
            (EventKind::Conflict { node, .. }, What::Conflict) => is(*node, &self.node),
            (EventKind::StaleRead { .. }, What::StaleRead) => true,
            (
                EventKind::Suspect {
                    target, correct, ..
                },
                w,
            ) => {
                let kind = match w {
                    What::Suspicion => true,
                    What::FalseSuspicion => !correct,
                    What::CorrectSuspicion => *correct,
                    _ => false,
                };
                kind && is(*target, &self.node)
            }
            (EventKind::Trust { target, .. }, What::Trust) => is(*target, &self.node),
            (EventKind::Client(op), w) => matches!(
                (op.op_type, op.write, w),
                (OpType::Ok, true, What::WriteAcked)
                    | (OpType::Info, true, What::WriteUnknown)
                    | (OpType::Fail, true, What::WriteRefused)
                    | (OpType::Ok, false, What::ReadOk)
            ),
            (EventKind::Order { note, .. }, w) => matches!(
                (note, w),
                (OrderNote::Charged { times: 2.. }, What::DuplicateCharge)
                    | (OrderNote::Confirmed, What::OrderConfirmed)
                    | (OrderNote::Failed, What::OrderFailed)
                    | (OrderNote::Retry { .. }, What::OrderRetry)
            ),
            (EventKind::Shed { shard }, What::Shed) => is(*shard, &self.node),
            (EventKind::Dropped(_, DropCause::Loss), What::Drop) => true,
            (EventKind::Command { command, resolved }, What::Command) => {
                let c = resolved.as_ref().unwrap_or(command);
                self.verb == Some(verb_of(c))
                    && self
                        .node
                        .as_ref()
                        .is_none_or(|n| c.nodes().iter().any(|m| m == n))
            }
            _ => false,
        }
    }
}

/// The first word of a command's text form.
fn verb_of(c: &Command) -> &'static str {
    let text = c.to_string();
    let first = text.split_whitespace().next().unwrap_or("");
    VERBS.iter().find(|v| **v == first).copied().unwrap_or("")
}

/// The node an event is about, for a badge on the cluster and a marker on its row of
/// the space-time diagram.
pub fn subject(e: &Event, sim: &super::super::Sim) -> Option<u8> {
    use super::super::node::Role;
    let node_id = |n: &str| sim.node_id(n);
    // By role, not name: a lesson may rename the services.
    let with_role = |r: Role| {
        sim.nodes()
            .iter()
            .position(|n| n.role == r)
            .map(|i| i as u8)
    };
    match &e.kind {
        EventKind::Failover { new: Some(n), .. } => Some(*n),
        EventKind::Failover { old, new: None, .. } => Some(*old),
        EventKind::Suspect { target, .. } | EventKind::Trust { target, .. } => Some(*target),
        EventKind::StaleRead { client, .. } | EventKind::LateAck { client, .. } => Some(*client),
        EventKind::Conflict { node, .. } => Some(*node),
        EventKind::Client(op) => Some(op.client),
        EventKind::Shed { shard } => Some(*shard),
        EventKind::Dropped(p, _) => Some(p.to),
        // Checkout: a charge is payment's doing; what happens to an order, the order
        // service's.
        EventKind::Order {
            note: OrderNote::Charged { .. },
            ..
        } => with_role(Role::Payment),
        EventKind::Order { .. } => with_role(Role::Order),
        EventKind::Command { command, resolved } => resolved
            .as_ref()
            .unwrap_or(command)
            .nodes()
            .first()
            .and_then(|n| node_id(n)),
        _ => None,
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.what {
            What::Command => self.verb.unwrap_or("command"),
            w => WORDS
                .iter()
                .find(|(_, x, ..)| *x == w)
                .map_or("?", |(s, ..)| s),
        };
        f.write_str(word)?;
        if self.what == What::Failover {
            if let Some(n) = &self.node {
                write!(f, " to {n}")?;
            }
            if let Some(n) = &self.from {
                write!(f, " from {n}")?;
            }
        } else if let Some(n) = &self.node {
            write!(f, " {n}")?;
        }
        Ok(())
    }
}

/// Whether an event is worth the "what just happened" banner in free run.
pub fn notable(e: &Event) -> bool {
    matches!(
        &e.kind,
        EventKind::Failover { .. }
            | EventKind::WriteLost { .. }
            | EventKind::WriteDiscarded { .. }
            | EventKind::Conflict { .. }
            | EventKind::StaleRead { .. }
            | EventKind::Suspect { .. }
            | EventKind::Order {
                note: OrderNote::Charged { times: 2.. } | OrderNote::Failed,
                ..
            }
            | EventKind::Command {
                command: Command::Crash(_) | Command::Restart(_),
                ..
            }
    )
}
