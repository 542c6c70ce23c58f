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
}

/// The labels of a document, in the order of their buttons.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelSet(pub Vec<Label>);

impl Default for LabelSet {
    /// `fact` (1), `quote` (2) and `boilerplate` (3).
    fn default() -> Self {
        let label = |id: &str, name: &str, key: &str, color: &str| Label {
            id: LabelId(id.to_owned()),
            name: name.to_owned(),
            key: key.to_owned(),
            color: color.to_owned(),
        };
        LabelSet(vec![
            label("fact", "Fact", "1", "#2563eb"),
            label("quote", "Quote", "2", "#c2410c"),
            label("boilerplate", "Boilerplate", "3", "#6b7280"),
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
