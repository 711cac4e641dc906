//! Typed scenario parameters: parsed from a scenario's `params` table and from `--set`.
//!
//! Every parameter is listed once in [`SPECS`] (key, type, default, meaning); parsing,
//! error messages and `lessons/FORMAT.md` all follow that table.

use std::fmt;

use crate::sanitize::quote;

/// Which protocol the cluster runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A primary, its replicas and writing clients: `replicate_write`.
    Replication,
    /// A monitor watching nodes by heartbeats.
    Detector,
    /// The lesson's store: web → order → inventory + payment.
    Checkout,
    /// Customers split by region across shards, each with a queue and a service time.
    Sharding,
}

/// When the client is told its write succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Right after the coordinator's local append.
    Async,
    /// After every replica acknowledged.
    Sync,
    /// After a majority of all copies (the coordinator's included) hold it.
    Quorum,
}

/// When a data node counts a write it received (or, as primary, coordinated) as held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckAfter {
    /// As soon as it is in memory.
    Receive,
    /// Only once its next disk sync has written it (see `fsync_every_ms`).
    Fsync,
}

/// Where last-writer-wins timestamps come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamps {
    /// The coordinating node's local wall clock.
    Wall,
    /// Lamport clocks; clients carry the highest timestamp they have seen.
    Lamport,
    /// Version vectors: a node keeps concurrent writes side by side (siblings) instead of
    /// choosing one, until a write that has seen them all replaces them.
    Vector,
}

/// Which node a client's reads go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    Primary,
    /// The last replica (the one partition scenarios cut off).
    Replica,
    /// A node chosen at random for each read.
    Any,
}

/// Who takes over when the primary is suspected, in `async` and `sync` modes (`quorum` mode
/// always holds an election that needs a majority's votes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failover {
    /// Never promote anyone.
    None,
    /// The lowest-numbered replica promotes itself when it suspects the primary.
    Lowest,
    /// The same replica, but it first gathers the newest value of each key from the
    /// others before it serves.
    Freshest,
}

/// All simulation parameters, typed. Build with [`Params::from_table`] or [`Params::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub kind: Kind,
    pub replicas: u32,
    pub writers: u32,
    /// Clients of the one primary (one writer); each writes through the node it believes
    /// is primary.
    pub clients: u32,
    pub keys: u32,
    pub mode: Mode,
    pub timestamps: Stamps,
    pub read_from: ReadFrom,
    pub failover: Failover,
    pub latency_ms_min: f64,
    pub latency_ms_max: f64,
    pub drop: f64,
    /// Chance that a message to or from a client is lost (client links are spared `drop`).
    pub client_drop: f64,
    /// Mean time a link stays good between loss bursts, in ms (0: no bursts).
    pub burst_every_ms: u64,
    /// Mean length of a loss burst on a link, in ms.
    pub burst_ms: u64,
    /// Chance that a message is lost while its link is in a burst.
    pub burst_drop: f64,
    pub drop_heartbeats: bool,
    pub duplicate: f64,
    pub write_every_ms: u64,
    pub read_ratio: f64,
    pub client_timeout_ms: u64,
    pub retry_ms: u64,
    pub heartbeat_ms: u64,
    pub timeout_ms: u64,
    pub duration_ms: u64,
    pub order_every_ms: u64,
    pub order_timeout_ms: u64,
    pub retries: u32,
    pub idempotency: bool,
    /// Epochs checked everywhere: a node refuses what a primary of an older epoch sends it
    /// and tells it the newer epoch, so a deposed primary cannot get writes acknowledged.
    pub fencing: bool,
    /// How often each data node syncs memory to disk (ms); 0: every write is on disk when
    /// it arrives, and a crash keeps everything.
    pub fsync_every_ms: u64,
    /// Whether a data node counts a write as held on receipt or after its disk sync.
    pub ack_after: AckAfter,
    pub service_ms: f64,
    pub shards: u32,
    pub rate_per_s: f64,
    pub hot_fraction: f64,
    /// Nodes whose clock starts off true: `skew_ms.NODE` and `drift_ppm.NODE`, by name.
    pub clocks: Vec<ClockStart>,
    /// Nodes the lesson names itself: `name.n1 = "lisbon"` (the built-in name, then the
    /// lesson's), sorted by the built-in name.
    pub names: Vec<(String, String)>,
}

/// Longest node name a lesson may choose.
pub const NODE_NAME_MAX: usize = 12;

/// A node's clock at the start of a run: its offset from true time and its rate error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockStart {
    pub node: String,
    /// Offset in ms (negative: behind).
    pub skew_ms: i64,
    /// Rate error in parts per million (positive: runs fast).
    pub drift_ppm: i64,
}

/// The per-node clock parameters: `skew_ms.NODE` and `drift_ppm.NODE`, with their bounds.
pub const CLOCK_KEYS: &[(&str, i64)] = &[
    ("skew_ms", super::command::SKEW_MAX_MS),
    ("drift_ppm", super::command::DRIFT_MAX_PPM),
];

impl Default for Params {
    fn default() -> Self {
        Self {
            kind: Kind::Replication,
            replicas: 2,
            writers: 1,
            clients: 1,
            keys: 1,
            mode: Mode::Async,
            timestamps: Stamps::Wall,
            read_from: ReadFrom::Primary,
            failover: Failover::Lowest,
            latency_ms_min: 20.0,
            latency_ms_max: 80.0,
            drop: 0.0,
            client_drop: 0.0,
            burst_every_ms: 0,
            burst_ms: 500,
            burst_drop: 1.0,
            drop_heartbeats: true,
            duplicate: 0.0,
            write_every_ms: 250,
            read_ratio: 0.0,
            client_timeout_ms: 2000,
            retry_ms: 300,
            heartbeat_ms: 200,
            timeout_ms: 1000,
            duration_ms: 30_000,
            order_every_ms: 1000,
            order_timeout_ms: 600,
            retries: 2,
            idempotency: false,
            fencing: false,
            fsync_every_ms: 0,
            ack_after: AckAfter::Receive,
            service_ms: 4.0,
            shards: 3,
            rate_per_s: 300.0,
            hot_fraction: 0.0,
            clocks: Vec::new(),
            names: Vec::new(),
        }
    }
}

mod error;
mod get;
mod rules;
mod spec;

pub use error::ParamError;
pub(crate) use error::is_whole_number;
use error::{bad, spec_of};
pub use get::ParamValue;
pub use spec::{DAY_MS, DELAY_MAX_MS, REPLICAS_BY_KIND, Range, SPECS, Spec};

/// The keys [`Params::topology`] keeps: they decide which nodes and keys exist.
pub const TOPOLOGY_KEYS: &[&str] = &["kind", "replicas", "writers", "clients", "keys", "shards"];

/// A value that passed its parameter's range check.
enum Value {
    Int(u64),
    Num(f64),
    Word(&'static str),
}

/// Splits `KEY=VALUE`, both trimmed.
pub fn split_assignment(assignment: &str) -> Result<(&str, &str), ParamError> {
    assignment
        .split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .ok_or_else(|| ParamError::NotAssignment(quote(assignment)))
}

impl Params {
    /// How many client nodes a replication cluster has: its writers, or with one writer
    /// its `clients`.
    pub fn client_count(&self) -> u32 {
        if self.writers > 1 {
            self.writers
        } else {
            self.clients
        }
    }

    /// Typed parameters from a scenario's `params` table; missing keys keep their defaults.
    /// The first problem; see [`Params::from_table_all`] for all of them.
    pub fn from_table(table: &toml::Table) -> Result<Params, ParamError> {
        Params::from_table_all(table).map_err(|errors| {
            errors
                .into_iter()
                .next()
                .unwrap_or(ParamError::NotAssignment(String::new()))
        })
    }

    /// Typed parameters from a table, with every key's problem (in key order); the rules
    /// between parameters run once, after every key was set, and only when each key is valid.
    pub fn from_table_all(table: &toml::Table) -> Result<Params, Vec<ParamError>> {
        let (p, errors) = Params::from_table_partial(table);
        if errors.is_empty() {
            Ok(p)
        } else {
            Err(errors)
        }
    }

    /// Like [`Params::from_table_all`], and also the parameters with every valid key set
    /// (the defaults for the others), so what does not depend on the bad keys can still be
    /// checked.
    pub fn from_table_partial(table: &toml::Table) -> (Params, Vec<ParamError>) {
        let mut p = Params::default();
        let mut errors: Vec<ParamError> = table
            .iter()
            .filter_map(|(key, value)| p.set_value(key, value).err())
            .collect();
        if errors.is_empty() {
            errors.extend(p.check_rules().err());
        }
        (p, errors)
    }

    /// The parameters that decide which nodes and keys a cluster has, and nothing else.
    pub fn topology(&self) -> Params {
        Params {
            kind: self.kind,
            replicas: self.replicas,
            writers: self.writers,
            clients: self.clients,
            keys: self.keys,
            shards: self.shards,
            names: self.names.clone(),
            ..Params::default()
        }
    }

    /// Sets one parameter from a TOML value (a string, number or boolean; for `skew_ms`
    /// and `drift_ppm`, a table of nodes, as `skew_ms = { n2 = -500 }` or `skew_ms.n2 =
    /// -500` write it).
    pub fn set_value(&mut self, key: &str, value: &toml::Value) -> Result<(), ParamError> {
        if let (true, toml::Value::Table(nodes)) = (
            key == "name" || CLOCK_KEYS.iter().any(|(k, _)| *k == key),
            value,
        ) {
            return nodes
                .iter()
                .try_for_each(|(node, v)| self.set_value(&format!("{key}.{node}"), v));
        }
        let text = match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            other => {
                let spec = spec_of(key)?;
                return Err(bad(
                    key,
                    &other.to_string(),
                    "not a plain value",
                    &spec.expected(),
                ));
            }
        };
        self.set(key, &text)
    }

    /// Applies `KEY=VALUE` (a live `set` command): one key, then the rules between
    /// parameters.
    pub fn set_assignment(&mut self, assignment: &str) -> Result<(), ParamError> {
        let (k, v) = split_assignment(assignment)?;
        self.set(k, v)?;
        self.check_rules()
    }

    /// Applies every `KEY=VALUE` (`--set`), then the rules between parameters once, so
    /// `latency_ms_min=200` and `latency_ms_max=900` may come in either order. The error
    /// carries the index of the assignment at fault: the one whose key or value is bad, or
    /// for a rule the last one that names a key the rule involves (`None` if none does).
    pub fn assign_all(
        &mut self,
        assignments: &[String],
    ) -> Result<(), (Option<usize>, ParamError)> {
        for (i, a) in assignments.iter().enumerate() {
            let (k, v) = split_assignment(a).map_err(|e| (Some(i), e))?;
            self.set(k, v).map_err(|e| (Some(i), e))?;
        }
        self.check_rules().map_err(|e| {
            let keys = e.keys();
            let at = assignments
                .iter()
                .rposition(|a| split_assignment(a).is_ok_and(|(k, _)| keys.contains(&k)));
            (at, e)
        })
    }

    /// Sets one parameter from its text form, checking its type and its range (see
    /// [`SPECS`]). Rules between parameters are checked by [`Params::check_rules`].
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
        if let Some((k, node)) = key.split_once('.')
            && let Some(&(_, max)) = CLOCK_KEYS.iter().find(|(c, _)| *c == k)
        {
            return self.set_clock(k, node, value, max);
        }
        if let Some(node) = key.strip_prefix("name.") {
            return self.set_name(node, value);
        }
        let spec = spec_of(key)?;
        let v = value.trim().trim_matches('"');
        let e = |problem: &str| bad(spec.key, value, problem, &spec.expected());
        let parsed = match spec.range {
            Range::Int(lo, hi) => match v.parse::<u64>() {
                Ok(n) if (lo..=hi).contains(&n) => Value::Int(n),
                Ok(_) => return Err(e("out of range")),
                Err(_) if is_whole_number(v) => return Err(e("out of range")),
                Err(_) => return Err(e("not a whole number")),
            },
            Range::Num(lo, hi) => match v.parse::<f64>() {
                Ok(n) if n.is_finite() && (lo..=hi).contains(&n) => Value::Num(n),
                Ok(_) => return Err(e("out of range")),
                Err(_) => return Err(e("not a number")),
            },
            Range::Words(words) => match words.iter().find(|w| **w == v) {
                Some(w) => Value::Word(w),
                None => return Err(e("not one of the choices")),
            },
        };
        self.assign(spec.key, parsed);
        Ok(())
    }

    /// Sets `skew_ms.NODE` or `drift_ppm.NODE` (`k` is which) to `value`, within `±max`.
    /// Whether the node exists is a rule (see [`Params::check_rules`]): it depends on the
    /// kind and size of the cluster.
    fn set_clock(&mut self, k: &str, node: &str, value: &str, max: i64) -> Result<(), ParamError> {
        let key = format!("{k}.{node}");
        let expected = format!("an integer -{max}..={max}");
        let v = value.trim().trim_matches('"');
        let n = match v.parse::<i64>() {
            Ok(n) if (-max..=max).contains(&n) => n,
            Ok(_) => return Err(bad(&key, value, "out of range", &expected)),
            Err(_) if is_whole_number(v) => {
                return Err(bad(&key, value, "out of range", &expected));
            }
            Err(_) => return Err(bad(&key, value, "not a whole number", &expected)),
        };
        if node.is_empty()
            || !node
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad(
                &key,
                value,
                "not a node name after the dot",
                "e.g. skew_ms.n2",
            ));
        }
        let i = match self.clocks.iter().position(|c| c.node == node) {
            Some(i) => i,
            None => {
                self.clocks.push(ClockStart {
                    node: node.to_owned(),
                    skew_ms: 0,
                    drift_ppm: 0,
                });
                self.clocks.sort_by(|a, b| a.node.cmp(&b.node));
                self.clocks.iter().position(|c| c.node == node).unwrap_or(0)
            }
        };
        if k == "skew_ms" {
            self.clocks[i].skew_ms = n;
        } else {
            self.clocks[i].drift_ppm = n;
        }
        Ok(())
    }

    /// Names node `node` (its built-in name) `value`: letters, digits, `-` and `_`, at most
    /// [`NODE_NAME_MAX`], starting with a letter. Whether `node` exists and the names stay
    /// unique are rules (see [`Params::check_rules`]).
    fn set_name(&mut self, node: &str, value: &str) -> Result<(), ParamError> {
        let key = format!("name.{node}");
        let v = value.trim().trim_matches('"');
        let expected = format!(
            "a name of 1 to {NODE_NAME_MAX} letters, digits, - and _, starting with a letter"
        );
        let safe = v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let starts = v.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if v.is_empty() || v.chars().count() > NODE_NAME_MAX || !safe || !starts {
            let problem = if v.chars().count() > NODE_NAME_MAX {
                "too long"
            } else {
                "not a safe node name"
            };
            return Err(bad(&key, value, problem, &expected));
        }
        match self.names.iter_mut().find(|(n, _)| n == node) {
            Some(entry) => entry.1 = v.to_owned(),
            None => {
                self.names.push((node.to_owned(), v.to_owned()));
                self.names.sort();
            }
        }
        Ok(())
    }

    /// Stores a checked value; the match on words follows the order of [`SPECS`].
    fn assign(&mut self, key: &str, v: Value) {
        let (int, num, word) = match v {
            Value::Int(n) => (n, 0.0, ""),
            Value::Num(x) => (0, x, ""),
            Value::Word(w) => (0, 0.0, w),
        };
        let small = int as u32; // every u32 field's range is far below u32::MAX
        match key {
            "kind" => {
                self.kind = match word {
                    "detector" => Kind::Detector,
                    "checkout" => Kind::Checkout,
                    "sharding" => Kind::Sharding,
                    _ => Kind::Replication,
                }
            }
            "replicas" => self.replicas = small,
            "writers" => self.writers = small,
            "clients" => self.clients = small,
            "keys" => self.keys = small,
            "mode" => {
                self.mode = match word {
                    "sync" => Mode::Sync,
                    "quorum" => Mode::Quorum,
                    _ => Mode::Async,
                }
            }
            "timestamps" => {
                self.timestamps = match word {
                    "lamport" => Stamps::Lamport,
                    "vector" => Stamps::Vector,
                    _ => Stamps::Wall,
                }
            }
            "read_from" => {
                self.read_from = match word {
                    "replica" => ReadFrom::Replica,
                    "any" => ReadFrom::Any,
                    _ => ReadFrom::Primary,
                }
            }
            "failover" => {
                self.failover = match word {
                    "none" => Failover::None,
                    "freshest" => Failover::Freshest,
                    _ => Failover::Lowest,
                }
            }
            "latency_ms_min" => self.latency_ms_min = num,
            "latency_ms_max" => self.latency_ms_max = num,
            "drop" => self.drop = num,
            "client_drop" => self.client_drop = num,
            "burst_every_ms" => self.burst_every_ms = int,
            "burst_ms" => self.burst_ms = int,
            "burst_drop" => self.burst_drop = num,
            "drop_heartbeats" => self.drop_heartbeats = word == "true",
            "duplicate" => self.duplicate = num,
            "write_every_ms" => self.write_every_ms = int,
            "read_ratio" => self.read_ratio = num,
            "client_timeout_ms" => self.client_timeout_ms = int,
            "retry_ms" => self.retry_ms = int,
            "heartbeat_ms" => self.heartbeat_ms = int,
            "timeout_ms" => self.timeout_ms = int,
            "duration_ms" => self.duration_ms = int,
            "order_every_ms" => self.order_every_ms = int,
            "order_timeout_ms" => self.order_timeout_ms = int,
            "retries" => self.retries = small,
            "idempotency" => self.idempotency = word == "true",
            "fencing" => self.fencing = word == "true",
            "fsync_every_ms" => self.fsync_every_ms = int,
            "ack_after" => {
                self.ack_after = match word {
                    "fsync" => AckAfter::Fsync,
                    _ => AckAfter::Receive,
                }
            }
            "service_ms" => self.service_ms = num,
            "shards" => self.shards = small,
            "rate_per_s" => self.rate_per_s = num,
            "hot_fraction" => self.hot_fraction = num,
            _ => {}
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Replication => "replication",
            Kind::Detector => "detector",
            Kind::Checkout => "checkout",
            Kind::Sharding => "sharding",
        })
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Async => "async",
            Mode::Sync => "sync",
            Mode::Quorum => "quorum",
        })
    }
}

impl fmt::Display for AckAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AckAfter::Receive => "receive",
            AckAfter::Fsync => "fsync",
        })
    }
}

impl fmt::Display for ReadFrom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReadFrom::Primary => "primary",
            ReadFrom::Replica => "replica",
            ReadFrom::Any => "any",
        })
    }
}

impl fmt::Display for Stamps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stamps::Wall => "wall",
            Stamps::Lamport => "lamport",
            Stamps::Vector => "vector",
        })
    }
}

#[cfg(test)]
mod tests;
