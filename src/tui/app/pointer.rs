//! Scrolling and the mouse: which screen scrolls, how far a page is, and what a click hits
//! (found from the layout modules, the same geometry the views draw with).

use ratatui::layout::{Position, Rect};

use super::App;
use crate::tui::action::{Action, QuizAction, Scroll, Tab};
use crate::tui::effect::Effect;
use crate::tui::lab_layout::{lab_areas, message_at, node_at, side_cluster};
use crate::tui::layout;
use crate::tui::quiz_doc::{QuizLines, option_at, quiz_lines};
use crate::tui::quiz_tab::Showing;

impl App {
    /// Rows of text the current screen shows (the Concepts screen has a picker row).
    fn page(&self) -> usize {
        let picker = u16::from(self.tab == Tab::Concepts);
        layout::text_height(self.areas().body)
            .saturating_sub(picker)
            .max(1) as usize
    }

    /// The Quiz tab's document at the current width.
    fn quiz_lines(&self) -> QuizLines {
        let width = layout::text_width(self.areas().body) as usize;
        quiz_lines(&self.lesson, &self.quiz, &self.theme, width)
    }

    pub(super) fn scroll(&mut self, s: Scroll) {
        let page = self.page();
        match self.tab {
            Tab::Lesson => self.lesson_tab.scroll(s, page),
            Tab::Concepts => self.concepts.scroll(s, page),
            Tab::Quiz => {
                let len = self.quiz_lines().doc.lines.len();
                self.quiz.scroll.scroll(s, len, page, &[]);
            }
            Tab::Lab => {}
        }
    }

    pub(super) fn scroll_by(&mut self, lines: isize) {
        let page = self.page();
        let len = match self.tab {
            Tab::Lesson => self.lesson_tab.doc().lines.len(),
            Tab::Concepts => self.concepts.doc().lines.len(),
            Tab::Quiz => self.quiz_lines().doc.lines.len(),
            Tab::Lab => return,
        };
        let pos = match self.tab {
            Tab::Lesson => &mut self.lesson_tab.pos,
            Tab::Concepts => &mut self.concepts.pos,
            _ => &mut self.quiz.scroll,
        };
        pos.scroll_by(lines, len, page);
    }

    /// A click: on a tab, a lab node, or a quiz option.
    pub(super) fn click(&mut self, column: u16, row: u16) -> Vec<Effect> {
        let areas = self.areas();
        if row == areas.tabs.y
            && let Some(tab) = layout::tab_at(self.lesson.short_title(), column)
        {
            self.tab = tab;
            return Vec::new();
        }
        let at = Position { x: column, y: row };
        // In compare the Lab tab is laid out for two runs: its keys select and pick there.
        let comparing =
            self.tab == Tab::Lab && self.lab.as_ref().is_some_and(|l| l.compare.is_some());
        if !comparing && (self.select_node_at(at) || self.pick_message_at(at)) {
            return Vec::new();
        }
        if self.tab == Tab::Quiz
            && areas.body.contains(at)
            && matches!(self.quiz.showing, Showing::Question)
            && let Some(option) = self.quiz_option_at(areas.body, row)
        {
            return self.apply(Action::Quiz(QuizAction::Answer(option)));
        }
        Vec::new()
    }

    /// Selects the lab node drawn at `at`, if there is one there.
    fn select_node_at(&mut self, at: Position) -> bool {
        let cluster = match (self.tab, self.areas().side) {
            (Tab::Lab, _) => Some(lab_areas(self.areas().body, self.lab.as_ref()).cluster),
            (_, Some(side)) => Some(side_cluster(side)),
            _ => None,
        };
        if let (Some(cluster), Some(lab)) = (cluster, &mut self.lab)
            && cluster.contains(at)
            && let Some(node) = node_at(lab, cluster, at.x, at.y)
        {
            lab.selected = node;
            return true;
        }
        false
    }

    /// Picks the message drawn at `at` on the Lab's space-time diagram, if one is there.
    fn pick_message_at(&mut self, at: Position) -> bool {
        if self.tab != Tab::Lab {
            return false;
        }
        let body = self.areas().body;
        let Some(lab) = &mut self.lab else {
            return false;
        };
        let a = lab_areas(body, Some(lab));
        // The diagram is the panel when `v` shows it, or always where a second panel
        // holds the log.
        if !(a.extra.is_some() || lab.panel == crate::tui::lab::Panel::SpaceTime) {
            return false;
        }
        let inner = ratatui::widgets::Block::bordered().inner(a.panel);
        match message_at(lab, inner, at.x, at.y) {
            Some(key) if inner.contains(at) => {
                lab.picked = Some(key);
                true
            }
            _ => false,
        }
    }

    fn quiz_option_at(&self, body: Rect, row: u16) -> Option<usize> {
        if let Some(stage) = self.classroom_stage() {
            return stage.option_at(row.checked_sub(body.y)?);
        }
        option_at(&self.quiz_lines(), self.quiz.scroll.offset, body, row)
    }
}
