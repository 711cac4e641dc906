//! Claims: what a step or a scenario says about the run, checked against it.
//! `TERM OP VALUE [and TERM OP VALUE]...`, where VALUE is a number, a word (a node name,
//! a role, `none`) or another term: `failovers == 0`, `@primary == n2`,
//! `new.writes_acked == 0 and n3.status == crashed`.

use std::fmt;

use super::super::expect::Op;
use super::term::{Names, Scene, Term, Val, show_num};

/// The right-hand side of a clause.
#[derive(Debug, Clone, PartialEq)]
pub enum Rhs {
    Num(f64),
    Word(String),
    Term(Term),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub term: Term,
    pub op: Op,
    pub rhs: Rhs,
}

/// Clauses joined by `and`; empty when a step claims nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Claims(pub Vec<Clause>);

/// One clause checked: its text, the value computed, and whether it held.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub claim: String,
    /// The left-hand term, as written.
    pub term: String,
    /// The right-hand side when it is a term too: as written, and its value.
    pub rhs: Option<(String, String)>,
    pub value: String,
    pub held: bool,
}

impl Claims {
    /// Parses claims; `anchored` says whether the step waits for an event.
    pub fn parse(text: &str, names: &Names<'_>, anchored: bool) -> Result<Claims, String> {
        let mut clauses = Vec::new();
        for part in text.split(" and ") {
            let part = part.trim();
            let (lhs, op, rhs) = Op::ALL
                .iter()
                .find_map(|(sym, op)| part.split_once(sym).map(|(l, r)| (l, *op, r.trim())))
                .ok_or_else(|| {
                    format!(
                        "`{}` is not `TERM OP VALUE` (OP is one of > >= < <= == !=)",
                        crate::sanitize::quote(part)
                    )
                })?;
            let term = Term::parse(lhs, names, anchored)?;
            let rhs = if let Ok(x) = rhs.parse::<f64>() {
                Rhs::Num(x)
            } else if let Ok(t) = Term::parse(rhs, names, anchored) {
                Rhs::Term(t)
            } else if !rhs.is_empty() && !rhs.contains(char::is_whitespace) {
                Rhs::Word(rhs.to_owned())
            } else {
                return Err(format!(
                    "`{}`: missing the value after `{}`",
                    crate::sanitize::quote(part),
                    op.symbol()
                ));
            };
            let words = term.is_word(names)
                || matches!(&rhs, Rhs::Word(_))
                || matches!(&rhs, Rhs::Term(t) if t.is_word(names));
            if words && !matches!(op, Op::Eq | Op::Ne) {
                return Err(format!(
                    "`{}` compares words: use == or !=",
                    crate::sanitize::quote(part)
                ));
            }
            clauses.push(Clause { term, op, rhs });
        }
        Ok(Claims(clauses))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every clause checked in this scene.
    pub fn check(&self, s: &Scene<'_>) -> Vec<Checked> {
        self.0
            .iter()
            .map(|c| {
                let got = c.term.eval(s);
                let want = match &c.rhs {
                    Rhs::Num(x) => Val::Num(*x),
                    Rhs::Word(w) if w == "none" => Val::Absent,
                    Rhs::Word(w) => Val::Word(w.clone()),
                    Rhs::Term(t) => t.eval(s),
                };
                let rhs = match &c.rhs {
                    Rhs::Term(t) => Some((t.to_string(), want.to_string())),
                    _ => None,
                };
                let held = match (&got, &want) {
                    (Val::Num(a), Val::Num(b)) => c.op.holds(*a, *b),
                    (a, b) => match c.op {
                        Op::Eq => a == b,
                        Op::Ne => a != b,
                        _ => false,
                    },
                };
                Checked {
                    claim: c.to_string(),
                    term: c.term.to_string(),
                    rhs,
                    value: got.to_string(),
                    held,
                }
            })
            .collect()
    }

    /// The terms these claims read (for `count(...)` to be tracked from the start).
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.0.iter().flat_map(|c| {
            std::iter::once(&c.term).chain(match &c.rhs {
                Rhs::Term(t) => Some(t),
                _ => None,
            })
        })
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.term, self.op.symbol())?;
        match &self.rhs {
            Rhs::Num(x) => f.write_str(&show_num(*x)),
            Rhs::Word(w) => f.write_str(w),
            Rhs::Term(t) => write!(f, "{t}"),
        }
    }
}

impl fmt::Display for Claims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" and ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl Checked {
    /// `✗ failovers == 0 (here failovers = 1)`
    pub fn line(&self) -> String {
        let mark = if self.held { "✓" } else { "✗" };
        format!("{mark} {} ({})", self.claim, self.values())
    }

    /// What the claim's terms are here: `here p99_ack_ms = 1376, p50_ack_ms = 1376`.
    pub fn values(&self) -> String {
        match &self.rhs {
            Some((t, v)) => format!("here {} = {}, {t} = {v}", self.term, self.value),
            None => format!("here {} = {}", self.term, self.value),
        }
    }
}
