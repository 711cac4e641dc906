//! The lesson as plain text: for a pipe, a pager or a screen reader. No escape codes ever;
//! meaning is carried by words and the symbols ✓ and ✗.

pub mod quiz;

use std::io::{self, Write};

use crate::lesson::{Concept, Lesson, Question, SECTIONS};

/// How to print the lesson.
#[derive(Debug, Clone)]
pub struct PrintOptions {
    /// Wrap paragraphs at this many columns.
    pub width: usize,
    /// Print only this section id or concept id.
    pub section: Option<String>,
    /// Include quiz answers and explanations.
    pub answers: bool,
}

/// `section` is not a section id nor a concept id; the message lists the valid ones.
#[derive(Debug, thiserror::Error)]
#[error("unknown section `{section}`; expected one of: {valid}")]
pub struct UnknownSection {
    pub section: String,
    pub valid: String,
}

/// Checks that `section` names something printable in `lesson`.
pub fn check_section(lesson: &Lesson, section: &str) -> Result<(), UnknownSection> {
    let known = SECTIONS.iter().any(|(id, _)| *id == section) || lesson.concept(section).is_some();
    if known {
        return Ok(());
    }
    let mut valid: Vec<&str> = SECTIONS.iter().map(|(id, _)| *id).collect();
    valid.extend(lesson.concepts.iter().map(|c| c.id.as_str()));
    Err(UnknownSection {
        section: section.to_owned(),
        valid: valid.join(", "),
    })
}

/// Writes the lesson (or one section of it) to `out`.
pub fn print_lesson(lesson: &Lesson, opts: &PrintOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut p = Printer {
        out,
        width: opts.width.clamp(20, 1000),
        first: true,
    };
    match opts.section.as_deref() {
        None => {
            for (id, _) in SECTIONS {
                p.section(lesson, id, opts.answers)?;
            }
        }
        Some(id) => match lesson.concept(id) {
            Some(concept) => {
                let n = lesson.concepts.iter().position(|c| c.id == id).unwrap_or(0);
                p.concept(n + 1, concept)?;
            }
            None => p.section(lesson, id, opts.answers)?,
        },
    }
    p.out.flush()
}

struct Printer<'a> {
    out: &'a mut dyn Write,
    width: usize,
    first: bool,
}

impl Printer<'_> {
    fn section(&mut self, l: &Lesson, id: &str, answers: bool) -> io::Result<()> {
        let title = SECTIONS
            .iter()
            .find(|(s, _)| *s == id)
            .map_or(id, |(_, t)| t);
        match id {
            "intro" => {
                self.heading(&l.title, '=')?;
                self.para("", &l.tagline)
            }
            "aha" => self.aha(l, title),
            "why" => {
                self.heading(title, '-')?;
                self.para("The problem: ", &l.why.problem)?;
                self.list("Before:", l.why.before.iter().map(|t| t.as_str()))?;
                self.list("After:", l.why.after.iter().map(|t| t.as_str()))?;
                self.para("Real-world impact: ", &l.why.impact)
            }
            "objectives" => {
                self.heading(title, '-')?;
                self.para("", &l.objectives.intro)?;
                for o in &l.objectives.items {
                    self.bullet(&format!("{}: {}", o.label, o.text))?;
                }
                Ok(())
            }
            "concepts" => {
                self.heading(title, '-')?;
                l.concepts
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, c)| self.concept(i + 1, c))
            }
            "troubleshooting" => {
                self.heading(title, '-')?;
                for t in &l.troubleshooting {
                    self.para("Issue: ", &t.issue)?;
                    self.para("Why it happens: ", &t.why)?;
                    self.para("Clarification / fix: ", &t.fix)?;
                }
                Ok(())
            }
            "connections" => {
                self.heading(title, '-')?;
                for (i, c) in l.connections.iter().enumerate() {
                    self.subheading(&format!("Connection {}: {}", i + 1, c.title))?;
                    self.para("The parallel: ", &c.parallel)?;
                    self.para("Real-world case: ", &c.case)?;
                }
                Ok(())
            }
            "resources" => {
                self.heading(title, '-')?;
                self.para("", &l.resources.note)?;
                for r in &l.resources.items {
                    let by = r
                        .author
                        .as_ref()
                        .map(|a| format!(" - {a}"))
                        .unwrap_or_default();
                    self.bullet(&format!("[{}] {}{by}", r.kind.to_uppercase(), r.title))?;
                    // Never wrapped: a link split across lines cannot be copied or clicked.
                    writeln!(self.out, "    Link: {}", r.url)?;
                    self.indented(&format!("Focus: {}", r.focus), 4)?;
                }
                Ok(())
            }
            "insights" => {
                self.heading(title, '-')?;
                for k in &l.key_insights {
                    self.bullet(&format!("{}: {}", k.title, k.text))?;
                }
                Ok(())
            }
            "quiz" => {
                self.heading(title, '-')?;
                let n = l.questions.len();
                l.questions
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, q)| self.question(i + 1, n, q, answers))
            }
            _ => Ok(()),
        }
    }

    fn aha(&mut self, l: &Lesson, title: &str) -> io::Result<()> {
        let a = &l.aha;
        self.heading(title, '-')?;
        self.para("The insight: ", &a.insight)?;
        self.para("Why this matters: ", &a.why_it_matters)?;
        self.para("Concrete anchor: ", &a.concrete_anchor)?;
        self.para("The universal pattern: ", &a.universal_pattern)?;
        self.list(
            "How to recognize when this applies:",
            a.recognize.iter().map(|t| t.as_str()),
        )?;
        self.blank()?;
        writeln!(self.out, "Common misconceptions:")?;
        for m in &l.misconceptions {
            let mark = if m.correct {
                "✓ Correct: "
            } else {
                "✗ Incorrect: "
            };
            self.hanging(mark, &m.text, 2)?;
        }
        self.blank()?;
        writeln!(self.out, "Real-world examples:")?;
        for e in &l.examples {
            self.bullet(&format!("{}: {}", e.label, e.text))?;
        }
        Ok(())
    }

    fn concept(&mut self, n: usize, c: &Concept) -> io::Result<()> {
        self.subheading(&format!("Concept {n}: {}", c.title))?;
        self.para("Intuition: ", &c.intuition)?;
        self.para("Practical implications: ", &c.implications)?;
        self.para("Technical structure (how it works): ", &c.structure)?;
        self.para("Mental model: ", &c.mental_model)?;
        self.para("Concrete example: ", &c.example)?;
        if let Some(code) = &c.code {
            self.blank()?;
            writeln!(self.out, "Code example ({}):", code.language)?;
            self.blank()?;
            for line in code.source.trim_end().lines() {
                writeln!(self.out, "    {line}")?;
            }
            if let Some(note) = &code.note {
                self.para("Note: ", note)?;
            }
        }
        self.blank()?;
        writeln!(self.out, "When to use it:")?;
        self.hanging("Ideal: ", &c.ideal, 2)?;
        self.hanging("Anti-pattern: ", &c.anti_pattern, 2)?;
        self.para("Fundamental trade-off: ", &c.tradeoff)
    }

    fn question(&mut self, k: usize, n: usize, q: &Question, answers: bool) -> io::Result<()> {
        self.blank()?;
        self.wrap(&format!("Question {k}/{n}: {}", q.text), "", "")?;
        for (i, o) in q.options.iter().enumerate() {
            let letter = (b'a' + i as u8) as char;
            let mark = match (answers, o.correct) {
                (false, _) => "",
                (true, true) => "✓ ",
                (true, false) => "✗ ",
            };
            self.hanging(&format!("{mark}{letter}) "), &o.text, 2)?;
            if answers {
                let pad = 2 + mark.chars().count() + 3;
                self.indented(&o.why, pad)?;
            }
        }
        if answers {
            let right = q.answer();
            let letter = (b'a' + right as u8) as char;
            self.para(&format!("Answer: {letter}. "), &q.explanation)?;
        }
        Ok(())
    }

    fn heading(&mut self, text: &str, underline: char) -> io::Result<()> {
        if !self.first {
            self.blank()?;
        }
        self.first = false;
        let width = unicode_width::UnicodeWidthStr::width(text).min(self.width);
        writeln!(self.out, "{text}")?;
        writeln!(self.out, "{}", underline.to_string().repeat(width))
    }

    fn subheading(&mut self, text: &str) -> io::Result<()> {
        self.blank()?;
        self.wrap(&text.to_uppercase(), "", "")
    }

    fn para(&mut self, label: &str, text: &str) -> io::Result<()> {
        self.blank()?;
        for (i, paragraph) in text.split("\n\n").enumerate() {
            if i > 0 {
                self.blank()?;
            }
            let body = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
            let first = if i == 0 { label } else { "" };
            self.wrap(&format!("{first}{body}"), "", "")?;
        }
        Ok(())
    }

    fn list<'t>(&mut self, title: &str, items: impl Iterator<Item = &'t str>) -> io::Result<()> {
        self.blank()?;
        writeln!(self.out, "{title}")?;
        items.into_iter().try_for_each(|t| self.bullet(t))
    }

    fn bullet(&mut self, text: &str) -> io::Result<()> {
        self.hanging("- ", text, 2)
    }

    /// `mark` then `text`, indented `indent` columns, continuation lines under the text.
    fn hanging(&mut self, mark: &str, text: &str, indent: usize) -> io::Result<()> {
        let first = format!("{}{mark}", " ".repeat(indent));
        let rest = " ".repeat(indent + unicode_width::UnicodeWidthStr::width(mark));
        self.wrap(text, &first, &rest)
    }

    fn indented(&mut self, text: &str, indent: usize) -> io::Result<()> {
        let pad = " ".repeat(indent);
        self.wrap(text, &pad, &pad)
    }

    fn wrap(&mut self, text: &str, first: &str, rest: &str) -> io::Result<()> {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let opts = textwrap::Options::new(self.width)
            .initial_indent(first)
            .subsequent_indent(rest)
            // A link split across lines can no longer be copied or clicked.
            .break_words(false)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        for line in textwrap::wrap(&flat, opts) {
            writeln!(self.out, "{}", line.trim_end())?;
        }
        Ok(())
    }

    fn blank(&mut self) -> io::Result<()> {
        writeln!(self.out)
    }
}
