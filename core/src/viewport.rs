//! Which paragraphs to draw: the view draws only the paragraphs near the viewport, with
//! a spacer above and below standing in for the rest. This is the arithmetic of it:
//! each paragraph's height (measured once drawn, estimated from its length until then)
//! and the paragraphs that fall in a band of the page.

use std::ops::Range;

/// A text shorter than this (UTF-16 units; most news articles are a few thousand) is
/// drawn whole: it costs the page little, and the browser's own find in page then
/// sees all of it.
pub const DRAW_WHOLE_UNDER: u64 = 32_768;

/// The paragraphs' heights in pixels, and where each one starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Heights {
    /// Each paragraph's length in UTF-16 units, for its estimate.
    lengths: Vec<u32>,
    /// The text is shorter than [`DRAW_WHOLE_UNDER`].
    short: bool,
    /// The measured height of each paragraph drawn so far (margin included).
    measured: Vec<Option<f32>>,
    /// The height of one line of text and the space below a paragraph.
    line: f64,
    gap: f64,
    /// Characters on a full line, learnt from the paragraphs measured.
    chars_per_line: f64,
    /// Lines and characters seen in measured paragraphs of more than one line.
    learnt: (f64, f64),
    /// `tops[i]` is where paragraph `i` starts; `tops[n]` is the total. Rebuilt when a
    /// height changes (O(n) additions, for a few thousand paragraphs a few microseconds).
    tops: Vec<f64>,
}

impl Heights {
    /// Heights for paragraphs of these lengths (UTF-16 units), estimated for lines of
    /// `line` pixels, `gap` pixels between paragraphs and about `chars_per_line`
    /// characters on a line.
    pub fn new(lengths: Vec<u32>, line: f64, gap: f64, chars_per_line: f64) -> Self {
        let mut h = Heights {
            short: is_short(&lengths),
            measured: vec![None; lengths.len()],
            lengths,
            line,
            gap,
            chars_per_line: chars_per_line.max(1.0),
            learnt: (0.0, 0.0),
            tops: Vec::new(),
        };
        h.rebuild();
        h
    }

    /// Starts over for another text (paragraphs of these lengths), keeping what was
    /// learnt about the page's lines.
    pub fn reset(&mut self, lengths: Vec<u32>) {
        self.measured = vec![None; lengths.len()];
        self.short = is_short(&lengths);
        self.lengths = lengths;
        self.learnt = (0.0, 0.0);
        self.rebuild();
    }

    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Whether the text is short enough to draw whole ([`DRAW_WHOLE_UNDER`]).
    pub fn short(&self) -> bool {
        self.short
    }

    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// The line height and gap as the page draws them (from its computed style).
    pub fn set_metrics(&mut self, line: f64, gap: f64) {
        if (line - self.line).abs() > 0.01 || (gap - self.gap).abs() > 0.01 {
            self.line = line;
            self.gap = gap;
            self.rebuild();
        }
    }

    /// Forgets every measurement (the text's width changed): estimates again.
    pub fn forget(&mut self) {
        self.measured.iter_mut().for_each(|m| *m = None);
        self.learnt = (0.0, 0.0);
        self.rebuild();
    }

    /// Records the drawn height of paragraphs (index, pixels). Returns whether any
    /// height changed, that is whether the spacers must change too.
    pub fn measure(&mut self, drawn: impl IntoIterator<Item = (usize, f64)>) -> bool {
        let mut changed = false;
        for (i, px) in drawn {
            let Some(slot) = self.measured.get_mut(i) else {
                continue;
            };
            if slot.is_some_and(|old| (f64::from(old) - px).abs() < 0.5) {
                continue;
            }
            if slot.is_none() && self.line > 0.0 {
                let lines = ((px - self.gap) / self.line).round();
                if lines >= 2.0 {
                    // The last line is half full on average.
                    self.learnt.0 += lines - 0.5;
                    self.learnt.1 += f64::from(self.lengths[i]);
                }
            }
            *slot = Some(px as f32);
            changed = true;
        }
        if changed {
            if self.learnt.0 > 0.0 {
                self.chars_per_line = (self.learnt.1 / self.learnt.0).max(1.0);
            }
            self.rebuild();
        }
        changed
    }

    /// A paragraph's height: measured, or estimated from its length.
    pub fn height(&self, i: usize) -> f64 {
        match self.measured[i] {
            Some(px) => f64::from(px),
            None => {
                let lines = (f64::from(self.lengths[i]) / self.chars_per_line)
                    .ceil()
                    .max(1.0);
                lines * self.line + self.gap
            }
        }
    }

    /// Where paragraph `i` starts, from the top of the first (`i` may be the count:
    /// the total height).
    pub fn top(&self, i: usize) -> f64 {
        self.tops[i.min(self.lengths.len())]
    }

    pub fn total(&self) -> f64 {
        self.top(self.lengths.len())
    }

    /// The paragraph at height `y` (the first or the last one beyond the ends).
    pub fn at(&self, y: f64) -> usize {
        let after = self.tops[1..].partition_point(|&bottom| bottom <= y);
        after.min(self.lengths.len().saturating_sub(1))
    }

    /// The paragraphs that cover the band `top..bottom` (pixels from the first
    /// paragraph's top).
    pub fn band(&self, top: f64, bottom: f64) -> Range<usize> {
        if self.lengths.is_empty() {
            return 0..0;
        }
        self.at(top)..self.at(bottom.max(top)) + 1
    }

    fn rebuild(&mut self) {
        let mut tops = Vec::with_capacity(self.lengths.len() + 1);
        let mut y = 0.0;
        tops.push(y);
        for i in 0..self.lengths.len() {
            y += self.height(i);
            tops.push(y);
        }
        self.tops = tops;
    }
}

fn is_short(lengths: &[u32]) -> bool {
    lengths.iter().map(|&l| u64::from(l)).sum::<u64>() < DRAW_WHOLE_UNDER
}

/// The paragraphs to draw: those in `visible`, and every paragraph that holds an end
/// of the user's text selection (`keep`), so that a selection being made is never taken
/// out of the page. One contiguous run of the `count` paragraphs, as the spacers stand
/// for what is before and after it.
pub fn window(visible: Range<usize>, count: usize, keep: &[usize]) -> Range<usize> {
    let mut start = visible.start;
    let mut end = visible.end.min(count);
    for &k in keep.iter().filter(|&&k| k < count) {
        start = start.min(k);
        end = end.max(k + 1);
    }
    start.min(end)..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_until_measured_then_learns_the_line_length() {
        // Lines of 20 px, 5 px below each paragraph, 100 characters a line assumed.
        let mut h = Heights::new(vec![0, 150, 400, 50], 20.0, 5.0, 100.0);
        assert_eq!(h.height(0), 25.0, "a blank line is one line high");
        assert_eq!(h.height(1), 45.0);
        assert_eq!(h.top(2), 70.0);
        assert_eq!(h.total(), 70.0 + 85.0 + 25.0);
        // Paragraph 2 drawn: 8 lines, so about 53 characters a line, not 100.
        assert!(h.measure([(2, 165.0)]));
        assert!(!h.measure([(2, 165.2)]), "a sub-pixel change is no change");
        assert_eq!(h.height(2), 165.0);
        assert_eq!(
            h.height(1),
            3.0 * 20.0 + 5.0,
            "150 characters are now 3 lines"
        );
        // A new width: measured heights are gone, the estimate is from the last lines.
        h.forget();
        assert!(h.measure([(3, 25.0)]));
        assert_eq!(h.height(2), 8.0 * 20.0 + 5.0);
        assert_eq!(h.height(3), 25.0);
    }

    #[test]
    fn short_texts_are_drawn_whole() {
        assert!(Heights::new(vec![4_000; 8], 20.0, 0.0, 100.0).short());
        assert!(!Heights::new(vec![4_000; 9], 20.0, 0.0, 100.0).short());
    }

    #[test]
    fn finds_the_paragraphs_in_a_band() {
        let h = Heights::new(vec![10; 100], 20.0, 0.0, 100.0);
        assert_eq!(h.at(0.0), 0);
        assert_eq!(h.at(19.9), 0);
        assert_eq!(h.at(20.0), 1);
        assert_eq!(h.at(1e9), 99);
        assert_eq!(h.band(100.0, 300.0), 5..16);
        assert_eq!(h.band(-50.0, 10.0), 0..1);
        assert_eq!(
            Heights::new(vec![], 20.0, 0.0, 100.0).band(0.0, 100.0),
            0..0
        );
    }

    #[test]
    fn the_window_keeps_the_ends_of_a_selection() {
        assert_eq!(window(5..25, 100, &[]), 5..25);
        assert_eq!(window(0..25, 22, &[]), 0..22);
        assert_eq!(window(45..65, 100, &[3, 57]), 3..65);
        assert_eq!(window(45..65, 100, &[90]), 45..91);
    }
}
