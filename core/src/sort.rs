//! Stable sorting through one shared instance of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element and the comparator, so every call site
//! compiles its own copy of the whole stable sort (driftsort, its quicksort, merges and
//! small sorts: some 4 KB of wasm each). [`sort_by`] sorts positions instead, with one
//! comparator type, so all its callers share a single copy; only the short loop that
//! moves the elements into their new order is compiled per element type. The result is
//! exactly that of `sort_by` (stable, same comparator), at the cost of a `Vec<usize>`
//! and an indirect call per comparison, which the app's small sorts do not notice.

use std::cmp::Ordering;

/// Sorts `v` stably by `compare`, like `v.sort_by(compare)`.
pub fn sort_by<T>(v: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_positions(v.len(), &|a, b| compare(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `v` stably by the key `key` gives each element, like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len` in the stable order `compare` gives them. Not generic: the
/// one place the standard sort is instantiated for [`sort_by`].
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_order_as_the_standard_stable_sort() {
        let items: Vec<(u8, u32)> = (0..500u32).map(|i| ((i * 37 % 11) as u8, i)).collect();
        for n in [0, 1, 2, 3, 20, 21, 500] {
            let mut mine = items[..n].to_vec();
            let mut std = mine.clone();
            sort_by(&mut mine, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            assert_eq!(mine, std, "{n} items");
            let mut mine = items[..n].to_vec();
            let mut std = mine.clone();
            sort_by_key(&mut mine, |x| std::cmp::Reverse(x.0));
            std.sort_by_key(|x| std::cmp::Reverse(x.0));
            assert_eq!(mine, std, "{n} items, by key");
        }
    }

    #[test]
    fn moves_owned_values() {
        let mut v: Vec<String> = ["b", "a", "c", "a"].map(String::from).to_vec();
        sort_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, ["a", "a", "b", "c"]);
    }
}
