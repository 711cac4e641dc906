//! lessons/FORMAT.md states the bounds the code enforces: each parameter's row is the one
//! `sim::SPECS` describes, and every limit on simulated time and events is written there.

use distlab::lesson::LAB_EVENTS_MAX;
use distlab::sim::{
    AT_MS_MAX, DRIFT_MAX_PPM, EVENTS_MAX, PAUSE_MAX_MS, SKEW_MAX_MS, SLOW_MAX_MS, SPECS,
};

const FORMAT: &str = include_str!("../lessons/FORMAT.md");

/// `5000000` as the prose writes it: `5 000 000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[test]
fn every_parameter_row_is_the_spec() {
    for s in SPECS {
        let row = format!(
            "| `{}` | {} | `{}` | {} |",
            s.key,
            s.ty.replace('|', "\\|"),
            s.default,
            s.meaning
        );
        assert!(FORMAT.contains(&row), "FORMAT.md lacks the row\n{row}");
    }
}

#[test]
fn every_bound_is_documented() {
    for text in [
        format!("integer 0..={AT_MS_MAX}"),
        format!("{}..={}", -DRIFT_MAX_PPM, DRIFT_MAX_PPM),
        format!("{}..={}", -SKEW_MAX_MS, SKEW_MAX_MS),
        format!("MS, 0..={PAUSE_MAX_MS}"),
        format!("MS, 0..={SLOW_MAX_MS}"),
        format!("at most a day ({} ms)", grouped(AT_MS_MAX)),
        format!("stops at {} simulated events", grouped(EVENTS_MAX)),
        format!("at most {} events", grouped(LAB_EVENTS_MAX)),
        format!("need more than {LAB_EVENTS_MAX}"),
    ] {
        assert!(FORMAT.contains(&text), "FORMAT.md does not say `{text}`");
    }
    assert!(
        FORMAT.contains("`until_ms` | integer 0..=86400000"),
        "until_ms bound"
    );
}
