//! The deterministic cluster simulator: a pure library with no terminal, no wall clock and
//! one seeded `ChaCha8Rng` owning all randomness. Same parameters + seed + command log →
//! byte-identical trace.
//!
//! Time is virtual (µs) and moves only through [`Sim::step`] and [`Sim::run_until`], which
//! report what happened to a sink (`&mut impl FnMut(&Event)`; pass `&mut |_| {}` to keep
//! no trace). Faults are [`Command`]s applied with [`Sim::apply`] and kept in a command log.

mod apply;
mod causal;
mod check;
mod checkout;
mod client;
mod clock;
mod command;
mod describe;
mod detector;
mod election;
mod engine;
mod event;
mod expect;
mod histogram;
mod metrics;
mod msg;
pub mod narrate;
mod net;
mod node;
mod outcome;
mod params;
mod queue;
mod reads;
mod replication;
mod role;
mod scenario;
mod session;
mod sharding;
pub mod story;
pub mod sweep;
pub mod time;
pub mod why;

pub use check::{AT_MS_MAX, SimError, Template};
pub use clock::{Lamport, WallClock};
pub use command::{
    Command, DRIFT_MAX_PPM, PAUSE_MAX_MS, SKEW_MAX_MS, SLOW_MAX_MS, USAGE as COMMAND_USAGE,
};
pub use engine::rename_hint;
pub use event::{ClientOp, Event, EventKind, OpType, OrderNote};
pub use expect::{Clause, Expect, Op, fmt_num, plain_label};
pub use histogram::Histogram;
pub use metrics::{Metrics, ShardStats};
pub use msg::{KEY_NAMES, Msg, NodeId, REGIONS, Version, key_name};
pub use net::{DropCause, Fate, Network, Packet};
pub use node::{Node, Role, Status};
pub use params::{
    AckAfter, DAY_MS, DELAY_MAX_MS, Failover, Kind, Mode, ParamError, Params, REPLICAS_BY_KIND,
    Range, ReadFrom, SPECS, Spec, Stamps, split_assignment,
};
pub use role::{NODE_HELP, ROLES, role_bindings};
pub use scenario::{Scenario, ScenarioEvent, Step};
pub use session::{Session, TimedCommand, UNTIL_MAX_US};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use checkout::Checkout;
use client::Clients;
use detector::Detector;
use engine::Item;
use outcome::Outcomes;
use queue::Queue;
use replication::Replication;
use sharding::Sharding;

/// Most events one run processes (the shipped scenarios need at most about 50,000): a
/// bound on the time and memory any parameters, lesson, replay or flags can ask for. See
/// [`Sim::exhausted`].
pub const EVENTS_MAX: u64 = 500_000;

/// What to tell the user when `sim` stopped at [`EVENTS_MAX`]: where, and what to change.
pub fn exhausted_message(sim: &Sim) -> String {
    format!(
        "the run stopped at {} after {EVENTS_MAX} events, the most distlab simulates in \
         one run; these parameters make too many messages: raise heartbeat_ms or \
         write_every_ms, lower rate_per_s, or shorten duration_ms / until_ms",
        narrate::fmt_time(sim.now_us())
    )
}

/// Most commands kept in the command log; later ones still apply but are not recorded.
pub const COMMAND_LOG_MAX: usize = 10_000;

/// A running simulated cluster.
#[derive(Clone)]
pub struct Sim {
    pub(crate) params: Params,
    pub(crate) seed: u64,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) now_us: u64,
    pub(crate) queue: Queue<Item>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) net: Network,
    pub(crate) metrics: Metrics,
    pub(crate) rep: Replication,
    pub(crate) clients: Clients,
    pub(crate) det: Detector,
    pub(crate) shop: Checkout,
    pub(crate) shard: Sharding,
    pub(crate) outcomes: Outcomes,
    /// The scenario's own timed commands, in time order.
    pub(crate) script: Vec<(u64, Command)>,
    /// Commands applied through [`Sim::apply`], with the time (µs) they were applied.
    pub(crate) command_log: Vec<(u64, Command)>,
    pub(crate) events_processed: u64,
    /// Set by [`Sim::finish`]: timers stop, messages in flight still land.
    pub(crate) quiet: bool,
    /// After the run, while divergence is measured: the workload is stopped, the protocol
    /// runs on (see [`Sim::finish`]).
    pub(crate) settling: bool,
    pub(crate) out: engine::Out,
}

impl Sim {
    /// A simulation of `scenario` (its parameters and timed events) with this seed.
    pub fn from_scenario(scenario: &Scenario, seed: u64) -> Result<Sim, SimError> {
        Sim::from_scenario_with(scenario, seed, &toml::Table::new())
    }

    /// A simulation with these parameters, seed and scripted (true time µs, command) list.
    pub fn new(params: Params, seed: u64, mut script: Vec<(u64, Command)>) -> Sim {
        script.sort_by_key(|(t, _)| *t);
        let mut nodes = engine::topology(&params);
        // Clocks that start off true (`skew_ms.NODE`, `drift_ppm.NODE`; the names were
        // checked with the parameters).
        for c in &params.clocks {
            if let Some(n) = nodes.iter_mut().find(|n| n.name == c.node) {
                n.clock.skew_ms = c.skew_ms;
                n.clock.set_drift(0, c.drift_ppm);
            }
        }
        let net = Network::new(
            nodes.len(),
            (params.latency_ms_min, params.latency_ms_max),
            params.drop,
            params.duplicate,
        );
        let mut net = net;
        for (i, n) in nodes.iter().enumerate() {
            net.lossless[i] = n.role == Role::Client;
        }
        net.drop_heartbeats = params.drop_heartbeats;
        net.set_bursts(&params);
        let mut sim = Sim {
            rng: ChaCha8Rng::seed_from_u64(seed),
            seed,
            now_us: 0,
            queue: Queue::default(),
            net,
            metrics: Metrics::default(),
            rep: Replication::new(&params, nodes.len()),
            clients: Clients::default(),
            det: Detector::default(),
            shop: Checkout::default(),
            shard: Sharding::default(),
            outcomes: Outcomes::new(params.keys as usize),
            script,
            command_log: Vec::new(),
            events_processed: 0,
            quiet: false,
            settling: false,
            out: engine::Out::default(),
            nodes,
            params,
        };
        sim.start();
        sim
    }

    pub fn params(&self) -> &Params {
        &self.params
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// Current true (simulated) time in µs.
    pub fn now_us(&self) -> u64 {
        self.now_us
    }
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    pub fn node_id(&self, name: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| i as NodeId)
    }
    pub fn node_name(&self, id: NodeId) -> &str {
        self.nodes.get(id as usize).map_or("?", |n| n.name.as_str())
    }
    pub fn network(&self) -> &Network {
        &self.net
    }
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    /// When the next event is due (true µs), if any: how long a UI may sleep.
    pub fn next_event_us(&self) -> Option<u64> {
        self.queue.peek_time()
    }
    /// With `false`, the run's trace events are not built and the sink passed to
    /// [`Sim::step`] and friends receives none; nothing else changes (the same state,
    /// metrics and outcomes, event for event). For trials, which keep only the numbers.
    pub fn set_traced(&mut self, on: bool) {
        self.out.trace = on;
    }
    /// With `true`, every failure-detector check and operation timeout is queued when it
    /// is set instead of held back behind an earlier one: the same run with more events
    /// that do nothing (a test holds the two equal).
    #[doc(hidden)]
    pub fn set_eager_checks(&mut self, on: bool) {
        self.det.eager = on;
        self.clients.eager = on;
    }
    /// How many random words the run has drawn so far: two runs of one seed that have drawn
    /// alike are at the same place in the same random stream.
    pub fn random_draws(&self) -> u128 {
        self.rng.get_word_pos()
    }
    /// Events (queue entries) processed so far.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }
    /// The commands applied so far with their times (µs): with the parameters and the
    /// seed, everything needed to replay this session.
    pub fn command_log(&self) -> &[(u64, Command)] {
        &self.command_log
    }
    /// The current primary (replication kinds).
    pub fn primary(&self) -> Option<NodeId> {
        (self.params.kind == Kind::Replication).then_some(self.rep.primary)
    }
    /// Local wall clock of a node, µs.
    pub fn local_us(&self, id: NodeId) -> i64 {
        self.nodes[id as usize].clock.local_us(self.now_us)
    }
    /// The monitors that currently suspect `target`.
    pub fn suspected_by(&self, target: NodeId) -> Vec<NodeId> {
        self.det.suspected_by(target)
    }
    /// Replication lag of `node` behind the primary: (ms, writes behind). See [`metrics`].
    pub fn replication_lag(&self, node: NodeId) -> (f64, u64) {
        self.rep.lag(&self.nodes, node, self.now_us)
    }
    /// Orders known to the order service and not yet confirmed or failed.
    pub fn orders_pending(&self) -> u64 {
        self.shop.pending()
    }
    /// Current queue length of each shard (sharding).
    pub fn shard_queues(&self) -> Vec<(NodeId, usize)> {
        self.shard.queues()
    }
}
