//! The field tables agree with `model.rs`: a lesson with every field deserializes; without
//! any one required field serde says it is missing, without an optional one it still loads;
//! serde's list of expected fields for each table is the table's; and [`check`] reports
//! exactly the fields serde would miss.

use super::*;
use crate::lesson::Lesson;

/// A lesson that writes every field of every table once.
const FULL: &str = r#"
format_version = 1
id = "mini"
title = "Day 999: A Minimal Lesson"
tagline = "Short, but complete."

[aha]
insight = "Messages take time."
why_it_matters = "Time changes designs."
concrete_anchor = "Two friends texting."
universal_pattern = "Uncertainty -> protocols."
recognize = ["Messages, not shared memory."]
added = ["universal_pattern"]

[[misconceptions]]
text = "Networks are reliable."
correct = false
added = ["text"]

[[misconceptions]]
text = "The truth: networks fail."
correct = true

[[examples]]
label = "Chat"
text = "Messages arrive late."
added = ["text"]

[why]
problem = "Local intuitions break."
before = ["Latency ignored."]
after = ["Latency designed for."]
impact = "Everything after builds on this."
added = ["after"]

[objectives]
intro = "You will be able to:"
items = [{ label = "Explain", text = "Why messages matter.", added = ["label"] }]
added = ["intro"]

[[concepts]]
id = "messages"
title = "Messages"
intuition = "Processes exchange messages."
implications = "Messages can be lost."
structure = "Local state plus stale remote state."
mental_model = "A group chat."
example = "An order waits for payment."
ideal = "When one machine is not enough."
anti_pattern = "Remote calls as local calls."
tradeoff = "You gain independence and pay in uncertainty."
scenario = "demo"
added = ["tradeoff"]

[concepts.code]
language = "python"
source = """
def f():
    return 1
"""
note = "Easy to write."
added = ["note"]

[[troubleshooting]]
issue = "More machines."
why = "Scaling is visible."
fix = "Coherence is the hard part."
added = ["why", "fix"]

[[connections]]
title = "A ↔ B"
parallel = "Both coordinate."
case = "A case."
added = ["case"]

[resources]
note = "Optional."
added = ["note"]

[[resources.items]]
kind = "article"
title = "Notes"
author = "Someone"
url = "https://example.com/notes"
focus = "Latency."
added = ["focus"]

[[key_insights]]
title = "Coordination"
text = "It is the hard part."
added = ["title", "text"]

[[questions]]
id = "q1"
checks = "messages"
text = "What is hard?"
explanation = "Coordination under uncertainty."
kind = "predict"
from_course = true
scenario = "demo"
set = { drop = 0.1 }
seed = 3
until_ms = 5000
expect = "writes_issued > 0"
observer = "n1"
subject = "n2"
estimate = { runs = 10, count = "writes_issued > 0", median = "p99_ack_ms", min = 0, max = 10, step = 1, close = 1, unit = "runs" }
notes = "Listen for the word coordination."

[[questions.options]]
text = "Computation."
correct = false
why = "Computation is local and easy."

[[questions.options]]
text = "Coordination."
correct = true
why = "Messages take time and fail."
[[scenarios]]
id = "demo"
title = "A demo"
concept = "messages"
notice = "Watch the messages."
params = { mode = "sync" }
expect = "acked_writes_lost == 0"
notes = "For the teacher."

[[scenarios.events]]
at_ms = 1000
command = "crash n1"

[[scenarios.steps]]
at_ms = 500
until = "crash"
commands = ["heal"]
caption = "Look."
expect = "failovers == 0"
notes = "Point at n1."

[stories]
seeds = "1-10"
tolerance_percent = 0

[[sweeps]]
id = "w"
title = "W"
scenario = "s"
vary = ["drop=0,0.5"]
trials = 10
caption = "C"
[[sweeps.claims]]
where = "drop=0"
expect = "loss_seeds == 0"
rises = "loss_seeds"
falls = "availability"
"#;

#[derive(Debug, Clone)]
enum P {
    K(&'static str),
    I(usize),
}

/// Each table of the schema with its path in [`FULL`] (the first entry of each list).
fn tables(fields: &'static [Field], path: Vec<P>, out: &mut Vec<(Vec<P>, &'static [Field])>) {
    out.push((path.clone(), fields));
    for f in fields {
        let mut sub = path.clone();
        sub.push(P::K(f.name));
        match f.ty {
            Ty::Table(t) => tables(t, sub, out),
            Ty::Tables(t) => {
                sub.push(P::I(0));
                tables(t, sub, out);
            }
            _ => {}
        }
    }
}

fn at<'v>(mut v: &'v mut toml::Value, path: &[P]) -> &'v mut toml::Table {
    for p in path {
        v = match p {
            P::K(k) => v.get_mut(*k).unwrap_or_else(|| panic!("FULL lacks {k}")),
            P::I(i) => v.get_mut(*i).unwrap(),
        };
    }
    v.as_table_mut().unwrap()
}

/// `FULL` changed by `edit` at `path`, as text.
fn edited(path: &[P], edit: impl FnOnce(&mut toml::Table)) -> String {
    let mut v: toml::Value = toml::from_str(FULL).unwrap();
    edit(at(&mut v, path));
    toml::to_string(&v).unwrap()
}

fn serde_error(text: &str) -> Option<String> {
    toml::from_str::<Lesson>(text).err().map(|e| e.to_string())
}

fn walker_messages(text: &str) -> Vec<String> {
    let doc = Doc::parse(text).unwrap();
    check(text, &doc).into_iter().map(|p| p.message).collect()
}

fn all_tables() -> Vec<(Vec<P>, &'static [Field])> {
    let mut out = Vec::new();
    tables(LESSON, Vec::new(), &mut out);
    out
}

#[test]
fn the_full_lesson_has_every_field_and_loads() {
    assert_eq!(serde_error(FULL), None);
    assert!(walker_messages(FULL).is_empty());
    for (path, fields) in all_tables() {
        let mut v: toml::Value = toml::from_str(FULL).unwrap();
        let t = at(&mut v, &path);
        for f in fields {
            assert!(t.contains_key(f.name), "FULL lacks {path:?}.{}", f.name);
        }
    }
}

#[test]
fn required_fields_are_the_ones_serde_requires() {
    for (path, fields) in all_tables() {
        for f in fields {
            let text = edited(&path, |t| {
                t.remove(f.name);
            });
            let missing = format!("missing field `{}`", f.name);
            let serde = serde_error(&text);
            let walker = walker_messages(&text);
            if f.required {
                let e = serde.unwrap_or_else(|| {
                    panic!("{path:?}.{} is required in the schema only", f.name)
                });
                assert!(e.contains(&missing), "{path:?}.{}: {e}", f.name);
                assert!(
                    walker.len() == 1 && walker[0].contains(&missing),
                    "{path:?}.{}: {walker:?}",
                    f.name
                );
            } else {
                assert_eq!(
                    serde, None,
                    "{path:?}.{} is optional in the schema only",
                    f.name
                );
                assert!(walker.is_empty(), "{path:?}.{}: {walker:?}", f.name);
            }
        }
    }
}

#[test]
fn each_table_lists_the_fields_serde_knows() {
    for (path, fields) in all_tables() {
        let text = edited(&path, |t| {
            t.insert("zz_unknown".into(), toml::Value::Integer(1));
        });
        let e = serde_error(&text).unwrap_or_else(|| panic!("{path:?} accepts unknown fields"));
        // "expected `a` or `b`", "expected one of `a`, `b`, `c`": the names in backticks.
        let list = e
            .split("unknown field `zz_unknown`, expected ")
            .nth(1)
            .unwrap_or_else(|| panic!("{path:?}: {e}"));
        let list = list.lines().next().unwrap_or_default();
        let mut serde_names: Vec<&str> = list.split('`').skip(1).step_by(2).collect();
        serde_names.sort_unstable();
        let mut ours: Vec<&str> = fields.iter().map(|f| f.name).collect();
        ours.sort_unstable();
        assert_eq!(serde_names, ours, "{path:?}");
        let walker = walker_messages(&text);
        assert!(
            walker.len() == 1 && walker[0].contains("unknown field `zz_unknown`"),
            "{path:?}: {walker:?}"
        );
    }
}

#[test]
fn the_builtin_lesson_has_the_schema_shape() {
    let src = crate::lesson::load::BUILTIN_SOURCE;
    assert!(walker_messages(src).is_empty());
}

#[test]
fn every_missing_field_and_wrong_type_is_reported_with_its_entry() {
    let text = FULL
        .replace("explanation = \"Coordination under uncertainty.\"\n", "")
        .replace("why = \"Messages take time and fail.\"\n", "")
        .replace("seed = 3", "seed = \"three\"")
        .replace("kind = \"predict\"", "kind = \"guess\"")
        .replace("at_ms = 1000", "at_ms = -1");
    let mut got = walker_messages(&text);
    got.sort();
    let q = "questions[0] (id \"q1\")";
    assert_eq!(
        got,
        [
            format!("{q}.options[1]: missing field `why`"),
            format!("{q}: `kind` = \"guess\" is not one of the choices; expected one of choice, predict, diagnose, estimate"),
            format!("{q}: `seed` is a string; expected an integer 0..=9223372036854775807"),
            format!("{q}: missing field `explanation`"),
            "scenarios[0] (id \"demo\").events[0]: `at_ms` = -1: out of range; expected an integer 0..=86400000".to_owned(),
        ]
    );
}

#[test]
fn added_names_only_text_fields_of_its_own_entry() {
    let text = FULL
        .replace(
            "added = [\"tradeoff\"]",
            "added = [\"tradeof\", \"id\", \"scenario\", 3, \"tradeoff\"]",
        )
        .replace("added = [\"case\"]", "added = \"case\"");
    let mut got = walker_messages(&text);
    got.sort();
    let concept_fields = "`title`, `intuition`, `implications`, `structure`, `mental_model`, \
                          `example`, `ideal`, `anti_pattern`, `tradeoff`";
    let c = "concepts[0] (id \"messages\")";
    assert_eq!(
        got,
        [
            format!("{c}: `added[3]` is an integer; expected a field name in quotes"),
            format!("{c}: `added` names `id`, which is not a text field of this entry; expected one of {concept_fields}"),
            format!("{c}: `added` names `scenario`, which is not a text field of this entry; expected one of {concept_fields}"),
            format!("{c}: `added` names `tradeof`, which is not a text field of this entry; expected one of {concept_fields}"),
            "connections[0] (title \"A ↔ B\"): `added` is a string; expected a list of this entry's field names, e.g. [\"tradeoff\"]".to_owned(),
        ]
    );
    // Each table accepts the names of its own text fields, and nothing else's.
    for (path, fields) in all_tables() {
        if !fields.iter().any(|f| f.name == "added") {
            continue;
        }
        for f in fields
            .iter()
            .filter(|f| matches!(f.ty, Ty::Text | Ty::Texts))
        {
            let name = f.name;
            let text = edited(&path, |t| {
                t.insert("added".into(), toml::Value::Array(vec![name.into()]));
            });
            let ok = !added::NOT_TEXT.contains(&name);
            assert_eq!(
                walker_messages(&text).is_empty(),
                ok,
                "{path:?} added {name}"
            );
            assert_eq!(serde_error(&text), None, "{path:?} added {name}");
        }
    }
}
