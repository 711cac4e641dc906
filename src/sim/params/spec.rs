//! The parameter table: key, type, default and meaning of every scenario parameter.

/// One parameter's documentation: key, type, default, meaning.
pub struct Spec {
    pub key: &'static str,
    pub ty: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
}

macro_rules! spec {
    ($k:literal, $t:literal, $d:literal, $m:literal) => {
        Spec {
            key: $k,
            ty: $t,
            default: $d,
            meaning: $m,
        }
    };
}

/// Every parameter, in the order `lessons/FORMAT.md` lists them.
pub const SPECS: &[Spec] = &[
    spec!(
        "kind",
        "replication | detector | checkout | sharding",
        "replication",
        "which protocol the cluster runs"
    ),
    spec!(
        "replicas",
        "integer 1..=6",
        "2",
        "replicas beside the primary (replication), watched nodes (detector), replicas per shard (sharding, 0..=2)"
    ),
    spec!(
        "writers",
        "integer 1..=4",
        "1",
        "clients issuing writes; client-N sends its writes to node N-1, so two writers make two coordinators replicating to each other"
    ),
    spec!(
        "keys",
        "integer 1..=8",
        "1",
        "how many keys the workload writes (x, y, z, ...)"
    ),
    spec!(
        "mode",
        "async | sync | quorum",
        "async",
        "when a write is acknowledged: after the local append, after every replica, or after a majority"
    ),
    spec!(
        "timestamps",
        "wall | lamport",
        "wall",
        "last-writer-wins timestamps from the node's local wall clock or from Lamport clocks"
    ),
    spec!(
        "read_from",
        "primary | replica | any",
        "primary",
        "where client reads go (replica = the last replica)"
    ),
    spec!(
        "failover",
        "none | lowest | freshest",
        "lowest",
        "which replica is promoted when the primary is suspected (quorum mode: freshest of a reachable majority)"
    ),
    spec!(
        "latency_ms_min",
        "number >= 0",
        "20",
        "smallest one-way message delay in ms"
    ),
    spec!(
        "latency_ms_max",
        "number >= latency_ms_min",
        "80",
        "largest one-way message delay in ms; each message draws uniformly between the two"
    ),
    spec!(
        "drop",
        "probability 0..=1",
        "0",
        "chance that a message is lost on the way"
    ),
    spec!(
        "duplicate",
        "probability 0..=1",
        "0",
        "chance that a message is delivered twice"
    ),
    spec!(
        "write_every_ms",
        "integer ms, 0 = none",
        "250",
        "each client issues one operation this often"
    ),
    spec!(
        "read_ratio",
        "probability 0..=1",
        "0",
        "share of client operations that are reads"
    ),
    spec!(
        "client_timeout_ms",
        "integer ms >= 1",
        "2000",
        "a client gives up waiting and records the result as unknown"
    ),
    spec!(
        "retry_ms",
        "integer ms >= 1",
        "300",
        "sync and quorum modes re-send an unacknowledged write this often"
    ),
    spec!(
        "heartbeat_ms",
        "integer ms, 0 = none",
        "200",
        "each node sends a heartbeat this often"
    ),
    spec!(
        "timeout_ms",
        "integer ms >= 1",
        "1000",
        "a monitor suspects a node after this long (its own local clock) without a heartbeat"
    ),
    spec!(
        "duration_ms",
        "integer ms >= 1",
        "30000",
        "how long the scenario runs unless --until-ms says otherwise"
    ),
    spec!(
        "order_every_ms",
        "integer ms >= 1",
        "1000",
        "checkout: the web tier places an order this often"
    ),
    spec!(
        "order_timeout_ms",
        "integer ms >= 1",
        "600",
        "checkout: the order service waits this long for inventory or payment before retrying"
    ),
    spec!(
        "retries",
        "integer 0..=10",
        "2",
        "checkout: retries before an order fails"
    ),
    spec!(
        "idempotency",
        "true | false",
        "false",
        "checkout: payment recognises a retried charge by its idempotency key"
    ),
    spec!(
        "service_ms",
        "number > 0",
        "4",
        "sharding: time a shard spends on one request; requests wait in a queue"
    ),
    spec!(
        "shards",
        "integer 1..=4",
        "3",
        "sharding: how many shards the customers are split across; one region (eu, us, asia, sa) per shard"
    ),
    spec!(
        "rate_per_s",
        "number > 0",
        "300",
        "sharding: requests per second from all customers"
    ),
    spec!(
        "hot_fraction",
        "probability 0..=1",
        "0",
        "sharding: extra share of requests from the first region (a hotspot)"
    ),
];
