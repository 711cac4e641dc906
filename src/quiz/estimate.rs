//! Estimate questions: the learner guesses a number ("how many of 100 runs lose an
//! acknowledged write?", "what will p99 be, roughly?"), and the answer is computed from many
//! runs of the question's scenario, one per seed. After the answer the learner sees the
//! distribution over the runs with the guess marked; the guess is right when it is within the
//! question's `close` of the answer.
//!
//! The runs are independent (each has its own seed), so they are spread over the cores and
//! put back in seed order: the result is the same on any machine.

use super::Guess;
use crate::lesson::{EstimateSpec, Lesson, Measure, Question};
use crate::sim::{Expect, Metrics, Sim};
use std::ops::Range;

/// Most runs an estimate question may ask for.
pub const RUNS_MAX: u64 = EstimateSpec::RUNS_MAX;

/// What the runs of an estimate question computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The outcome the distribution shows, e.g. `acked_writes_lost`: the `median` outcome,
    /// or the first one the `count` claim names.
    pub outcome: String,
    /// That outcome in each run, seeds 1 to `runs` in order.
    pub values: Vec<f64>,
    /// For a `count` question: whether the claim held in each run.
    pub held: Option<Vec<bool>>,
    /// The answer: how many runs the claim held in, or the median of `values`.
    pub answer: f64,
}

/// One bar of the distribution: runs whose value is in `lo..hi` (`lo..=hi` for the last).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub runs: usize,
}

/// The question's spec, or why it has none.
pub fn spec(q: &Question) -> Result<&EstimateSpec, String> {
    q.estimate.as_ref().ok_or_else(|| {
        format!(
            "question `{}` is an estimate question without `estimate`",
            q.id
        )
    })
}

/// Runs `q`'s scenario on seeds 1 to `runs` (its `set` and `until_ms` applied) and computes
/// the answer.
pub fn compute(lesson: &Lesson, q: &Question) -> Result<Estimate, String> {
    let spec = spec(q)?;
    let measure = spec.measure()?;
    let (scenario, set) = crate::lesson::lab_run::setup(lesson, q)?;
    if !(1..=RUNS_MAX).contains(&spec.runs) {
        return Err(format!("`runs` = {}: expected 1 to {RUNS_MAX}", spec.runs));
    }
    let run = |seed: u64| -> Result<Metrics, String> {
        let mut sim = Sim::from_scenario_with(scenario, seed, &set).map_err(|e| e.to_string())?;
        let end_us = q
            .until_ms
            .unwrap_or(sim.params().duration_ms)
            .saturating_mul(1000);
        sim.run_until(end_us, &mut |_| {});
        if sim.exhausted() {
            return Err(crate::sim::exhausted_message(&sim));
        }
        sim.finish(&mut |_| {});
        Ok(sim.metrics().clone())
    };
    let metrics = on_every_core(spec.runs, run)?;
    let outcome = match &measure {
        Measure::Count(e) => e.0.first().map(|c| c.key.clone()).unwrap_or_default(),
        Measure::Median(m) => m.clone(),
    };
    let values: Vec<f64> = metrics.iter().map(|m| value(m, &outcome)).collect();
    Ok(match measure {
        Measure::Count(e) => {
            let held: Vec<bool> = metrics.iter().map(|m| e.holds(m)).collect();
            let answer = held.iter().filter(|&&h| h).count() as f64;
            Estimate {
                outcome,
                values,
                held: Some(held),
                answer,
            }
        }
        Measure::Median(_) => Estimate {
            outcome,
            answer: median(&values),
            values,
            held: None,
        },
    })
}

/// What checking a lesson's estimate questions found: each problem at its place in the
/// file, and how many runs were made.
pub struct Checked {
    pub problems: Vec<(Range<usize>, String)>,
    pub questions: usize,
    pub runs: u64,
}

/// Makes the runs of every estimate question of `lesson` and checks its `expect` (what the
/// explanation says of the answer) against what they compute.
pub fn check(lesson: &Lesson) -> Checked {
    let mut c = Checked {
        problems: Vec::new(),
        questions: 0,
        runs: 0,
    };
    for q in lesson.questions.iter().filter(|q| q.estimate.is_some()) {
        c.questions += 1;
        let id = crate::sanitize::quote(&q.id);
        match compute(lesson, q) {
            Err(e) => c
                .problems
                .push((q.id.span(), format!("question `{id}`: {e}"))),
            Ok(e) => {
                c.runs += e.values.len() as u64;
                let Some(expect) = &q.expect else { continue };
                let Ok(claim) = Expect::parse_over(expect, &["answer"]) else {
                    continue; // reported when the lesson loads
                };
                if !claim.holds_for(&[("answer".to_owned(), e.answer)]) {
                    c.problems.push((
                        expect.span(),
                        format!(
                            "question `{id}`: the runs do not bear this out: the answer is {} \
                             (claimed {claim})",
                            crate::sim::fmt_num(e.answer)
                        ),
                    ));
                }
            }
        }
    }
    c
}

/// `run(seed)` for seeds 1 to `runs`, in seed order, spread over the available cores.
fn on_every_core<T: Send>(
    runs: u64,
    run: impl Fn(u64) -> Result<T, String> + Sync,
) -> Result<Vec<T>, String> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8) as u64;
    let mut parts: Vec<Vec<(u64, Result<T, String>)>> = Vec::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(runs))
            .map(|t| {
                let run = &run;
                s.spawn(move || {
                    (1..=runs)
                        .skip(t as usize)
                        .step_by(threads as usize)
                        .map(|seed| (seed, run(seed)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            parts.push(h.join().unwrap_or_default());
        }
    });
    let mut all: Vec<(u64, Result<T, String>)> = parts.into_iter().flatten().collect();
    if all.len() as u64 != runs {
        return Err("a run of the estimate stopped unexpectedly".into());
    }
    all.sort_by_key(|(seed, _)| *seed);
    all.into_iter()
        .map(|(seed, r)| r.map_err(|e| format!("seed {seed}: {e}")))
        .collect()
}

fn value(m: &Metrics, outcome: &str) -> f64 {
    m.values()
        .into_iter()
        .find(|(k, _)| k == outcome)
        .map_or(0.0, |(_, v)| v)
}

/// The median: the middle value, or the mean of the two middle ones.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// How far a guess is from the answer.
pub fn distance(guess: u64, answer: f64) -> f64 {
    (guess as f64 - answer).abs()
}

/// True when `guess` is close enough to `answer` to count as right.
pub fn is_close(spec: &EstimateSpec, guess: u64, answer: f64) -> bool {
    distance(guess, answer) <= spec.close as f64
}

/// Where the guess starts: the middle of the scale, on a step.
pub fn start(spec: &EstimateSpec) -> u64 {
    let step = spec.step.max(1);
    let mid = spec.min + (spec.max.saturating_sub(spec.min)) / 2;
    snap(spec, mid - (mid - spec.min) % step)
}

/// `guess` moved by `steps` steps, kept on the scale.
pub fn nudge(spec: &EstimateSpec, guess: u64, steps: i64) -> u64 {
    let delta = spec.step.max(1).saturating_mul(steps.unsigned_abs());
    let moved = if steps < 0 {
        guess.saturating_sub(delta)
    } else {
        guess.saturating_add(delta)
    };
    snap(spec, moved)
}

fn snap(spec: &EstimateSpec, v: u64) -> u64 {
    v.clamp(spec.min, spec.max.max(spec.min))
}

/// How close a guess was: `✓ Close: you said 30 runs; the runs say 38 runs (within 10 runs
/// counts as right).` or `✗ Off by 28 runs: ...`.
pub fn verdict(g: &Guess) -> String {
    let said = with_unit(g.guess as f64, &g.unit);
    let answer = with_unit(g.answer, &g.unit);
    let within = with_unit(g.close as f64, &g.unit);
    if distance(g.guess, g.answer) <= g.close as f64 {
        format!(
            "✓ Close: you said {said}; the runs say {answer} (within {within} counts as right)."
        )
    } else {
        let off = with_unit(distance(g.guess, g.answer), &g.unit);
        format!(
            "✗ Off by {off}: you said {said}; the runs say {answer} (within {within} counts as right)."
        )
    }
}

/// A number with its unit, as the learner reads it: `38 runs`, `819 ms`, `12.5 ms`.
pub fn with_unit(v: f64, unit: &str) -> String {
    let n = if (v - v.round()).abs() < 0.05 || v.abs() >= 100.0 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    };
    format!("{n}\u{a0}{unit}")
}

impl Estimate {
    /// The distribution as bars: one per value when the values are few whole numbers,
    /// else up to eight bars of a round width.
    pub fn bins(&self) -> Vec<Bin> {
        let (lo, hi) = self
            .values
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        if self.values.is_empty() {
            return Vec::new();
        }
        let whole = self.values.iter().all(|v| v.fract() == 0.0);
        if whole && hi - lo <= 12.0 {
            return (lo as i64..=hi as i64)
                .map(|v| Bin {
                    lo: v as f64,
                    hi: v as f64,
                    runs: self.values.iter().filter(|&&x| x == v as f64).count(),
                })
                .collect();
        }
        let width = round_width((hi - lo) / 8.0, whole);
        let first = (lo / width).floor() * width;
        let n = (((hi - first) / width).floor() as usize + 1).max(1);
        let mut bins: Vec<Bin> = (0..n)
            .map(|i| Bin {
                lo: first + width * i as f64,
                hi: first + width * (i + 1) as f64,
                runs: 0,
            })
            .collect();
        for &v in &self.values {
            let i = (((v - first) / width).floor() as usize).min(n - 1);
            bins[i].runs += 1;
        }
        bins
    }

    /// Lines showing the answer against the guess: how close it was, the scale with both
    /// marked, and the bars of the distribution. `width` is the room for a line.
    pub fn reveal(&self, spec: &EstimateSpec, guess: u64, width: usize) -> Reveal {
        let runs = self.values.len();
        let answer = with_unit(self.answer, &spec.unit);
        let said = with_unit(guess as f64, &spec.unit);
        let within = with_unit(spec.close as f64, &spec.unit);
        let verdict = if is_close(spec, guess, self.answer) {
            format!(
                "✓ Close: you said {said}; the runs say {answer} (within {within} counts as right)."
            )
        } else {
            format!(
                "✗ Off by {}: you said {said}; the runs say {answer} (within {within} counts as right).",
                with_unit(distance(guess, self.answer), &spec.unit),
            )
        };
        let (label, unit) = crate::sim::plain_label(&self.outcome);
        let counted = self.held.as_ref().map(|h| h.iter().filter(|&&h| h).count());
        let claim = self.counted_by(spec);
        let what = match (counted, &claim) {
            (Some(n), Some(c)) => format!(
                "{label} in each of the {runs} runs (seeds 1 to {runs}); {n} had {} {}:",
                c.op.words(),
                crate::sim::fmt_num(c.value)
            ),
            (Some(n), None) => format!(
                "{label} in each of the {runs} runs (seeds 1 to {runs}); the claim held in {n}:"
            ),
            (None, _) => format!("{label} in each of the {runs} runs (seeds 1 to {runs}):"),
        };
        let bins = self.bins();
        let most = bins.iter().map(|b| b.runs).max().unwrap_or(1).max(1);
        let whole = self.values.iter().all(|v| v.fract() == 0.0);
        let names: Vec<String> = bins
            .iter()
            .map(|b| match (b.lo == b.hi, whole) {
                (true, _) => format!("{}{unit}", num(b.lo)),
                // Whole numbers: name the values a bar holds, `6–7`, not its edges.
                (false, true) if b.hi - b.lo <= 1.0 => format!("{}{unit}", num(b.lo)),
                (false, true) => format!("{}–{}{unit}", num(b.lo), num(b.hi - 1.0)),
                (false, false) => format!("{}–{}{unit}", num(b.lo), num(b.hi)),
            })
            .collect();
        let name_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(1);
        let bar_room = width.saturating_sub(name_width + 16).clamp(6, 40);
        let last = bins.len().saturating_sub(1);
        let bars = bins
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(i, (b, name))| {
                let len = (b.runs * bar_room).div_ceil(most);
                let bar = "█".repeat(if b.runs == 0 { 0 } else { len.max(1) });
                let median = self.held.is_none() && b.holds(self.answer, i == last);
                let counts = claim
                    .as_ref()
                    .is_some_and(|c| b.lo == b.hi && c.op.holds(b.lo, c.value));
                let mark = if median {
                    "  ◀ median"
                } else if counts && b.runs > 0 {
                    "  ◀ counted"
                } else {
                    ""
                };
                format!("{name:>name_width$} │{bar} {}{mark}", b.runs)
            })
            .collect();
        Reveal {
            verdict,
            scale: scale_line(spec, guess, self.answer, width),
            what,
            bars,
        }
    }
}

impl Estimate {
    /// For a count question whose claim is one clause on the outcome drawn: that clause,
    /// so the bars it counts can be marked.
    fn counted_by(&self, spec: &EstimateSpec) -> Option<crate::sim::Clause> {
        let claim = Expect::parse(spec.count.as_deref()?).ok()?;
        match claim.0.as_slice() {
            [c] if c.key == self.outcome => Some(c.clone()),
            _ => None,
        }
    }
}

impl Bin {
    /// Whether `v` falls in this bar (`last`: the bar that also takes its upper bound).
    fn holds(&self, v: f64, last: bool) -> bool {
        if self.lo == self.hi {
            v == self.lo
        } else {
            self.lo <= v && (v < self.hi || last && v <= self.hi)
        }
    }
}

/// What [`Estimate::reveal`] shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reveal {
    /// How close the guess was.
    pub verdict: String,
    /// The scale with the guess (▲) and the answer (●) marked, and a legend line.
    pub scale: Vec<String>,
    /// What the bars show.
    pub what: String,
    /// The bars of the distribution.
    pub bars: Vec<String>,
}

/// `0 ├──▲────●──┤ 100` and under it a legend: `▲ you 10 · ● runs 38`.
/// The scale as drawn, before the answer and after it alike: `min ├────┤ max` with a track
/// as wide as `width` allows (the line is 24 to 64 columns).
pub struct Scale {
    min: f64,
    max: f64,
    /// Cells in the track between `├` and `┤`.
    pub cells: usize,
}

impl Scale {
    pub fn new(spec: &EstimateSpec, width: usize) -> Scale {
        let (min, max) = (spec.min as f64, spec.max.max(spec.min + 1) as f64);
        let cells = width
            .clamp(24, 64)
            .saturating_sub(num(min).len() + num(max).len() + 4)
            .max(10);
        Scale { min, max, cells }
    }

    /// The track cell a value falls in.
    pub fn cell(&self, v: f64) -> usize {
        let (min, max) = (self.min, self.max);
        (((v.clamp(min, max) - min) / (max - min)) * (self.cells - 1) as f64).round() as usize
    }

    /// What stands left of the track (`0 ├`) and right of it (`┤ 100`).
    pub fn ends(&self) -> (String, String) {
        (
            format!("{} ├", num(self.min)),
            format!("┤ {}", num(self.max)),
        )
    }
}

/// The scale with the guess (▲) and the answer (●) marked, and a legend line.
fn scale_line(spec: &EstimateSpec, guess: u64, answer: f64, width: usize) -> Vec<String> {
    let scale = Scale::new(spec, width);
    let mut line: Vec<char> = vec!['─'; scale.cells];
    let (g, a) = (scale.cell(guess as f64), scale.cell(answer));
    line[a] = '●';
    line[g] = if g == a { '◆' } else { '▲' };
    let (left, right) = scale.ends();
    let line: String = line.into_iter().collect();
    vec![
        format!("{left}{line}{right}"),
        format!(
            "▲ your guess {} · ● the answer {}{}",
            with_unit(guess as f64, &spec.unit),
            with_unit(answer, &spec.unit),
            if g == a { " · ◆ both" } else { "" }
        ),
    ]
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 || v.abs() >= 100.0 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A bar width near `raw` of the form 1, 2 or 5 times a power of ten (at least 1 for
/// whole numbers).
fn round_width(raw: f64, whole: bool) -> f64 {
    let raw = if raw > 0.0 { raw } else { 1.0 };
    let p = 10f64.powf(raw.log10().floor());
    let w = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&w| w >= raw)
        .unwrap_or(10.0 * p);
    if whole { w.max(1.0).round() } else { w }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(min: u64, max: u64, step: u64, close: u64) -> EstimateSpec {
        EstimateSpec {
            runs: 100,
            count: None,
            median: Some(crate::lesson::Text::new("p99_ack_ms")),
            min,
            max,
            step,
            close,
            unit: crate::lesson::Text::new("ms"),
        }
    }

    #[test]
    fn median_is_the_middle_or_the_mean_of_the_two_middle_values() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn closeness_is_the_questions_tolerance_either_side() {
        let s = spec(0, 3000, 50, 200);
        assert!(is_close(&s, 1000, 819.2));
        assert!(is_close(&s, 650, 819.2));
        assert!(!is_close(&s, 600, 819.2));
        assert!(!is_close(&s, 1050, 819.2));
    }

    #[test]
    fn the_guess_starts_mid_scale_on_a_step_and_stays_on_the_scale() {
        let s = spec(0, 3000, 50, 200);
        assert_eq!(start(&s), 1500);
        assert_eq!(nudge(&s, 1500, 1), 1550);
        assert_eq!(nudge(&s, 1500, -10), 1000);
        assert_eq!(nudge(&s, 100, -10), 0);
        assert_eq!(nudge(&s, 2900, 10), 3000);
        let odd = spec(5, 40, 5, 4);
        assert_eq!(start(&odd), 20);
    }

    #[test]
    fn few_whole_values_get_a_bar_each_and_many_get_round_bins() {
        let e = Estimate {
            outcome: "acked_writes_lost".into(),
            values: vec![0.0, 0.0, 1.0, 3.0],
            held: Some(vec![false, false, true, true]),
            answer: 2.0,
        };
        let bins = e.bins();
        assert_eq!(bins.len(), 4);
        assert_eq!(
            bins.iter().map(|b| b.runs).collect::<Vec<_>>(),
            [2, 1, 0, 1]
        );
        let wide = Estimate {
            outcome: "p99_ack_ms".into(),
            values: (0..100).map(|i| 500.0 + 10.0 * f64::from(i)).collect(),
            held: None,
            answer: 995.0,
        };
        let bins = wide.bins();
        assert!(bins.len() <= 9, "{bins:?}");
        assert_eq!(bins.iter().map(|b| b.runs).sum::<usize>(), 100);
        assert!(bins.windows(2).all(|w| w[0].hi == w[1].lo));
        assert_eq!(bins[0].hi - bins[0].lo, 200.0);
    }

    #[test]
    fn the_reveal_marks_the_guess_and_the_answer_and_judges_closeness() {
        let e = Estimate {
            outcome: "p99_ack_ms".into(),
            values: vec![700.0, 800.0, 900.0],
            held: None,
            answer: 800.0,
        };
        let s = spec(0, 3000, 50, 200);
        let r = e.reveal(&s, 1500, 60);
        assert!(
            r.verdict.starts_with("✗ Off by 700\u{a0}ms"),
            "{}",
            r.verdict
        );
        assert!(r.scale[0].contains('▲') && r.scale[0].contains('●'));
        assert!(
            r.bars.iter().any(|b| b.ends_with("◀ median")),
            "{:?}",
            r.bars
        );
        let r = e.reveal(&s, 850, 60);
        assert!(r.verdict.starts_with("✓ Close"), "{}", r.verdict);
    }
}
