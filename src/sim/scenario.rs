//! A lab scenario as a lesson file states it: the cluster's parameters, the faults it
//! injects on its own, its guided walkthrough and the claims that back it. The simulator
//! builds a run from it ([`Sim::from_scenario`](super::Sim::from_scenario)); the lesson
//! loads it from TOML (`[[scenarios]]`, see `lessons/FORMAT.md`).

use serde::{Deserialize, Serialize};

use crate::sanitize::Text;

/// A lab scenario: a cluster setup, what it shows, and a walkthrough.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: Text,
    pub title: Text,
    /// The concept id this scenario illustrates.
    pub concept: Text,
    /// One line: what the learner should watch for.
    pub notice: Text,
    /// Simulation parameters; keys and meanings are listed in `lessons/FORMAT.md`.
    #[serde(default)]
    pub params: toml::Table,
    /// Timed interventions the scenario performs on its own (crash the primary at 10 s, ...).
    #[serde(default)]
    pub events: Vec<ScenarioEvent>,
    /// Guided walkthrough, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Claims about the whole run that back the notice, checked when it ends, e.g.
    /// `acked_writes_lost > 0`.
    #[serde(default)]
    pub expect: Option<Text>,
    /// For the teacher's eyes only (`distlab present`): what the scenario is for, what to
    /// set up before it runs. Never shown to the class.
    #[serde(default)]
    pub notes: Option<Text>,
}

/// A command the scenario issues at a simulated time.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioEvent {
    pub at_ms: u64,
    /// A lab command, e.g. `crash n1`, `partition n3`, `skew n2 -500`.
    pub command: Text,
}

/// One step of a guided walkthrough.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Run the simulation up to this simulated time, then pause (or see `until`).
    #[serde(default)]
    pub at_ms: Option<u64>,
    /// Run until this event happens, and pause on it: `failover`, `write_lost`,
    /// `false_suspicion node-1`, `crash`, ... (see lessons/FORMAT.md).
    #[serde(default)]
    pub until: Option<Text>,
    /// Commands to issue when the step is reached (same syntax as scenario events).
    #[serde(default)]
    pub commands: Vec<Text>,
    /// What just happened and what to notice; `{TERM}` quotes a value from the run.
    pub caption: Text,
    /// What the step says about the run, as claims checked on every seed, e.g.
    /// `failovers == 1 and acked_writes_lost > 0`.
    #[serde(default)]
    pub expect: Option<Text>,
    /// For the teacher's eyes only (`distlab present`): what to ask the class, what to
    /// point at. Never shown to the class.
    #[serde(default)]
    pub notes: Option<Text>,
}

impl Step {
    /// How the step is reached, for messages: `at 12000 ms` or `until failover`.
    pub fn when(&self) -> String {
        match (&self.until, self.at_ms) {
            (Some(u), _) => format!("until {}", crate::sanitize::quote(u)),
            (None, Some(ms)) => format!("at {ms} ms"),
            (None, None) => "with no time".into(),
        }
    }
}
