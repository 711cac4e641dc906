//! `distlab progress`: the saved progress of one lesson as text, or all of it as JSON.

use std::io::{self, Write};

use serde_json::json;

use super::{Attempt, LessonProgress, ProgressStore};
use crate::lesson::{Lesson, sanitize::sanitize};

/// How many weak questions the text report lists.
const WEAKEST_SHOWN: usize = 5;

/// Writes attempts, best and last score, reading position and the weakest questions.
pub fn write_text(store: &ProgressStore, lesson: &Lesson, out: &mut dyn Write) -> io::Result<()> {
    let empty = LessonProgress::default();
    let day = store.lesson(&lesson.id).unwrap_or(&empty);
    writeln!(
        out,
        "Progress for {} ({}) in {}",
        lesson.short_title(),
        lesson.id,
        crate::input::shown(store.path())
    )?;
    writeln!(out, "Attempts: {}", day.attempts)?;
    writeln!(out, "Best score: {}", attempt_text(day.best.as_ref()))?;
    writeln!(out, "Last score: {}", attempt_text(day.last.as_ref()))?;
    if day.recent.len() > 1 {
        let scores: Vec<String> = day.recent.iter().map(|a| a.score().to_string()).collect();
        writeln!(out, "Recent scores, oldest first: {}", scores.join(", "))?;
    }
    let asked = lesson
        .questions
        .iter()
        .filter(|q| day.box_of(&q.id).is_some())
        .count();
    let n = lesson.questions.len();
    writeln!(out, "Questions answered at least once: {asked} of {n}")?;
    if let Some(r) = &day.reading {
        writeln!(
            out,
            "Reading position: {}, line {}",
            sanitize(&r.section),
            r.line
        )?;
    }
    let weakest = weakest(day, lesson);
    if weakest.is_empty() {
        writeln!(out, "Weakest questions: none missed yet")?;
    } else {
        writeln!(out, "Weakest questions:")?;
        for w in weakest.iter().take(WEAKEST_SHOWN) {
            // A short title keeps each entry on one line of 80 columns.
            writeln!(
                out,
                "- {} (right {} of {} times)",
                w.title, w.right, w.asked
            )?;
        }
    }
    if day.attempts == 0 {
        writeln!(out, "Take the quiz: distlab quiz")?;
    }
    out.flush()
}

/// All saved progress (every lesson) as JSON, with this lesson's weakest questions. The
/// progress file is anyone's to edit, so print the result through [`to_json_text`], which
/// keeps C1 controls and the like (which JSON leaves raw) away from the terminal.
pub fn to_json(store: &ProgressStore, lesson: &Lesson) -> serde_json::Value {
    let empty = LessonProgress::default();
    let day = store.lesson(&lesson.id).unwrap_or(&empty);
    let weakest: Vec<_> = weakest(day, lesson)
        .into_iter()
        .map(|w| {
            json!({
                "id": w.id, "title": w.title, "text": w.text, "asked": w.asked, "right": w.right,
                "box": w.leitner_box,
            })
        })
        .collect();
    json!({
        "file": store.path().display().to_string(),
        "format_version": super::FORMAT_VERSION,
        "lesson": lesson.id.as_str(),
        "weakest": weakest,
        "lessons": store.progress().lessons,
    })
}

/// A weak question with the lesson's (sanitized) text for it.
struct Weak {
    id: String,
    text: String,
    title: String,
    asked: u32,
    right: u32,
    leitner_box: u8,
}

/// The lesson's questions answered wrong at least once, weakest first; ids in the file
/// that the lesson does not have are left out.
fn weakest(day: &LessonProgress, lesson: &Lesson) -> Vec<Weak> {
    day.weakest()
        .into_iter()
        .filter_map(|(id, s)| {
            let q = lesson.questions.iter().find(|q| q.id == id)?;
            Some(Weak {
                id: q.id.to_string(),
                text: q.text.split_whitespace().collect::<Vec<_>>().join(" "),
                title: q.short_title(),
                asked: s.asked,
                right: s.right,
                leitner_box: s.leitner_box,
            })
        })
        .collect()
}

fn attempt_text(a: Option<&Attempt>) -> String {
    match a {
        None => "none yet".into(),
        Some(a) => {
            let pct = u64::from(a.right) * 100 / u64::from(a.total.max(1));
            format!("{} ({pct}%)", a.score())
        }
    }
}

/// [`to_json`] as pretty-printed text, [`sanitize`]d: JSON escapes only the characters
/// below U+0020, so a C1 control or a bidi override in a hand-edited progress file (or in
/// its path) would otherwise reach the terminal raw. Removing characters inside strings
/// keeps the JSON valid.
pub fn to_json_text(store: &ProgressStore, lesson: &Lesson) -> String {
    sanitize(&format!("{:#}", to_json(store, lesson)))
}
