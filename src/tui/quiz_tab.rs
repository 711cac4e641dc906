//! The Quiz tab's state: the session, what is on screen (a question, its feedback, or the
//! summary), the highlighted option, and the clock. Changes only through [`QuizTab::update`].

use std::time::{Duration, Instant};

use super::effect::Effect;
use super::scroll::ScrollPos;
use crate::lesson::Lesson;
use crate::progress::{Attempt, OpenAttempt, OpenQuestion, ProgressStore, unix_now};
use crate::quiz::estimate::{self, Estimate};
use crate::quiz::lab_question::{self, LabRun};
use crate::quiz::{Feedback, Mode, Order, QuizSession, Summary};

/// Quiz controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizAction {
    /// Answer with option `n` (0 is a).
    Answer(usize),
    /// The next option down (an estimate: ten steps less).
    SelectNext,
    /// The next option up (an estimate: ten steps more).
    SelectPrev,
    /// An estimate: this many steps more (less when negative).
    Nudge(i64),
    /// Answer the highlighted option, or go on after feedback.
    Confirm,
    /// Classroom: start (or stop) a 30 s countdown before the reveal.
    Countdown,
    /// Switch practice / exam (starts over).
    ToggleMode,
    RetryMissed,
    Restart,
    /// Start a review: the lowest Leitner boxes first.
    Review,
}

/// What the Quiz tab shows.
#[derive(Debug, Clone)]
pub enum Showing {
    Question,
    /// Practice-mode feedback on the answer just given.
    Feedback(Box<Feedback>),
    Summary(Box<Summary>),
}

/// The Quiz tab.
pub struct QuizTab {
    pub session: QuizSession,
    pub order: Order,
    pub showing: Showing,
    /// The highlighted option; on an estimate question, the guess.
    pub selected: usize,
    pub scroll: ScrollPos,
    lesson_id: String,
    started: Instant,
    /// Classroom mode (projector): letters mark the class's answer without revealing it;
    /// Enter reveals.
    pub classroom: bool,
    /// A classroom countdown's deadline, in the app's elapsed time.
    pub countdown: Option<Duration>,
    /// The class's answer as marked (classroom mode): none until someone marks one, so a
    /// reveal never records an answer nobody gave.
    pub class_mark: Option<usize>,
    /// Enter was pressed in classroom mode with no answer marked: the hint says to mark one.
    pub asked_to_mark: bool,
    /// The run of the current lab question (predict / diagnose), keyed by question id.
    pub lab_run: Option<(String, Result<LabRun, String>)>,
    /// What the runs of the current estimate question computed, keyed by question id.
    pub estimate: Option<(String, Result<Estimate, String>)>,
    /// The question [`QuizTab::prepare`] last prepared.
    prepared_for: Option<String>,
    /// Fresh starts since the app opened (each arranges the options anew).
    restarts: u64,
    /// Past attempts, as saved (refreshed after each answer).
    pub history: super::quiz_history::History,
    /// Set when this attempt was resumed from an earlier run: how many answers it had.
    pub resumed: Option<usize>,
}

/// The saved unfinished attempt as a session, if it still fits the lesson's questions.
fn resume(lesson: &Lesson, open: &OpenAttempt) -> Option<QuizSession> {
    let mode = match open.mode.as_str() {
        "exam" => Mode::Exam,
        _ => Mode::Practice,
    };
    let slots = open
        .questions
        .iter()
        .map(|q| {
            let index = lesson
                .questions
                .iter()
                .position(|x| x.id == q.id.as_str())?;
            Some(crate::quiz::order::Slot {
                question: index,
                options: q.options.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    if open.answers.is_empty() || open.answers.len() >= slots.len() {
        return None;
    }
    QuizSession::resume(&lesson.questions, slots, mode, &open.answers, |q| {
        estimate::compute(lesson, q).ok().map(|e| e.answer)
    })
}

/// The attempt under way, to save: its questions as asked and its answers so far.
fn open_attempt(lesson: &Lesson, session: &QuizSession) -> OpenAttempt {
    OpenAttempt {
        mode: match session.mode() {
            Mode::Practice => "practice".into(),
            Mode::Exam => "exam".into(),
        },
        questions: session
            .slots()
            .into_iter()
            .map(|s| OpenQuestion {
                id: lesson.questions[s.question].id.to_string(),
                options: s.options,
            })
            .collect(),
        answers: session.chosen().to_vec(),
    }
}

impl QuizTab {
    pub fn new(
        lesson: &Lesson,
        order: Order,
        mode: Mode,
        progress: Option<&ProgressStore>,
    ) -> QuizTab {
        Self::attempt(lesson, order, mode, progress, 0)
    }

    /// [`QuizTab::new`] for the `restarts`-th fresh start since the app opened: each start
    /// is a new attempt, with the options in a new order.
    fn attempt(
        lesson: &Lesson,
        order: Order,
        mode: Mode,
        progress: Option<&ProgressStore>,
        restarts: u64,
    ) -> QuizTab {
        let day = progress.and_then(|p| p.lesson(&lesson.id));
        let attempt = day.map_or(0, |d| u64::from(d.attempts)) + restarts;
        // On the first start, an attempt left unfinished carries on where it stopped.
        let resumed = (restarts == 0 && order == Order::Lesson)
            .then(|| day.and_then(|d| d.open.as_ref()))
            .flatten()
            .and_then(|open| resume(lesson, open));
        let resumed_at = resumed.as_ref().map(QuizSession::answered);
        let session = resumed.unwrap_or_else(|| {
            QuizSession::with_order(
                &lesson.questions,
                order,
                mode,
                |id| day.and_then(|d| d.box_of(id)),
                crate::quiz::attempt_seed(&lesson.id, attempt),
            )
        });
        QuizTab {
            session,
            order,
            restarts,
            history: super::quiz_history::History::of(lesson, progress),
            resumed: resumed_at,
            showing: Showing::Question,
            selected: 0,
            class_mark: None,
            asked_to_mark: false,
            scroll: ScrollPos::default(),
            lesson_id: lesson.id.to_string(),
            started: Instant::now(),
            lab_run: None,
            estimate: None,
            prepared_for: None,
            classroom: false,
            countdown: None,
        }
        .prepared(lesson)
    }

    fn prepared(mut self, lesson: &Lesson) -> QuizTab {
        self.prepare(lesson);
        self
    }

    /// The question on screen now: the current one, or the one whose feedback shows.
    pub fn question_id(&self) -> Option<String> {
        match &self.showing {
            Showing::Feedback(f) => Some(f.question_id.clone()),
            Showing::Question => self.session.current().map(|q| q.id.to_string()),
            Showing::Summary(_) => None,
        }
    }

    /// Runs the scenario of the question on screen, if it is a lab question and has not run,
    /// or the runs of an estimate question (whose guess then starts mid-scale).
    fn prepare(&mut self, lesson: &Lesson) {
        let id = self.question_id();
        if id == self.prepared_for {
            return;
        }
        self.prepared_for.clone_from(&id);
        self.lab_run = None;
        self.estimate = None;
        let Some(id) = id else { return };
        let Some(q) = lesson.questions.iter().find(|q| q.id == id.as_str()) else {
            return;
        };
        if lab_question::uses_lab(q) {
            self.lab_run = Some((id.clone(), lab_question::run(lesson, q)));
        }
        if let Some(spec) = &q.estimate {
            // The answer is computed now but shown only once the guess is in.
            let runs = estimate::compute(lesson, q);
            if let (Ok(e), true) = (&runs, self.session.needs_estimate()) {
                self.session.settle_estimate(e.answer);
            }
            if let Showing::Question = self.showing {
                self.selected = estimate::start(spec) as usize;
            }
            self.estimate = Some((id, runs));
        }
    }

    /// The current question's estimate spec, while it is being asked.
    pub fn asking_estimate(&self) -> Option<&crate::lesson::EstimateSpec> {
        match self.showing {
            Showing::Question => self.session.current()?.estimate.as_ref(),
            _ => None,
        }
    }

    /// A new attempt in `order` and `mode`, in the same room (classroom mode kept).
    fn start_over(
        &mut self,
        lesson: &Lesson,
        order: Order,
        mode: Mode,
        progress: Option<&ProgressStore>,
    ) {
        *self = QuizTab {
            classroom: self.classroom,
            ..QuizTab::attempt(lesson, order, mode, progress, self.restarts + 1)
        };
    }

    fn restart_with(&mut self, session: QuizSession) {
        self.countdown = None;
        self.session = session;
        self.showing = Showing::Question;
        self.selected = 0;
        self.class_mark = None;
        self.asked_to_mark = false;
        self.scroll = ScrollPos::default();
        self.started = Instant::now();
        self.prepared_for = None;
    }

    /// Applies a quiz action; answers are recorded in `progress` as they happen, and the
    /// effect asks the event loop to save it.
    pub fn update(
        &mut self,
        action: QuizAction,
        lesson: &Lesson,
        progress: Option<&mut ProgressStore>,
    ) -> Option<Effect> {
        let effect = self.apply(action, lesson, progress);
        self.prepare(lesson);
        effect
    }

    fn apply(
        &mut self,
        action: QuizAction,
        lesson: &Lesson,
        mut progress: Option<&mut ProgressStore>,
    ) -> Option<Effect> {
        let options = self.session.current().map_or(0, |q| q.options.len());
        // Starting over abandons the attempt under way: the next start does not resume it.
        if matches!(
            action,
            QuizAction::ToggleMode | QuizAction::Restart | QuizAction::Review
        ) && let Some(store) = progress.as_deref_mut()
            && store
                .lesson(&self.lesson_id)
                .is_some_and(|d| d.open.is_some())
        {
            store.lesson_mut(&self.lesson_id).set_open(None);
        }
        if let Some(spec) = self.asking_estimate() {
            let steps = match action {
                QuizAction::Nudge(n) => Some(n),
                QuizAction::SelectPrev => Some(10),
                QuizAction::SelectNext => Some(-10),
                _ => None,
            };
            if let Some(steps) = steps {
                self.selected = estimate::nudge(spec, self.selected as u64, steps) as usize;
                return None;
            }
            if let QuizAction::Answer(_) = action {
                return None; // letters name options; an estimate has none
            }
        }
        match (action, &self.showing) {
            (QuizAction::Answer(n), Showing::Question) if self.classroom && n < options => {
                self.mark(n);
            }
            (QuizAction::Answer(_), Showing::Question) if self.classroom => {}
            (QuizAction::SelectNext, Showing::Question) if self.classroom && options > 0 => {
                self.mark(self.class_mark.map_or(0, |m| (m + 1) % options));
            }
            (QuizAction::SelectPrev, Showing::Question) if self.classroom && options > 0 => {
                self.mark(
                    self.class_mark
                        .map_or(options - 1, |m| (m + options - 1) % options),
                );
            }
            (QuizAction::Confirm, Showing::Question)
                if self.classroom && self.asking_estimate().is_none() =>
            {
                match self.class_mark {
                    Some(n) => return self.answer(n, lesson, progress),
                    None => self.asked_to_mark = true,
                }
            }
            (QuizAction::SelectNext, Showing::Question) if options > 0 => {
                self.selected = (self.selected + 1) % options;
            }
            (QuizAction::SelectPrev, Showing::Question) if options > 0 => {
                self.selected = (self.selected + options - 1) % options;
            }
            (QuizAction::Answer(n), Showing::Question) => {
                return self.answer(n, lesson, progress);
            }
            (QuizAction::Confirm, Showing::Question) => {
                return self.answer(self.selected, lesson, progress);
            }
            (QuizAction::Confirm, Showing::Feedback(_)) => self.after_answer(),
            (QuizAction::ToggleMode, _) => {
                let mode = match self.session.mode() {
                    Mode::Practice => Mode::Exam,
                    Mode::Exam => Mode::Practice,
                };
                // A new mode starts over: a review's order does not carry into an exam.
                let order = match self.order {
                    Order::Review => Order::Lesson,
                    other => other,
                };
                self.start_over(lesson, order, mode, progress.as_deref());
            }
            (QuizAction::Restart, _) => {
                self.start_over(lesson, self.order, self.session.mode(), progress.as_deref());
            }
            (QuizAction::RetryMissed, Showing::Summary(s)) if !s.missed.is_empty() => {
                self.restart_with(self.session.retry_missed());
            }
            (QuizAction::Review, _) => {
                self.start_over(
                    lesson,
                    Order::Review,
                    self.session.mode(),
                    progress.as_deref(),
                );
            }
            _ => {}
        }
        None
    }

    fn answer(
        &mut self,
        n: usize,
        lesson: &Lesson,
        progress: Option<&mut ProgressStore>,
    ) -> Option<Effect> {
        self.countdown = None;
        let answered = self.session.answer(n).ok()?;
        let mut effect = None;
        if let Some(store) = progress {
            let day = store.lesson_mut(&self.lesson_id);
            day.record_answer(&answered.question_id, answered.correct);
            if self.session.is_finished() {
                let summary = self.session.summary(self.started.elapsed());
                day.record_attempt(Attempt::from_summary(&summary, unix_now()));
                day.set_open(None);
            } else {
                day.set_open(Some(open_attempt(lesson, &self.session)));
            }
            effect = Some(Effect::SaveProgress);
            self.history = super::quiz_history::History::of(lesson, Some(store));
        }
        self.scroll = ScrollPos::default();
        match answered.feedback {
            Some(feedback) => self.showing = Showing::Feedback(Box::new(feedback)),
            None => self.after_answer(),
        }
        effect
    }

    /// Marks option `n` as the class's answer.
    fn mark(&mut self, n: usize) {
        self.selected = n;
        self.class_mark = Some(n);
        self.asked_to_mark = false;
    }

    fn after_answer(&mut self) {
        self.selected = 0;
        self.class_mark = None;
        self.asked_to_mark = false;
        self.scroll = ScrollPos::default();
        self.showing = if self.session.is_finished() {
            Showing::Summary(Box::new(self.session.summary(self.started.elapsed())))
        } else {
            Showing::Question
        };
    }

    /// Time since this run of the quiz started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
