//! The lesson as a document: a flat list of [`Block`]s in reading order, independent of how
//! it is shown. `plain` prints it as text; the TUI styles and wraps it. One traversal of the
//! lesson, two renderers, so the printed and the on-screen lesson never drift apart.
//!
//! Each block says whose words it holds ([`Origin`]); both renderers put [`MARK`] in the
//! margin of every line distlab added, so the course's own text reads unmarked.

pub use crate::lesson::Origin;
pub use crate::lesson::letter;
use crate::lesson::{Concept, Lesson, Question, SECTIONS};

/// The margin mark of text distlab added (a symbol, so it survives without colour).
pub const MARK: &str = "┊";

/// What the mark means, in one line.
pub const LEGEND: &str = "Text marked ┊ was added by distlab; the rest is the course's.";

/// How a list item reads: neutral, or marked right / wrong (always with a symbol too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Right,
    Wrong,
}

/// One piece of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1: the lesson title; 2: a section; 3: a concept or connection. `anchor` is the
    /// section id (for level 2) or concept id (level 3) that starts here.
    Heading {
        level: u8,
        text: String,
        anchor: Option<String>,
    },
    /// A paragraph, with an optional lead-in label ("Intuition: ").
    Para { label: String, text: String },
    /// A short line introducing a list ("Before:").
    Label(String),
    /// A list item: `mark` then text, indented; continuation lines align under the text.
    Item {
        mark: String,
        text: String,
        indent: usize,
        tone: Tone,
    },
    /// Explanatory text under an item, indented further.
    Note { text: String, indent: usize },
    /// Code, line by line, never wrapped.
    Code {
        language: String,
        lines: Vec<String>,
    },
    /// A link, never wrapped so it stays copyable.
    Link { url: String, indent: usize },
}

/// A block and whose words it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub block: Block,
    pub origin: Origin,
}

impl Piece {
    /// True for text distlab added.
    pub fn is_added(&self) -> bool {
        self.origin == Origin::Distlab
    }
}

/// The whole lesson, or one section / concept, as blocks.
pub fn blocks(lesson: &Lesson, section: Option<&str>, answers: bool) -> Vec<Piece> {
    let mut d = Doc(Vec::new());
    match section {
        None => SECTIONS
            .iter()
            .for_each(|(id, _)| d.section(lesson, id, answers)),
        Some(id) => match lesson.concepts.iter().position(|c| c.id == id) {
            Some(n) => d.concept(n + 1, &lesson.concepts[n]),
            None => d.section(lesson, id, answers),
        },
    }
    d.0
}

struct Doc(Vec<Piece>);

use Origin::{Course, Distlab};

impl Doc {
    fn push(&mut self, block: Block, origin: Origin) {
        self.0.push(Piece { block, origin });
    }

    fn heading(&mut self, level: u8, text: impl Into<String>, anchor: &str, origin: Origin) {
        let anchor = Some(anchor.to_owned()).filter(|a| !a.is_empty());
        let text = text.into();
        self.push(
            Block::Heading {
                level,
                text,
                anchor,
            },
            origin,
        );
    }

    fn para(&mut self, label: &str, text: &str, origin: Origin) {
        let (label, text) = (label.to_owned(), text.to_owned());
        self.push(Block::Para { label, text }, origin);
    }

    fn label(&mut self, text: &str) {
        self.push(Block::Label(text.to_owned()), Course);
    }

    fn item(&mut self, mark: impl Into<String>, text: &str, tone: Tone, origin: Origin) {
        let (mark, text) = (mark.into(), text.to_owned());
        let block = Block::Item {
            mark,
            text,
            indent: 2,
            tone,
        };
        self.push(block, origin);
    }

    /// A paragraph, if the lesson wrote it.
    fn para_if(&mut self, label: &str, text: Option<&crate::lesson::Text>, origin: Origin) {
        if let Some(t) = text {
            self.para(label, t, origin);
        }
    }

    /// A titled list; nothing at all when the list is empty.
    fn list<'t>(&mut self, title: &str, items: impl IntoIterator<Item = &'t str>, o: Origin) {
        let mut items = items.into_iter().peekable();
        if items.peek().is_none() {
            return;
        }
        self.label(title);
        items.for_each(|t| self.item("- ", t, Tone::Plain, o));
    }

    fn section(&mut self, l: &Lesson, id: &str, answers: bool) {
        if !l.has_section(id) {
            return;
        }
        let title = SECTIONS
            .iter()
            .find(|(s, _)| *s == id)
            .map_or(id, |(_, t)| t);
        if id == "intro" {
            self.heading(1, l.title.as_str(), id, Course);
            self.para("", &l.tagline, Course);
            return;
        }
        self.heading(2, title, id, Course);
        match id {
            "aha" => self.aha(l),
            "why" => {
                let Some(w) = &l.why else { return };
                let o = |f| w.added.origin(f);
                self.para("The problem: ", &w.problem, o("problem"));
                self.list("Before:", w.before.iter().map(|t| t.as_str()), o("before"));
                self.list("After:", w.after.iter().map(|t| t.as_str()), o("after"));
                self.para_if("Real-world impact: ", w.impact.as_ref(), o("impact"));
            }
            "objectives" => {
                let Some(o) = &l.objectives else { return };
                self.para_if("", o.intro.as_ref(), o.added.origin("intro"));
                for i in &o.items {
                    let text = format!("{}: {}", i.label, i.text);
                    self.item("- ", &text, Tone::Plain, i.added.any(&["label", "text"]));
                }
            }
            "concepts" => l
                .concepts
                .iter()
                .enumerate()
                .for_each(|(i, c)| self.concept(i + 1, c)),
            "troubleshooting" => {
                for t in &l.troubleshooting {
                    let o = |f| t.added.origin(f);
                    self.para("Issue: ", &t.issue, o("issue"));
                    self.para("Why it happens: ", &t.why, o("why"));
                    self.para("Clarification / fix: ", &t.fix, o("fix"));
                }
            }
            "connections" => {
                for (i, c) in l.connections.iter().enumerate() {
                    let o = |f| c.added.origin(f);
                    let title = format!("Connection {}: {}", i + 1, c.title);
                    self.heading(3, title, "", o("title"));
                    self.para("The parallel: ", &c.parallel, o("parallel"));
                    self.para("Real-world case: ", &c.case, o("case"));
                }
            }
            "resources" => self.resources(l),
            "insights" => {
                for k in &l.key_insights {
                    let text = format!("{}: {}", k.title, k.text);
                    self.item("- ", &text, Tone::Plain, k.added.any(&["title", "text"]));
                }
            }
            "quiz" => {
                let n = l.questions.len();
                for (i, q) in l.questions.iter().enumerate() {
                    self.question(l, i + 1, n, q, answers);
                }
            }
            _ => {}
        }
    }

    fn aha(&mut self, l: &Lesson) {
        if let Some(a) = &l.aha {
            let o = |f| a.added.origin(f);
            self.para("The insight: ", &a.insight, o("insight"));
            let parts = [
                ("Why this matters: ", &a.why_it_matters, "why_it_matters"),
                ("Concrete anchor: ", &a.concrete_anchor, "concrete_anchor"),
                (
                    "The universal pattern: ",
                    &a.universal_pattern,
                    "universal_pattern",
                ),
            ];
            for (label, text, field) in parts {
                self.para_if(label, text.as_ref(), o(field));
            }
            self.list(
                "How to recognize when this applies:",
                a.recognize.iter().map(|t| t.as_str()),
                o("recognize"),
            );
        }
        if !l.misconceptions.is_empty() {
            self.label("Common misconceptions:");
        }
        for m in &l.misconceptions {
            let (mark, tone) = if m.correct {
                ("✓ Correct: ", Tone::Right)
            } else {
                ("✗ Incorrect: ", Tone::Wrong)
            };
            self.item(mark, &m.text, tone, m.added.origin("text"));
        }
        if !l.examples.is_empty() {
            self.label("Real-world examples:");
        }
        for e in &l.examples {
            let text = format!("{}: {}", e.label, e.text);
            self.item("- ", &text, Tone::Plain, e.added.any(&["label", "text"]));
        }
    }

    fn resources(&mut self, l: &Lesson) {
        let Some(res) = &l.resources else { return };
        self.para_if("", res.note.as_ref(), res.added.origin("note"));
        for r in &res.items {
            let o = |f| r.added.origin(f);
            let by = r
                .author
                .as_ref()
                .map(|a| format!(" - {a}"))
                .unwrap_or_default();
            let title = format!("[{}] {}{by}", r.kind.to_uppercase(), r.title);
            self.item(
                "- ",
                &title,
                Tone::Plain,
                r.added.any(&["kind", "title", "author"]),
            );
            let url = r.url.to_string();
            self.push(Block::Link { url, indent: 4 }, o("url"));
            let text = format!("Focus: {}", r.focus);
            self.push(Block::Note { text, indent: 4 }, o("focus"));
        }
    }

    fn concept(&mut self, n: usize, c: &Concept) {
        let o = |f| c.added.origin(f);
        let title = format!("Concept {n}: {}", c.title);
        self.heading(3, title, &c.id, o("title"));
        let how = "Technical structure (how it works): ";
        let parts = [
            ("Intuition: ", &c.intuition, "intuition"),
            ("Practical implications: ", &c.implications, "implications"),
            (how, &c.structure, "structure"),
            ("Mental model: ", &c.mental_model, "mental_model"),
            ("Concrete example: ", &c.example, "example"),
        ];
        for (label, text, field) in parts {
            self.para_if(label, text.as_ref(), o(field));
        }
        if let Some(code) = &c.code {
            let lines = code.source.trim_end().lines().map(str::to_owned).collect();
            let language = code.language.to_string();
            let shown = code.added.any(&["language", "source"]);
            self.push(Block::Code { language, lines }, shown);
            if let Some(note) = &code.note {
                self.para("Note: ", note, code.added.origin("note"));
            }
        }
        if c.ideal.is_some() || c.anti_pattern.is_some() {
            self.label("When to use it:");
        }
        for (mark, text, field) in [
            ("Ideal: ", &c.ideal, "ideal"),
            ("Anti-pattern: ", &c.anti_pattern, "anti_pattern"),
        ] {
            if let Some(t) = text {
                self.item(mark, t, Tone::Plain, o(field));
            }
        }
        self.para_if(
            "Fundamental trade-off: ",
            c.tradeoff.as_ref(),
            o("tradeoff"),
        );
    }

    fn question(&mut self, l: &Lesson, k: usize, n: usize, q: &Question, answers: bool) {
        let o = q.origin();
        self.para("", &format!("Question {k}/{n}: {}", q.text), o);
        for (i, opt) in q.options.iter().enumerate() {
            let (mark, tone) = match (answers, opt.correct) {
                (false, _) => ("", Tone::Plain),
                (true, true) => ("✓ ", Tone::Right),
                (true, false) => ("✗ ", Tone::Wrong),
            };
            let mark = format!("{mark}{}) ", letter(i));
            let pad = 2 + mark.chars().count();
            self.item(mark, &opt.text, tone, o);
            if answers {
                // The course explains only the right answer; every option's why is ours.
                let text = opt.why.to_string();
                self.push(Block::Note { text, indent: pad }, Distlab);
            }
        }
        if let Some(e) = &q.estimate {
            let scale = format!(
                "Estimate: a whole number of {} from {} to {}; within {} counts as right.",
                e.unit, e.min, e.max, e.close
            );
            self.push(
                Block::Note {
                    text: scale,
                    indent: 2,
                },
                Distlab,
            );
            if answers {
                // The answer key is computed, like the quiz's: the same runs.
                let label = match crate::quiz::estimate::compute(l, q) {
                    Ok(r) => format!(
                        "Answer: {}, computed from {} runs (seeds 1 to {}). ",
                        crate::quiz::estimate::with_unit(r.answer, &e.unit),
                        e.runs,
                        e.runs
                    ),
                    Err(err) => format!("Answer: cannot be computed ({err}). "),
                };
                self.para(&label, &q.explanation, o);
            }
            return;
        }
        if answers {
            let label = format!("Answer: {}. ", letter(q.answer()));
            self.para(&label, &q.explanation, o);
        }
    }
}
