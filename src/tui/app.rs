//! The application state and the one place it changes: [`App::update`].

mod navigate;

use std::cell::{Ref, RefCell};
use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use super::action::{Action, Scroll, Tab};
use super::lab::Lab;
use super::layout;
use super::quiz_tab::{QuizAction, QuizTab};
use super::styled_doc::StyledDoc;
use super::theme::Theme;
use crate::doc;
use crate::lesson::{Lesson, SECTIONS};
use crate::progress::debounce::Debounce;
use crate::progress::{ProgressStore, ReadingPosition};
use crate::quiz::{Mode, Order};

/// How long a classroom quiz countdown runs.
pub const COUNTDOWN: std::time::Duration = std::time::Duration::from_secs(30);

/// A scrollable text view: offset into lines that are wrapped at render width.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScrollPos {
    pub offset: usize,
}

/// A wrapped document, cached for one width.
#[derive(Default)]
struct DocCache {
    key: Option<(usize, usize)>,
    doc: StyledDoc,
}

/// Everything the TUI shows and remembers while it runs.
pub struct App {
    pub lesson: Lesson,
    pub theme: Theme,
    pub tab: Tab,
    pub help: bool,
    pub help_scroll: usize,
    pub area: Rect,
    pub lesson_pos: ScrollPos,
    pub concept: usize,
    pub concept_pos: ScrollPos,
    pub quiz: QuizTab,
    /// The live cluster; `None` when the lesson has no usable scenario (see `lab_error`).
    pub lab: Option<Lab>,
    pub lab_error: Option<String>,
    /// Wall time since the app started (for the presenter's clock and quiz countdowns).
    pub elapsed: std::time::Duration,
    /// Projector layout, reduced motion, starting speed.
    pub display: super::Display,
    /// Saved progress, when there is a progress file to keep it in.
    pub progress: Option<ProgressStore>,
    pub quit: bool,
    /// A one-line message for the footer ("saved to ...").
    pub status: Option<String>,
    /// When to save the reading position next (see [`App::autosave_reading`]).
    reading_saves: Debounce<ReadingPosition>,
    lesson_blocks: Vec<doc::Piece>,
    concept_blocks: Vec<Vec<doc::Piece>>,
    lesson_doc: RefCell<DocCache>,
    concept_doc: RefCell<DocCache>,
}

impl App {
    /// An app on `lesson`; with `progress`, it resumes where the learner stopped reading.
    pub fn new(lesson: Lesson, theme: Theme, area: Rect, progress: Option<ProgressStore>) -> App {
        let lesson_blocks = doc::blocks(&lesson, None, false);
        let concept_blocks = lesson
            .concepts
            .iter()
            .map(|c| doc::blocks(&lesson, Some(c.id.as_str()), false))
            .collect();
        let quiz = QuizTab::new(&lesson, Order::Lesson, Mode::Practice, progress.as_ref());
        let (lab, lab_error) = match Lab::new(lesson.scenarios.clone(), 0, 1) {
            Ok(lab) => (Some(lab), None),
            Err(e) => (None, Some(e)),
        };
        let mut app = App {
            lab,
            lab_error,
            display: super::Display::default(),
            elapsed: std::time::Duration::ZERO,
            quiz,
            progress,
            lesson,
            theme,
            tab: Tab::Lesson,
            help: false,
            help_scroll: 0,
            area,
            lesson_pos: ScrollPos::default(),
            concept: 0,
            concept_pos: ScrollPos::default(),
            quit: false,
            status: None,
            reading_saves: Debounce::default(),
            lesson_blocks,
            concept_blocks,
            lesson_doc: RefCell::default(),
            concept_doc: RefCell::default(),
        };
        app.restore_reading_position();
        app.reading_saves = Debounce::new(app.reading_position());
        app
    }

    /// Scrolls the lesson to where the learner stopped last time.
    fn restore_reading_position(&mut self) {
        let Some(pos) = self
            .progress
            .as_ref()
            .and_then(|p| p.lesson(&self.lesson.id))
            .and_then(|l| l.reading.clone())
        else {
            return;
        };
        let line = self
            .lesson_doc()
            .anchors
            .iter()
            .find(|a| a.id == pos.section)
            .map(|a| a.line);
        if let Some(start) = line {
            self.lesson_pos.offset = start + pos.line as usize;
            self.scroll(Scroll::Up);
            self.scroll(Scroll::Down);
        }
    }

    /// Where the learner is reading: a section and a line within it, so that it survives a
    /// different terminal width.
    pub fn reading_position(&self) -> ReadingPosition {
        let offset = self.lesson_pos.offset;
        let doc = self.lesson_doc();
        let anchor = doc
            .anchors
            .iter()
            .rev()
            .find(|a| a.line <= offset && SECTIONS.iter().any(|(id, _)| *id == a.id));
        let (section, line) = anchor.map_or(("intro".to_owned(), offset), |a| {
            (a.id.clone(), offset - a.line)
        });
        ReadingPosition {
            section,
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }
    }

    /// Remembers the reading position, if it moved since it was last saved, and saves
    /// progress. Called when the app ends.
    pub fn save_progress(&mut self) -> Option<String> {
        let position = self.reading_position();
        let moved = self.reading_saves.last_saved() != Some(&position);
        self.save_reading(moved.then_some(position))
    }

    /// Saves the reading position if the learner moved and the debounce rule
    /// ([`debounce`](crate::progress::debounce)) says it is time: soon after scrolling
    /// stops, at most once every two seconds. The event loop calls it after every update (it
    /// does I/O, so it is an effect the loop carries out, not part of `update` or render);
    /// `now` is the loop's clock. Returns how long until it should be called again if
    /// nothing else happens, and whether the status line got a message (a save that failed
    /// or warned), so that the screen needs drawing.
    pub fn autosave_reading(&mut self, now: Instant) -> (Option<Duration>, bool) {
        if self.progress.is_none() {
            return (None, false);
        }
        let position = self.reading_position();
        self.reading_saves.observe(&position, now);
        let Some(due) = self.reading_saves.due(now).cloned() else {
            return (self.reading_saves.wait(now), false);
        };
        let message = self.save_reading(Some(due.clone()));
        self.reading_saves.saved(due, now);
        let told = message.is_some();
        if told {
            self.status = message;
        }
        (self.reading_saves.wait(now), told)
    }

    /// Records `position` (if any) and saves; a message if the save failed or warned.
    fn save_reading(&mut self, position: Option<ReadingPosition>) -> Option<String> {
        let id = self.lesson.id.to_string();
        let store = self.progress.as_mut()?;
        if let Some(p) = position {
            store.lesson_mut(&id).set_reading(p.section, p.line);
        }
        match store.save() {
            Ok(warning) => warning.map(|w| w.to_string()),
            Err(e) => Some(format!("could not save progress: {e}")),
        }
    }

    /// The screen regions for the current size and tab.
    pub fn areas(&self) -> layout::Areas {
        layout::areas(self.area, self.tab == Tab::Lab)
    }

    /// The lesson wrapped for the current width (built once per width). The width is the
    /// Lesson tab's whichever tab is showing (the Lab tab's body is wider), so that the
    /// reading position saved from any tab means the same line.
    pub fn lesson_doc(&self) -> Ref<'_, StyledDoc> {
        let width = layout::text_width(layout::areas(self.area, false).body) as usize;
        cached(&self.lesson_doc, (width, 0), || {
            StyledDoc::build(&self.lesson_blocks, width, &self.theme)
        })
    }

    /// The current concept wrapped for the current width.
    pub fn concept_doc(&self) -> Ref<'_, StyledDoc> {
        let width = layout::text_width(self.areas().body) as usize;
        let blocks = &self.concept_blocks[self.concept.min(self.concept_blocks.len() - 1)];
        cached(&self.concept_doc, (width, self.concept), || {
            StyledDoc::build(blocks, width, &self.theme)
        })
    }

    /// Applies one action. The only way state changes.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Tick(_) | Action::Resize { .. }) {
            self.status = None;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::GoTab(tab) => self.tab = tab,
            Action::NextTab => self.tab = self.tab.next(),
            Action::PrevTab => self.tab = self.tab.prev(),
            Action::ToggleHelp => {
                self.help = !self.help;
                self.help_scroll = 0;
            }
            Action::CloseOverlay => self.help = false,
            Action::Scroll(s) if self.help => self.scroll_help(s),
            Action::Resize { width, height } => self.area = Rect::new(0, 0, width, height),
            Action::Scroll(s) => self.scroll(s),
            Action::Wheel { lines, .. } => self.scroll_by(isize::from(lines)),
            Action::Click { column, row } => self.click(column, row),
            Action::NextConcept => self.select_concept(self.concept + 1),
            Action::PrevConcept => self.select_concept(self.concept.saturating_sub(1)),
            Action::Quiz(super::quiz_tab::QuizAction::Countdown) => {
                let q = &mut self.quiz;
                q.countdown = match q.countdown {
                    Some(_) => None,
                    None => Some(self.elapsed + COUNTDOWN),
                };
            }
            // With no options on screen (feedback, summary) the arrows scroll the text.
            Action::Quiz(q @ (QuizAction::SelectNext | QuizAction::SelectPrev))
                if !matches!(self.quiz.showing, super::quiz_tab::Showing::Question) =>
            {
                self.scroll(if q == QuizAction::SelectNext {
                    Scroll::Down
                } else {
                    Scroll::Up
                });
            }
            Action::Quiz(q) => {
                let tab = &mut self.quiz;
                self.status = tab.update(q, &self.lesson, self.progress.as_mut());
            }
            Action::OpenChecked => self.open_checked(),
            Action::RunQuestion => self.run_question(),
            Action::Lab(a) => {
                if let Some(lab) = &mut self.lab {
                    lab.update(a);
                }
            }
            Action::Tick(elapsed) => {
                self.elapsed += elapsed;
                if let Some(lab) = &mut self.lab {
                    lab.tick(elapsed);
                }
            }
            Action::TryIt => self.try_it(),
        }
    }

    fn scroll_help(&mut self, s: Scroll) {
        let max = super::ui::help_lines(self)
            .len()
            .saturating_sub(self.area.height.saturating_sub(4) as usize);
        self.help_scroll = match s {
            Scroll::Up | Scroll::PrevSection => self.help_scroll.saturating_sub(1),
            Scroll::Down | Scroll::NextSection => self.help_scroll + 1,
            Scroll::PageUp => self.help_scroll.saturating_sub(10),
            Scroll::PageDown => self.help_scroll + 10,
            Scroll::Top => 0,
            Scroll::Bottom => max,
        }
        .min(max);
    }

    /// Applies display preferences (projector layout, reduced motion, starting speed).
    pub fn set_display(&mut self, display: super::Display) {
        self.display = display;
        self.quiz.classroom = display.projector;
        if let Some(lab) = &mut self.lab {
            lab.speed = display.speed.min(super::lab::SPEEDS.len() - 1);
        }
    }

    /// What keys mean right now.
    pub fn key_context(&self) -> super::keymap::Context {
        super::keymap::Context {
            tab: self.tab,
            help: self.help,
            walkthrough: self.lab.as_ref().is_some_and(|l| l.walk.is_some()),
        }
    }

    /// True while something on screen moves, so the event loop schedules frames.
    pub fn animating(&self) -> bool {
        self.lab.as_ref().is_some_and(Lab::animating)
    }

    /// True when the lab is drawn: its own tab, or beside the text on a wide terminal.
    pub fn lab_on_screen(&self) -> bool {
        self.tab == Tab::Lab || self.areas().side.is_some()
    }

    /// True when a clock is on screen (the presenter's, or a quiz countdown): the event
    /// loop then wakes once a second even when nothing animates.
    pub fn clock_visible(&self) -> bool {
        self.display.projector || self.quiz.countdown.is_some()
    }

    fn select_concept(&mut self, n: usize) {
        let n = n.min(self.lesson.concepts.len().saturating_sub(1));
        if n != self.concept {
            self.concept = n;
            self.concept_pos = ScrollPos::default();
        }
    }

    /// The scroll position and document of the current screen, if it scrolls.
    fn scroll_target(&mut self) -> Option<(&mut ScrollPos, usize, Vec<usize>)> {
        let (len, anchors) = match self.tab {
            Tab::Lesson => {
                let d = self.lesson_doc();
                (
                    d.lines.len(),
                    d.anchors
                        .iter()
                        .filter(|a| !a.id.is_empty())
                        .map(|a| a.line)
                        .collect(),
                )
            }
            Tab::Concepts => (self.concept_doc().lines.len(), Vec::new()),
            Tab::Quiz => {
                let width = layout::text_width(self.areas().body) as usize;
                let lines =
                    super::quiz_view::quiz_lines(&self.lesson, &self.quiz, &self.theme, width);
                return Some((&mut self.quiz.scroll, lines.doc.lines.len(), Vec::new()));
            }
            Tab::Lab => return None,
        };
        let pos = if self.tab == Tab::Lesson {
            &mut self.lesson_pos
        } else {
            &mut self.concept_pos
        };
        Some((pos, len, anchors))
    }

    /// Rows of text the current screen shows (the Concepts screen has a picker row).
    fn page(&self) -> usize {
        let picker = u16::from(self.tab == Tab::Concepts);
        layout::text_height(self.areas().body)
            .saturating_sub(picker)
            .max(1) as usize
    }

    fn scroll(&mut self, s: Scroll) {
        let page = self.page();
        let Some((pos, len, anchors)) = self.scroll_target() else {
            return;
        };
        let max = len.saturating_sub(page);
        let cur = pos.offset.min(max);
        pos.offset = match s {
            Scroll::Up => cur.saturating_sub(1),
            Scroll::Down => (cur + 1).min(max),
            Scroll::PageUp => cur.saturating_sub(page.saturating_sub(2).max(1)),
            Scroll::PageDown => (cur + page.saturating_sub(2).max(1)).min(max),
            Scroll::Top => 0,
            Scroll::Bottom => max,
            Scroll::NextSection => anchors
                .iter()
                .copied()
                .find(|&a| a > cur)
                .unwrap_or(max)
                .min(max),
            Scroll::PrevSection => anchors
                .iter()
                .rev()
                .copied()
                .find(|&a| a < cur)
                .unwrap_or(0),
        };
    }

    fn scroll_by(&mut self, lines: isize) {
        let page = self.page();
        if let Some((pos, len, _)) = self.scroll_target() {
            let max = len.saturating_sub(page);
            pos.offset = pos.offset.saturating_add_signed(lines).min(max);
        }
    }

    fn click(&mut self, column: u16, row: u16) {
        let areas = self.areas();
        if row == areas.tabs.y
            && let Some(tab) = super::ui::tab_at(self, column)
        {
            self.tab = tab;
            return;
        }
        let at = ratatui::layout::Position { x: column, y: row };
        let in_body = areas.body.contains(at);
        let cluster = match (self.tab, areas.side) {
            (Tab::Lab, _) => {
                Some(super::lab_view::lab_areas(areas.body, self.lab.as_ref()).cluster)
            }
            (_, Some(side)) => Some(super::lab_view::side_cluster(side)),
            _ => None,
        };
        if let (Some(cluster), Some(lab)) = (cluster, &mut self.lab)
            && cluster.contains(at)
            && let Some(node) = super::lab_view::node_at(lab, cluster, column, row)
        {
            lab.selected = node;
            return;
        }
        if self.tab == Tab::Quiz
            && in_body
            && matches!(self.quiz.showing, super::quiz_tab::Showing::Question)
            && let Some(option) = super::quiz_view::option_at(self, areas.body, row)
        {
            self.update(Action::Quiz(super::quiz_tab::QuizAction::Answer(option)));
        }
    }
}

fn cached<'a>(
    cell: &'a RefCell<DocCache>,
    key: (usize, usize),
    build: impl FnOnce() -> StyledDoc,
) -> Ref<'a, StyledDoc> {
    if cell.borrow().key != Some(key) {
        let mut c = cell.borrow_mut();
        c.doc = build();
        c.key = Some(key);
    }
    Ref::map(cell.borrow(), |c| &c.doc)
}
