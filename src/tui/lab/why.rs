//! The lab's "why?" (`y`): the run so far replayed from its seed and commands (the lab keeps
//! only a bounded record; the replay gives the whole trace, byte for byte the same), every
//! anomaly in it with its causal chain, one shown at a time, a link of it selected, and the
//! messages around that link for the space-time diagram.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::Lab;
use super::record::{Arrow, arrows_of};
use crate::sim::why::{self, Counterfactual, Counterfactuals, Explanation, Replay, Setting};
use crate::sim::{Event, NodeId, Sim};

/// What the why? panel shows.
#[derive(Debug, Clone)]
pub struct WhyView {
    /// Every anomaly so far: its trace index and what it is.
    pub anomalies: Vec<(usize, why::Anomaly)>,
    /// The chain of each anomaly, built when first shown (a long run can have thousands).
    explained: Vec<Option<Explanation>>,
    /// The counterfactual of each anomaly, found by replay when first shown.
    counterfactuals: Vec<Option<Option<Counterfactual>>>,
    /// The anomaly shown, and the link selected in its chain.
    pub at: usize,
    pub link: usize,
    /// Every message of the replayed run that the chain shown touches the time of.
    pub arrows: VecDeque<Arrow>,
    /// The chain's messages, by [`Arrow::key`].
    pub chain_messages: BTreeSet<(NodeId, NodeId, u64)>,
    /// The same messages' keys by packet id (for the selected link's), found with them.
    keys: BTreeMap<u64, (NodeId, NodeId, u64)>,
    trace: Vec<Event>,
    replay: Replay,
    setting: Setting,
    metrics: crate::sim::Metrics,
}

impl WhyView {
    pub fn shown(&self) -> &Explanation {
        self.explained[self.at]
            .as_ref()
            .expect("the anomaly shown is explained")
    }

    /// How many anomalies there are so far.
    pub fn count(&self) -> usize {
        self.anomalies.len()
    }

    /// The replayed trace the chains come from.
    pub fn trace(&self) -> &[Event] {
        &self.trace
    }

    pub fn selected(&self) -> &why::Link {
        let x = self.shown();
        &x.links[self.link.min(x.links.len().saturating_sub(1))]
    }

    /// The counterfactual of the anomaly shown (`None`: no single change a replay shows
    /// would have avoided it).
    pub fn counterfactual(&self) -> Option<&Counterfactual> {
        self.counterfactuals.get(self.at)?.as_ref()?.as_ref()
    }

    /// Shows anomaly `at` (clamped), its first link selected.
    fn show(&mut self, at: usize) {
        self.at = at.min(self.anomalies.len().saturating_sub(1));
        self.link = 0;
        if self.explained[self.at].is_none() {
            let event = self.anomalies[self.at].0;
            self.explained[self.at] = why::explain_at(&self.trace, &self.setting, event);
        }
        if self.counterfactuals[self.at].is_none() {
            let a = self.anomalies[self.at].1.clone();
            let c = Counterfactuals::new(&self.replay).saving(
                &a,
                &self.setting,
                &self.metrics,
                &self.trace,
            );
            self.counterfactuals[self.at] = Some(c);
        }
        let x = self.shown();
        let packets: BTreeSet<u64> = x.links.iter().filter_map(|l| l.packet).collect();
        let first = x.links.iter().map(|l| l.t_us).min().unwrap_or(x.t_us);
        // The messages from a little before the chain's first event to its anomaly.
        let from = first.saturating_sub(2_000_000);
        let to = x.t_us + 1_000_000;
        self.arrows = arrows_of(&self.trace, from, to);
        self.keys = self
            .trace
            .iter()
            .filter_map(|e| match &e.kind {
                crate::sim::EventKind::Sent(p) if packets.contains(&p.id) => {
                    Some((p.id, (p.from, p.to, p.sent_us)))
                }
                _ => None,
            })
            .collect();
        self.chain_messages = self.keys.values().copied().collect();
    }

    /// The stretch of the run the diagram shows (true µs): a little before the chain's
    /// earliest event to a little after the anomaly.
    pub fn stretch_us(&self) -> (u64, u64) {
        let x = self.shown();
        let first = x.links.iter().map(|l| l.t_us).min().unwrap_or(x.t_us);
        let last = x.t_us.max(first + 1);
        let margin = ((last - first) / 10).max(100_000);
        (first.saturating_sub(margin), last + margin)
    }

    /// The selected link's event as the narration tells it.
    pub fn selected_event(&self) -> String {
        let l = self.selected();
        self.trace
            .get(l.event)
            .map(|e| crate::sim::narrate::narrate(&self.setting.names, e))
            .unwrap_or_default()
    }

    /// The diagram key (sender, receiver, send time) of message `id`, one of the chain's
    /// (found when the chain is shown, not on every frame).
    pub fn packet_key(&self, id: u64) -> Option<(NodeId, NodeId, u64)> {
        self.keys.get(&id).copied()
    }

    pub fn step_link(&mut self, by: isize) {
        let n = self.shown().links.len();
        self.link = (self.link as isize + by).clamp(0, n.saturating_sub(1) as isize) as usize;
    }

    pub fn step_anomaly(&mut self, by: isize) {
        let n = self.anomalies.len();
        let at = (self.at as isize + by).clamp(0, n.saturating_sub(1) as isize) as usize;
        if at != self.at {
            self.show(at);
        }
    }
}

impl Lab {
    /// `y`: pauses the lab and explains the anomaly on screen (a walkthrough step's event),
    /// else the latest so far; says so when there is none yet.
    pub(super) fn open_why(&mut self) {
        let mut sim = match Sim::from_scenario_with(self.scenario(), self.seed(), &self.overrides) {
            Ok(s) => s,
            Err(e) => {
                self.note = Some(format!("why? cannot replay this run: {e}"));
                return;
            }
        };
        let setting = Setting::of(&sim);
        let now = self.sim.now_us();
        let mut trace: Vec<Event> = Vec::new();
        let mut sink = |e: &Event| trace.push(e.clone());
        for (at, c) in self.sim.command_log() {
            sim.run_until(*at, &mut sink);
            let _ = sim.apply(c.clone(), &mut sink);
        }
        sim.run_until(now, &mut sink);
        let finished = self.finished();
        if finished && !self.sim.exhausted() {
            sim.finish(&mut sink);
        }
        let anomalies = why::anomalies(&trace, &setting);
        if anomalies.is_empty() {
            self.note = Some(format!(
                "why?: nothing has gone wrong so far (no lost or discarded write, stale read, \
                 false suspicion or duplicate charge up to {})",
                crate::sim::narrate::fmt_time(now)
            ));
            return;
        }
        let replay = Replay {
            scenario: self.scenario().clone(),
            seed: self.seed(),
            overrides: self.overrides.clone(),
            commands: self.sim.command_log().to_vec(),
            end_us: now,
            finished,
        };
        self.running = false;
        let n = anomalies.len();
        // The event on screen (a walkthrough step's, or the one just now), if it is an
        // anomaly; else the latest.
        let focus = self
            .focus()
            .and_then(|(e, _)| trace.iter().position(|x| x == e))
            .and_then(|i| anomalies.iter().position(|(j, _)| *j == i));
        let mut view = WhyView {
            counterfactuals: vec![None; n],
            explained: vec![None; n],
            anomalies,
            at: 0,
            link: 0,
            arrows: VecDeque::new(),
            chain_messages: BTreeSet::new(),
            keys: BTreeMap::new(),
            trace,
            replay,
            setting,
            metrics: sim.metrics().clone(),
        };
        view.show(focus.unwrap_or(n - 1));
        self.why = Some(view);
    }
}
