//! Labels: what a span says about its text (`fact`, `quote`, `boilerplate`, or the
//! user's own).

use serde::{Deserialize, Serialize};

/// A label's stable identifier, as written into exports (`"fact"`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelId(pub String);

impl LabelId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for LabelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A label as the user sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    pub id: LabelId,
    /// The name on buttons and badges ("Fact").
    pub name: String,
    /// The key that applies it ("1").
    pub key: String,
    /// A CSS colour for its highlight.
    pub color: String,
    /// What the label means: the guideline annotators apply.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// The labels of a document, in the order of their buttons.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelSet(pub Vec<Label>);

impl Default for LabelSet {
    /// `fact` (1), `quote` (2) and `boilerplate` (3).
    fn default() -> Self {
        let label = |id: &str, name: &str, key: &str, color: &str, description: &str| Label {
            id: LabelId(id.to_owned()),
            name: name.to_owned(),
            key: key.to_owned(),
            color: color.to_owned(),
            description: description.to_owned(),
        };
        LabelSet(vec![
            label(
                "fact",
                "Fact",
                "1",
                "#2563eb",
                "A sentence that states a checkable figure or event: numbers, percentages, dates, amounts, what happened.",
            ),
            label(
                "quote",
                "Quote",
                "2",
                "#c2410c",
                "Words reported as someone's, between quotation marks; include the marks. Name the speaker when the article does.",
            ),
            label(
                "boilerplate",
                "Boilerplate",
                "3",
                "#6b7280",
                "Text that is not the article: section names, captions and photo credits, editor credits, cookie and subscription banners, copyright lines, repeated paragraphs.",
            ),
        ])
    }
}

impl LabelSet {
    /// The label with this id.
    pub fn get(&self, id: &LabelId) -> Option<&Label> {
        self.0.iter().find(|l| &l.id == id)
    }

    /// The label whose key is `key`.
    pub fn by_key(&self, key: &str) -> Option<&Label> {
        self.0.iter().find(|l| l.key == key)
    }

    /// The name to show for `id`: the label's name, or the id itself if it is unknown.
    pub fn name_of<'a>(&'a self, id: &'a LabelId) -> &'a str {
        self.get(id).map_or(id.as_str(), |l| l.name.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &Label> {
        self.0.iter()
    }

    /// Adds a label unless one with its id exists. A label without a free key gets the
    /// first free one of 1-9 (or none); one without a colour gets one from a palette.
    pub fn add(&mut self, mut label: Label) {
        if self.get(&label.id).is_some() {
            return;
        }
        if label.key.is_empty() || self.by_key(&label.key).is_some() {
            label.key = (1..=9)
                .map(|k| k.to_string())
                .find(|k| self.by_key(k).is_none())
                .unwrap_or_default();
        }
        if label.color.is_empty() {
            const PALETTE: [&str; 6] = [
                "#7c3aed", "#0f766e", "#be185d", "#a16207", "#15803d", "#1d4ed8",
            ];
            label.color = PALETTE[self.0.len() % PALETTE.len()].to_owned();
        }
        self.0.push(label);
    }

    /// Gives the default labels (fact, quote, boilerplate) their default description
    /// where they have none: data saved before labels had descriptions gets the
    /// guidelines too.
    pub fn fill_default_descriptions(&mut self) {
        let defaults = LabelSet::default();
        for label in &mut self.0 {
            if label.description.is_empty() {
                if let Some(d) = defaults.get(&label.id) {
                    label.description = d.description.clone();
                }
            }
        }
    }

    /// A new label for an id found in an import: named after the id.
    pub fn label_for(id: &str) -> Label {
        Label {
            id: LabelId(id.to_owned()),
            name: id.to_owned(),
            key: String::new(),
            color: String::new(),
            description: String::new(),
        }
    }

    /// The position of `id` in the set (for styling), or `None`.
    pub fn position(&self, id: &LabelId) -> Option<usize> {
        self.0.iter().position(|l| &l.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_labels_have_keys_one_to_three() {
        let set = LabelSet::default();
        let ids: Vec<_> = set
            .iter()
            .map(|l| (l.id.as_str(), l.key.as_str()))
            .collect();
        assert_eq!(ids, [("fact", "1"), ("quote", "2"), ("boilerplate", "3")]);
        assert_eq!(set.by_key("2").map(|l| l.name.as_str()), Some("Quote"));
        assert_eq!(set.name_of(&LabelId("mine".into())), "mine");
    }
}
