//! The lesson as a document: a flat list of [`Block`]s in reading order, independent of how
//! it is shown. `plain` prints it as text; the TUI styles and wraps it. One traversal of the
//! lesson, two renderers, so the printed and the on-screen lesson never drift apart.

use crate::lesson::{Concept, Lesson, Question, SECTIONS};

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

/// The letter that names option `index` (0 → `a`). Past `z` the letters repeat the last.
pub fn letter(index: usize) -> char {
    char::from(b'a' + u8::try_from(index.min(25)).unwrap_or(25))
}

/// The whole lesson, or one section / concept, as blocks.
pub fn blocks(lesson: &Lesson, section: Option<&str>, answers: bool) -> Vec<Block> {
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

struct Doc(Vec<Block>);

impl Doc {
    fn heading(&mut self, level: u8, text: impl Into<String>, anchor: &str) {
        let anchor = Some(anchor.to_owned()).filter(|a| !a.is_empty());
        self.0.push(Block::Heading {
            level,
            text: text.into(),
            anchor,
        });
    }

    fn para(&mut self, label: &str, text: &str) {
        self.0.push(Block::Para {
            label: label.to_owned(),
            text: text.to_owned(),
        });
    }

    fn item(&mut self, mark: impl Into<String>, text: &str, tone: Tone) {
        self.0.push(Block::Item {
            mark: mark.into(),
            text: text.to_owned(),
            indent: 2,
            tone,
        });
    }

    fn list<'t>(&mut self, title: &str, items: impl IntoIterator<Item = &'t str>) {
        self.0.push(Block::Label(title.to_owned()));
        items
            .into_iter()
            .for_each(|t| self.item("- ", t, Tone::Plain));
    }

    fn section(&mut self, l: &Lesson, id: &str, answers: bool) {
        let title = SECTIONS
            .iter()
            .find(|(s, _)| *s == id)
            .map_or(id, |(_, t)| t);
        if id == "intro" {
            self.heading(1, l.title.as_str(), id);
            self.para("", &l.tagline);
            return;
        }
        self.heading(2, title, id);
        match id {
            "aha" => self.aha(l),
            "why" => {
                self.para("The problem: ", &l.why.problem);
                self.list("Before:", l.why.before.iter().map(|t| t.as_str()));
                self.list("After:", l.why.after.iter().map(|t| t.as_str()));
                self.para("Real-world impact: ", &l.why.impact);
            }
            "objectives" => {
                self.para("", &l.objectives.intro);
                for o in &l.objectives.items {
                    self.item("- ", &format!("{}: {}", o.label, o.text), Tone::Plain);
                }
            }
            "concepts" => l
                .concepts
                .iter()
                .enumerate()
                .for_each(|(i, c)| self.concept(i + 1, c)),
            "troubleshooting" => {
                for t in &l.troubleshooting {
                    self.para("Issue: ", &t.issue);
                    self.para("Why it happens: ", &t.why);
                    self.para("Clarification / fix: ", &t.fix);
                }
            }
            "connections" => {
                for (i, c) in l.connections.iter().enumerate() {
                    self.heading(3, format!("Connection {}: {}", i + 1, c.title), "");
                    self.para("The parallel: ", &c.parallel);
                    self.para("Real-world case: ", &c.case);
                }
            }
            "resources" => self.resources(l),
            "insights" => {
                for k in &l.key_insights {
                    self.item("- ", &format!("{}: {}", k.title, k.text), Tone::Plain);
                }
            }
            "quiz" => {
                let n = l.questions.len();
                for (i, q) in l.questions.iter().enumerate() {
                    self.question(i + 1, n, q, answers);
                }
            }
            _ => {}
        }
    }

    fn aha(&mut self, l: &Lesson) {
        let a = &l.aha;
        self.para("The insight: ", &a.insight);
        self.para("Why this matters: ", &a.why_it_matters);
        self.para("Concrete anchor: ", &a.concrete_anchor);
        self.para("The universal pattern: ", &a.universal_pattern);
        self.list(
            "How to recognize when this applies:",
            a.recognize.iter().map(|t| t.as_str()),
        );
        self.0.push(Block::Label("Common misconceptions:".into()));
        for m in &l.misconceptions {
            let (mark, tone) = if m.correct {
                ("✓ Correct: ", Tone::Right)
            } else {
                ("✗ Incorrect: ", Tone::Wrong)
            };
            self.item(mark, &m.text, tone);
        }
        self.0.push(Block::Label("Real-world examples:".into()));
        for e in &l.examples {
            self.item("- ", &format!("{}: {}", e.label, e.text), Tone::Plain);
        }
    }

    fn resources(&mut self, l: &Lesson) {
        self.para("", &l.resources.note);
        for r in &l.resources.items {
            let by = r
                .author
                .as_ref()
                .map(|a| format!(" - {a}"))
                .unwrap_or_default();
            let title = format!("[{}] {}{by}", r.kind.to_uppercase(), r.title);
            self.item("- ", &title, Tone::Plain);
            self.0.push(Block::Link {
                url: r.url.to_string(),
                indent: 4,
            });
            self.0.push(Block::Note {
                text: format!("Focus: {}", r.focus),
                indent: 4,
            });
        }
    }

    fn concept(&mut self, n: usize, c: &Concept) {
        self.heading(3, format!("Concept {n}: {}", c.title), &c.id);
        self.para("Intuition: ", &c.intuition);
        self.para("Practical implications: ", &c.implications);
        self.para("Technical structure (how it works): ", &c.structure);
        self.para("Mental model: ", &c.mental_model);
        self.para("Concrete example: ", &c.example);
        if let Some(code) = &c.code {
            let lines = code.source.trim_end().lines().map(str::to_owned).collect();
            self.0.push(Block::Code {
                language: code.language.to_string(),
                lines,
            });
            if let Some(note) = &code.note {
                self.para("Note: ", note);
            }
        }
        self.0.push(Block::Label("When to use it:".into()));
        self.item("Ideal: ", &c.ideal, Tone::Plain);
        self.item("Anti-pattern: ", &c.anti_pattern, Tone::Plain);
        self.para("Fundamental trade-off: ", &c.tradeoff);
    }

    fn question(&mut self, k: usize, n: usize, q: &Question, answers: bool) {
        self.para("", &format!("Question {k}/{n}: {}", q.text));
        for (i, o) in q.options.iter().enumerate() {
            let (mark, tone) = match (answers, o.correct) {
                (false, _) => ("", Tone::Plain),
                (true, true) => ("✓ ", Tone::Right),
                (true, false) => ("✗ ", Tone::Wrong),
            };
            let mark = format!("{mark}{}) ", letter(i));
            let pad = 2 + mark.chars().count();
            self.item(mark, &o.text, tone);
            if answers {
                self.0.push(Block::Note {
                    text: o.why.to_string(),
                    indent: pad,
                });
            }
        }
        if answers {
            self.para(&format!("Answer: {}. ", letter(q.answer())), &q.explanation);
        }
    }
}
