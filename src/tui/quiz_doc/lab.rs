//! The lab part of predict and diagnose questions: the observer's view of a peer's
//! heartbeats before answering, and what the simulator computed (and the truth) after.

use ratatui::text::Line;

use super::Builder;
use crate::lesson::{Lesson, Question, QuestionKind};
use crate::plain::quiz::lab::heartbeat_view;
use crate::sim::Status;
use crate::tui::quiz_tab::QuizTab;
use crate::tui::theme::Theme;

/// Before answering a lab question: what the learner gets to see.
pub(super) fn lab_before(b: &mut Builder, q: &QuizTab, question: &Question, t: &Theme) {
    let Some((_, run)) = &q.lab_run else { return };
    let run = match run {
        Ok(run) => run,
        Err(e) => {
            b.text(
                "Cannot run this question's scenario: ",
                t.wrong,
                e,
                t.base,
                None,
            );
            b.blank();
            return;
        }
    };
    let scenario = question.scenario.as_deref().unwrap_or("?");
    if question.kind == QuestionKind::Diagnose {
        let (observer, subject) = (
            question.observer.as_deref().unwrap_or("?"),
            question.subject.as_deref().unwrap_or("?"),
        );
        b.text(
            "",
            t.base,
            &format!(
                "All {observer} knows: the heartbeats it received from {subject} (true time →)"
            ),
            t.label,
            None,
        );
        // The view ends where the question says (its until_ms), not where the run stopped
        // after the messages in flight landed.
        let end_us = question
            .until_ms
            .map_or(run.sim.now_us(), |ms| ms.saturating_mul(1000))
            .max(1);
        let period = run.sim.params().heartbeat_ms * 1000;
        // A column is never narrower than 1.5 heartbeat periods, so a steady stream reads as
        // a solid bar and only real silences show as gaps.
        let max_cols = b.width.saturating_sub(2).clamp(10, 80) as u64;
        let col_us = (end_us / max_cols).max(period * 3 / 2).max(1);
        let cols = end_us.div_ceil(col_us).max(1) as usize;
        let mut cells = vec!['·'; cols];
        let seen: Vec<u64> = (run.heartbeats_us.iter().copied())
            .filter(|&h| h <= end_us)
            .collect();
        for &h in &seen {
            cells[((h / col_us) as usize).min(cols - 1)] = '▮';
        }
        b.push(
            Line::styled(cells.into_iter().collect::<String>(), t.accent),
            None,
        );
        b.push(
            Line::styled(
                format!("0 s{:>w$}", seconds(end_us), w = cols.saturating_sub(3)),
                t.dim,
            ),
            None,
        );
        let numbers = &run.heartbeat_numbers[..seen.len().min(run.heartbeat_numbers.len())];
        let view = heartbeat_view(observer, subject, &seen, numbers, period, end_us);
        b.text("", t.dim, &view, t.dim, None);
    } else {
        let seed = question.seed.unwrap_or(1);
        b.text("", t.dim, &format!("Predict, then see: after you answer, the simulator's run of `{scenario}` (seed {seed}) is shown. p: watch it in the lab."), t.dim, None);
    }
    b.blank();
}

/// After answering a lab question: what the simulator computed.
pub(super) fn lab_after(b: &mut Builder, lesson: &Lesson, q: &QuizTab, t: &Theme) {
    let Some((id, Ok(run))) = &q.lab_run else {
        return;
    };
    let Some(question) = lesson.questions.iter().find(|x| x.id == id.as_str()) else {
        return;
    };
    let scenario = question.scenario.as_deref().unwrap_or("?");
    let seed = question.seed.unwrap_or(1);
    let head = format!(
        "The simulator ran `{scenario}` (seed {seed}, to {}):",
        seconds(run.sim.now_us())
    );
    b.text("", t.label, &head, t.label, None);
    for line in run.explain_plain() {
        b.text("  ", t.base, &line, t.base, None);
    }
    if let (QuestionKind::Diagnose, Some(subject)) = (question.kind, question.subject.as_deref()) {
        if let Some(node) = run.sim.nodes().iter().find(|n| n.name == subject) {
            let status = match node.status {
                Status::Up => "up",
                Status::Crashed => "CRASHED",
                Status::Paused { .. } => "PAUSED",
            };
            b.text(
                "  ",
                t.base,
                &format!("The truth: {subject} was {status} at the end of the run."),
                t.right,
                None,
            );
        }
        let events = lesson
            .scenario(scenario)
            .map(|s| s.events.clone())
            .unwrap_or_default();
        let end_ms = run.sim.now_us() / 1000;
        for e in events
            .iter()
            .filter(|e| e.command.contains(subject) && e.at_ms <= end_ms)
        {
            b.text(
                "  ",
                t.base,
                &format!(
                    "at {}: {}",
                    seconds(e.at_ms * 1000),
                    crate::sim::Command::parse(&e.command)
                        .map_or_else(|_| e.command.to_string(), |c| c.describe())
                ),
                t.dim,
                None,
            );
        }
    }
    b.text("", t.dim, "p: watch this run in the lab.", t.dim, None);
    b.blank();
}

fn seconds(us: u64) -> String {
    format!("{:.1} s", us as f64 / 1e6)
}
