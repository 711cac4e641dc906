//! The lesson's sweeps, checked without running them: the scenario exists, every row's
//! parameters build a simulation, and every claim parses and names outcomes, varied
//! parameters and values the sweep has. (`distlab check` then runs them and checks the
//! claims.)

use super::Checker;
use crate::lesson::model::{Lesson, Sweep, SweepClaim};
use crate::lesson::schema::TRIALS_PER_SWEEP_ROW_MAX;
use crate::sim::sweep::{Axis, OUTCOMES, ROWS_MAX, axes, grid};
use crate::sim::{Expect, Sim};

pub(super) fn check(c: &mut Checker<'_>, l: &Lesson) {
    c.unique_ids(l.sweeps.iter().map(|s| &s.id), "sweep");
    for s in &l.sweeps {
        c.named("sweeps", &[("title", &s.title), ("caption", &s.caption)]);
        check_sweep(c, l, s);
    }
}

fn check_sweep(c: &mut Checker<'_>, l: &Lesson, s: &Sweep) {
    let Some(sc) = l.scenarios.iter().find(|x| x.id == s.scenario.as_str()) else {
        let ids: Vec<&str> = l.scenarios.iter().map(|x| x.id.as_str()).collect();
        c.report(
            &s.scenario,
            format!(
                "sweep `{}` runs scenario `{}`, which this lesson does not define; scenarios: {}",
                s.id,
                s.scenario,
                ids.join(", ")
            ),
        );
        return;
    };
    if let Some(n) = s.trials
        && !(1..=TRIALS_PER_SWEEP_ROW_MAX).contains(&n)
    {
        c.report(
            &s.id,
            format!(
                "sweep `{}` asks for {n} trials a row; expected 1 to {TRIALS_PER_SWEEP_ROW_MAX}",
                s.id
            ),
        );
    }
    let at = s.vary.first().unwrap_or(&s.id);
    let axes = match axes(&s.vary) {
        Ok(a) => a,
        Err(e) => {
            c.report(
                at,
                format!("sweep `{}`: {}", s.id, e.replace("--vary ", "vary ")),
            );
            return;
        }
    };
    let rows = grid(&axes);
    if rows.len() > ROWS_MAX {
        c.report(
            at,
            format!(
                "sweep `{}` has {} rows; at most {ROWS_MAX}: vary fewer values",
                s.id,
                rows.len()
            ),
        );
        return;
    }
    for row in &rows {
        let mut table = toml::Table::new();
        for (k, v) in row {
            table.insert(k.clone(), toml::Value::String(v.clone()));
        }
        if let Err(e) = Sim::template(sc, &table) {
            let shown: Vec<String> = row.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let place = (s.vary.iter())
                .zip(&axes)
                .find(|(_, a)| row.iter().any(|(k, _)| *k == a.key))
                .map_or(at, |(t, _)| t);
            c.report(
                place,
                format!("sweep `{}` at {}: {e}", s.id, shown.join(" ")),
            );
            return;
        }
    }
    for claim in &s.claims {
        check_claim(c, s, &axes, claim);
    }
}

fn check_claim(c: &mut Checker<'_>, s: &Sweep, axes: &[Axis], claim: &SweepClaim) {
    let given: Vec<&crate::sanitize::Text> = [&claim.expect, &claim.rises, &claim.falls]
        .into_iter()
        .flatten()
        .collect();
    let Some(&what) = given.first() else {
        let at = claim.rows.as_ref().unwrap_or(&s.id);
        c.report(
            at,
            format!(
                "a claim of sweep `{}` says nothing: give one of expect, rises, falls",
                s.id
            ),
        );
        return;
    };
    if given.len() > 1 {
        c.report(
            given[1],
            format!(
                "a claim of sweep `{}` gives more than one of expect, rises, falls; one claim \
                 says one thing",
                s.id
            ),
        );
        return;
    }
    let fixed = match &claim.rows {
        Some(rows) => match parse_rows(rows, axes) {
            Ok(f) => f,
            Err(e) => {
                c.report(rows, format!("sweep `{}`: {e}", s.id));
                return;
            }
        },
        None => Vec::new(),
    };
    if let Some(expect) = &claim.expect {
        if let Err(e) = Expect::parse_over(expect, OUTCOMES) {
            c.report(expect, format!("sweep `{}`: {e}", s.id));
        }
        return;
    }
    if !OUTCOMES.contains(&what.as_str()) {
        c.report(
            what,
            format!(
                "sweep `{}`: `{what}` is not an outcome of a sweep; outcomes: {}",
                s.id,
                OUTCOMES.join(", ")
            ),
        );
    } else if along(axes, &fixed).is_none() {
        c.report(
            what,
            format!(
                "sweep `{}`: a trend needs a varied parameter the claim's `where` leaves free",
                s.id
            ),
        );
    }
}

/// `where`'s `KEY=VALUE` pairs, each naming a varied parameter and one of its values.
pub fn parse_rows(text: &str, axes: &[Axis]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for pair in text.split_whitespace() {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(format!("where: expected KEY=VALUE pairs, found `{pair}`"));
        };
        let Some(axis) = axes.iter().find(|a| a.key == k) else {
            let keys: Vec<&str> = axes.iter().map(|a| a.key.as_str()).collect();
            return Err(format!(
                "where: `{k}` is not varied by this sweep; varied: {}",
                keys.join(", ")
            ));
        };
        if !axis.values.iter().any(|x| x == v) {
            return Err(format!(
                "where: `{k}` takes {} in this sweep, not `{v}`",
                axis.values.join(", ")
            ));
        }
        out.push((k.to_owned(), v.to_owned()));
    }
    Ok(out)
}

/// The parameter a trend runs along: the first varied one that `fixed` does not fix.
pub fn along<'a>(axes: &'a [Axis], fixed: &[(String, String)]) -> Option<&'a Axis> {
    axes.iter()
        .find(|a| !fixed.iter().any(|(k, _)| *k == a.key))
}
