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

/// Where last-writer-wins timestamps come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamps {
    /// The coordinating node's local wall clock.
    Wall,
    /// Lamport clocks; clients carry the highest timestamp they have seen.
    Lamport,
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

/// Which replica is promoted when the primary is suspected (quorum mode always promotes
/// the most up-to-date node of a reachable majority).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failover {
    /// Never promote anyone.
    None,
    /// The lowest-numbered replica that is up.
    Lowest,
    /// The up replica holding the most writes.
    Freshest,
}

/// All simulation parameters, typed. Build with [`Params::from_table`] or [`Params::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub kind: Kind,
    pub replicas: u32,
    pub writers: u32,
    pub keys: u32,
    pub mode: Mode,
    pub timestamps: Stamps,
    pub read_from: ReadFrom,
    pub failover: Failover,
    pub latency_ms_min: f64,
    pub latency_ms_max: f64,
    pub drop: f64,
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
    pub service_ms: f64,
    pub shards: u32,
    pub rate_per_s: f64,
    pub hot_fraction: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            kind: Kind::Replication,
            replicas: 2,
            writers: 1,
            keys: 1,
            mode: Mode::Async,
            timestamps: Stamps::Wall,
            read_from: ReadFrom::Primary,
            failover: Failover::Lowest,
            latency_ms_min: 20.0,
            latency_ms_max: 80.0,
            drop: 0.0,
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
            service_ms: 4.0,
            shards: 3,
            rate_per_s: 300.0,
            hot_fraction: 0.0,
        }
    }
}

mod spec;

pub use spec::{SPECS, Spec};

/// A parameter that is missing its mark, with the key and what would be valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("unknown parameter `{key}`; valid parameters: {}", valid_keys())]
    UnknownKey { key: String },
    #[error("parameter `{key}` = {value}: {problem}; expected {expected}")]
    BadValue {
        key: String,
        value: String,
        problem: String,
        expected: String,
    },
    #[error("`{0}` is not KEY=VALUE (e.g. mode=quorum)")]
    NotAssignment(String),
}

impl ParamError {
    /// The parameter key this error is about, if any.
    pub fn key(&self) -> Option<&str> {
        match self {
            ParamError::UnknownKey { key } | ParamError::BadValue { key, .. } => Some(key),
            ParamError::NotAssignment(_) => None,
        }
    }
}

fn valid_keys() -> String {
    SPECS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
}

impl Params {
    /// Typed parameters from a scenario's `params` table; missing keys keep their defaults.
    pub fn from_table(table: &toml::Table) -> Result<Params, ParamError> {
        let mut p = Params::default();
        for (key, value) in table {
            let text = match value {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    let spec = spec_of(key)?;
                    return Err(bad(key, &other.to_string(), "not a plain value", spec.ty));
                }
            };
            p.set(key, &text)?;
        }
        p.check()?;
        Ok(p)
    }

    /// Applies `KEY=VALUE` (from `--set`).
    pub fn set_assignment(&mut self, assignment: &str) -> Result<(), ParamError> {
        let (k, v) = assignment
            .split_once('=')
            .ok_or_else(|| ParamError::NotAssignment(quote(assignment)))?;
        self.set(k.trim(), v.trim())?;
        self.check()
    }

    /// Sets one parameter from its text form, checking type and range.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ParamError> {
        let spec = spec_of(key)?;
        let v = value.trim().trim_matches('"');
        let e = |problem: &str| bad(key, value, problem, spec.ty);
        macro_rules! int {
            ($lo:expr, $hi:expr) => {{
                let n: u64 = v.parse().map_err(|_| e("not a whole number"))?;
                if !($lo..=$hi).contains(&n) {
                    return Err(e("out of range"));
                }
                n
            }};
        }
        macro_rules! num {
            ($lo:expr, $hi:expr) => {{
                let n: f64 = v.parse().map_err(|_| e("not a number"))?;
                if !n.is_finite() || !($lo..=$hi).contains(&n) {
                    return Err(e("out of range"));
                }
                n
            }};
        }
        macro_rules! word {
            ($($w:literal => $val:expr),+) => {
                match v { $($w => $val,)+ _ => return Err(e("not one of the choices")) }
            };
        }
        const MS: u64 = 86_400_000;
        match key {
            "kind" => {
                self.kind = word!("replication" => Kind::Replication, "detector" => Kind::Detector, "checkout" => Kind::Checkout, "sharding" => Kind::Sharding)
            }
            "replicas" => self.replicas = int!(0, 6) as u32,
            "writers" => self.writers = int!(1, 4) as u32,
            "keys" => self.keys = int!(1, 8) as u32,
            "mode" => {
                self.mode =
                    word!("async" => Mode::Async, "sync" => Mode::Sync, "quorum" => Mode::Quorum)
            }
            "timestamps" => {
                self.timestamps = word!("wall" => Stamps::Wall, "lamport" => Stamps::Lamport)
            }
            "read_from" => {
                self.read_from = word!("primary" => ReadFrom::Primary, "replica" => ReadFrom::Replica, "any" => ReadFrom::Any)
            }
            "failover" => {
                self.failover = word!("none" => Failover::None, "lowest" => Failover::Lowest, "freshest" => Failover::Freshest)
            }
            "latency_ms_min" => self.latency_ms_min = num!(0.0, 60_000.0),
            "latency_ms_max" => self.latency_ms_max = num!(0.0, 60_000.0),
            "drop" => self.drop = num!(0.0, 1.0),
            "duplicate" => self.duplicate = num!(0.0, 1.0),
            "write_every_ms" => self.write_every_ms = int!(0, MS),
            "read_ratio" => self.read_ratio = num!(0.0, 1.0),
            "client_timeout_ms" => self.client_timeout_ms = int!(1, MS),
            "retry_ms" => self.retry_ms = int!(1, MS),
            "heartbeat_ms" => self.heartbeat_ms = int!(0, MS),
            "timeout_ms" => self.timeout_ms = int!(1, MS),
            "duration_ms" => self.duration_ms = int!(1, MS),
            "order_every_ms" => self.order_every_ms = int!(1, MS),
            "order_timeout_ms" => self.order_timeout_ms = int!(1, MS),
            "retries" => self.retries = int!(0, 10) as u32,
            "idempotency" => self.idempotency = word!("true" => true, "false" => false),
            "service_ms" => self.service_ms = num!(0.001, 60_000.0),
            "shards" => self.shards = int!(1, 4) as u32,
            "rate_per_s" => self.rate_per_s = num!(0.001, 100_000.0),
            "hot_fraction" => self.hot_fraction = num!(0.0, 1.0),
            _ => return Err(ParamError::UnknownKey { key: quote(key) }),
        }
        Ok(())
    }

    /// Rules between parameters.
    fn check(&self) -> Result<(), ParamError> {
        if self.latency_ms_max < self.latency_ms_min {
            return Err(bad(
                "latency_ms_max",
                &self.latency_ms_max.to_string(),
                &format!("smaller than latency_ms_min = {}", self.latency_ms_min),
                "a number >= latency_ms_min",
            ));
        }
        if self.kind == Kind::Replication && self.writers > self.replicas + 1 {
            return Err(bad(
                "writers",
                &self.writers.to_string(),
                &format!("more writers than the {} nodes", self.replicas + 1),
                "at most replicas + 1",
            ));
        }
        if self.kind == Kind::Replication && self.replicas == 0 && self.mode != Mode::Async {
            return Err(bad(
                "replicas",
                "0",
                "sync and quorum need a replica",
                "1..=6",
            ));
        }
        Ok(())
    }
}

fn spec_of(key: &str) -> Result<&'static Spec, ParamError> {
    SPECS
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| ParamError::UnknownKey { key: quote(key) })
}

/// A bad value; the key and the value came from a file or a flag, so both are quoted.
fn bad(key: &str, value: &str, problem: &str, expected: &str) -> ParamError {
    ParamError::BadValue {
        key: quote(key),
        value: quote(value),
        problem: problem.to_string(),
        expected: expected.to_string(),
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

impl fmt::Display for Stamps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stamps::Wall => "wall",
            Stamps::Lamport => "lamport",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_overrides_defaults() {
        let t: toml::Table = toml::from_str("mode = \"quorum\"\ndrop = 0.2\nreplicas = 4").unwrap();
        let p = Params::from_table(&t).unwrap();
        assert_eq!(p.mode, Mode::Quorum);
        assert_eq!(p.drop, 0.2);
        assert_eq!(p.replicas, 4);
        assert_eq!(p.timestamps, Stamps::Wall);
    }

    #[test]
    fn errors_name_the_key_and_the_choices() {
        let mut p = Params::default();
        let e = p.set("mode", "fast").unwrap_err();
        assert_eq!(e.key(), Some("mode"));
        assert!(e.to_string().contains("async | sync | quorum"), "{e}");
        let e = p.set("nope", "1").unwrap_err();
        assert!(e.to_string().contains("timestamps"), "{e}");
        assert!(p.set("drop", "1.5").is_err());
        assert!(p.set_assignment("drop").is_err());
        assert!(p.set_assignment("latency_ms_max=1").is_err());
    }

    #[test]
    fn every_spec_key_is_settable_with_its_default() {
        for s in SPECS {
            let mut p = Params::default();
            p.set(s.key, s.default)
                .unwrap_or_else(|e| panic!("{}: {e}", s.key));
            assert_eq!(p, Params::default(), "default of {} disagrees", s.key);
        }
    }
}
