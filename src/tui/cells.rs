//! One code point that takes columns per cell, so ratatui and the terminal agree on what is
//! in every column.
//!
//! ratatui puts a whole grapheme in one cell and marks the cells it spans as covered. That
//! is right for a wide character (日), which a terminal also draws as one thing over two
//! columns. It is wrong for a grapheme of several code points that each take a column, as
//! in Devanagari (क्षि) or Thai (กำ): the terminal draws each in a column of its own, so
//! when the next frame puts something else in the first cell, ratatui believes the covered
//! cells are blank and never rewrites them, and pieces of old text stay on screen.
//! [`split_clusters`] rewrites such a cell, after a frame is drawn and before it is
//! flushed, as one cell per column, each holding one spacing code point and the marks that
//! follow it: what the terminal will show, and what ratatui now knows it shows.

use ratatui::buffer::Buffer;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Splits every cell whose grapheme has more than one spacing code point into one cell per
/// column (see the module docs). Cells of one code point, the usual case, are not touched.
pub fn split_clusters(buffer: &mut Buffer) {
    let width = usize::from(buffer.area.width);
    if width == 0 {
        return;
    }
    for row in buffer.content.chunks_mut(width) {
        let mut x = 0;
        while x < row.len() {
            let symbol = row[x].symbol();
            // One code point (nearly every cell): nothing to split. The cell a wide one
            // covers holds a blank, so stepping onto it is harmless.
            if symbol.len() == 1 || symbol.chars().nth(1).is_none() {
                x += 1;
                continue;
            }
            let span = symbol.width().max(1);
            let pieces = columns(symbol);
            let widths: usize = pieces.iter().map(|p| p.width().max(1)).sum();
            if pieces.len() > 1 && widths == span && x + span <= row.len() {
                let style = row[x].style();
                let mut cx = x;
                for piece in pieces {
                    row[cx].set_symbol(&piece).set_style(style);
                    cx += piece.width().max(1);
                }
            }
            x += span;
        }
    }
}

/// The grapheme `g` cut before each code point that takes a column: each piece is one such
/// code point with the zero-width marks after it (marks before the first go with it).
fn columns(g: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut leading = String::new();
    for c in g.chars() {
        match (c.width().unwrap_or(0), pieces.last_mut()) {
            (0, Some(last)) => last.push(c),
            (0, None) => leading.push(c),
            _ => pieces.push(std::mem::take(&mut leading) + c.encode_utf8(&mut [0; 4])),
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn a_cluster_of_spacing_code_points_becomes_one_cell_per_column() {
        let mut b = Buffer::empty(Rect::new(0, 0, 6, 1));
        b.set_string(0, 0, "aกำb日", ratatui::style::Style::default());
        split_clusters(&mut b);
        let cells: Vec<&str> = (0..6).map(|x| b[(x, 0)].symbol()).collect();
        assert_eq!(cells, ["a", "ก", "ำ", "b", "日", " "]);
    }

    #[test]
    fn combining_marks_stay_with_their_letter() {
        let mut b = Buffer::empty(Rect::new(0, 0, 4, 1));
        b.set_string(0, 0, "e\u{301}क्षि", ratatui::style::Style::default());
        split_clusters(&mut b);
        let cells: Vec<&str> = (0..4).map(|x| b[(x, 0)].symbol()).collect();
        // U+093F (ि) is a spacing mark: a terminal gives it a column of its own.
        assert_eq!(cells, ["e\u{301}", "क्", "ष", "ि"]);
    }
}
