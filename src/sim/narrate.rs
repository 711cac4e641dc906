//! Narration: each trace event told for a person, e.g.
//! `t=1.204s n1 → n3 replicate(x=3) DROPPED (link loss)`.

use std::fmt::Write;

use super::Sim;
use super::event::{Event, EventKind, OpType, OrderNote};
use super::msg::{Msg, key_name};
use super::role::role_bindings;

/// `t=1.204s`
pub fn fmt_time(t_us: u64) -> String {
    format!("t={}", super::time::secs(t_us as i64))
}

impl Sim {
    /// One line describing `e`, with node names.
    pub fn narrate(&self, e: &Event) -> String {
        narrate(&self.node_names(), e)
    }

    /// The node names, by id (they never change; roles do).
    pub fn node_names(&self) -> Vec<String> {
        self.nodes.iter().map(|n| n.name.clone()).collect()
    }
}

/// One line describing `e`, given the node names by id.
pub fn narrate(names: &[String], e: &Event) -> String {
    let mut s = fmt_time(e.t_us);
    s.push(' ');
    let n = |id: u8| names.get(id as usize).map_or("?", String::as_str);
    // A message that names a node says which, in words (the diagram's label is shorter).
    let label = |m: &Msg| match *m {
        Msg::View { epoch, primary } if (primary as usize) < names.len() => {
            format!("view(epoch {epoch}: {} is primary)", n(primary))
        }
        Msg::View { epoch, .. } => format!("view(epoch {epoch}: primary not known yet)"),
        Msg::NotPrimary { primary, .. } if (primary as usize) < names.len() => {
            format!("not-primary(try {})", n(primary))
        }
        _ => m.to_string(),
    };
    let _ = match &e.kind {
        EventKind::Sent(p) => {
            let dup = if p.duplicate { " (duplicate copy)" } else { "" };
            write!(
                s,
                "{} → {} {} sent{dup}, arrives {}",
                n(p.from),
                n(p.to),
                label(&p.msg),
                fmt_time(p.deliver_us)
            )
        }
        EventKind::Delivered(p) => {
            write!(s, "{} → {} {} delivered", n(p.from), n(p.to), label(&p.msg))
        }
        EventKind::Dropped(p, c) => {
            write!(
                s,
                "{} → {} {} DROPPED ({})",
                n(p.from),
                n(p.to),
                label(&p.msg),
                c.describe()
            )
        }
        EventKind::Command {
            command,
            resolved: None,
        } => write!(s, "» {command}"),
        EventKind::Command {
            command,
            resolved: Some(r),
        } => write!(s, "» {command} ({})", role_bindings(command, r)),
        EventKind::CommandFailed { command, reason } => write!(s, "» {command} FAILED: {reason}"),
        EventKind::Resumed(id) => write!(s, "{} resumes after its pause", n(*id)),
        EventKind::Client(op) => {
            let f = if op.write { "write" } else { "read" };
            let key = key_name(op.key);
            let v = op.value.map_or("none".to_string(), |v| v.to_string());
            match (op.op_type, op.write) {
                (OpType::Invoke, true) => write!(s, "{} invokes write {key}={v}", n(op.client)),
                (OpType::Invoke, false) => write!(s, "{} invokes read {key}", n(op.client)),
                (OpType::Ok, true) => write!(s, "{} write {key}={v} ACKNOWLEDGED", n(op.client)),
                (OpType::Ok, false) => write!(s, "{} read {key} returns {v}", n(op.client)),
                (OpType::Fail, _) => write!(s, "{} {f} {key} refused", n(op.client)),
                (OpType::Info, _) => {
                    write!(s, "{} {f} {key} timed out: outcome unknown", n(op.client))
                }
            }
        }
        EventKind::Suspect {
            monitor,
            target,
            correct,
        } => {
            let why = if *correct {
                "correctly: it crashed"
            } else {
                "FALSELY: it has not crashed"
            };
            write!(s, "{} suspects {} ({why})", n(*monitor), n(*target))
        }
        EventKind::Trust { monitor, target } => {
            write!(
                s,
                "{} hears from {} again and trusts it",
                n(*monitor),
                n(*target)
            )
        }
        EventKind::Failover {
            old,
            new: Some(new),
            ..
        } if *old as usize >= names.len() => {
            write!(
                s,
                "FAILOVER: {} is promoted to primary: a majority knew of none (the cluster restarted whole)",
                n(*new)
            )
        }
        EventKind::Failover { old, new: None, .. } if *old as usize >= names.len() => {
            write!(
                s,
                "nobody is primary and a majority knows none, but failover = none promotes nobody"
            )
        }
        EventKind::Failover {
            old,
            new: Some(new),
            ..
        } if old == new => {
            write!(
                s,
                "FAILOVER: {} is elected primary again, in a new epoch: restarted, it had lost writes from memory",
                n(*new)
            )
        }
        EventKind::Failover {
            old,
            new: Some(new),
            ..
        } => {
            write!(
                s,
                "FAILOVER: {} is promoted to primary in place of {}",
                n(*new),
                n(*old)
            )
        }
        EventKind::SteppedDown { node, primary } => {
            if (*primary as usize) < names.len() {
                write!(
                    s,
                    "{} steps down: it learns that {} is primary now, sends its waiting clients \
                     there and takes its values",
                    n(*node),
                    n(*primary)
                )
            } else {
                write!(s, "{} steps down: a newer epoch has begun", n(*node))
            }
        }
        EventKind::Failover { old, new: None, .. } => {
            write!(
                s,
                "failover wanted for {} but no replica can be promoted (no reachable majority or none up)",
                n(*old)
            )
        }
        EventKind::MemoryLost { node, values } => {
            // Short, so it fits the lab's event log: `lost x=34 from memory; disk has x=32`.
            let lost: Vec<String> = (values.iter())
                .map(|&(k, v, _)| format!("{}={v}", key_name(k)))
                .collect();
            let disk: Vec<String> = (values.iter())
                .map(|&(k, _, d)| match d {
                    Some(d) => format!("{}={d}", key_name(k)),
                    None => format!("no {}", key_name(k)),
                })
                .collect();
            write!(
                s,
                "{} lost {} from memory; disk has {}",
                n(*node),
                lost.join(", "),
                disk.join(", ")
            )
        }
        EventKind::WriteLost { key, value, .. } => {
            write!(
                s,
                "ACKNOWLEDGED WRITE LOST: {}={value} is gone from what the cluster serves",
                key_name(*key)
            )
        }
        EventKind::LateAck { client, key, value } => write!(
            s,
            "{} gets a write-ok for {}={value} after giving up on it: the write succeeded, but the client already recorded its outcome as unknown",
            n(*client),
            key_name(*key)
        ),
        EventKind::WriteDiscarded {
            key, value, winner, ..
        } => {
            let k = key_name(*key);
            write!(
                s,
                "CONCURRENT WRITE DISCARDED: {k}={value} loses last-writer-wins to {k}={winner}, written without seeing it"
            )
        }
        EventKind::Conflict {
            node,
            key,
            value,
            other,
            kept,
        } => {
            let k = key_name(*key);
            write!(
                s,
                "{} keeps {k}={value} beside {k}={other}: concurrent writes, {kept} siblings",
                n(*node)
            )
        }
        EventKind::StaleRead {
            client,
            key,
            got,
            expected,
        } => {
            let got = got.map_or("none".to_string(), |v| v.to_string());
            write!(
                s,
                "STALE READ: {} read {}={got}, but {expected} was acknowledged before the read began",
                n(*client),
                key_name(*key)
            )
        }
        EventKind::Order { order, note } => match note {
            OrderNote::Pending => write!(s, "order {order} is pending"),
            OrderNote::Retry { attempt } => write!(
                s,
                "order {order} timed out; order service retries (attempt {attempt})"
            ),
            OrderNote::Confirmed => write!(s, "order {order} CONFIRMED"),
            OrderNote::Failed => write!(s, "order {order} FAILED after its retries"),
            OrderNote::Charged { times: 1 } => write!(s, "payment charges order {order}"),
            OrderNote::Charged { times } => {
                write!(s, "DUPLICATE CHARGE: order {order} charged {times} times")
            }
        },
        EventKind::Shed { shard } => write!(s, "{} queue full: request shed", n(*shard)),
        EventKind::ShardLoad { queues } => {
            let parts: Vec<String> = queues
                .iter()
                .map(|(id, q)| format!("{} {q}", n(*id)))
                .collect();
            write!(s, "requests waiting: {}", parts.join(" · "))
        }
    };
    s
}
