//! The quiz line by line, for screen readers, pipes and scripts: `Question K/N: ...`, the
//! options as `a) ...`, one answer per line on the input, ✓ / ✗ with the right answer and
//! the explanation, and `Score: K/N` as the last line. No escape codes, no wrapping.
//!
//! A question that uses the lab runs its scenario: a diagnose question shows the observer's
//! view of the subject's heartbeats before its options, and after a predict or diagnose
//! answer (in an exam, in the summary) the quiz prints what the simulator computed.

pub mod lab;

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::time::{Duration, Instant};

use crate::lesson::{Lesson, Question};
use crate::quiz::{
    Answered, Feedback, Mode, QuizSession, Summary, estimate, index_of_letter, letter,
};
use crate::sanitize::quote;
use lab::LabText;

/// How to run the plain quiz.
#[derive(Debug, Clone, Default)]
pub struct QuizOptions {
    /// Lines printed before the first question (title, mode, order).
    pub intro: Vec<String>,
    /// Repeat each answer after the prompt, so a transcript of piped input reads well.
    pub echo: bool,
    /// The lesson the questions come from: its scenarios run the questions that use the lab.
    /// Without it those questions are asked like any other.
    pub lesson: Option<Lesson>,
}

/// Why the plain quiz stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum QuizRunError {
    /// Writing the output failed (a closed pipe among others).
    #[error("cannot write to standard output: {0}")]
    Output(#[source] io::Error),
    /// Reading the answers failed.
    #[error("cannot read answers from standard input: {0}")]
    Input(#[source] io::Error),
    /// The caller could not record an answer (saving progress failed).
    #[error("{0}")]
    Record(String),
    /// Standard input kept giving lines that are not answers.
    #[error(
        "stopped after {INVALID_ANSWERS_MAX} lines in a row that are not an option; \
         the answers so far are saved"
    )]
    TooManyInvalid,
}

/// Most lines in a row that are not an option before the quiz stops (`yes | distlab quiz
/// --plain` must end).
pub const INVALID_ANSWERS_MAX: usize = 100;

/// Asks every question of `session` on `out`, reading answers from `input`, and calls
/// `record` after each accepted answer with the session as it now stands (to save
/// progress, and to record the attempt when `session.is_finished()`). Ends at the last question or
/// at the end of the input, and returns the summary of what was answered.
pub fn run(
    session: &mut QuizSession,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    opts: &QuizOptions,
    record: &mut dyn FnMut(&Answered, &QuizSession) -> Result<(), String>,
) -> Result<Summary, QuizRunError> {
    let started = Instant::now();
    let mut p = Plain {
        out,
        echo: opts.echo,
        outcomes: BTreeMap::new(),
    };
    p.intro(&opts.intro).map_err(QuizRunError::Output)?;
    let total = session.len();
    while let Some(question) = session.current().cloned() {
        let k = session.number();
        let mut lab = (opts.lesson.as_ref()).and_then(|lesson| lab::lab_text(lesson, &question));
        let runs = question.estimate.as_ref().map(|_| {
            let lesson = (opts.lesson.as_ref()).ok_or("the lesson's scenarios are not at hand")?;
            estimate::compute(lesson, &question)
        });
        match &runs {
            Some(Ok(e)) => session.settle_estimate(e.answer),
            Some(Err(e)) => {
                // Without its runs the question has no answer to score: the quiz ends here,
                // with the answers so far kept.
                writeln!(p.out, "\nQuestion {k}/{total}: {}", flat(&question.text))
                    .and_then(|()| writeln!(p.out, "Cannot make this question's runs: {e}"))
                    .map_err(QuizRunError::Output)?;
                break;
            }
            None => {}
        }
        let Some(index) = p.ask(&question, lab.as_ref(), k, total, input)? else {
            break;
        };
        let answered = session
            .answer(index)
            .map_err(|e| QuizRunError::Record(e.to_string()))?;
        if let (Some(Ok(runs)), Some(spec)) = (&runs, &question.estimate) {
            let r = runs.reveal(spec, index as u64, 72);
            let mut lines = r.scale;
            lines.push(r.what);
            lines.extend(r.bars);
            lab = Some(LabText {
                view: None,
                outcome: lines,
            });
        }
        record(&answered, session).map_err(QuizRunError::Record)?;
        p.after_answer(&answered, session, k, lab)
            .map_err(QuizRunError::Output)?;
    }
    let summary = session.summary(started.elapsed());
    p.summary(session.mode(), &summary)
        .map_err(QuizRunError::Output)?;
    Ok(summary)
}

/// "a–c" for a question with three options.
pub fn letter_range(count: usize) -> String {
    format!("a–{}", letter(count.saturating_sub(1)))
}

/// The guess on one line of input, if it is a whole number from `min` to `max`.
pub fn parse_estimate(line: &str, min: u64, max: u64) -> Option<usize> {
    let n: u64 = line.trim().parse().ok()?;
    (min..=max).contains(&n).then(|| usize::try_from(n).ok())?
}

/// The option index named by one line of input, if it names one of `count` options.
pub fn parse_answer(line: &str, count: usize) -> Option<usize> {
    let mut chars = line.trim().chars();
    let (c, None) = (chars.next()?, chars.next()) else {
        return None;
    };
    index_of_letter(c).filter(|&i| i < count)
}

struct Plain<'a> {
    out: &'a mut dyn Write,
    echo: bool,
    /// What the simulator computed for each lab question answered, by its number in the
    /// session, for an exam's summary.
    outcomes: BTreeMap<usize, Vec<String>>,
}

impl Plain<'_> {
    fn intro(&mut self, lines: &[String]) -> io::Result<()> {
        for line in lines {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    /// Shows the question and reads until a valid answer (`Some`) or the end of input.
    fn ask(
        &mut self,
        q: &Question,
        lab: Option<&LabText>,
        k: usize,
        n: usize,
        input: &mut dyn BufRead,
    ) -> Result<Option<usize>, QuizRunError> {
        let range = match &q.estimate {
            Some(spec) => format!("a whole number from {} to {}", spec.min, spec.max),
            None => letter_range(q.options.len()),
        };
        self.question(q, lab, k, n).map_err(QuizRunError::Output)?;
        for _ in 0..INVALID_ANSWERS_MAX {
            self.prompt(&range).map_err(QuizRunError::Output)?;
            let Some(line) = read_line(input)? else {
                writeln!(self.out).map_err(QuizRunError::Output)?;
                return Ok(None);
            };
            if self.echo {
                writeln!(self.out, "{}", quote(line.trim())).map_err(QuizRunError::Output)?;
            }
            let answer = match &q.estimate {
                Some(spec) => parse_estimate(&line, spec.min, spec.max),
                None => parse_answer(&line, q.options.len()),
            };
            if let Some(i) = answer {
                return Ok(Some(i));
            }
            let what = if q.estimate.is_some() {
                "Not on the scale"
            } else {
                "Not an option"
            };
            writeln!(self.out, "{what}: choose {range}").map_err(QuizRunError::Output)?;
            self.question(q, lab, k, n).map_err(QuizRunError::Output)?;
        }
        Err(QuizRunError::TooManyInvalid)
    }

    fn question(
        &mut self,
        q: &Question,
        lab: Option<&LabText>,
        k: usize,
        n: usize,
    ) -> io::Result<()> {
        writeln!(self.out)?;
        writeln!(self.out, "Question {k}/{n}: {}", flat(&q.text))?;
        if let Some(view) = lab.and_then(|l| l.view.as_ref()) {
            writeln!(self.out, "{view}")?;
        }
        for (i, o) in q.options.iter().enumerate() {
            writeln!(self.out, "{}) {}", letter(i), flat(&o.text))?;
        }
        if let Some(spec) = &q.estimate {
            writeln!(
                self.out,
                "Estimate: a whole number of {} from {} to {}. The answer comes from {} runs \
                 (seeds 1 to {}).",
                spec.unit, spec.min, spec.max, spec.runs, spec.runs
            )?;
        }
        Ok(())
    }

    fn prompt(&mut self, range: &str) -> io::Result<()> {
        write!(self.out, "Answer ({range}): ")?;
        self.out.flush()
    }

    fn after_answer(
        &mut self,
        a: &Answered,
        session: &QuizSession,
        k: usize,
        lab: Option<LabText>,
    ) -> io::Result<()> {
        let outcome = lab.map(|l| l.outcome).unwrap_or_default();
        match &a.feedback {
            Some(f) => {
                self.feedback(f)?;
                self.lines(&outcome)?;
                writeln!(self.out, "Score so far: {}", session.score())?;
            }
            None => {
                writeln!(self.out, "Answer recorded.")?;
                self.outcomes.insert(k, outcome);
            }
        }
        self.out.flush()
    }

    fn lines(&mut self, lines: &[String]) -> io::Result<()> {
        lines.iter().try_for_each(|l| writeln!(self.out, "{l}"))
    }

    fn feedback(&mut self, f: &Feedback) -> io::Result<()> {
        if let Some(g) = &f.estimate {
            writeln!(self.out, "{}", estimate::verdict(g))?;
            writeln!(self.out, "Explanation: {}", flat(&f.explanation))?;
            if !f.correct {
                writeln!(self.out, "Read again: distlab print --section {}", f.checks)?;
            }
            return Ok(());
        }
        let right = format!("{}) {}", letter(f.right), flat(&f.right_text));
        if f.correct {
            writeln!(self.out, "✓ Right: {right}")?;
        } else {
            writeln!(self.out, "✗ Wrong: you chose {}).", letter(f.chosen))?;
            if let Some(why) = f.whys.get(f.chosen) {
                writeln!(self.out, "Why not: {}", flat(why))?;
            }
            writeln!(self.out, "The right answer: {right}")?;
        }
        writeln!(self.out, "Explanation: {}", flat(&f.explanation))?;
        if !f.correct {
            writeln!(self.out, "Read again: distlab print --section {}", f.checks)?;
        }
        Ok(())
    }

    fn summary(&mut self, mode: Mode, s: &Summary) -> io::Result<()> {
        writeln!(self.out)?;
        if mode == Mode::Exam && !s.results.is_empty() {
            writeln!(self.out, "Your answers:")?;
            for f in &s.results {
                writeln!(self.out)?;
                writeln!(self.out, "Question {}: {}", f.number, flat(&f.text))?;
                self.feedback(f)?;
                if let Some(outcome) = self.outcomes.remove(&f.number) {
                    self.lines(&outcome)?;
                }
            }
            writeln!(self.out)?;
        }
        let time = clock(s.elapsed);
        if s.complete {
            let (right, n) = (s.score.right, s.score.total);
            writeln!(self.out, "Quiz finished: {right} of {n} right, in {time}.")?;
        } else {
            let (answered, n) = (s.score.total, s.questions);
            writeln!(
                self.out,
                "Input ended after {answered} of {n} questions, in {time}."
            )?;
        }
        if !s.missed.is_empty() {
            writeln!(self.out, "Missed:")?;
            for f in &s.missed {
                let right = match &f.estimate {
                    Some(g) => format!(
                        "{} (you said {})",
                        f.right_text,
                        estimate::with_unit(g.guess as f64, &g.unit)
                    ),
                    None => format!("{}) {}", letter(f.right), flat(&f.right_text)),
                };
                let text = flat(&f.text);
                writeln!(self.out, "- Question {}: {text} Answer: {right}", f.number)?;
            }
        }
        writeln!(self.out, "Score: {}", s.score)?;
        self.out.flush()
    }
}

/// One line of input without its line ending; `None` at the end of input. Bytes that are
/// not UTF-8 become U+FFFD (and so are not an option).
/// One answer line, bounded (see [`crate::input::read_line`]); `None` at the end.
fn read_line(input: &mut dyn BufRead) -> Result<Option<String>, QuizRunError> {
    crate::input::read_line(input).map_err(QuizRunError::Input)
}

/// Text on one line: runs of whitespace (newlines included) become one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `1:05`, as the terminal app shows it.
fn clock(d: Duration) -> String {
    crate::quiz::clock(d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_single_letters_in_range() {
        assert_eq!(parse_answer("a", 3), Some(0));
        assert_eq!(parse_answer("  C \r", 3), Some(2));
        assert_eq!(parse_answer("d", 3), None);
        assert_eq!(parse_answer("", 3), None);
        assert_eq!(parse_answer("ab", 3), None);
        assert_eq!(parse_answer("1", 3), None);
        assert_eq!(parse_answer("é", 3), None);
    }

    #[test]
    fn letter_ranges_name_the_valid_letters() {
        assert_eq!(letter_range(3), "a–c");
        assert_eq!(letter_range(5), "a–e");
    }

    #[test]
    fn clock_shows_minutes_and_seconds() {
        assert_eq!(clock(Duration::from_secs(185)), "3:05");
    }
}
