//! `distlab sim ID --explain`: every anomaly of the run with its causal chain and, where a
//! replay shows one, the single change that would have avoided it.

use std::io::Write;

use serde_json::{Value, json};

use super::HeadlessError::{self, Usage};
use super::{Request, build, drive, overrides_table};
use crate::lesson::Scenario;
use crate::sim::why::{self, Counterfactuals, Explanation, Replay, Setting, Tie};
use crate::sim::{Event, Session, Sim};

/// Runs the scenario (or its walkthrough), then prints each anomaly's chain.
pub fn run(
    sc: &Scenario,
    session: &Session,
    sets: &[String],
    args: &Request,
) -> Result<(), HeadlessError> {
    let mut sim = build(sc, session.seed, sets, session)?;
    let setting = Setting::of(&sim);
    let mut trace: Vec<Event> = Vec::new();
    let mut sink = |e: &Event| trace.push(e.clone());
    if args.walkthrough {
        let story = super::story_for(sc, &sim)?;
        let end_us = session.end_us(sim.params().duration_ms);
        crate::sim::story::walk(&story, &mut sim, end_us, &mut sink, &mut |_| {});
        if sim.exhausted() {
            return Err(Usage(crate::sim::exhausted_message(&sim)));
        }
    } else {
        drive(&mut sim, session, &mut sink)?;
    }
    let explanations = why::explain(&trace, &setting);
    let replay = Replay {
        scenario: sc.clone(),
        seed: session.seed,
        overrides: overrides_table(sets),
        commands: sim.command_log().to_vec(),
        end_us: sim.now_us(),
        finished: true,
    };
    let mut cf = Counterfactuals::new(&replay);
    super::write_out(|w| {
        let mut saved = 0;
        for x in &explanations {
            let c = cf.saving(&x.anomaly, &setting, sim.metrics(), &trace);
            saved += usize::from(c.is_some());
            if args.json {
                writeln!(w, "{}", json_line(&setting, x, c.as_ref()))?;
            } else {
                write_text(w, x, c.as_ref())?;
            }
        }
        if !args.json {
            write_end(w, &sim, trace.len(), explanations.len(), saved)?;
        }
        Ok(())
    })
}

fn write_text(
    w: &mut dyn Write,
    x: &Explanation,
    c: Option<&why::Counterfactual>,
) -> std::io::Result<()> {
    writeln!(
        w,
        "{} {}  [event {}]",
        crate::sim::narrate::fmt_time(x.t_us),
        x.title,
        x.event
    )?;
    for l in &x.links {
        writeln!(
            w,
            "  ← {}  {}  [{}, event {}]",
            crate::sim::time::secs(l.t_us as i64),
            l.text,
            tie(l.tie),
            l.event
        )?;
    }
    if let Some(c) = c {
        writeln!(w, "  instead: {}", c.text)?;
    }
    writeln!(w)
}

fn write_end(
    w: &mut dyn Write,
    sim: &Sim,
    events: usize,
    n: usize,
    saved: usize,
) -> std::io::Result<()> {
    match n {
        0 => writeln!(
            w,
            "no anomalies in this run (a trace of {events} events, seed {})",
            sim.seed()
        ),
        _ => writeln!(
            w,
            "{n} {} explained from a trace of {events} events, ids 0–{} (seed {}); {saved} with a single change that a replay shows would have avoided it",
            if n == 1 { "anomaly" } else { "anomalies" },
            events.saturating_sub(1),
            sim.seed()
        ),
    }
}

/// How a link bears on its anomaly, in a word.
pub fn tie(t: Tie) -> &'static str {
    match t {
        Tie::Made => "made it",
        Tie::Because => "happened before",
        Tie::Missed => "did not arrive",
        Tie::Earlier => "earlier",
    }
}

fn json_line(setting: &Setting, x: &Explanation, c: Option<&why::Counterfactual>) -> String {
    let name = |n: &u8| setting.names.get(*n as usize).cloned().unwrap_or_default();
    let links: Vec<Value> = x
        .links
        .iter()
        .map(|l| {
            json!({
                "event": l.event,
                "t_us": l.t_us,
                "tie": tie(l.tie),
                "text": l.text,
                "nodes": l.nodes.iter().map(name).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "type": "anomaly",
        "kind": x.anomaly.kind(),
        "event": x.event,
        "t_us": x.t_us,
        "title": x.title,
        "text": x.line(),
        "events": x.links.iter().map(|l| l.event).collect::<Vec<_>>(),
        "links": links,
        "counterfactual": c.map(|c| json!({"change": c.change, "text": c.text})),
    })
    .to_string()
}
