//! The live lab: a running [`Sim`] of one scenario, advanced in virtual time by wall time ×
//! speed, and the learner's interventions turned into simulator commands (so a session can be
//! saved and replayed exactly).

mod compare;
mod controls;
pub mod record;
mod run;
mod walk;
mod why;

pub use compare::{Compare, parse_compare};
pub use walk::Walk;
pub use why::WhyView;

use std::collections::BTreeSet;

use self::record::Record;
use super::LabStart;
use super::action::LabAction;
use super::effect::Effect;
use crate::lesson::Scenario;
use crate::sim::story::{Story, Watch};
use crate::sim::{Command, Kind, Mode, NodeId, Sim, Status};

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
    /// The scenario running (a copy of the lesson's `index`-th, which a reset starts anew).
    scenario: Scenario,
    pub index: usize,
    pub sim: Sim,
    pub running: bool,
    /// Index into [`SPEEDS`].
    pub speed_index: usize,
    pub selected: usize,
    pub record: Record,
    /// Why the last command could not run, or what just happened ("saved to ...").
    pub note: Option<String>,
    pub panel: Panel,
    /// The legend of marks shows where the scenario's notice does (`L`).
    pub legend: bool,
    /// Whether the space-time diagram draws heartbeats (`H`): at first only where they
    /// are the lesson (the failure detector); elsewhere they would wall in the messages.
    pub heartbeats: bool,
    /// The stamps printed beside messages on the space-time diagram and in the log (`o`).
    pub stamps: record::StampView,
    /// The message picked on the space-time diagram (`(` and `)`), by [`Arrow::key`].
    ///
    /// [`Arrow::key`]: record::Arrow::key
    pub picked: Option<(NodeId, NodeId, u64)>,
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
    /// Sub-microsecond remainder of wall time × speed, so slow speeds still advance.
    carry_us: f64,
    /// Whether `record` knows every link the run will use (see [`Lab::find_links`]).
    links_found: bool,
    /// The why? panel (`y`), while open: the anomalies so far and their causal chains.
    pub why: Option<WhyView>,
    /// Compare (`C`, `--compare`): a second run with one setting different, in lockstep.
    pub compare: Option<Compare>,
}

impl Lab {
    /// A lab on scenario `index` of `scenarios` with `seed`, paused at t=0.
    /// An error when there are no scenarios, or the scenario's parameters are invalid.
    pub fn new(scenarios: &[Scenario], index: usize, seed: u64) -> Result<Lab, String> {
        let scenario = scenarios
            .get(index)
            .ok_or(
                "This lesson has no lab scenarios: its ideas are in the Lesson and Concepts tabs.",
            )?
            .clone();
        let (sim, record) = start(&scenario, seed, &toml::Table::new())?;
        let sim_kind = sim.params().kind;
        let (parsed_story, watch) = story_of(&scenario, &sim);
        Ok(Lab {
            parsed_story,
            watch,
            scenario,
            index,
            sim,
            running: false,
            speed_index: DEFAULT_SPEED,
            selected: 0,
            record,
            note: None,
            panel: Panel::first_for(sim_kind),
            legend: false,
            heartbeats: sim_kind == Kind::Detector,
            stamps: record::StampView::Off,
            picked: None,
            walk: None,
            overrides: toml::Table::new(),
            until_us: None,
            carry_us: 0.0,
            links_found: false,
            why: None,
            compare: None,
        })
    }

    /// The lab a run starts with: the scenario and seed `distlab lab` asked for (and its
    /// walkthrough, if asked), or the first scenario with seed 1; at `speed_index`.
    pub fn open(
        scenarios: &[Scenario],
        start: Option<LabStart>,
        speed_index: usize,
    ) -> Result<Lab, String> {
        let (index, seed) = start.as_ref().map_or((0, 1), |s| {
            (s.scenario.min(scenarios.len().saturating_sub(1)), s.seed)
        });
        let mut lab = Lab::new(scenarios, index, seed)?;
        lab.set_speed_index(speed_index);
        if start.as_ref().is_some_and(|s| s.walkthrough) {
            lab.start_walkthrough();
        }
        if let Some((key, a, b)) = start.and_then(|s| s.compare) {
            lab.open_compare(&key, &a, &b)?;
        }
        Ok(lab)
    }

    /// Sets the speed to `SPEEDS[index]` (the fastest if `index` is past the end).
    pub fn set_speed_index(&mut self, index: usize) {
        self.speed_index = index.min(SPEEDS.len() - 1);
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.sim.seed()
    }

    /// True once the run is over: its time has passed (and the network was drained), or it
    /// hit the simulator's event limit.
    pub fn finished(&self) -> bool {
        self.sim.quiet || self.sim.exhausted()
    }

    /// Finds every pair of nodes that will talk during the run, so that the links are drawn
    /// from t=0 rather than as traffic first appears. It takes a quick run of the scenario,
    /// so a new lab leaves it until the lab is first on screen; a reset does it at once.
    pub fn find_links(&mut self) {
        if !self.links_found {
            let links = links_of(&self.scenario, self.seed(), &self.overrides);
            self.record.links.extend(links);
            self.links_found = true;
        }
    }

    /// The walkthrough, if it can run on this run's cluster.
    pub fn story(&self) -> Option<&Story> {
        self.parsed_story.as_ref().ok()
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn speed_factor(&self) -> f64 {
        SPEEDS[self.speed_index]
    }

    /// Whether the lab wants animation frames.
    pub fn animating(&self) -> bool {
        self.running && !self.finished()
    }

    /// Restarts the scenario (same seed unless `seed` says otherwise), paused at t=0.
    pub fn reset(&mut self, seed: u64) {
        match start(self.scenario(), seed, &self.overrides) {
            Ok((sim, record)) => {
                (self.parsed_story, self.watch) = story_of(self.scenario(), &sim);
                self.record = record;
                self.selected = self.selected.min(sim.nodes().len().saturating_sub(1));
                self.sim = sim;
                self.running = false;
                self.walk = None;
                self.why = None;
                self.note = None;
                self.picked = None;
                self.carry_us = 0.0;
                self.links_found = false;
                self.find_links();
                self.twin_reset();
            }
            Err(e) => self.note = Some(e),
        }
    }

    /// Loads scenario `index` of `scenarios` (e.g. from a concept's "try it").
    pub fn load(&mut self, scenarios: &[Scenario], index: usize) {
        self.until_us = None;
        self.load_with(scenarios, index, self.seed(), toml::Table::new());
    }

    /// Loads scenario `index` with a seed and parameter overrides (a quiz question's run).
    pub fn load_with(
        &mut self,
        scenarios: &[Scenario],
        index: usize,
        seed: u64,
        overrides: toml::Table,
    ) {
        if let Some(scenario) = scenarios.get(index) {
            // Another scenario may not have the setting compared: one run again.
            self.compare = None;
            self.scenario = scenario.clone();
            self.index = index;
            self.selected = 0;
            self.overrides = overrides;
            self.reset(seed);
            self.panel = Panel::first_for(self.sim.params().kind);
            self.heartbeats = self.sim.params().kind == Kind::Detector;
        }
    }

    /// The same scenario and seed from the start, with `overrides`.
    fn restart_with(&mut self, overrides: toml::Table) {
        self.selected = 0;
        self.overrides = overrides;
        self.reset(self.seed());
        self.panel = Panel::first_for(self.sim.params().kind);
    }

    /// Applies a lab control; `scenarios` are the lesson's (to move between them). Saving a
    /// replay file is left to the event loop: the effect says what to write.
    pub fn update(&mut self, action: LabAction, scenarios: &[Scenario]) -> Option<Effect> {
        self.note = None;
        let node = self.selected_name();
        // Any other control closes why? first: it explains the run as it stood.
        if !action.is_why() {
            self.why = None;
        }
        // In compare, the replay keys choose what differs between the two runs.
        if let Some(key) = self.compare_key_for(action)
            && self.offers(action)
        {
            self.compare_on(key);
            self.twin_mirror();
            return None;
        }
        let comparing = self.compare.as_ref().map(|c| c.key.clone());
        match action {
            LabAction::Compare => self.toggle_compare(),
            LabAction::Why if comparing.is_some() => {
                self.note = Some("why? explains one run: C closes compare, then y".into())
            }
            LabAction::Walkthrough if comparing.is_some() => {
                self.note =
                    Some("a walkthrough tells one run's story: C closes compare, then g".into())
            }
            LabAction::PickOlderMessage | LabAction::PickNewerMessage | LabAction::ToggleLegend
                if comparing.is_some() =>
            {
                self.note = Some(
                    "picking a message and the legend are in one run's lab: C closes compare"
                        .into(),
                )
            }
            LabAction::Why if self.why.is_some() => self.why = None,
            LabAction::Why => self.open_why(),
            LabAction::WhyClose => self.why = None,
            LabAction::WhyNextLink | LabAction::WhyPrevLink => {
                let by = if action == LabAction::WhyNextLink {
                    1
                } else {
                    -1
                };
                if let Some(w) = self.why.as_mut() {
                    w.step_link(by);
                }
            }
            LabAction::WhyNextAnomaly | LabAction::WhyPrevAnomaly => {
                let by = if action == LabAction::WhyNextAnomaly {
                    1
                } else {
                    -1
                };
                if let Some(w) = self.why.as_mut() {
                    w.step_anomaly(by);
                }
            }
            LabAction::RunPause => self.running = !self.running && !self.finished(),
            LabAction::Step => self.step(),
            LabAction::Faster => self.set_speed_index(self.speed_index + 1),
            LabAction::Slower => self.speed_index = self.speed_index.saturating_sub(1),
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
            LabAction::ToggleTimestamps => self.cycle_timestamps(),
            LabAction::ToggleFencing => self.replay_with_fencing_toggled(),
            LabAction::ToggleAckAfter => self.replay_with_ack_after_toggled(),
            LabAction::ReplayNextMode => self.replay_in_next_mode(),
            LabAction::ToggleIdempotency => self.replay_with_idempotency_toggled(),
            LabAction::ToggleLegend => self.legend = !self.legend,
            LabAction::ToggleHeartbeats => self.heartbeats = !self.heartbeats,
            LabAction::CycleStamps => {
                let writes = self.sim.params().kind == Kind::Replication;
                self.stamps = self.stamps.next(writes);
                let vector = self.sim.params().timestamps == crate::sim::Stamps::Vector;
                self.note = Some(format!("stamps on messages: {}", self.stamps.name(vector)));
            }
            LabAction::PickOlderMessage => self.pick(-1),
            LabAction::PickNewerMessage => self.pick(1),
            LabAction::Reset => self.reset(self.seed()),
            LabAction::NewSeed => self.reset(next_seed(self.seed())),
            LabAction::NextScenario | LabAction::PrevScenario => {
                let n = scenarios.len().max(1);
                let by = if action == LabAction::NextScenario {
                    1
                } else {
                    n - 1
                };
                self.load(scenarios, (self.index + by) % n);
                if let Some(key) = comparing {
                    self.note = Some(format!(
                        "compare of {key} closed: another scenario, one run; C compares again"
                    ));
                }
            }
            LabAction::Save => return Some(self.replay_file()),
            LabAction::Walkthrough => self.start_walkthrough(),
            LabAction::WalkNext => self.walk_next(),
            LabAction::WalkBack => self.walk_back(),
            LabAction::WalkExit => {
                self.walk = None;
                self.running = !self.finished();
            }
            LabAction::CyclePanel => {
                self.panel = match (self.panel, self.sim.params().kind == Kind::Checkout) {
                    (Panel::SpaceTime, _) => Panel::Log,
                    (Panel::Log, true) => Panel::Trace,
                    _ => Panel::SpaceTime,
                };
            }
        }
        self.twin_mirror();
        None
    }

    /// The twin shows what this run shows: the same node selected, the same view.
    fn twin_mirror(&mut self) {
        if let Some(c) = self.compare.as_mut() {
            let twin = &mut c.twin;
            twin.selected = self.selected;
            twin.panel = self.panel;
            twin.heartbeats = self.heartbeats;
            twin.legend = self.legend;
            twin.speed_index = self.speed_index;
        }
    }

    /// True when the scenario runs a replicated store (so modes and timestamps matter).
    pub fn replicated(&self) -> bool {
        self.sim.params().kind == Kind::Replication
    }

    /// Whether `action` does something in this scenario, so the footer and the help offer
    /// it (pressed anyway, a key that does nothing here says why).
    pub fn offers(&self, action: LabAction) -> bool {
        let p = self.sim.params();
        let replication = p.kind == Kind::Replication;
        match action {
            LabAction::ClientWrite | LabAction::CycleMode | LabAction::ReplayNextMode => {
                replication
            }
            LabAction::ToggleTimestamps => replication && p.writers > 1,
            LabAction::ToggleFencing => replication && p.writers == 1 && p.heartbeat_ms > 0,
            LabAction::ToggleAckAfter => replication && p.fsync_every_ms > 0,
            LabAction::ToggleIdempotency => p.kind == Kind::Checkout,
            LabAction::ToggleHeartbeats => p.heartbeat_ms > 0,
            // During a walkthrough its own keys are offered instead; compare shows two
            // runs, and these tell or mark one.
            LabAction::Walkthrough => self.walk.is_none() && self.compare.is_none(),
            LabAction::PickOlderMessage | LabAction::PickNewerMessage | LabAction::ToggleLegend => {
                self.compare.is_none()
            }
            LabAction::Compare => self.walk.is_none() && self.can_compare(),
            // Once there is something to explain (pressed before, it says so).
            LabAction::Why if self.compare.is_some() => false,
            LabAction::Why => {
                let m = self.sim.metrics();
                m.acked_writes_lost
                    + m.concurrent_writes_discarded
                    + m.stale_reads
                    + m.false_suspicions
                    + m.duplicate_charges
                    > 0
                    || self.why.is_some()
            }
            _ => true,
        }
    }
}

/// A fresh simulation of `scenario` and an empty record for it (see [`Lab::find_links`]).
fn start(scenario: &Scenario, seed: u64, overrides: &toml::Table) -> Result<(Sim, Record), String> {
    let sim = Sim::from_scenario_with(scenario, seed, overrides).map_err(|e| e.to_string())?;
    let record = Record::with_links(sim.node_names(), BTreeSet::new());
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

/// A new seed derived from the old one (SplitMix64), so "new seed" needs no wall clock.
pub fn next_seed(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) % 1_000_000
}
