//! Messages between nodes, and the versions of values they carry.

use std::fmt;

use super::causal::Vv;

/// Index of a node in [`super::Sim::nodes`].
pub type NodeId = u8;

/// A stored value with what last-writer-wins needs to order it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub value: i64,
    /// The write that produced it (an index into the write log).
    pub write: u32,
    /// Timestamp: `(epoch << 40) | seq` from a primary; with several writers
    /// `(era << ERA_SHIFT) | stamp`, where the stamp is the coordinator's local wall clock
    /// (µs) or its Lamport clock, and the era counts `timestamps` switches, so a write
    /// stamped after a switch beats every write stamped before it.
    pub ts: u64,
    /// What kind of stamp `ts` holds.
    pub stamp: Stamp,
    /// The coordinating node, which breaks timestamp ties.
    pub origin: NodeId,
    /// True time at which the coordinator applied it.
    pub at_us: u64,
    /// With several writers: the writes its coordinator had seen (see [`super::causal`]).
    pub vv: Vv,
}

/// The kind of timestamp a version carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Stamp {
    /// A primary's epoch and sequence number (one writer).
    #[default]
    Sequence,
    Wall,
    Lamport,
    Vector,
}

/// Bits below a multi-writer timestamp's era.
pub const ERA_SHIFT: u32 = 48;

impl Version {
    /// Last-writer-wins: does `self` beat `other`?
    pub fn newer_than(&self, other: &Version) -> bool {
        (self.ts, self.origin) > (other.ts, other.origin)
    }

    /// The timestamp as a reader sees it: `@2.728s` (wall clock), `@L61` (Lamport),
    /// `@[2,1]` (version vector over `writers` coordinators), `#7` (a primary's sequence
    /// number).
    pub fn stamp_label(&self, writers: usize) -> String {
        let raw = self.ts & ((1 << ERA_SHIFT) - 1);
        match self.stamp {
            Stamp::Sequence => format!("#{}", self.ts & ((1 << super::replication::SEQ_BITS) - 1)),
            Stamp::Wall => {
                let local = raw as i64 - super::replication::WALL_EPOCH_US as i64;
                format!("@{:.3}s", local as f64 / 1e6)
            }
            Stamp::Lamport => format!("@L{raw}"),
            Stamp::Vector => format!("@{}", self.vv.show(writers)),
        }
    }
}

/// What a message says. Small and `Copy`, so sending allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Msg {
    /// Client → coordinator: write `value` to `key`; `seen_ts` is the highest timestamp
    /// the client has seen (Lamport mode).
    Write {
        op: u32,
        key: u8,
        value: i64,
        seen_ts: u64,
        /// The writes the client has seen acknowledged or read (several writers).
        seen_vv: Vv,
    },
    /// Coordinator → client: the write is acknowledged with timestamp `ts`.
    WriteOk {
        op: u32,
        ts: u64,
        vv: Vv,
    },
    /// Coordinator → client: the write was refused (too many writes pending).
    WriteFail {
        op: u32,
    },
    Read {
        op: u32,
        key: u8,
        /// Meant for the primary (`read_from = primary`): only a serving primary answers.
        leader: bool,
    },
    ReadOk {
        op: u32,
        key: u8,
        version: Option<Version>,
    },
    /// Coordinator → replica: `replicate_write`'s `send(replica, value)`.
    Replicate {
        key: u8,
        version: Version,
    },
    /// Replica → coordinator: I hold this write.
    Ack {
        write: u32,
    },
    /// Primary (or a detector's node) → watcher: I am alive; `epoch` is the epoch the
    /// sender is primary in (0 outside replication).
    Heartbeat {
        epoch: u64,
    },
    /// Candidate → data nodes: vote for me as primary of `epoch`.
    VoteRequest {
        epoch: u64,
    },
    /// Voter → candidate: my vote for `epoch`.
    Vote {
        epoch: u64,
    },
    /// Elected candidate → its voters: send me what you store, before I serve.
    Collect {
        epoch: u64,
    },
    /// One key's value: to a new primary gathering values (`adopt = false`: it keeps the
    /// newer), or from the primary to a node catching up (`adopt = true`: it takes the
    /// primary's value, dropping what it held that the primary does not).
    Sync {
        epoch: u64,
        key: u8,
        version: Option<Version>,
        adopt: bool,
    },
    /// The sender's view: `primary` is primary of `epoch` (sent to a node that is behind).
    View {
        epoch: u64,
        primary: NodeId,
    },
    /// A restarted or demoted node → data nodes: I am back; who is primary, what do I miss?
    Hello {
        epoch: u64,
    },
    /// Answer to a `Hello` from a node that knows of no primary either, in `epoch` (how a
    /// cluster restarted whole finds out that nobody leads).
    NoPrimary {
        epoch: u64,
    },
    /// Primary of `epoch` → data nodes, before answering read `read` (quorum mode): do you
    /// still know of no newer epoch?
    LeaderCheck {
        epoch: u64,
        read: u32,
    },
    /// Data node → primary: `epoch` is still the newest I know.
    LeaderOk {
        epoch: u64,
        read: u32,
    },
    /// Data node → client: I am not the primary; try `primary`.
    NotPrimary {
        op: u32,
        primary: NodeId,
    },
    /// web → order: place order N.
    Place {
        order: u32,
    },
    /// order → web: the order's final state.
    Placed {
        order: u32,
        confirmed: bool,
    },
    Reserve {
        order: u32,
        attempt: u8,
    },
    Reserved {
        order: u32,
    },
    Charge {
        order: u32,
        attempt: u8,
    },
    Charged {
        order: u32,
    },
    /// router → shard: a customer request from `region`, first sent at `start_us`.
    Request {
        req: u32,
        region: u8,
        start_us: u64,
    },
    /// shard → router.
    Response {
        req: u32,
        region: u8,
        start_us: u64,
    },
    /// shard → its replica.
    ShardCopy {
        req: u32,
    },
}

/// Key names: x, y, z, w, ...
pub const KEY_NAMES: [&str; 8] = ["x", "y", "z", "w", "u", "v", "s", "t"];
/// Region names for sharding.
pub const REGIONS: [&str; 4] = ["eu", "us", "asia", "sa"];

pub fn key_name(k: u8) -> &'static str {
    KEY_NAMES.get(k as usize).copied().unwrap_or("?")
}

impl fmt::Display for Msg {
    /// The short label drawn on a link: `replicate(x=3)`, `ack`, `charge(order 4)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Msg::Write { key, value, .. } => write!(f, "write({}={value})", key_name(key)),
            Msg::WriteOk { .. } => f.write_str("write-ok"),
            Msg::WriteFail { .. } => f.write_str("write-refused"),
            Msg::Read { key, .. } => write!(f, "read({})", key_name(key)),
            Msg::ReadOk { key, version, .. } => match version {
                Some(v) => write!(f, "value({}={})", key_name(key), v.value),
                None => write!(f, "value({}=none)", key_name(key)),
            },
            Msg::Replicate { key, version } => {
                write!(f, "replicate({}={})", key_name(key), version.value)
            }
            Msg::Ack { .. } => f.write_str("ack"),
            Msg::LeaderCheck { epoch, .. } => write!(f, "still-primary?(epoch {epoch})"),
            Msg::LeaderOk { epoch, .. } => write!(f, "still-primary: yes(epoch {epoch})"),
            Msg::Heartbeat { .. } => f.write_str("heartbeat"),
            Msg::VoteRequest { epoch } => write!(f, "vote?(epoch {epoch})"),
            Msg::Vote { epoch } => write!(f, "vote(epoch {epoch})"),
            Msg::Collect { epoch } => write!(f, "collect(epoch {epoch})"),
            Msg::Sync { key, version, .. } => match version {
                Some(v) => write!(f, "sync({}={})", key_name(key), v.value),
                None => write!(f, "sync({}=none)", key_name(key)),
            },
            Msg::View { epoch, .. } => write!(f, "view(epoch {epoch})"),
            Msg::Hello { .. } => f.write_str("hello"),
            Msg::NoPrimary { epoch } => write!(f, "no-primary(epoch {epoch})"),
            Msg::NotPrimary { .. } => f.write_str("not-primary"),
            Msg::Place { order } => write!(f, "place(order {order})"),
            Msg::Placed {
                order,
                confirmed: true,
            } => write!(f, "confirmed(order {order})"),
            Msg::Placed {
                order,
                confirmed: false,
            } => write!(f, "failed(order {order})"),
            Msg::Reserve { order, .. } => write!(f, "reserve(order {order})"),
            Msg::Reserved { order } => write!(f, "reserved(order {order})"),
            Msg::Charge { order, .. } => write!(f, "charge(order {order})"),
            Msg::Charged { order } => write!(f, "charged(order {order})"),
            Msg::Request { req, region, .. } | Msg::Response { req, region, .. } => {
                let r = REGIONS.get(region as usize).copied().unwrap_or("?");
                let what = if matches!(self, Msg::Request { .. }) {
                    "req"
                } else {
                    "resp"
                };
                write!(f, "{what}({r} #{req})")
            }
            Msg::ShardCopy { req } => write!(f, "copy(#{req})"),
        }
    }
}
