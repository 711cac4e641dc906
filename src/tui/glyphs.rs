//! The characters the terminal app may draw beyond ASCII, and the ASCII it draws instead
//! with `--ascii` (automatic on the Linux console, `TERM=linux`).
//!
//! Every character here is one cell wide (by `unicode-width`, as ratatui and the terminal
//! count) and in DejaVu Sans Mono (checked with `fc-list ":charset=XXXX"`), the font most
//! terminal fonts (Menlo among them) derive their symbols from; none has an emoji
//! presentation that a terminal might draw two cells wide. A test collects every
//! non-ASCII character the app can put on screen and checks it against this table.
//!
//! The ASCII stand-ins keep meanings apart where they sit side by side: a node up, crashed
//! or paused (`o` `X` `=`), a message sent, delivered or dropped (`o` `v` `^` `x`), a link,
//! a cut link and a partition (`.` `:` `#`); on the cluster every mark differs, and from
//! the `~` a shortened label ends in.

use ratatui::buffer::Buffer;

/// (character, its ASCII stand-in), in code point order.
#[rustfmt::skip]
pub const GLYPHS: &[(char, char)] = &[
    ('\u{a0}', ' '), // a no-break space, binding a number to its unit (12\u{a0}ms)
    ('µ', 'u'),  // µs
    ('·', '.'),  // separator; a link between nodes; a message line in the space-time diagram
    ('»', '>'),  // a command in the event log
    ('×', 'x'),  // the lab's speed (×0.25)
    ('é', 'e'),
    ('–', '-'),  // ranges (1–4)
    ('—', '-'),  // dashes in prose
    ('‖', '='),  // a paused node
    ('•', ','),  // a heartbeat on its way
    ('…', '~'),  // text cut short
    ('←', '<'),
    ('↑', '^'),
    ('→', '>'),
    ('↓', 'v'),
    ('↔', '-'),
    ('↯', '?'),  // a suspected node
    ('≠', '!'),  // a number that differs between two compared runs
    ('⏎', '/'),  // a line break shown on one line
    ('─', '-'),
    ('━', '='),
    ('│', '|'),
    ('┄', ':'),  // a cut link (not `~`: that is `…`, which a shortened label ends in)
    ('┊', ':'),  // text distlab added to the course
    ('┌', '+'),
    ('┐', '+'),
    ('└', '+'),
    ('┘', '+'),
    ('├', '+'),
    ('┤', '+'),
    ('┴', '+'),  // a tick on the space-time diagram's time axis
    ('║', '|'),  // a scrollbar's track
    ('╳', '#'),  // a partitioned link
    ('▀', '"'),  // block letters (projector)
    ('▁', '_'),  // sparkline levels, lowest to highest
    ('▂', '.'),
    ('▃', '-'),
    ('▄', '='),
    ('▅', '+'),
    ('▆', '*'),
    ('▇', '%'),
    ('█', '#'),  // the highest level; a solid block; a scrollbar's thumb
    ('■', '#'),
    ('▪', ','),  // a heartbeat on its way, in projector mode
    ('▮', '#'),  // a queue bar
    ('▲', '^'),  // delivered upwards (space-time); scroll up
    ('▶', '>'),
    ('▸', '>'),  // the selected row
    ('▼', 'v'),  // delivered downwards; scroll down
    ('◀', '<'),
    ('◆', '+'),  // a message arrived (reduced motion); not `*`, a message on its way
    ('◉', '*'),  // a message on its way
    ('○', 'o'),  // a message sent
    ('●', 'o'),  // a node that is up; now, on the space-time diagram
    ('◷', '@'),  // a clock (countdown, timeout)
    ('⚑', '!'),  // the event a walkthrough step is about
    ('⚠', '!'),  // a warning
    ('✓', '+'),  // right, or a claim that held
    ('✖', 'X'),  // a crashed node
    ('✗', 'x'),  // wrong; a message dropped
];

/// The ASCII stand-in for `c`: itself if ASCII, its [`GLYPHS`] entry, else `?`.
pub fn ascii(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    GLYPHS
        .binary_search_by_key(&c, |&(g, _)| g)
        .map_or('?', |i| GLYPHS[i].1)
}

/// A key's name for the screen: with `ascii`, the arrow keys by name (`Right`, `Left`,
/// `Up`, `Down`), since their one-character stand-ins `>` `<` are keys of their own.
pub fn key_names(text: &str, ascii: bool) -> String {
    if !ascii {
        return text.to_owned();
    }
    text.replace('→', "Right")
        .replace('←', "Left")
        .replace('↑', "Up")
        .replace('↓', "Down")
}

/// Rewrites every cell of a drawn frame in ASCII (see [`ascii`]): a cell's first character
/// stands for it, and a wide character's cell becomes one `?` and a blank.
pub fn to_ascii(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        let c = symbol.chars().next().map_or(' ', ascii);
        cell.set_char(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthChar;

    #[test]
    fn the_table_is_sorted_one_cell_wide_and_maps_to_printable_ascii() {
        assert!(
            GLYPHS.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no repeats"
        );
        for &(g, a) in GLYPHS {
            assert_eq!(
                g.width(),
                Some(1),
                "{g} (U+{:04X}) is not one cell",
                g as u32
            );
            // A no-break space stands for itself as a plain space; all else is visible.
            assert!(
                a.is_ascii_graphic() || (g, a) == ('\u{a0}', ' '),
                "{g} → {a:?}"
            );
        }
    }

    #[test]
    fn neighbours_that_mean_different_things_stay_apart() {
        for set in [
            &['●', '✖', '‖'][..],           // node up, crashed, paused
            &['○', '▼', '▲', '✗'][..],      // sent, delivered down / up, dropped
            &['·', '┄', '╳', '◉', '•'][..], // link, cut link, partition, message, heartbeat
            // Everything the cluster can draw side by side: node states, links, messages,
            // a loss, the event's flag, an arrival, and a label shortened with `…`.
            &['●', '✖', '‖', '·', '┄', '╳', '◉', '•', '✗', '⚑', '◆', '…'][..],
            &['✓', '✗'][..],
        ] {
            let mut mapped: Vec<char> = set.iter().map(|&c| ascii(c)).collect();
            mapped.sort_unstable();
            mapped.dedup();
            assert_eq!(mapped.len(), set.len(), "{set:?} → {mapped:?}");
        }
    }

    #[test]
    fn unknown_characters_become_a_question_mark_and_ascii_stays() {
        assert_eq!(ascii('日'), '?');
        assert_eq!(ascii('a'), 'a');
        let mut b = Buffer::empty(ratatui::layout::Rect::new(0, 0, 4, 1));
        b.set_string(0, 0, "●日x", ratatui::style::Style::default());
        to_ascii(&mut b);
        let row: String = b.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(row, "o? x");
    }
}
