//! Where things go, as pure functions of the terminal size, so `update` (for mouse hit
//! tests and scroll limits) and `render` agree without sharing mutable state.

use std::ops::Range;

use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::UnicodeWidthStr;

use super::action::Tab;

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// From this width on, the live cluster sits beside the text on every screen.
pub const SIDE_LAB_WIDTH: u16 = 140;
/// Text is never wider than this, for comfortable reading.
pub const TEXT_MAX_WIDTH: u16 = 100;

/// The screen's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub body: Rect,
    /// The live cluster beside the text, on wide terminals (not on the Lab tab itself).
    pub side: Option<Rect>,
    pub footer: Rect,
}

/// True when the terminal is big enough for the app.
pub fn fits(area: Rect) -> bool {
    area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT
}

/// Footer rows: the Lab has many controls, so it gets more rows the narrower the terminal;
/// on a projector one row, whatever the screen (the rest is behind `?`), so the projected
/// picture is the lesson, not the keys.
pub fn footer_rows(area: Rect, lab_tab: bool, projector: bool) -> u16 {
    match (lab_tab && !projector, area.width) {
        (false, _) | (true, 240..) => 1,
        (true, 110..) => 2,
        // Every lab control stays in the footer even at 80 columns.
        (true, _) => 3,
    }
}

/// The regions for a terminal of `area`, with or without a side lab.
pub fn areas(area: Rect, lab_tab: bool, projector: bool) -> Areas {
    let [tabs, main, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(footer_rows(area, lab_tab, projector)),
    ])
    .areas(area);
    if area.width >= SIDE_LAB_WIDTH && !lab_tab {
        let [body, side] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(main);
        Areas {
            tabs,
            body,
            side: Some(side),
            footer,
        }
    } else {
        Areas {
            tabs,
            body: main,
            side: None,
            footer,
        }
    }
}

/// The column width for wrapped text in a body of `body` (inside a border and a scrollbar).
pub fn text_width(body: Rect) -> u16 {
    body.width.saturating_sub(4).clamp(10, TEXT_MAX_WIDTH)
}

/// Rows of text visible in a bordered body.
pub fn text_height(body: Rect) -> u16 {
    body.height.saturating_sub(2).max(1)
}

/// Between the lesson's short title and the tabs.
pub const TAB_SEPARATOR: &str = "│";

/// The tab bar's text, left to right: the lesson's short title, then each tab with the
/// columns it occupies (for mouse clicks).
pub struct TabBar {
    pub title: String,
    pub tabs: Vec<(String, Range<u16>, Tab)>,
}

pub fn tab_bar(short_title: &str) -> TabBar {
    let title = format!(" {short_title} ");
    let mut x = (title.width() + TAB_SEPARATOR.width()) as u16;
    let tabs = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, tab)| {
            let label = format!(" {} {} ", i + 1, tab.title());
            let w = label.width() as u16;
            x += w;
            (label, x - w..x, *tab)
        })
        .collect();
    TabBar { title, tabs }
}

/// The tab at column `column` of the tab bar, if any.
pub fn tab_at(short_title: &str, column: u16) -> Option<Tab> {
    tab_bar(short_title)
        .tabs
        .into_iter()
        .find(|(_, r, _)| r.contains(&column))
        .map(|(_, _, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_lab_only_when_wide_and_not_on_the_lab_tab() {
        assert!(areas(Rect::new(0, 0, 140, 40), false, false).side.is_some());
        assert!(areas(Rect::new(0, 0, 140, 40), true, false).side.is_none());
        assert!(areas(Rect::new(0, 0, 139, 40), false, false).side.is_none());
    }

    #[test]
    fn text_never_wider_than_a_comfortable_column() {
        assert_eq!(text_width(Rect::new(0, 0, 300, 50)), TEXT_MAX_WIDTH);
        assert_eq!(text_width(Rect::new(0, 0, 80, 20)), 76);
    }
}
