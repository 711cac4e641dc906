//! Terms: the values a step can name in a claim (`acked_writes_lost > 0`,
//! `@primary == n2`) or quote in its caption (`{p99_ack_ms}`), computed from the
//! run at the moment the step pauses.
//!
//! | term | value |
//! |---|---|
//! | an outcome (`acked_writes_lost`, `p99_ack_ms`, ...) | its value so far |
//! | `new.OUTCOME` | how much it grew since the previous step paused |
//! | `t` | the time of the pause, in seconds |
//! | `count(EVENT)` | how many events of that kind happened so far (see [`super::Anchor`]) |
//! | `event.t`, `event.node`, `event.from`, `event.to`, `event.key`, `event.value`, `event.order` | the event the step paused on |
//! | `@primary` | the node that is primary now |
//! | `NODE.role`, `NODE.status`, `NODE.lag`, `NODE.lag_ms`, `NODE.suspected`, `NODE.skew_ms`, `NODE.offset_ms`, `NODE.drift_ppm`, `NODE.lamport`, `NODE.queue`, `NODE.KEY` | one node now (`NODE` may be `@primary`) |
//! | `param.NAME` | a parameter's value now |

use std::fmt;

use super::super::event::{Event, EventKind};
use super::super::msg::{KEY_NAMES, REGIONS, key_name};
use super::super::node::Status;
use super::super::params::ParamValue;
use super::super::{Metrics, Sim};
use super::anchor::Anchor;
use super::watch::Watch;

/// A node named in a term.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeRef {
    Named(String),
    /// Whoever is primary when the term is computed.
    Primary,
}

/// What of a node a term reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Attr {
    Role,
    Status,
    /// Writes behind the primary.
    Lag,
    LagMs,
    /// 1 if some monitor suspects it, else 0.
    Suspected,
    /// The skew its clock was set to, ms (negative = behind); the drift aside.
    SkewMs,
    /// How far its clock reads from true time now, ms: the skew and the drift accumulated.
    OffsetMs,
    /// Its clock's rate error, ppm.
    DriftPpm,
    /// Its Lamport clock's value.
    Lamport,
    /// Requests waiting in its queue (a shard).
    Queue,
    /// The value it stores for this key.
    Key(u8),
}

/// A field of the event a step paused on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field {
    T,
    Node,
    From,
    To,
    Key,
    Value,
    Order,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Outcome(String),
    New(String),
    Time,
    Count(Anchor),
    Event(Field),
    Primary,
    Node(NodeRef, Attr),
    Param(String),
}

/// A computed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Num(f64),
    Word(String),
    /// Nothing there (no value stored, no primary, no such field on this event).
    Absent,
}

/// What a term is computed from.
pub struct Scene<'a> {
    pub sim: &'a Sim,
    pub watch: &'a Watch,
    /// The event the step paused on, if it waited for one.
    pub anchor: Option<&'a Event>,
}

/// What the parser needs to know of the cluster: node names, key names, parameters.
pub struct Names<'a> {
    pub nodes: &'a [String],
    pub keys: usize,
    pub params: &'a super::super::Params,
}

impl Term {
    /// Parses one term; `anchored` says whether the step waits for an event (`event.*`
    /// needs one).
    pub fn parse(text: &str, names: &Names<'_>, anchored: bool) -> Result<Term, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("an empty term".into());
        }
        if t == "t" {
            return Ok(Term::Time);
        }
        if t == "@primary" {
            return Ok(Term::Primary);
        }
        if let Some(inner) = t.strip_prefix("count(").and_then(|r| r.strip_suffix(')')) {
            return Anchor::parse(inner, names.nodes).map(Term::Count);
        }
        if let Some(f) = t.strip_prefix("event.") {
            if !anchored {
                return Err(format!(
                    "`{t}` names the event the step paused on, but this step has no `until`"
                ));
            }
            return Field::parse(f).map(Term::Event);
        }
        if let Some(p) = t.strip_prefix("param.") {
            return match names.params.get(p) {
                Some(_) => Ok(Term::Param(p.to_owned())),
                None => Err(format!(
                    "unknown parameter `{}`; see the parameters in lessons/FORMAT.md",
                    crate::sanitize::quote(p)
                )),
            };
        }
        if let Some(o) = t.strip_prefix("new.") {
            return outcome(o).map(Term::New);
        }
        if let Some((node, attr)) = t.rsplit_once('.') {
            let node = match node {
                "@primary" => NodeRef::Primary,
                n if names.nodes.iter().any(|x| x == n) => NodeRef::Named(n.to_owned()),
                n => {
                    return Err(format!(
                        "no node `{}` in this scenario; nodes: {}{}",
                        crate::sanitize::quote(n),
                        names.nodes.join(", "),
                        crate::sim::rename_hint(n, names.nodes)
                    ));
                }
            };
            return Attr::parse(attr, names.keys).map(|a| Term::Node(node, a));
        }
        outcome(t).map(Term::Outcome)
    }

    /// Whether the term's value is a word (compared only with `==` and `!=`).
    pub fn is_word(&self, names: &Names<'_>) -> bool {
        match self {
            Term::Primary => true,
            Term::Node(_, a) => matches!(a, Attr::Role | Attr::Status),
            Term::Event(f) => matches!(f, Field::Node | Field::From | Field::To | Field::Key),
            Term::Param(p) => matches!(names.params.get(p), Some(ParamValue::Word(_))),
            _ => false,
        }
    }

    /// Digits after the point when shown in a caption (`None`: as few as make sense).
    fn decimals(&self) -> Option<usize> {
        matches!(self, Term::Time | Term::Event(Field::T)).then_some(3)
    }

    /// The value in this scene.
    pub fn eval(&self, s: &Scene<'_>) -> Val {
        let sim = s.sim;
        match self {
            Term::Outcome(k) => Val::Num(metric(sim.metrics(), k)),
            Term::New(k) => Val::Num(metric(sim.metrics(), k) - s.watch.previous(k)),
            Term::Time => Val::Num(sim.now_us() as f64 / 1e6),
            Term::Count(a) => Val::Num(s.watch.count(a) as f64),
            Term::Event(f) => s.anchor.map_or(Val::Absent, |e| field(sim, e, *f)),
            Term::Primary => sim
                .primary()
                .map_or(Val::Absent, |p| Val::Word(sim.node_name(p).to_owned())),
            Term::Node(n, a) => {
                let id = match n {
                    NodeRef::Named(name) => sim.node_id(name),
                    NodeRef::Primary => sim.primary(),
                };
                id.map_or(Val::Absent, |id| attr(sim, id, *a))
            }
            Term::Param(p) => match sim.params().get(p) {
                Some(ParamValue::Num(x)) => Val::Num(x),
                Some(ParamValue::Word(w)) => Val::Word(w),
                None => Val::Absent,
            },
        }
    }

    /// The value as a caption shows it.
    pub fn show(&self, s: &Scene<'_>) -> String {
        match (self.eval(s), self.decimals()) {
            // Times are cut to the millisecond, as the trace shows them (`t=12.871s`).
            (Val::Num(x), Some(d)) => format!("{:.d$}", (x * 1000.0).floor() / 1000.0),
            (v, _) => v.to_string(),
        }
    }
}

fn outcome(k: &str) -> Result<String, String> {
    let known = Metrics::default().values();
    let shard = k.strip_prefix("shard_").is_some_and(|rest| {
        REGIONS.iter().any(|r| {
            rest.strip_prefix(r)
                .and_then(|x| x.strip_prefix('_'))
                .is_some_and(|x| matches!(x, "served" | "max_queue" | "p99_ms"))
        })
    });
    if shard || known.iter().any(|(n, _)| n == k) {
        Ok(k.to_owned())
    } else {
        let names: Vec<&str> = known.iter().map(|(n, _)| n.as_str()).collect();
        Err(format!(
            "unknown term `{}`; expected an outcome ({}), t, count(EVENT), event.FIELD, \
             @primary, NODE.ATTR, new.OUTCOME or param.NAME",
            crate::sanitize::quote(k),
            names.join(", ")
        ))
    }
}

fn metric(m: &Metrics, k: &str) -> f64 {
    m.values()
        .into_iter()
        .find(|(n, _)| n == k)
        .map_or(0.0, |(_, v)| v)
}

impl Field {
    fn parse(f: &str) -> Result<Field, String> {
        Ok(match f {
            "t" => Field::T,
            "node" => Field::Node,
            "from" => Field::From,
            "to" => Field::To,
            "key" => Field::Key,
            "value" => Field::Value,
            "order" => Field::Order,
            _ => {
                return Err(format!(
                    "unknown event field `{}`; expected t, node, from, to, key, value or order",
                    crate::sanitize::quote(f)
                ));
            }
        })
    }
}

impl Attr {
    fn parse(a: &str, keys: usize) -> Result<Attr, String> {
        Ok(match a {
            "role" => Attr::Role,
            "status" => Attr::Status,
            "lag" => Attr::Lag,
            "lag_ms" => Attr::LagMs,
            "suspected" => Attr::Suspected,
            "skew_ms" => Attr::SkewMs,
            "offset_ms" => Attr::OffsetMs,
            "drift_ppm" => Attr::DriftPpm,
            "lamport" => Attr::Lamport,
            "queue" => Attr::Queue,
            k => match KEY_NAMES[..keys.min(KEY_NAMES.len())]
                .iter()
                .position(|n| *n == k)
            {
                Some(i) => Attr::Key(i as u8),
                None => {
                    return Err(format!(
                        "unknown node attribute `{}`; expected role, status, lag, lag_ms, \
                         suspected, skew_ms, offset_ms, drift_ppm, lamport, queue or a key ({})",
                        crate::sanitize::quote(k),
                        KEY_NAMES[..keys.min(KEY_NAMES.len())].join(", ")
                    ));
                }
            },
        })
    }
}

fn field(sim: &Sim, e: &Event, f: Field) -> Val {
    let name = |id: u8| Val::Word(sim.node_name(id).to_owned());
    match (f, &e.kind) {
        (Field::T, _) => Val::Num(e.t_us as f64 / 1e6),
        (Field::Node, _) => super::anchor::subject(e, sim).map_or(Val::Absent, name),
        (Field::From, EventKind::Failover { old, .. }) => name(*old),
        (Field::To, EventKind::Failover { new: Some(n), .. }) => name(*n),
        (Field::From, EventKind::Sent(p) | EventKind::Delivered(p) | EventKind::Dropped(p, _)) => {
            name(p.from)
        }
        (Field::To, EventKind::Sent(p) | EventKind::Delivered(p) | EventKind::Dropped(p, _)) => {
            name(p.to)
        }
        (
            Field::Key,
            EventKind::WriteLost { key, .. }
            | EventKind::WriteDiscarded { key, .. }
            | EventKind::Conflict { key, .. }
            | EventKind::StaleRead { key, .. },
        ) => Val::Word(key_name(*key).to_owned()),
        (Field::Key, EventKind::Client(op)) => Val::Word(key_name(op.key).to_owned()),
        (
            Field::Value,
            EventKind::WriteLost { value, .. }
            | EventKind::WriteDiscarded { value, .. }
            | EventKind::Conflict { value, .. },
        ) => Val::Num(*value as f64),
        (Field::Value, EventKind::StaleRead { got, .. }) => {
            got.map_or(Val::Absent, |v| Val::Num(v as f64))
        }
        (Field::Value, EventKind::Client(op)) => {
            op.value.map_or(Val::Absent, |v| Val::Num(v as f64))
        }
        (Field::Order, EventKind::Order { order, .. }) => Val::Num(f64::from(*order)),
        _ => Val::Absent,
    }
}

fn attr(sim: &Sim, id: u8, a: Attr) -> Val {
    let node = &sim.nodes()[id as usize];
    match a {
        Attr::Role => Val::Word(node.role.word().to_owned()),
        Attr::Status => Val::Word(
            match node.status {
                Status::Up => "up",
                Status::Crashed => "crashed",
                Status::Paused { .. } => "paused",
            }
            .to_owned(),
        ),
        Attr::Lag => Val::Num(sim.replication_lag(id).1 as f64),
        Attr::LagMs => Val::Num(sim.replication_lag(id).0),
        Attr::Suspected => Val::Num(if sim.suspected_by(id).is_empty() {
            0.0
        } else {
            1.0
        }),
        Attr::SkewMs => Val::Num(node.clock.skew_ms as f64),
        Attr::OffsetMs => Val::Num(node.clock.offset_us(sim.now_us()) as f64 / 1000.0),
        Attr::DriftPpm => Val::Num(node.clock.drift_ppm as f64),
        Attr::Lamport => Val::Num(node.lamport.0 as f64),
        Attr::Queue => Val::Num(
            sim.shard_queues()
                .iter()
                .find(|(n, _)| *n == id)
                .map_or(0.0, |(_, q)| *q as f64),
        ),
        Attr::Key(k) => node
            .store
            .get(k as usize)
            .copied()
            .flatten()
            .map_or(Val::Absent, |v| Val::Num(v.value as f64)),
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Num(x) => f.write_str(&show_num(*x)),
            Val::Word(w) => f.write_str(w),
            Val::Absent => f.write_str("none"),
        }
    }
}

/// A number as a person reads it: whole numbers whole, others to a sensible precision.
pub fn show_num(x: f64) -> String {
    if (x.fract() == 0.0 && x.abs() < 1e15) || x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Outcome(k) => f.write_str(k),
            Term::New(k) => write!(f, "new.{k}"),
            Term::Time => f.write_str("t"),
            Term::Count(a) => write!(f, "count({a})"),
            Term::Event(x) => write!(f, "event.{}", format!("{x:?}").to_lowercase()),
            Term::Primary => f.write_str("@primary"),
            Term::Node(n, a) => {
                match n {
                    NodeRef::Named(s) => f.write_str(s)?,
                    NodeRef::Primary => f.write_str("@primary")?,
                }
                match a {
                    Attr::Key(k) => write!(f, ".{}", key_name(*k)),
                    Attr::LagMs => f.write_str(".lag_ms"),
                    Attr::SkewMs => f.write_str(".skew_ms"),
                    Attr::OffsetMs => f.write_str(".offset_ms"),
                    Attr::DriftPpm => f.write_str(".drift_ppm"),
                    other => write!(f, ".{}", format!("{other:?}").to_lowercase()),
                }
            }
            Term::Param(p) => write!(f, "param.{p}"),
        }
    }
}
