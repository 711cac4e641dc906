//! `distlab sweep`: a trade-off as a table. Every combination of the `--vary` values runs
//! the same seeds (a grid row each), on every core, and each row gives the outcomes with
//! their spread across seeds.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use serde_json::{Map, Value, json};

use super::HeadlessError::{self, Usage};
use super::trials::{self, Trials};
use crate::lesson::{Scenario, Sweep, SweepClaim, along, parse_rows};
use crate::sanitize::quote;
use crate::sim::sweep::{At, Axis, OUTCOMES, ROWS_MAX, axes, grid};
use crate::sim::{Expect, Kind, Session, Sim, fmt_num};

/// Most simulated events a whole sweep may take (shared evenly by its rows).
pub const SWEEP_EVENTS_MAX: u64 = 2 * super::TRIALS_EVENTS_MAX;

/// How the table is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
    Csv,
}

/// What `distlab sweep` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub scenario: String,
    /// `KEY=V1,V2,...`, one per varied parameter; the first varies slowest.
    pub vary: Vec<String>,
    /// Fixed overrides, `KEY=VALUE`.
    pub set: Vec<String>,
    /// The first seed of every row.
    pub seed: u64,
    /// Trials (seeds) per row.
    pub trials: u64,
    pub jobs: Option<usize>,
    pub format: Format,
    /// Set from another thread to stop the sweep (see [`trials::Budget::cancel`]).
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// One row of the table: its values of the varied parameters and its trials.
pub struct Row {
    pub at: At,
    pub trials: Trials,
    /// The scenario runs a failure detector (so false suspicions are measured).
    pub detects: bool,
}

/// Runs the sweep of `sc` and returns its rows, in grid order. Every row is checked (its
/// parameters build a simulation) before any runs.
pub fn run_rows(
    sc: &Scenario,
    req: &Request,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<Row>, HeadlessError> {
    let axes = axes(&req.vary).map_err(Usage)?;
    for set in &req.set {
        let key = set.split_once('=').map_or(set.as_str(), |(k, _)| k).trim();
        if axes.iter().any(|a| a.key == key) {
            return Err(Usage(format!(
                "--set {}: `{}` is varied by this sweep, so it cannot also be set",
                quote(set),
                quote(key)
            )));
        }
    }
    let cells = grid(&axes);
    if cells.len() > ROWS_MAX {
        return Err(Usage(format!(
            "{} rows is too many for one sweep (at most {ROWS_MAX}): vary fewer values",
            cells.len()
        )));
    }
    let session = Session {
        scenario: sc.id.to_string(),
        seed: req.seed,
        ..Session::default()
    };
    let mut templates = Vec::new();
    for cell in &cells {
        let mut sets = req.set.clone();
        sets.extend(cell.iter().map(|(k, v)| format!("{k}={v}")));
        // The messages of `sim --set`, naming the value at fault.
        super::build(sc, req.seed, &sets, &session).map_err(|e| match e {
            Usage(m) => Usage(varied(cell, m)),
            e => e,
        })?;
        let template =
            Sim::template(sc, &super::overrides_table(&sets)).map_err(|e| Usage(e.to_string()))?;
        templates.push(template);
    }
    let jobs = req.jobs.unwrap_or_else(trials::default_jobs);
    let of = format!(
        "one row of a sweep of {} rows (sharing {SWEEP_EVENTS_MAX})",
        cells.len()
    );
    let budget = trials::Budget {
        events: SWEEP_EVENTS_MAX / cells.len() as u64,
        of: &of,
        cancel: req.cancel.as_deref(),
    };
    let total = req.trials * cells.len() as u64;
    let mut rows = Vec::new();
    for (i, (cell, template)) in cells.into_iter().zip(&templates).enumerate() {
        let before = i as u64 * req.trials;
        let t = trials::run(
            template,
            &session,
            req.trials,
            jobs,
            budget,
            &mut |done, _| progress(before + done, total),
        )
        .map_err(|e| match e {
            Usage(m) => Usage(format!("{}: {m}", shown_at(&cell))),
            e => e,
        })?;
        let detects = matches!(template.params().kind, Kind::Replication | Kind::Detector);
        rows.push(Row {
            at: cell,
            trials: t,
            detects,
        });
    }
    Ok(rows)
}

/// A `--set` message about one of the row's own values, told as the `--vary` it came from.
fn varied(cell: &[(String, String)], message: String) -> String {
    let ours = cell
        .iter()
        .any(|(k, v)| message.starts_with(&format!("--set {}:", quote(&format!("{k}={v}")))));
    if ours {
        message.replacen("--set ", "--vary ", 1)
    } else {
        message
    }
}

fn shown_at(cell: &[(String, String)]) -> String {
    let parts: Vec<String> = cell.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("at {}", quote(&parts.join(" ")))
}

/// An outcome of a row: its value (none when the row did not measure it: no writes, no
/// crash detected, no orders) and, where seeds differ, the spread across them.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub name: &'static str,
    pub value: Option<f64>,
    /// A 95% interval for a fraction of seeds, or the 5th and 95th percentile across
    /// seeds of a per-run value.
    pub spread: Option<(f64, f64)>,
}

impl Cell {
    fn new(name: &'static str, value: Option<f64>, spread: Option<(f64, f64)>) -> Cell {
        let spread = value.and(spread);
        Cell {
            name,
            value,
            spread,
        }
    }
}

/// The outcomes of a row, in column order.
pub fn outcomes(r: &Row) -> Vec<Cell> {
    let t = &r.trials;
    let m = &t.metrics;
    let n = t.outcomes.len().max(1) as f64;
    let ms = crate::sim::time::ms_f64;
    let per_run = |f: fn(&trials::Outcome) -> u64| {
        let mut v: Vec<f64> = t.outcomes.iter().map(|o| f(o) as f64).collect();
        let mean = v.iter().sum::<f64>() / n;
        (mean, percentiles(&mut v))
    };
    let writes = m.writes_issued > 0;
    let lossy = t
        .outcomes
        .iter()
        .filter(|o| o.acked_writes_lost > 0)
        .count() as f64;
    let mut availability: Vec<f64> = (t.outcomes.iter())
        .filter(|o| o.writes_issued > 0)
        .map(|o| o.writes_acked as f64 / o.writes_issued as f64)
        .collect();
    let (lost, lost_spread) = per_run(|o| o.acked_writes_lost);
    let (false_susp, fs_spread) = per_run(|o| o.false_suspicions);
    let (dups, dup_spread) = per_run(|o| o.duplicate_charges);
    let acked = m.ack_latency.count() > 0;
    let detected = m.detection_latency.count() > 0;
    vec![
        Cell::new(
            "loss_seeds",
            writes.then_some(lossy / n),
            Some(wilson(lossy, n)),
        ),
        Cell::new("lost_per_run", writes.then_some(lost), lost_spread),
        Cell::new(
            "availability",
            writes.then(|| m.writes_acked as f64 / m.writes_issued as f64),
            percentiles(&mut availability),
        ),
        Cell::new(
            "mean_ack_ms",
            acked.then(|| ms(m.ack_latency.mean_us().round() as u64)),
            None,
        ),
        Cell::new(
            "p99_ack_ms",
            acked.then(|| ms(m.ack_latency.quantile_us(0.99))),
            None,
        ),
        Cell::new(
            "false_suspicions_per_run",
            r.detects.then_some(false_susp),
            fs_spread,
        ),
        Cell::new(
            "p50_detection_ms",
            detected.then(|| ms(m.detection_latency.quantile_us(0.5))),
            None,
        ),
        Cell::new(
            "duplicate_charges_per_run",
            (m.orders_placed > 0).then_some(dups),
            dup_spread,
        ),
    ]
}

/// The 5th and 95th percentiles of `v` (nearest rank), or none for no values.
fn percentiles(v: &mut [f64]) -> Option<(f64, f64)> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    Some((at(0.05), at(0.95)))
}

/// The Wilson score interval (95%) for `k` successes in `n` trials.
fn wilson(k: f64, n: f64) -> (f64, f64) {
    let z = 1.959_964_f64;
    let p = k / n;
    let d = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / d;
    let half = z * ((p * (1.0 - p) / n) + z * z / (4.0 * n * n)).sqrt() / d;
    // At none or all the bound is exact (rounding would leave it a hair inside).
    let lo = if k <= 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// What an outcome means, as the text table's legend says it.
pub fn meaning(name: &str) -> &'static str {
    LEGEND
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, m)| m)
}

/// What each column means, for the text table's legend.
const LEGEND: &[(&str, &str)] = &[
    (
        "loss_seeds",
        "seeds on which an acknowledged write was lost (95% interval)",
    ),
    (
        "lost_per_run",
        "acknowledged writes lost, mean per run (5th-95th percentile of seeds)",
    ),
    (
        "availability",
        "writes acknowledged / writes issued (5th-95th percentile of seeds)",
    ),
    (
        "mean_ack_ms",
        "client-observed write latency, invoke to acknowledgement",
    ),
    (
        "p99_ack_ms",
        "99th percentile of that latency (to within about 6%)",
    ),
    (
        "false_suspicions_per_run",
        "a monitor suspected a node that was up, mean per run (5th-95th pct.)",
    ),
    (
        "p50_detection_ms",
        "median time from a crash to its suspicion (to within about 6%)",
    ),
    (
        "duplicate_charges_per_run",
        "a payment charged twice, mean per run (5th-95th percentile of seeds)",
    ),
];

/// A claim of a lesson's sweep, judged on the rows of a run of it.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The claim's index in the sweep's `claims`.
    pub index: usize,
    pub holds: bool,
    /// The claim and the numbers it was judged on.
    pub detail: String,
}

/// The request that runs the lesson's `sweep` (its own seeds from `seed`).
pub fn lesson_request(sweep: &Sweep, seed: u64, jobs: Option<usize>, format: Format) -> Request {
    Request {
        scenario: sweep.scenario.to_string(),
        vary: sweep.vary.iter().map(|v| v.to_string()).collect(),
        set: Vec::new(),
        seed,
        trials: sweep.trials.unwrap_or(DEFAULT_TRIALS),
        jobs,
        format,
        cancel: None,
    }
}

/// Columns the prose of a sweep (caption, claims, legend notes) is wrapped to.
const PROSE_WIDTH: usize = 80;

/// Seeds per row of a lesson's sweep that does not say.
pub const DEFAULT_TRIALS: u64 = 200;

/// Judges each of `sweep`'s claims on `rows` (a run of it). A claim that does not parse
/// (the lesson check reports those) is judged false.
pub fn judge(sweep: &Sweep, rows: &[Row]) -> Vec<Judged> {
    let Ok(axes) = axes(&sweep.vary) else {
        return Vec::new();
    };
    (sweep.claims.iter().enumerate())
        .map(|(index, claim)| {
            let (holds, detail) = judge_one(claim, &axes, rows);
            Judged {
                index,
                holds,
                detail,
            }
        })
        .collect()
}

fn judge_one(claim: &SweepClaim, axes: &[Axis], rows: &[Row]) -> (bool, String) {
    let fixed = match claim.rows.as_deref().map(|w| parse_rows(w, axes)) {
        Some(Err(e)) => return (false, e),
        Some(Ok(f)) => f,
        None => Vec::new(),
    };
    let picked: Vec<&Row> = rows
        .iter()
        .filter(|r| fixed.iter().all(|f| r.at.contains(f)))
        .collect();
    let place = match &claim.rows {
        Some(w) => format!(" where {w}"),
        None => String::new(),
    };
    let value_of = |r: &Row, name: &str| {
        outcomes(r)
            .into_iter()
            .find(|c| c.name == name)
            .and_then(|c| c.value)
    };
    if let Some(expect) = &claim.expect {
        let Ok(e) = Expect::parse_over(expect, OUTCOMES) else {
            return (false, format!("`{expect}` does not parse"));
        };
        let mut failed = Vec::new();
        for r in &picked {
            let values: Vec<(String, f64)> = outcomes(r)
                .into_iter()
                .filter_map(|c| c.value.map(|v| (c.name.to_owned(), v)))
                .collect();
            // An outcome the row did not measure makes no claim about it true.
            let measured = e.0.iter().all(|c| values.iter().any(|(k, _)| *k == c.key));
            if !measured || !e.holds_for(&values) {
                let shown: Vec<String> =
                    e.0.iter()
                        .map(|c| {
                            let v = value_of(r, &c.key).map_or("-".to_owned(), fmt_num);
                            format!("{} = {v}", c.key)
                        })
                        .collect();
                failed.push(format!("{} ({})", at_text(&r.at), shown.join(", ")));
            }
        }
        let n = picked.len();
        return if failed.is_empty() {
            let rows = match n {
                1 => "its one row".to_owned(),
                2 => "both rows".to_owned(),
                n => format!("all {n} rows"),
            };
            (true, format!("{expect}{place}: holds on {rows}"))
        } else {
            (
                false,
                format!(
                    "{expect}{place}: fails on {} of {n} rows: {}",
                    failed.len(),
                    failed.join("; ")
                ),
            )
        };
    }
    let (name, up) = match (&claim.rises, &claim.falls) {
        (Some(n), _) => (n.as_str(), true),
        (None, Some(n)) => (n.as_str(), false),
        (None, None) => return (false, "the claim says nothing".to_owned()),
    };
    let Some(axis) = along(axes, &fixed) else {
        return (false, "no varied parameter is left free".to_owned());
    };
    // Rows that agree on every parameter but `axis` form one line, in grid order.
    // (the other parameters' values, the line's rows)
    let mut lines: Vec<(At, Vec<&Row>)> = Vec::new();
    for r in &picked {
        let others: Vec<(String, String)> =
            r.at.iter()
                .filter(|(k, _)| *k != axis.key)
                .cloned()
                .collect();
        match lines.iter_mut().find(|(o, _)| *o == others) {
            Some((_, line)) => line.push(r),
            None => lines.push((others, vec![r])),
        }
    }
    // As the format defines them: never the other way, and this way at least once.
    let verb = if up {
        "rises (never falls)"
    } else {
        "falls (never rises)"
    };
    let mut holds = true;
    let mut shown = Vec::new();
    for (others, line) in &lines {
        let values: Vec<Option<f64>> = line.iter().map(|r| value_of(r, name)).collect();
        // Never the wrong way, and the right way at least once: a flat line neither rises
        // nor falls.
        let steps: Vec<(f64, f64)> = values
            .windows(2)
            .filter_map(|w| Some((w[0]?, w[1]?)))
            .collect();
        let ok = values.iter().all(Option::is_some)
            && steps.iter().all(|&(a, b)| if up { b >= a } else { b <= a })
            && steps.iter().any(|&(a, b)| a != b);
        holds &= ok;
        let nums: Vec<String> = values.iter().map(|v| shown_value(name, *v)).collect();
        let at = if others.is_empty() {
            String::new()
        } else {
            format!(" at {}", at_text(others))
        };
        shown.push(format!(
            "{}{at}: {}",
            if ok { "yes" } else { "NO" },
            nums.join(", ")
        ));
    }
    (
        holds,
        format!(
            "{name} {verb} with {}{place}: {}",
            axis.key,
            shown.join("; ")
        ),
    )
}

/// An outcome's value as the table shows it (a share in percent), `-` when not measured.
pub fn shown_value(name: &str, v: Option<f64>) -> String {
    match v {
        None => "-".to_owned(),
        Some(x) if matches!(name, "loss_seeds" | "availability") => format!("{:.1}%", x * 100.0),
        Some(x) if is_quantile(name) => format!("{x:.0}"),
        Some(x) => fmt_num(x),
    }
}

/// Outcomes read from histogram buckets: accurate to about 6%, shown in whole ms.
fn is_quantile(name: &str) -> bool {
    matches!(name, "p99_ack_ms" | "p50_detection_ms")
}

fn at_text(at: &[(String, String)]) -> String {
    let parts: Vec<String> = at.iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.join(" ")
}

/// What `distlab check` found running a lesson's sweeps.
#[derive(Debug, Default)]
pub struct LessonCheck {
    pub sweeps: usize,
    /// Simulated runs in all.
    pub runs: u64,
    /// Failed claims and sweeps that could not run, at their place in the lesson file.
    pub problems: Vec<(std::ops::Range<usize>, String)>,
}

/// Runs every sweep of `lesson` (its own trials, seeds from 1) and judges its claims.
pub fn check_lesson(lesson: &crate::lesson::Lesson) -> LessonCheck {
    let mut out = LessonCheck::default();
    for s in &lesson.sweeps {
        let Some(sc) = lesson
            .scenarios
            .iter()
            .find(|x| x.id == s.scenario.as_str())
        else {
            continue; // the validator reports it
        };
        let req = lesson_request(s, 1, None, Format::Text);
        out.sweeps += 1;
        let rows = match run_rows(sc, &req, &mut |_, _| {}) {
            Ok(rows) => rows,
            Err(e) => {
                out.problems
                    .push((s.id.span(), format!("sweep `{}`: {e}", s.id)));
                continue;
            }
        };
        out.runs += rows
            .iter()
            .map(|r| r.trials.outcomes.len() as u64)
            .sum::<u64>();
        for j in judge(s, &rows) {
            if j.holds {
                continue;
            }
            let claim = &s.claims[j.index];
            let at = [&claim.expect, &claim.rises, &claim.falls]
                .into_iter()
                .flatten()
                .next()
                .map_or(s.id.span(), |t| t.span());
            out.problems.push((
                at,
                format!(
                    "sweep `{}`: the claim does not hold on seeds 1-{}: {}",
                    s.id, req.trials, j.detail
                ),
            ));
        }
    }
    out
}

/// `distlab sweep --list`: the lesson's sweeps, one a line.
pub fn list(sweeps: &[Sweep]) -> Result<(), HeadlessError> {
    super::write_out(|w| {
        for s in sweeps {
            writeln!(w, "{:<20} {} ({})", s.id.as_str(), s.title, s.scenario)?;
        }
        Ok(())
    })
}

/// `distlab sweep SWEEP`: one of the lesson's sweeps, with its caption and its claims
/// judged on this run.
pub fn run_lesson(sweep: &Sweep, req: &Request, all: &[Scenario]) -> Result<(), HeadlessError> {
    let sc = super::find_scenario(all, &sweep.scenario)?;
    let started = Instant::now();
    let rows = rows_with_progress(sc, req, started)?;
    let wall_s = started.elapsed().as_secs_f64();
    let judged = judge(sweep, &rows);
    super::write_out(|w| match req.format {
        Format::Json => write_json(w, sc, req, &rows),
        Format::Csv => write_csv(w, &rows),
        Format::Text => {
            writeln!(w, "{}", sweep.title)?;
            writeln!(w)?;
            for line in crate::wrap::wrap_lines(&sweep.caption, PROSE_WIDTH, "", "") {
                writeln!(w, "{line}")?;
            }
            writeln!(w)?;
            write_text(w, sc, req, &rows, wall_s)?;
            if !judged.is_empty() {
                writeln!(w)?;
                writeln!(w, "claims, checked on this run:")?;
                let own = sweep.trials.unwrap_or(DEFAULT_TRIALS);
                if judged.iter().any(|j| !j.holds) && (req.trials < own || !req.set.is_empty()) {
                    let why = if req.set.is_empty() {
                        format!(
                            "`distlab check` checks them on {own} seeds; with {} a claim may \
                             not hold by chance",
                            req.trials
                        )
                    } else {
                        "they are about the lesson's setup, which --set changed".to_owned()
                    };
                    for line in
                        crate::wrap::wrap_lines(&format!("({why})"), PROSE_WIDTH, "  ", "  ")
                    {
                        writeln!(w, "{line}")?;
                    }
                }
                for j in &judged {
                    let mark = if j.holds { "ok  " } else { "FAIL" };
                    let lines = crate::wrap::wrap_lines(&j.detail, PROSE_WIDTH - 7, "", "     ");
                    for (i, l) in lines.iter().enumerate() {
                        if i == 0 {
                            writeln!(w, "  {mark} {l}")?;
                        } else {
                            writeln!(w, "  {l}")?;
                        }
                    }
                }
            }
            Ok(())
        }
    })
}

fn rows_with_progress(
    sc: &Scenario,
    req: &Request,
    started: Instant,
) -> Result<Vec<Row>, HeadlessError> {
    let tty = io::stderr().is_terminal();
    let mut shown = false;
    let result = run_rows(sc, req, &mut |done, total| {
        if tty && started.elapsed().as_secs_f64() > 1.0 {
            shown = true;
            super::report::progress(done, total);
        }
    });
    if shown {
        let _ = writeln!(io::stderr());
    }
    result
}

/// `distlab sweep`.
pub fn run(req: &Request, all: &[Scenario]) -> Result<(), HeadlessError> {
    let sc = super::find_scenario(all, &req.scenario)?;
    let started = Instant::now();
    let rows = rows_with_progress(sc, req, started)?;
    let wall_s = started.elapsed().as_secs_f64();
    super::write_out(|w| match req.format {
        Format::Json => write_json(w, sc, req, &rows),
        Format::Csv => write_csv(w, &rows),
        Format::Text => write_text(w, sc, req, &rows, wall_s),
    })
}

fn write_json(w: &mut dyn Write, sc: &Scenario, req: &Request, rows: &[Row]) -> io::Result<()> {
    for r in rows {
        let mut o = Map::new();
        o.insert("scenario".into(), json!(sc.id.as_str()));
        o.insert("trials".into(), json!(r.trials.outcomes.len()));
        o.insert("seed".into(), json!(req.seed));
        for (k, v) in req
            .set
            .iter()
            .filter_map(|a| a.split_once('='))
            .chain(r.at.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        {
            o.insert(k.trim().to_owned(), json!(v.trim()));
        }
        for c in outcomes(r) {
            o.insert(c.name.into(), json!(c.value.map(round)));
            if let Some((lo, hi)) = c.spread {
                o.insert(format!("{}_low", c.name), json!(round(lo)));
                o.insert(format!("{}_high", c.name), json!(round(hi)));
            }
        }
        writeln!(w, "{}", Value::Object(o))?;
    }
    Ok(())
}

fn write_csv(w: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let mut head: Vec<String> = first.at.iter().map(|(k, _)| k.clone()).collect();
    head.push("trials".into());
    for c in outcomes(first) {
        head.push(c.name.into());
        if has_spread(c.name) {
            head.push(format!("{}_low", c.name));
            head.push(format!("{}_high", c.name));
        }
    }
    writeln!(w, "{}", head.join(","))?;
    for r in rows {
        let mut line: Vec<String> = r.at.iter().map(|(_, v)| csv_field(v)).collect();
        line.push(r.trials.outcomes.len().to_string());
        for c in outcomes(r) {
            line.push(c.value.map_or(String::new(), |v| round(v).to_string()));
            if has_spread(c.name) {
                let (lo, hi) = c.spread.map_or((String::new(), String::new()), |(a, b)| {
                    (round(a).to_string(), round(b).to_string())
                });
                line.push(lo);
                line.push(hi);
            }
        }
        writeln!(w, "{}", line.join(","))?;
    }
    Ok(())
}

/// True for the outcomes that vary across seeds and carry a spread.
fn has_spread(name: &str) -> bool {
    !matches!(name, "mean_ack_ms" | "p99_ack_ms" | "p50_detection_ms")
}

/// A value as one CSV field: quoted when it holds a comma, a quote or a line break.
fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn write_text(
    w: &mut dyn Write,
    sc: &Scenario,
    req: &Request,
    rows: &[Row],
    wall_s: f64,
) -> io::Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let last_seed = req.seed.saturating_add(req.trials.saturating_sub(1));
    let with = if req.set.is_empty() {
        String::new()
    } else {
        format!(", with {}", quote(&req.set.join(" ")))
    };
    writeln!(
        w,
        "sweep {}{with}: {} rows of {} trials (seeds {}-{last_seed}) in {wall_s:.1} s",
        sc.id,
        rows.len(),
        req.trials,
        req.seed
    )?;
    // A column no row measured says nothing here, and one that is zero in every row is
    // said in a line under the table rather than as a column of zeros, to keep the table
    // narrow; the legend names both.
    let names: Vec<&str> = outcomes(first).iter().map(|c| c.name).collect();
    let all: Vec<Vec<Cell>> = rows.iter().map(outcomes).collect();
    let shown: Vec<usize> = (0..names.len())
        .filter(|&i| (all.iter()).any(|cells| cells[i].value.is_some_and(|v| v != 0.0)))
        .collect();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut head: Vec<String> = first.at.iter().map(|(k, _)| k.clone()).collect();
    head.extend(shown.iter().map(|&i| names[i].to_owned()));
    table.push(head);
    for (r, cells) in rows.iter().zip(&all) {
        let mut line: Vec<String> = r.at.iter().map(|(_, v)| quote(v)).collect();
        line.extend(shown.iter().map(|&i| text_cell(&cells[i])));
        table.push(line);
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|c| {
            table
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for line in &table {
        let padded: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(x, &wd)| format!("{x:<wd$}"))
            .collect();
        writeln!(w, "{}", padded.join("  ").trim_end())?;
    }
    writeln!(w)?;
    let legend = |w: &mut dyn Write, name: &str, what: &str| -> io::Result<()> {
        let first = format!("  {name:<26} ");
        let rest = " ".repeat(first.len());
        for line in crate::wrap::wrap_lines(what, PROSE_WIDTH, &first, &rest) {
            writeln!(w, "{line}")?;
        }
        Ok(())
    };
    for &i in &shown {
        if let Some((name, what)) = LEGEND.iter().find(|(n, _)| *n == names[i]) {
            legend(w, name, what)?;
        }
    }
    legend(
        w,
        "-",
        "not measured in that row (no writes, no crash detected, no orders)",
    )?;
    let left_out = |zero: bool| -> Vec<&str> {
        (0..names.len())
            .filter(|i| !shown.contains(i))
            .filter(|&i| all.iter().any(|cells| cells[i].value.is_some()) == zero)
            .map(|i| names[i])
            .collect()
    };
    for (zero, what) in [
        (true, "Zero in every row, not shown"),
        (false, "Not measured in any row, not shown"),
    ] {
        let names = left_out(zero);
        if !names.is_empty() {
            let text = format!("{what}: {}.", names.join(", "));
            for line in crate::wrap::wrap_lines(&text, PROSE_WIDTH, "  ", "  ") {
                writeln!(w, "{line}")?;
            }
        }
    }
    Ok(())
}

fn text_cell(c: &Cell) -> String {
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let Some(value) = c.value else {
        return "-".to_owned();
    };
    match (c.name, c.spread) {
        ("loss_seeds" | "availability", Some((lo, hi))) => {
            format!("{} ({}-{})", pct(value), pct(lo), pct(hi))
        }
        ("loss_seeds" | "availability", None) => pct(value),
        (_, Some((lo, hi))) if lo != hi => {
            format!("{value:.2} ({lo:.0}-{hi:.0})")
        }
        ("p99_ack_ms" | "p50_detection_ms", _) => format!("{value:.0}"),
        ("mean_ack_ms", _) => format!("{value:.1}"),
        _ => format!("{value:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_hold_the_fraction_and_stay_in_range() {
        for (k, n) in [(0.0, 10.0), (10.0, 10.0), (3.0, 10.0), (500.0, 1000.0)] {
            let (lo, hi) = wilson(k, n);
            assert!(
                (0.0..=k / n).contains(&lo) && (k / n..=1.0).contains(&hi),
                "{k}/{n}"
            );
        }
        // Known value: 0 of 10 gives an upper bound of about 27.8%.
        assert!((wilson(0.0, 10.0).1 - 0.2775).abs() < 0.001);
    }
}
