//! The current time, from the browser.

use marginalia_core::Timestamp;

/// Now, in milliseconds since the Unix epoch.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// Milliseconds on the page's monotonic clock (`performance.now()`), for measuring a
/// wait: unlike [`now`], the system clock setting cannot move it back.
pub fn monotonic_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

thread_local! {
    /// One formatter for every call: `Date.toLocaleTimeString` builds one each time,
    /// which costs about 10 ms, after every change.
    static TIME_FORMAT: js_sys::Intl::DateTimeFormat = js_sys::Intl::DateTimeFormat::new(
        &js_sys::Array::new(),
        &js_sys::Object::from_entries(&js_sys::Array::of3(
            &js_sys::Array::of2(&"hour".into(), &"numeric".into()),
            &js_sys::Array::of2(&"minute".into(), &"2-digit".into()),
            &js_sys::Array::of2(&"second".into(), &"2-digit".into()),
        ))
        .unwrap_or_else(|_| js_sys::Object::new()),
    );
}

/// Builds the time formatter ahead of its first use. A page's first
/// `Intl.DateTimeFormat` loads the locale's data: 18 to 44 ms in headless Chromium
/// (the next ones 0.1 ms), a long task that would otherwise come with the first "Saved
/// at …", 0.4 s after the user's first change, when the next key may come.
pub fn warm_time_format() {
    TIME_FORMAT.with(|_| ());
}

/// A time of day in the user's locale, for "Saved at 14:02:11".
pub fn local_time(t: Timestamp) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.0 as f64));
    TIME_FORMAT.with(|f| {
        f.format()
            .call1(f, &date)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    })
}

/// Waits until the page has painted what was changed before the call: the next frame's
/// callback, then a task after it. Work that can wait (saving) goes here, so that a
/// key's effect is on screen first. A hidden page paints no frames: then 100 ms.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(w) = web_sys::window() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
        let then = wasm_bindgen::closure::Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
            }
        });
        if w.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&then))
            .is_err()
        {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                wasm_bindgen::JsCast::unchecked_ref(&then),
                0,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits `ms` milliseconds without blocking the page (a `setTimeout`).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
