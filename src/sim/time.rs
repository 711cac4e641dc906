//! Simulated time for people: the one place µs become milliseconds or seconds. Every
//! screen, summary and narration line formats time through these, so the same instant
//! reads the same everywhere.

/// Whole milliseconds in `us` microseconds, rounded down: `1_999` → `1`.
pub const fn ms(us: u64) -> u64 {
    us / 1000
}

/// Milliseconds in `us` microseconds, with the fraction: `1_500` → `1.5`.
pub fn ms_f64(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// Whole seconds in `us` microseconds, rounded down.
pub const fn whole_secs(us: u64) -> u64 {
    us / 1_000_000
}

/// Seconds to the millisecond, rounded down, with a sign when negative: `1.204s`,
/// `-0.250s` (a clock skewed behind).
pub fn secs(us: i64) -> String {
    let sign = if us < 0 { "-" } else { "" };
    let us = us.unsigned_abs();
    format!("{sign}{}.{:03}s", whole_secs(us), ms(us) % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unit_rounds_down() {
        assert_eq!(ms(1_999), 1);
        assert_eq!(ms_f64(1_500), 1.5);
        assert_eq!(whole_secs(2_999_999), 2);
        assert_eq!(secs(1_204_999), "1.204s");
        assert_eq!(secs(0), "0.000s");
        assert_eq!(secs(-250_000), "-0.250s");
        assert_eq!(secs(12_000_001), "12.000s");
    }
}
