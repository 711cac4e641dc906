//! `distlab sim`: run a scenario without the terminal app — list, narrate, summarise,
//! run many trials, write a Jepsen history, replay a saved session.

mod explain;
pub mod report;
pub mod sweep;
pub mod trials;
mod walkthrough;

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use crate::input::{REPLAY_MAX_BYTES, read_limited, shown};
use crate::lesson::{self, Scenario};
use crate::sanitize::quote;
use crate::sim::narrate::narrate;
use crate::sim::{Event, EventKind, Session, Sim};

/// Why `distlab sim` stopped.
#[derive(Debug, thiserror::Error)]
pub enum HeadlessError {
    /// Bad arguments or input file: exit 2.
    #[error("{0}")]
    Usage(String),
    /// Something failed while running: exit 1.
    #[error("{0}")]
    Runtime(String),
}

impl HeadlessError {
    pub fn exit_code(&self) -> u8 {
        match self {
            HeadlessError::Usage(_) => 2,
            HeadlessError::Runtime(_) => 1,
        }
    }
}

use HeadlessError::{Runtime, Usage};

/// What `distlab sim` is asked to do (the command line's `sim` arguments, parsed).
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The scenario to run; `None` with `list` or `replay`.
    pub scenario: Option<String>,
    /// List the scenarios instead of running one.
    pub list: bool,
    pub seed: u64,
    /// Stop at this simulated time (default: the scenario's duration).
    pub until_ms: Option<u64>,
    /// Parameter overrides, `key=value`.
    pub set: Vec<String>,
    /// JSON lines instead of narration.
    pub json: bool,
    /// Run this many consecutive seeds and print only the summary.
    pub trials: Option<u64>,
    /// Threads for the trials (default: one per core).
    pub jobs: Option<usize>,
    /// Where to write the client operations as Jepsen-style JSON lines.
    pub history: Option<std::path::PathBuf>,
    /// A saved lab session to replay.
    pub replay: Option<std::path::PathBuf>,
    /// Run the scenario's guided walkthrough.
    pub walkthrough: bool,
    /// Print every anomaly with its causal chain instead of the narration.
    pub explain: bool,
}

/// The scenarios of the lesson file given with `--lesson`, or of the built-in lesson.
pub fn scenarios(lesson_file: Option<&Path>) -> Result<Vec<Scenario>, HeadlessError> {
    let l = match lesson_file {
        Some(path) => lesson::load_file(path).map_err(|e| Usage(e.to_string()))?,
        None => lesson::builtin().map_err(|e| Runtime(e.to_string()))?,
    };
    Ok(l.scenarios)
}

/// Most simulated events all the trials of one `distlab sim --trials N` run may take
/// together (five to seven seconds of work on this 2-core machine): with [`crate::cli::TRIALS_MAX`] and
/// [`crate::sim::EVENTS_MAX`], no flags make a run take unbounded time.
pub const TRIALS_EVENTS_MAX: u64 = 50_000_000;

/// Runs `distlab sim` with these arguments.
pub fn run(args: &Request, lesson_file: Option<&Path>) -> Result<(), HeadlessError> {
    let all = scenarios(lesson_file)?;
    if args.list {
        return write_out(|w| {
            for s in &all {
                writeln!(w, "{:<18} {}", s.id, s.title)?;
            }
            Ok(())
        });
    }
    let mut session = match &args.replay {
        Some(path) => {
            let bytes = read_limited(path, REPLAY_MAX_BYTES).map_err(|e| {
                Usage(format!(
                    "{}: cannot read the session file: {e}",
                    shown(path)
                ))
            })?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Usage(format!(
                    "{}: the session file is not UTF-8 text",
                    shown(path)
                ))
            })?;
            Session::from_toml(&text).map_err(|e| Usage(format!("{}: {e}", shown(path))))?
        }
        None => Session {
            scenario: args.scenario.clone().unwrap_or_default(),
            seed: args.seed,
            ..Session::default()
        },
    };
    if let Some(ms) = args.until_ms {
        if ms.saturating_mul(1000) > crate::sim::UNTIL_MAX_US {
            return Err(Usage(format!(
                "--until-ms {ms} is too far: at most {} ms (a day) can be simulated",
                crate::sim::time::ms(crate::sim::UNTIL_MAX_US)
            )));
        }
        session.until_ms = Some(ms);
        session.until_us = None;
    }
    let scenario = find_scenario(&all, &session.scenario)?;
    let mut overrides: Vec<String> = session
        .set
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    overrides.extend(args.set.iter().cloned());
    // Check every override once, up front, with a clear message.
    build(scenario, session.seed, &overrides, &session).map_err(|e| match (&args.replay, e) {
        (Some(path), Usage(m)) => Usage(format!("{}: {m}", shown(path))),
        (_, e) => e,
    })?;
    match args.trials {
        Some(n) => trials(
            scenario,
            &session,
            &overrides,
            n.max(1),
            args,
            TRIALS_EVENTS_MAX,
        ),
        None if args.explain => explain::run(scenario, &session, &overrides, args),
        None => single(scenario, &session, &overrides, args),
    }
}

/// The scenario `id` of `all`, or a usage error that lists them.
fn find_scenario<'a>(all: &'a [Scenario], id: &str) -> Result<&'a Scenario, HeadlessError> {
    all.iter().find(|s| s.id == id).ok_or_else(|| {
        let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
        Usage(format!(
            "unknown scenario `{}`; scenarios: {}",
            quote(id),
            ids.join(", ")
        ))
    })
}

/// A simulation of `scenario` with `--set` overrides applied.
fn build(
    sc: &Scenario,
    seed: u64,
    sets: &[String],
    session: &Session,
) -> Result<Sim, HeadlessError> {
    let mut params = crate::sim::Params::from_table(&sc.params).map_err(|e| {
        Usage(format!(
            "scenario `{}`: {e}",
            crate::sanitize::quote(&sc.id)
        ))
    })?;
    // Every override first, then the rules between parameters once (so
    // `latency_ms_min=200 latency_ms_max=900` works in either order); the message names
    // the --set at fault.
    params.assign_all(sets).map_err(|(at, e)| {
        Usage(match at {
            Some(i) => format!("--set {}: {e}", crate::sanitize::quote(&sets[i])),
            None => e.to_string(),
        })
    })?;
    let table = overrides_table(sets);
    let sim = Sim::from_scenario_with(sc, seed, &table).map_err(|e| Usage(e.to_string()))?;
    for (i, (_, cmd)) in session.parsed_commands().iter().enumerate() {
        sim.check_command(cmd).map_err(|e| {
            let shown = quote(&cmd.to_string());
            Usage(format!("session command {} (`{shown}`): {e}", i + 1))
        })?;
    }
    Ok(sim)
}

/// `--set` overrides as the table [`Sim::from_scenario_with`] takes.
fn overrides_table(sets: &[String]) -> toml::Table {
    let mut table = toml::Table::new();
    for s in sets {
        if let Ok((k, v)) = crate::sim::split_assignment(s) {
            table.insert(k.into(), toml::Value::String(v.into()));
        }
    }
    table
}

/// Runs one simulation to its end, applying the session's timed commands; a run that
/// reaches [`crate::sim::EVENTS_MAX`] events stops there with a usage error.
fn drive(
    sim: &mut Sim,
    session: &Session,
    sink: &mut impl FnMut(&Event),
) -> Result<(), HeadlessError> {
    let end_us = session.end_us(sim.params().duration_ms);
    for (at_us, cmd) in session.parsed_commands() {
        if at_us > end_us || sim.exhausted() {
            break;
        }
        sim.run_until(at_us, sink);
        // Checked in `build`; a failure here cannot happen, and would only skip it.
        let _ = sim.apply(cmd, sink);
    }
    sim.run_until(end_us, sink);
    if sim.exhausted() {
        return Err(Usage(crate::sim::exhausted_message(sim)));
    }
    sim.finish(sink);
    Ok(())
}

/// The scenario's walkthrough for this run's cluster, or why it cannot run.
fn story_for(sc: &Scenario, sim: &Sim) -> Result<crate::sim::story::Story, HeadlessError> {
    if sc.steps.is_empty() {
        return Err(Usage(format!("scenario `{}` has no walkthrough", sc.id)));
    }
    crate::lesson::story::story(sc, sim).map_err(|problems| {
        let first = problems
            .first()
            .map_or(String::new(), |p| p.message.clone());
        Usage(format!(
            "the walkthrough cannot run with these parameters: {first}"
        ))
    })
}

/// Runs the scenario's walkthrough to the end: step markers go to standard output between
/// the narrated events (through `sink`, which writes in order).
fn walk(
    sc: &Scenario,
    sim: &mut Sim,
    session: &Session,
    json: bool,
    markers: &std::cell::RefCell<Vec<String>>,
    sink: &mut impl FnMut(&Event),
) -> Result<(), HeadlessError> {
    let story = story_for(sc, sim)?;
    let names = sim.node_names();
    let seed = sim.seed();
    let end_us = session.end_us(sim.params().duration_ms);
    let mut on_step = |a: &crate::sim::story::Arrival| {
        markers.borrow_mut().push(if json {
            walkthrough::json(&story, &names, a)
        } else {
            walkthrough::text(&story, &names, seed, a)
        });
    };
    // The sink prints the queued markers before the next event, so each stands where the
    // run paused.
    let (_, end) = crate::sim::story::walk(&story, sim, end_us, sink, &mut on_step);
    if sim.exhausted() {
        return Err(Usage(crate::sim::exhausted_message(sim)));
    }
    if let Some(text) = walkthrough::end(&end, json) {
        markers.borrow_mut().push(text);
    }
    Ok(())
}

fn single(
    sc: &Scenario,
    session: &Session,
    sets: &[String],
    args: &Request,
) -> Result<(), HeadlessError> {
    let mut sim = build(sc, session.seed, sets, session)?;
    let mut history = match &args.history {
        Some(path) => Some(io::BufWriter::new(fs::File::create(path).map_err(|e| {
            Usage(format!(
                "{}: cannot create the history file: {e}",
                shown(path)
            ))
        })?)),
        None => None,
    };
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    let mut failure: Option<io::Error> = None;
    let mut history_failure: Option<io::Error> = None;
    let names = sim.node_names();
    let started = Instant::now();
    let mut index = 0usize;
    // Walkthrough step markers waiting to be printed (before the next event, or at the end).
    let markers = std::cell::RefCell::new(Vec::<String>::new());
    let mut sink = |e: &Event| {
        for m in markers.borrow_mut().drain(..) {
            if failure.is_none()
                && let Err(err) = writeln!(w, "{m}")
            {
                failure = Some(err);
            }
        }
        if let (Some(h), EventKind::Client(op)) = (history.as_mut(), &e.kind)
            && history_failure.is_none()
            && let Err(err) = writeln!(
                h,
                "{}",
                report::history_line(e.t_us, op, &names[op.client as usize])
            )
        {
            history_failure = Some(err);
        }
        if failure.is_some() {
            return;
        }
        let r = if args.json {
            writeln!(w, "{}", report::event_json(&names, index, e))
        } else if report::worth_narrating(e) {
            writeln!(w, "{}", narrate(&names, e))
        } else {
            Ok(())
        };
        index += 1;
        if let Err(err) = r {
            failure = Some(err);
        }
    };
    let driven = if args.walkthrough {
        walk(sc, &mut sim, session, args.json, &markers, &mut sink)
    } else {
        drive(&mut sim, session, &mut sink)
    };
    for m in markers.borrow_mut().drain(..) {
        if failure.is_none()
            && let Err(err) = writeln!(w, "{m}")
        {
            failure = Some(err);
        }
    }
    // What was narrated so far reaches the reader before the error does.
    let _ = w.flush();
    driven?;
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Some(e) = history_failure {
        return Err(Runtime(format!("cannot write the history file: {e}")));
    }
    if let Some(h) = history.as_mut() {
        h.flush()
            .map_err(|e| Runtime(format!("cannot write the history file: {e}")))?;
    }
    let summary = report::Summary {
        scenario: sc.id.as_str(),
        trials: 1,
        seed: session.seed,
        events: sim.events_processed(),
        wall_ms,
        metrics: sim.metrics(),
    };
    let r = failure.map_or(Ok(()), Err).and_then(|()| {
        if args.json {
            writeln!(w, "{}", summary.json())
        } else {
            summary.write_text(&mut w)
        }
    });
    finish_write(r.and_then(|()| w.flush()))
}

fn trials(
    sc: &Scenario,
    session: &Session,
    sets: &[String],
    n: u64,
    args: &Request,
    budget: u64,
) -> Result<(), HeadlessError> {
    let template = Sim::template(sc, &overrides_table(sets)).map_err(|e| Usage(e.to_string()))?;
    let started = Instant::now();
    let tty = io::stderr().is_terminal();
    let mut shown = false;
    let jobs = args.jobs.unwrap_or_else(trials::default_jobs);
    let budget = trials::Budget {
        events: budget,
        of: "one `--trials` run",
        cancel: None,
    };
    let result = trials::run(&template, session, n, jobs, budget, &mut |done, n| {
        if tty && started.elapsed().as_secs_f64() > 1.0 {
            shown = true;
            report::progress(done, n);
        }
    });
    if shown {
        let _ = writeln!(io::stderr());
    }
    let all = result?;
    let summary = report::Summary {
        scenario: sc.id.as_str(),
        trials: n,
        seed: session.seed,
        events: all.events,
        wall_ms: started.elapsed().as_secs_f64() * 1000.0,
        metrics: &all.metrics,
    };
    write_out(|w| {
        if args.json {
            writeln!(w, "{}", summary.json())
        } else {
            summary.write_text(w)
        }
    })
}

fn write_out(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), HeadlessError> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    finish_write(f(&mut w).and_then(|()| w.flush()))
}

/// A closed pipe (`distlab sim x | head`) ends quietly.
fn finish_write(r: io::Result<()>) -> Result<(), HeadlessError> {
    match r {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Runtime(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trials_stop_at_their_event_budget_with_a_message() {
        let lesson = lesson::builtin().unwrap();
        let sc = lesson.scenario("async-drop").unwrap();
        let session = Session {
            scenario: "async-drop".into(),
            seed: 1,
            ..Session::default()
        };
        // A budget of three and a half runs' events stops the fourth run.
        let mut one = build(sc, 1, &[], &session).unwrap();
        drive(&mut one, &session, &mut |_| {}).unwrap();
        let budget = one.events_processed() * 7 / 2;
        let template = Sim::template(sc, &toml::Table::new()).unwrap();
        // The same trial stops them, on one thread or several.
        for jobs in [1, 2, 3] {
            let limit = trials::Budget {
                events: budget,
                of: "one `--trials` run",
                cancel: None,
            };
            let run = |n| trials::run(&template, &session, n, jobs, limit, &mut |_, _| {});
            let Err(Usage(m)) = run(100) else {
                panic!("the budget must stop the trials");
            };
            assert!(
                m.starts_with("stopped after 4 of 100 trials"),
                "{jobs} jobs: {m}"
            );
            assert!(m.contains(&format!("at most {budget}")), "{m}");
            assert!(run(3).is_ok());
        }
    }
}
