//! Questions that use the lab: run a question's scenario (with its overrides, seed and end
//! time) exactly as the lesson validator and the Quiz tab both do, and read the outcome.

use super::{Lesson, Question, QuestionKind, Scenario};
use crate::sim::{Event, EventKind, Expect, Msg, Sim};

/// What a lab question's run produced.
pub struct LabRun {
    pub sim: Sim,
    /// When the observer received each heartbeat from the subject (diagnose questions).
    pub heartbeats_us: Vec<u64>,
    /// The number the subject gave each of those heartbeats (1 for the first it sent to
    /// the observer): a gap in the numbers is heartbeats that never arrived.
    pub heartbeat_numbers: Vec<u64>,
    /// The claim the question makes, and whether the run bears it out.
    pub expect: Option<Expect>,
}

impl LabRun {
    /// Lines explaining the computed outcome against the claim.
    pub fn explain(&self) -> Vec<String> {
        self.expect
            .as_ref()
            .map(|e| e.explain(self.sim.metrics()))
            .unwrap_or_default()
    }

    /// The same, in plain words for a learner (no outcome keys).
    pub fn explain_plain(&self) -> Vec<String> {
        self.expect
            .as_ref()
            .map(|e| e.explain_plain(self.sim.metrics()))
            .unwrap_or_default()
    }

    /// True when the run bears out the question's claim.
    pub fn holds(&self) -> bool {
        self.expect
            .as_ref()
            .is_none_or(|e| e.holds(self.sim.metrics()))
    }
}

/// True for the kinds that run their scenario once (estimate questions run it many times,
/// see `quiz::estimate`).
pub fn uses_lab(q: &Question) -> bool {
    matches!(q.kind, QuestionKind::Predict | QuestionKind::Diagnose)
}

/// The scenario a lab question runs and its parameter overrides (`set`), or why it has none.
pub fn setup<'l>(lesson: &'l Lesson, q: &Question) -> Result<(&'l Scenario, toml::Table), String> {
    let id = q
        .scenario
        .as_ref()
        .ok_or_else(|| format!("question `{}` names no scenario", q.id))?;
    let scenario = lesson
        .scenario(id)
        .ok_or_else(|| format!("no scenario `{id}`"))?;
    Ok((scenario, q.set.clone().into_iter().collect()))
}

/// Runs `q`'s scenario: its parameter overrides, seed (default 1) and end time (default the
/// scenario's duration), then finishes it so every outcome is final.
pub fn run(lesson: &Lesson, q: &Question) -> Result<LabRun, String> {
    let (scenario, set) = setup(lesson, q)?;
    let id = &scenario.id;
    let mut sim =
        Sim::from_scenario_with(scenario, q.seed.unwrap_or(1), &set).map_err(|e| e.to_string())?;
    let expect = q.expect.as_ref().map(|e| Expect::parse(e)).transpose()?;
    let watch = match (&q.observer, &q.subject) {
        (Some(o), Some(s)) => {
            let node = |n: &str| {
                sim.node_id(n)
                    .ok_or_else(|| format!("no node `{n}` in scenario `{id}`"))
            };
            Some((node(o)?, node(s)?))
        }
        _ => None,
    };
    let mut heartbeats_us = Vec::new();
    let mut heartbeat_numbers = Vec::new();
    let mut sent = std::collections::BTreeMap::new();
    let end_us = q
        .until_ms
        .unwrap_or(sim.params().duration_ms)
        .saturating_mul(1000);
    let mut sink = |e: &Event| {
        let Some((observer, subject)) = watch else {
            return;
        };
        match &e.kind {
            EventKind::Sent(p)
                if p.from == subject
                    && p.to == observer
                    && matches!(p.msg, Msg::Heartbeat { .. }) =>
            {
                let n = sent.len() as u64 + 1;
                sent.insert(p.id, n);
            }
            EventKind::Delivered(p)
                if p.from == subject
                    && p.to == observer
                    && matches!(p.msg, Msg::Heartbeat { .. }) =>
            {
                heartbeats_us.push(e.t_us);
                heartbeat_numbers.push(sent.get(&p.id).copied().unwrap_or(0));
            }
            _ => {}
        }
    };
    sim.run_until(end_us, &mut sink);
    if sim.exhausted() {
        return Err(crate::sim::exhausted_message(&sim));
    }
    sim.finish(&mut sink);
    Ok(LabRun {
        sim,
        heartbeats_us,
        heartbeat_numbers,
        expect,
    })
}
