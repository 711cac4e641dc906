//! Word wrapping for every paragraph distlab shows: as few lines as fit, and within that
//! the spaces at line ends spread as evenly as they can be (a ragged edge without one very
//! short line among long ones).
//!
//! A paragraph is cut into words at whitespace, never inside a word (so a link or a
//! hyphenated word stays whole). Among the ways to break the words into the fewest lines,
//! the one chosen has the least sum of squared slack over its lines but the last (the last
//! line may be short). Words are measured one code point at a time, as a terminal does.
//! The search looks back at most one line's worth of words from each word, so it costs
//! about (words x words per line): a whole lesson wraps in well under a millisecond.

use crate::sanitize::terminal_width;

/// The wrapped lines of `text`: whitespace collapsed, words never split, and lines broken
/// only at spaces (so a link in running text stays whole: never at its `/` or `-`). The
/// first line starts with `first`, the others with `rest`; all fit in `width` columns
/// unless one word alone is wider. Empty text is one empty line.
pub fn wrap_lines(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    // A no-break space (a number and its unit) is not a place to break or collapse.
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() && c != '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return vec![String::new()];
    }
    let widths: Vec<usize> = words.iter().map(|w| width_of(w)).collect();
    let room = Room {
        first: width.saturating_sub(width_of(first)).max(1),
        rest: width.saturating_sub(width_of(rest)).max(1),
    };
    // Most blocks fit on their first line: nothing to choose.
    let all = widths.iter().sum::<usize>() + words.len() - 1;
    if all <= room.first {
        return vec![line_of(first, &words)];
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for end in breaks(&widths, room) {
        let indent = if start == 0 { first } else { rest };
        lines.push(line_of(indent, &words[start..end]));
        start = end;
    }
    lines
}

/// `indent`, then `words` with a space between each.
fn line_of(indent: &str, words: &[&str]) -> String {
    let len = indent.len() + words.iter().map(|w| w.len() + 1).sum::<usize>();
    let mut line = String::with_capacity(len);
    line.push_str(indent);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

/// The columns `s` takes, counted one code point at a time.
fn width_of(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        terminal_width(s)
    }
}

/// The columns a line's words may fill: the first line's and every other line's.
#[derive(Clone, Copy)]
struct Room {
    first: usize,
    rest: usize,
}

impl Room {
    fn of_line_from(self, word: usize) -> usize {
        if word == 0 { self.first } else { self.rest }
    }
}

/// The best way to set the words before some point: its line count, then its slack cost.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Cost {
    lines: usize,
    slack: u64,
}

/// Where each line ends (the index of the word after it), in order, the last being
/// `widths.len()`.
fn breaks(widths: &[usize], room: Room) -> Vec<usize> {
    let n = widths.len();
    let widest = room.first.max(room.rest);
    // best[j]: the cheapest setting of words[..j], and where its last line starts.
    let mut best: Vec<(Cost, usize)> = Vec::with_capacity(n + 1);
    best.push((Cost { lines: 0, slack: 0 }, 0));
    for j in 1..=n {
        let mut chosen: Option<(Cost, usize)> = None;
        let mut line = 0; // words[i..j] with one space between each
        for i in (0..j).rev() {
            line += widths[i] + usize::from(i + 1 < j);
            let alone = i + 1 == j;
            if line > widest && !alone {
                break; // starting the line any earlier only makes it longer
            }
            let fits = room.of_line_from(i);
            if line > fits && !alone {
                continue;
            }
            // The last line's slack is free; a word wider than the line has none.
            let slack = if j == n {
                0
            } else {
                (fits.saturating_sub(line) as u64).pow(2)
            };
            let before = best[i].0;
            let cost = Cost {
                lines: before.lines + 1,
                slack: before.slack + slack,
            };
            if chosen.is_none_or(|(c, _)| cost < c) {
                chosen = Some((cost, i));
            }
        }
        // The word alone always makes a line, so there is a choice.
        best.push(chosen.unwrap_or((Cost { lines: n, slack: 0 }, j - 1)));
    }
    let mut ends = Vec::new();
    let mut j = n;
    while j > 0 {
        ends.push(j);
        j = best[j].1;
    }
    ends.reverse();
    ends
}

#[cfg(test)]
mod tests {
    use super::wrap_lines;
    use crate::sanitize::terminal_width;

    const URL: &str = "https://www.somethingsimilar.com/2013/01/14/notes-on-distributed-systems-for-young-bloods/";

    #[test]
    fn a_link_in_running_text_is_never_broken_across_lines() {
        let text = format!("Jeff Hodges' {URL} lists what young engineers learn the hard way.");
        for width in [20, 40, 60, 80, 100] {
            let lines = wrap_lines(&text, width, "  ", "  ");
            assert!(
                lines.iter().any(|l| l.trim() == URL || l.contains(URL)),
                "width {width}: the link is split: {lines:#?}"
            );
        }
    }

    #[test]
    fn words_with_hyphens_and_slashes_stay_whole() {
        let lines = wrap_lines("a well-known read/write split here", 12, "", "");
        assert_eq!(lines, ["a well-known", "read/write", "split here"]);
    }

    #[test]
    fn indents_start_the_first_and_the_other_lines() {
        let lines = wrap_lines("one two three four", 10, "- ", "  ");
        assert_eq!(lines, ["- one two", "  three", "  four"]);
        assert_eq!(wrap_lines("", 10, "- ", "  "), [""]);
        assert_eq!(wrap_lines(" \n\t ", 10, "- ", "  "), [""]);
        // A word wider than the line is a line of its own, whole.
        let lines = wrap_lines("averyveryverylongword b c", 10, "- ", "  ");
        assert_eq!(lines, ["- averyveryverylongword", "  b c"]);
    }

    #[test]
    fn slack_is_spread_rather_than_left_on_one_line() {
        // First fit would give "aaa bb cc" / "d" / "eeeeeeeee": the same three lines, but
        // with all the slack on the middle one.
        let lines = wrap_lines("aaa bb cc d eeeeeeeee", 9, "", "");
        assert_eq!(lines, ["aaa bb", "cc d", "eeeeeeeee"]);
    }

    /// The same text every way: fewest lines (first fit's count), every line within the
    /// width unless a word alone is wider, and the words in order, none lost or split.
    #[test]
    fn any_text_keeps_its_words_in_the_fewest_lines_that_fit() {
        let text = "Messages take time, clocks drift, nodes fail independently, and no \
                    machine sees global truth instantly. A\u{a0}write of 5\u{a0}ms may be \
                    acknowledged by the primary — and lost — before any replica hears of it.";
        let words = words_of(text);
        for width in 1..90 {
            let lines = wrap_lines(text, width, "  ", "    ");
            let back: Vec<&str> = lines.iter().flat_map(|l| words_of(l)).collect();
            assert_eq!(back, words, "width {width}");
            for l in &lines {
                let one_word = words_of(l).len() == 1;
                assert!(
                    terminal_width(l) <= width || one_word,
                    "width {width}: {l:?}"
                );
            }
            assert_eq!(
                lines.len(),
                first_fit_lines(&words, width, 2, 4),
                "width {width}"
            );
        }
    }

    /// Words as a reader sees them: a no-break space joins.
    fn words_of(s: &str) -> Vec<&str> {
        (s.split(|c: char| c.is_whitespace() && c != '\u{a0}'))
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// How many lines first fit takes: the fewest possible (an independent count).
    fn first_fit_lines(words: &[&str], width: usize, first: usize, rest: usize) -> usize {
        let mut lines = 1;
        let mut used = first;
        let mut empty = true;
        for w in words {
            let w = terminal_width(w);
            let need = if empty { w } else { w + 1 };
            if used + need > width && !empty {
                lines += 1;
                used = rest + w;
            } else {
                used += need;
            }
            empty = false;
        }
        lines
    }
}
