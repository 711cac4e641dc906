//! Reading a parameter back by name, for walkthrough captions (`{param.drop}`) and claims
//! (`param.mode == sync`): the value the run uses now, after overrides and `set` commands.

use super::{Failover, Params, ReadFrom};

/// A parameter's current value: a number or a word.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Num(f64),
    Word(String),
}

impl Params {
    /// The current value of parameter `key`, or `None` if there is no such parameter.
    pub fn get(&self, key: &str) -> Option<ParamValue> {
        use ParamValue::{Num, Word};
        let w = |s: &str| Some(Word(s.to_owned()));
        let n = |x: f64| Some(Num(x));
        match key {
            "kind" => w(&self.kind.to_string()),
            "mode" => w(&self.mode.to_string()),
            "timestamps" => w(&self.timestamps.to_string()),
            "read_from" => w(match self.read_from {
                ReadFrom::Primary => "primary",
                ReadFrom::Replica => "replica",
                ReadFrom::Any => "any",
            }),
            "failover" => w(match self.failover {
                Failover::None => "none",
                Failover::Lowest => "lowest",
                Failover::Freshest => "freshest",
            }),
            "idempotency" => w(if self.idempotency { "true" } else { "false" }),
            "ack_after" => w(&self.ack_after.to_string()),
            "fencing" => w(if self.fencing { "true" } else { "false" }),
            "drop_heartbeats" => w(if self.drop_heartbeats {
                "true"
            } else {
                "false"
            }),
            "replicas" => n(f64::from(self.replicas)),
            "writers" => n(f64::from(self.writers)),
            "clients" => n(f64::from(self.clients)),
            "keys" => n(f64::from(self.keys)),
            "retries" => n(f64::from(self.retries)),
            "shards" => n(f64::from(self.shards)),
            "latency_ms_min" => n(self.latency_ms_min),
            "latency_ms_max" => n(self.latency_ms_max),
            "drop" => n(self.drop),
            "client_drop" => n(self.client_drop),
            "burst_drop" => n(self.burst_drop),
            "burst_every_ms" => n(self.burst_every_ms as f64),
            "burst_ms" => n(self.burst_ms as f64),
            "duplicate" => n(self.duplicate),
            "read_ratio" => n(self.read_ratio),
            "service_ms" => n(self.service_ms),
            "rate_per_s" => n(self.rate_per_s),
            "hot_fraction" => n(self.hot_fraction),
            "write_every_ms" => n(self.write_every_ms as f64),
            "client_timeout_ms" => n(self.client_timeout_ms as f64),
            "retry_ms" => n(self.retry_ms as f64),
            "heartbeat_ms" => n(self.heartbeat_ms as f64),
            "timeout_ms" => n(self.timeout_ms as f64),
            "fsync_every_ms" => n(self.fsync_every_ms as f64),
            "duration_ms" => n(self.duration_ms as f64),
            "order_every_ms" => n(self.order_every_ms as f64),
            "order_timeout_ms" => n(self.order_timeout_ms as f64),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::SPECS;
    use super::*;

    #[test]
    fn every_documented_parameter_can_be_read_back() {
        let p = Params::default();
        for spec in SPECS {
            assert!(p.get(spec.key).is_some(), "{} cannot be read", spec.key);
        }
        assert_eq!(p.get("kind"), Some(ParamValue::Word("replication".into())));
        assert_eq!(p.get("drop"), Some(ParamValue::Num(0.0)));
        assert_eq!(p.get("nope"), None);
    }
}
