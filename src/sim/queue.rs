//! The event queue: a binary min-heap ordered by (time, sequence number), so events at the
//! same instant run in the order they were scheduled — deterministically. Both are one
//! 128-bit key, so one comparison orders them.
//!
//! Hand-written rather than `std`'s `BinaryHeap` for one reason: std's sift writes the new
//! element into the vector and then reads it back as a whole, and when the element was
//! just built from narrower fields (an enum's tag, a `u8`, a `u32`) that wide read cannot
//! be forwarded from the narrow stores and stalls the pipeline. Here the element moving
//! through the heap stays in a local and is written once, where it lands; only the keys of
//! the entries it passes are read. (Tried and slower on the async-drop trials here: a
//! 4-ary heap, by 14%; first-in-first-out lanes beside the heap for the timers that are
//! always set the same time ahead, by 15%, the lanes' fronts costing more to compare than
//! the smaller heap saved.)

/// An item and its place in the order: the time in the high 64 bits of `key`, the
/// sequence number in the low ones, so one comparison orders both.
#[derive(Clone, Copy)]
struct Entry<T> {
    key: u128,
    item: T,
}

/// A priority queue of `T` by time, ties broken by insertion order.
#[derive(Clone)]
pub struct Queue<T> {
    /// `heap[i].key <= heap[2i+1].key` and `<= heap[2i+2].key`.
    heap: Vec<Entry<T>>,
    seq: u64,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self {
            heap: Vec::new(),
            seq: 0,
        }
    }
}

impl<T: Copy> Queue<T> {
    pub fn push(&mut self, at_us: u64, item: T) {
        self.seq += 1;
        let new = Entry {
            key: (u128::from(at_us) << 64) | u128::from(self.seq),
            item,
        };
        let pos = self.heap.len();
        // A slot for it; it is overwritten below, never read.
        self.heap.push(new);
        self.lift(pos, new);
    }

    /// Puts `new` in the hole at `pos` or above it, where it belongs: the parents later
    /// than it move down, and it is written once.
    fn lift(&mut self, mut pos: usize, new: Entry<T>) {
        while pos > 0 {
            let parent = (pos - 1) / 2;
            if self.heap[parent].key <= new.key {
                break;
            }
            self.heap[pos] = self.heap[parent];
            pos = parent;
        }
        self.heap[pos] = new;
    }

    /// Takes the place in the order that an item pushed now would have, without pushing
    /// anything: [`Queue::push_reserved`] later puts an item there.
    pub fn reserve(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Pushes `item` at `at_us` in the place [`Queue::reserve`] gave: it pops exactly where
    /// it would have had it been pushed then.
    pub fn push_reserved(&mut self, at_us: u64, seq: u64, item: T) {
        let new = Entry {
            key: (u128::from(at_us) << 64) | u128::from(seq),
            item,
        };
        let pos = self.heap.len();
        self.heap.push(new);
        self.lift(pos, new);
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<u64> {
        self.heap.first().map(|e| (e.key >> 64) as u64)
    }

    pub fn pop(&mut self) -> Option<(u64, T)> {
        let last = self.heap.pop()?;
        let Some(&top) = self.heap.first() else {
            return Some(((last.key >> 64) as u64, last.item));
        };
        // Floyd's way: walk the hole left at the root down to a leaf along the smaller
        // children, then lift `last` from there to where it belongs (it came from the
        // bottom, so it rarely rises far).
        let n = self.heap.len();
        let mut hole = 0;
        let mut child = 1;
        while child + 1 < n {
            child += usize::from(self.heap[child + 1].key < self.heap[child].key);
            self.heap[hole] = self.heap[child];
            hole = child;
            child = 2 * hole + 1;
        }
        if child < n {
            self.heap[hole] = self.heap[child];
            hole = child;
        }
        self.lift(hole, last);
        Some(((top.key >> 64) as u64, top.item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    #[test]
    fn time_then_insertion_order() {
        let mut q = Queue::default();
        q.push(5, 'a');
        q.push(1, 'b');
        q.push(5, 'c');
        q.push(1, 'd');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, c)| c)).collect();
        assert_eq!(order, ['b', 'd', 'a', 'c']);
    }

    proptest! {
        /// Any interleaving of pushes and pops gives what a sorted model gives: the
        /// earliest time first, and among equal times the earliest pushed.
        #[test]
        fn pops_in_the_order_of_a_reference_heap(
            ops in proptest::collection::vec(proptest::option::of(0u64..50), 0..400)
        ) {
            let mut q = Queue::default();
            let mut model = BinaryHeap::new();
            for (n, op) in ops.into_iter().enumerate() {
                match op {
                    Some(at) => {
                        q.push(at, n);
                        model.push(Reverse((at, n)));
                    }
                    None => {
                        prop_assert_eq!(q.pop(), model.pop().map(|Reverse(e)| e));
                    }
                }
                prop_assert_eq!(q.peek_time(), model.peek().map(|Reverse((at, _))| *at));
            }
            while let Some(Reverse(e)) = model.pop() {
                prop_assert_eq!(q.pop(), Some(e));
            }
            prop_assert_eq!(q.pop(), None);
        }
    }
}
