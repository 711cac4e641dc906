//! A scenario's walkthrough as the simulator checks it: each step's `until`, `expect` and
//! caption parsed against the cluster the scenario builds (its node names, keys and
//! parameters), every problem at its place in the file.

pub mod seeds;

use std::ops::Range;

use super::{Scenario, Step};
use crate::sim::story::{Anchor, Claims, Names, Plan, Story, Target, Template};
use crate::sim::{Command, Sim};

/// One problem with a story, at a place in the lesson file.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryProblem {
    pub span: Range<usize>,
    pub message: String,
}

/// The story of `scenario`, parsed against `sim` (a simulation of the scenario with the
/// same overrides). Commands that do not parse are left out here: the scenario check
/// reports them.
pub fn story(scenario: &Scenario, sim: &Sim) -> Result<Story, Vec<StoryProblem>> {
    let node_names = sim.node_names();
    let names = Names {
        nodes: &node_names,
        keys: sim.params().keys as usize,
        params: sim.params(),
    };
    let mut problems = Vec::new();
    let mut steps = Vec::new();
    let mut last_at: Option<u64> = None;
    for (i, step) in scenario.steps.iter().enumerate() {
        let mut problem = |span: Range<usize>, m: String| {
            problems.push(StoryProblem {
                span,
                message: format!("scenario `{}`, step {}: {m}", scenario.id, i + 1),
            });
        };
        let target = match (step.at_ms, &step.until) {
            (Some(_), Some(u)) => {
                problem(
                    u.span(),
                    "has both `at_ms` and `until`; give one: a time, or an event to pause on"
                        .into(),
                );
                None
            }
            (None, None) => {
                problem(
                    step.caption.span(),
                    "needs `at_ms` (a time) or `until` (an event to pause on)".into(),
                );
                None
            }
            (Some(ms), None) => {
                if let Some(prev) = last_at.filter(|p| ms < *p) {
                    problem(
                        step.caption.span(),
                        format!("at_ms {ms} is earlier than the step before it ({prev})"),
                    );
                }
                last_at = Some(ms);
                Some(Target::At(ms.saturating_mul(1000)))
            }
            (None, Some(u)) => match Anchor::parse(u, &node_names) {
                Ok(a) => Some(Target::Until(a)),
                Err(e) => {
                    problem(
                        u.span(),
                        format!("until `{}`: {e}", crate::sanitize::quote(u)),
                    );
                    None
                }
            },
        };
        let anchored = step.until.is_some();
        let claims = parse_claims(step, &names, anchored, &mut problem);
        let caption = match Template::parse(&step.caption, &names, anchored) {
            Ok(t) => t,
            Err(e) => {
                problem(step.caption.span(), format!("caption: {e}"));
                Template::default()
            }
        };
        let commands = step
            .commands
            .iter()
            .filter_map(|c| Command::parse(c).ok())
            .collect();
        if let Some(target) = target {
            steps.push(Plan {
                target,
                commands,
                claims,
                caption,
            });
        }
    }
    let end = match &scenario.expect {
        None => Claims::default(),
        Some(e) => Claims::parse(e, &names, false).unwrap_or_else(|m| {
            problems.push(StoryProblem {
                span: e.span(),
                message: format!("scenario `{}`, expect: {m}", scenario.id),
            });
            Claims::default()
        }),
    };
    if problems.is_empty() {
        Ok(Story { steps, end })
    } else {
        Err(problems)
    }
}

fn parse_claims(
    step: &Step,
    names: &Names<'_>,
    anchored: bool,
    problem: &mut impl FnMut(Range<usize>, String),
) -> Claims {
    let Some(e) = &step.expect else {
        return Claims::default();
    };
    Claims::parse(e, names, anchored).unwrap_or_else(|m| {
        problem(e.span(), format!("expect: {m}"));
        Claims::default()
    })
}
