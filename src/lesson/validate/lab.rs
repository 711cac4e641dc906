//! The lab part of a lesson. Every scenario must build a simulation: each problem is
//! reported once, at the parameter, event or step command it is about. Each question is
//! checked for what it adds itself (its `set` overrides, `until_ms`, and for predict and
//! diagnose questions the claim, borne out by running it), never again for its scenario's
//! own problems. The runs share one budget of simulated events.

use std::ops::Range;

use crate::lesson::EstimateSpec;
use crate::lesson::lab_run as lab_question;
use crate::lesson::load::{LineIndex, Problem};
use crate::lesson::locate::{Doc, Index, Key, Seg};
use crate::lesson::{Lesson, Question, QuestionKind, Scenario};
use crate::sanitize::quote;
use crate::sim::{AT_MS_MAX, EVENTS_MAX, Expect, ParamError, Params, Sim, SimError};

/// Most simulated events the lab questions of one lesson may take in all when the lesson
/// is checked (each run is also capped at [`EVENTS_MAX`]); the questions after that are
/// reported, not run.
pub const LAB_EVENTS_MAX: u64 = 5_000_000;

struct Lab<'a, 's> {
    source: &'a str,
    lines: LineIndex,
    doc: Option<&'a Doc<'s>>,
    problems: Vec<Problem>,
    /// Simulated events the lab questions have taken so far, and may take.
    spent: u64,
    budget: u64,
    skipped: Vec<&'a Question>,
}

/// Every lab problem of `lesson`; `budget` bounds the lab questions' runs together.
pub fn check(lesson: &Lesson, source: &str, doc: Option<&Doc<'_>>, budget: u64) -> Vec<Problem> {
    let mut c = Lab {
        source,
        lines: LineIndex::new(source),
        doc,
        problems: Vec::new(),
        spent: 0,
        budget,
        skipped: Vec::new(),
    };
    let broken: Vec<bool> = lesson
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| c.scenario(i, s))
        .collect();
    for (i, q) in lesson.questions.iter().enumerate() {
        c.question(lesson, i, q, &broken);
    }
    c.report_skipped();
    c.problems
}

impl<'a> Lab<'a, '_> {
    fn at(&mut self, span: Range<usize>, message: String) {
        self.problems
            .push(Problem::at_indexed(self.source, &self.lines, span, message));
    }

    fn span(&self, path: &[Seg<'_>]) -> Option<Range<usize>> {
        self.doc?.span(path)
    }

    /// Reports every problem of scenario `i` (its parameters, events, commands and its
    /// walkthrough's events, claims and captions); true if it has any.
    fn scenario(&mut self, i: usize, s: &Scenario) -> bool {
        let errors = Sim::scenario_problems(s, &toml::Table::new());
        for e in &errors {
            let span = self.sim_error_span(i, s, e).unwrap_or_else(|| s.id.span());
            self.at(span, e.to_string());
        }
        if !errors.is_empty() {
            return true;
        }
        let Ok(sim) = Sim::from_scenario(s, 1) else {
            return true;
        };
        match crate::lesson::story::story(s, &sim) {
            Ok(_) => false,
            Err(problems) => {
                for p in problems {
                    self.at(p.span, p.message);
                }
                true
            }
        }
    }

    /// Where in scenario `i` the problem `e` is written.
    fn sim_error_span(&self, i: usize, s: &Scenario, e: &SimError) -> Option<Range<usize>> {
        let scenario = [Key("scenarios"), Index(i)];
        match e {
            SimError::Param { source, .. } => {
                self.param_span(&[Key("scenarios"), Index(i), Key("params")], source)
            }
            SimError::Event { index, .. } => s.events.get(*index).map(|e| e.command.span()),
            SimError::Step {
                index,
                command_index,
                ..
            } => s
                .steps
                .get(*index)?
                .commands
                .get(*command_index)
                .map(|c| c.span()),
            SimError::EventTime { index, .. } => {
                self.span(&[&scenario[..], &[Key("events"), Index(*index), Key("at_ms")]].concat())
            }
            SimError::StepTime { index, .. } => {
                self.span(&[&scenario[..], &[Key("steps"), Index(*index), Key("at_ms")]].concat())
            }
        }
    }

    /// Where in the parameter table at `table` the problem `e` is written: the key for
    /// an unknown key, else the value (for a rule between two parameters, the first of
    /// them the table sets).
    fn param_span(&self, table: &[Seg<'_>], e: &ParamError) -> Option<Range<usize>> {
        let doc = self.doc?;
        let entries = doc.entries(table);
        // A per-node clock key, `skew_ms.n2`, is written in the table under `skew_ms`.
        let nested = |k: &str| {
            let (outer, node) = k.split_once('.')?;
            let mut path = table.to_vec();
            path.push(Key(outer));
            let inner = doc.entries(&path);
            inner
                .iter()
                .find(|(raw, ..)| *raw == node || quote(raw) == node)
                .cloned()
        };
        let find = |k: &str| {
            entries
                .iter()
                .find(|(raw, ..)| *raw == k || quote(raw) == k)
                .cloned()
                .or_else(|| nested(k))
        };
        match e {
            ParamError::UnknownKey { key } => find(key).map(|(_, k, _)| k.clone()),
            ParamError::BadValue { key, .. } => find(key).map(|(.., v)| v.clone()),
            ParamError::Rule { key, other, .. } => {
                find(key).or_else(|| find(other)).map(|(.., v)| v.clone())
            }
            ParamError::NotAssignment(_) => None,
        }
    }

    /// The question's own problems: `until_ms`, `set`, and for a lab question its claim.
    fn question(&mut self, l: &'a Lesson, i: usize, q: &'a Question, broken: &[bool]) {
        let here = [Key("questions"), Index(i)];
        let mut runnable = true;
        if let Some(ms) = q.until_ms
            && ms > AT_MS_MAX
        {
            let span = self.span(&[&here[..], &[Key("until_ms")]].concat());
            self.at(
                span.unwrap_or_else(|| q.id.span()),
                format!(
                    "question `{}`: `until_ms` = {ms} is out of range; expected an integer \
                     0..={AT_MS_MAX} (ms: at most a day of simulated time)",
                    quote(&q.id)
                ),
            );
            runnable = false;
        }
        let Some((si, s)) = q
            .scenario
            .as_ref()
            .and_then(|id| l.scenarios.iter().enumerate().find(|(_, s)| s.id == *id))
        else {
            return; // an unknown scenario is reported with the references
        };
        let set: toml::Table = q.set.clone().into_iter().collect();
        if broken[si] {
            // The scenario's problems are reported once, with it; here only the question's
            // own overrides, each on its own.
            for (k, v) in &q.set {
                if let Err(e) = Params::default().set_value(k, v) {
                    self.set_problem(i, q, &e);
                }
            }
            runnable = false;
        } else {
            for e in Sim::scenario_problems(s, &set) {
                match &e {
                    SimError::Param { source, .. } => self.set_problem(i, q, source),
                    SimError::Event { .. } | SimError::EventTime { .. } => {
                        let span = self
                            .doc
                            .and_then(|d| d.key_span(&[&here[..], &[Key("set")]].concat()));
                        self.at(
                            span.unwrap_or_else(|| q.id.span()),
                            format!("question `{}`: with its `set`, {e}", quote(&q.id)),
                        );
                    }
                    // The question's run has no walkthrough.
                    SimError::Step { .. } | SimError::StepTime { .. } => continue,
                }
                runnable = false;
            }
        }
        match q.kind {
            QuestionKind::Choice => {}
            QuestionKind::Estimate => self.estimate(i, q),
            QuestionKind::Predict | QuestionKind::Diagnose => {
                self.claim(l, q, s, &set, runnable);
            }
        }
    }

    /// An estimate question's spec: what it measures, its scale, its claim about the answer.
    /// Its runs are many, so they are made by `distlab check` and the tests, not at load.
    fn estimate(&mut self, i: usize, q: &Question) {
        let id = quote(&q.id);
        let at = |c: &Self, field: &str| {
            c.span(&[Key("questions"), Index(i), Key("estimate"), Key(field)])
                .or_else(|| c.span(&[Key("questions"), Index(i), Key("estimate")]))
                .unwrap_or_else(|| q.id.span())
        };
        let Some(spec) = &q.estimate else {
            self.at(
                q.id.span(),
                format!(
                    "question `{id}` is an estimate question without `estimate`; expected e.g.                      `estimate = {{ count = \"acked_writes_lost > 0\", max = 100, close = 10,                      unit = \"runs\" }}`"
                ),
            );
            return;
        };
        if let Err(e) = spec.measure() {
            let field = if spec.median.is_some() && spec.count.is_none() {
                "median"
            } else {
                "count"
            };
            let span = at(self, field);
            self.at(span, format!("question `{id}`: `estimate`: {e}"));
        }
        let problems = [
            (
                "runs",
                (!(1..=EstimateSpec::RUNS_MAX).contains(&spec.runs)).then(|| {
                    format!(
                        "`runs` = {}: expected 1 to {}",
                        spec.runs,
                        EstimateSpec::RUNS_MAX
                    )
                }),
            ),
            (
                "max",
                (spec.max <= spec.min)
                    .then(|| format!("`max` = {} is not above `min` = {}", spec.max, spec.min)),
            ),
            (
                "step",
                (spec.step == 0 || spec.step > spec.max.saturating_sub(spec.min))
                    .then(|| format!("`step` = {}: expected 1 to `max` - `min`", spec.step)),
            ),
            (
                "unit",
                spec.unit.is_blank().then(|| {
                    "`unit` is empty; expected what the number counts, e.g. \"runs\" or \"ms\""
                        .into()
                }),
            ),
        ];
        for (field, problem) in problems {
            if let Some(p) = problem {
                let span = at(self, field);
                self.at(span, format!("question `{id}`: `estimate`: {p}"));
            }
        }
        if let Some(expect) = &q.expect
            && let Err(e) = Expect::parse_over(expect, &["answer"])
        {
            self.at(expect.span(), format!("question `{id}`: {e}"));
        }
    }

    /// A problem of the question's `set`, at the override it is about.
    fn set_problem(&mut self, i: usize, q: &Question, e: &ParamError) {
        let set = [Key("questions"), Index(i), Key("set")];
        let span = self
            .param_span(&set, e)
            .or_else(|| self.doc?.key_span(&set))
            .unwrap_or_else(|| q.id.span());
        self.at(span, format!("question `{}`: `set`: {e}", quote(&q.id)));
    }

    /// A predict or diagnose question states its outcome (`expect`), and running it must
    /// bear the claim out: the quiz never asserts what the simulator does not compute.
    fn claim(
        &mut self,
        l: &Lesson,
        q: &'a Question,
        s: &Scenario,
        set: &toml::Table,
        runnable: bool,
    ) {
        let id = quote(&q.id);
        let Some(expect) = &q.expect else {
            self.at(q.id.span(), format!("question `{id}` is a {:?} question without `expect`; expected the outcome it claims, e.g. `acked_writes_lost > 0`", q.kind));
            return;
        };
        if let Err(e) = Expect::parse(expect) {
            self.at(expect.span(), format!("question `{id}`: {e}"));
            return;
        }
        if q.kind == QuestionKind::Diagnose && (q.observer.is_none() || q.subject.is_none()) {
            self.at(q.id.span(), format!("question `{id}` is a diagnose question; expected `observer` and `subject` node names"));
            return;
        }
        if !runnable {
            return;
        }
        let Ok(sim) = Sim::from_scenario_with(s, 0, set) else {
            return; // reported above
        };
        for (field, name) in [("observer", &q.observer), ("subject", &q.subject)] {
            if let Some(n) = name
                && sim.node_id(n).is_none()
            {
                let nodes: Vec<&str> = sim.nodes().iter().map(|n| n.name.as_str()).collect();
                self.at(
                    n.span(),
                    format!(
                        "question `{id}`: `{field}` = \"{}\" is no node of scenario `{}`; nodes: {}",
                        quote(n),
                        quote(&s.id),
                        nodes.join(", ")
                    ),
                );
                return;
            }
        }
        if self.spent >= self.budget {
            self.skipped.push(q);
            return;
        }
        match lab_question::run(l, q) {
            Err(e) => {
                // The checks above leave one way to fail: the run reached EVENTS_MAX.
                self.spent += EVENTS_MAX;
                self.at(q.id.span(), format!("question `{id}`: {e}"));
            }
            Ok(run) => {
                self.spent += run.sim.events_processed();
                if !run.holds() {
                    self.at(
                        expect.span(),
                        format!(
                            "question `{id}`: the simulator does not bear this out: {}",
                            run.explain().join("; ")
                        ),
                    );
                }
            }
        }
    }

    /// One problem for the lab questions the budget left unrun, at the first of them.
    fn report_skipped(&mut self) {
        let Some(first) = self.skipped.first() else {
            return;
        };
        let ids: Vec<String> = self
            .skipped
            .iter()
            .map(|q| format!("`{}`", quote(&q.id)))
            .collect();
        let span = first.id.span();
        let message = format!(
            "question{} {} not run: the lesson's lab questions need more than {} simulated \
             events in all; shorten their runs (`until_ms`, `duration_ms`), make them send \
             fewer messages (raise `heartbeat_ms` or `write_every_ms`) or ask fewer lab questions",
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", "),
            self.budget
        );
        self.at(span, message);
    }
}

#[cfg(test)]
mod tests;
