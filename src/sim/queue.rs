//! The event queue: a binary heap ordered by (time, sequence number), so events at the
//! same instant run in the order they were scheduled — deterministically.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Clone)]
struct Entry<T> {
    at_us: u64,
    seq: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, o: &Self) -> bool {
        (self.at_us, self.seq) == (o.at_us, o.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed: the heap is a max-heap and we want the earliest first.
        (o.at_us, o.seq).cmp(&(self.at_us, self.seq))
    }
}

/// A priority queue of `T` by time, ties broken by insertion order.
#[derive(Clone)]
pub struct Queue<T> {
    heap: BinaryHeap<Entry<T>>,
    seq: u64,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }
}

impl<T> Queue<T> {
    pub fn push(&mut self, at_us: u64, item: T) {
        self.seq += 1;
        self.heap.push(Entry {
            at_us,
            seq: self.seq,
            item,
        });
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<u64> {
        self.heap.peek().map(|e| e.at_us)
    }

    pub fn pop(&mut self) -> Option<(u64, T)> {
        self.heap.pop().map(|e| (e.at_us, e.item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
