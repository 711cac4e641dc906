//! Making untrusted text safe to show in a terminal.
//!
//! A lesson, replay or config file is data written by someone else, and so is every value a
//! user types on the command line. Printed as-is, an OSC 52 sequence could write the
//! learner's clipboard, a CSI sequence could clear the screen or move the cursor, a bidi
//! override could make text read differently from what it is, and an invisible character
//! (a soft hyphen, a Hangul filler, a zero-width joiner) could make the terminal and the
//! app disagree on how wide a line is, so the rest of the screen shifts.
//!
//! [`sanitize`] removes whole escape sequences (not just the ESC byte, which would leave
//! visible junk), C0 and C1 control characters, bidi controls and default-ignorable code
//! points, and rewrites any grapheme whose width a terminal could count differently from
//! ratatui. Newlines stay; tabs become four spaces. [`quote`] is the one path every value
//! shown back in an error or echo goes through: sanitized, on one line, and bounded.

mod text;

pub use text::{Text, one_or_many};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Longest value [`quote`] shows, in characters; longer ones end in `…`.
pub const QUOTE_MAX_CHARS: usize = 80;

/// `text` [`sanitize`]d and on one line (line breaks shown as `⏎`), at any length: for
/// file names and messages that must be shown whole.
pub fn one_line(text: &str) -> String {
    sanitize(text).replace('\n', "⏎")
}

/// `value` made safe to show inside a one-line message: [`sanitize`]d, line breaks shown
/// as `⏎`, and at most [`QUOTE_MAX_CHARS`] characters (then `…`). Every value from a file, a
/// flag or standard input that an error or an echo repeats goes through here.
pub fn quote(value: &str) -> String {
    let clean = one_line(value);
    if clean.chars().count() <= QUOTE_MAX_CHARS {
        return clean;
    }
    let mut cut: String = clean.chars().take(QUOTE_MAX_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Returns `input` with every escape sequence, control character, bidi control and
/// default-ignorable code point removed, and every grapheme made width-safe (see
/// [`width_safe`]).
pub fn sanitize(input: &str) -> String {
    if is_clean(input) {
        input.to_owned()
    } else {
        sanitize_fully(input)
    }
}

/// [`sanitize`], keeping `input`'s allocation when it is already clean (most text is).
pub fn sanitize_owned(input: String) -> String {
    if is_clean(&input) {
        input
    } else {
        sanitize_fully(&input)
    }
}

/// True when [`sanitize`] would return `s` unchanged because every code point in it is
/// [`is_plain`]: printable ASCII and newlines (most text), and prose in Latin letters with
/// typographic punctuation, each such code point a grapheme of its own that every terminal
/// measures as ratatui does.
fn is_clean(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if !(b == b'\n' || (b' '..=b'~').contains(&b)) {
                return false;
            }
            i += 1;
        } else {
            // `i` is at a code point's first byte: ASCII bytes are whole code points.
            match s[i..].chars().next() {
                Some(c) if is_plain(c) => i += c.len_utf8(),
                _ => return false,
            }
        }
    }
    true
}

/// True for code points that pass [`sanitize`] unchanged wherever they stand: printable
/// ASCII, newline, Latin-1 and the Latin extensions and spacing modifiers (no soft hyphen,
/// no combining marks), general punctuation without its invisible and bidi controls,
/// super- and subscripts, currency, and the symbol blocks from letterlike symbols to
/// miscellaneous symbols and arrows. None of them is a control, an ignorable, a combining
/// or joining mark, or a regional indicator.
fn is_plain(c: char) -> bool {
    matches!(c,
        '\n' | ' '..='~' | '\u{a0}'..='\u{ac}' | '\u{ae}'..='\u{2ff}'
        | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' | '\u{2070}'..='\u{20cf}'
        | '\u{2100}'..='\u{2bff}')
}

/// [`sanitize`] the long way: controls out, then every grapheme made width-safe.
fn sanitize_fully(input: &str) -> String {
    let stripped = strip_controls(input);
    if stripped.is_ascii() {
        return stripped;
    }
    let mut out = String::with_capacity(stripped.len());
    for g in stripped.graphemes(true) {
        width_safe(g, &mut out);
    }
    out
}

/// The width a terminal that measures one code point at a time (as `wcwidth` does) gives
/// `s`: the model a width-safe grapheme must agree with.
pub fn terminal_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Pushes grapheme `g` onto `out` in a form whose width ratatui and a code-point-counting
/// terminal agree on. Most graphemes already are; for the rest (an emoji with a skin-tone
/// modifier, a flag, a cluster ratatui measures as one wide cell but a terminal counts
/// char by char) only the first code point and the zero-width marks after it are kept, or
/// the first code point alone.
fn width_safe(g: &str, out: &mut String) {
    if g == "\n" || g.width() == terminal_width(g) {
        out.push_str(g);
        return;
    }
    let mut chars = g.chars();
    let Some(first) = chars.next() else { return };
    let mut kept = String::from(first);
    kept.extend(chars.filter(|c| c.width() == Some(0)));
    if kept.width() == terminal_width(&kept) {
        out.push_str(&kept);
    } else if first.width().is_some_and(|w| w > 0) {
        out.push(first);
    }
}

/// The first pass of [`sanitize`]: escape sequences, controls, bidi and invisible code
/// points out, tabs expanded.
fn strip_controls(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            '\u{1b}' => skip_escape(&mut chars),
            // 8-bit introducers: CSI, and the string controls DCS, SOS, OSC, PM, APC.
            '\u{9b}' => skip_csi_body(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string_body(&mut chars),
            c if c.is_control() || is_bidi_control(c) || is_default_ignorable(c) => {}
            // Regional indicators pair up into flags, which ratatui wraps at one width and
            // draws at another; terminals disagree too. Dropped rather than risk the layout.
            '\u{1f1e6}'..='\u{1f1ff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// True for the Unicode bidirectional formatting characters (embeddings, overrides,
/// isolates and marks), which can make text display in an order other than it is stored.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// True for Unicode's default-ignorable code points (DerivedCoreProperties.txt): soft
/// hyphen, combining grapheme joiner, Hangul fillers, zero-width space and joiners, word
/// joiner and invisible operators, variation selectors, the byte order mark, tags. Fonts and
/// terminals draw them at widths from 0 to 2, so they are removed.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Skips what follows an ESC: a CSI, a string sequence (OSC, DCS, SOS, PM, APC), or a
/// two-character escape.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.next() {
        Some('[') => skip_csi_body(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string_body(chars),
        // nF sequences: intermediates 0x20..=0x2f, then one final byte.
        Some(' '..='/') => {
            while chars.next_if(|c| (' '..='/').contains(c)).is_some() {}
            chars.next();
        }
        // Fp/Fe/Fs two-character escapes (ESC c, ESC 7, ...) or a lone ESC at the end.
        _ => {}
    }
}

/// Skips CSI parameter and intermediate bytes up to and including the final byte.
fn skip_csi_body(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
        if !(('\u{20}'..='\u{3f}').contains(&c)) {
            // Not a valid CSI byte: the sequence is malformed; stop swallowing here.
            return;
        }
    }
}

/// Skips a control string up to its terminator: BEL, ESC \ or the 8-bit ST (U+009C).
fn skip_string_body(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{QUOTE_MAX_CHARS, is_plain, quote, sanitize, sanitize_fully, strip_controls};

    /// The shortcut is only a shortcut: every code point it lets through unchanged, the
    /// full pass leaves unchanged too, alone and between letters.
    #[test]
    fn plain_code_points_are_those_the_full_pass_keeps() {
        let plain: Vec<char> = (0..=0x2fff_u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_plain(c))
            .collect();
        assert!(plain.len() > 3500, "{} plain code points", plain.len());
        for c in plain {
            for s in [c.to_string(), format!("a{c}b"), format!("{c}{c}")] {
                assert_eq!(sanitize_fully(&s), s, "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn keeps_plain_text_and_newlines() {
        assert_eq!(sanitize("a → b\nc ✓"), "a → b\nc ✓");
    }

    #[test]
    fn printable_ascii_passes_the_full_pass_unchanged_too() {
        // What the shortcut for printable ASCII and newlines relies on.
        let all: String = (b' '..=b'~').map(char::from).chain(['\n']).collect();
        assert_eq!(strip_controls(&all), all);
        assert_eq!(sanitize(&all), all);
    }

    #[test]
    fn removes_osc52_clipboard_write_whole() {
        assert_eq!(sanitize("x\u{1b}]52;c;ZWNobyBoaQ==\u{7}y"), "xy");
        assert_eq!(sanitize("x\u{1b}]52;c;ZWNobyBoaQ==\u{1b}\\y"), "xy");
    }

    #[test]
    fn removes_csi_clear_screen_and_sgr() {
        assert_eq!(sanitize("a\u{1b}[2J\u{1b}[1;31mb\u{1b}[0m"), "ab");
        assert_eq!(sanitize("a\u{9b}2Jb"), "ab");
    }

    #[test]
    fn removes_dcs_and_c1_controls() {
        assert_eq!(sanitize("a\u{1b}Pq#0;2;0;0;0\u{1b}\\b"), "ab");
        assert_eq!(sanitize("a\u{85}b\u{9d}0;title\u{9c}c"), "abc");
    }

    #[test]
    fn removes_bidi_overrides_and_c0_controls() {
        assert_eq!(sanitize("ab\u{202e}dc\u{202c}\u{2067}e\u{2069}"), "abdce");
        assert_eq!(sanitize("a\u{7}\u{8}\u{0}\rb\u{7f}"), "ab");
    }

    #[test]
    fn tab_becomes_spaces_and_lone_escape_is_dropped() {
        assert_eq!(sanitize("a\tb\u{1b}"), "a    bend".replace("end", ""));
        assert_eq!(sanitize("\u{1b}cX\u{1b}(BY"), "XY");
    }

    #[test]
    fn removes_invisible_code_points() {
        assert_eq!(
            sanitize("Da\u{ad}y\u{3164} 0\u{200d}01\u{feff}\u{2060}"),
            "Day 001"
        );
        assert_eq!(sanitize("\u{fe0f}\u{e0041}x\u{200b}"), "x");
    }

    #[test]
    fn graphemes_a_terminal_measures_differently_are_narrowed() {
        // Thumbs up with a skin-tone modifier: ratatui says 2 cells, a terminal may say 4.
        assert_eq!(sanitize("a\u{1f44d}\u{1f3fd}b"), "a\u{1f44d}b");
        // Combining marks stay with their letter.
        assert_eq!(sanitize("cafe\u{301}"), "cafe\u{301}");
        assert_eq!(sanitize("日本 → ✓"), "日本 → ✓");
    }

    #[test]
    fn quote_is_one_safe_bounded_line() {
        assert_eq!(quote("a\u{1b}]52;c;aGk=\u{7}b\nc"), "ab⏎c");
        let long = "x".repeat(500);
        let q = quote(&long);
        assert_eq!(q.chars().count(), QUOTE_MAX_CHARS);
        assert!(q.ends_with('…'));
        assert_eq!(quote("\u{9b}31mred"), "red");
    }
}
