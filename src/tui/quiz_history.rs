//! What the Quiz tab shows of past attempts: last and best score, a small trend of the
//! latest ones, and the weakest questions by a short title. A snapshot of the saved
//! progress, taken when the tab is built and after each answer, so views only read it.

use crate::lesson::Lesson;
use crate::progress::ProgressStore;
use crate::quiz::Score;

/// Weakest questions shown.
pub const WEAKEST_SHOWN: usize = 3;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub attempts: u32,
    pub last: Option<Score>,
    pub best: Option<Score>,
    /// The latest finished attempts, oldest first.
    pub recent: Vec<Score>,
    /// Short titles of the weakest questions, weakest first.
    pub weakest: Vec<String>,
}

impl History {
    /// The history of `lesson` in `progress` (empty without one).
    pub fn of(lesson: &Lesson, progress: Option<&ProgressStore>) -> History {
        let Some(day) = progress.and_then(|p| p.lesson(&lesson.id)) else {
            return History::default();
        };
        let weakest = day
            .weakest()
            .into_iter()
            .filter_map(|(id, _)| lesson.questions.iter().find(|q| q.id == id))
            .take(WEAKEST_SHOWN)
            .map(|q| q.short_title())
            .collect();
        History {
            attempts: day.attempts,
            last: day.last.map(|a| a.score()),
            best: day.best.map(|a| a.score()),
            recent: day.recent.iter().map(|a| a.score()).collect(),
            weakest,
        }
    }

    /// One line: `Attempts 3 · last 14/22 · best 18/22 · trend ▃▅▇`; `None` before any.
    pub fn line(&self) -> Option<String> {
        let (last, best) = (self.last?, self.best?);
        let mut s = format!("Attempts {} · last {last} · best {best}", self.attempts);
        if self.recent.len() > 1 {
            s.push_str(" · trend ");
            s.extend(self.recent.iter().map(|sc| bar(*sc)));
        }
        Some(s)
    }
}

/// One of eight bar heights for a score's share.
fn bar(s: Score) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let share = f64::from(s.right) / f64::from(s.total.max(1));
    BARS[(share * 7.0).round().clamp(0.0, 7.0) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_last_best_and_a_trend() {
        let sc = |right, total| Score { right, total };
        let h = History {
            attempts: 3,
            last: Some(sc(14, 22)),
            best: Some(sc(18, 22)),
            recent: vec![sc(0, 22), sc(11, 22), sc(22, 22)],
            weakest: Vec::new(),
        };
        assert_eq!(
            h.line().unwrap(),
            "Attempts 3 · last 14/22 · best 18/22 · trend ▁▅█"
        );
        assert_eq!(History::default().line(), None);
    }
}
