//! Every entry's names analysed for the re-ranker, and which entries each label names.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::analysis::{label_hash, Names, WordAnalyzer};
use super::entry_key;
use crate::glossary::Glossary;

/// Every entry's names, analysed for the re-ranker.
pub(super) fn analyse_names(glossary: &Glossary) -> NameTable {
    let mut analyzer = WordAnalyzer::new();
    let keys: Vec<u64> = glossary
        .entries()
        .iter()
        .map(|e| entry_key(&e.id))
        .collect();
    let slots: Vec<Option<Names>> = glossary
        .entries()
        .iter()
        .map(|e| Some(analyzer.names(e)))
        .collect();
    let by_label = keys
        .iter()
        .zip(&slots)
        .flat_map(|(&key, names)| {
            names
                .iter()
                .flat_map(move |n| n.label_hashes().map(move |hash| (hash, key)))
        })
        .collect();
    NameTable {
        slot_of: keys
            .iter()
            .enumerate()
            .map(|(i, &key)| (key, i as u32))
            .collect(),
        slots,
        free: Vec::new(),
        by_label,
    }
}

/// Every entry's analysed names, and the entries each label's compact key names. Held here
/// rather than as an indexed field: tantivy's indexing thread is what a build waits for, and
/// a dictionary of every label was a tenth of its work, where this is made beside it.
pub(super) struct NameTable {
    /// The analysed names, one slot per entry; a removed entry's slot is reused. Read by
    /// slot while ranking ([`SearchIndex::ord_slots`]), so a candidate costs no key lookup.
    pub(super) slots: Vec<Option<Names>>,
    free: Vec<u32>,
    /// Entry key → slot.
    slot_of: FxHashMap<u64, u32>,
    /// (hash of a label's compact key, entry key), for every term and synonym.
    by_label: BTreeSet<(u64, u64)>,
}

impl NameTable {
    fn get(&self, key: u64) -> Option<&Names> {
        self.at(*self.slot_of.get(&key)?)
    }

    pub(super) fn slot(&self, key: u64) -> Option<u32> {
        self.slot_of.get(&key).copied()
    }

    /// The names in a slot ([`NO_SLOT`] holds none).
    pub(super) fn at(&self, slot: u32) -> Option<&Names> {
        self.slots.get(slot as usize)?.as_ref()
    }

    pub(super) fn insert(&mut self, key: u64, names: Names) {
        self.remove(key);
        self.by_label
            .extend(names.label_hashes().map(|hash| (hash, key)));
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(names);
                slot
            }
            None => {
                self.slots.push(Some(names));
                (self.slots.len() - 1) as u32
            }
        };
        self.slot_of.insert(key, slot);
    }

    pub(super) fn remove(&mut self, key: u64) {
        let Some(slot) = self.slot_of.remove(&key) else {
            return;
        };
        if let Some(names) = self.slots[slot as usize].take() {
            for hash in names.label_hashes() {
                self.by_label.remove(&(hash, key));
            }
        }
        self.free.push(slot);
    }

    /// Keys of the entries whose term or a synonym has this compact key.
    pub(super) fn labelled<'a>(&'a self, compact: &'a str) -> impl Iterator<Item = u64> + 'a {
        let hash = label_hash(compact);
        self.by_label
            .range((hash, 0)..=(hash, u64::MAX))
            .map(|&(_, key)| key)
            // Two keys may share a hash; the names say which entries really have it.
            .filter(move |&key| {
                self.get(key)
                    .is_some_and(|names| names.labels().any(|l| l.compact() == compact))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchIndex;
    use crate::text::compact_key;

    /// The label table names every entry by each of its labels, in every domain that uses
    /// the label, and follows an update: a renamed entry is found by its new name only.
    #[test]
    fn label_table_names_entries_and_follows_updates() {
        let old = crate::bundled::load().glossary;
        let mut index = SearchIndex::build(&old).unwrap();
        let labelled = |index: &SearchIndex, glossary: &Glossary, label: &str| {
            let mut ids: Vec<String> = index
                .names
                .labelled(&compact_key(label))
                .filter_map(|key| index.key_to_ord.get(&key))
                .map(|&ord| glossary.entries()[ord as usize].id.clone())
                .collect();
            ids.sort();
            ids
        };
        // Per compact key, one label that has it and the entries that have it.
        let mut owners_by_key: FxHashMap<String, (&str, Vec<String>)> = FxHashMap::default();
        for entry in old.entries() {
            for label in std::iter::once(&entry.term).chain(&entry.synonyms) {
                let (_, owners) = owners_by_key
                    .entry(compact_key(label))
                    .or_insert_with(|| (label, Vec::new()));
                if !owners.contains(&entry.id) {
                    owners.push(entry.id.clone());
                }
            }
        }
        for (label, mut expected) in owners_by_key.into_values() {
            expected.sort();
            assert_eq!(labelled(&index, &old, label), expected, "{label:?}");
        }
        assert!(
            labelled(&index, &old, "Capacity").len() > 1,
            "false friends"
        );

        let mut entries = old.entries().to_vec();
        let renamed = entries
            .iter_mut()
            .find(|e| e.id == "itil/incident")
            .unwrap();
        renamed.term = "Service interruption".into();
        let new = Glossary::new(old.domains().to_vec(), entries);
        index.update(&old, &new).unwrap();
        assert_eq!(
            labelled(&index, &new, "service-interruption"),
            ["itil/incident"]
        );
        assert!(!labelled(&index, &new, "Incident").contains(&"itil/incident".to_string()));
    }
}
