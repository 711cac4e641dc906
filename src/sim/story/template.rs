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
        Ok(Template(pieces))
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
