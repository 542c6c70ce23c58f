//! Anchoring: the one place that turns DOM positions into document offsets and back.
//!
//! The article is rendered as one element per paragraph, each carrying `data-p` (its
//! index), `data-s` and `data-e` (where it starts and ends in the document, in UTF-16
//! units), and holding exactly the paragraph's text (line breaks separate paragraphs
//! and are not in the DOM; labels are drawn by CSS, never as text). A DOM position
//! inside a paragraph is then `data-s` plus the UTF-16 length of the paragraph's text
//! before it, which the DOM itself measures (`Range.toString()`), so offsets stay
//! exact after emoji, combining marks and CRLF line breaks.
//!
//! Only the paragraphs near the viewport are drawn (see `state::viewport`): offsets
//! outside them have no DOM position, and the spacers that stand for the rest carry
//! `data-at`, the offset where the drawn text starts (above) or ends (below).

use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};

fn attr_usize(el: &Element, name: &str) -> Option<usize> {
    el.get_attribute(name)?.parse().ok()
}

fn paragraph_of(node: &Node) -> Option<Element> {
    let el = match node.dyn_ref::<Element>() {
        Some(el) => el.clone(),
        None => node.parent_element()?,
    };
    el.closest("[data-p]").ok().flatten()
}

/// The document offset (UTF-16 units) of the DOM boundary point `(node, offset)`.
/// Points before the article map to 0, points after it to its end.
pub fn doc_offset(article: &Element, node: &Node, offset: u32) -> Option<usize> {
    let len = attr_usize(article, "data-len")?;
    if let Some(p) = paragraph_of(node).filter(|p| article.contains(Some(p))) {
        let range = web_sys::window()?.document()?.create_range().ok()?;
        range.set_start(&p, 0).ok()?;
        range.set_end(node, offset).ok()?;
        let before = range.to_string().length() as usize;
        return Some(attr_usize(&p, "data-s")? + before);
    }
    if let Some(at) = node
        .dyn_ref::<Element>()
        .and_then(|el| attr_usize(el, "data-at"))
    {
        return Some(at);
    }
    if !article.contains(Some(node)) {
        // Outside the article, perhaps on one of its containers: before it or after it?
        let whole = web_sys::window()?.document()?.create_range().ok()?;
        whole.select_node(article).ok()?;
        return Some(match whole.compare_point(node, offset) {
            Ok(-1) => 0,
            _ => len,
        });
    }
    // A point between paragraphs: the start of the next paragraph, or the end.
    let children = node.child_nodes();
    let mut next = children.item(offset);
    while let Some(n) = next {
        if let Some(s) = n
            .dyn_ref::<Element>()
            .and_then(|el| attr_usize(el, "data-s").or_else(|| attr_usize(el, "data-at")))
        {
            return Some(s);
        }
        next = n.next_sibling();
    }
    Some(len)
}

/// The user's text selection in the article, as document offsets (UTF-16 units), or
/// `None` when nothing in the article is selected.
pub fn selected_range(article: &Element) -> Option<(usize, usize)> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.range_count() == 0 || selection.is_collapsed() {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    if !range.intersects_node(article).unwrap_or(false) {
        return None;
    }
    let start = doc_offset(
        article,
        &range.start_container().ok()?,
        range.start_offset().ok()?,
    )?;
    let end = doc_offset(
        article,
        &range.end_container().ok()?,
        range.end_offset().ok()?,
    )?;
    (start < end).then_some((start, end))
}

/// Clears the user's text selection.
pub fn clear_selection() {
    if let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = selection.remove_all_ranges();
    }
}

/// The DOM boundary point (a text node and a UTF-16 offset in it, or a paragraph
/// element and 0 for an empty paragraph) at document offset `utf16`, if its paragraph
/// is drawn.
pub fn dom_position(article: &Element, utf16: usize) -> Option<(Node, u32)> {
    let paragraphs = article.get_elements_by_class_name("para");
    let count = paragraphs.length();
    let last = paragraphs.item(count.checked_sub(1)?)?;
    if utf16 > attr_usize(&last, "data-e")? {
        return None;
    }
    // Paragraphs are in document order: binary search for the last one starting at or
    // before the offset.
    let (mut lo, mut hi) = (0, count);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let s = paragraphs
            .item(mid)
            .and_then(|p| attr_usize(&p, "data-s"))?;
        if s <= utf16 {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let p = paragraphs.item(lo.checked_sub(1)?)?;
    let within = utf16.saturating_sub(attr_usize(&p, "data-s")?);
    let mut remaining = within;
    find_text(&p, &mut remaining).or_else(|| Some((p.into(), 0)))
}

/// The offsets (UTF-16 units) where the drawn text starts and ends.
fn drawn_bounds(article: &Element) -> Option<(usize, usize)> {
    let paragraphs = article.get_elements_by_class_name("para");
    let first = paragraphs.item(0)?;
    let last = paragraphs.item(paragraphs.length() - 1)?;
    Some((attr_usize(&first, "data-s")?, attr_usize(&last, "data-e")?))
}

/// The paragraphs drawn, by number, in order.
pub fn drawn_paragraphs(article: &Element) -> Vec<(usize, Element)> {
    paragraphs_matching(article, ".para")
}

/// The drawn paragraphs not measured yet ([`measure`]): those drawn since, including
/// those drawn again because a change touched them.
pub fn unmeasured_paragraphs(article: &Element) -> Vec<(usize, Element)> {
    paragraphs_matching(article, ".para:not([data-measured])")
}

/// The drawn paragraphs that match `selector`, by number, in order.
fn paragraphs_matching(article: &Element, selector: &str) -> Vec<(usize, Element)> {
    let Ok(found) = article.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<Element>().ok())
        .filter_map(|p| Some((attr_usize(&p, "data-p")?, p)))
        .collect()
}

/// The height of a line and the space below a paragraph, in pixels, as drawn.
pub fn line_metrics(paragraph: &Element) -> Option<(f64, f64)> {
    let style = web_sys::window()?.get_computed_style(paragraph).ok()??;
    let px = |name: &str| -> Option<f64> {
        style
            .get_property_value(name)
            .ok()?
            .trim_end_matches("px")
            .parse()
            .ok()
    };
    Some((px("line-height")?, px("margin-bottom").unwrap_or(0.0)))
}

/// The height of each of `paragraphs` with the space below it (from its top to the top
/// of what follows it), marking each as measured.
pub fn measure(paragraphs: &[(usize, Element)]) -> Vec<(usize, f64)> {
    paragraphs
        .iter()
        .filter_map(|(index, el)| {
            let next = el.next_element_sibling()?.get_bounding_client_rect().top();
            let height = next - el.get_bounding_client_rect().top();
            let _ = el.set_attribute("data-measured", "");
            Some((*index, height))
        })
        .collect()
}

/// The numbers of the paragraphs holding the ends of the user's text selection (none
/// when it is collapsed or outside the article).
pub fn selection_paragraphs(article: &Element) -> Vec<usize> {
    let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) else {
        return Vec::new();
    };
    if selection.is_collapsed() {
        return Vec::new();
    }
    let mut out: Vec<usize> = [selection.anchor_node(), selection.focus_node()]
        .into_iter()
        .flatten()
        .filter_map(|n| paragraph_of(&n))
        .filter(|p| article.contains(Some(p)))
        .filter_map(|p| attr_usize(&p, "data-p"))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn find_text(node: &Node, remaining: &mut usize) -> Option<(Node, u32)> {
    let children = node.child_nodes();
    for i in 0..children.length() {
        let child = children.item(i)?;
        if child.node_type() == Node::TEXT_NODE {
            // Its length in UTF-16 units, without copying its text out of the DOM.
            let len = child
                .dyn_ref::<web_sys::CharacterData>()
                .map_or(0, |t| t.length() as usize);
            if *remaining <= len && len > 0 {
                return Some((child, *remaining as u32));
            }
            *remaining -= len;
        } else if let Some(found) = find_text(&child, remaining) {
            return Some(found);
        }
    }
    None
}

/// A DOM Range over document offsets `start..end` (UTF-16 units).
pub fn range_of(article: &Element, start: usize, end: usize) -> Option<Range> {
    let range = web_sys::window()?.document()?.create_range().ok()?;
    let (a, ao) = dom_position(article, start)?;
    let (b, bo) = dom_position(article, end)?;
    range.set_start(&a, ao).ok()?;
    range.set_end(&b, bo).ok()?;
    Some(range)
}

/// The height of the browser's viewport, in CSS pixels.
pub fn window_height(window: &web_sys::Window) -> f64 {
    window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0)
}

/// Scrolls the page so that document offset `utf16` is in view, a third of the way down.
pub fn scroll_to(article: &Element, utf16: usize) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(range) = range_of(article, utf16, utf16) else {
        return;
    };
    let top = range.get_bounding_client_rect().top();
    let height = window_height(&window);
    if top < 80.0 || top > height - 80.0 {
        window.scroll_by_with_x_and_y(0.0, top - height / 3.0);
    }
}

/// The ids of the spans drawn at a clicked element, innermost first.
pub fn spans_at(target: &web_sys::EventTarget) -> Vec<String> {
    let mut out = Vec::new();
    let mut el = target.dyn_ref::<Element>().cloned();
    while let Some(e) = el {
        if e.has_attribute("data-p") {
            break;
        }
        if let Some(id) = e.get_attribute("data-span") {
            out.push(id);
        }
        el = e.parent_element();
    }
    out
}

/// Makes `start..end` (document offsets, UTF-16 units) the user's text selection.
pub fn show_selection(article: &Element, start: usize, end: usize) {
    let Some(range) = range_of(article, start, end) else {
        return;
    };
    if let Some(selection) = web_sys::window().and_then(|w| w.get_selection().ok().flatten()) {
        let _ = selection.remove_all_ranges();
        let _ = selection.add_range(&range);
    }
}

/// The document offset (UTF-16 units) of the text under the point `(x, y)` in the
/// viewport, if the point is over the article.
pub fn offset_at_point(article: &Element, x: f64, y: f64) -> Option<usize> {
    let document = web_sys::window()?.document()?;
    let caret = document.caret_position_from_point(x as f32, y as f32)?;
    let node = caret.offset_node()?;
    if !article.contains(Some(&node)) {
        return None;
    }
    doc_offset(article, &node, caret.offset())
}

/// The name of the CSS highlight that draws the keyboard focus (`::highlight(...)`).
pub const FOCUS_HIGHLIGHT: &str = "marginalia-focus";

/// Draws the keyboard focus over `start..end` (UTF-16 units); `None` removes it.
/// Returns whether the browser could draw it.
pub fn show_focus(article: &Element, range: Option<(usize, usize)>) -> bool {
    set_highlight(article, FOCUS_HIGHLIGHT, range.as_slice())
}

/// Paints `ranges` (document offsets, UTF-16 units) as the CSS highlight `name`
/// (styled by `::highlight(name)`), with the CSS Custom Highlight API, which paints
/// over text without changing the DOM. No ranges removes it. Returns whether the
/// browser could draw it.
pub fn set_highlight(article: &Element, name: &str, ranges: &[(usize, usize)]) -> bool {
    use js_sys::{Array, Function, Reflect};
    let Some(window) = web_sys::window() else {
        return false;
    };
    let registry = Reflect::get(&window, &"CSS".into())
        .and_then(|css| Reflect::get(&css, &"highlights".into()))
        .ok()
        .filter(|r| !r.is_undefined());
    let Some(registry) = registry else {
        return false;
    };
    let call = |method: &str, args: &Array| -> bool {
        Reflect::get(&registry, &method.into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .is_some_and(|f| f.apply(&registry, args).is_ok())
    };
    // Only the drawn text can be painted: each range is cut to it (and drawn again when
    // the drawn paragraphs change).
    let bounds = drawn_bounds(article);
    let dom_ranges: Array = ranges
        .iter()
        .filter_map(|&(a, b)| {
            let (from, to) = bounds?;
            let (a, b) = (a.max(from), b.min(to));
            if a < b {
                range_of(article, a, b)
            } else {
                None
            }
        })
        .collect();
    if dom_ranges.length() == 0 {
        return call("delete", &Array::of1(&name.into()));
    }
    let highlight = Reflect::get(&window, &"Highlight".into())
        .ok()
        .and_then(|c| c.dyn_into::<Function>().ok())
        .and_then(|c| Reflect::construct(&c, &dom_ranges).ok());
    match highlight {
        Some(h) => call("set", &Array::of2(&name.into(), &h)),
        None => false,
    }
}
