//! The Quiz tab's document: a question with lettered options, practice feedback, or the
//! summary, wrapped at a width, and which option each line belongs to (for mouse clicks).

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::quiz_tab::{QuizTab, Showing};
use super::styled_doc::{StyledDoc, marked};
use super::theme::Theme;
use crate::doc::{MARK, letter};
use crate::lesson::{Lesson, Origin};
use crate::plain::{MARGIN, wrap_lines};
use crate::quiz::{Feedback, Mode, Summary};

mod estimate;
mod lab;
pub mod stage;

use lab::{lab_after, lab_before};

/// The quiz screen's lines, and for each line the option it belongs to (for mouse clicks).
pub struct QuizLines {
    pub doc: StyledDoc,
    pub option_of_line: Vec<Option<usize>>,
}

/// The option on screen row `row` of a quiz drawn in `area` with `lines`, scrolled to
/// `offset`, if any.
pub fn option_at(lines: &QuizLines, offset: usize, area: Rect, row: u16) -> Option<usize> {
    let line = offset + usize::from(row.checked_sub(area.y + 1)?);
    lines.option_of_line.get(line).copied().flatten()
}

/// Builds the quiz screen at `width` columns.
pub fn quiz_lines(lesson: &Lesson, q: &QuizTab, t: &Theme, width: usize) -> QuizLines {
    let mut b = Builder {
        lines: QuizLines {
            doc: StyledDoc::default(),
            option_of_line: Vec::new(),
        },
        width,
        mark: None,
    };
    match &q.showing {
        Showing::Question => question(&mut b, lesson, q, t),
        Showing::Feedback(f) => feedback(&mut b, lesson, q, f, t),
        Showing::Summary(s) => summary(&mut b, lesson, q, s, t),
    }
    b.lines
}

struct Builder {
    lines: QuizLines,
    width: usize,
    /// While set, text and blank lines carry the margin mark in this style: distlab's words.
    mark: Option<Style>,
}

impl Builder {
    fn push(&mut self, line: Line<'static>, option: Option<usize>) {
        self.lines.doc.lines.push(line);
        self.lines.option_of_line.push(option);
    }

    fn blank(&mut self) {
        let line = self
            .mark
            .map_or_else(Line::default, |m| Line::styled(MARK, m));
        self.push(line, None);
    }

    /// Marks what follows as distlab's words (in `t.dim`) when `origin` says so, or stops.
    fn origin(&mut self, origin: Origin, t: &Theme) {
        self.mark = (origin == Origin::Distlab).then_some(t.dim);
    }

    /// Wrapped text: `mark` (styled) then `text`, continuation lines under the text.
    fn text(
        &mut self,
        mark: &str,
        mark_style: Style,
        text: &str,
        style: Style,
        option: Option<usize>,
    ) {
        let rest = " ".repeat(mark.width());
        let margin = if self.mark.is_some() { MARGIN } else { 0 };
        let width = self.width.saturating_sub(mark.width() + margin).max(10);
        for (i, l) in wrap_lines(text, width, "", "").into_iter().enumerate() {
            let lead = if i == 0 {
                Span::styled(mark.to_owned(), mark_style)
            } else {
                Span::raw(rest.clone())
            };
            let line = Line::from(vec![lead, Span::styled(l, style)]);
            let line = match self.mark {
                Some(m) => marked(line, m),
                None => line,
            };
            self.push(line, option);
        }
    }
}

fn checks_label(lesson: &Lesson, checks: &str) -> String {
    match lesson.concepts.iter().position(|c| c.id == checks) {
        Some(i) => format!("Concept {}: {}", i + 1, lesson.concepts[i].title),
        None => crate::lesson::SECTIONS
            .iter()
            .find(|(id, _)| *id == checks)
            .map_or(checks.to_owned(), |(_, title)| (*title).to_owned()),
    }
}

fn question(b: &mut Builder, lesson: &Lesson, q: &QuizTab, t: &Theme) {
    let Some(question) = q.session.current() else {
        return;
    };
    // Where the learner stands, before the first answer of an attempt (or of this run).
    let mut told = false;
    if (q.session.answered() == 0 || q.resumed == Some(q.session.answered()))
        && let Some(line) = q.history.line()
    {
        b.push(Line::styled(line, t.dim), None);
        told = true;
    }
    if let Some(n) = q.resumed.filter(|n| *n == q.session.answered()) {
        told = true;
        b.push(
            Line::styled(
                format!("Resumed your unfinished attempt: {n} answered so far (R starts over)."),
                t.dim,
            ),
            None,
        );
    }
    if told {
        b.blank();
    }
    let header = format!("Question {} of {}  ", q.session.number(), q.session.len());
    // The concept it checks wraps under itself, never cut.
    b.text(
        &header,
        t.heading,
        &format!("· checks {}", checks_label(lesson, &question.checks)),
        t.dim,
        None,
    );
    b.blank();
    b.origin(question.origin(), t);
    b.text("", t.base, &question.text, t.label, None);
    b.blank();
    // What the lab shows is computed, nobody's words.
    b.origin(Origin::Course, t);
    lab_before(b, q, question, t);
    if let Some(spec) = &question.estimate {
        estimate::before(b, q, spec, t);
        return;
    }
    b.origin(question.origin(), t);
    for (i, option) in question.options.iter().enumerate() {
        let selected = if q.classroom {
            q.class_mark == Some(i)
        } else {
            i == q.selected
        };
        let mark = format!("{} {}) ", if selected { "▸" } else { " " }, letter(i));
        let style = if selected { t.selected } else { t.base };
        b.text(&mark, t.accent, &option.text, style, Some(i));
    }
    b.origin(Origin::Course, t);
    b.blank();
    let last = letter(question.options.len().saturating_sub(1));
    let hint = if q.classroom {
        format!(
            "The class answers aloud. {}",
            super::quiz_doc::stage::classroom_hint(q, last)
        )
    } else {
        format!("Answer with a–{last}, or ↑↓ and Enter, or click an option.")
    };
    b.text("", t.dim, &hint, t.dim, None);
}

/// Who wrote the question that `f` is about.
fn origin_of(lesson: &Lesson, f: &Feedback) -> Origin {
    lesson
        .questions
        .get(f.lesson_index)
        .map_or(Origin::Distlab, |q| q.origin())
}

fn feedback(b: &mut Builder, lesson: &Lesson, q: &QuizTab, f: &Feedback, t: &Theme) {
    b.push(
        Line::styled(
            format!("Question {} of {}", f.number, q.session.len()),
            t.heading,
        ),
        None,
    );
    b.blank();
    let origin = origin_of(lesson, f);
    b.origin(origin, t);
    b.text("", t.base, &f.text, t.label, None);
    b.blank();
    if let Some(guess) = &f.estimate {
        b.origin(Origin::Course, t);
        estimate::after(b, lesson, q, f, guess, t);
        b.origin(origin, t);
    } else if f.correct {
        b.text(
            "✓ Right: ",
            t.right,
            &format!("{}) {}", letter(f.right), f.right_text),
            t.base,
            None,
        );
    } else {
        b.text(
            "✗ Not quite: ",
            t.wrong,
            &format!("you chose {}).", letter(f.chosen)),
            t.base,
            None,
        );
        if let Some(why) = f.whys.get(f.chosen) {
            // Each option's why is distlab's, whoever wrote the question.
            b.origin(Origin::Distlab, t);
            b.text("   ", t.base, why, t.dim, None);
            b.origin(origin, t);
        }
        b.blank();
        b.text(
            "The right answer: ",
            t.label,
            &format!("{}) {}", letter(f.right), f.right_text),
            t.base,
            None,
        );
    }
    b.blank();
    b.text("Why: ", t.label, &f.explanation, t.base, None);
    b.origin(Origin::Course, t);
    b.blank();
    lab_after(b, lesson, q, t);
    let next = if q.session.is_finished() {
        "see your score"
    } else {
        "next question"
    };
    let concept = checks_label(lesson, &f.checks);
    b.text(
        "",
        t.dim,
        &format!("Enter: {next} · o: read {concept}"),
        t.dim,
        None,
    );
}

fn summary(b: &mut Builder, lesson: &Lesson, q: &QuizTab, s: &Summary, t: &Theme) {
    let percent = (s.score.right * 100)
        .checked_div(s.score.total)
        .unwrap_or(0);
    let secs = s.elapsed.as_secs();
    b.push(Line::styled("Quiz complete", t.heading), None);
    b.blank();
    b.text(
        "Score: ",
        t.label,
        &format!("{} ({percent}%) in {}", s.score, crate::quiz::clock(secs)),
        t.base,
        None,
    );
    if let Some(line) = q.history.line() {
        b.text("", t.dim, &line, t.dim, None);
    }
    if !q.history.weakest.is_empty() {
        b.text(
            "Weakest so far: ",
            t.label,
            &q.history.weakest.join(" · "),
            t.dim,
            None,
        );
    }
    b.blank();
    if s.missed.is_empty() {
        b.text("✓ ", t.right, "Every answer right.", t.base, None);
    } else {
        b.push(
            Line::styled(format!("Missed ({}):", s.missed.len()), t.label),
            None,
        );
        for f in &s.missed {
            b.origin(origin_of(lesson, f), t);
            b.text("✗ ", t.wrong, &f.text, t.base, None);
            let right = match &f.estimate {
                Some(g) => format!(
                    "{} (you said {})",
                    f.right_text,
                    crate::quiz::estimate::with_unit(g.guess as f64, &g.unit)
                ),
                None => format!("{}) {}", letter(f.right), f.right_text),
            };
            b.text("    → ", t.right, &right, t.dim, None);
        }
        b.origin(Origin::Course, t);
    }
    if q.session.mode() == Mode::Exam {
        b.blank();
        b.push(Line::styled("Every answer:", t.label), None);
        for f in &s.results {
            let (mark, style) = if f.correct {
                ("✓ ", t.right)
            } else {
                ("✗ ", t.wrong)
            };
            b.origin(origin_of(lesson, f), t);
            b.text(
                mark,
                style,
                &format!("Q{}: {}", f.number, f.explanation),
                t.base,
                None,
            );
        }
        b.origin(Origin::Course, t);
    }
    b.blank();
    let retry = if s.missed.is_empty() {
        ""
    } else {
        "r: retry the missed · "
    };
    let keys = format!("{retry}R: start again · v: review by Leitner box · m: practice/exam");
    b.text("", t.dim, &keys, t.dim, None);
}
