//! Stories: a walkthrough's steps as the simulator checks them. A step runs until a
//! simulated event (an [`Anchor`]: the first failover, the first lost write, ...) or a
//! time, pauses *on* it, issues its commands, and checks its [`Claims`] against the run;
//! its caption is a [`Template`] that quotes numbers from the run. Nothing here reads a
//! caption's prose: what a step says is true because its claims hold.

mod anchor;
mod claim;
mod template;
mod term;
mod watch;

pub use anchor::{Anchor, What, notable, subject};
pub use claim::{Checked, Claims, Clause, Rhs};
pub use template::Template;
pub use term::{Names, Scene, Term, Val, show_num};
pub use watch::Watch;

use super::{Command, Event, Sim};

/// Where a step pauses.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// At this true time (µs).
    At(u64),
    /// On the first event like this after the previous step's pause.
    Until(Anchor),
}

/// One step, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub target: Target,
    pub commands: Vec<Command>,
    pub claims: Claims,
    pub caption: Template,
}

/// A scenario's walkthrough, parsed, and the claims its notice makes about the whole run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Story {
    pub steps: Vec<Plan>,
    /// Checked once the run has ended.
    pub end: Claims,
}

/// What a step found when it paused.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrival {
    pub step: usize,
    /// True time of the pause (µs).
    pub t_us: u64,
    /// The event the step paused on.
    pub anchor: Option<Event>,
    /// The step waited for an event that did not happen before the run ended.
    pub missed: bool,
    /// The step's time had already passed when the previous step paused.
    pub late: bool,
    /// An earlier step's event never came, so the run ended before this step: nothing
    /// it says is about this run.
    pub stranded: bool,
    pub caption: String,
    pub claims: Vec<Checked>,
}

impl Arrival {
    /// Whether everything the step says holds here.
    pub fn true_here(&self) -> bool {
        !self.missed && !self.late && !self.stranded && self.claims.iter().all(|c| c.held)
    }

    /// Why the story did not reach this step on this run, if it did not: said in place of
    /// its caption, which would not be true here.
    pub fn not_reached(&self, story: &Story, seed: u64) -> Option<String> {
        let end = super::narrate::fmt_time(self.t_us);
        if self.missed {
            let what = match &story.steps[self.step].target {
                Target::Until(a) => a.to_string(),
                Target::At(_) => "its time".into(),
            };
            Some(format!(
                "This step waits for `{what}`, which did not happen on seed {seed} before the run \
                 ended ({end}): its story did not take place in this run."
            ))
        } else if self.stranded {
            Some(format!(
                "An earlier step's event did not happen on seed {seed}, so the run ended before \
                 this step: its story did not take place in this run."
            ))
        } else {
            None
        }
    }

    /// Whether the story reached this step at all (its event came, or its time).
    pub fn reached(&self) -> bool {
        !self.missed && !self.stranded
    }
}

impl Story {
    /// A watch that counts every kind of event this story's claims and captions count.
    pub fn watch(&self, sim: &Sim) -> Watch {
        let mut counted = Vec::new();
        let mut add = |t: &Term| {
            if let Term::Count(a) = t {
                counted.push(a.clone());
            }
        };
        for p in &self.steps {
            p.claims.terms().for_each(&mut add);
            p.caption.terms().for_each(&mut add);
        }
        self.end.terms().for_each(&mut add);
        Watch::new(sim.node_names(), counted)
    }
}

/// Runs `sim` up to `limit_us`, or only until just after the first event that matches
/// `until`, which it returns (the clock then stands at that event). Every event goes to
/// `watch` and `sink`.
pub fn advance(
    sim: &mut Sim,
    watch: &mut Watch,
    limit_us: u64,
    until: Option<&Anchor>,
    sink: &mut impl FnMut(&Event),
) -> Option<Event> {
    let mut hit: Option<Event> = None;
    while hit.is_none() && sim.next_event_us().is_some_and(|t| t <= limit_us) {
        if sim.exhausted() {
            return None;
        }
        sim.step(&mut |e| {
            if watch.see(e, until) && hit.is_none() {
                hit = Some(e.clone());
            }
            sink(e);
        });
    }
    if hit.is_none() {
        sim.run_until(limit_us, &mut |e| {
            watch.see(e, None);
            sink(e);
        });
    }
    hit
}

/// How a step's pause was reached (see [`Arrival`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    pub missed: bool,
    pub late: bool,
    pub stranded: bool,
}

/// At a step's pause: issues its commands, checks its claims and fills in its caption. A
/// step that was not reached (its event never came, or an earlier one's) issues nothing,
/// claims nothing and has no caption: the story did not happen on this run.
pub fn arrive(
    story: &Story,
    step: usize,
    sim: &mut Sim,
    watch: &mut Watch,
    anchor: Option<Event>,
    reach: Reach,
    sink: &mut impl FnMut(&Event),
) -> Arrival {
    let plan = &story.steps[step];
    let Reach {
        missed,
        late,
        stranded,
    } = reach;
    if missed || stranded {
        return Arrival {
            step,
            t_us: sim.now_us(),
            anchor: None,
            missed,
            late: false,
            stranded,
            caption: String::new(),
            claims: Vec::new(),
        };
    }
    for c in &plan.commands {
        // Checked when the lesson loaded; a command that fails now is in the trace.
        let _ = sim.apply(c.clone(), &mut |e| {
            watch.see(e, None);
            sink(e);
        });
    }
    let scene = Scene {
        sim,
        watch,
        anchor: anchor.as_ref(),
    };
    let claims = plan.claims.check(&scene);
    let caption = plan.caption.render(&scene);
    let t_us = sim.now_us();
    watch.mark(sim.metrics());
    Arrival {
        step,
        t_us,
        anchor,
        missed,
        late,
        stranded,
        caption,
        claims,
    }
}

/// Runs the whole story headless: every step in turn (each [`Arrival`] also goes to
/// `on_step` as it happens), then the run to `end_us`, then the end-of-run claims. Stops
/// early (returning what it has) if the run hits its event bound.
pub fn walk(
    story: &Story,
    sim: &mut Sim,
    end_us: u64,
    sink: &mut impl FnMut(&Event),
    on_step: &mut impl FnMut(&Arrival),
) -> (Vec<Arrival>, Vec<Checked>) {
    let mut watch = story.watch(sim);
    let mut arrivals: Vec<Arrival> = Vec::with_capacity(story.steps.len());
    for (i, plan) in story.steps.iter().enumerate() {
        let stranded = arrivals.last().is_some_and(|a| !a.reached());
        let (anchor, missed, late) = match &plan.target {
            _ if stranded => (None, false, false),
            Target::At(t) => {
                let late = *t < sim.now_us();
                advance(sim, &mut watch, (*t).min(end_us), None, sink);
                (None, false, late)
            }
            Target::Until(a) => {
                let hit = advance(sim, &mut watch, end_us, Some(a), sink);
                let missed = hit.is_none();
                (hit, missed, false)
            }
        };
        if sim.exhausted() {
            return (arrivals, Vec::new());
        }
        let reach = Reach {
            missed,
            late,
            stranded,
        };
        let arrival = arrive(story, i, sim, &mut watch, anchor, reach, sink);
        on_step(&arrival);
        arrivals.push(arrival);
    }
    advance(sim, &mut watch, end_us, None, sink);
    if sim.exhausted() {
        return (arrivals, Vec::new());
    }
    sim.finish(&mut |e| {
        watch.see(e, None);
        sink(e);
    });
    let scene = Scene {
        sim,
        watch: &watch,
        anchor: None,
    };
    let end = story.end.check(&scene);
    (arrivals, end)
}
