//! Counters and outcomes, all computed from the simulated state.
//!
//! Definitions (the same words are in `lessons/FORMAT.md`):
//!
//! - **Acknowledged write lost**: a write W on key k that a client saw acknowledged, and
//!   that the cluster no longer serves. With one writer: the primary's copy of k comes
//!   from no write at all, or from a write V that *finished before W began* (V
//!   acknowledged before W was invoked): "absent after failover". With several writers:
//!   no data node that is up keeps W or a write whose coordinator had seen W, and the
//!   write the cluster serves (the last-writer-wins winner among the nodes that are up) is
//!   none, or one W's own coordinator had already seen when it took W: "overwritten by a
//!   causally earlier write", the wall-clock anomaly that Lamport clocks prevent.
//!   Checked whenever the served value can change and at the end; counted once.
//! - **Concurrent write discarded** (several writers): an acknowledged write that the
//!   cluster no longer serves, like a lost one, but the winner is *concurrent* with it:
//!   neither coordinator had seen the other's write (by the version vectors the simulator
//!   stamps on every write, see [`super::causal`]). Last-writer-wins must drop one of
//!   two concurrent writes, whatever its clocks; Lamport clocks cannot prevent it.
//! - **Conflicts** (version vectors): writes a node found concurrent with a write it kept,
//!   and kept beside it as siblings instead of choosing; each write counted once.
//! - **Stale read**: a read that returns no value, or the value of a write that finished
//!   before the latest write acknowledged before the read began, or before the newest
//!   write returned by a read that finished before it began (a read going back in time:
//!   once a value was read, an older one cannot come back).
//! - **Replication lag** of a replica: `writes behind` = the primary's sequence number minus
//!   the highest sequence number of the current primary's writes the replica holds, and at
//!   least the number of keys whose current value the replica does not hold;
//!   `lag ms` = how long ago the primary applied the oldest of its current values (over
//!   all keys) that the replica does not hold, 0 when it holds them all.
//! - **Divergence**: once the finished run has settled (on a copy: the workload stopped,
//!   the protocol's timers running on; see [`super::Sim::settled_divergence`]), two data
//!   nodes that are up hold different values for some key.
//! - **False suspicion**: a monitor suspects a node that was up (slow, paused, or its
//!   heartbeats delayed, dropped or blocked); a correct suspicion is of a crashed node, and
//!   its detection latency is the time from the crash to the suspicion.

use super::histogram::Histogram;

/// Everything counted during one run.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub writes_issued: u64,
    pub writes_acked: u64,
    pub writes_failed: u64,
    /// Client timed out: the outcome is unknown.
    pub writes_unknown: u64,
    pub acked_writes_lost: u64,
    /// Several writers: acknowledged writes that last-writer-wins discarded for a write
    /// concurrent with them (neither coordinator had seen the other's write).
    pub concurrent_writes_discarded: u64,
    /// Version vectors: writes a node found concurrent with another and kept beside it.
    pub conflicts: u64,
    pub reads: u64,
    pub reads_ok: u64,
    pub stale_reads: u64,
    /// Client-observed write latency, invoke to acknowledgement.
    pub ack_latency: Histogram,
    pub max_replication_lag_ms: f64,
    pub suspicions: u64,
    pub false_suspicions: u64,
    pub detection_latency: Histogram,
    pub failovers: u64,
    pub messages_sent: u64,
    pub messages_delivered: u64,
    pub messages_dropped: u64,
    pub messages_blocked: u64,
    pub messages_lost_to_crash: u64,
    pub messages_duplicated: u64,
    /// Copies of values that a crash erased from a data node's memory before its disk sync
    /// wrote them (one per node and key; only when `fsync_every_ms > 0`).
    pub unsynced_copies_lost: u64,
    /// Set by [`super::Sim::finish`]: nodes still disagree once the run has settled.
    pub divergence: bool,
    // checkout
    pub orders_placed: u64,
    pub orders_confirmed: u64,
    pub orders_failed: u64,
    pub orders_pending: u64,
    pub charges: u64,
    pub duplicate_charges: u64,
    pub order_retries: u64,
    // sharding
    pub shards: Vec<ShardStats>,
    pub misrouted: u64,
}

/// Per-shard load for the sharding scenario.
#[derive(Debug, Clone, Default)]
pub struct ShardStats {
    pub served: u64,
    pub queue_len: u64,
    pub max_queue_len: u64,
    pub latency: Histogram,
}

impl Metrics {
    /// Every outcome by name, as a number (`divergence` is 1 or 0): the names of the
    /// `distlab sim` summary, and of the claims predict-then-run questions make.
    pub fn values(&self) -> Vec<(String, f64)> {
        let ms = super::time::ms_f64;
        let mut v: Vec<(String, f64)> = [
            ("writes_issued", self.writes_issued as f64),
            ("writes_acked", self.writes_acked as f64),
            ("writes_failed", self.writes_failed as f64),
            ("writes_unknown", self.writes_unknown as f64),
            ("acked_writes_lost", self.acked_writes_lost as f64),
            (
                "concurrent_writes_discarded",
                self.concurrent_writes_discarded as f64,
            ),
            ("conflicts", self.conflicts as f64),
            ("reads", self.reads as f64),
            ("stale_reads", self.stale_reads as f64),
            ("suspicions", self.suspicions as f64),
            ("false_suspicions", self.false_suspicions as f64),
            (
                "p50_detection_ms",
                ms(self.detection_latency.quantile_us(0.5)),
            ),
            ("failovers", self.failovers as f64),
            ("divergence", if self.divergence { 1.0 } else { 0.0 }),
            ("p50_ack_ms", ms(self.ack_latency.quantile_us(0.5))),
            ("p99_ack_ms", ms(self.ack_latency.quantile_us(0.99))),
            ("max_replication_lag_ms", self.max_replication_lag_ms),
            ("messages_sent", self.messages_sent as f64),
            ("messages_dropped", self.messages_dropped as f64),
            ("messages_blocked", self.messages_blocked as f64),
            ("messages_lost_to_crash", self.messages_lost_to_crash as f64),
            ("unsynced_copies_lost", self.unsynced_copies_lost as f64),
            ("orders_placed", self.orders_placed as f64),
            ("order_retries", self.order_retries as f64),
        ]
        .into_iter()
        .map(|(k, x)| (k.to_owned(), x))
        .collect();
        v.extend(self.scenario_counters());
        v
    }

    /// The scenario-specific counters, by name, for summaries.
    pub fn scenario_counters(&self) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = vec![
            ("orders_confirmed".into(), self.orders_confirmed as f64),
            ("orders_pending".into(), self.orders_pending as f64),
            ("orders_failed".into(), self.orders_failed as f64),
            ("duplicate_charges".into(), self.duplicate_charges as f64),
        ];
        for (i, s) in self.shards.iter().enumerate() {
            let r = super::msg::REGIONS[i];
            v.push((format!("shard_{r}_served"), s.served as f64));
            v.push((format!("shard_{r}_max_queue"), s.max_queue_len as f64));
            v.push((
                format!("shard_{r}_p99_ms"),
                super::time::ms_f64(s.latency.quantile_us(0.99)),
            ));
        }
        v
    }

    /// Adds another run's counts (for `--trials`).
    pub fn merge(&mut self, o: &Metrics) {
        macro_rules! add { ($($f:ident),*) => { $(self.$f += o.$f;)* } }
        add!(
            writes_issued,
            writes_acked,
            writes_failed,
            writes_unknown,
            acked_writes_lost,
            concurrent_writes_discarded,
            conflicts,
            reads,
            reads_ok,
            stale_reads,
            suspicions,
            false_suspicions,
            failovers,
            messages_sent,
            messages_delivered,
            messages_dropped,
            messages_blocked,
            messages_lost_to_crash,
            messages_duplicated,
            unsynced_copies_lost,
            orders_placed,
            orders_confirmed,
            orders_failed,
            orders_pending,
            charges,
            duplicate_charges,
            order_retries,
            misrouted
        );
        self.ack_latency.merge(&o.ack_latency);
        self.detection_latency.merge(&o.detection_latency);
        self.max_replication_lag_ms = self.max_replication_lag_ms.max(o.max_replication_lag_ms);
        self.divergence |= o.divergence;
        if self.shards.len() < o.shards.len() {
            self.shards.resize(o.shards.len(), ShardStats::default());
        }
        for (a, b) in self.shards.iter_mut().zip(&o.shards) {
            a.served += b.served;
            a.max_queue_len = a.max_queue_len.max(b.max_queue_len);
            a.latency.merge(&b.latency);
        }
    }
}
