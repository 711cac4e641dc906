//! A node's clocks: a drifting, skewed local wall clock and a Lamport clock.

/// A local wall clock: `local = true + drift accumulated at drift_ppm + skew_ms`.
///
/// Skew and drift can change while the simulation runs; the drift accumulated so far is
/// kept, so changing the drift never makes the clock jump (changing the skew does, as a
/// real clock step would).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WallClock {
    /// Offset from true time in ms (negative = behind).
    pub skew_ms: i64,
    /// Rate error in parts per million (positive = runs fast).
    pub drift_ppm: i64,
    /// Drift accumulated before `anchor_us`, in µs.
    drift_acc_us: i64,
    /// True time at which `drift_ppm` last changed.
    anchor_us: u64,
}

impl WallClock {
    /// The local reading, in µs, at true time `t_us` (may be negative before the start).
    pub fn local_us(&self, t_us: u64) -> i64 {
        let dt = t_us.saturating_sub(self.anchor_us) as i64;
        t_us as i64 + self.drift_acc_us + dt * self.drift_ppm / 1_000_000 + self.skew_ms * 1000
    }

    /// Changes the drift at true time `t_us`, keeping what has accumulated.
    pub fn set_drift(&mut self, t_us: u64, drift_ppm: i64) {
        let dt = t_us.saturating_sub(self.anchor_us) as i64;
        self.drift_acc_us += dt * self.drift_ppm / 1_000_000;
        self.anchor_us = t_us;
        self.drift_ppm = drift_ppm.clamp(-500_000, 500_000);
    }

    /// How far this clock reads from true time at `t_us`, in µs (negative: behind): the
    /// skew and the drift accumulated so far together.
    pub fn offset_us(&self, t_us: u64) -> i64 {
        self.local_us(t_us) - t_us as i64
    }

    /// Sets the clock to true time at `t_us`, as a time sync does: no offset from now on;
    /// with `clear_drift` it also runs at the true rate, otherwise it goes on drifting.
    pub fn resync(&mut self, t_us: u64, clear_drift: bool) {
        self.skew_ms = 0;
        self.drift_acc_us = 0;
        self.anchor_us = t_us;
        if clear_drift {
            self.drift_ppm = 0;
        }
    }

    /// How much true time passes while this clock advances by `local_us`.
    pub fn true_duration_us(&self, local_us: u64) -> u64 {
        // Most clocks do not drift: no 128-bit division for them (the same result).
        if self.drift_ppm == 0 {
            return local_us;
        }
        let rate = 1_000_000 + self.drift_ppm;
        (local_us as u128 * 1_000_000 / rate.max(1) as u128) as u64
    }
}

/// A Lamport clock: ticks on every local event and send, jumps past every timestamp it
/// receives; it never decreases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lamport(pub u64);

impl Lamport {
    /// A local event or a send: the clock ticks and the new value stamps it.
    pub fn tick(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }

    /// A receive of a message stamped `seen`.
    pub fn observe(&mut self, seen: u64) -> u64 {
        self.0 = self.0.max(seen) + 1;
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_and_drift() {
        let mut c = WallClock {
            skew_ms: -500,
            ..Default::default()
        };
        assert_eq!(c.local_us(1_000_000), 500_000);
        c.set_drift(1_000_000, 1000); // 0.1 % fast from t = 1 s
        assert_eq!(c.local_us(2_000_000), 1_501_000);
        c.set_drift(2_000_000, 0);
        assert_eq!(c.local_us(3_000_000), 2_501_000);
        assert_eq!(c.true_duration_us(1000), 1000);
    }

    #[test]
    fn resync_reads_true_time_and_keeps_or_clears_the_drift() {
        let mut c = WallClock {
            skew_ms: 300,
            ..Default::default()
        };
        c.set_drift(0, 2000); // 0.2 % fast
        assert_eq!(c.offset_us(10_000_000), 300_000 + 20_000);
        c.resync(10_000_000, false);
        assert_eq!(c.offset_us(10_000_000), 0);
        // Still fast: 2 ms ahead after a further second.
        assert_eq!(c.offset_us(11_000_000), 2_000);
        c.resync(11_000_000, true);
        assert_eq!(c.offset_us(11_000_000), 0);
        assert_eq!(c.offset_us(20_000_000), 0);
        assert_eq!(c.drift_ppm, 0);
    }

    #[test]
    fn lamport_never_decreases() {
        let mut l = Lamport::default();
        assert_eq!(l.tick(), 1);
        assert_eq!(l.observe(10), 11);
        assert_eq!(l.observe(3), 12);
    }
}
