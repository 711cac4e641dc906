//! Scrolling a document of `len` lines through a window of `page` rows: one rule for every
//! screen that scrolls (Lesson, Concepts, Quiz).

use super::action::Scroll;

/// A scrollable text view: offset into lines that are wrapped at render width.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScrollPos {
    pub offset: usize,
}

impl ScrollPos {
    /// Moves by `s`; `anchors` are the lines section jumps stop at.
    pub fn scroll(&mut self, s: Scroll, len: usize, page: usize, anchors: &[usize]) {
        let max = len.saturating_sub(page);
        let cur = self.offset.min(max);
        self.offset = match s {
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

    /// Moves by `lines` (the mouse wheel).
    pub fn scroll_by(&mut self, lines: isize, len: usize, page: usize) {
        let max = len.saturating_sub(page);
        self.offset = self.offset.saturating_add_signed(lines).min(max);
    }
}
