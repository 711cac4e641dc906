//! Checking a scenario before it runs: its parameters (with overrides), its events and its
//! walkthrough's commands, each problem naming the event or step it is about.

use super::Scenario;
use super::params::{ParamError, Params, TOPOLOGY_KEYS};
use super::{Command, Sim, UNTIL_MAX_US};
use crate::sanitize::quote;

/// The latest simulated time, in ms, a lesson may name: an event's or a step's `at_ms`, a
/// question's `until_ms`. A day, as for `--until-ms`.
pub const AT_MS_MAX: u64 = super::time::ms(UNTIL_MAX_US);

/// Why a scenario could not become a simulation. Each names the scenario, and the event or
/// step (by index into the scenario's `events` / `steps`, and the command's index in the
/// step) it is about, so a lesson error can point at the very command.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("scenario `{scenario}`: {source}")]
    Param {
        scenario: String,
        source: Box<ParamError>,
    },
    #[error("scenario `{scenario}`, event at {at_ms} ms: `{command}`: {reason}")]
    Event {
        scenario: String,
        /// Which entry of the scenario's `events`, from 0.
        index: usize,
        at_ms: u64,
        command: String,
        reason: String,
    },
    #[error(
        "scenario `{scenario}`, event at {at_ms} ms: `at_ms` is out of range; expected an \
         integer 0..={AT_MS_MAX} (ms: at most a day of simulated time)"
    )]
    EventTime {
        scenario: String,
        index: usize,
        at_ms: u64,
    },
    #[error("scenario `{scenario}`, step {} ({when}): `{command}`: {reason}", .index + 1)]
    Step {
        scenario: String,
        /// Which entry of the scenario's `steps`, from 0 (the message counts from 1).
        index: usize,
        /// Which of the step's `commands`, from 0.
        command_index: usize,
        /// How the step is reached: `at 12000 ms`, `until failover`.
        when: String,
        command: String,
        reason: String,
    },
    #[error(
        "scenario `{scenario}`, step {} (at {at_ms} ms): `at_ms` is out of range; expected an \
         integer 0..={AT_MS_MAX} (ms: at most a day of simulated time)",
        .index + 1
    )]
    StepTime {
        scenario: String,
        index: usize,
        at_ms: u64,
    },
}

/// A scenario's events, parsed: (index in `events`, true time µs, command).
type Script = Vec<(usize, u64, Command)>;

/// A scenario's parameters and timed events, checked (see [`Sim::template`]).
#[derive(Debug, Clone)]
pub struct Template {
    params: Params,
    script: Vec<(u64, Command)>,
}

impl Template {
    /// The run on `seed`: the same as [`Sim::from_scenario_with`] with these overrides.
    pub fn sim(&self, seed: u64) -> Sim {
        Sim::new(self.params.clone(), seed, self.script.clone())
    }

    pub fn params(&self) -> &Params {
        &self.params
    }
}

impl Sim {
    /// Like [`Sim::from_scenario`], with parameter overrides on top of the scenario's
    /// (`--set`, a quiz question's `set`, a session file's `[set]`). The first problem; see
    /// [`Sim::scenario_problems`] for all of them.
    pub fn from_scenario_with(
        scenario: &Scenario,
        seed: u64,
        overrides: &toml::Table,
    ) -> Result<Sim, SimError> {
        let params = scenario_params(scenario, overrides).map_err(first)?;
        let (script, errors) = parse_events(scenario);
        if let Some(e) = errors.into_iter().next() {
            return Err(e);
        }
        let sim = Sim::new(params, seed, timed(&script));
        match sim.event_problems(scenario, &script).into_iter().next() {
            Some(e) => Err(e),
            None => Ok(sim),
        }
    }

    /// [`Sim::from_scenario_with`] checked once, for runs of the same scenario on many
    /// seeds (trials, sweeps): [`Template::sim`] on a seed is that run.
    pub fn template(scenario: &Scenario, overrides: &toml::Table) -> Result<Template, SimError> {
        let params = scenario_params(scenario, overrides).map_err(first)?;
        let (script, errors) = parse_events(scenario);
        if let Some(e) = errors.into_iter().next() {
            return Err(e);
        }
        let template = Template {
            params,
            script: timed(&script),
        };
        match template
            .sim(0)
            .event_problems(scenario, &script)
            .into_iter()
            .next()
        {
            Some(e) => Err(e),
            None => Ok(template),
        }
    }

    /// Everything the lesson validator needs to know about a scenario: its parameters,
    /// its events and its walkthrough steps' commands parse and name nodes that exist. The
    /// first problem; see [`Sim::scenario_problems`].
    pub fn check_scenario(scenario: &Scenario) -> Result<(), SimError> {
        match Sim::scenario_problems(scenario, &toml::Table::new())
            .into_iter()
            .next()
        {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every problem of `scenario` with `overrides` on top: each bad parameter, each event
    /// and step that is too late or whose command does not parse, and (when the parameters
    /// that decide the nodes are valid) each command naming a node, role or key that does
    /// not exist (`@primary` where the kind has no primary). Parameters come first, then events, then steps, each in file order.
    pub fn scenario_problems(scenario: &Scenario, overrides: &toml::Table) -> Vec<SimError> {
        let (script, mut errors) = parse_events(scenario);
        let (steps, step_errors) = parse_steps(scenario);
        errors.extend(step_errors);
        let mut table = scenario.params.clone();
        table.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        let (params, param_errors) = Params::from_table_partial(&table);
        let nodes_known = !param_errors
            .iter()
            .any(|e| e.keys().iter().any(|k| TOPOLOGY_KEYS.contains(k)));
        // With a bad parameter that does not change the nodes, commands are still checked
        // against them, except `set`, whose check depends on the other parameters.
        let all_valid = param_errors.is_empty();
        errors.extend(param_errors.into_iter().map(|source| SimError::Param {
            scenario: quote(&scenario.id),
            source: Box::new(source),
        }));
        if nodes_known {
            let sim = Sim::new(
                if all_valid { params } else { params.topology() },
                0,
                timed(&script),
            );
            let checked = |cmd: &Command| all_valid || !matches!(cmd, Command::Set(..));
            let in_time: Script = script.into_iter().filter(|(_, _, c)| checked(c)).collect();
            errors.extend(sim.event_problems(scenario, &in_time));
            for (index, command_index, cmd) in steps.iter().filter(|(_, _, c)| checked(c)) {
                if let Err(reason) = sim.check_command(cmd) {
                    errors.push(step_error(scenario, *index, *command_index, reason));
                }
            }
        }
        let at = |e: &SimError| match e {
            SimError::Param { .. } => (0, 0, 0),
            SimError::Event { index, .. } | SimError::EventTime { index, .. } => (1, *index, 0),
            SimError::Step {
                index,
                command_index,
                ..
            } => (2, *index, *command_index + 1),
            SimError::StepTime { index, .. } => (2, *index, 0),
        };
        errors.sort_by_key(at);
        errors
    }

    /// The parsed events that name a node or key this cluster lacks.
    fn event_problems(&self, scenario: &Scenario, script: &Script) -> Vec<SimError> {
        script
            .iter()
            .filter_map(|(index, _, cmd)| {
                let e = &scenario.events[*index];
                self.check_command(cmd).err().map(|reason| SimError::Event {
                    scenario: quote(&scenario.id),
                    index: *index,
                    at_ms: e.at_ms,
                    command: quote(&e.command),
                    reason,
                })
            })
            .collect()
    }
}

/// The scenario's parameters with `overrides` on top: every bad key, or the first broken
/// rule between parameters.
fn scenario_params(scenario: &Scenario, overrides: &toml::Table) -> Result<Params, Vec<SimError>> {
    let mut table = scenario.params.clone();
    table.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
    Params::from_table_all(&table).map_err(|errors| {
        errors
            .into_iter()
            .map(|source| SimError::Param {
                scenario: quote(&scenario.id),
                source: Box::new(source),
            })
            .collect()
    })
}

/// The scenario's events that parse and are in time, and the problems of the others.
fn parse_events(scenario: &Scenario) -> (Script, Vec<SimError>) {
    let mut script = Vec::new();
    let mut errors = Vec::new();
    for (index, e) in scenario.events.iter().enumerate() {
        if e.at_ms > AT_MS_MAX {
            errors.push(SimError::EventTime {
                scenario: quote(&scenario.id),
                index,
                at_ms: e.at_ms,
            });
        }
        match Command::parse(&e.command) {
            Ok(cmd) if e.at_ms <= AT_MS_MAX => script.push((index, e.at_ms * 1000, cmd)),
            Ok(_) => {}
            Err(reason) => errors.push(SimError::Event {
                scenario: quote(&scenario.id),
                index,
                at_ms: e.at_ms,
                command: quote(&e.command),
                reason,
            }),
        }
    }
    (script, errors)
}

/// The walkthrough's commands that parse, as (step index, command index, command), and the
/// problems of the others and of steps that are too late.
fn parse_steps(scenario: &Scenario) -> (Vec<(usize, usize, Command)>, Vec<SimError>) {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        if let Some(at_ms) = step.at_ms.filter(|t| *t > AT_MS_MAX) {
            errors.push(SimError::StepTime {
                scenario: quote(&scenario.id),
                index,
                at_ms,
            });
        }
        for (command_index, c) in step.commands.iter().enumerate() {
            match Command::parse(c) {
                Ok(cmd) => parsed.push((index, command_index, cmd)),
                Err(reason) => errors.push(step_error(scenario, index, command_index, reason)),
            }
        }
    }
    (parsed, errors)
}

fn step_error(scenario: &Scenario, index: usize, command_index: usize, reason: String) -> SimError {
    SimError::Step {
        scenario: quote(&scenario.id),
        index,
        command_index,
        when: scenario.steps[index].when(),
        command: quote(&scenario.steps[index].commands[command_index]),
        reason,
    }
}

fn timed(script: &Script) -> Vec<(u64, Command)> {
    script.iter().map(|(_, t, c)| (*t, c.clone())).collect()
}

fn first(errors: Vec<SimError>) -> SimError {
    let mut errors = errors.into_iter();
    errors.next().unwrap_or(SimError::Param {
        scenario: String::new(),
        source: Box::new(ParamError::NotAssignment(String::new())),
    })
}
