//! Messages between this site's tabs (`BroadcastChannel`): a tab that stored something
//! says so, and the others read it back. A browser without `BroadcastChannel` gets no
//! messages; the checked writes ([`super::db::Db::put_doc_checked`]) still keep tabs
//! from overwriting each other.

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// A channel shared by every tab of the site under one name.
pub struct Channel {
    channel: BroadcastChannel,
    _listener: Closure<dyn Fn(MessageEvent)>,
}

impl Channel {
    /// Joins the channel `name`; `on_message` gets each text message another tab posts
    /// (a tab never receives its own). `None` where the browser has no channels.
    pub fn open(name: &str, on_message: impl Fn(String) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(name).ok()?;
        let listener = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                on_message(text);
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Channel {
            channel,
            _listener: listener,
        })
    }

    /// Tells the other tabs. A failure (a closed channel) is not the user's concern:
    /// the other tabs still find out when they next write.
    pub fn post(&self, message: &str) {
        let _ = self.channel.post_message(&JsValue::from_str(message));
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
