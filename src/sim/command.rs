//! Lab commands: the text form used by scenario events, walkthrough steps, replay files and
//! the TUI's command line. `Display` writes the form that [`Command::parse`] reads back.

use std::fmt;

use crate::sanitize::quote;

use super::params::{DAY_MS, DELAY_MAX_MS, Mode, Stamps, is_whole_number};
use super::role::{NODE_HELP, check_role};

/// Longest `pause`, in ms: a day.
pub const PAUSE_MAX_MS: i64 = DAY_MS as i64;
/// Largest clock offset `skew` sets, either way, in ms: a day.
pub const SKEW_MAX_MS: i64 = DAY_MS as i64;
/// Largest clock drift `drift` sets, either way, in parts per million (a clock at half or
/// one and a half times the true rate).
pub const DRIFT_MAX_PPM: i64 = 500_000;
/// Longest extra delay `slow` adds, in ms: a minute, as for the latency parameters.
pub const SLOW_MAX_MS: i64 = DELAY_MAX_MS as i64;

/// One intervention in the running cluster. Node names, and roles such as `@primary`, are
/// resolved when it is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Stop a node: messages that reach it are lost and it sends nothing; what it sent
    /// before still arrives; it keeps its stored data and loses its pending re-sends.
    Crash(String),
    /// Start a crashed or paused node again.
    Restart(String),
    /// Stall a node for this many ms (a long GC pause): messages wait, timers fire late.
    Pause(String, u64),
    /// Cut these nodes off from all others, both ways.
    Partition(Vec<String>),
    /// Block messages from the first node to the second only.
    PartitionOneway(String, String),
    /// Remove every partition.
    Heal,
    /// Set a node's clock offset in ms (negative = behind).
    Skew(String, i64),
    /// Set a node's clock drift in parts per million.
    Drift(String, i64),
    /// Step a node's clock by this many ms, forwards or back, as an NTP correction does:
    /// the offset changes at once, the drift stays.
    StepClock(String, i64),
    /// Set a node's clock to true time now, as a time sync does; with `true` its drift is
    /// cleared too (a disciplined clock), otherwise the clock goes on drifting at its rate.
    Resync(String, bool),
    /// Extra one-way delay in ms on every message to or from this node.
    Slow(String, u64),
    /// Drop the next message sent on this directed link.
    DropNext(String, String),
    /// Set the message loss probability.
    Loss(f64),
    /// Set the message duplication probability.
    Duplicate(f64),
    /// Set the latency range in ms.
    Latency(f64, f64),
    /// Switch the replication mode.
    Mode(Mode),
    /// Switch last-writer-wins timestamps.
    Timestamps(Stamps),
    /// A client write; without arguments, c1 writes the workload's next value to x.
    Write(Option<(String, String, i64)>),
    /// A read of key x (or the given key) from this node by c1.
    Read(String, Option<String>),
    /// Change a parameter that takes effect while running (e.g. `set hot_fraction 0.6`).
    Set(String, String),
}

fn num<T: std::str::FromStr>(s: Option<&str>, what: &str, usage: &str) -> Result<T, String> {
    let s = s.ok_or_else(|| format!("missing {what}; usage: {usage}"))?;
    s.parse()
        .map_err(|_| format!("`{}` is not a valid {what}; usage: {usage}", quote(s)))
}

/// A whole number from `lo` to `hi`; past them, an error that states the range.
fn int_in(s: Option<&str>, what: &str, (lo, hi): (i64, i64), usage: &str) -> Result<i64, String> {
    let s = s.ok_or_else(|| format!("missing {what}; usage: {usage}"))?;
    match s.parse::<i64>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        Err(_) if !is_whole_number(s) => Err(format!(
            "`{}` is not a valid {what}; usage: {usage}",
            quote(s)
        )),
        _ => Err(format!(
            "{what} `{}` is out of range; expected an integer {lo}..={hi}",
            quote(s)
        )),
    }
}

fn name(s: Option<&str>, usage: &str) -> Result<String, String> {
    s.map(str::to_string)
        .ok_or_else(|| format!("missing node name (a name or @primary); usage: {usage}"))
}

/// A node argument: a name, or a role such as `@primary` (see [`super::role`]).
fn node(s: Option<&str>, usage: &str) -> Result<String, String> {
    let n = name(s, usage)?;
    check_role(&n)?;
    Ok(n)
}

/// Every command's usage line, for error messages and help.
pub const USAGE: &[&str] = &[
    "crash NODE",
    "restart NODE",
    "pause NODE MS",
    "partition NODE...",
    "partition-oneway FROM TO",
    "heal",
    "skew NODE MS",
    "drift NODE PPM",
    "step-clock NODE MS",
    "resync NODE [keep-drift|clear-drift]",
    "slow NODE MS",
    "drop-next FROM TO",
    "loss P",
    "duplicate P",
    "latency MIN_MS MAX_MS",
    "mode async|sync|quorum",
    "timestamps wall|lamport|vector",
    "write [CLIENT KEY VALUE]",
    "read NODE [KEY]",
    "set KEY VALUE",
];

impl Command {
    /// Parses one command; the error names what is wrong and shows the usage.
    pub fn parse(text: &str) -> Result<Command, String> {
        let mut w = text.split_whitespace();
        let verb = w.next().ok_or("empty command")?;
        let usage = USAGE
            .iter()
            .find(|u| u.split(' ').next() == Some(verb))
            .copied()
            .unwrap_or("");
        let a = w.next();
        let b = w.next();
        let prob = |s: Option<&str>| -> Result<f64, String> {
            let p: f64 = num(s, "probability", usage)?;
            if (0.0..=1.0).contains(&p) {
                Ok(p)
            } else {
                Err(format!("probability {p} is not between 0 and 1"))
            }
        };
        let cmd = match verb {
            "crash" => Command::Crash(node(a, usage)?),
            "restart" => Command::Restart(node(a, usage)?),
            "pause" => {
                let n = node(a, usage)?;
                let ms = int_in(b, "duration in ms", (0, PAUSE_MAX_MS), usage)?;
                Command::Pause(n, ms as u64)
            }
            "partition" => {
                let mut nodes = vec![node(a, usage)?];
                for n in b.into_iter().chain(w.by_ref()) {
                    nodes.push(node(Some(n), usage)?);
                }
                Command::Partition(nodes)
            }
            "partition-oneway" => Command::PartitionOneway(node(a, usage)?, node(b, usage)?),
            "heal" => Command::Heal,
            "skew" => {
                let n = node(a, usage)?;
                let ms = int_in(b, "offset in ms", (-SKEW_MAX_MS, SKEW_MAX_MS), usage)?;
                Command::Skew(n, ms)
            }
            "drift" => {
                let n = node(a, usage)?;
                let ppm = int_in(b, "drift in ppm", (-DRIFT_MAX_PPM, DRIFT_MAX_PPM), usage)?;
                Command::Drift(n, ppm)
            }
            "step-clock" => {
                let n = node(a, usage)?;
                let ms = int_in(b, "step in ms", (-SKEW_MAX_MS, SKEW_MAX_MS), usage)?;
                Command::StepClock(n, ms)
            }
            "resync" => {
                let n = node(a, usage)?;
                let clear = match b {
                    None | Some("keep-drift") => false,
                    Some("clear-drift") => true,
                    Some(other) => {
                        return Err(format!(
                            "`{}` is not keep-drift or clear-drift; usage: {usage}",
                            quote(other)
                        ));
                    }
                };
                Command::Resync(n, clear)
            }
            "slow" => {
                let n = node(a, usage)?;
                let ms = int_in(b, "delay in ms", (0, SLOW_MAX_MS), usage)?;
                Command::Slow(n, ms as u64)
            }
            "drop-next" => Command::DropNext(node(a, usage)?, node(b, usage)?),
            "loss" => Command::Loss(prob(a)?),
            "duplicate" => Command::Duplicate(prob(a)?),
            "latency" => {
                let lo: f64 = num(a, "latency in ms", usage)?;
                let hi: f64 = num(b, "latency in ms", usage)?;
                if !(0.0..=60_000.0).contains(&lo) || !(lo..=60_000.0).contains(&hi) {
                    return Err(format!("latency {lo} {hi}: need 0 <= MIN <= MAX <= 60000"));
                }
                Command::Latency(lo, hi)
            }
            "mode" => Command::Mode(match a {
                Some("async") => Mode::Async,
                Some("sync") => Mode::Sync,
                Some("quorum") => Mode::Quorum,
                _ => return Err(format!("usage: {usage}")),
            }),
            "timestamps" => Command::Timestamps(match a {
                Some("wall") => Stamps::Wall,
                Some("lamport") => Stamps::Lamport,
                Some("vector") => Stamps::Vector,
                _ => return Err(format!("usage: {usage}")),
            }),
            "write" => match a {
                None => Command::Write(None),
                Some(c) => {
                    let c = node(Some(c), usage)?;
                    let key = (b.map(str::to_string))
                        .ok_or_else(|| format!("missing key; usage: {usage}"))?;
                    Command::Write(Some((c, key, num(w.next(), "value", usage)?)))
                }
            },
            "read" => Command::Read(node(a, usage)?, b.map(str::to_string)),
            "set" => {
                let key = a.ok_or_else(|| format!("missing parameter; usage: {usage}"))?;
                let value = b.ok_or_else(|| format!("missing value; usage: {usage}"))?;
                Command::Set(key.to_string(), value.to_string())
            }
            other => {
                return Err(format!(
                    "unknown command `{}`; commands: {}; {NODE_HELP}",
                    quote(other),
                    USAGE.join(", ")
                ));
            }
        };
        let given = text.split_whitespace().count();
        // What the command's text form holds; `resync NODE keep-drift` writes out what
        // `resync NODE` means.
        let words = match cmd {
            Command::Resync(..) => 3,
            _ => cmd.to_string().split_whitespace().count(),
        };
        if given > words {
            let extra = text.split_whitespace().last().unwrap_or_default();
            return Err(format!(
                "unexpected `{}` after the command; usage: {usage}",
                quote(extra)
            ));
        }
        Ok(cmd)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Crash(n) => write!(f, "crash {n}"),
            Command::Restart(n) => write!(f, "restart {n}"),
            Command::Pause(n, ms) => write!(f, "pause {n} {ms}"),
            Command::Partition(ns) => write!(f, "partition {}", ns.join(" ")),
            Command::PartitionOneway(a, b) => write!(f, "partition-oneway {a} {b}"),
            Command::Heal => f.write_str("heal"),
            Command::Skew(n, ms) => write!(f, "skew {n} {ms}"),
            Command::Drift(n, ppm) => write!(f, "drift {n} {ppm}"),
            Command::StepClock(n, ms) => write!(f, "step-clock {n} {ms}"),
            Command::Resync(n, false) => write!(f, "resync {n}"),
            Command::Resync(n, true) => write!(f, "resync {n} clear-drift"),
            Command::Slow(n, ms) => write!(f, "slow {n} {ms}"),
            Command::DropNext(a, b) => write!(f, "drop-next {a} {b}"),
            Command::Loss(p) => write!(f, "loss {p}"),
            Command::Duplicate(p) => write!(f, "duplicate {p}"),
            Command::Latency(lo, hi) => write!(f, "latency {lo} {hi}"),
            Command::Mode(m) => write!(f, "mode {m}"),
            Command::Timestamps(s) => write!(f, "timestamps {s}"),
            Command::Write(None) => f.write_str("write"),
            Command::Write(Some((c, k, v))) => write!(f, "write {c} {k} {v}"),
            Command::Read(n, None) => write!(f, "read {n}"),
            Command::Read(n, Some(k)) => write!(f, "read {n} {k}"),
            Command::Set(k, v) => write!(f, "set {k} {v}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_round_trip() {
        for s in [
            "crash n1",
            "restart n1",
            "pause n2 3000",
            "partition n3",
            "partition n2 n3",
            "partition-oneway n1 n2",
            "heal",
            "skew n2 -500",
            "drift n2 200",
            "slow payment 400",
            "drop-next n1 n2",
            "loss 0.2",
            "duplicate 0.05",
            "latency 20 80",
            "latency 2.5 7.5",
            "mode quorum",
            "timestamps lamport",
            "write c1 x 5",
            "write",
            "read n3",
            "read n3 y",
            "set hot_fraction 0.6",
            "crash @primary",
            "pause @primary 3000",
            "partition @primary n3",
            "partition-oneway n2 @primary",
            "skew @primary -200",
            "read @primary y",
        ] {
            let c = Command::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(c.to_string(), s);
            assert_eq!(Command::parse(&c.to_string()).unwrap(), c);
        }
    }

    #[test]
    fn bad_commands_explain() {
        assert!(Command::parse("").is_err());
        assert!(
            Command::parse("fly away")
                .unwrap_err()
                .contains("crash NODE")
        );
        assert!(
            Command::parse("pause n1")
                .unwrap_err()
                .contains("pause NODE MS")
        );
        assert!(Command::parse("loss 2").is_err());
        assert!(Command::parse("heal now").is_err());
        assert!(Command::parse("latency 80 20").is_err());
        assert!(Command::parse("mode fast").is_err());
    }

    /// Numbers that drive simulated time are refused past their bounds, with the range
    /// stated, rather than clamped behind the teacher's back.
    #[test]
    fn numbers_past_their_bounds_are_errors_that_state_the_range() {
        for (text, range) in [
            ("drift n2 500001", "-500000..=500000"),
            ("drift n2 -900000", "-500000..=500000"),
            ("drift n2 99999999999999999999", "-500000..=500000"),
            ("skew n2 86400001", "-86400000..=86400000"),
            ("pause n2 86400001", "0..=86400000"),
            ("pause n2 -5", "0..=86400000"),
            ("slow n2 60001", "0..=60000"),
        ] {
            let e = Command::parse(text).unwrap_err();
            assert!(
                e.contains("out of range; expected an integer") && e.contains(range),
                "{text}: {e}"
            );
        }
        for ok in ["drift n2 500000", "drift n2 -500000", "skew x -86400000"] {
            Command::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        assert!(
            Command::parse("drift n2 fast")
                .unwrap_err()
                .contains("is not a valid drift in ppm")
        );
    }
}
