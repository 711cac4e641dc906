//! The shape of a lesson file, field by field, as data: which fields each table has, which
//! are required and what type each holds. [`check`] walks the spanned document against it
//! before serde does, so one run reports every missing field, unknown field and wrong type,
//! each naming its entry (`questions[3] (id "q4"): missing field `explanation``); serde
//! stops at the first. A unit test keeps these tables in step with `model.rs`.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::load::{LineIndex, Problem};
use super::locate::{Doc, entry_label};
use crate::sanitize::quote;
use crate::sim::{AT_MS_MAX, Params};

/// What a field holds.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A string.
    Text,
    Bool,
    /// A whole number from 0 to the given bound (the documented one, stated in messages;
    /// the bound itself is checked after loading, where it has a clearer message).
    Int(u64),
    /// A list of strings.
    Texts,
    /// A string, or a list of strings.
    TextOrTexts,
    /// A string from this list.
    Word(&'static [&'static str]),
    /// One table with these fields.
    Table(&'static [Field]),
    /// A list of tables with these fields.
    Tables(&'static [Field]),
    /// A table of scenario parameters (checked by [`Params`] after loading).
    Params,
    /// A list of names of the table's own text fields (`added = ["tradeoff"]`).
    Added,
}

/// One field of a table.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
}

const fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: false,
    }
}

use Ty::{Bool, Int, Table, Tables, Text, Texts, Word};

/// `added`: which of the entry's text fields distlab wrote (see `lesson::Origin`). Every
/// table of the reading part has it; questions say `from_course` instead, and scenarios are
/// always distlab's.
const ADDED: Field = opt("added", Ty::Added);

/// The largest integer a TOML file can hold.
const TOML_INT_MAX: u64 = i64::MAX as u64;

pub const LESSON: &[Field] = &[
    req("format_version", Int(u32::MAX as u64)),
    req("id", Text),
    req("title", Text),
    req("tagline", Text),
    opt("aha", Table(AHA)),
    opt("misconceptions", Tables(MISCONCEPTION)),
    opt("examples", Tables(LABELLED)),
    opt("why", Table(WHY)),
    opt("objectives", Table(OBJECTIVES)),
    req("concepts", Tables(CONCEPT)),
    opt("troubleshooting", Tables(TROUBLE)),
    opt("connections", Tables(CONNECTION)),
    opt("resources", Table(RESOURCES)),
    opt("key_insights", Tables(INSIGHT)),
    req("questions", Tables(QUESTION)),
    opt("scenarios", Tables(SCENARIO)),
    opt("stories", Table(STORIES)),
    opt("sweeps", Tables(SWEEP)),
];
pub const SWEEP: &[Field] = &[
    req("id", Text),
    req("title", Text),
    req("scenario", Text),
    req("vary", Texts),
    opt("trials", Int(TRIALS_PER_SWEEP_ROW_MAX)),
    req("caption", Text),
    opt("claims", Tables(SWEEP_CLAIM)),
];
pub const SWEEP_CLAIM: &[Field] = &[
    opt("where", Text),
    opt("expect", Text),
    opt("rises", Text),
    opt("falls", Text),
];
/// Most seeds per row a lesson's sweep may ask for (`distlab check` runs them all).
pub const TRIALS_PER_SWEEP_ROW_MAX: u64 = 2000;
pub const STORIES: &[Field] = &[opt("seeds", Text), opt("tolerance_percent", Int(100))];
pub const AHA: &[Field] = &[
    req("insight", Text),
    opt("why_it_matters", Text),
    opt("concrete_anchor", Text),
    opt("universal_pattern", Text),
    opt("recognize", Texts),
    ADDED,
];
pub const MISCONCEPTION: &[Field] = &[req("text", Text), req("correct", Bool), ADDED];
pub const LABELLED: &[Field] = &[req("label", Text), req("text", Text), ADDED];
pub const WHY: &[Field] = &[
    req("problem", Text),
    opt("before", Texts),
    opt("after", Texts),
    opt("impact", Text),
    ADDED,
];
pub const OBJECTIVES: &[Field] = &[opt("intro", Text), req("items", Tables(LABELLED)), ADDED];
pub const CONCEPT: &[Field] = &[
    req("id", Text),
    req("title", Text),
    opt("intuition", Text),
    opt("implications", Text),
    opt("structure", Text),
    opt("mental_model", Text),
    opt("example", Text),
    opt("code", Table(CODE)),
    opt("ideal", Text),
    opt("anti_pattern", Text),
    opt("tradeoff", Text),
    opt("scenario", Ty::TextOrTexts),
    ADDED,
];
pub const CODE: &[Field] = &[
    req("language", Text),
    req("source", Text),
    opt("note", Text),
    ADDED,
];
pub const TROUBLE: &[Field] = &[
    req("issue", Text),
    req("why", Text),
    req("fix", Text),
    ADDED,
];
pub const CONNECTION: &[Field] = &[
    req("title", Text),
    req("parallel", Text),
    req("case", Text),
    ADDED,
];
pub const RESOURCES: &[Field] = &[opt("note", Text), req("items", Tables(RESOURCE)), ADDED];
pub const RESOURCE: &[Field] = &[
    req("kind", Text),
    req("title", Text),
    opt("author", Text),
    req("url", Text),
    req("focus", Text),
    ADDED,
];
pub const INSIGHT: &[Field] = &[req("title", Text), req("text", Text), ADDED];
pub const QUESTION: &[Field] = &[
    req("id", Text),
    req("checks", Text),
    opt("kind", Word(&["choice", "predict", "diagnose", "estimate"])),
    opt("from_course", Bool),
    req("text", Text),
    opt("options", Tables(OPTION)),
    req("explanation", Text),
    opt("scenario", Text),
    opt("set", Ty::Params),
    opt("seed", Int(TOML_INT_MAX)),
    opt("until_ms", Int(AT_MS_MAX)),
    opt("expect", Text),
    opt("estimate", Table(ESTIMATE)),
    opt("observer", Text),
    opt("subject", Text),
    opt("notes", Text),
];
pub const ESTIMATE: &[Field] = &[
    opt("runs", Int(super::EstimateSpec::RUNS_MAX)),
    opt("count", Text),
    opt("median", Text),
    opt("min", Int(TOML_INT_MAX)),
    req("max", Int(TOML_INT_MAX)),
    opt("step", Int(TOML_INT_MAX)),
    req("close", Int(TOML_INT_MAX)),
    req("unit", Text),
];
pub const OPTION: &[Field] = &[req("text", Text), opt("correct", Bool), req("why", Text)];
pub const SCENARIO: &[Field] = &[
    req("id", Text),
    req("title", Text),
    req("concept", Text),
    req("notice", Text),
    opt("params", Ty::Params),
    opt("events", Tables(EVENT)),
    opt("steps", Tables(STEP)),
    opt("expect", Text),
    opt("notes", Text),
];
pub const EVENT: &[Field] = &[req("at_ms", Int(AT_MS_MAX)), req("command", Text)];
pub const STEP: &[Field] = &[
    opt("at_ms", Int(AT_MS_MAX)),
    opt("until", Text),
    opt("commands", Texts),
    req("caption", Text),
    opt("expect", Text),
    opt("notes", Text),
];

/// Every problem of shape in the document: missing required fields, unknown fields and
/// values of the wrong type, each at its place, in no particular order.
pub fn check(source: &str, doc: &Doc<'_>) -> Vec<Problem> {
    let mut w = Walker {
        source,
        lines: LineIndex::new(source),
        problems: Vec::new(),
    };
    if let DeValue::Table(t) = doc.root().get_ref() {
        w.table(t, 0..0, LESSON, "");
    }
    w.problems
}

struct Walker<'s> {
    source: &'s str,
    lines: LineIndex,
    problems: Vec<Problem>,
}

impl Walker<'_> {
    fn report(&mut self, span: Range<usize>, place: &str, message: String) {
        let message = if place.is_empty() {
            message
        } else {
            format!("{place}: {message}")
        };
        self.problems
            .push(Problem::at_indexed(self.source, &self.lines, span, message));
    }

    /// Checks table `t` (written at `span`) named `place` against `fields`.
    fn table(&mut self, t: &DeTable<'_>, span: Range<usize>, fields: &[Field], place: &str) {
        for f in fields.iter().filter(|f| f.required) {
            if t.get(f.name).is_some() {
                continue;
            }
            if place.is_empty() {
                self.problems.push(Problem::whole_file(format!(
                    "missing field `{}` at the top level of the file; see lessons/FORMAT.md",
                    f.name
                )));
            } else {
                // An implicit table (only its sub-tables written) has no place of its own.
                let at = if span.is_empty() {
                    t.iter().next().map_or(span.clone(), |(k, _)| k.span())
                } else {
                    span.clone()
                };
                self.report(at, place, format!("missing field `{}`", f.name));
            }
        }
        for (key, value) in t.iter() {
            let name = key.get_ref().as_ref();
            match fields.iter().find(|f| f.name == name) {
                Some(f) if matches!(f.ty, Ty::Added) => self.added(value, fields, place),
                Some(f) => self.value(value, f, place),
                None => {
                    let expected: Vec<String> =
                        fields.iter().map(|f| format!("`{}`", f.name)).collect();
                    let at = if place.is_empty() {
                        " at the top level"
                    } else {
                        ""
                    };
                    self.report(
                        key.span(),
                        place,
                        format!(
                            "unknown field `{}`{at}; expected one of {}",
                            quote(name),
                            expected.join(", ")
                        ),
                    );
                }
            }
        }
    }

    /// Checks the value of field `f` of the table named `place`.
    fn value(&mut self, v: &Spanned<DeValue<'_>>, f: &Field, place: &str) {
        let inner = join(place, f.name);
        let ok = match (f.ty, v.get_ref()) {
            (Text, DeValue::String(_)) | (Bool, DeValue::Boolean(_)) => true,
            (Int(max), DeValue::Integer(i)) => {
                let n = i128::from_str_radix(i.as_str(), i.radix()).ok();
                if !n.is_some_and(|n| (0..=TOML_INT_MAX as i128).contains(&n)) {
                    self.report(
                        v.span(),
                        place,
                        format!(
                            "`{}` = {}: out of range; expected an integer 0..={max}",
                            f.name,
                            quote(&i.to_string())
                        ),
                    );
                }
                true
            }
            (Word(words), DeValue::String(s)) => {
                if !words.contains(&s.as_ref()) {
                    self.report(
                        v.span(),
                        place,
                        format!(
                            "`{}` = \"{}\" is not one of the choices; expected one of {}",
                            f.name,
                            quote(s),
                            words.join(", ")
                        ),
                    );
                }
                true
            }
            (Ty::TextOrTexts, DeValue::String(_)) => true,
            (Texts | Ty::TextOrTexts, DeValue::Array(a)) => {
                for (i, item) in a.iter().enumerate() {
                    if !item.get_ref().is_str() {
                        let what = format!("{}[{i}]", f.name);
                        self.wrong_type(item, &what, "text (a string in quotes)", place);
                    }
                }
                true
            }
            (Table(fields), DeValue::Table(t)) => {
                self.table(t, v.span(), fields, &inner);
                true
            }
            (Tables(fields), DeValue::Array(a)) => {
                for (i, entry) in a.iter().enumerate() {
                    match entry.get_ref() {
                        DeValue::Table(t) => {
                            let name = format!("{inner}{}", entry_label(i, entry));
                            self.table(t, entry.span(), fields, &name);
                        }
                        _ => {
                            let what = format!("{}[{i}]", f.name);
                            self.wrong_type(entry, &what, "a table", place);
                        }
                    }
                }
                true
            }
            (Ty::Params, DeValue::Table(t)) => {
                self.params(t, &inner);
                true
            }
            _ => false,
        };
        if !ok {
            self.wrong_type(v, f.name, &expected(f.ty), place);
        }
    }

    fn wrong_type(&mut self, v: &Spanned<DeValue<'_>>, what: &str, expected: &str, place: &str) {
        let ty = v.get_ref().type_str();
        let article = if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        self.report(
            v.span(),
            place,
            format!("`{what}` is {article} {ty}; expected {expected}"),
        );
    }

    /// Parameter values are checked after loading; here only what TOML cannot hold for
    /// serde, a whole number too large for 64 bits, which [`Params`] calls out of range.
    fn params(&mut self, t: &DeTable<'_>, place: &str) {
        for (key, value) in t.iter() {
            let DeValue::Integer(i) = value.get_ref() else {
                continue;
            };
            if i64::from_str_radix(i.as_str(), i.radix()).is_ok() {
                continue;
            }
            let text = i128::from_str_radix(i.as_str(), i.radix())
                .map_or_else(|_| i.as_str().to_owned(), |n| n.to_string());
            if let Err(e) = Params::default().set(key.get_ref(), &text) {
                let at = match e {
                    crate::sim::ParamError::UnknownKey { .. } => key.span(),
                    _ => value.span(),
                };
                self.report(at, place, e.to_string());
            }
        }
    }
}

fn join(place: &str, name: &str) -> String {
    if place.is_empty() {
        name.to_owned()
    } else {
        format!("{place}.{name}")
    }
}

fn expected(ty: Ty) -> String {
    match ty {
        Text => "text (a string in quotes)".into(),
        Bool => "true or false".into(),
        Int(max) => format!("an integer 0..={max}"),
        Texts => "a list of text, e.g. [\"first\", \"second\"]".into(),
        Ty::TextOrTexts => "text or a list of text, e.g. \"one\" or [\"one\", \"two\"]".into(),
        Word(words) => format!("one of {}", words.join(", ")),
        Table(_) => "a table".into(),
        Tables(_) => "a list of tables ([[...]] entries)".into(),
        Ty::Params => "a table of parameters, e.g. { drop = 0.2 }".into(),
        Ty::Added => "a list of this entry's field names, e.g. [\"tradeoff\"]".into(),
    }
}

mod added;
#[cfg(test)]
mod tests;
