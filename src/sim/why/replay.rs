//! Counterfactuals: the same run (scenario, seed, commands at the same times) replayed with
//! one parameter changed, to say what the change would have saved. Computed, never
//! asserted: a change is named only when its replay shows it.

use std::collections::HashMap;

use super::super::event::{Event, EventKind, OpType};
use super::super::msg::Msg;
use super::super::params::{AckAfter, Failover, Kind, Mode, ReadFrom, Stamps};
use super::super::{Command, Metrics, Scenario, Sim};
use super::{Anomaly, Setting, kv};

/// How to run a run again.
#[derive(Debug, Clone)]
pub struct Replay {
    pub scenario: Scenario,
    pub seed: u64,
    /// Parameter overrides of the run (as `--set` gives them).
    pub overrides: toml::Table,
    /// The commands applied during the run, with their times (µs).
    pub commands: Vec<(u64, Command)>,
    /// Where the run stopped (true µs), and whether it was finished there (the workload
    /// stopped, messages in flight landed, every key checked).
    pub end_us: u64,
    pub finished: bool,
}

/// What one change would have done.
#[derive(Debug, Clone, PartialEq)]
pub struct Counterfactual {
    /// `mode = sync`
    pub change: String,
    /// `with mode = sync, x=32 is kept (replayed: same seed, same commands)`
    pub text: String,
}

/// A replay's outcome.
struct Outcome {
    trace: Vec<Event>,
    metrics: Metrics,
    /// Writes acknowledged by a replaced primary in it.
    stale_acks: usize,
}

/// Replays of one run, each change run once.
pub struct Counterfactuals<'a> {
    replay: &'a Replay,
    runs: HashMap<String, Option<Outcome>>,
}

impl<'a> Counterfactuals<'a> {
    pub fn new(replay: &'a Replay) -> Self {
        Counterfactuals {
            replay,
            runs: HashMap::new(),
        }
    }

    fn run(&mut self, key: &str, value: &str) -> Option<&Outcome> {
        let change = format!("{key} = {value}");
        let replay = self.replay;
        self.runs
            .entry(change)
            .or_insert_with(|| {
                let mut table = replay.overrides.clone();
                table.insert(key.into(), toml::Value::String(value.into()));
                let mut sim =
                    Sim::from_scenario_with(&replay.scenario, replay.seed, &table).ok()?;
                let setting = super::Setting::of(&sim);
                let mut trace = Vec::new();
                let mut sink = |e: &Event| trace.push(e.clone());
                for (at, c) in &replay.commands {
                    if *at > replay.end_us {
                        break;
                    }
                    sim.run_until(*at, &mut sink);
                    let _ = sim.apply(c.clone(), &mut sink);
                }
                sim.run_until(replay.end_us, &mut sink);
                if replay.finished {
                    sim.finish(&mut sink);
                }
                let stale_acks = stale_acks(&trace, &setting);
                Some(Outcome {
                    trace,
                    metrics: sim.metrics().clone(),
                    stale_acks,
                })
            })
            .as_ref()
    }

    /// The first single change, of those that could bear on `a`, whose replay avoids it;
    /// `trace` is the run's own (to know the write in the replay by its client and time).
    pub fn saving(
        &mut self,
        a: &Anomaly,
        setting: &Setting,
        here: &Metrics,
        trace: &[Event],
    ) -> Option<Counterfactual> {
        let origin = Origin {
            write: match *a {
                Anomaly::LostWrite { op, .. }
                | Anomaly::DiscardedWrite { op, .. }
                | Anomaly::StalePrimaryAck { op, .. } => write_sent(trace, op),
                _ => None,
            },
            stale_acks: stale_acks(trace, setting),
        };
        for (key, value) in candidates(a, setting) {
            if let Some(c) = self.check(a, key, &value, here, &origin) {
                return Some(c);
            }
        }
        None
    }

    fn check(
        &mut self,
        a: &Anomaly,
        key: &str,
        value: &str,
        here: &Metrics,
        origin: &Origin,
    ) -> Option<Counterfactual> {
        let change = format!("{key} = {value}");
        let out = self.run(key, value)?;
        let replayed = "replayed: same seed, same commands";
        if let Anomaly::StalePrimaryAck { .. } = a {
            let (m, h) = (out.stale_acks, origin.stale_acks);
            return (m == 0 && h > 0).then(|| Counterfactual {
                text: format!(
                    "with {change}, no write is acknowledged by a replaced primary, against {h} here ({replayed})"
                ),
                change,
            });
        }
        match *a {
            Anomaly::LostWrite {
                op,
                key: k,
                value: v,
                ..
            }
            | Anomaly::DiscardedWrite {
                op,
                key: k,
                value: v,
                ..
            }
            | Anomaly::StalePrimaryAck {
                op,
                key: k,
                value: v,
                ..
            } => {
                let w = kv(k, Some(v));
                // The same write: same key and value, sent by the same client at the same
                // time; else the workload went another way and the whole runs are compared.
                let same = origin
                    .write
                    .and_then(|(client, at)| same_write(&out.trace, op, k, v, client, at));
                if let Some(fate) = same {
                    return match fate {
                        WriteFate::Kept => Some(Counterfactual {
                            text: format!(
                                "with {change}, {w} is acknowledged and kept ({replayed})"
                            ),
                            change,
                        }),
                        WriteFate::NotAcked => Some(Counterfactual {
                            text: format!(
                                "with {change}, {w} is never acknowledged, so no promise is broken ({replayed})"
                            ),
                            change,
                        }),
                        WriteFate::Lost => None,
                    };
                }
                // The workload went another way (this write is not in the replay as such,
                // made by the same client at the same time): compare the whole runs.
                let (m, h) = (&out.metrics, here);
                let lost = |m: &Metrics| m.acked_writes_lost + m.concurrent_writes_discarded;
                (lost(m) == 0 && lost(h) > 0).then(|| Counterfactual {
                    text: format!(
                        "with {change}, no acknowledged write is lost or discarded in the whole run, against {} here ({replayed}; the replay has no write like this one, by the same client at the same moment, so the claim is about the run)",
                        lost(h)
                    ),
                    change,
                })
            }
            Anomaly::StaleRead { .. } => {
                let (m, h) = (out.metrics.stale_reads, here.stale_reads);
                (m == 0 && h > 0).then(|| Counterfactual {
                    text: format!(
                        "with {change}, no read in the whole run is stale, against {h} here ({replayed})"
                    ),
                    change,
                })
            }
            Anomaly::DuplicateCharge { .. } => {
                let (m, h) = (out.metrics.duplicate_charges, here.duplicate_charges);
                (m == 0 && h > 0).then(|| Counterfactual {
                    text: format!(
                        "with {change}, no order is charged twice, against {h} duplicate charges here ({replayed})"
                    ),
                    change,
                })
            }
            Anomaly::FalseSuspicion { .. } => {
                let (m, h) = (out.metrics.false_suspicions, here.false_suspicions);
                (m == 0 && h > 0).then(|| Counterfactual {
                    text: format!(
                        "with {change}, nothing is falsely suspected, against {h} false suspicions here ({replayed}; {} crashes detected, in {})",
                        out.metrics.detection_latency.count(),
                        detection(&out.metrics)
                    ),
                    change,
                })
            }
        }
    }
}

fn detection(m: &Metrics) -> String {
    match m.detection_latency.count() {
        0 => "no time".into(),
        _ => format!(
            "at most {} ms",
            super::super::time::ms(m.detection_latency.max_us())
        ),
    }
}

/// The changes that could bear on an anomaly, in the order the lesson teaches them.
fn candidates(a: &Anomaly, setting: &Setting) -> Vec<(&'static str, String)> {
    let p = &setting.params;
    let mut out: Vec<(&'static str, String)> = Vec::new();
    match a {
        Anomaly::LostWrite { .. } | Anomaly::StalePrimaryAck { .. } if p.writers == 1 => {
            if p.mode == Mode::Async {
                out.push(("mode", "sync".into()));
            }
            if p.mode != Mode::Quorum {
                out.push(("mode", "quorum".into()));
                if p.failover == Failover::Lowest {
                    out.push(("failover", "freshest".into()));
                }
            }
            if !p.fencing {
                out.push(("fencing", "true".into()));
            }
            if p.fsync_every_ms > 0 && p.ack_after == AckAfter::Receive {
                out.push(("ack_after", "fsync".into()));
            }
        }
        Anomaly::LostWrite { .. } => {
            if p.timestamps == Stamps::Wall {
                out.push(("timestamps", "lamport".into()));
            }
            if p.timestamps != Stamps::Vector {
                out.push(("timestamps", "vector".into()));
            }
        }
        Anomaly::DiscardedWrite { .. } if p.timestamps != Stamps::Vector => {
            out.push(("timestamps", "vector".into()));
        }
        Anomaly::StaleRead { .. } if p.kind == Kind::Replication => {
            if p.read_from != ReadFrom::Primary {
                out.push(("read_from", "primary".into()));
            }
            if p.mode != Mode::Quorum {
                out.push(("mode", "quorum".into()));
            }
        }
        Anomaly::DuplicateCharge { .. } if !p.idempotency => {
            out.push(("idempotency", "true".into()));
        }
        Anomaly::FalseSuspicion { .. } => {
            out.push(("timeout_ms", (p.timeout_ms * 2).to_string()));
            out.push(("timeout_ms", (p.timeout_ms * 4).to_string()));
        }
        _ => {}
    }
    out
}

enum WriteFate {
    Kept,
    NotAcked,
    Lost,
}

/// What the run itself says of the anomaly a replay is checked against.
struct Origin {
    /// The write's client and when it sent it.
    write: Option<(super::super::NodeId, u64)>,
    /// Writes acknowledged by a replaced primary in the run.
    stale_acks: usize,
}

/// The client and send time of write `op` in `trace`.
fn write_sent(trace: &[Event], op: u32) -> Option<(super::super::NodeId, u64)> {
    trace.iter().find_map(|e| match &e.kind {
        EventKind::Sent(p) if matches!(p.msg, Msg::Write { op: o, .. } if o == op) => {
            Some((p.from, p.sent_us))
        }
        _ => None,
    })
}

fn stale_acks(trace: &[Event], setting: &Setting) -> usize {
    super::anomalies(trace, setting)
        .iter()
        .filter(|(_, a)| matches!(a, Anomaly::StalePrimaryAck { .. }))
        .count()
}

/// What became of write `op` in a replay, if it is the same write there (the same key and
/// value, sent by the same client at the same time); `None` if the workload went another
/// way.
fn same_write(
    trace: &[Event],
    op: u32,
    key: u8,
    value: i64,
    client: super::super::NodeId,
    at_us: u64,
) -> Option<WriteFate> {
    let mut found = false;
    let mut acked = false;
    for e in trace {
        match &e.kind {
            EventKind::Sent(p) => {
                if let Msg::Write {
                    op: o,
                    key: k,
                    value: v,
                    ..
                } = p.msg
                    && o == op
                {
                    if (k, v, p.from, p.sent_us) != (key, value, client, at_us) {
                        return None;
                    }
                    found = true;
                }
            }
            EventKind::Client(c) if c.op == op && c.write && c.op_type == OpType::Ok => {
                acked = true
            }
            EventKind::WriteLost { op: o, .. } | EventKind::WriteDiscarded { op: o, .. }
                if *o == op =>
            {
                return Some(WriteFate::Lost);
            }
            _ => {}
        }
    }
    found.then_some(if acked {
        WriteFate::Kept
    } else {
        WriteFate::NotAcked
    })
}

/// The counterfactual of one anomaly, replaying as needed (see [`Counterfactuals`] to
/// share replays between anomalies of a run).
pub fn counterfactual(
    replay: &Replay,
    a: &Anomaly,
    setting: &Setting,
    here: &Metrics,
    trace: &[Event],
) -> Option<Counterfactual> {
    Counterfactuals::new(replay).saving(a, setting, here, trace)
}
