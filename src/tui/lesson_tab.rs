//! The Lesson tab's state: the lesson wrapped for the current width (rebuilt when the width
//! changes, never while drawing) and where the learner is reading.

use super::action::Scroll;
use super::scroll::ScrollPos;
use super::styled_doc::StyledDoc;
use super::theme::Theme;
use crate::doc;
use crate::lesson::{Lesson, SECTIONS};
use crate::progress::ReadingPosition;

/// The Lesson tab.
#[derive(Default)]
pub struct LessonTab {
    pub pos: ScrollPos,
    doc: StyledDoc,
    /// The width `doc` is wrapped at (0 before it is built).
    width: usize,
}

impl LessonTab {
    /// The lesson wrapped at `width` columns.
    pub fn new(lesson: &Lesson, width: usize, theme: &Theme) -> LessonTab {
        let mut tab = LessonTab::default();
        tab.fit(lesson, width, theme);
        tab
    }

    pub fn doc(&self) -> &StyledDoc {
        &self.doc
    }

    /// Re-wraps the lesson if `width` changed.
    pub fn fit(&mut self, lesson: &Lesson, width: usize, theme: &Theme) {
        if width != self.width {
            self.doc = StyledDoc::build(&doc::blocks(lesson, None, false), width, theme);
            self.width = width;
        }
    }

    /// Moves by `s` in a window of `page` rows; section jumps stop at headings.
    pub fn scroll(&mut self, s: Scroll, page: usize) {
        let anchors: Vec<usize> = (self.doc.anchors.iter())
            .filter(|a| !a.id.is_empty())
            .map(|a| a.line)
            .collect();
        self.pos.scroll(s, self.doc.lines.len(), page, &anchors);
    }

    /// The first line of the section (or heading) `id`, if the lesson has it.
    pub fn line_of(&self, id: &str) -> Option<usize> {
        self.doc.anchors.iter().find(|a| a.id == id).map(|a| a.line)
    }

    /// Scrolls to where the learner stopped last time, in a window of `page` rows.
    pub fn restore(&mut self, pos: &ReadingPosition, page: usize) {
        if let Some(start) = self.line_of(&pos.section) {
            self.pos.offset = start + pos.line as usize;
            self.scroll(Scroll::Up, page);
            self.scroll(Scroll::Down, page);
        }
    }

    /// Where the learner is reading: a section and a line within it, so that it survives a
    /// different terminal width.
    pub fn reading_position(&self) -> ReadingPosition {
        let offset = self.pos.offset;
        let anchor = (self.doc.anchors.iter())
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
}
