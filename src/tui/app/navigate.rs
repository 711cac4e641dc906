//! Moving between screens: the quiz to the concept it checks, a concept to its scenario,
//! and a quiz question to its run in the lab.

use super::App;
use crate::tui::action::{Choose, Tab};
use crate::tui::quiz_tab::Showing;

impl App {
    /// Loads the current concept's scenario into the lab and shows it; a concept with
    /// several opens the list to choose from.
    pub(super) fn try_it(&mut self) {
        let ids = self
            .lesson
            .concepts
            .get(self.concepts.current)
            .map_or(&[][..], |c| c.scenario.as_slice());
        match ids {
            [] => self.status = Some("this concept has no lab scenario".into()),
            [id] => self.open_scenario(&id.clone()),
            _ => self.concepts.choosing = Some(0),
        }
    }

    /// Moves in, opens from or closes the "try which scenario?" list.
    pub(super) fn choose(&mut self, c: Choose) {
        let Some(row) = self.concepts.choosing else {
            return;
        };
        let ids = self
            .lesson
            .concepts
            .get(self.concepts.current)
            .map_or(&[][..], |c| c.scenario.as_slice());
        let n = ids.len().max(1);
        match c {
            Choose::Next => self.concepts.choosing = Some((row + 1) % n),
            Choose::Prev => self.concepts.choosing = Some((row + n - 1) % n),
            Choose::Cancel => self.concepts.choosing = None,
            Choose::Open => {
                let id = ids.get(row).cloned();
                self.concepts.choosing = None;
                if let Some(id) = id {
                    self.open_scenario(&id);
                }
            }
        }
    }

    /// Loads scenario `id` into the lab and shows the Lab.
    fn open_scenario(&mut self, id: &str) {
        let scenarios = &self.lesson.scenarios;
        if let Some(lab) = &mut self.lab
            && let Some(i) = scenarios.iter().position(|s| s.id == id)
        {
            lab.load(scenarios, i);
            self.tab = Tab::Lab;
        }
    }

    /// Runs the quiz question's scenario (its overrides and seed) live in the lab: beside
    /// the question on wide terminals, on the Lab tab otherwise.
    pub(super) fn run_question(&mut self) {
        let Some(id) = self.quiz.question_id() else {
            return;
        };
        let Some(q) = self.lesson.questions.iter().find(|q| q.id == id.as_str()) else {
            return;
        };
        let (Some(scenario), Some(lab)) = (q.scenario.as_ref(), self.lab.as_mut()) else {
            self.status = Some("this question does not use the lab".into());
            return;
        };
        // Running it first would show the answer: the lab opens once the question is answered.
        if !matches!(self.quiz.showing, Showing::Feedback(_)) {
            self.status = Some(
                "answer first: running the scenario now would give the answer away; p runs \
                 exactly this question's setup once you have answered"
                    .into(),
            );
            return;
        }
        let scenarios = &self.lesson.scenarios;
        let Some(index) = scenarios.iter().position(|s| s.id == *scenario) else {
            return;
        };
        lab.until_us = q.until_ms.map(|ms| ms.saturating_mul(1000));
        lab.load_with(
            scenarios,
            index,
            q.seed.unwrap_or(1),
            q.set.clone().into_iter().collect(),
        );
        lab.running = true;
        if self.areas().side.is_none() {
            self.tab = Tab::Lab;
            self.status = Some(format!(
                "running `{scenario}` for question {id}; 4 returns to the quiz"
            ));
        }
    }

    /// Jumps from the quiz to the concept (or lesson section) the question checks.
    pub(super) fn open_checked(&mut self) {
        let checks = match &self.quiz.showing {
            Showing::Feedback(f) => f.checks.clone(),
            _ => match self.quiz.session.current() {
                Some(q) => q.checks.to_string(),
                None => return,
            },
        };
        if let Some(i) = self
            .lesson
            .concepts
            .iter()
            .position(|c| c.id == checks.as_str())
        {
            self.tab = Tab::Concepts;
            self.select_concept(i);
        } else {
            self.tab = Tab::Lesson;
            if let Some(line) = self.lesson_tab.line_of(&checks) {
                self.lesson_tab.pos.offset = line;
            }
        }
    }
}
