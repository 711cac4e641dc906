//! The parameter table: key, type, range, default and meaning of every scenario parameter.
//!
//! The range each value is checked against lives here, once: [`super::Params::set`] reads it,
//! error messages state it, and `lessons/FORMAT.md` lists the same `ty` text (a test keeps
//! the two in step).

/// The longest time parameter, in ms: a day of simulated time.
pub const DAY_MS: u64 = 86_400_000;

/// Longest one-way delay a parameter or command may ask for, in ms (a minute).
pub const DELAY_MAX_MS: u64 = 60_000;

/// Which values a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// A whole number from `.0` to `.1`, both included.
    Int(u64, u64),
    /// A finite number from `.0` to `.1`, both included.
    Num(f64, f64),
    /// One of these words.
    Words(&'static [&'static str]),
}

/// One parameter's documentation and range: key, type, default, meaning.
pub struct Spec {
    pub key: &'static str,
    /// The type and range as `lessons/FORMAT.md` shows them, e.g. `integer 1..=4`.
    pub ty: &'static str,
    pub range: Range,
    pub default: &'static str,
    pub meaning: &'static str,
}

impl Spec {
    /// What a valid value looks like, for "expected ..." in messages: `an integer 1..=4`.
    pub fn expected(&self) -> String {
        match self.range {
            Range::Words(_) => format!("one of {}", self.ty),
            Range::Int(..) => format!("an {}", self.ty),
            Range::Num(..) => format!("a {}", self.ty),
        }
    }
}

macro_rules! spec {
    ($k:literal, $t:literal, $r:expr, $d:literal, $m:literal) => {
        Spec {
            key: $k,
            ty: $t,
            range: $r,
            default: $d,
            meaning: $m,
        }
    };
}

use Range::{Int, Num, Words};

/// `replicas` over all kinds; each kind narrows it (see [`REPLICAS_BY_KIND`]).
pub const REPLICAS_ANY: (u64, u64) = (0, 8);

/// The `replicas` each kind accepts, and what `replicas` counts in it.
pub const REPLICAS_BY_KIND: &[(&str, u64, u64)] = &[
    ("replication", 1, 8),
    ("detector", 1, 8),
    ("checkout", 0, 6),
    ("sharding", 0, 1),
];

/// Every parameter, in the order `lessons/FORMAT.md` lists them.
pub const SPECS: &[Spec] = &[
    spec!(
        "kind",
        "replication | detector | checkout | sharding",
        Words(&["replication", "detector", "checkout", "sharding"]),
        "replication",
        "which protocol the cluster runs"
    ),
    spec!(
        "replicas",
        "integer 1..=8 (sharding: 0..=1)",
        Int(REPLICAS_ANY.0, REPLICAS_ANY.1),
        "2",
        "replicas beside the primary (replication, 1..=8), watched nodes (detector, 1..=8), whether each shard has a copy (sharding, 0 or 1); checkout has no replicas and ignores it"
    ),
    spec!(
        "writers",
        "integer 1..=4",
        Int(1, 4),
        "1",
        "clients issuing writes, at most replicas + 1; client-N sends its writes to node N-1, so two writers make two coordinators replicating to each other"
    ),
    spec!(
        "clients",
        "integer 1..=4",
        Int(1, 4),
        "1",
        "with one writer: the clients of the primary, c1 to client-N, each writing through the node it believes is primary"
    ),
    spec!(
        "keys",
        "integer 1..=8",
        Int(1, 8),
        "1",
        "how many keys the workload writes (x, y, z, ...)"
    ),
    spec!(
        "mode",
        "async | sync | quorum",
        Words(&["async", "sync", "quorum"]),
        "async",
        "when a write is acknowledged: after the local append, after every replica, or after a majority"
    ),
    spec!(
        "timestamps",
        "wall | lamport | vector",
        Words(&["wall", "lamport", "vector"]),
        "wall",
        "with several writers, how data nodes order writes: last-writer-wins on the coordinator's local wall clock or on Lamport clocks, or version vectors, which keep concurrent writes side by side (siblings) until a write that has seen them replaces them; vector needs writers >= 2 (one writer's primary orders writes by epoch and sequence number)"
    ),
    spec!(
        "read_from",
        "primary | replica | any",
        Words(&["primary", "replica", "any"]),
        "primary",
        "where client reads go (replica = the last replica)"
    ),
    spec!(
        "failover",
        "none | lowest | freshest",
        Words(&["none", "lowest", "freshest"]),
        "lowest",
        "who takes over when the primary is suspected in async and sync modes: the lowest-numbered replica promotes itself (freshest: after gathering the others' newest values); quorum mode always holds an election that needs a majority"
    ),
    spec!(
        "fencing",
        "true | false",
        Words(&["true", "false"]),
        "false",
        "epochs checked everywhere: a node refuses writes from a primary of an older epoch and tells it the newer one, so a deposed primary cannot get writes acknowledged"
    ),
    spec!(
        "fsync_every_ms",
        "integer ms 0..=86400000, 0 = on receipt",
        Int(0, 86_400_000),
        "0",
        "how often each data node syncs its memory to disk; a crash puts a node back to what its disk holds; 0 means every write is on disk the moment it arrives (one writer only)"
    ),
    spec!(
        "ack_after",
        "receive | fsync",
        Words(&["receive", "fsync"]),
        "receive",
        "when a data node counts a write as held: as soon as it is in memory, or only after its next disk sync (the primary for its own copy too), so sync mode can mean in memory or on disk at every replica; fsync needs fsync_every_ms > 0"
    ),
    spec!(
        "latency_ms_min",
        "number 0..=60000",
        Num(0.0, DELAY_MAX_MS as f64),
        "20",
        "smallest one-way message delay in ms"
    ),
    spec!(
        "latency_ms_max",
        "number 0..=60000, >= latency_ms_min",
        Num(0.0, DELAY_MAX_MS as f64),
        "80",
        "largest one-way message delay in ms; each message draws uniformly between the two"
    ),
    spec!(
        "drop",
        "probability 0..=1",
        Num(0.0, 1.0),
        "0",
        "chance that a message is lost on the way"
    ),
    spec!(
        "client_drop",
        "probability 0..=1",
        Num(0.0, 1.0),
        "0",
        "chance that a message to or from a client is lost on the way (client links are spared `drop`)"
    ),
    spec!(
        "burst_every_ms",
        "integer ms 0..=86400000",
        Int(0, 86_400_000),
        "0",
        "bursty loss (a Gilbert-Elliott channel): each link between cluster nodes stays good for a random time averaging this long, then loses messages for a while; 0 means no bursts"
    ),
    spec!(
        "burst_ms",
        "integer ms 1..=86400000",
        Int(1, 86_400_000),
        "500",
        "how long a loss burst lasts on a link, on average"
    ),
    spec!(
        "burst_drop",
        "probability 0..=1",
        Num(0.0, 1.0),
        "1",
        "chance that a message is lost while its link is in a burst (outside bursts `drop` applies)"
    ),
    spec!(
        "drop_heartbeats",
        "true | false",
        Words(&["true", "false"]),
        "true",
        "whether `drop` also loses heartbeats; false aims random loss at data messages only (partitions, crashes and drop-next still stop heartbeats)"
    ),
    spec!(
        "duplicate",
        "probability 0..=1",
        Num(0.0, 1.0),
        "0",
        "chance that a message is delivered twice"
    ),
    spec!(
        "write_every_ms",
        "integer ms 0..=86400000, 0 = none",
        Int(0, DAY_MS),
        "250",
        "each client issues one operation this often"
    ),
    spec!(
        "read_ratio",
        "probability 0..=1",
        Num(0.0, 1.0),
        "0",
        "share of client operations that are reads"
    ),
    spec!(
        "client_timeout_ms",
        "integer ms 1..=86400000",
        Int(1, DAY_MS),
        "2000",
        "a client gives up waiting and records the result as unknown"
    ),
    spec!(
        "retry_ms",
        "integer ms 1..=86400000",
        Int(1, DAY_MS),
        "300",
        "sync and quorum modes re-send an unacknowledged write this often"
    ),
    spec!(
        "heartbeat_ms",
        "integer ms 0..=86400000, 0 = none",
        Int(0, DAY_MS),
        "200",
        "each node sends a heartbeat this often"
    ),
    spec!(
        "timeout_ms",
        "integer ms 1..=86400000",
        Int(1, DAY_MS),
        "1000",
        "a monitor suspects a node after this long (its own local clock) without a heartbeat"
    ),
    spec!(
        "duration_ms",
        "integer ms 1..=86400000",
        Int(1, DAY_MS),
        "30000",
        "how long the scenario runs unless --until-ms says otherwise"
    ),
    spec!(
        "order_every_ms",
        "integer ms 1..=86400000",
        Int(1, DAY_MS),
        "1000",
        "checkout: the web tier places an order this often"
    ),
    spec!(
        "order_timeout_ms",
        "integer ms 1..=86400000",
        Int(1, DAY_MS),
        "600",
        "checkout: the order service waits this long for inventory or payment before retrying"
    ),
    spec!(
        "retries",
        "integer 0..=10",
        Int(0, 10),
        "2",
        "checkout: retries before an order fails"
    ),
    spec!(
        "idempotency",
        "true | false",
        Words(&["true", "false"]),
        "false",
        "checkout: payment recognises a retried charge by its idempotency key"
    ),
    spec!(
        "service_ms",
        "number 0.001..=60000",
        Num(0.001, DELAY_MAX_MS as f64),
        "4",
        "sharding: time a shard spends on one request; requests wait in a queue"
    ),
    spec!(
        "shards",
        "integer 1..=4",
        Int(1, 4),
        "3",
        "sharding: how many shards the customers are split across; one region (eu, us, asia, sa) per shard"
    ),
    spec!(
        "rate_per_s",
        "number 0.001..=100000",
        Num(0.001, 100_000.0),
        "300",
        "sharding: requests per second from all customers"
    ),
    spec!(
        "hot_fraction",
        "probability 0..=1",
        Num(0.0, 1.0),
        "0",
        "sharding: extra share of requests from the first region (a hotspot)"
    ),
];
