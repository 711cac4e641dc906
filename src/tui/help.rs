//! The help overlay's state (open or not, how far scrolled) and what it lists: every key of
//! every screen, the current screen first. The view styles these entries; `update` counts
//! them for the scroll limit.

use super::action::{Scroll, Tab};
use super::keymap::{self, Binding};
use crate::doc::LEGEND;

/// The help overlay.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Help {
    pub open: bool,
    /// Rows scrolled past.
    pub scroll: usize,
}

/// One row of the help overlay.
pub enum Entry {
    Heading(&'static str),
    Key(&'static Binding),
    Blank,
    Note(&'static str),
    /// The lab keys left out because they do nothing in the scenario loaded.
    Hidden(Vec<&'static str>),
}

/// The overlay's rows with `tab` showing. `offered` says whether a key of the Lab does
/// something in the scenario loaded; those that do not are left out, and a note names them.
pub fn entries(tab: Tab, offered: &dyn Fn(&Binding) -> bool) -> Vec<Entry> {
    let mut sections = keymap::SCREENS.to_vec();
    if let Some(i) = sections.iter().position(|(title, _)| *title == tab.title()) {
        let current = sections.remove(i);
        sections.insert(0, current);
    }
    let mut rows = Vec::new();
    let mut hidden = Vec::new();
    for (title, bindings) in sections {
        rows.push(Entry::Heading(title));
        for b in bindings.iter() {
            if std::ptr::eq(bindings, keymap::LAB) && !offered(b) {
                hidden.push(b.label);
            } else {
                rows.push(Entry::Key(b));
            }
        }
        rows.push(Entry::Blank);
    }
    rows.push(Entry::Note(
        "Mouse: click a tab, a lab node or a message on the space-time diagram; the wheel scrolls.",
    ));
    if !hidden.is_empty() {
        rows.push(Entry::Hidden(hidden));
    }
    rows.push(Entry::Note(LEGEND));
    rows
}

/// The overlay's outer width on a terminal `width` columns wide.
pub fn overlay_width(width: u16) -> u16 {
    80.min(width.saturating_sub(2))
}

/// Columns of the key column (`  Space       `) in front of a key's help.
pub const KEY_COLUMN: usize = 14;

/// One row of the overlay as drawn: its key column (blank on a continuation) and its text.
pub enum Row {
    Heading(&'static str),
    Key(String, String),
    Note(String),
    Blank,
}

/// The overlay's rows with `tab` showing, every entry wrapped at words into `width`
/// columns (a key's help hangs under its first line), so no row is cut.
pub fn rows(tab: Tab, offered: &dyn Fn(&Binding) -> bool, width: usize) -> Vec<Row> {
    let wrap = |text: &str, w: usize| crate::plain::wrap_lines(text, w.max(10), "", "");
    // A column kept free before the border, so no word runs up against it.
    let width = width.saturating_sub(1);
    let mut out = Vec::new();
    for e in entries(tab, offered) {
        match e {
            Entry::Heading(title) => out.push(Row::Heading(title)),
            Entry::Blank => out.push(Row::Blank),
            Entry::Key(b) => {
                for (i, l) in wrap(b.help, width.saturating_sub(KEY_COLUMN))
                    .into_iter()
                    .enumerate()
                {
                    let key = if i == 0 {
                        format!("  {:<12}", b.label)
                    } else {
                        " ".repeat(KEY_COLUMN)
                    };
                    out.push(Row::Key(key, l));
                }
            }
            Entry::Note(text) => out.extend(wrap(text, width).into_iter().map(Row::Note)),
            Entry::Hidden(keys) => {
                out.extend(wrap(&hidden_note(&keys), width).into_iter().map(Row::Note))
            }
        }
    }
    out
}

/// The note naming the lab keys left out.
pub fn hidden_note(keys: &[&str]) -> String {
    format!("Left out: {}, which change nothing here.", keys.join(" "))
}

impl Help {
    pub fn toggle(&mut self) {
        *self = Help {
            open: !self.open,
            scroll: 0,
        };
    }

    /// Scrolls by `s` on a terminal of `size` (columns, rows), with `tab` showing (and the
    /// lab keys `offered`, see [`entries`]).
    pub fn scroll(
        &mut self,
        s: Scroll,
        tab: Tab,
        (width, height): (u16, u16),
        offered: &dyn Fn(&Binding) -> bool,
    ) {
        let inner = overlay_width(width).saturating_sub(2) as usize;
        let max = rows(tab, offered, inner)
            .len()
            .saturating_sub(height.saturating_sub(4) as usize);
        self.scroll = match s {
            Scroll::Up | Scroll::PrevSection => self.scroll.saturating_sub(1),
            Scroll::Down | Scroll::NextSection => self.scroll + 1,
            Scroll::PageUp => self.scroll.saturating_sub(10),
            Scroll::PageDown => self.scroll + 10,
            Scroll::Top => 0,
            Scroll::Bottom => max,
        }
        .min(max);
    }
}
