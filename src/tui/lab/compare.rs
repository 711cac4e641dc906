//! Compare: a second run of the same scenario and seed beside the first, with one setting
//! different, advanced in lockstep and given every command the learner issues.
//!
//! The second run (the twin) is always "this run, had that one setting been different from
//! t=0": it is built fresh and caught up to the first run's time by replaying the command
//! log at the times it was issued, the way a saved session replays. Both runs draw from
//! their own random number generator seeded alike, so they see the same random draws
//! until their traffic differs; from then on a drop may fall on different messages, and
//! the compare line says so.

use super::Lab;
use crate::sim::{AckAfter, Command, Kind, Mode, Params, ReadFrom, Stamps};
use crate::tui::action::LabAction;

/// A comparison in progress: the setting held apart, its value in each run, the second
/// run, and where the two runs' traces first differ.
pub struct Compare {
    /// The parameter that differs, as `--set` names it (`mode`, `fencing`, `timeout_ms`).
    pub key: String,
    /// Its value in run A (this run: left, or top when stacked) and in run B (the twin).
    pub left: String,
    pub right: String,
    pub twin: Box<Lab>,
    /// The first event where the two traces differ, once they have.
    pub parted: Option<Parting>,
}

/// Where two runs' traces part: the time, and what each did there (narrated; `None`
/// where one run had nothing more at that time).
#[derive(Debug, Clone, PartialEq)]
pub struct Parting {
    pub t_us: u64,
    pub a: Option<String>,
    pub b: Option<String>,
}

impl Compare {
    /// `mode=async`, for titles.
    pub fn left_label(&self) -> String {
        format!("{}={}", self.key, self.left)
    }

    pub fn right_label(&self) -> String {
        format!("{}={}", self.key, self.right)
    }
}

/// Compares what two runs have taken in since the last look, event by event as the log
/// narrates them, and returns where they part; the events found equal are let go. Both
/// taps stop once they part. (As narrated: two events that differ only in what the log
/// does not show, such as the timestamp a message carries, are the same to the learner;
/// the difference shows where it first changes what happens.)
fn part(a: &mut Lab, b: &mut Lab) -> Option<Parting> {
    let (ta, tb) = (a.record.tap.as_mut()?, b.record.tap.as_mut()?);
    let (sa, sb) = (&a.sim, &b.sim);
    let same = ta
        .iter()
        .zip(tb.iter())
        .take_while(|(x, y)| x.t_us == y.t_us && sa.narrate(x) == sb.narrate(y))
        .count();
    let parted = if same < ta.len().min(tb.len()) || ta.len() != tb.len() {
        let (x, y) = (ta.get(same), tb.get(same));
        let t_us = x.or(y).map_or(0, |e| e.t_us);
        // The earlier of the two events is where they part; the other run's event comes
        // later (or never), so at that time it did nothing.
        // At the same instant, one run may have done one thing more and then gone on as
        // the other did: that extra event is the difference, and the other run did nothing
        // in its place.
        let told =
            |s: &crate::sim::Sim, e: Option<&crate::sim::Event>| e.map(|e| (e.t_us, s.narrate(e)));
        let (x, y) = match (x, y) {
            (Some(x), Some(y)) if x.t_us < y.t_us => (Some(x), None),
            (Some(x), Some(y)) if y.t_us < x.t_us => (None, Some(y)),
            (Some(x), Some(y)) if told(sa, ta.get(same + 1)) == told(sb, Some(y)) => {
                (Some(x), None)
            }
            (Some(x), Some(y)) if told(sb, tb.get(same + 1)) == told(sa, Some(x)) => {
                (None, Some(y))
            }
            other => other,
        };
        // Narrated without the time, which the parting states once.
        let untimed = |text: String| match text.split_once(' ') {
            Some((t, rest)) if t.starts_with("t=") => rest.to_owned(),
            _ => text,
        };
        Some(Parting {
            t_us: x.or(y).map_or(t_us, |e| e.t_us),
            a: x.map(|e| untimed(sa.narrate(e))),
            b: y.map(|e| untimed(sb.narrate(e))),
        })
    } else {
        None
    };
    if parted.is_some() {
        a.record.tap = None;
        b.record.tap = None;
    } else {
        ta.clear();
        tb.clear();
    }
    parted
}

/// Parses `--compare`: `KEY=A,KEY=B` or the short `KEY=A,B`. Both sides name the same
/// parameter with different values.
pub fn parse_compare(spec: &str) -> Result<(String, String, String), String> {
    let usage = "expected two settings of one parameter separated by a comma, like \
                 `mode=async,mode=sync` (or `mode=async,sync`)";
    let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
    let [first, second] = parts.as_slice() else {
        return Err(usage.into());
    };
    let (key, left) = first
        .split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .ok_or_else(|| format!("`{first}` is not KEY=VALUE; {usage}"))?;
    let (key2, right) = match second.split_once('=') {
        Some((k, v)) => (k.trim(), v.trim()),
        None => (key, *second),
    };
    if key.is_empty() || left.is_empty() || right.is_empty() {
        return Err(format!("an empty name or value; {usage}"));
    }
    if key != key2 {
        return Err(format!(
            "the two sides set different parameters (`{key}` and `{key2}`): a comparison \
             changes one setting"
        ));
    }
    if key == "kind" {
        return Err(
            "`kind` changes what the scenario is; compare a setting within one kind \
                    (mode, drop, fencing, timeout_ms, ...)"
                .into(),
        );
    }
    if left == right {
        return Err(format!(
            "both sides set {key}={left}: a comparison needs two different values"
        ));
    }
    Ok((key.to_owned(), left.to_owned(), right.to_owned()))
}

/// The setting a command changes while the run goes on, if it is a parameter.
fn sets_parameter(cmd: &Command) -> Option<&str> {
    match cmd {
        Command::Loss(_) => Some("drop"),
        Command::Duplicate(_) => Some("duplicate"),
        Command::Mode(_) => Some("mode"),
        Command::Timestamps(_) => Some("timestamps"),
        Command::Latency(..) => Some("latency_ms_min"),
        Command::Set(key, _) => Some(key),
        _ => None,
    }
}

/// The value of `key` in force, as `--set` would write it, for the settings the lab's keys
/// compare.
fn value_of(p: &Params, key: &str) -> Option<String> {
    Some(match key {
        "mode" => p.mode.to_string(),
        "timestamps" => p.timestamps.to_string(),
        "fencing" => p.fencing.to_string(),
        "idempotency" => p.idempotency.to_string(),
        "ack_after" => p.ack_after.to_string(),
        "read_from" => p.read_from.to_string(),
        "timeout_ms" => p.timeout_ms.to_string(),
        "shards" => p.shards.to_string(),
        _ => return None,
    })
}

/// The values `key` may be compared with, best first: the next modes or timestamps, the
/// other side of a switch, twice or half the detector's timeout, one shard more or fewer.
fn other_values(p: &Params, key: &str) -> Vec<String> {
    match key {
        "mode" => {
            let next = |m: Mode| match m {
                Mode::Async => Mode::Sync,
                Mode::Sync => Mode::Quorum,
                Mode::Quorum => Mode::Async,
            };
            vec![next(p.mode).to_string(), next(next(p.mode)).to_string()]
        }
        "timestamps" => {
            let next = |s: Stamps| match s {
                Stamps::Wall => Stamps::Lamport,
                Stamps::Lamport => Stamps::Vector,
                Stamps::Vector => Stamps::Wall,
            };
            vec![
                next(p.timestamps).to_string(),
                next(next(p.timestamps)).to_string(),
            ]
        }
        "fencing" => vec![(!p.fencing).to_string()],
        "idempotency" => vec![(!p.idempotency).to_string()],
        "ack_after" => vec![match p.ack_after {
            AckAfter::Receive => AckAfter::Fsync.to_string(),
            AckAfter::Fsync => AckAfter::Receive.to_string(),
        }],
        "read_from" => vec![match p.read_from {
            ReadFrom::Primary => ReadFrom::Replica.to_string(),
            ReadFrom::Replica | ReadFrom::Any => ReadFrom::Primary.to_string(),
        }],
        "timeout_ms" => vec![
            (p.timeout_ms * 2).to_string(),
            (p.timeout_ms / 2).to_string(),
        ],
        "shards" => vec![
            (p.shards + 1).to_string(),
            p.shards.saturating_sub(1).to_string(),
        ],
        _ => Vec::new(),
    }
}

/// What `C` compares in this scenario: the setting its lesson turns on. A switch the
/// scenario sets in its own parameters (`fencing = false`) is what it is about; otherwise
/// the kind of cluster says.
fn natural_key(p: &Params, written: &toml::Table) -> Option<&'static str> {
    if p.kind == Kind::Replication
        && p.writers == 1
        && p.heartbeat_ms > 0
        && written.contains_key("fencing")
    {
        return Some("fencing");
    }
    if p.kind == Kind::Replication && p.read_ratio > 0.0 && written.contains_key("read_from") {
        return Some("read_from");
    }
    match p.kind {
        Kind::Replication if p.writers > 1 => Some("timestamps"),
        Kind::Replication if p.fsync_every_ms > 0 => Some("ack_after"),
        Kind::Replication => Some("mode"),
        Kind::Checkout => Some("idempotency"),
        Kind::Detector if p.heartbeat_ms > 0 => Some("timeout_ms"),
        Kind::Detector => None,
        Kind::Sharding => Some("shards"),
    }
}

impl Lab {
    /// `C`: splits the lab into two runs that differ in the setting this scenario's lesson
    /// turns on; pressed again, back to one run.
    pub(super) fn toggle_compare(&mut self) {
        if self.compare.is_some() {
            self.compare = None;
            self.note = Some("compare closed: one run again".into());
            return;
        }
        if self.walk.is_some() {
            self.note =
                Some("a walkthrough tells one run's story: Esc leaves it, then C compares".into());
            return;
        }
        let p = self.sim.params().clone();
        let Some(key) = natural_key(&p, &self.scenario.params) else {
            self.note = Some("nothing here to compare".into());
            return;
        };
        self.compare_on(key);
    }

    /// In compare, a replay key (`M`, `F`, `A`, `I`) chooses what differs: the setting it
    /// names, with this run's value on the left and the next one on the right; pressed again,
    /// the right moves on to the value after.
    pub(super) fn compare_on(&mut self, key: &str) {
        let p = self.sim.params().clone();
        let Some(left) = value_of(&p, key) else {
            return;
        };
        let shown = match &self.compare {
            Some(c) if c.key == key => Some(c.right.clone()),
            _ => None,
        };
        // The first value that builds, after the one shown (if this key is compared).
        let mut candidates = other_values(&p, key);
        if let Some(at) = shown
            .as_ref()
            .and_then(|v| candidates.iter().position(|c| c == v))
        {
            candidates.rotate_left(at + 1);
        }
        let mut last_error = None;
        for right in candidates.iter().filter(|c| **c != left) {
            if shown.as_ref() == Some(right) {
                continue;
            }
            match self.open_compare(key, &left, right) {
                Ok(()) => return,
                Err(e) => last_error = Some(e),
            }
        }
        self.note = Some(match (last_error, shown) {
            (Some(e), _) => e,
            (None, Some(right)) => {
                format!("{key} is already compared: {left} in run A, {right} in run B")
            }
            (None, None) => format!("{key} has no other value to compare here"),
        });
    }

    /// Starts (or changes) a comparison of `key`: this run keeps its course with `key =
    /// left`; the twin is the same scenario and seed with `key = right`, caught up to now
    /// with the same commands. An error when either value does not build.
    pub fn open_compare(&mut self, key: &str, left: &str, right: &str) -> Result<(), String> {
        let mut left_overrides = self.overrides.clone();
        left_overrides.insert(key.into(), toml::Value::String(left.into()));
        let mut right_overrides = self.overrides.clone();
        right_overrides.insert(key.into(), toml::Value::String(right.into()));
        // The twin's parameters must build; so must the left's, if they change.
        let probe = |o: &toml::Table| {
            crate::sim::Sim::template(&self.scenario, o)
                .map(|t| format!("{:?}", t.params()))
                .map_err(|e| e.to_string())
        };
        let right_params = probe(&right_overrides)?;
        // Two spellings of one value (`600` and `0600`, `0.1` and `0.10`) are no comparison.
        if probe(&left_overrides)? == right_params {
            return Err(format!(
                "{key}={left} and {key}={right} are the same setting: a comparison needs two \
                 different values"
            ));
        }
        let left_changes = value_of(self.sim.params(), key).as_deref() != Some(left);
        if left_changes {
            self.compare = None;
            self.restart_with(left_overrides);
        } else {
            self.overrides = left_overrides;
        }
        self.compare = None;
        self.compare = Some(self.begin(key, left, right, right_overrides)?);
        self.note = None;
        Ok(())
    }

    /// A comparison of `key` from this run's present: the twin built with `overrides` and
    /// caught up, and where the two runs part so far.
    fn begin(
        &mut self,
        key: &str,
        left: &str,
        right: &str,
        overrides: toml::Table,
    ) -> Result<Compare, String> {
        // Both runs must stand at the same point of their traces: a fresh run caught up to
        // now has taken in every event up to now (a scripted command at t=0 included), so
        // this one does too before the taps start.
        self.advance_to(self.sim.now_us(), None);
        // Where the runs part so far: this run replayed beside the twin, both tapped.
        let mut shadow = self.twin(self.overrides.clone(), true)?;
        let mut twin = self.twin(overrides, true)?;
        let parted = part(&mut shadow, &mut twin);
        self.record.tap = parted.is_none().then(Vec::new);
        Ok(Compare {
            key: key.into(),
            left: left.into(),
            right: right.into(),
            twin: Box::new(twin),
            parted,
        })
    }

    /// The same scenario and seed with `overrides`, at this run's time with its commands;
    /// with `tap`, its record keeps a copy of every event.
    fn twin(&self, overrides: toml::Table, tap: bool) -> Result<Lab, String> {
        let (sim, mut record) = super::start(&self.scenario, self.seed(), &overrides)?;
        record.tap = tap.then(Vec::new);
        let (parsed_story, watch) = super::story_of(&self.scenario, &sim);
        let mut twin = Lab {
            parsed_story,
            watch,
            scenario: self.scenario.clone(),
            index: self.index,
            sim,
            running: false,
            speed_index: self.speed_index,
            selected: self.selected,
            record,
            note: None,
            panel: self.panel,
            legend: false,
            heartbeats: self.heartbeats,
            stamps: self.stamps,
            picked: None,
            walk: None,
            overrides,
            until_us: self.until_us,
            carry_us: 0.0,
            links_found: false,
            why: None,
            compare: None,
        };
        twin.find_links();
        for (at, cmd) in self.sim.command_log().to_vec() {
            twin.advance_to(at, None);
            twin.command(cmd);
        }
        twin.advance_to(self.sim.now_us(), None);
        Ok(twin)
    }

    /// After this run moved: the twin runs to the same instant.
    pub(super) fn twin_follow(&mut self) {
        let now = self.sim.now_us();
        if let Some(c) = self.compare.as_mut() {
            c.twin.advance_to(now, None);
            c.twin.running = false;
        }
        self.look_for_parting();
    }

    /// Compares the events both runs took in since the last look.
    fn look_for_parting(&mut self) {
        let Some(mut c) = self.compare.take() else {
            return;
        };
        if c.parted.is_none() {
            c.parted = part(self, &mut c.twin);
        }
        self.compare = Some(c);
    }

    /// After a reset: the twin starts again too, with this run's seed.
    pub(super) fn twin_reset(&mut self) {
        if let Some(c) = self.compare.take() {
            let mut overrides = self.overrides.clone();
            overrides.insert(c.key.clone(), toml::Value::String(c.right.clone()));
            match self.begin(&c.key, &c.left, &c.right, overrides) {
                Ok(c) => self.compare = Some(c),
                Err(e) => self.note = Some(format!("compare closed: {e}")),
            }
        }
    }

    /// Whether `cmd` would undo the comparison (it sets the setting held apart); if so, the
    /// note says why it was refused.
    pub(super) fn refuses_in_compare(&mut self, cmd: &Command) -> bool {
        let Some(c) = &self.compare else {
            return false;
        };
        let Some(key) = sets_parameter(cmd) else {
            return false;
        };
        if key != c.key && !(c.key.starts_with("latency_ms") && key.starts_with("latency_ms")) {
            return false;
        }
        self.note = Some(format!(
            "compare holds {} apart ({} in run A, {} in run B): that key would make them \
             equal. C closes compare.",
            c.key, c.left, c.right
        ));
        true
    }

    /// Applies a command the learner issued to the twin as well.
    pub(super) fn twin_command(&mut self, cmd: &Command) {
        if let Some(c) = self.compare.as_mut() {
            c.twin.command(cmd.clone());
            if let Some(e) = c.twin.note.take() {
                self.note = Some(format!("run B: {e}"));
            }
        }
        self.look_for_parting();
    }

    /// Whether `action` is one of the keys that, in compare, choose what differs.
    pub(super) fn compare_key_for(&self, action: LabAction) -> Option<&'static str> {
        self.compare.as_ref()?;
        match action {
            LabAction::ReplayNextMode => Some("mode"),
            LabAction::ToggleFencing => Some("fencing"),
            LabAction::ToggleAckAfter => Some("ack_after"),
            LabAction::ToggleIdempotency => Some("idempotency"),
            _ => None,
        }
    }

    /// Whether `C` has something to compare here.
    pub(super) fn can_compare(&self) -> bool {
        natural_key(self.sim.params(), &self.scenario.params).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::parse_compare;

    #[test]
    fn compare_takes_two_settings_of_one_parameter() {
        let ok = |s: &str| parse_compare(s).unwrap();
        assert_eq!(
            ok("mode=async,mode=sync"),
            ("mode".into(), "async".into(), "sync".into())
        );
        assert_eq!(
            ok("mode=async,sync"),
            ("mode".into(), "async".into(), "sync".into())
        );
        assert_eq!(
            ok(" drop = 0 , drop = 0.2 "),
            ("drop".into(), "0".into(), "0.2".into())
        );
        for bad in [
            "mode=async",
            "mode=async,drop=0.1",
            "mode=async,async",
            "=a,b",
            "a,b",
            "mode=a,b,c",
            "mode=,sync",
        ] {
            assert!(parse_compare(bad).is_err(), "{bad} accepted");
        }
    }
}
