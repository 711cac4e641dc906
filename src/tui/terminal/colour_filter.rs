//! A writer that removes every colour from the SGR ("select graphic rendition") escape
//! sequences passing through it, and keeps everything else: bold, dim, italic, underline,
//! reverse, reset, cursor moves and text.
//!
//! Why it exists: under `NO_COLOR` crossterm 0.29 writes each colour as a bare `ESC[m`,
//! which resets bold and reverse too, so we force crossterm's colour output on, and then
//! ratatui's backend writes colour resets (`ESC[39m`, `ESC[49m`, `ESC[59m`) around every
//! styled cell. This filter takes those (and any real colour a widget sets) out of the
//! byte stream, so no colour escape at all reaches the terminal.
//!
//! crossterm writes one sequence in several `write` calls (`ESC[`, `39`, `;`, `49`, `m`),
//! so the filter keeps a partial sequence between calls.

use std::io::{self, Write};

const ESC: u8 = 0x1b;
/// Longer "sequences" are not ours to judge: they pass through unchanged.
const MAX_PENDING: usize = 256;

/// Where the filter is in the byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Plain text.
    Ground,
    /// Just after `ESC`.
    Escape,
    /// Inside `ESC[`, collecting parameter and intermediate bytes.
    Csi,
}

/// Wraps a writer; see the module documentation.
#[derive(Debug)]
pub struct ColourFilter<W: Write> {
    inner: W,
    state: State,
    /// The sequence seen so far, from `ESC` on, while not in [`State::Ground`].
    pending: Vec<u8>,
}

impl<W: Write> ColourFilter<W> {
    /// A filter writing to `inner`.
    pub fn new(inner: W) -> Self {
        ColourFilter {
            inner,
            state: State::Ground,
            pending: Vec::new(),
        }
    }

    /// The wrapped writer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The wrapped writer, mutably (writing to it bypasses the filter).
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// The wrapped writer. A partial escape sequence still held is lost.
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// Feeds `buf` through the state machine, writing what passes into `out`.
    fn filter(&mut self, buf: &[u8], out: &mut Vec<u8>) {
        for &b in buf {
            match self.state {
                State::Ground if b == ESC => self.begin(),
                State::Ground => out.push(b),
                State::Escape if b == b'[' => {
                    self.pending.push(b);
                    self.state = State::Csi;
                }
                State::Escape => {
                    // Not a CSI (an OSC, a charset switch...): not ours to change.
                    out.append(&mut self.pending);
                    self.state = State::Ground;
                    self.reprocess(b, out);
                }
                State::Csi => match b {
                    0x20..=0x3f if self.pending.len() < MAX_PENDING => self.pending.push(b),
                    0x40..=0x7e => {
                        self.pending.push(b);
                        finish_csi(&self.pending, out);
                        self.pending.clear();
                        self.state = State::Ground;
                    }
                    _ => {
                        // Malformed or too long: pass it through and look at `b` afresh.
                        out.append(&mut self.pending);
                        self.state = State::Ground;
                        self.reprocess(b, out);
                    }
                },
            }
        }
    }

    fn begin(&mut self) {
        self.pending.clear();
        self.pending.push(ESC);
        self.state = State::Escape;
    }

    /// Handles `b` in the ground state (it may start a new sequence).
    fn reprocess(&mut self, b: u8, out: &mut Vec<u8>) {
        if b == ESC {
            self.begin();
        } else {
            out.push(b);
        }
    }
}

impl<W: Write> Write for ColourFilter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        self.filter(buf, &mut out);
        if !out.is_empty() {
            self.inner.write_all(&out)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // A partial sequence stays held: its end arrives with the next write.
        self.inner.flush()
    }
}

/// Writes the complete CSI sequence `seq` (`ESC [ ... final`) to `out`, with the colour
/// parameters of an SGR removed. An SGR left with no parameters is dropped entirely: a bare
/// `ESC[m` would mean "reset everything".
fn finish_csi(seq: &[u8], out: &mut Vec<u8>) {
    let body = &seq[2..seq.len() - 1];
    let is_sgr = seq.last() == Some(&b'm')
        && body
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b';' || *b == b':');
    if !is_sgr || body.is_empty() {
        out.extend_from_slice(seq);
        return;
    }
    let kept = strip_colours(body);
    if kept.is_empty() {
        return;
    }
    out.extend_from_slice(b"\x1b[");
    out.extend_from_slice(kept.join(&b';').as_slice());
    out.push(b'm');
}

/// The parameters of an SGR body (`1;38;5;9;7`) that are not colours.
fn strip_colours(body: &[u8]) -> Vec<&[u8]> {
    let params: Vec<&[u8]> = body.split(|b| *b == b';').collect();
    let mut kept = Vec::with_capacity(params.len());
    let mut i = 0;
    while i < params.len() {
        let param = params[i];
        i += 1;
        // `38:5:9` or `38:2::r:g:b` carries its arguments inside; `38;5;9` after it.
        let (head, has_subparams) = match param.iter().position(|b| *b == b':') {
            Some(at) => (&param[..at], true),
            None => (param, false),
        };
        let code = number(head);
        match code {
            Some(38 | 48 | 58) => {
                if !has_subparams {
                    i += match params.get(i).and_then(|p| number(p)) {
                        Some(5) => 2,
                        Some(2) => 4,
                        _ => 0,
                    };
                }
            }
            Some(30..=37 | 39 | 40..=47 | 49 | 59 | 90..=97 | 100..=107) => {}
            _ => kept.push(param),
        }
    }
    kept
}

/// The decimal number `digits` spells (an empty parameter means 0).
fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() {
        return Some(0);
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes each chunk with a separate `write` call and returns what came out.
    fn through(chunks: &[&[u8]]) -> Vec<u8> {
        let mut f = ColourFilter::new(Vec::new());
        for c in chunks {
            f.write_all(c).unwrap();
        }
        f.flush().unwrap();
        f.into_inner()
    }

    fn one(s: &str) -> String {
        String::from_utf8(through(&[s.as_bytes()])).unwrap()
    }

    #[test]
    fn text_and_non_colour_sequences_pass_unchanged() {
        let s = "hi \x1b[1;5Hthere\x1b[?1049h\x1b[2J\x1b]0;title\x07é ✓\x1b(B";
        assert_eq!(one(s), s);
    }

    #[test]
    fn colour_resets_vanish_and_leave_no_bare_reset() {
        assert_eq!(one("a\x1b[39mb\x1b[49mc\x1b[59md\x1b[39;49me"), "abcde");
    }

    #[test]
    fn attributes_are_kept() {
        for s in [
            "\x1b[0m",
            "\x1b[1m",
            "\x1b[2m",
            "\x1b[3m",
            "\x1b[4m",
            "\x1b[7m",
            "\x1b[22m",
            "\x1b[27m",
            "\x1b[m",
            "\x1b[4:3m",
        ] {
            assert_eq!(one(s), s);
        }
    }

    #[test]
    fn basic_bright_256_and_truecolour_forms_are_removed() {
        assert_eq!(one("\x1b[31mx\x1b[42mx\x1b[91mx\x1b[103mx"), "xxxx");
        assert_eq!(one("\x1b[38;5;9mx\x1b[48;5;236mx\x1b[58;5;1mx"), "xxx");
        assert_eq!(one("\x1b[38;2;255;0;10mx\x1b[48;2;1;2;3mx"), "xx");
        assert_eq!(one("\x1b[38:5:9mx\x1b[48:2::1:2:3mx"), "xx");
    }

    #[test]
    fn colours_mixed_with_attributes_keep_the_attributes() {
        assert_eq!(one("\x1b[1;38;5;9;7m"), "\x1b[1;7m");
        assert_eq!(one("\x1b[38;2;1;2;3;4;48;5;0m"), "\x1b[4m");
        assert_eq!(one("\x1b[0;31;1m"), "\x1b[0;1m");
    }

    #[test]
    fn sequences_split_across_writes_are_filtered() {
        let out = through(&[
            b"a\x1b",
            b"[",
            b"38;5",
            b";9",
            b";1m",
            b"b\x1b[39",
            b";49mc",
        ]);
        assert_eq!(String::from_utf8(out).unwrap(), "a\x1b[1mbc");
        // Every split point of a mixed stream gives the same result as one write.
        let s = b"x\x1b[1;38;2;9;9;9mA\x1b[39;49;59m\x1b[7mB\x1b[0m";
        let whole = through(&[s]);
        assert_eq!(whole, b"x\x1b[1mA\x1b[7mB\x1b[0m");
        for cut in 0..s.len() {
            for cut2 in cut..s.len() {
                assert_eq!(through(&[&s[..cut], &s[cut..cut2], &s[cut2..]]), whole);
            }
        }
    }

    #[test]
    fn malformed_sequences_pass_through() {
        assert_eq!(one("\x1b[31\n"), "\x1b[31\n");
        assert_eq!(one("\x1b\x1b[31mx"), "\x1bx");
        let long = format!("\x1b[{}m", "1;".repeat(200));
        assert_eq!(one(&long), long);
    }
}
