//! A bounded latency histogram: log-linear buckets (8 per power of two), so it never
//! grows however long the simulation runs.

const SUB: usize = 8;
const BUCKETS: usize = 40 * SUB;

/// Counts of values (µs) in log-linear buckets; quantiles are accurate to about 6 %.
#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    /// The exact sum of the values, for the mean.
    sum_us: u64,
    max_us: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            counts: vec![0; BUCKETS],
            total: 0,
            sum_us: 0,
            max_us: 0,
        }
    }
}

fn bucket(v: u64) -> usize {
    if v < SUB as u64 {
        return v as usize;
    }
    let exp = 63 - v.leading_zeros() as usize; // >= 3
    let sub = ((v >> (exp - 3)) as usize) & (SUB - 1);
    ((exp - 2) * SUB + sub).min(BUCKETS - 1)
}

/// The smallest value that falls in bucket `b`.
fn lower(b: usize) -> u64 {
    if b < SUB {
        return b as u64;
    }
    let exp = b / SUB + 2;
    let sub = (b % SUB) as u64;
    (SUB as u64 + sub) << (exp - 3)
}

impl Histogram {
    pub fn record(&mut self, v_us: u64) {
        self.counts[bucket(v_us)] += 1;
        self.total += 1;
        self.sum_us = self.sum_us.saturating_add(v_us);
        self.max_us = self.max_us.max(v_us);
    }

    /// The mean of the values, exactly (0 with none).
    pub fn mean_us(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.sum_us as f64 / self.total as f64
        }
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    pub fn max_us(&self) -> u64 {
        self.max_us
    }

    /// The value below which a fraction `q` of the records fall (midpoint of its bucket).
    pub fn quantile_us(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let mid = (lower(b) + lower(b + 1).max(lower(b) + 1) - 1) / 2;
                return mid.min(self.max_us);
            }
        }
        self.max_us
    }

    /// Non-empty buckets as (lower bound µs, upper bound µs, count), for drawing.
    pub fn buckets(&self) -> Vec<(u64, u64, u64)> {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(b, &c)| (lower(b), lower(b + 1), c))
            .collect()
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.sum_us = self.sum_us.saturating_add(other.sum_us);
        self.max_us = self.max_us.max(other.max_us);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_monotonic_and_quantiles_close() {
        for v in [0u64, 1, 7, 8, 9, 15, 16, 100, 1000, 123_456, u64::MAX / 2] {
            let b = bucket(v);
            assert!(lower(b) <= v, "{v}");
            if b + 1 < BUCKETS {
                assert!(v < lower(b + 1), "{v}");
            }
        }
        let mut h = Histogram::default();
        for v in 1..=10_000u64 {
            h.record(v * 10);
        }
        let p50 = h.quantile_us(0.5) as f64;
        let p99 = h.quantile_us(0.99) as f64;
        assert!((p50 / 50_000.0 - 1.0).abs() < 0.07, "{p50}");
        assert!((p99 / 99_000.0 - 1.0).abs() < 0.07, "{p99}");
        assert_eq!(h.count(), 10_000);
    }
}
