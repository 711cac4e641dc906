//! The application state and the one place it changes: [`App::update`]. Each screen owns
//! its state ([`LessonTab`], [`ConceptsTab`], [`QuizTab`], [`Lab`], [`Help`]); `update`
//! returns the [`Effect`]s (saving, writing a file) that the event loop carries out.

mod effects;
mod navigate;
mod pointer;
mod reading;

use std::path::PathBuf;
use std::time::Duration;

use ratatui::layout::Rect;

use super::action::{Action, Scroll, Tab};
use super::concepts_tab::ConceptsTab;
use super::effect::Effect;
use super::help::Help;
use super::lab::Lab;
use super::layout;
use super::lesson_tab::LessonTab;
use super::quiz_doc::stage::{self, Stage};
use super::quiz_tab::{QuizAction, QuizTab, Showing};
use super::styled_doc::StyledDoc;
use super::theme::Theme;
use super::tradeoffs::{TradeAction, TradeOffs};
use super::{Display, Options};
use crate::lesson::Lesson;
use crate::progress::debounce::Debounce;
use crate::progress::{ProgressStore, ReadingPosition};

/// How long a classroom quiz countdown runs.
pub const COUNTDOWN: Duration = Duration::from_secs(30);

/// Everything the TUI shows and remembers while it runs.
pub struct App {
    pub lesson: Lesson,
    pub theme: Theme,
    pub tab: Tab,
    pub help: Help,
    pub area: Rect,
    pub lesson_tab: LessonTab,
    pub concepts: ConceptsTab,
    pub quiz: QuizTab,
    /// The live cluster; `None` when the lesson has no usable scenario (see `lab_error`).
    pub lab: Option<Lab>,
    pub lab_error: Option<String>,
    /// Wall time since the app started (for the presenter's clock and quiz countdowns).
    pub elapsed: Duration,
    /// Projector layout, reduced motion, starting speed.
    pub display: Display,
    /// Saved progress, when there is a progress file to keep it in.
    pub progress: Option<ProgressStore>,
    pub quit: bool,
    /// Leave distlab altogether, not only this lesson (Ctrl-C, a signal).
    pub quit_all: bool,
    /// Opened from a course's start screen: q goes back to it.
    pub in_course: bool,
    /// A one-line message for the footer ("saved to ...").
    pub status: Option<String>,
    /// Where the lab's `S` writes replay files (the current directory unless changed).
    pub replay_dir: PathBuf,
    /// When to save the reading position next (see [`App::autosave_reading`]).
    reading_saves: Debounce<ReadingPosition>,
    /// The Trade-offs view (`T` in the lab), while open.
    pub tradeoffs: Option<TradeOffs>,
    /// The Trade-offs runs that finished, kept while the view is closed.
    pub tradeoffs_kept: super::tradeoffs::Kept,
}

impl App {
    /// Whether a key does something here: a lab key only in a scenario where it changes
    /// something (see [`Lab::offers`]); every other key always. The footer and the help
    /// offer only these.
    pub fn offers(&self, b: &super::keymap::Binding) -> bool {
        match (b.action, &self.lab) {
            (Action::TradeOffs(_), _) => !self.lesson.sweeps.is_empty(),
            (Action::Lab(a), Some(lab)) => lab.offers(a),
            // No lab (no scenarios): no lab keys to offer.
            (Action::Lab(_), None) => false,
            _ => true,
        }
    }

    /// The app as `options` ask, on a terminal of `area`; with progress, it resumes where
    /// the learner stopped reading.
    pub fn new(lesson: Lesson, options: Options, area: Rect) -> App {
        let Options {
            theme,
            tab,
            progress,
            quiz: (order, mode),
            lab: start,
            warning,
            display,
        } = options;
        let lesson_tab = LessonTab::new(&lesson, reading_width(area), &theme);
        let mut quiz = QuizTab::new(&lesson, order, mode, progress.as_ref());
        quiz.classroom = display.projector;
        let opens_lab = start.is_some();
        let (lab, lab_error) = match Lab::open(&lesson.scenarios, start, display.speed_index) {
            Ok(lab) => (Some(lab), None),
            Err(e) => (None, Some(e)),
        };
        let mut app = App {
            lab,
            lab_error,
            display,
            elapsed: Duration::ZERO,
            quiz,
            progress,
            lesson,
            theme,
            tab: if opens_lab { Tab::Lab } else { tab },
            help: Help::default(),
            area,
            lesson_tab,
            concepts: ConceptsTab::default(),
            quit: false,
            quit_all: false,
            in_course: false,
            status: warning,
            replay_dir: PathBuf::from("."),
            reading_saves: Debounce::default(),
            tradeoffs: None,
            tradeoffs_kept: Default::default(),
        };
        app.restore_reading_position();
        app.reading_saves = Debounce::new(app.reading_position());
        app.fit();
        app
    }

    /// The screen regions for the current size and tab.
    pub fn areas(&self) -> layout::Areas {
        layout::areas(self.area, self.tab == Tab::Lab, self.display.projector)
    }

    /// The lesson wrapped for the current width. The width is the Lesson tab's whichever
    /// tab is showing (the Lab tab's body is wider), so that the reading position saved from
    /// any tab means the same line.
    pub fn lesson_doc(&self) -> &StyledDoc {
        self.lesson_tab.doc()
    }

    /// The current concept wrapped for the current width (built while the Concepts tab
    /// shows).
    pub fn concept_doc(&self) -> &StyledDoc {
        self.concepts.doc()
    }

    /// Prepares what the screen about to be drawn needs and the previous one did not: the
    /// documents whose inputs (width, concept) changed, the lab's links once it shows.
    fn fit(&mut self) {
        let width = reading_width(self.area);
        self.lesson_tab.fit(&self.lesson, width, &self.theme);
        if self.tab == Tab::Concepts {
            self.concepts.fit(&self.lesson, width, &self.theme);
        }
        if self.lab_on_screen()
            && let Some(lab) = &mut self.lab
        {
            lab.find_links();
        }
    }

    /// Applies one action, the only way state changes, and says what the event loop must
    /// do about it (save, write a file).
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        if !matches!(action, Action::Tick(_) | Action::Resize { .. }) {
            self.status = None;
        }
        let effects = self.apply(action);
        self.fit();
        effects
    }

    fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => self.quit = true,
            Action::QuitAll => {
                self.quit = true;
                self.quit_all = true;
            }
            // The course screen's keys are handled by its own loop.
            Action::Course(_) => {}
            Action::GoTab(tab) => self.tab = tab,
            Action::NextTab => self.tab = self.tab.next(),
            Action::PrevTab => self.tab = self.tab.prev(),
            Action::ToggleHelp => self.help.toggle(),
            Action::CloseOverlay => self.help.open = false,
            Action::Scroll(s) if self.help.open => {
                let (tab, size) = (self.tab, (self.area.width, self.area.height));
                let mut help = self.help;
                help.scroll(s, tab, size, &|b| self.offers(b));
                self.help = help;
            }
            Action::Resize { width, height } => self.area = Rect::new(0, 0, width, height),
            Action::Scroll(s) => self.scroll(s),
            Action::Wheel { lines, .. } => self.scroll_by(isize::from(lines)),
            Action::Click { column, row } => return self.click(column, row),
            Action::NextConcept => self.select_concept(self.concepts.current + 1),
            Action::PrevConcept => self.select_concept(self.concepts.current.saturating_sub(1)),
            Action::Quiz(QuizAction::Countdown) => {
                let q = &mut self.quiz;
                q.countdown = match q.countdown {
                    Some(_) => None,
                    None => Some(self.elapsed + COUNTDOWN),
                };
            }
            // With no options on screen (feedback, summary) the arrows scroll the text.
            Action::Quiz(q @ (QuizAction::SelectNext | QuizAction::SelectPrev))
                if !matches!(self.quiz.showing, Showing::Question) =>
            {
                self.scroll(if q == QuizAction::SelectNext {
                    Scroll::Down
                } else {
                    Scroll::Up
                });
            }
            Action::Quiz(q) => {
                return (self.quiz.update(q, &self.lesson, self.progress.as_mut()))
                    .into_iter()
                    .collect();
            }
            Action::OpenChecked => self.open_checked(),
            Action::RunQuestion => self.run_question(),
            Action::Lab(a) => {
                if let Some(lab) = &mut self.lab {
                    return lab.update(a, &self.lesson.scenarios).into_iter().collect();
                }
            }
            Action::TradeOffs(a) => self.trade_offs(a),
            Action::Tick(elapsed) => {
                self.elapsed += elapsed;
                if let Some(t) = &mut self.tradeoffs {
                    t.poll();
                }
                if let Some(lab) = &mut self.lab {
                    lab.tick(elapsed);
                }
            }
            Action::TryIt => self.try_it(),
            Action::Choose(c) => self.choose(c),
        }
        Vec::new()
    }

    /// Opens, drives or closes the Trade-offs view.
    fn trade_offs(&mut self, action: TradeAction) {
        match &mut self.tradeoffs {
            None if action == TradeAction::Open => {
                let scenario = self.lab.as_ref().map(|l| l.scenario().id.to_string());
                // The lab waits behind the view rather than run on unseen.
                if let Some(lab) = &mut self.lab {
                    lab.running = false;
                }
                let kept = std::mem::take(&mut self.tradeoffs_kept);
                self.tradeoffs = TradeOffs::open(&self.lesson, scenario.as_deref(), kept);
                if self.tradeoffs.is_none() {
                    self.status = Some("this lesson has no sweeps".into());
                }
            }
            None => {}
            Some(t) => {
                let open = t.update(action, &self.lesson);
                if !open && let Some(t) = self.tradeoffs.take() {
                    self.tradeoffs_kept = t.close();
                }
            }
        }
    }

    /// Applies display preferences (projector layout, reduced motion, starting speed).
    pub fn set_display(&mut self, display: Display) {
        self.display = display;
        self.quiz.classroom = display.projector;
        if let Some(lab) = &mut self.lab {
            lab.set_speed_index(display.speed_index);
        }
    }

    /// What keys mean right now.
    pub fn key_context(&self) -> super::keymap::Context {
        super::keymap::Context {
            tab: self.tab,
            help: self.help.open,
            walkthrough: self.lab.as_ref().is_some_and(|l| l.walk.is_some()),
            why: self.lab.as_ref().is_some_and(|l| l.why.is_some()),
            tradeoffs: self.tradeoffs.is_some(),
            choosing: self.concepts.choosing.is_some(),
        }
    }

    /// True while something on screen moves, so the event loop schedules frames.
    pub fn animating(&self) -> bool {
        self.lab.as_ref().is_some_and(Lab::animating)
            || self.tradeoffs.as_ref().is_some_and(TradeOffs::running)
    }

    /// True when the lab is drawn: its own tab, or beside the text on a wide terminal.
    pub fn lab_on_screen(&self) -> bool {
        self.tab == Tab::Lab || self.areas().side.is_some()
    }

    /// The classroom quiz as the projector shows it (large text, every option kept at the
    /// reveal), when this screen shows one; `None` draws the quiz's scrolling document.
    pub fn classroom_stage(&self) -> Option<Stage> {
        if !self.display.projector || self.tab != Tab::Quiz || !layout::fits(self.area) {
            return None;
        }
        // The help overlay would be drawn doubled on a double-height row.
        let big = self.display.double_height && !self.help.open;
        let left = stage::countdown_left(&self.quiz, self.elapsed);
        stage::stage(&self.quiz, self.areas().body, big, left)
    }

    /// The screen rows the terminal should draw double-height (the top row of each pair),
    /// from the same layout the quiz view draws.
    pub fn double_height_rows(&self) -> Vec<u16> {
        let body = self.areas().body;
        self.classroom_stage()
            .map(|s| s.big_rows().map(|r| body.y + r).collect())
            .unwrap_or_default()
    }

    /// True when a clock is on screen (the presenter's, or a quiz countdown): the event
    /// loop then wakes once a second even when nothing animates.
    pub fn clock_visible(&self) -> bool {
        self.display.projector || self.quiz.countdown.is_some()
    }

    fn select_concept(&mut self, n: usize) {
        self.concepts.select(n, self.lesson.concepts.len());
    }
}

/// The width the Lesson and Concepts documents wrap at on a terminal of `area`.
fn reading_width(area: Rect) -> usize {
    layout::text_width(layout::areas(area, false, false).body) as usize
}
