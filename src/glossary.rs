//! The in-memory glossary: entries by id, mappings navigable from both ends, false friends.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::model::{Closeness, Domain, Entry, Side};
use crate::text::label_key;

/// A mapping seen from one entry, whichever end it is stored on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counterpart {
    /// The other entry's id.
    pub id: String,
    /// How close the other entry is, seen from this one.
    pub closeness: Closeness,
    /// Where the analogy holds and where it breaks.
    pub note: String,
    /// The id of the entry the mapping is stored on.
    pub stored_on: String,
}

/// A loaded glossary. Cheap to query; rebuilt (not patched) when the files change.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    domains: Vec<Domain>,
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    counterparts: Vec<Vec<Counterpart>>,
    false_friends: Vec<Vec<String>>,
    linked_from: Vec<BTreeSet<String>>,
    by_label: HashMap<String, BTreeSet<usize>>,
}

impl Glossary {
    /// Builds the derived views. Links are expected to be valid (the loader drops bad ones);
    /// any that are not are ignored.
    pub fn new(domains: Vec<Domain>, mut entries: Vec<Entry>) -> Glossary {
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let by_id: HashMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let n = entries.len();
        let mut counterparts: Vec<Vec<Counterpart>> = vec![Vec::new(); n];
        let mut linked_from: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
        let mut friend_sets: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];

        for (i, entry) in entries.iter().enumerate() {
            for m in &entry.mappings {
                let Some(&j) = by_id.get(&m.id) else { continue };
                if counterparts[i].iter().any(|c| c.id == m.id) {
                    continue;
                }
                counterparts[i].push(Counterpart {
                    id: m.id.clone(),
                    closeness: m.closeness,
                    note: m.note.clone(),
                    stored_on: entry.id.clone(),
                });
                if !counterparts[j].iter().any(|c| c.id == entry.id) {
                    counterparts[j].push(Counterpart {
                        id: entry.id.clone(),
                        closeness: m.closeness.inverse(),
                        note: m.note.clone(),
                        stored_on: entry.id.clone(),
                    });
                }
                linked_from[j].insert(entry.id.clone());
            }
            for target in entry.related.iter().chain(&entry.false_friends) {
                if let Some(&j) = by_id.get(target) {
                    linked_from[j].insert(entry.id.clone());
                }
            }
            for target in &entry.false_friends {
                if let Some(&j) = by_id.get(target) {
                    if j != i {
                        friend_sets[i].insert(j);
                        friend_sets[j].insert(i);
                    }
                }
            }
        }

        // Same label in different domains → false friends, unless mapped as the same thing.
        let mut by_label: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            for label in std::iter::once(&entry.term).chain(&entry.synonyms) {
                let key = label_key(label);
                if !key.is_empty() {
                    by_label.entry(key).or_default().insert(i);
                }
            }
        }
        for owners in by_label.values().filter(|o| o.len() > 1) {
            for &a in owners {
                for &b in owners {
                    if a == b || entries[a].domain == entries[b].domain {
                        continue;
                    }
                    let same_thing = counterparts[a].iter().any(|c| {
                        c.id == entries[b].id
                            && matches!(c.closeness, Closeness::Exact | Closeness::Close)
                    });
                    if !same_thing {
                        friend_sets[a].insert(b);
                    }
                }
            }
        }
        for list in &mut counterparts {
            list.sort_by_key(|c| Closeness::ALL.iter().position(|&k| k == c.closeness));
        }
        let false_friends = friend_sets
            .into_iter()
            .map(|set| set.into_iter().map(|j| entries[j].id.clone()).collect())
            .collect();
        Glossary {
            domains,
            entries,
            by_id,
            counterparts,
            false_friends,
            linked_from,
            by_label,
        }
    }

    /// The vocabularies, as listed in `domains.json`.
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }

    /// One vocabulary by id.
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    /// The side a domain belongs to (informatics when the domain is unknown).
    pub fn side_of(&self, domain: &str) -> Side {
        self.domain(domain).map_or(Side::Informatics, |d| d.side)
    }

    /// Every entry, sorted by id.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// An entry by id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The position of an entry in [`Glossary::entries`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Mappings of an entry from both ends, closest first.
    pub fn counterparts(&self, id: &str) -> &[Counterpart] {
        self.by_id
            .get(id)
            .map_or(&[][..], |&i| &self.counterparts[i])
    }

    /// Mappings by entry position (see [`Glossary::index_of`]).
    pub fn counterparts_at(&self, index: usize) -> &[Counterpart] {
        &self.counterparts[index]
    }

    /// Entries in other domains that use the same or a similar word for a different thing.
    pub fn false_friends(&self, id: &str) -> &[String] {
        self.by_id
            .get(id)
            .map_or(&[][..], |&i| &self.false_friends[i])
    }

    /// False friends by entry position.
    pub fn false_friends_at(&self, index: usize) -> &[String] {
        &self.false_friends[index]
    }

    /// Entries whose term or a synonym has this [`label_key`], in any domain.
    pub fn entries_with_label_key(&self, key: &str) -> impl Iterator<Item = &Entry> {
        self.by_label
            .get(key)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// Ids of entries that link to this one (mappings, related, false friends): the links that
    /// would dangle if it were deleted.
    pub fn linked_from(&self, id: &str) -> Vec<String> {
        self.by_id
            .get(id)
            .map(|&i| self.linked_from[i].iter().cloned().collect())
            .unwrap_or_default()
    }
}
