//! The live lab: a running [`Sim`] of one scenario, advanced in virtual time by wall time ×
//! speed, and the learner's interventions turned into simulator commands (so a session can be
//! saved and replayed exactly).

pub mod record;
mod walk;

pub use walk::Walk;

use std::collections::BTreeSet;
use std::time::Duration;

use self::record::Record;
use super::action::LabAction;
use crate::lesson::Scenario;
use crate::sim::story::{self, Anchor, Story, Target, Watch};
use crate::sim::{Command, Event, Kind, Mode, NodeId, Session, Sim, Stamps, Status};

/// Simulated seconds per wall second.
pub const SPEEDS: [f64; 10] = [0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0];

/// `Ok` for a usable speed factor: a positive, finite number.
pub fn check_speed(speed: f64) -> Result<f64, String> {
    if speed.is_finite() && speed > 0.0 {
        Ok(speed)
    } else {
        Err(format!(
            "speed must be a positive number of simulated seconds per wall second \
             (presets {}), not {speed}",
            presets()
        ))
    }
}

fn presets() -> String {
    let all: Vec<String> = SPEEDS.iter().map(f64::to_string).collect();
    all.join(", ")
}

/// Where a lab starts: a message of 20–80 ms crosses its link in a fraction of a second,
/// slow enough to follow with the eye.
pub const DEFAULT_SPEED: usize = 3;
/// Drop rates that `d` cycles through.
pub const DROP_RATES: [f64; 5] = [0.0, 0.1, 0.2, 0.3, 0.5];
/// How far `[` and `]` move the selected node's clock.
pub const SKEW_STEP_MS: i64 = 250;
/// How long `z` pauses a node.
pub const PAUSE_MS: u64 = 3000;

/// Which view fills the lab's lower panel (`v` cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    SpaceTime,
    Log,
    Trace,
}

impl Panel {
    /// The view a scenario opens on: the order traces for the checkout store (its lesson is
    /// in them), the space-time diagram otherwise.
    pub fn first_for(kind: Kind) -> Panel {
        if kind == Kind::Checkout {
            Panel::Trace
        } else {
            Panel::SpaceTime
        }
    }
}

/// The lab's state.
pub struct Lab {
    pub scenarios: Vec<Scenario>,
    pub index: usize,
    pub seed: u64,
    pub sim: Sim,
    pub running: bool,
    pub speed: usize,
    pub selected: usize,
    pub record: Record,
    /// Why the last command could not run, or what just happened ("saved to ...").
    pub note: Option<String>,
    /// Set once the scenario's duration has passed and the run was finished.
    pub finished: bool,
    pub panel: Panel,
    /// The guided walkthrough, while one runs.
    pub walk: Option<Walk>,
    /// The scenario's walkthrough, parsed against this run's cluster, or why it cannot
    /// run here (see [`Lab::story`]).
    pub parsed_story: Result<Story, String>,
    /// What the story counts, and the latest notable event (the "what just happened"
    /// banner in free run).
    pub watch: Watch,
    /// Parameter overrides on top of the scenario's (from a quiz question's `set`).
    pub overrides: toml::Table,
    /// Where a quiz question's run stops (its `until_ms`, µs), instead of the scenario's end.
    pub until_us: Option<u64>,
    /// Where `S` writes replay files (the current directory unless changed).
    pub save_dir: std::path::PathBuf,
    /// Sub-microsecond remainder of wall time × speed, so slow speeds still advance.
    carry_us: f64,
}

impl Lab {
    /// A lab on scenario `index` of `scenarios` with `seed`, paused at t=0.
    /// `None` when there are no scenarios, or the scenario's parameters are invalid.
    pub fn new(scenarios: Vec<Scenario>, index: usize, seed: u64) -> Result<Lab, String> {
        let scenario = scenarios
            .get(index)
            .ok_or("this lesson has no lab scenarios")?;
        let (sim, record) = start(scenario, seed, &toml::Table::new())?;
        let sim_kind = sim.params().kind;
        let (parsed_story, watch) = story_of(scenario, &sim);
        Ok(Lab {
            parsed_story,
            watch,
            scenarios,
            index,
            seed,
            sim,
            running: false,
            speed: DEFAULT_SPEED,
            selected: 0,
            record,
            note: None,
            finished: false,
            panel: Panel::first_for(sim_kind),
            walk: None,
            save_dir: std::path::PathBuf::from("."),
            overrides: toml::Table::new(),
            until_us: None,
            carry_us: 0.0,
        })
    }

    /// The walkthrough, if it can run on this run's cluster.
    pub fn story(&self) -> Option<&Story> {
        self.parsed_story.as_ref().ok()
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenarios[self.index]
    }

    pub fn speed_factor(&self) -> f64 {
        SPEEDS[self.speed]
    }

    /// Whether the lab wants animation frames.
    pub fn animating(&self) -> bool {
        self.running && !self.finished
    }

    /// Restarts the scenario (same seed unless `seed` says otherwise), paused at t=0.
    pub fn reset(&mut self, seed: u64) {
        match start(self.scenario(), seed, &self.overrides) {
            Ok((sim, record)) => {
                (self.parsed_story, self.watch) = story_of(self.scenario(), &sim);
                self.record = record;
                self.selected = self.selected.min(sim.nodes().len().saturating_sub(1));
                self.sim = sim;
                self.seed = seed;
                self.running = false;
                self.finished = false;
                self.walk = None;
                self.note = None;
                self.carry_us = 0.0;
            }
            Err(e) => self.note = Some(e),
        }
    }

    /// Loads scenario `index` (e.g. from a concept's "try it").
    pub fn load(&mut self, index: usize) {
        self.until_us = None;
        self.load_with(index, self.seed, toml::Table::new());
    }

    /// Loads scenario `index` with a seed and parameter overrides (a quiz question's run).
    /// `F`: the same scenario and seed again from the start, with fencing switched (a
    /// replay, so the two runs can be compared from the beginning).
    fn replay_with_fencing_toggled(&mut self) {
        let p = self.sim.params();
        if p.kind != crate::sim::Kind::Replication || p.writers > 1 || p.heartbeat_ms == 0 {
            self.note = Some(
                "fencing changes nothing here: it matters where one primary is replaced by \
                 another (replication with one writer and heartbeats)"
                    .into(),
            );
            return;
        }
        let on = !p.fencing;
        let mut overrides = self.overrides.clone();
        overrides.insert("fencing".into(), toml::Value::Boolean(on));
        let (index, seed) = (self.index, self.seed);
        self.load_with(index, seed, overrides);
        self.note = Some(format!(
            "replaying {} seed {seed} from the start with fencing {}: Space runs it",
            self.scenario().id,
            if on { "on" } else { "off" }
        ));
    }

    pub fn load_with(&mut self, index: usize, seed: u64, overrides: toml::Table) {
        if index < self.scenarios.len() {
            self.index = index;
            self.selected = 0;
            self.overrides = overrides;
            self.reset(seed);
            self.panel = Panel::first_for(self.sim.params().kind);
        }
    }

    /// Advances simulated time by `wall` × speed, while running.
    pub fn tick(&mut self, wall: Duration) {
        if !self.animating() {
            return;
        }
        let total = wall.as_secs_f64() * 1e6 * self.speed_factor() + self.carry_us;
        let advance = total.floor();
        self.carry_us = total - advance;
        let target = self.sim.now_us().saturating_add(advance as u64);
        match self.heading_target() {
            Some(Target::At(stop)) if target >= stop => self.arrive(None),
            Some(Target::Until(a)) => {
                let hit = self.advance_to(target, Some(&a));
                if hit.is_some() || self.finished {
                    self.arrive(hit);
                }
            }
            _ => {
                self.advance_to(target, None);
            }
        }
    }

    /// When the run ends (true µs): the scenario's duration, or a quiz question's `until_ms`.
    pub fn end_us(&self) -> u64 {
        let duration = self.sim.params().duration_ms.saturating_mul(1000);
        self.until_us.map_or(duration, |u| u.min(duration))
    }

    /// Runs to `target_us` (at most the end of the run), or only until just after the
    /// first event matching `until`, which it returns. At the end it finishes the run.
    fn advance_to(&mut self, target_us: u64, until: Option<&Anchor>) -> Option<Event> {
        if self.finished {
            return None;
        }
        let end_us = self.end_us();
        let target = target_us.min(end_us);
        let (record, watch) = (&mut self.record, &mut self.watch);
        let hit = story::advance(&mut self.sim, watch, target, until, &mut |e| record.push(e));
        self.record.sample(&self.sim);
        if self.sim.exhausted() {
            self.finished = true;
            self.running = false;
            self.note = Some(crate::sim::exhausted_message(&self.sim));
        } else if hit.is_none() && self.sim.now_us() >= end_us {
            let (record, watch) = (&mut self.record, &mut self.watch);
            self.sim.finish(&mut |e| {
                watch.see(e, None);
                record.push(e);
            });
            self.finished = true;
            self.running = false;
            if let Some(u) = self
                .until_us
                .filter(|u| *u < self.sim.params().duration_ms * 1000)
            {
                self.note = Some(format!(
                    "⏹ the question's run ends here, at t={}s (its until_ms): these are the numbers \
                     its claim was checked against",
                    crate::sim::time::whole_secs(u)
                ));
            }
        }
        hit
    }

    /// Runs exactly to `t_us` (used by walkthroughs and tests).
    pub fn run_to(&mut self, t_us: u64) {
        self.advance_to(t_us, None);
    }

    /// Applies a lab control.
    pub fn update(&mut self, action: LabAction) {
        self.note = None;
        let node = self.selected_name();
        match action {
            LabAction::RunPause => self.running = !self.running && !self.finished,
            LabAction::Step => self.step(),
            LabAction::Faster => self.speed = (self.speed + 1).min(SPEEDS.len() - 1),
            LabAction::Slower => self.speed = self.speed.saturating_sub(1),
            LabAction::SelectNext => {
                self.selected = (self.selected + 1) % self.sim.nodes().len().max(1)
            }
            LabAction::SelectPrev => {
                let n = self.sim.nodes().len().max(1);
                self.selected = (self.selected + n - 1) % n;
            }
            LabAction::ClientWrite => self.command(Command::Write(None)),
            LabAction::CrashRestart => {
                let crashed = self.sim.nodes()[self.selected].status == Status::Crashed;
                self.command(if crashed {
                    Command::Restart(node)
                } else {
                    Command::Crash(node)
                });
            }
            LabAction::PauseNode => {
                let paused = matches!(
                    self.sim.nodes()[self.selected].status,
                    Status::Paused { .. }
                );
                self.command(if paused {
                    Command::Restart(node)
                } else {
                    Command::Pause(node, PAUSE_MS)
                });
            }
            LabAction::Partition => self.command(Command::Partition(vec![node])),
            LabAction::PartitionOneWay => self.one_way(),
            LabAction::Heal => self.command(Command::Heal),
            LabAction::SkewBack | LabAction::SkewForward => {
                let step = if action == LabAction::SkewBack {
                    -SKEW_STEP_MS
                } else {
                    SKEW_STEP_MS
                };
                let skew = self.sim.nodes()[self.selected].clock.skew_ms + step;
                self.command(Command::Skew(node, skew));
            }
            LabAction::CycleDrop => {
                let now = self.sim.params().drop;
                let next = DROP_RATES
                    .iter()
                    .copied()
                    .find(|&r| r > now + 1e-9)
                    .unwrap_or(0.0);
                self.command(Command::Loss(next));
            }
            LabAction::DropNext => self.drop_next(),
            LabAction::CycleMode => {
                let next = match self.sim.params().mode {
                    Mode::Async => Mode::Sync,
                    Mode::Sync => Mode::Quorum,
                    Mode::Quorum => Mode::Async,
                };
                self.command(Command::Mode(next));
            }
            LabAction::ToggleTimestamps => {
                let several = self.sim.params().writers > 1;
                let next = match self.sim.params().timestamps {
                    Stamps::Wall => Stamps::Lamport,
                    Stamps::Lamport if several => Stamps::Vector,
                    Stamps::Lamport | Stamps::Vector => Stamps::Wall,
                };
                self.command(Command::Timestamps(next));
            }
            LabAction::ToggleFencing => self.replay_with_fencing_toggled(),
            LabAction::Reset => self.reset(self.seed),
            LabAction::NewSeed => self.reset(next_seed(self.seed)),
            LabAction::NextScenario => self.load((self.index + 1) % self.scenarios.len()),
            LabAction::PrevScenario => {
                self.load((self.index + self.scenarios.len() - 1) % self.scenarios.len())
            }
            LabAction::Save => self.note = Some(self.save()),
            LabAction::Walkthrough => self.start_walkthrough(),
            LabAction::WalkNext => self.walk_next(),
            LabAction::WalkBack => self.walk_back(),
            LabAction::WalkExit => {
                self.walk = None;
                self.running = !self.finished;
            }
            LabAction::CyclePanel => {
                self.panel = match (self.panel, self.sim.params().kind == Kind::Checkout) {
                    (Panel::SpaceTime, _) => Panel::Log,
                    (Panel::Log, true) => Panel::Trace,
                    _ => Panel::SpaceTime,
                };
            }
        }
    }

    /// One event, then everything else at that same instant, so a saved session replays
    /// exactly (a replay applies commands after all events up to their time).
    fn step(&mut self) {
        if self.finished {
            return;
        }
        self.running = false;
        // In a walkthrough, stepping heads for the next step and stops there, so the step's
        // commands run on time and going back replays the same story.
        if let Some(w) = self.walk.clone()
            && w.heading.is_none()
        {
            let next = w.reached.map_or(0, |r| r + 1);
            if next < self.steps() {
                self.walk = Some(Walk {
                    heading: Some(next),
                    ..w
                });
            }
        }
        let until = match self.heading_target() {
            Some(Target::At(stop)) => {
                if self.sim.next_event_us().is_none_or(|t| t >= stop) {
                    self.arrive(None);
                    return;
                }
                None
            }
            Some(Target::Until(a)) => Some(a),
            None => None,
        };
        let Some(next) = self.sim.next_event_us() else {
            self.advance_to(self.end_us(), None);
            return;
        };
        // Everything at the next event's instant; in a walkthrough waiting for an event,
        // stop on it.
        let hit = self.advance_to(next, until.as_ref());
        if hit.is_some() || (until.is_some() && self.finished) {
            self.arrive(hit);
        }
    }

    fn selected_name(&self) -> String {
        self.sim
            .nodes()
            .get(self.selected)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    }

    /// The node the selected one talks to most: the primary, or the first other node.
    fn peer(&self) -> Option<NodeId> {
        let me = self.selected as NodeId;
        match self.sim.primary() {
            Some(p) if p != me => Some(p),
            _ => (0..self.sim.nodes().len() as NodeId)
                .find(|&n| n != me && self.sim.nodes()[n as usize].role != "client"),
        }
    }

    /// Blocks every link out of the selected node (it can hear, but cannot speak).
    fn one_way(&mut self) {
        let me = self.selected_name();
        let others: Vec<String> = self
            .sim
            .nodes()
            .iter()
            .filter(|n| n.name != me)
            .map(|n| n.name.clone())
            .collect();
        for other in others {
            self.command(Command::PartitionOneway(me.clone(), other));
        }
    }

    fn drop_next(&mut self) {
        match self.peer() {
            Some(peer) => {
                let peer = self.sim.node_name(peer).to_owned();
                self.command(Command::DropNext(self.selected_name(), peer));
            }
            None => self.note = Some("no other node to drop a message to".into()),
        }
    }

    fn command(&mut self, cmd: Command) {
        if self.finished {
            self.note = Some("the scenario has ended: r resets it, R with a new seed".into());
            return;
        }
        let (record, watch) = (&mut self.record, &mut self.watch);
        if let Err(e) = self.sim.apply(cmd, &mut |e| {
            watch.see(e, None);
            record.push(e);
        }) {
            self.note = Some(e);
        }
    }

    /// The session so far: scenario, seed and every command with its time.
    pub fn session(&self) -> Session {
        let set = self
            .overrides
            .iter()
            .map(|(k, v)| (k.clone(), plain_value(v)))
            .collect();
        let mut s = Session {
            scenario: self.scenario().id.to_string(),
            seed: self.seed,
            set,
            ..Session::default()
        };
        s.record(self.sim.command_log());
        s.until_us = Some(self.sim.now_us());
        s
    }

    /// Writes the session to a replay file in the current directory; says where or why not.
    fn save(&self) -> String {
        let session = self.session();
        let name = format!(
            "distlab-{}-seed{}-t{}ms.toml",
            session.scenario,
            self.seed,
            crate::sim::time::ms(self.sim.now_us())
        );
        let text = session.to_toml();
        match crate::progress::write_atomic(&self.save_dir.join(&name), text.as_bytes()) {
            Ok(()) => format!("saved {name}: replay with `distlab sim --replay {name}`"),
            Err(e) => format!("could not save {name}: {e}"),
        }
    }

    /// True when the scenario runs a replicated store (so modes and timestamps matter).
    pub fn replicated(&self) -> bool {
        self.sim.params().kind == Kind::Replication
    }
}

/// A fresh simulation of `scenario` and an empty record for it (which knows the links).
fn start(scenario: &Scenario, seed: u64, overrides: &toml::Table) -> Result<(Sim, Record), String> {
    let sim = Sim::from_scenario_with(scenario, seed, overrides).map_err(|e| e.to_string())?;
    let record = Record::with_links(sim.node_names(), links_of(scenario, seed, overrides));
    Ok((sim, record))
}

/// The scenario's story parsed for this run's cluster, or why it cannot run, and a
/// watch for it.
fn story_of(scenario: &Scenario, sim: &Sim) -> (Result<Story, String>, Watch) {
    match crate::lesson::story::story(scenario, sim) {
        Ok(s) => {
            let w = s.watch(sim);
            (Ok(s), w)
        }
        Err(problems) => {
            let first = problems
                .first()
                .map_or(String::new(), |p| p.message.clone());
            (
                Err(format!("the walkthrough cannot run here: {first}")),
                Watch::new(sim.node_names(), Vec::new()),
            )
        }
    }
}

/// Every pair of nodes that will talk during the scenario, found by a quick run of it
/// without a trace, so the links are drawn from t=0 rather than as traffic first appears.
fn links_of(scenario: &Scenario, seed: u64, overrides: &toml::Table) -> BTreeSet<(NodeId, NodeId)> {
    let mut links = BTreeSet::new();
    if let Ok(mut sim) = Sim::from_scenario_with(scenario, seed, overrides) {
        let end_us = sim.params().duration_ms.saturating_mul(1000);
        sim.run_until(end_us, &mut |e| {
            if let crate::sim::EventKind::Sent(p) = &e.kind {
                links.insert((p.from.min(p.to), p.from.max(p.to)));
            }
        });
    }
    links
}

/// A parameter value as `--set` writes it (`0.2`, `quorum`, `true`).
fn plain_value(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A new seed derived from the old one (SplitMix64), so "new seed" needs no wall clock.
pub fn next_seed(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) % 1_000_000
}
