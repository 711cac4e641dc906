//! An independent linearizability checker for the histories `distlab sim ID --history FILE`
//! writes (Jepsen-style JSON lines). It shares no code with the simulator: it reads only
//! the history lines.
//!
//! The model is one register per key: a write sets the value, a read returns the latest
//! value (`None` before any write). Linearizability is compositional (Herlihy & Wing), so
//! each key is checked on its own.
//!
//! Operations: an `invoke` line opens an operation of its process, the process's next
//! `ok`, `fail` or `info` line completes it. Real time is the position in the history (the
//! simulator emits events in the order they happen).
//! - `ok`: took effect exactly once, between its invoke and its completion.
//! - `fail`: never took effect (dropped).
//! - `info` (or no completion at all): may have taken effect at any time after its invoke,
//!   or never; its completion is +∞. An `info` read constrains nothing and is dropped.
//!
//! The search is Wing & Gong's, with Lowe's memoisation: from a set of linearized
//! operations and the register's value, any pending operation invoked before the earliest
//! completion among the pending `ok` operations may be linearized next. Configurations
//! (linearized set, value) already explored are not explored again. The history is
//! linearizable when some path linearizes every `ok` operation (the `info` writes left
//! over never took effect, or took effect after everything, which no read can see).

#![allow(dead_code)]

#[cfg(test)]
mod checker_tests;

use std::collections::{BTreeMap, HashSet};

/// What a history line says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Invoke,
    Ok,
    Fail,
    Info,
}

/// One history line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: Type,
    pub write: bool,
    pub process: u64,
    pub key: String,
    pub value: Option<i64>,
    pub time_ns: u64,
}

/// Parses `{"type":..,"f":..,"process":N,"key":..,"value":..,"time":NANOS}`.
pub fn parse_line(text: &str) -> Result<Line, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("{text}: {e}"))?;
    let field = |name: &str| v.get(name).ok_or(format!("{text}: no `{name}`"));
    let kind = match field("type")?.as_str() {
        Some("invoke") => Type::Invoke,
        Some("ok") => Type::Ok,
        Some("fail") => Type::Fail,
        Some("info") => Type::Info,
        _ => return Err(format!("{text}: bad `type`")),
    };
    let write = match field("f")?.as_str() {
        Some("write") => true,
        Some("read") => false,
        _ => return Err(format!("{text}: bad `f`")),
    };
    let value = match field("value")? {
        serde_json::Value::Null => None,
        n => Some(n.as_i64().ok_or(format!("{text}: bad `value`"))?),
    };
    Ok(Line {
        kind,
        write,
        process: field("process")?.as_u64().ok_or("bad `process`")?,
        key: field("key")?.as_str().ok_or("bad `key`")?.to_string(),
        value,
        time_ns: field("time")?.as_u64().ok_or("bad `time`")?,
    })
}

/// One operation with its invoke and completion positions in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub process: u64,
    pub key: String,
    pub write: bool,
    /// The value written, or the value an `ok` read returned.
    pub value: Option<i64>,
    pub invoke: usize,
    /// `None`: `info` or never completed, so it may take effect any time after `invoke`.
    pub complete: Option<usize>,
    pub invoke_ns: u64,
    pub complete_ns: Option<u64>,
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.value.map_or("nil".into(), |v| v.to_string());
        let f_name = if self.write { "write" } else { "read" };
        let end = self
            .complete_ns
            .map_or("info".into(), |t| format!("{:.3}s", secs(t)));
        write!(
            f,
            "p{} {f_name} {}={v} [{:.3}s..{end}] (lines {}..{})",
            self.process,
            self.key,
            secs(self.invoke_ns),
            self.invoke + 1,
            self.complete.map_or("-".into(), |c| (c + 1).to_string())
        )
    }
}

fn secs(ns: u64) -> f64 {
    ns as f64 / 1e9
}

/// Pairs each invoke with its process's next completion. A process runs one operation at
/// a time and, after an `info`, never invokes again (Jepsen's convention): a history that
/// breaks either rule is refused.
pub fn ops(lines: &[Line]) -> Result<Vec<Op>, String> {
    let mut open: BTreeMap<u64, Op> = BTreeMap::new();
    let mut retired = HashSet::new();
    let mut done = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if retired.contains(&l.process) {
            return Err(format!(
                "line {}: process {} after its info",
                i + 1,
                l.process
            ));
        }
        if l.kind == Type::Invoke {
            let op = Op {
                process: l.process,
                key: l.key.clone(),
                write: l.write,
                value: if l.write { l.value } else { None },
                invoke: i,
                complete: None,
                invoke_ns: l.time_ns,
                complete_ns: None,
            };
            if open.insert(l.process, op).is_some() {
                return Err(format!("line {}: process {} is busy", i + 1, l.process));
            }
            continue;
        }
        let Some(mut op) = open.remove(&l.process) else {
            return Err(format!(
                "line {}: no invoke for process {}",
                i + 1,
                l.process
            ));
        };
        if op.write != l.write || op.key != l.key || (l.write && l.value != op.value) {
            return Err(format!(
                "line {}: completion does not match its invoke",
                i + 1
            ));
        }
        match l.kind {
            Type::Ok => {
                op.complete = Some(i);
                op.complete_ns = Some(l.time_ns);
                op.value = l.value;
                done.push(op);
            }
            Type::Info => {
                retired.insert(l.process);
                if op.write {
                    done.push(op);
                }
            }
            Type::Fail | Type::Invoke => {}
        }
    }
    // Never completed: as `info`.
    done.extend(open.into_values().filter(|op| op.write));
    done.sort_by_key(|op| op.invoke);
    Ok(done)
}

/// Why a key's operations have no linearization.
#[derive(Debug, Clone)]
pub struct Violation {
    pub key: String,
    /// The most `ok` operations any path linearized, and the register's value then.
    pub linearized: usize,
    pub value: Option<i64>,
    /// The `ok` operation that had to come next there and could not.
    pub blocked: Op,
    /// The key's operations, for a counter-example.
    pub ops: Vec<Op>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.value.map_or("nil".into(), |v| v.to_string());
        write!(
            f,
            "key {}: after {} ok ops (register {v}) no order admits {}",
            self.key, self.linearized, self.blocked
        )
    }
}

/// Most configurations explored for one key before giving up (a checker bug or a history
/// far beyond what the simulator writes).
const STATES_MAX: usize = 2_000_000;

/// Checks every key; returns the first key with no linearization.
pub fn check(ops: &[Op]) -> Result<(), Box<Violation>> {
    let mut by_key: BTreeMap<&str, Vec<Op>> = BTreeMap::new();
    for op in ops {
        by_key.entry(&op.key).or_default().push(op.clone());
    }
    by_key.into_values().try_for_each(|ops| check_key(&ops))
}

/// Checks one key's operations (all on the same key).
///
/// An `info` write is linearized only together with a read of its value right after it:
/// in any linearization, an `info` write not followed at once by a read of its value is
/// either overwritten unseen or last, and dropping it leaves a linearization. Without
/// this, every subset of the pending `info` writes would be a configuration of its own.
pub fn check_key(all: &[Op]) -> Result<(), Box<Violation>> {
    let ops: Vec<&Op> = all.iter().collect();
    let oks = ops.iter().filter(|o| o.complete.is_some()).count();
    let words = ops.len().div_ceil(64).max(1);
    let mut seen: HashSet<(Vec<u64>, Option<i64>)> = HashSet::new();
    let mut stack = vec![(vec![0u64; words], None::<i64>, 0usize)];
    let mut best: (usize, Option<i64>, Option<usize>) = (0, None, None);
    while let Some((done, value, n_ok)) = stack.pop() {
        if n_ok == oks {
            return Ok(());
        }
        let is_done = |i: usize| done[i / 64] >> (i % 64) & 1 == 1;
        // The earliest completion among pending ok ops: every op linearized next must
        // have been invoked before it.
        let (first, deadline) = (0..ops.len())
            .filter(|&i| !is_done(i))
            .filter_map(|i| ops[i].complete.map(|c| (i, c)))
            .min_by_key(|&(_, c)| c)
            .expect("an ok op is pending");
        if n_ok >= best.0 {
            best = (n_ok, value, Some(first));
        }
        let ready: Vec<usize> = (0..ops.len())
            .filter(|&i| !is_done(i) && ops[i].invoke < deadline)
            .collect();
        for &i in &ready {
            let op = ops[i];
            // Each step: (ops linearized, register after them, ok ops among them).
            let steps: Vec<(Vec<usize>, Option<i64>, usize)> = match (op.write, op.complete) {
                (true, Some(_)) => vec![(vec![i], op.value, 1)],
                (true, None) => (ready.iter())
                    .filter(|&&j| !ops[j].write && ops[j].value == op.value)
                    .map(|&j| (vec![i, j], op.value, 1))
                    .collect(),
                (false, _) if op.value == value => vec![(vec![i], value, 1)],
                (false, _) => vec![],
            };
            for (taken, next, oks_taken) in steps {
                let mut d = done.clone();
                for j in taken {
                    d[j / 64] |= 1 << (j % 64);
                }
                if seen.insert((d.clone(), next)) {
                    assert!(
                        seen.len() <= STATES_MAX,
                        "search too large for key {}",
                        op.key
                    );
                    stack.push((d, next, n_ok + oks_taken));
                }
            }
        }
    }
    let (linearized, value, blocked) = best;
    Err(Box::new(Violation {
        key: all[0].key.clone(),
        linearized,
        value,
        blocked: ops[blocked.expect("at least one configuration")].clone(),
        ops: all.to_vec(),
    }))
}

/// Parses a whole history and checks it.
pub fn check_history(text: &str) -> Result<Result<(), Box<Violation>>, String> {
    let lines = (text.lines().filter(|l| !l.trim().is_empty()))
        .map(parse_line)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(check(&ops(&lines)?))
}
