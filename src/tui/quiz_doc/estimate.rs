//! Estimate questions on the Quiz tab: the scale with the learner's guess before the
//! answer, and after it the distribution over the runs with the guess and the answer marked.

use ratatui::text::{Line, Span};

use super::Builder;
use crate::lesson::{EstimateSpec, Lesson};
use crate::quiz::estimate::{Scale, with_unit};
use crate::quiz::{Feedback, Guess};
use crate::tui::quiz_tab::QuizTab;
use crate::tui::theme::Theme;

/// The scale with the guess marked, as the reveal draws it: (left end and track, mark,
/// track and right end).
fn scale(b: &Builder, spec: &EstimateSpec, guess: u64) -> (String, String, String) {
    let scale = Scale::new(spec, b.width);
    let at = scale.cell(guess as f64);
    let (lo, hi) = scale.ends();
    let left = "─".repeat(at);
    let right = "─".repeat(scale.cells - 1 - at);
    (
        format!("{lo}{left}"),
        "▲".to_owned(),
        format!("{right}{hi}"),
    )
}

/// Before the answer: what is asked, the guess on its scale, and the keys.
pub(super) fn before(b: &mut Builder, q: &QuizTab, spec: &EstimateSpec, t: &Theme) {
    if let Some((_, Err(e))) = &q.estimate {
        b.text(
            "Cannot make this question's runs: ",
            t.wrong,
            e,
            t.base,
            None,
        );
        b.blank();
        return;
    }
    let guess = q.selected as u64;
    b.text(
        "Your estimate: ",
        t.label,
        &with_unit(guess as f64, &spec.unit),
        t.selected,
        None,
    );
    let (left, mark, right) = scale(b, spec, guess);
    b.push(
        Line::from(vec![
            Span::styled(left, t.dim),
            Span::styled(mark, t.accent),
            Span::styled(right, t.dim),
        ]),
        None,
    );
    b.blank();
    let (one, ten) = (spec.step, spec.step * 10);
    let hint = if q.classroom {
        format!(
            "The class estimates aloud. ←/→ moves the guess by {one}, ↑/↓ by {ten} · Enter \
             reveals · t: 30 s countdown."
        )
    } else {
        format!(
            "←/→ moves the guess by {one}, ↑/↓ by {ten} · Enter answers. The answer comes from \
             {runs} runs (seeds 1 to {runs}) and stays hidden until you answer.",
            runs = spec.runs
        )
    };
    b.text("", t.dim, &hint, t.dim, None);
}

/// After the answer: how close the guess was, the scale with both marked, and the bars.
pub(super) fn after(
    b: &mut Builder,
    lesson: &Lesson,
    q: &QuizTab,
    f: &Feedback,
    guess: &Guess,
    t: &Theme,
) {
    let question = lesson.questions.get(f.lesson_index);
    let (Some(spec), Some((id, Ok(runs)))) =
        (question.and_then(|q| q.estimate.as_ref()), &q.estimate)
    else {
        // Without the runs at hand (they failed), the verdict alone.
        let mark = if f.correct { "✓ " } else { "✗ " };
        let style = if f.correct { t.right } else { t.wrong };
        let text = format!(
            "you said {}; the answer is {}.",
            with_unit(guess.guess as f64, &guess.unit),
            f.right_text
        );
        b.text(mark, style, &text, t.base, None);
        b.blank();
        return;
    };
    if *id != f.question_id {
        return;
    }
    let reveal = runs.reveal(spec, guess.guess, b.width);
    let style = if f.correct { t.right } else { t.wrong };
    b.text("", style, &reveal.verdict, style, None);
    b.blank();
    for (i, line) in reveal.scale.iter().enumerate() {
        let style = if i == 0 { t.accent } else { t.dim };
        b.push(Line::styled(line.clone(), style), None);
    }
    b.blank();
    b.text("", t.label, &reveal.what, t.label, None);
    for bar in &reveal.bars {
        b.push(Line::styled(bar.clone(), t.base), None);
    }
    b.blank();
    b.text(
        "",
        t.dim,
        "p: watch the first of these runs (seed 1) in the lab.",
        t.dim,
        None,
    );
    b.blank();
}
