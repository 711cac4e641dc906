//! Captions that quote the run: `Lost so far: {acked_writes_lost}.` The braces hold a
//! [`Term`]; `{{` and `}}` stand for literal braces. A caption is parsed when the lesson
//! loads, so a malformed or unknown `{...}` is a load error and the screen never shows one.

use super::term::{Names, Scene, Term};

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Term(Term),
}

/// A parsed caption.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Template(Vec<Piece>);

impl Template {
    /// Parses `text`; the error names the piece at fault.
    pub fn parse(text: &str, names: &Names<'_>, anchored: bool) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            lit.push_str(&rest[..i]);
            let tail = &rest[i..];
            if let Some(r) = tail.strip_prefix("{{") {
                lit.push('{');
                rest = r;
            } else if let Some(r) = tail.strip_prefix("}}") {
                lit.push('}');
                rest = r;
            } else if tail.starts_with('}') {
                return Err("a `}` without its `{` (write `}}` for a literal brace)".into());
            } else {
                let Some(end) = tail.find('}') else {
                    return Err(format!(
                        "`{}` is not closed with `}}` (write `{{{{` for a literal brace)",
                        crate::sanitize::quote(tail)
                    ));
                };
                let inner = &tail[1..end];
                if inner.contains('{') {
                    return Err(format!(
                        "`{}` holds a `{{`",
                        crate::sanitize::quote(&tail[..=end])
                    ));
                }
                let term = Term::parse(inner, names, anchored)
                    .map_err(|e| format!("in `{{{}}}`: {e}", crate::sanitize::quote(inner)))?;
                if !lit.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut lit)));
                }
                pieces.push(Piece::Term(term));
                rest = &tail[end + 1..];
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            pieces.push(Piece::Text(lit));
        }
        Ok(Template(keep_units(pieces)))
    }

    /// Whether the caption quotes the run anywhere.
    pub fn quotes_run(&self) -> bool {
        self.0.iter().any(|p| matches!(p, Piece::Term(_)))
    }

    /// The caption with every term computed in this scene.
    pub fn render(&self, s: &Scene<'_>) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Term(t) => t.show(s),
            })
            .collect()
    }

    /// The caption before the run has reached it: every value it will quote shown as `…`
    /// (for the presenter's "next step").
    pub fn preview(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.as_str(),
                Piece::Term(_) => "…",
            })
            .collect()
    }

    /// The literal text only (for checks of what a caption states on its own).
    pub fn literal(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.as_str(),
                Piece::Term(_) => "",
            })
            .collect()
    }

    pub(super) fn terms(&self) -> impl Iterator<Item = &Term> {
        self.0.iter().filter_map(|p| match p {
            Piece::Term(t) => Some(t),
            Piece::Text(_) => None,
        })
    }
}

/// Units that stay on the line of their number.
const UNITS: &[&str] = &["ms", "s", "%"];

/// A number and its unit never wrap apart (`501` / `ms`): the space between a number, or
/// a quoted term, and a unit after it becomes a no-break space.
fn keep_units(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut after_term = false;
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => {
                let t = bind_units(&t, after_term);
                after_term = false;
                Piece::Text(t)
            }
            term => {
                after_term = true;
                term
            }
        })
        .collect()
}

/// `text` with `N unit` bound by U+00A0; `starts_after_number` when a number (a quoted
/// term) stands just before it.
fn bind_units(text: &str, starts_after_number: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_digit = starts_after_number;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == ' ' && prev_digit {
            let after = &rest[1..];
            let unit = UNITS.iter().find(|u| {
                after
                    .strip_prefix(**u)
                    .is_some_and(|tail| tail.chars().next().is_none_or(|n| !n.is_alphanumeric()))
            });
            if unit.is_some() {
                out.push('\u{a0}');
                rest = after;
                prev_digit = false;
                continue;
            }
        }
        prev_digit = c.is_ascii_digit();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_keeps_its_unit() {
        assert_eq!(
            bind_units(" ms of silence, 2 s and 3 sets", true),
            "\u{a0}ms of silence, 2\u{a0}s and 3 sets"
        );
        assert_eq!(bind_units(" items", true), " items");
        assert_eq!(bind_units("at 19 s.", false), "at 19\u{a0}s.");
        let p = keep_units(vec![
            Piece::Term(Term::Time),
            Piece::Text(" s later".into()),
        ]);
        assert_eq!(p[1], Piece::Text("\u{a0}s later".into()));
    }
}
