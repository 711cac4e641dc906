//! Version vectors: which writes a version has seen, with several writers.
//!
//! Entry `i` counts the writes coordinated by node `i` that the version's coordinator had
//! seen when it made the version (its own included). The simulator stamps every write with
//! one in every timestamp mode, because the outcomes need to know whether two writes were
//! concurrent (neither coordinator had seen the other's write) or causally ordered; only
//! `timestamps = vector` lets the nodes use them to decide what they keep.

use std::fmt::Write as _;

use super::msg::NodeId;

/// The most coordinators a version vector has room for (`writers` is at most
/// `replicas + 1`, and `replicas` at most 6).
pub const MAX_WRITERS: usize = 7;

/// A version vector: one count per coordinating node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Vv(pub [u32; MAX_WRITERS]);

impl Vv {
    /// Everything either side has seen.
    pub fn merge(&mut self, other: &Vv) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a = (*a).max(b);
        }
    }

    /// Has `self` seen everything `other` has (`self ≥ other`, entry by entry)?
    pub fn descends(&self, other: &Vv) -> bool {
        self.0.iter().zip(other.0).all(|(a, b)| *a >= b)
    }

    /// Neither has seen all the other has.
    pub fn concurrent(&self, other: &Vv) -> bool {
        !self.descends(other) && !other.descends(self)
    }

    /// Has `self` seen write number `n` of coordinator `node`?
    pub fn has_seen(&self, node: NodeId, n: u32) -> bool {
        self.0.get(node as usize).is_some_and(|&c| c >= n)
    }

    /// The vector for a new write by `node` that has seen `self`.
    pub fn next(&self, node: NodeId) -> Vv {
        let mut v = *self;
        if let Some(c) = v.0.get_mut(node as usize) {
            *c += 1;
        }
        v
    }

    /// `[2,1]`: the first `writers` entries.
    pub fn show(&self, writers: usize) -> String {
        let mut s = String::from("[");
        for (i, c) in self
            .0
            .iter()
            .take(writers.clamp(1, MAX_WRITERS))
            .enumerate()
        {
            if i > 0 {
                s.push(',');
            }
            let _ = write!(s, "{c}");
        }
        s.push(']');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vv(a: &[u32]) -> Vv {
        let mut v = Vv::default();
        v.0[..a.len()].copy_from_slice(a);
        v
    }

    #[test]
    fn order_and_concurrency() {
        let a = vv(&[1, 0]);
        let b = vv(&[0, 1]);
        assert!(a.concurrent(&b));
        let mut c = a;
        c.merge(&b);
        let c = c.next(0);
        assert_eq!(c, vv(&[2, 1]));
        assert!(c.descends(&a) && c.descends(&b) && !a.descends(&c));
        assert!(!c.concurrent(&a));
        assert!(c.has_seen(1, 1) && !c.has_seen(1, 2) && !c.has_seen(9, 1));
        assert_eq!(c.show(2), "[2,1]");
        assert_eq!(Vv::default().show(0), "[0]");
    }
}
