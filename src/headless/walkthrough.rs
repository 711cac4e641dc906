//! `distlab sim ID --walkthrough`: the walkthrough run headless, so a teacher can check a
//! story without the terminal app. Each step prints a marker where it pauses, with the
//! event it paused on, its caption as the lab shows it, and every claim with the value
//! computed (in `--json`, one object per step, `"type": "step"`).

use serde_json::{Value, json};

use crate::sim::narrate::{fmt_time, narrate};
use crate::sim::story::{Arrival, Checked, Story, Target};

/// How step `a` was reached, as written in the lesson: `at 5.000 s` or `until failover`.
fn reached(story: &Story, a: &Arrival) -> String {
    match &story.steps[a.step].target {
        Target::At(t) => format!("at {}", fmt_time(*t)),
        Target::Until(anchor) => format!("until {anchor}"),
    }
}

/// The step's marker, for the narrated output.
pub fn text(story: &Story, names: &[String], seed: u64, a: &Arrival) -> String {
    let how = match &story.steps[a.step].target {
        Target::At(_) => String::new(),
        Target::Until(anchor) => format!(" · until {anchor}"),
    };
    let mut out = format!(
        "── step {}/{} · {}{how} ──",
        a.step + 1,
        story.steps.len(),
        fmt_time(a.t_us),
    );
    if let Some(e) = &a.anchor {
        out.push_str(&format!("\n   ⚑ paused on: {}", narrate(names, e)));
    }
    if let Some(why) = a.not_reached(story, seed) {
        out.push_str(&format!("\n   ✗ {why}"));
        return out;
    }
    if a.late {
        out.push_str("\n   ✗ the step's time had already passed when the step before it paused");
    }
    out.push_str(&format!("\n   {}", a.caption));
    for c in &a.claims {
        out.push_str(&format!("\n   {}", c.line()));
    }
    out
}

/// The step as one JSON object.
pub fn json(story: &Story, names: &[String], a: &Arrival) -> String {
    json!({
        "type": "step",
        "step": a.step + 1,
        "of": story.steps.len(),
        "t_us": a.t_us,
        "reached": reached(story, a),
        "event": a.anchor.as_ref().map(|e| narrate(names, e)),
        "missed": a.missed,
        "late": a.late,
        "stranded": a.stranded,
        "caption": a.caption,
        "claims": claims_json(&a.claims),
        "held": a.true_here(),
    })
    .to_string()
}

/// The end-of-run claims (the notice's), as text lines or one JSON object.
pub fn end(claims: &[Checked], as_json: bool) -> Option<String> {
    if claims.is_empty() {
        return None;
    }
    Some(if as_json {
        json!({"type": "end", "claims": claims_json(claims), "held": claims.iter().all(|c| c.held)})
            .to_string()
    } else {
        let lines: Vec<String> = claims.iter().map(|c| format!("   {}", c.line())).collect();
        format!("── end of the run ──\n{}", lines.join("\n"))
    })
}

fn claims_json(claims: &[Checked]) -> Value {
    Value::Array(
        claims
            .iter()
            .map(|c| json!({"claim": c.claim, "value": c.value, "held": c.held}))
            .collect(),
    )
}
