//! An interval index over ranges kept sorted by start (as the editor keeps its spans):
//! which ranges overlap a stretch of the text, in O(log n + k · log n) for k answers,
//! instead of a pass over every range.
//!
//! It is a segment tree over the ranges in their order, each node holding the largest
//! end below it. A query takes the ranges starting before the stretch's end (a binary
//! search, since they are sorted by start) and walks down only into nodes whose largest
//! end reaches past the stretch's start. Building it is one pass, O(n).

use std::ops::Range;

/// The index of a list of ranges sorted by start. It stores positions in that list,
/// so it must be rebuilt whenever the list changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntervalIndex {
    starts: Vec<usize>,
    /// The segment tree: node 1 is the root, node `i` has children `2i` and `2i + 1`,
    /// and the leaves `leaves..leaves + n` are the ranges' ends.
    max_end: Vec<usize>,
    leaves: usize,
}

impl IntervalIndex {
    /// Indexes `ranges`, which must be sorted by start.
    pub fn new(ranges: impl ExactSizeIterator<Item = Range<usize>>) -> Self {
        let n = ranges.len();
        let leaves = n.next_power_of_two().max(1);
        let mut starts = Vec::with_capacity(n);
        let mut max_end = vec![0; 2 * leaves];
        for (i, r) in ranges.enumerate() {
            debug_assert!(starts.last().is_none_or(|&s| s <= r.start), "sorted");
            starts.push(r.start);
            max_end[leaves + i] = r.end;
        }
        for i in (1..leaves).rev() {
            max_end[i] = max_end[2 * i].max(max_end[2 * i + 1]);
        }
        IntervalIndex {
            starts,
            max_end,
            leaves,
        }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The positions (in ascending order) of the ranges that overlap `stretch`: that
    /// start before its end and end after its start. An empty stretch `x..x` finds the
    /// ranges that strictly contain `x`.
    pub fn overlapping(&self, stretch: Range<usize>) -> Vec<usize> {
        let mut out = Vec::new();
        // Only ranges starting before the stretch's end can overlap it.
        let before = self.starts.partition_point(|&s| s < stretch.end);
        if before == 0 {
            return out;
        }
        // Depth-first, left to right, so positions come out in order.
        let mut stack = vec![(1usize, 0usize, self.leaves)];
        while let Some((node, lo, hi)) = stack.pop() {
            if lo >= before || self.max_end[node] <= stretch.start {
                continue;
            }
            if hi - lo == 1 {
                out.push(lo);
                continue;
            }
            let mid = (lo + hi) / 2;
            stack.push((2 * node + 1, mid, hi));
            stack.push((2 * node, lo, mid));
        }
        out
    }

    /// The positions of the ranges covering `offset` (`start <= offset < end`).
    pub fn covering(&self, offset: usize) -> Vec<usize> {
        self.overlapping(offset..offset + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(ranges: &[Range<usize>], q: &Range<usize>) -> Vec<usize> {
        (0..ranges.len())
            .filter(|&i| ranges[i].start < q.end && ranges[i].end > q.start)
            .collect()
    }

    #[test]
    fn finds_nested_and_long_ranges() {
        let ranges = [0..100, 2..5, 3..4, 10..20, 50..51];
        let index = IntervalIndex::new(ranges.iter().cloned());
        assert_eq!(index.overlapping(3..4), [0, 1, 2]);
        assert_eq!(index.overlapping(5..10), [0]);
        assert_eq!(index.overlapping(20..50), [0]);
        assert_eq!(index.covering(50), [0, 4]);
        assert_eq!(index.overlapping(100..200), Vec::<usize>::new());
        assert!(IntervalIndex::new(std::iter::empty())
            .overlapping(0..10)
            .is_empty());
    }

    proptest! {
        #[test]
        fn agrees_with_a_pass_over_every_range(
            mut raw in proptest::collection::vec((0usize..300, 1usize..60), 0..200),
            queries in proptest::collection::vec((0usize..360, 0usize..40), 1..20),
        ) {
            raw.sort();
            let ranges: Vec<Range<usize>> = raw.iter().map(|&(s, l)| s..s + l).collect();
            let index = IntervalIndex::new(ranges.iter().cloned());
            for (s, l) in queries {
                let q = s..s + l;
                prop_assert_eq!(index.overlapping(q.clone()), brute(&ranges, &q));
            }
        }
    }
}
