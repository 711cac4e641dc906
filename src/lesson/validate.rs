//! Checks after parsing: what the types cannot say. Every problem carries the place in the
//! file it comes from, found through the spans that [`Text`] keeps.

use std::collections::BTreeMap;

use super::letter;
use super::load::{LineIndex, Problem};
use super::locate::Doc;
use super::model::{Concept, Lesson, QuestionKind};
use crate::sanitize::Text;

mod lab;
pub mod sweeps;

pub use lab::LAB_EVENTS_MAX;

/// Most and fewest options a question may have.
pub const OPTIONS_MIN: usize = 2;
pub const OPTIONS_MAX: usize = 6;

struct Checker<'a> {
    source: &'a str,
    lines: LineIndex,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, text: &Text, message: String) {
        self.problems.push(Problem::at_indexed(
            self.source,
            &self.lines,
            text.span(),
            message,
        ));
    }

    /// A required text must say something.
    fn filled(&mut self, text: &Text, field: &str) {
        if text.is_blank() {
            self.report(text, format!("`{field}` is empty; expected some text"));
        }
    }

    /// Each `(field, text)` of table `table` must say something.
    fn named(&mut self, table: &str, fields: &[(&str, &Text)]) {
        for (field, text) in fields {
            let name = if table.is_empty() {
                (*field).to_owned()
            } else {
                format!("{table}.{field}")
            };
            self.filled(text, &name);
        }
    }

    fn all_filled<'t>(&mut self, texts: impl IntoIterator<Item = &'t Text>, field: &str) {
        for t in texts {
            self.filled(t, field);
        }
    }

    /// A list the lesson cannot do without.
    fn non_empty<T>(&mut self, items: &[T], table: &str) {
        if items.is_empty() {
            self.problems.push(Problem::whole_file(format!(
                "the lesson has no `{table}`; expected at least one entry"
            )));
        }
    }

    /// Ids must be non-empty, simple, and unique within `kind`.
    fn unique_ids<'t>(&mut self, ids: impl IntoIterator<Item = &'t Text>, kind: &str) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids {
            self.filled(id, &format!("{kind}.id"));
            if !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                self.report(
                    id,
                    format!("{kind} id `{id}` has other characters than letters, digits, - and _"),
                );
            }
            let line = self.lines.line_of(id.span().start);
            if let Some(first) = seen.insert(id.as_str(), line) {
                self.report(
                    id,
                    format!("duplicate {kind} id `{id}` (first defined on line {first}); ids must be unique"),
                );
            }
        }
    }
}

/// Every problem in `lesson`, whose text is `source` (parsed as `doc`); empty when the
/// lesson is valid. Sorted by place.
pub fn validate(lesson: &Lesson, source: &str, doc: Option<&Doc<'_>>) -> Vec<Problem> {
    validate_with_budget(lesson, source, doc, LAB_EVENTS_MAX)
}

/// [`validate`], with `budget` simulated events for all lab questions together.
fn validate_with_budget(
    lesson: &Lesson,
    source: &str,
    doc: Option<&Doc<'_>>,
    budget: u64,
) -> Vec<Problem> {
    let mut c = Checker {
        source,
        lines: LineIndex::new(source),
        problems: Vec::new(),
    };
    check_text(&mut c, lesson);
    check_ids_and_refs(&mut c, lesson);
    check_questions(&mut c, lesson);
    sweeps::check(&mut c, lesson);
    let mut problems = c.problems;
    problems.extend(lab::check(lesson, source, doc, budget));
    problems.sort_by_key(|p| (p.line, p.column));
    problems
}

fn check_text(c: &mut Checker<'_>, l: &Lesson) {
    c.named(
        "",
        &[("id", &l.id), ("title", &l.title), ("tagline", &l.tagline)],
    );
    if let Some(a) = &l.aha {
        c.filled(&a.insight, "aha.insight");
        for (field, text) in [
            ("why_it_matters", &a.why_it_matters),
            ("concrete_anchor", &a.concrete_anchor),
            ("universal_pattern", &a.universal_pattern),
        ] {
            if let Some(t) = text {
                c.filled(t, &format!("aha.{field}"));
            }
        }
        c.all_filled(&a.recognize, "aha.recognize");
    }
    c.all_filled(
        l.misconceptions.iter().map(|m| &m.text),
        "misconceptions.text",
    );
    for e in &l.examples {
        c.named("examples", &[("label", &e.label), ("text", &e.text)]);
    }
    if let Some(w) = &l.why {
        c.filled(&w.problem, "why.problem");
        c.all_filled(&w.impact, "why.impact");
        c.all_filled(&w.before, "why.before");
        c.all_filled(&w.after, "why.after");
    }
    if let Some(o) = &l.objectives {
        c.all_filled(&o.intro, "objectives.intro");
        for o in &o.items {
            c.named(
                "objectives.items",
                &[("label", &o.label), ("text", &o.text)],
            );
        }
    }
    for k in &l.concepts {
        check_concept(c, k);
    }
    for t in &l.troubleshooting {
        c.named(
            "troubleshooting",
            &[("issue", &t.issue), ("why", &t.why), ("fix", &t.fix)],
        );
    }
    for t in &l.connections {
        let fields = [
            ("title", &t.title),
            ("parallel", &t.parallel),
            ("case", &t.case),
        ];
        c.named("connections", &fields);
    }
    let resources = l.resources.iter();
    c.all_filled(resources.clone().flat_map(|r| &r.note), "resources.note");
    for r in resources.flat_map(|r| &r.items) {
        let fields = [
            ("kind", &r.kind),
            ("title", &r.title),
            ("url", &r.url),
            ("focus", &r.focus),
        ];
        c.named("resources.items", &fields);
    }
    for k in &l.key_insights {
        c.named("key_insights", &[("title", &k.title), ("text", &k.text)]);
    }
    for s in &l.scenarios {
        c.named("scenarios", &[("title", &s.title), ("notice", &s.notice)]);
        c.all_filled(&s.notes, "scenarios.notes");
        for step in &s.steps {
            c.filled(&step.caption, "scenarios.steps.caption");
            c.all_filled(&step.notes, "scenarios.steps.notes");
        }
    }
    c.non_empty(&l.concepts, "[[concepts]]");
    c.non_empty(&l.questions, "[[questions]]");
}

fn check_concept(c: &mut Checker<'_>, k: &Concept) {
    c.filled(&k.title, "concepts.title");
    let parts = k.parts();
    for (field, text) in &parts {
        c.filled(text, &format!("concepts.{field}"));
    }
    if parts.is_empty() && k.code.is_none() {
        c.report(
            &k.title,
            format!(
                "concept `{}` has only a title; expected at least one of its parts \
                 (`intuition`, `example`, `tradeoff`, ...; see lessons/FORMAT.md)",
                k.id
            ),
        );
    }
    if let Some(code) = &k.code {
        c.named(
            "concepts.code",
            &[("language", &code.language), ("source", &code.source)],
        );
    }
    if let Some(t) = k.tradeoff.as_ref().filter(|t| t.contains("[Specify")) {
        c.report(
            t,
            "`tradeoff` is still the template placeholder; expected the real trade-off: \
             what you gain, what you pay, and why it is worth it"
                .into(),
        );
    }
}

fn check_ids_and_refs(c: &mut Checker<'_>, l: &Lesson) {
    c.unique_ids(l.concepts.iter().map(|k| &k.id), "concept");
    c.unique_ids(l.questions.iter().map(|q| &q.id), "question");
    c.unique_ids(l.scenarios.iter().map(|s| &s.id), "scenario");
    let scenario_ids: Vec<&str> = l.scenarios.iter().map(|s| s.id.as_str()).collect();
    let concept_ids: Vec<&str> = l.concepts.iter().map(|k| k.id.as_str()).collect();
    let scenario_ref = |c: &mut Checker<'_>, r: &Text, from: &str| {
        if !scenario_ids.contains(&r.as_str()) {
            c.report(
                r,
                format!(
                    "{from} refers to scenario `{r}`, which this lesson does not define; {}",
                    one_of(&scenario_ids)
                ),
            );
        }
    };
    for k in &l.concepts {
        for s in &k.scenario {
            scenario_ref(c, s, &format!("concept `{}`", k.id));
        }
    }
    for q in &l.questions {
        if let Some(s) = &q.scenario {
            scenario_ref(c, s, &format!("question `{}`", q.id));
        }
        let known =
            concept_ids.contains(&q.checks.as_str()) || l.sections().any(|(id, _)| q.checks == *id);
        if !known {
            let mut valid = concept_ids.clone();
            valid.extend(l.sections().map(|(id, _)| *id));
            c.report(
                &q.checks,
                format!(
                    "question `{}` checks `{}`, which is neither a concept nor a section of this lesson; {}",
                    q.id,
                    q.checks,
                    one_of(&valid)
                ),
            );
        }
    }
    for s in &l.scenarios {
        if !concept_ids.contains(&s.concept.as_str()) {
            c.report(
                &s.concept,
                format!(
                    "scenario `{}` illustrates concept `{}`, which this lesson does not define; {}",
                    s.id,
                    s.concept,
                    one_of(&concept_ids)
                ),
            );
        }
    }
}

fn check_questions(c: &mut Checker<'_>, l: &Lesson) {
    for q in &l.questions {
        c.all_filled([&q.text, &q.explanation], "questions");
        c.all_filled(&q.notes, "questions.notes");
        for o in &q.options {
            c.all_filled([&o.text, &o.why], "questions.options");
        }
        if q.kind == QuestionKind::Estimate {
            // The learner answers with a number: no options, and nothing keyed by hand.
            if !q.options.is_empty() {
                c.report(&q.id, format!("question `{}` is an estimate question with {} options; expected none (the learner answers with a number on the `estimate` scale)", q.id, q.options.len()));
            }
        } else {
            let n = q.options.len();
            if !(OPTIONS_MIN..=OPTIONS_MAX).contains(&n) {
                c.report(
                    &q.id,
                    format!(
                        "question `{}` has {n} option{}; expected {OPTIONS_MIN} to {OPTIONS_MAX}",
                        q.id,
                        if n == 1 { "" } else { "s" }
                    ),
                );
            }
            let right: Vec<String> = q
                .options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.correct)
                .map(|(i, _)| letter(i).to_string())
                .collect();
            if right.len() != 1 {
                let which = if right.is_empty() {
                    "none".to_owned()
                } else {
                    right.join(", ")
                };
                c.report(&q.id, format!("question `{}` has {} right options ({which}); expected exactly one option with `correct = true`", q.id, right.len()));
            }
        }
        if q.kind != QuestionKind::Estimate && q.estimate.is_some() {
            c.report(&q.id, format!("question `{}` has `estimate` but is a {:?} question; expected `kind = \"estimate\"` or no `estimate`", q.id, q.kind));
        }
        if q.kind != QuestionKind::Choice && q.scenario.is_none() {
            c.report(&q.id, format!("question `{}` is a {:?} question but names no `scenario`; expected the scenario to run", q.id, q.kind));
        }
    }
}

fn one_of(valid: &[&str]) -> String {
    if valid.is_empty() {
        "none are defined".to_owned()
    } else {
        format!("expected one of: {}", valid.join(", "))
    }
}
