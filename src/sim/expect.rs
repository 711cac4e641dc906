//! Claims about a run's outcome, e.g. `acked_writes_lost > 0` or
//! `duplicate_charges == 0 and orders_confirmed >= 5`: what a predict-then-run question says
//! the simulator will compute. The lesson validator runs the scenario and checks the claim,
//! and the quiz shows the computed numbers beside it, so a question cannot state an outcome
//! the simulator does not produce.

use std::fmt;

use super::Metrics;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Op {
    pub(crate) const ALL: [(&'static str, Op); 6] = [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        (">", Op::Gt),
        ("<", Op::Lt),
    ];

    pub(crate) fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Eq => (a - b).abs() < 1e-9,
            Op::Ne => (a - b).abs() >= 1e-9,
        }
    }

    pub(crate) fn symbol(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(_, o)| *o == self)
            .map_or("?", |(s, _)| s)
    }
}

/// One `key op number` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub key: String,
    pub op: Op,
    pub value: f64,
}

/// Clauses joined by `and`.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect(pub Vec<Clause>);

impl Expect {
    /// Parses `key op number [and key op number]...`; keys must be outcome names.
    pub fn parse(text: &str) -> Result<Expect, String> {
        let known = Metrics::default().values();
        let names: Vec<&str> = known.iter().map(|(k, _)| k.as_str()).collect();
        Self::parse_with(text, "outcome", &names, |k| k.starts_with("shard_"))
    }

    /// The same over other names, e.g. `answer` for what an estimate question asks.
    pub fn parse_over(text: &str, names: &[&str]) -> Result<Expect, String> {
        Self::parse_with(text, "name", names, |_| false)
    }

    fn parse_with(
        text: &str,
        what: &str,
        names: &[&str],
        also: impl Fn(&str) -> bool,
    ) -> Result<Expect, String> {
        let mut clauses = Vec::new();
        for part in text.split(" and ") {
            let part = part.trim();
            let (key, op, rest) = Op::ALL
                .iter()
                .find_map(|(sym, op)| part.split_once(sym).map(|(k, r)| (k.trim(), *op, r.trim())))
                .ok_or_else(|| {
                    format!("`{part}` is not `KEY OP NUMBER` (OP is one of > >= < <= == !=)")
                })?;
            if !names.contains(&key) && !also(key) {
                return Err(format!(
                    "unknown {what} `{key}`; expected one of: {}",
                    names.join(", ")
                ));
            }
            let value = rest
                .parse::<f64>()
                .map_err(|_| format!("`{rest}` is not a number"))?;
            clauses.push(Clause {
                key: key.to_owned(),
                op,
                value,
            });
        }
        Ok(Expect(clauses))
    }

    /// Whether every clause holds for these named values (a name not given is 0).
    pub fn holds_for(&self, values: &[(String, f64)]) -> bool {
        self.0.iter().all(|c| c.holds_in(values))
    }

    /// Whether every clause holds for `m`.
    pub fn holds(&self, m: &Metrics) -> bool {
        self.holds_for(&m.values())
    }

    /// Each clause with the computed value: `acked_writes_lost = 3 (claimed > 0) ✓`.
    pub fn explain(&self, m: &Metrics) -> Vec<String> {
        self.each(m, |c, got, mark| {
            format!(
                "{} = {} (claimed {} {}) {mark}",
                c.key,
                fmt_num(got),
                c.op.symbol(),
                fmt_num(c.value)
            )
        })
    }

    /// Each clause in plain words for a learner, with the computed value:
    /// `acknowledged writes lost: 3 (expected: more than 0) ✓`.
    pub fn explain_plain(&self, m: &Metrics) -> Vec<String> {
        self.each(m, |c, got, mark| {
            let (label, unit) = plain_label(&c.key);
            format!(
                "{label}: {}{unit} (expected: {} {}{unit}) {mark}",
                fmt_num(got),
                c.op.words(),
                fmt_num(c.value)
            )
        })
    }

    /// `line(clause, computed value, ✓ or ✗)` for each clause.
    fn each(&self, m: &Metrics, line: impl Fn(&Clause, f64, &str) -> String) -> Vec<String> {
        let values = m.values();
        self.0
            .iter()
            .map(|c| {
                let mark = if c.holds_in(&values) { "✓" } else { "✗" };
                line(c, value_of(&values, &c.key), mark)
            })
            .collect()
    }
}

/// An outcome's name in plain words, and its unit: `p99_ack_ms` → ("slowest 1% of
/// acknowledgements (p99)", " ms").
pub fn plain_label(key: &str) -> (String, &'static str) {
    let known = match key {
        "acked_writes_lost" => Some("acknowledged writes lost"),
        "writes_acked" => Some("writes acknowledged"),
        "writes_unknown" => Some("writes with an unknown outcome (timed out)"),
        "writes_failed" => Some("writes refused"),
        "p50_ack_ms" => Some("median acknowledgement time (p50)"),
        "p99_ack_ms" => Some("slowest 1% of acknowledgements (p99)"),
        "p50_detection_ms" => Some("median time to detect a crash"),
        "max_replication_lag_ms" => Some("largest replication lag"),
        "divergence" => Some("replicas disagree at the end (1 = yes)"),
        "orders_pending" => Some("orders still pending"),
        _ => None,
    };
    let unit = if key.ends_with("_ms") { " ms" } else { "" };
    let label = known.map_or_else(
        || key.trim_end_matches("_ms").replace('_', " "),
        str::to_owned,
    );
    (label, unit)
}

impl Op {
    /// The operator in words: `more than`, `at most`, ...
    pub(crate) fn words(self) -> &'static str {
        match self {
            Op::Gt => "more than",
            Op::Ge => "at least",
            Op::Lt => "less than",
            Op::Le => "at most",
            Op::Eq => "exactly",
            Op::Ne => "anything but",
        }
    }
}

impl Clause {
    fn holds_in(&self, values: &[(String, f64)]) -> bool {
        self.op.holds(value_of(values, &self.key), self.value)
    }
}

fn value_of(values: &[(String, f64)], key: &str) -> f64 {
    values
        .iter()
        .find(|(k, _)| k == key)
        .map_or(0.0, |(_, v)| *v)
}

pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" and ")?;
            }
            write!(f, "{} {} {}", c.key, c.op.symbol(), fmt_num(c.value))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        let e = Expect::parse("acked_writes_lost > 0 and stale_reads == 0").unwrap();
        assert_eq!(e.0.len(), 2);
        assert_eq!(e.to_string(), "acked_writes_lost > 0 and stale_reads == 0");
        assert_eq!(Expect::parse("p99_ack_ms >= 1.5").unwrap().0[0].op, Op::Ge);
    }

    #[test]
    fn rejects_unknown_keys_and_bad_numbers() {
        assert!(
            Expect::parse("lost_writes > 0")
                .unwrap_err()
                .contains("unknown outcome `lost_writes`")
        );
        assert!(
            Expect::parse("stale_reads > many")
                .unwrap_err()
                .contains("not a number")
        );
        assert!(
            Expect::parse("stale_reads")
                .unwrap_err()
                .contains("KEY OP NUMBER")
        );
    }

    #[test]
    fn holds_against_metrics() {
        let m = Metrics {
            acked_writes_lost: 3,
            ..Metrics::default()
        };
        assert!(Expect::parse("acked_writes_lost > 0").unwrap().holds(&m));
        assert!(!Expect::parse("acked_writes_lost == 0").unwrap().holds(&m));
        let e = Expect::parse("acked_writes_lost >= 2").unwrap().explain(&m);
        assert_eq!(e, ["acked_writes_lost = 3 (claimed >= 2) ✓"]);
        let plain = Expect::parse("acked_writes_lost > 0 and p99_ack_ms <= 900")
            .unwrap()
            .explain_plain(&m);
        assert_eq!(
            plain,
            [
                "acknowledged writes lost: 3 (expected: more than 0) ✓",
                "slowest 1% of acknowledgements (p99): 0 ms (expected: at most 900 ms) ✓"
            ]
        );
    }
}
