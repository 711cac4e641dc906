//! Questions that use the lab, in plain text: a diagnose question's heartbeat view (shown
//! with the question), and what the simulator computed (shown after the answer).

use crate::lesson::{Lesson, Question, QuestionKind};
use crate::quiz::lab_question::{self, LabRun};
use crate::sim::{Sim, Status};

/// A regular run of more heartbeats than this is shortened to its ends around an ellipsis.
const RUN_SHOWN_MAX: usize = 6;

/// The lab's part of one question, ready to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabText {
    /// Diagnose questions: the observer's view of the subject's heartbeats, on one line.
    pub view: Option<String>,
    /// What the simulator computed, line by line: the run, each claim with its value, and for
    /// a diagnose question what really happened to the subject.
    pub outcome: Vec<String>,
}

/// Runs `q` if it uses the lab (`None` for an ordinary question). A run that fails still
/// gives a line saying so, so the quiz goes on.
pub fn lab_text(lesson: &Lesson, q: &Question) -> Option<LabText> {
    if !lab_question::uses_lab(q) {
        return None;
    }
    let run = match lab_question::run(lesson, q) {
        Ok(run) => run,
        Err(e) => {
            return Some(LabText {
                view: None,
                outcome: vec![format!("The lab could not run this question: {e}")],
            });
        }
    };
    let until_us = until_us(q, &run);
    let mut outcome = vec![format!(
        "The simulator ran {}{} (seed {}, until {} s):",
        q.scenario.as_deref().unwrap_or("?"),
        overrides(q),
        q.seed.unwrap_or(1),
        secs(until_us)
    )];
    outcome.extend(run.explain_plain().into_iter().map(|l| format!("  {l}")));
    let mut view = None;
    if let (QuestionKind::Diagnose, Some(observer), Some(subject)) =
        (q.kind, q.observer.as_deref(), q.subject.as_deref())
    {
        let seen: Vec<u64> = (run.heartbeats_us.iter().copied())
            .filter(|&t| t <= until_us)
            .collect();
        let numbers = &run.heartbeat_numbers[..seen.len().min(run.heartbeat_numbers.len())];
        let period_us = run.sim.params().heartbeat_ms.saturating_mul(1000);
        view = Some(heartbeat_view(
            observer, subject, &seen, numbers, period_us, until_us,
        ));
        outcome.push(format!("  {}", truth(lesson, q, until_us)));
    }
    Some(LabText { view, outcome })
}

/// The end of the question's run in µs: its `until_ms`, or the scenario's duration.
fn until_us(q: &Question, run: &LabRun) -> u64 {
    q.until_ms
        .unwrap_or_else(|| run.sim.params().duration_ms)
        .saturating_mul(1000)
}

/// ` with drop = 0.4, keys = 8`, or nothing without overrides.
fn overrides(q: &Question) -> String {
    if q.set.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = q.set.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!(" with {}", pairs.join(", "))
}

/// `monitor's view of node-3's heartbeats (...): 0.23 0.43 0.62 … 10.63 10.83 s, then none
/// until 12 s.` Long regular stretches are shortened to their ends; irregular arrivals
/// (several close together) are all shown; a silence longer than two periods is named.
pub fn heartbeat_view(
    observer: &str,
    subject: &str,
    arrivals_us: &[u64],
    numbers: &[u64],
    period_us: u64,
    until_us: u64,
) -> String {
    let head = format!(
        "{observer}'s view of {subject}'s heartbeats (arrival times, true time; {subject} \
         sends one every {} s):",
        secs(period_us)
    );
    let Some(&last) = arrivals_us.last() else {
        return format!("{head} none until {} s.", secs(until_us));
    };
    let silence_us = period_us.saturating_mul(2).max(1);
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..=arrivals_us.len() {
        let gap = (arrivals_us.get(i)).map(|&t| t.saturating_sub(arrivals_us[i - 1]));
        if gap.is_none_or(|g| g > silence_us) {
            let then = if start > 0 { "then " } else { "" };
            let times = compact(&arrivals_us[start..i], period_us).join(" ");
            parts.push(format!("{then}{times} s"));
            if let Some(g) = gap {
                // The heartbeats' own numbers say whether the silent ones were late or lost.
                let around = match (numbers.get(i - 1), numbers.get(i)) {
                    (Some(&a), Some(&b)) if a > 0 && b > 0 => {
                        format!(" (heartbeat #{a} before it, #{b} next)")
                    }
                    _ => String::new(),
                };
                parts.push(format!("then none for {} s{around}", secs_2(g)));
            }
            start = i;
        }
    }
    let mut line = format!("{head} {}", parts.join(", "));
    if until_us.saturating_sub(last) > silence_us {
        line.push_str(&format!(", then none until {} s", secs(until_us)));
    }
    line.push('.');
    line
}

/// The arrival times of one stretch without silences, as seconds; each run of regularly
/// spaced arrivals longer than [`RUN_SHOWN_MAX`] keeps its first three and last two around
/// one `…`.
fn compact(times_us: &[u64], period_us: u64) -> Vec<String> {
    let regular = |d: u64| d * 2 >= period_us && d * 2 <= period_us * 3;
    let mut keep = vec![true; times_us.len()];
    let mut i = 0;
    while i < times_us.len() {
        let mut j = i;
        while j + 1 < times_us.len() && regular(times_us[j + 1].saturating_sub(times_us[j])) {
            j += 1;
        }
        if j + 1 - i > RUN_SHOWN_MAX {
            keep[i + 3..j - 1].iter_mut().for_each(|k| *k = false);
        }
        i = j + 1;
    }
    let mut out = Vec::new();
    for (k, &t) in times_us.iter().enumerate() {
        if keep[k] {
            out.push(secs_2(t));
        } else if keep[k - 1] {
            out.push("…".to_owned());
        }
    }
    out
}

/// What really happened to the subject: the scenario's events that concern it up to the
/// end of the run, and its state then.
fn truth(lesson: &Lesson, q: &Question, until_us: u64) -> String {
    let (Some(observer), Some(subject)) = (q.observer.as_deref(), q.subject.as_deref()) else {
        return String::new();
    };
    let Some(scenario) = q.scenario.as_deref().and_then(|id| lesson.scenario(id)) else {
        return String::new();
    };
    let mut events: Vec<_> = (scenario.events.iter())
        .filter(|e| e.at_ms.saturating_mul(1000) <= until_us)
        .collect();
    events.sort_by_key(|e| e.at_ms);
    let mut partitioned = false;
    let mut told = Vec::new();
    for e in events {
        let words: Vec<&str> = e.command.split_whitespace().collect();
        let names_it = words
            .iter()
            .skip(1)
            .any(|w| *w == subject || *w == observer);
        let heals = words.first() == Some(&"heal") && partitioned;
        partitioned |= names_it && words.first().is_some_and(|w| w.starts_with("partition"));
        if names_it || heals {
            let what = crate::sim::Command::parse(&e.command)
                .map_or_else(|_| e.command.to_string(), |c| c.describe());
            told.push(format!(
                "{what} at {} s",
                secs(e.at_ms.saturating_mul(1000))
            ));
        }
    }
    let story = if told.is_empty() {
        format!("the scenario did nothing to {subject}")
    } else {
        format!("the scenario ran {}", and_list(&told))
    };
    let state = state_at(scenario, q, until_us, observer, subject)
        .unwrap_or_else(|e| format!("unknown ({e})"));
    format!(
        "The truth about {subject}: {story}; at {} s {subject} is {state}.",
        secs(until_us)
    )
}

/// The subject's state at `until_us`, from a run of the question's scenario to that time.
fn state_at(
    scenario: &crate::lesson::Scenario,
    q: &Question,
    until_us: u64,
    observer: &str,
    subject: &str,
) -> Result<String, String> {
    let set: toml::Table = q.set.clone().into_iter().collect();
    let mut sim =
        Sim::from_scenario_with(scenario, q.seed.unwrap_or(1), &set).map_err(|e| e.to_string())?;
    sim.run_until(until_us, &mut |_| {});
    let node = |n: &str| sim.node_id(n).ok_or_else(|| format!("no node `{n}`"));
    let (s, o) = (node(subject)?, node(observer)?);
    let slow_ms = sim.network().slow_us.get(s as usize).copied().unwrap_or(0) / 1000;
    Ok(match sim.nodes()[s as usize].status {
        Status::Crashed => "crashed".to_owned(),
        Status::Paused { until_us } => format!("paused until {} s", secs(until_us)),
        Status::Up if sim.network().is_blocked(s, o) => {
            format!("up, but cut off from {observer} by a partition")
        }
        Status::Up if slow_ms > 0 => {
            format!("up, but every message to or from it takes {slow_ms} ms longer")
        }
        Status::Up => format!("up and reachable from {observer}"),
    })
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Seconds with up to two decimals, trailing zeros dropped: `12`, `16.5`, `3.85`.
fn secs(us: u64) -> String {
    let s = secs_2(us);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Seconds with two decimals: `0.23`.
fn secs_2(us: u64) -> String {
    format!("{:.2}", us as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: u64 = 200_000;

    fn every(from_ms: u64, to_ms: u64) -> Vec<u64> {
        (from_ms..=to_ms).step_by(200).map(|t| t * 1000).collect()
    }

    #[test]
    fn a_stop_shows_the_ends_and_the_silence_until_now() {
        let v = heartbeat_view("monitor", "node-2", &every(200, 3800), &[], P, 6_000_000);
        assert_eq!(
            v,
            "monitor's view of node-2's heartbeats (arrival times, true time; node-2 sends \
             one every 0.2 s): 0.20 0.40 0.60 … 3.60 3.80 s, then none until 6 s."
        );
    }

    #[test]
    fn the_heartbeats_numbers_show_around_a_silence() {
        let mut t = every(200, 1000);
        t.extend(every(3000, 3400));
        let numbers: Vec<u64> = (1..=5).chain(15..=17).collect();
        let v = heartbeat_view("monitor", "node-4", &t, &numbers, P, 3_500_000);
        assert!(
            v.contains("then none for 2.00 s (heartbeat #5 before it, #15 next), then 3.00"),
            "{v}"
        );
    }

    #[test]
    fn a_silence_in_the_middle_is_named_and_short_runs_are_shown_whole() {
        let mut t = every(200, 1000);
        t.extend(every(3000, 3400));
        let v = heartbeat_view("monitor", "node-4", &t, &[], P, 3_500_000);
        assert!(
            v.ends_with(
                ": 0.20 0.40 0.60 0.80 1.00 s, then none for 2.00 s, then 3.00 3.20 3.40 s."
            ),
            "{v}"
        );
    }

    #[test]
    fn heartbeats_arriving_in_pairs_are_all_shown() {
        let mut t = every(200, 2000);
        t.extend([2_210_000, 2_230_000, 2_410_000, 2_420_000]);
        let v = heartbeat_view("monitor", "node-1", &t, &[], P, 2_500_000);
        assert!(
            v.ends_with(": 0.20 0.40 0.60 … 2.00 2.21 2.23 2.41 2.42 s."),
            "{v}"
        );
    }

    #[test]
    fn no_heartbeat_at_all() {
        let v = heartbeat_view("monitor", "node-1", &[], &[], P, 2_000_000);
        assert!(v.ends_with(": none until 2 s."), "{v}");
    }

    #[test]
    fn seconds_and_lists() {
        assert_eq!(secs(12_000_000), "12");
        assert_eq!(secs(16_500_000), "16.5");
        assert_eq!(secs(200_000), "0.2");
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
