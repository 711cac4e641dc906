//! Sanitizing untrusted lesson text before it can reach a terminal.
//!
//! A lesson file is data written by someone else. Printed as-is, an OSC 52 sequence could
//! write the learner's clipboard, a CSI sequence could clear the screen or move the cursor,
//! and a bidi override could make text read differently from what it is. [`sanitize`] removes
//! whole escape sequences (not just the ESC byte, which would leave visible junk), C0 and C1
//! control characters and bidi controls. Newlines stay; tabs become four spaces.

/// Returns `input` with every escape sequence, control character and bidi control removed.
pub fn sanitize(input: &str) -> String {
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
            c if c.is_control() || is_bidi_control(c) => {}
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
    use super::sanitize;

    #[test]
    fn keeps_plain_text_and_newlines() {
        assert_eq!(sanitize("a → b\nc ✓"), "a → b\nc ✓");
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
}
