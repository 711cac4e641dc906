//! Every walkthrough's claims checked on a range of seeds (`distlab check`, and the test
//! suite for the built-in lesson): a claim that fails on more seeds than the lesson's
//! tolerance, a step whose event never comes on some seed, or a step whose time has
//! already passed is an error at the step, naming the seeds and a command that shows one.
//! A caption that states a number or an outcome with nothing to check it is a warning.

use std::ops::{Range, RangeInclusive};

use crate::lesson::{Lesson, Scenario};
use crate::sim::story::{self, Arrival, Checked, Story};
use crate::sim::{EVENTS_MAX, Sim};

/// The seeds checked when neither `--seeds` nor the lesson says otherwise.
pub const SEEDS_DEFAULT: RangeInclusive<u64> = 1..=100;
/// Most seeds one check may run per scenario.
pub const SEEDS_MAX: u64 = 10_000;

/// A problem found by running the stories, at a place in the lesson file.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub span: Range<usize>,
    pub message: String,
}

/// What checking the stories found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
    /// Walkthrough runs made (scenarios × seeds).
    pub runs: u64,
}

/// Parses `A-B` (or one seed `N`) into a range of at most [`SEEDS_MAX`] seeds.
pub fn parse_seeds(text: &str) -> Result<RangeInclusive<u64>, String> {
    let bad = || {
        format!(
            "`{}` is not a seed range; expected A-B, e.g. 1-100",
            crate::sanitize::quote(text)
        )
    };
    let (a, b) = match text.trim().split_once('-') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), text.trim()),
    };
    let (a, b): (u64, u64) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    if a > b {
        return Err(format!(
            "seed range {a}-{b} is empty: the first seed is after the last"
        ));
    }
    if b - a >= SEEDS_MAX {
        return Err(format!(
            "seed range {a}-{b} has {} seeds; at most {SEEDS_MAX} are checked at once",
            b - a + 1
        ));
    }
    Ok(a..=b)
}

/// The seeds to check: `seeds` if given, else the lesson's `[stories] seeds`, else 1-100.
pub fn seeds_for(
    lesson: &Lesson,
    seeds: Option<RangeInclusive<u64>>,
) -> Result<RangeInclusive<u64>, Finding> {
    if let Some(s) = seeds {
        return Ok(s);
    }
    match lesson.stories.as_ref().and_then(|s| s.seeds.as_ref()) {
        Some(text) => parse_seeds(text).map_err(|message| Finding {
            span: text.span(),
            message: format!("stories.seeds: {message}"),
        }),
        None => Ok(SEEDS_DEFAULT),
    }
}

/// Runs every scenario's walkthrough on `seeds`. `lesson_flag` is how the reproduce
/// command names the lesson (`--lesson FILE `, or empty for the built-in one).
pub fn check(lesson: &Lesson, seeds: RangeInclusive<u64>, lesson_flag: &str) -> Report {
    let tolerance = lesson
        .stories
        .as_ref()
        .and_then(|s| s.tolerance_percent)
        .unwrap_or(0)
        .min(100);
    let n = seeds.end() - seeds.start() + 1;
    let allowed = n * tolerance / 100;
    let mut report = Report::default();
    for scenario in &lesson.scenarios {
        if scenario.steps.is_empty() && scenario.expect.is_none() {
            continue;
        }
        let Ok(sim) = Sim::from_scenario(scenario, *seeds.start()) else {
            continue; // the load check reports it
        };
        let Ok(story) = super::story(scenario, &sim) else {
            continue;
        };
        let runs = run_seeds(scenario, &story, seeds.clone());
        report.runs += n;
        let ctx = Ctx {
            scenario,
            lesson_flag,
            n,
            allowed,
            tolerance,
        };
        ctx.judge(&story, &runs, &mut report.errors);
        warn_unchecked(scenario, &story, &mut report.warnings);
    }
    report
}

/// One seed's walk: the steps reached, the end claims, and whether the run hit its bound.
struct Run {
    seed: u64,
    arrivals: Vec<Arrival>,
    end: Vec<Checked>,
    exhausted: bool,
}

/// Walks the story on every seed, on every core.
fn run_seeds(scenario: &Scenario, story: &Story, seeds: RangeInclusive<u64>) -> Vec<Run> {
    let seeds: Vec<u64> = seeds.collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(seeds.len().max(1));
    let chunk = seeds.len().div_ceil(workers).max(1);
    let mut runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = seeds
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter_map(|&s| walk_one(scenario, story, s))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    runs.sort_by_key(|r| r.seed);
    runs
}

fn walk_one(scenario: &Scenario, story: &Story, seed: u64) -> Option<Run> {
    let mut sim = Sim::from_scenario(scenario, seed).ok()?;
    let end_us = sim.params().duration_ms.saturating_mul(1000);
    let (arrivals, end) = story::walk(story, &mut sim, end_us, &mut |_| {}, &mut |_| {});
    Some(Run {
        seed,
        arrivals,
        end,
        exhausted: sim.exhausted(),
    })
}

struct Ctx<'a> {
    scenario: &'a Scenario,
    lesson_flag: &'a str,
    n: u64,
    allowed: u64,
    tolerance: u64,
}

impl Ctx<'_> {
    fn judge(&self, story: &Story, runs: &[Run], errors: &mut Vec<Finding>) {
        let sc = self.scenario;
        if let Some(r) = runs.iter().find(|r| r.exhausted) {
            errors.push(Finding {
                span: sc.id.span(),
                message: format!(
                    "scenario `{}`: on seed {} the walkthrough stopped at the {EVENTS_MAX}-event \
                     bound of one run",
                    sc.id, r.seed
                ),
            });
            return;
        }
        for (i, step) in sc.steps.iter().enumerate().take(story.steps.len()) {
            let label = format!("scenario `{}`, step {} ({})", sc.id, i + 1, step.when());
            let missed: Vec<u64> = runs
                .iter()
                .filter(|r| r.arrivals.get(i).is_some_and(|a| a.missed))
                .map(|r| r.seed)
                .collect();
            if let (Some(until), Some(&first)) = (&step.until, missed.first()) {
                errors.push(Finding {
                    span: until.span(),
                    message: format!(
                        "{label}: the event `{}` does not happen on {} of {} seeds ({}) before the \
                         run ends; reproduce: {}",
                        crate::sanitize::quote(until),
                        missed.len(),
                        self.n,
                        list(&missed),
                        self.repro(first)
                    ),
                });
            }
            let late: Vec<u64> = runs
                .iter()
                .filter(|r| r.arrivals.get(i).is_some_and(|a| a.late))
                .map(|r| r.seed)
                .collect();
            if let Some(&first) = late.first() {
                errors.push(Finding {
                    span: step.caption.span(),
                    message: format!(
                        "{label}: the previous step pauses after this step's time on {} of {} \
                         seeds ({}); anchor this step to an event, or move it later; reproduce: {}",
                        late.len(),
                        self.n,
                        list(&late),
                        self.repro(first)
                    ),
                });
            }
            let span = step
                .expect
                .as_ref()
                .map_or(step.caption.span(), |e| e.span());
            let checked: Vec<(u64, &[Checked])> = runs
                .iter()
                .filter_map(|r| {
                    r.arrivals
                        .get(i)
                        .filter(|a| a.reached())
                        .map(|a| (r.seed, a.claims.as_slice()))
                })
                .collect();
            self.claims(&label, span, &checked, errors);
        }
        if let Some(e) = &sc.expect {
            let checked: Vec<(u64, &[Checked])> =
                runs.iter().map(|r| (r.seed, r.end.as_slice())).collect();
            self.claims(
                &format!("scenario `{}`, expect (at the end of the run)", sc.id),
                e.span(),
                &checked,
                errors,
            );
        }
    }

    /// An error for each clause that fails on more seeds than allowed.
    fn claims(
        &self,
        label: &str,
        span: Range<usize>,
        runs: &[(u64, &[Checked])],
        errors: &mut Vec<Finding>,
    ) {
        let clauses = runs.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
        for k in 0..clauses {
            let failed: Vec<(u64, &Checked)> = runs
                .iter()
                .filter_map(|(s, c)| c.get(k).filter(|c| !c.held).map(|c| (*s, c)))
                .collect();
            if failed.len() as u64 <= self.allowed {
                continue;
            }
            let (seed, c) = failed[0];
            let seeds: Vec<u64> = failed.iter().map(|(s, _)| *s).collect();
            errors.push(Finding {
                span: span.clone(),
                message: format!(
                    "{label}: claim `{}` fails on {} of {} seeds ({}; {} allowed at tolerance_percent \
                     = {}); on seed {seed}, {}; reproduce: {}",
                    c.claim,
                    failed.len(),
                    self.n,
                    list(&seeds),
                    self.allowed,
                    self.tolerance,
                    c.values().trim_start_matches("here "),
                    self.repro(seed)
                ),
            });
        }
    }

    fn repro(&self, seed: u64) -> String {
        format!(
            "distlab {}sim {} --seed {seed} --walkthrough",
            self.lesson_flag, self.scenario.id
        )
    }
}

/// At most ten seeds, then how many more.
fn list(seeds: &[u64]) -> String {
    let shown: Vec<String> = seeds.iter().take(10).map(u64::to_string).collect();
    match seeds.len() {
        n if n > 10 => format!("{}, … {} more", shown.join(", "), n - 10),
        _ => shown.join(", "),
    }
}

/// Words that state an outcome of a run.
const OUTCOME_WORDS: &[&str] = &[
    "lost",
    "lose",
    "loses",
    "stale",
    "duplicate",
    "failover",
    "promoted",
    "suspects",
    "suspected",
    "suspicion",
    "suspicions",
    "diverged",
    "unknown",
    "refused",
    "confirmed",
    "failed",
    "fails",
    "zero",
    "never",
    "always",
];

/// A caption that states a number or an outcome but has no claim and quotes nothing from
/// the run: nothing checks what it says.
fn warn_unchecked(scenario: &Scenario, story: &Story, warnings: &mut Vec<Finding>) {
    for (i, (step, plan)) in scenario.steps.iter().zip(&story.steps).enumerate() {
        if !plan.claims.is_empty() || plan.caption.quotes_run() {
            continue;
        }
        let text = plan.caption.literal();
        // A number stands on its own (`0.3`, `600`, `2`), not inside a name (`n2`).
        let digit = text
            .split(|c: char| c.is_whitespace() || ",;:()\"'/".contains(c))
            .any(|w| {
                let w = w.trim_end_matches(['.', '%']);
                !w.is_empty()
                    && w.chars().any(|c| c.is_ascii_digit())
                    && !w.chars().any(char::is_alphabetic)
            });
        let word = text
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .map(str::to_lowercase)
            .find(|w| OUTCOME_WORDS.contains(&w.as_str()));
        if digit || word.is_some() {
            let what = word.map_or("a number".to_owned(), |w| format!("an outcome (`{w}`)"));
            warnings.push(Finding {
                span: step.caption.span(),
                message: format!(
                    "scenario `{}`, step {}: the caption states {what} but the step has no \
                     `expect` and quotes nothing from the run (`{{...}}`), so nothing checks it",
                    scenario.id,
                    i + 1
                ),
            });
        }
    }
}
