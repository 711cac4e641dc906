//! Trace events: what happened, when. Each narrates itself for a person through
//! [`super::Sim::narrate`], which knows the node names.

use super::command::Command;
use super::msg::NodeId;
use super::net::{DropCause, Packet};

/// Jepsen's operation types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpType {
    Invoke,
    Ok,
    Fail,
    /// Timed out: the outcome is unknown.
    Info,
}

/// A client operation, the raw material of `--history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOp {
    pub client: NodeId,
    /// Jepsen process number (the client's number, from 0).
    pub process: u32,
    pub op_type: OpType,
    pub write: bool,
    pub key: u8,
    pub value: Option<i64>,
    pub op: u32,
}

/// What happened to an order in the checkout store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderNote {
    Pending,
    Retry { attempt: u8 },
    Confirmed,
    Failed,
    Charged { times: u32 },
}

/// One thing that happened at time `t_us`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub t_us: u64,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Sent(Packet),
    Delivered(Packet),
    Dropped(Packet, DropCause),
    /// A command was applied (by the scenario, a walkthrough step or the learner):
    /// `command` as written; `resolved`, when it names a role (`crash @primary`), the
    /// command it became when applied (`crash n2`).
    Command {
        command: Command,
        resolved: Option<Command>,
    },
    /// A command could not be applied (unknown node, ...).
    CommandFailed {
        command: Command,
        reason: String,
    },
    Resumed(NodeId),
    Client(ClientOp),
    Suspect {
        monitor: NodeId,
        target: NodeId,
        correct: bool,
    },
    Trust {
        monitor: NodeId,
        target: NodeId,
    },
    /// The primary was replaced (`new` = None: no majority reachable, nobody promoted);
    /// `epoch` is the new primary's epoch (with `new` = None, the epoch the deciding node
    /// knew).
    Failover {
        old: NodeId,
        new: Option<NodeId>,
        epoch: u64,
    },
    /// A primary learned that `primary` took over (`NO_NODE`: not yet known who) and
    /// stopped serving.
    SteppedDown {
        node: NodeId,
        primary: NodeId,
    },
    /// An acknowledgement reached `client` after it had given up on the write (timed out):
    /// the write succeeded, but the client recorded its outcome as unknown.
    LateAck {
        client: NodeId,
        key: u8,
        value: i64,
    },
    /// A crash erased values that `node` held only in memory, its last disk sync had not
    /// written them (`fsync_every_ms > 0`): (key, value lost, value its disk holds).
    MemoryLost {
        node: NodeId,
        values: Vec<(u8, i64, Option<i64>)>,
    },
    /// The acknowledged write `value` is gone from what the cluster serves: with one
    /// writer, `primary`'s copy, which holds `served` (a value of a write that finished
    /// before this one began, or none); with several, `primary` is `NO_NODE` and `served`
    /// the last-writer-wins winner.
    WriteLost {
        op: u32,
        key: u8,
        value: i64,
        primary: NodeId,
        served: Option<i64>,
    },
    /// Several writers: last-writer-wins discarded the acknowledged write `value` in favour
    /// of `winner`, a write concurrent with it (neither coordinator had seen the other).
    WriteDiscarded {
        op: u32,
        key: u8,
        value: i64,
        winner: i64,
    },
    /// Version vectors: `node` keeps `value` beside `other`, a concurrent write of `key`,
    /// instead of choosing one (`kept` writes of the key side by side now).
    Conflict {
        node: NodeId,
        key: u8,
        value: i64,
        other: i64,
        kept: u8,
    },
    StaleRead {
        client: NodeId,
        key: u8,
        got: Option<i64>,
        expected: i64,
    },
    Order {
        order: u32,
        note: OrderNote,
    },
    /// A shard refused a request because its queue was full.
    Shed {
        shard: NodeId,
    },
    /// Queue length of each shard (sharding; once a simulated second).
    ShardLoad {
        queues: Vec<(NodeId, usize)>,
    },
}

impl DropCause {
    pub fn describe(self) -> &'static str {
        match self {
            DropCause::Loss => "link loss",
            DropCause::DropNext => "drop-next",
            DropCause::Partition => "partition",
            DropCause::Crash => "node crashed",
        }
    }
}
