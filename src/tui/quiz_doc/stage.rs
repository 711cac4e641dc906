//! The classroom quiz on a projector: the question and every option as large as the screen
//! allows, a big countdown, and at the reveal every option still there, the right one
//! marked and each wrong one struck through, so the class sees what it chose between.
//!
//! "Large" is double-height, double-width lines (DEC DECDHL) where the terminal draws them
//! (the app probes for it at start), else ordinary lines with room around them. The plan
//! is tried largest first and the first that fits the screen whole is used; when even
//! ordinary lines do not fit (a long question at 80×24), [`stage`] returns `None` and the
//! quiz shows its scrolling document instead: nothing is ever cut.
//!
//! Pure geometry from the quiz's state, so the view draws it, the mouse hits its options
//! and the event loop sets the terminal's line sizes from the same layout.

use std::time::Duration;

use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use crate::doc::letter;
use crate::plain::wrap_lines;
use crate::quiz::Feedback;
use crate::tui::quiz_tab::{QuizTab, Showing};

/// What a stage line is, so the view can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `Question 3 of 30 · …`
    Header,
    Question,
    /// An option's line; `lead` is set on its first line.
    Option {
        index: usize,
        look: Look,
    },
    /// A row of the big countdown's digits.
    Countdown,
    /// Time is up.
    TimeUp,
    /// Why the right answer is right (after the reveal).
    Why,
    /// The keys for what comes next.
    Hint,
}

/// How an option reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// Before the reveal.
    Open,
    /// Before the reveal: the answer the class gave (a letter marks it).
    Marked,
    /// After the reveal.
    Right,
    Wrong,
}

/// One line of the stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageLine {
    /// Row offset from the top of the stage's area.
    pub row: u16,
    /// The option's letter badge (first line of an option), else empty.
    pub lead: String,
    pub text: String,
    pub part: Part,
    /// Double height and width: takes rows `row` and `row + 1`, and `text` is laid out in
    /// half the columns.
    pub big: bool,
}

/// The classroom quiz laid out in an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub lines: Vec<StageLine>,
}

impl Stage {
    /// The rows (offsets from the area's top) drawn double-height, as (top, bottom) pairs.
    pub fn big_rows(&self) -> impl Iterator<Item = u16> + '_ {
        self.lines.iter().filter(|l| l.big).map(|l| l.row)
    }

    /// The option on row `row` (an offset from the area's top), if any.
    pub fn option_at(&self, row: u16) -> Option<usize> {
        self.lines.iter().find_map(|l| match l.part {
            Part::Option { index, .. } if row >= l.row && row < l.row + rows(l) => Some(index),
            _ => None,
        })
    }
}

fn rows(l: &StageLine) -> u16 {
    if l.big { 2 } else { 1 }
}

/// Seconds left on a classroom countdown, or `Some(0)` once it has run out; `None` when
/// none runs.
pub fn countdown_left(q: &QuizTab, elapsed: Duration) -> Option<u64> {
    let deadline = q.countdown?;
    Some(deadline.saturating_sub(elapsed).as_millis().div_ceil(1000) as u64)
}

/// The classroom quiz laid out in `area` (`big` when the terminal draws double-height
/// lines), or `None` when it is not a classroom question or reveal, or does not fit whole.
pub fn stage(q: &QuizTab, area: Rect, big: bool, left: Option<u64>) -> Option<Stage> {
    if !q.classroom {
        return None;
    }
    let content = Content::of(q, left)?;
    // Largest first: question and options big; options big; nothing big.
    let plans: &[(bool, bool)] = if big {
        &[(true, true), (false, true), (false, false)]
    } else {
        &[(false, false)]
    };
    plans
        .iter()
        .map(|&(question_big, options_big)| content.lay_out(area, question_big, options_big))
        .find(|s| {
            s.lines
                .last()
                .is_none_or(|l| l.row + rows(l) <= area.height)
        })
}

/// The line under a classroom question: what the keys do, as things stand.
pub fn classroom_hint(q: &QuizTab, last: char) -> String {
    match q.class_mark {
        None if q.asked_to_mark => format!(
            "Mark the class's answer first (a–{last}): Enter then reveals · t: 30 s countdown"
        ),
        None => {
            format!("a–{last} marks the class's answer, then Enter reveals · t: 30 s countdown")
        }
        Some(m) => format!(
            "marked: {}) · a–{last} changes it · Enter reveals · t: 30 s countdown",
            letter(m)
        ),
    }
}

/// What the stage shows, before it is laid out.
struct Content {
    header: String,
    question: String,
    options: Vec<(String, Look)>,
    /// Rows of the countdown's big digits, or the time-up line.
    countdown: Vec<(String, Part)>,
    why: Option<String>,
    hint: String,
}

impl Content {
    fn of(q: &QuizTab, left: Option<u64>) -> Option<Content> {
        let countdown = match left {
            Some(0) if q.class_mark.is_none() => vec![(
                "◷ time's up: mark the class's answer".to_owned(),
                Part::TimeUp,
            )],
            Some(0) => vec![("◷ time's up: Enter reveals".to_owned(), Part::TimeUp)],
            Some(secs) => big_digits(&crate::quiz::clock(secs))
                .into_iter()
                .map(|r| (r, Part::Countdown))
                .collect(),
            None => Vec::new(),
        };
        match &q.showing {
            Showing::Question => {
                let question = q.session.current()?;
                if question.estimate.is_some() || question.scenario.is_some() {
                    return None;
                }
                let last = letter(question.options.len().saturating_sub(1));
                Some(Content {
                    header: format!(
                        "Question {} of {} · the answer stays hidden until Enter",
                        q.session.number(),
                        q.session.len()
                    ),
                    question: question.text.to_string(),
                    options: (question.options.iter().enumerate())
                        .map(|(i, o)| {
                            let look = if q.class_mark == Some(i) {
                                Look::Marked
                            } else {
                                Look::Open
                            };
                            (o.text.to_string(), look)
                        })
                        .collect(),
                    countdown,
                    why: None,
                    hint: classroom_hint(q, last),
                })
            }
            // A lab question's reveal shows the simulator's run: the scrolling quiz has it.
            Showing::Feedback(f)
                if f.estimate.is_none()
                    && !f.options.is_empty()
                    && q.lab_run
                        .as_ref()
                        .is_none_or(|(id, _)| *id != f.question_id) =>
            {
                Some(Content::revealed(q, f))
            }
            _ => None,
        }
    }

    fn revealed(q: &QuizTab, f: &Feedback) -> Content {
        let verdict = if f.correct {
            format!("the class chose {}): right", letter(f.chosen))
        } else {
            format!(
                "the class chose {}); the answer is {})",
                letter(f.chosen),
                letter(f.right)
            )
        };
        let next = if q.session.is_finished() {
            "see the score"
        } else {
            "next question"
        };
        Content {
            header: format!("Question {} of {} · {verdict}", f.number, q.session.len()),
            question: f.text.clone(),
            options: (f.options.iter().enumerate())
                .map(|(i, text)| {
                    let look = if i == f.right {
                        Look::Right
                    } else {
                        Look::Wrong
                    };
                    (text.clone(), look)
                })
                .collect(),
            countdown: Vec::new(),
            why: Some(format!("Why: {}", f.explanation)),
            hint: format!("Enter: {next} · o: read the concept it checks"),
        }
    }

    fn lay_out(&self, area: Rect, question_big: bool, options_big: bool) -> Stage {
        let width = area.width as usize;
        // A big line has half the columns; one (doubled) column of margin on each side.
        let text_width = |big: bool| {
            if big {
                (width / 2).saturating_sub(2).max(10)
            } else {
                width.saturating_sub(4).max(10)
            }
        };
        let mut s = Rows::default();
        s.push("", &self.header, Part::Header, false);
        s.gap();
        for l in wrap_lines(&self.question, text_width(question_big), "", "") {
            s.push("", &l, Part::Question, question_big);
        }
        s.gap();
        for (i, (text, look)) in self.options.iter().enumerate() {
            let lead = match look {
                Look::Open => format!("  {}) ", letter(i)),
                Look::Marked => format!("▸ {}) ", letter(i)),
                Look::Right => format!("✓ {}) ", letter(i)),
                Look::Wrong => format!("✗ {}) ", letter(i)),
            };
            let w = text_width(options_big).saturating_sub(lead.width()).max(10);
            let hang = " ".repeat(lead.width());
            for (k, l) in wrap_lines(text, w, "", "").into_iter().enumerate() {
                let lead = if k == 0 { &lead } else { &hang };
                let part = Part::Option {
                    index: i,
                    look: *look,
                };
                s.push(lead, &l, part, options_big);
            }
        }
        if let Some(why) = &self.why {
            s.gap();
            for l in wrap_lines(why, text_width(false), "", "     ") {
                s.push("", &l, Part::Why, false);
            }
        }
        if !self.countdown.is_empty() {
            s.gap();
            for (text, part) in &self.countdown {
                s.push("", text, *part, false);
            }
        }
        s.gap();
        for l in wrap_lines(&self.hint, text_width(false), "", "") {
            s.push("", &l, Part::Hint, false);
        }
        Stage { lines: s.lines }
    }
}

/// Lines placed top to bottom.
#[derive(Default)]
struct Rows {
    lines: Vec<StageLine>,
    row: u16,
}

impl Rows {
    fn push(&mut self, lead: &str, text: &str, part: Part, big: bool) {
        self.lines.push(StageLine {
            row: self.row,
            lead: lead.to_owned(),
            text: text.to_owned(),
            part,
            big,
        });
        self.row += if big { 2 } else { 1 };
    }

    fn gap(&mut self) {
        self.row += 1;
    }
}

/// `text` (digits and `:`) in block letters three rows high: each pixel is two columns
/// of a half block, so the figure reads from the back of a room.
pub fn big_digits(text: &str) -> Vec<String> {
    // 3×5 pixels per character, top row first.
    fn glyph(c: char) -> [&'static str; 5] {
        match c {
            '0' => ["###", "#.#", "#.#", "#.#", "###"],
            '1' => [".#.", "##.", ".#.", ".#.", "###"],
            '2' => ["###", "..#", "###", "#..", "###"],
            '3' => ["###", "..#", ".##", "..#", "###"],
            '4' => ["#.#", "#.#", "###", "..#", "..#"],
            '5' => ["###", "#..", "###", "..#", "###"],
            '6' => ["###", "#..", "###", "#.#", "###"],
            '7' => ["###", "..#", ".#.", ".#.", ".#."],
            '8' => ["###", "#.#", "###", "#.#", "###"],
            '9' => ["###", "#.#", "###", "..#", "###"],
            ':' => ["...", ".#.", "...", ".#.", "..."],
            _ => ["...", "...", "...", "...", "..."],
        }
    }
    let glyphs: Vec<[&str; 5]> = text.chars().map(glyph).collect();
    let on = |g: &[&str; 5], y: usize, x: usize| y < 5 && g[y].as_bytes()[x] == b'#';
    (0..3)
        .map(|r| {
            let (top, bottom) = (2 * r, 2 * r + 1);
            let mut line = String::new();
            for (i, g) in glyphs.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                for x in 0..3 {
                    let cell = match (on(g, top, x), on(g, bottom, x)) {
                        (true, true) => "██",
                        (true, false) => "▀▀",
                        (false, true) => "▄▄",
                        (false, false) => "  ",
                    };
                    line.push_str(cell);
                }
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_digits_are_three_rows_of_half_blocks() {
        let rows = big_digits("0:27");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], "██▀▀██    ▄▄    ▀▀▀▀██  ▀▀▀▀██");
        assert_eq!(rows[2], "▀▀▀▀▀▀          ▀▀▀▀▀▀    ▀▀  ");
        assert!(rows.iter().all(|r| r.width() == rows[0].width()));
        assert_eq!(rows[0].width(), 4 * 6 + 3 * 2);
    }
}
