//! The Concepts tab's state: which concept shows, where it is scrolled, and that concept
//! wrapped for the current width (rebuilt when the concept or the width changes).

use super::action::Scroll;
use super::scroll::ScrollPos;
use super::styled_doc::StyledDoc;
use super::theme::Theme;
use crate::doc;
use crate::lesson::Lesson;

/// The Concepts tab.
#[derive(Default)]
pub struct ConceptsTab {
    /// The concept showing (0-based).
    pub current: usize,
    pub pos: ScrollPos,
    /// The "try which scenario?" list, open on this row, for a concept with several.
    pub choosing: Option<usize>,
    doc: StyledDoc,
    /// The (width, concept) `doc` was built for.
    built_for: Option<(usize, usize)>,
}

impl ConceptsTab {
    pub fn doc(&self) -> &StyledDoc {
        &self.doc
    }

    /// Rebuilds the document if the width or the concept changed.
    pub fn fit(&mut self, lesson: &Lesson, width: usize, theme: &Theme) {
        let key = (width, self.current);
        if self.built_for == Some(key) {
            return;
        }
        self.doc = match lesson.concepts.get(self.current) {
            Some(c) => StyledDoc::build(
                &doc::blocks(lesson, Some(c.id.as_str()), false),
                width,
                theme,
            ),
            None => StyledDoc::default(),
        };
        self.built_for = Some(key);
    }

    /// Shows concept `n` (the last one if `n` is past it), from its top.
    pub fn select(&mut self, n: usize, count: usize) {
        let n = n.min(count.saturating_sub(1));
        if n != self.current {
            self.current = n;
            self.pos = ScrollPos::default();
            self.choosing = None;
        }
    }

    pub fn scroll(&mut self, s: Scroll, page: usize) {
        self.pos.scroll(s, self.doc.lines.len(), page, &[]);
    }
}
