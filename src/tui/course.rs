//! The course's start screen (`distlab --course DIR`): the course's lessons in order, each
//! with what the learner has done in it (where they stopped reading, the quiz's best
//! score), the one to take next marked. Enter opens a lesson; leaving it (q) comes back
//! here with the next lesson offered once its quiz is done.

use ratatui::crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::course::Course;
use crate::lesson::Lesson;
use crate::progress::{LessonProgress, Progress};

/// What a key does on the course screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseAction {
    Next,
    Prev,
    Open,
    /// q: leave distlab.
    Quit,
}

/// One lesson as the list shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    /// The part of the title before the colon (`Day 001`).
    pub short: String,
    /// The rest of it.
    pub title: String,
    pub tagline: String,
    /// What it holds, e.g. "3 concepts · 10 questions · 10 lab scenarios".
    pub holds: String,
    /// What the learner has done in it, one short line.
    pub done: String,
    /// A quiz attempt was finished (the lesson counts as taken).
    pub finished: bool,
    /// The best finished attempt's score, e.g. `8/10`.
    pub best: Option<String>,
}

/// The course screen's state.
#[derive(Debug, Clone)]
pub struct CourseScreen {
    pub title: String,
    pub lessons: Vec<Entry>,
    pub selected: usize,
    /// A line for the learner: the lesson to take next, or why a lesson did not open.
    pub note: Option<String>,
    /// Progress is kept (a progress file is in use): the list says so when it is not.
    pub saving: bool,
}

impl CourseScreen {
    /// The screen for `course` with the learner's `progress` (none when nothing is saved),
    /// the first lesson whose quiz is not done selected.
    pub fn new(course: &Course, progress: Option<&Progress>) -> CourseScreen {
        let mut s = CourseScreen {
            title: course.title.clone(),
            lessons: course
                .lessons
                .iter()
                .map(|l| entry(&l.lesson, None))
                .collect(),
            selected: 0,
            note: None,
            saving: progress.is_some(),
        };
        s.refresh(course, progress);
        s.selected = s.next_lesson().unwrap_or(0);
        s
    }

    /// Reads the learner's progress again (after a lesson was left).
    pub fn refresh(&mut self, course: &Course, progress: Option<&Progress>) {
        self.saving = progress.is_some();
        self.lessons = (course.lessons.iter())
            .map(|l| {
                entry(
                    &l.lesson,
                    progress.and_then(|p| p.lessons.get(l.lesson.id.as_str())),
                )
            })
            .collect();
    }

    /// The first lesson whose quiz has not been finished, if any.
    pub fn next_lesson(&self) -> Option<usize> {
        self.lessons.iter().position(|e| !e.finished)
    }

    /// Back from lesson `i`: once its quiz is finished, the next lesson whose quiz is not
    /// (after it, else before it) is selected and offered; otherwise lesson `i` stays
    /// selected.
    pub fn returned_from(&mut self, i: usize) {
        let n = self.lessons.len();
        let Some(left) = self.lessons.get(i) else {
            return;
        };
        self.selected = i;
        let Some(best) = &left.best else {
            self.note = None;
            return;
        };
        let done = format!("{}'s quiz is finished (best {best})", left.short);
        match (i + 1..n).chain(0..i).find(|&j| !self.lessons[j].finished) {
            Some(j) => {
                let next = &self.lessons[j];
                self.note = Some(format!(
                    "{done}. Next: {}: {}. Enter opens it.",
                    next.short, next.title
                ));
                self.selected = j;
            }
            None => {
                self.note = Some(format!(
                    "{done}, and so is every lesson's. Open any to read again or retake its quiz."
                ));
            }
        }
    }

    /// Applies `action`; returns the lesson to open, if one is chosen.
    pub fn update(&mut self, action: CourseAction) -> Option<usize> {
        let n = self.lessons.len().max(1);
        match action {
            CourseAction::Next => self.selected = (self.selected + 1) % n,
            CourseAction::Prev => self.selected = (self.selected + n - 1) % n,
            CourseAction::Open => return Some(self.selected).filter(|&i| i < self.lessons.len()),
            CourseAction::Quit => {}
        }
        None
    }
}

/// The action for a terminal event on the course screen.
pub fn map_event(event: &Event) -> Option<CourseAction> {
    let Event::Key(key) = event else {
        return None;
    };
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c' | 'q')).then_some(CourseAction::Quit);
    }
    super::keymap::COURSE
        .iter()
        .find(|b| b.keys.contains(&key.code))
        .and_then(|b| match b.action {
            super::action::Action::Course(a) => Some(a),
            _ => None,
        })
}

fn entry(lesson: &Lesson, done: Option<&LessonProgress>) -> Entry {
    let (short, title) = match lesson.title.split_once(':') {
        Some((a, b)) => (a.trim().to_owned(), b.trim().to_owned()),
        None => (lesson.id.to_string(), lesson.title.to_string()),
    };
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let mut holds = vec![
        count(lesson.concepts.len(), "concept"),
        count(lesson.questions.len(), "question"),
    ];
    if !lesson.scenarios.is_empty() {
        holds.push(count(lesson.scenarios.len(), "lab scenario"));
    }
    Entry {
        id: lesson.id.to_string(),
        short,
        title,
        tagline: lesson.tagline.to_string(),
        holds: holds.join(" · "),
        done: done_line(lesson, done),
        finished: done.is_some_and(|p| p.best.is_some()),
        best: (done.and_then(|p| p.best.as_ref())).map(|b| format!("{}/{}", b.right, b.total)),
    }
}

/// What the learner has done in `lesson`, in a few words: where they stopped reading and
/// the quiz's best score.
pub fn done_line(lesson: &Lesson, done: Option<&LessonProgress>) -> String {
    let Some(p) = done else {
        return "not opened yet".into();
    };
    // The score first, so a narrow screen cuts the reading place, not the score.
    let mut parts = Vec::new();
    match &p.best {
        Some(best) => {
            let percent = (f64::from(best.right) * 100.0 / f64::from(best.total.max(1))).round();
            parts.push(format!(
                "quiz best {}/{} ({percent}%) in {}",
                best.right,
                best.total,
                match p.attempts {
                    1 => "1 attempt".to_owned(),
                    n => format!("{n} attempts"),
                }
            ));
        }
        None => match &p.open {
            Some(open) if !open.answers.is_empty() => parts.push(format!(
                "quiz under way: {} of {} answered",
                open.answers.len(),
                open.questions.len()
            )),
            _ => parts.push("quiz not taken".into()),
        },
    }
    if let Some(r) = &p.reading {
        let place = lesson
            .sections()
            .find(|(id, _)| *id == r.section)
            .map(|(_, title)| title.to_string())
            .or_else(|| lesson.concept(&r.section).map(|c| c.title.to_string()));
        if let Some(place) = place {
            parts.push(format!("reading: at {place}"));
        }
    }
    parts.join(" · ")
}
