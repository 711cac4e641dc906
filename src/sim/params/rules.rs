//! Rules between parameters, checked once every key is set.

use super::{AckAfter, Kind, ParamError, Params, REPLICAS_BY_KIND, Stamps};

impl Params {
    /// Rules between parameters: the latency range, `replicas` for the kind, and at most
    /// one writer per data node; vector timestamps, fencing and disk syncs where they can work.
    pub fn check_rules(&self) -> Result<(), ParamError> {
        if self.latency_ms_max < self.latency_ms_min {
            return Err(ParamError::Rule {
                key: "latency_ms_max",
                other: "latency_ms_min",
                value: self.latency_ms_max.to_string(),
                problem: format!("smaller than latency_ms_min = {}", self.latency_ms_min),
                expected: "a number >= latency_ms_min".into(),
            });
        }
        let kind = self.kind.to_string();
        if let Some((_, lo, hi)) = REPLICAS_BY_KIND.iter().find(|(k, ..)| *k == kind)
            && !(*lo..=*hi).contains(&u64::from(self.replicas))
        {
            return Err(ParamError::Rule {
                key: "replicas",
                other: "kind",
                value: self.replicas.to_string(),
                problem: format!("out of range for kind = {kind}"),
                expected: format!("an integer {lo}..={hi} for kind = {kind}"),
            });
        }
        if self.kind == Kind::Replication && self.writers > 1 && self.clients > 1 {
            return Err(ParamError::Rule {
                key: "clients",
                other: "writers",
                value: self.clients.to_string(),
                problem: "several clients of one primary, with several writers".into(),
                expected: "clients = 1 when writers > 1 (each writer is a client)".into(),
            });
        }
        if self.kind == Kind::Replication && self.writers > self.replicas + 1 {
            return Err(ParamError::Rule {
                key: "writers",
                other: "replicas",
                value: self.writers.to_string(),
                problem: format!("more writers than the {} data nodes", self.replicas + 1),
                expected: "at most replicas + 1".into(),
            });
        }
        let single = self.kind != Kind::Replication || self.writers < 2;
        if self.timestamps == Stamps::Vector && single {
            return Err(ParamError::Rule {
                key: "timestamps",
                other: "writers",
                value: "vector".into(),
                problem: "version vectors order the writes of several coordinators".into(),
                expected: "writers >= 2 in a replication scenario, or timestamps = wall | lamport"
                    .into(),
            });
        }
        if self.fencing && self.kind == Kind::Replication && self.writers > 1 {
            return Err(ParamError::Rule {
                key: "fencing",
                other: "writers",
                value: "true".into(),
                problem: "fencing needs epochs, and only a single primary has them".into(),
                expected: "writers = 1 with fencing = true".into(),
            });
        }
        if self.fsync_every_ms > 0 && self.kind == Kind::Replication && self.writers > 1 {
            return Err(ParamError::Rule {
                key: "fsync_every_ms",
                other: "writers",
                value: self.fsync_every_ms.to_string(),
                problem: "disk syncs are simulated for a single primary only".into(),
                expected: "writers = 1, or fsync_every_ms = 0".into(),
            });
        }
        if self.ack_after == AckAfter::Fsync && self.fsync_every_ms == 0 {
            return Err(ParamError::Rule {
                key: "ack_after",
                other: "fsync_every_ms",
                value: "fsync".into(),
                problem: "with fsync_every_ms = 0 every write is on disk when it arrives, so \
                          there is no sync to wait for"
                    .into(),
                expected: "fsync_every_ms > 0 with ack_after = fsync".into(),
            });
        }
        self.check_names()?;
        self.check_clock_nodes()
    }

    /// Every `name.NODE` renames a node this cluster has, and the names stay unique.
    fn check_names(&self) -> Result<(), ParamError> {
        if self.names.is_empty() {
            return Ok(());
        }
        let built_in = crate::sim::engine::topology(&Params {
            names: Vec::new(),
            ..self.clone()
        });
        let defaults: Vec<&str> = built_in.iter().map(|n| n.name.as_str()).collect();
        for (old, new) in &self.names {
            if !defaults.contains(&old.as_str()) {
                return Err(super::error::bad(
                    &format!("name.{old}"),
                    new,
                    &format!(
                        "this cluster has no node `{}` to name",
                        crate::sanitize::quote(old)
                    ),
                    &format!("one of its built-in names: {}", defaults.join(", ")),
                ));
            }
        }
        let named = crate::sim::engine::topology(self);
        for (i, n) in named.iter().enumerate() {
            if let Some(other) = named[..i].iter().find(|m| m.name == n.name) {
                let renamed = self.names.iter().find(|(_, new)| *new == n.name);
                let (old, new) =
                    renamed.map_or((n.name.as_str(), n.name.as_str()), |(o, v)| (o, v));
                return Err(super::error::bad(
                    &format!("name.{old}"),
                    new,
                    &format!("`{}` already names another node ({})", n.name, other.role),
                    "a name no other node of this cluster has",
                ));
            }
        }
        Ok(())
    }

    /// Every `skew_ms.NODE` and `drift_ppm.NODE` names a node of this cluster.
    fn check_clock_nodes(&self) -> Result<(), ParamError> {
        if self.clocks.is_empty() {
            return Ok(());
        }
        let nodes = crate::sim::engine::topology(self);
        let names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).collect();
        for c in &self.clocks {
            if !names.contains(&c.node.as_str()) {
                let key = if c.skew_ms != 0 {
                    "skew_ms"
                } else {
                    "drift_ppm"
                };
                return Err(super::error::bad(
                    &format!("{key}.{}", c.node),
                    &(if c.skew_ms != 0 {
                        c.skew_ms
                    } else {
                        c.drift_ppm
                    })
                    .to_string(),
                    &format!(
                        "no node named `{}` in this cluster",
                        crate::sanitize::quote(&c.node)
                    ),
                    &format!("one of {}", names.join(", ")),
                ));
            }
        }
        Ok(())
    }
}
