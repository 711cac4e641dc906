//! The lesson file's shape: serde types that mirror `lessons/FORMAT.md` field by field.
//!
//! Every string is a [`Text`] (sanitized, with its span in the file). Structural rules the
//! type system cannot state (ids unique, one right option, references resolve) are checked
//! afterwards by [`super::validate`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::origin::Added;
use crate::sanitize::Text;
use crate::sim::Scenario;

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 3;
/// The oldest format version this build still reads (versions 2 and 3 only added fields
/// or made them optional).
pub const FORMAT_VERSION_MIN: u32 = 1;

/// A whole lesson: the text, its concepts, its quiz and its lab scenarios.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub format_version: u32,
    /// Short identifier, e.g. `day001`; keys saved progress.
    pub id: Text,
    /// Full title, e.g. "Day 001: Distributed Systems Foundations".
    pub title: Text,
    /// The opening line under the title.
    pub tagline: Text,
    // Every section below may be left out: a lesson says only what it has, and an absent
    // or empty section is not shown (no heading over nothing).
    #[serde(default)]
    pub aha: Option<Aha>,
    #[serde(default)]
    pub misconceptions: Vec<Misconception>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub why: Option<WhyItMatters>,
    #[serde(default)]
    pub objectives: Option<Objectives>,
    /// At least one (validation).
    pub concepts: Vec<Concept>,
    #[serde(default)]
    pub troubleshooting: Vec<Trouble>,
    #[serde(default)]
    pub connections: Vec<Connection>,
    #[serde(default)]
    pub resources: Option<Resources>,
    #[serde(default)]
    pub key_insights: Vec<Insight>,
    /// At least one (validation).
    pub questions: Vec<Question>,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    /// How `distlab check` runs the walkthroughs' claims.
    #[serde(default)]
    pub stories: Option<Stories>,
    /// Trade-offs as tables: `distlab sweep ID` runs one (distlab's own text).
    #[serde(default)]
    pub sweeps: Vec<Sweep>,
}

/// A sweep the lesson offers: a scenario run for every combination of some parameters'
/// values, many seeds each, with a caption saying what the table teaches and claims about
/// its rows that `distlab check` runs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    pub id: Text,
    pub title: Text,
    pub scenario: Text,
    /// `KEY=V1,V2,...` per varied parameter; the first varies slowest.
    pub vary: Vec<Text>,
    /// Seeds per row (default 200).
    #[serde(default)]
    pub trials: Option<u64>,
    pub caption: Text,
    #[serde(default)]
    pub claims: Vec<SweepClaim>,
}

/// A claim about some rows of a sweep: on every row `where` picks (all without it),
/// `expect` holds; or `rises` / `falls` names an outcome that never goes down / up from one
/// row to the next along the first varied parameter (the others fixed).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SweepClaim {
    /// `KEY=VALUE` pairs, space-separated: the rows the claim is about.
    #[serde(default, rename = "where")]
    pub rows: Option<Text>,
    #[serde(default)]
    pub expect: Option<Text>,
    #[serde(default)]
    pub rises: Option<Text>,
    #[serde(default)]
    pub falls: Option<Text>,
}

/// How strictly the walkthroughs' claims are checked.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stories {
    /// The seeds `distlab check` runs every walkthrough on, as `A-B` (default `1-100`).
    #[serde(default)]
    pub seeds: Option<Text>,
    /// The share of those seeds, in percent, on which a claim may fail (default 0).
    #[serde(default)]
    pub tolerance_percent: Option<u64>,
}

/// "Today's Aha! moment" and the framing around it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Aha {
    pub insight: Text,
    #[serde(default)]
    pub why_it_matters: Option<Text>,
    #[serde(default)]
    pub concrete_anchor: Option<Text>,
    #[serde(default)]
    pub universal_pattern: Option<Text>,
    /// "How to recognize when this applies": one sign per entry.
    #[serde(default)]
    pub recognize: Vec<Text>,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// A common belief, marked as correct or incorrect.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Misconception {
    pub text: Text,
    pub correct: bool,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// A labelled line, such as a real-world example ("Databases": "Replicas must ...").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub label: Text,
    pub text: Text,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// The "Why this matters" section: the problem, before / after, and the impact.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WhyItMatters {
    pub problem: Text,
    #[serde(default)]
    pub before: Vec<Text>,
    #[serde(default)]
    pub after: Vec<Text>,
    #[serde(default)]
    pub impact: Option<Text>,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// Learning objectives: an intro line and the objectives themselves.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Objectives {
    #[serde(default)]
    pub intro: Option<Text>,
    pub items: Vec<Example>,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// One core concept with every part the lesson gives it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// Identifier that questions and scenarios refer to, e.g. `messages`.
    pub id: Text,
    pub title: Text,
    // Each part below may be left out; at least one must be written (validation).
    #[serde(default)]
    pub intuition: Option<Text>,
    #[serde(default)]
    pub implications: Option<Text>,
    #[serde(default)]
    pub structure: Option<Text>,
    #[serde(default)]
    pub mental_model: Option<Text>,
    #[serde(default)]
    pub example: Option<Text>,
    #[serde(default)]
    pub code: Option<CodeExample>,
    #[serde(default)]
    pub ideal: Option<Text>,
    #[serde(default)]
    pub anti_pattern: Option<Text>,
    #[serde(default)]
    pub tradeoff: Option<Text>,
    /// The lab scenarios that illustrate this concept ("try it"), in the order offered:
    /// written `scenario = "id"` or `scenario = ["id", "id2"]`.
    #[serde(default, deserialize_with = "crate::sanitize::one_or_many")]
    pub scenario: Vec<Text>,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// A code example with the language it is written in and a note under it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodeExample {
    pub language: Text,
    pub source: Text,
    #[serde(default)]
    pub note: Option<Text>,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// A troubleshooting entry: the confusion, why it happens, the fix.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Trouble {
    pub issue: Text,
    pub why: Text,
    pub fix: Text,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// An advanced connection between two ideas.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub title: Text,
    pub parallel: Text,
    pub case: Text,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// Optional further reading.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    #[serde(default)]
    pub note: Option<Text>,
    pub items: Vec<Resource>,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// One article, paper or book.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// `article`, `paper`, `book`, `video`, ...
    pub kind: Text,
    pub title: Text,
    #[serde(default)]
    pub author: Option<Text>,
    pub url: Text,
    pub focus: Text,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// A key insight: a short claim and its explanation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Insight {
    pub title: Text,
    pub text: Text,
    /// The fields of this entry whose text distlab wrote; the rest is the course's.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    pub added: Added,
}

/// What a question asks the learner to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// An ordinary multiple-choice question.
    #[default]
    Choice,
    /// Predict an outcome, then run the scenario and see what the simulator computes.
    Predict,
    /// Look at one node's view of a peer and say which failure it is.
    Diagnose,
    /// Estimate a number (how many of 100 runs lose a write, a p99), then see its
    /// distribution over the runs; scored by closeness.
    Estimate,
}

/// What an `estimate` question asks for: a number computed from `runs` runs of the
/// question's scenario (seeds 1 to `runs`), and the scale the learner picks it on.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateSpec {
    /// How many runs (seeds 1 to `runs`).
    #[serde(default = "default_runs")]
    pub runs: u64,
    /// The answer is the number of runs in which this claim holds, e.g.
    /// `acked_writes_lost > 0` ...
    #[serde(default)]
    pub count: Option<Text>,
    /// ... or the median over the runs of this outcome, e.g. `p99_ack_ms`.
    #[serde(default)]
    pub median: Option<Text>,
    /// The lowest value the learner can pick.
    #[serde(default)]
    pub min: u64,
    /// The highest.
    pub max: u64,
    /// The smallest change of the guess (← and →; ↑ and ↓ change it by ten steps).
    #[serde(default = "default_step")]
    pub step: u64,
    /// A guess at most this far from the answer counts as right.
    pub close: u64,
    /// The unit after numbers: `runs`, `ms`, `false suspicions`.
    pub unit: Text,
}

/// What an estimate question measures in each run.
pub enum Measure {
    /// Count the runs in which this claim holds.
    Count(crate::sim::Expect),
    /// Take the median of this outcome.
    Median(String),
}

impl EstimateSpec {
    /// Most runs an estimate question may ask for.
    pub const RUNS_MAX: u64 = 1000;

    /// Parses what the spec measures; an error names the field.
    pub fn measure(&self) -> Result<Measure, String> {
        use crate::sim::Expect;
        match (&self.count, &self.median) {
            (Some(c), None) => Expect::parse(c)
                .map(Measure::Count)
                .map_err(|e| format!("`count`: {e}")),
            // An outcome name is a claim's left-hand side: reuse its check of the name.
            (None, Some(m)) => Expect::parse(&format!("{m} >= 0"))
                .map(|_| Measure::Median(m.to_string()))
                .map_err(|e| format!("`median`: {e}")),
            _ => Err(
                "expected exactly one of `count` (a claim, e.g. `acked_writes_lost > 0`) \
                      and `median` (an outcome, e.g. `p99_ack_ms`)"
                    .into(),
            ),
        }
    }
}

fn default_runs() -> u64 {
    100
}

fn default_step() -> u64 {
    1
}

/// One knowledge-check question.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: Text,
    /// The concept id or section id this question checks.
    pub checks: Text,
    #[serde(default)]
    pub kind: QuestionKind,
    /// True for the questions that come with the course's own text (their text, options
    /// and explanation are the course's); false for questions distlab wrote.
    #[serde(default)]
    pub from_course: bool,
    pub text: Text,
    /// The options (none for an `estimate` question, which is answered with a number).
    #[serde(default)]
    pub options: Vec<QuizOption>,
    /// Why the right answer is right.
    pub explanation: Text,
    /// For `predict` and `diagnose` questions: the scenario to run.
    #[serde(default)]
    pub scenario: Option<Text>,
    /// Parameter overrides applied to the scenario for this question.
    #[serde(default)]
    pub set: BTreeMap<String, toml::Value>,
    /// Seed of the run (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Run the scenario up to this simulated time (default: its duration).
    #[serde(default)]
    pub until_ms: Option<u64>,
    /// For `predict` and `diagnose`: the outcome the run produces, as claims like
    /// `acked_writes_lost > 0 and stale_reads == 0`. Checked against the simulator when the
    /// lesson loads, and shown with the computed numbers after the run. For `estimate`: what
    /// the explanation says of the answer, e.g. `answer >= 20 and answer <= 50`, checked by
    /// `distlab check` (the runs are too many to make at every start).
    #[serde(default)]
    pub expect: Option<Text>,
    /// For `estimate`: the number asked for and its scale.
    #[serde(default)]
    pub estimate: Option<EstimateSpec>,
    /// For `diagnose`: the node whose view the learner sees ...
    #[serde(default)]
    pub observer: Option<Text>,
    /// ... of this peer's heartbeats.
    #[serde(default)]
    pub subject: Option<Text>,
    /// For the teacher's eyes only (`distlab present`): what to listen for in the class's
    /// answers, what to say after the reveal. Never shown to learners.
    #[serde(default)]
    pub notes: Option<Text>,
}

/// One answer option.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuizOption {
    pub text: Text,
    #[serde(default)]
    pub correct: bool,
    /// Why this option is right or wrong; always distlab's (the course explains only the
    /// right answer, in the question's `explanation`).
    pub why: Text,
}

/// The sections of a lesson, in reading order; ids accepted by `distlab print --section`
/// and by a question's `checks` field.
pub const SECTIONS: &[(&str, &str)] = &[
    ("intro", "Introduction"),
    ("aha", "Today's \"Aha!\" Moment"),
    ("why", "Why This Matters"),
    ("objectives", "Learning Objectives"),
    ("concepts", "Core Concepts Explained"),
    ("troubleshooting", "Troubleshooting"),
    ("connections", "Advanced Connections"),
    ("resources", "Resources"),
    ("insights", "Key Insights"),
    ("quiz", "Knowledge Check"),
];

impl Lesson {
    /// The concept with this id.
    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    /// True when section `id` (see [`SECTIONS`]) has something to show: a section the
    /// lesson left out, or wrote empty, is not shown at all.
    pub fn has_section(&self, id: &str) -> bool {
        match id {
            "intro" => true,
            "aha" => {
                self.aha.is_some() || !self.misconceptions.is_empty() || !self.examples.is_empty()
            }
            "why" => self.why.is_some(),
            "objectives" => self
                .objectives
                .as_ref()
                .is_some_and(|o| o.intro.is_some() || !o.items.is_empty()),
            "concepts" => !self.concepts.is_empty(),
            "troubleshooting" => !self.troubleshooting.is_empty(),
            "connections" => !self.connections.is_empty(),
            "resources" => self
                .resources
                .as_ref()
                .is_some_and(|r| r.note.is_some() || !r.items.is_empty()),
            "insights" => !self.key_insights.is_empty(),
            "quiz" => !self.questions.is_empty(),
            _ => false,
        }
    }

    /// The sections this lesson shows, in reading order, with their titles.
    pub fn sections(&self) -> impl Iterator<Item = &'static (&'static str, &'static str)> + '_ {
        SECTIONS.iter().filter(|(id, _)| self.has_section(id))
    }

    /// The scenario with this id.
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// The short label for a tab bar: the part of the title before the colon.
    pub fn short_title(&self) -> &str {
        self.title.split(':').next().unwrap_or(&self.title).trim()
    }
}

impl Concept {
    /// The text parts the lesson wrote, by field name, in reading order (the code example
    /// aside).
    pub fn parts(&self) -> Vec<(&'static str, &Text)> {
        [
            ("intuition", &self.intuition),
            ("implications", &self.implications),
            ("structure", &self.structure),
            ("mental_model", &self.mental_model),
            ("example", &self.example),
            ("ideal", &self.ideal),
            ("anti_pattern", &self.anti_pattern),
            ("tradeoff", &self.tradeoff),
        ]
        .into_iter()
        .filter_map(|(f, t)| t.as_ref().map(|t| (f, t)))
        .collect()
    }
}

impl Question {
    /// A short name for the question, for lists a learner reads (`distlab progress`, the
    /// Quiz tab's weakest questions): its first words, up to about 48 characters, cut
    /// between words. Lead-ins that every lab question shares are left out.
    pub fn short_title(&self) -> String {
        const MAX: usize = 48;
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = ["Predict, then run. ", "Diagnose. ", "Estimate, then see. "]
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .unwrap_or(&text)
            .to_owned();
        if text.chars().count() <= MAX {
            return text;
        }
        let mut out = String::new();
        for w in text.split(' ') {
            if out.chars().count() + w.chars().count() + 1 > MAX {
                break;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
        let out = out.trim_end_matches([',', ';', ':', '.']).to_owned();
        format!("{out}…")
    }

    /// Index of the one right option (validation guarantees there is exactly one).
    pub fn answer(&self) -> usize {
        self.options.iter().position(|o| o.correct).unwrap_or(0)
    }
}
