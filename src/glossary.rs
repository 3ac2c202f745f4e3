//! The in-memory glossary: entries by id, mappings navigable from both ends, false friends.
//!
//! The derived views hold entry positions (`u32`), never copies of ids or notes: with copies,
//! the views of a 10,000-entry glossary took nearly as much memory as the entries themselves.

use std::fmt;
use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

use crate::model::{Closeness, Domain, Entry, Side};
use crate::text::label_key;

/// One mapping seen from one of its ends. The note stays in the entry that stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Link {
    /// Position of the entry at the other end.
    other: u32,
    /// Position of the entry whose `mappings` hold this mapping.
    stored_on: u32,
    /// Index of the mapping in that entry's `mappings`.
    mapping: u32,
    /// How close the other entry is, seen from this one.
    closeness: Closeness,
}

/// A mapping seen from one entry, whichever end it is stored on. It borrows the glossary, so
/// the id and the note are read from the entries rather than copied.
#[derive(Clone, Copy)]
pub struct Counterpart<'g> {
    glossary: &'g Glossary,
    link: &'g Link,
}

impl<'g> Counterpart<'g> {
    /// The other entry's position in [`Glossary::entries`].
    pub fn index(&self) -> usize {
        self.link.other as usize
    }

    /// The other entry.
    pub fn entry(&self) -> &'g Entry {
        &self.glossary.entries[self.index()]
    }

    /// The other entry's id.
    pub fn id(&self) -> &'g str {
        &self.entry().id
    }

    /// How close the other entry is, seen from this one.
    pub fn closeness(&self) -> Closeness {
        self.link.closeness
    }

    /// Where the analogy holds and where it breaks.
    pub fn note(&self) -> &'g str {
        &self.glossary.entries[self.link.stored_on as usize].mappings[self.link.mapping as usize]
            .note
    }

    /// The id of the entry the mapping is stored on.
    pub fn stored_on(&self) -> &'g str {
        &self.glossary.entries[self.link.stored_on as usize].id
    }
}

impl fmt::Debug for Counterpart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Counterpart")
            .field("id", &self.id())
            .field("closeness", &self.closeness())
            .field("note", &self.note())
            .field("stored_on", &self.stored_on())
            .finish()
    }
}

/// One list per entry, all in one allocation: a `Vec` per entry would cost a 24-byte header
/// and an allocation each, which for short lists is more than the items.
#[derive(Debug, Clone)]
struct PerEntry<T> {
    /// `items[starts[i]..starts[i + 1]]` is entry `i`'s list.
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for PerEntry<T> {
    fn default() -> Self {
        PerEntry {
            starts: vec![0],
            items: Vec::new(),
        }
    }
}

impl<T> PerEntry<T> {
    fn from_lists(lists: Vec<Vec<T>>) -> PerEntry<T> {
        let mut starts = Vec::with_capacity(lists.len() + 1);
        let mut items = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        starts.push(0);
        for list in lists {
            items.extend(list);
            starts.push(position(items.len()));
        }
        PerEntry { starts, items }
    }

    fn of(&self, index: usize) -> &[T] {
        &self.items[self.starts[index] as usize..self.starts[index + 1] as usize]
    }
}

/// A label key's entry, found by a 32-bit hash of the key rather than the key itself; a hit is
/// checked against the entry's labels, so a collision costs a check, never a wrong answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct LabelHash {
    key_hash: u32,
    entry: u32,
}

fn hash_label_key(key: &str) -> u32 {
    FxBuildHasher.hash_one(key) as u32
}

/// An entry position as stored in the views.
fn position(index: usize) -> u32 {
    u32::try_from(index).expect("a glossary has fewer than 2^32 entries")
}

/// The position of `id` in entries sorted by id. With duplicate ids (possible in the glossaries
/// built to check an import) the last one is found, as a map from id would keep.
fn find_sorted(entries: &[Entry], id: &str) -> Option<usize> {
    let end = entries.partition_point(|e| e.id.as_str() <= id);
    (end > 0 && entries[end - 1].id == id).then(|| end - 1)
}

/// Term and synonyms: the names whose clash across domains makes false friends.
fn naming_labels(entry: &Entry) -> impl Iterator<Item = &String> {
    std::iter::once(&entry.term).chain(&entry.synonyms)
}

/// A loaded glossary. Cheap to query; rebuilt (not patched) when the files change.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    domains: Vec<Domain>,
    /// Sorted by id, so an id is found by binary search without a second copy of every id.
    entries: Vec<Entry>,
    /// Closest first.
    counterparts: PerEntry<Link>,
    /// Positions, ascending (so by id).
    false_friends: PerEntry<u32>,
    /// Positions, ascending (so by id).
    linked_from: PerEntry<u32>,
    /// Sorted, for a binary search by hash.
    label_hashes: Vec<LabelHash>,
}

impl Glossary {
    /// Builds the derived views. Links are expected to be valid (the loader drops bad ones);
    /// any that are not are ignored.
    pub fn new(domains: Vec<Domain>, mut entries: Vec<Entry>) -> Glossary {
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let (mut counterparts, mut linked_from, mut friends) = links(&entries);
        let label_hashes = shared_labels(&entries, &counterparts, &mut friends);
        for list in &mut counterparts {
            list.sort_by_key(|c| Closeness::ALL.iter().position(|&k| k == c.closeness));
        }
        // Ascending positions are ascending ids, since the entries are sorted by id.
        for list in friends.iter_mut().chain(&mut linked_from) {
            list.sort_unstable();
            list.dedup();
        }
        Glossary {
            domains,
            entries,
            counterparts: PerEntry::from_lists(counterparts),
            false_friends: PerEntry::from_lists(friends),
            linked_from: PerEntry::from_lists(linked_from),
            label_hashes,
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

    /// A vocabulary's name for people ("ITIL 4"), or its id when it is not listed.
    pub fn domain_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.domain(id).map_or(id, |d| d.name.as_str())
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
        self.index_of(id).map(|i| &self.entries[i])
    }

    /// The position of an entry in [`Glossary::entries`].
    pub fn index_of(&self, id: &str) -> Option<usize> {
        find_sorted(&self.entries, id)
    }

    /// Mappings of an entry from both ends, closest first (none for an unknown id).
    pub fn counterparts(
        &self,
        id: &str,
    ) -> impl ExactSizeIterator<Item = Counterpart<'_>> + DoubleEndedIterator + Clone {
        self.counterparts_in(
            self.index_of(id)
                .map_or(&[][..], |i| self.counterparts.of(i)),
        )
    }

    /// Mappings by entry position (see [`Glossary::index_of`]), closest first.
    pub fn counterparts_at(
        &self,
        index: usize,
    ) -> impl ExactSizeIterator<Item = Counterpart<'_>> + DoubleEndedIterator + Clone {
        self.counterparts_in(self.counterparts.of(index))
    }

    /// Links seen as counterparts borrowing this glossary.
    fn counterparts_in<'g>(
        &'g self,
        links: &'g [Link],
    ) -> impl ExactSizeIterator<Item = Counterpart<'g>> + DoubleEndedIterator + Clone {
        links.iter().map(move |link| Counterpart {
            glossary: self,
            link,
        })
    }

    /// Entries in other domains that use the same or a similar word for a different thing,
    /// sorted by id (none for an unknown id).
    pub fn false_friends(
        &self,
        id: &str,
    ) -> impl ExactSizeIterator<Item = &Entry> + DoubleEndedIterator + Clone {
        let positions = self
            .index_of(id)
            .map_or(&[][..], |i| self.false_friends.of(i));
        positions.iter().map(|&j| &self.entries[j as usize])
    }

    /// Positions in [`Glossary::entries`] of an entry's false friends, by the entry's
    /// position, sorted by id.
    pub fn false_friends_at(
        &self,
        index: usize,
    ) -> impl ExactSizeIterator<Item = usize> + DoubleEndedIterator + Clone + '_ {
        self.false_friends.of(index).iter().map(|&j| j as usize)
    }

    /// Entries whose term or a synonym has this [`label_key`], in any domain, sorted by id.
    pub fn entries_with_label_key(&self, key: &str) -> impl Iterator<Item = &Entry> {
        let key_hash = hash_label_key(key);
        // Owned, so the entries found outlive the caller's key.
        let key = key.to_owned();
        let start = self.label_hashes.partition_point(|l| l.key_hash < key_hash);
        self.label_hashes[start..]
            .iter()
            .take_while(move |l| l.key_hash == key_hash)
            .map(|l| &self.entries[l.entry as usize])
            .filter(move |e| naming_labels(e).any(|label| label_key(label) == key))
    }

    /// Ids of entries that link to this one (mappings, related, false friends), sorted: the
    /// links that would dangle if it were deleted.
    pub fn linked_from(&self, id: &str) -> Vec<&str> {
        self.index_of(id).map_or_else(Vec::new, |i| {
            self.linked_from
                .of(i)
                .iter()
                .map(|&j| self.entries[j as usize].id.as_str())
                .collect()
        })
    }
}

/// The links between entries: each entry's counterparts (mappings from both ends, closeness
/// inverted on the far end), the entries linking to each one, and explicit false friends
/// (both ways). Positions index the id-sorted `entries`.
#[allow(clippy::type_complexity)]
fn links(entries: &[Entry]) -> (Vec<Vec<Link>>, Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let n = entries.len();
    let mut counterparts: Vec<Vec<Link>> = vec![Vec::new(); n];
    let mut linked_from: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut friends: Vec<Vec<u32>> = vec![Vec::new(); n];

    for (i, entry) in entries.iter().enumerate() {
        // Where a lookup of this entry's id lands (another entry only for duplicate ids),
        // so a link back to it names the same entry as `get` does.
        let this = position(find_sorted(entries, &entry.id).unwrap_or(i));
        for (k, m) in entry.mappings.iter().enumerate() {
            let Some(j) = find_sorted(entries, &m.id) else {
                continue;
            };
            let other = position(j);
            if counterparts[i].iter().any(|c| c.other == other) {
                continue;
            }
            let link = Link {
                other,
                stored_on: position(i),
                mapping: position(k),
                closeness: m.closeness,
            };
            counterparts[i].push(link);
            if !counterparts[j].iter().any(|c| c.other == this) {
                counterparts[j].push(Link {
                    other: this,
                    closeness: m.closeness.inverse(),
                    ..link
                });
            }
            linked_from[j].push(this);
        }
        for target in entry.related.iter().chain(&entry.false_friends) {
            if let Some(j) = find_sorted(entries, target) {
                linked_from[j].push(this);
            }
        }
        for target in &entry.false_friends {
            if let Some(j) = find_sorted(entries, target) {
                if j != i {
                    friends[i].push(position(j));
                    friends[j].push(position(i));
                }
            }
        }
    }

    (counterparts, linked_from, friends)
}

/// Labels shared across vocabularies: entries of different domains with the same label become
/// false friends (pushed onto `friends`) unless mapped as the same thing. Returns every
/// label's hash with its entry, sorted for a binary search.
fn shared_labels(
    entries: &[Entry],
    counterparts: &[Vec<Link>],
    friends: &mut [Vec<u32>],
) -> Vec<LabelHash> {
    // Same label in different domains → false friends, unless mapped as the same thing.
    let mut keyed: Vec<(String, u32)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        for label in naming_labels(entry) {
            let key = label_key(label);
            if !key.is_empty() {
                keyed.push((key, position(i)));
            }
        }
    }
    keyed.sort_unstable();
    keyed.dedup();
    for owners in keyed.chunk_by(|a, b| a.0 == b.0).filter(|o| o.len() > 1) {
        for &(_, a) in owners {
            for &(_, b) in owners {
                let (a_entry, b_entry) = (&entries[a as usize], &entries[b as usize]);
                if a == b || a_entry.domain == b_entry.domain {
                    continue;
                }
                let same_thing = counterparts[a as usize].iter().any(|c| {
                    entries[c.other as usize].id == b_entry.id
                        && matches!(c.closeness, Closeness::Exact | Closeness::Close)
                });
                if !same_thing {
                    friends[a as usize].push(b);
                }
            }
        }
    }
    let mut label_hashes: Vec<LabelHash> = keyed
        .iter()
        .map(|(key, entry)| LabelHash {
            key_hash: hash_label_key(key),
            entry: *entry,
        })
        .collect();
    drop(keyed);
    label_hashes.sort_unstable();
    label_hashes.dedup();
    label_hashes.shrink_to_fit();

    label_hashes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Mapping, Status};

    fn entry(id: &str, term: &str, synonyms: &[&str], mappings: Vec<Mapping>) -> Entry {
        Entry {
            id: id.into(),
            term: term.into(),
            domain: id.split('/').next().unwrap().into(),
            abbreviations: Vec::new(),
            synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
            deprecated_names: Vec::new(),
            definition: String::new(),
            explanation: String::new(),
            example: String::new(),
            mappings,
            related: Vec::new(),
            false_friends: Vec::new(),
            source: String::new(),
            status: Status::Draft,
            superseded_by: None,
            reviewed_by: None,
            reviews: Vec::new(),
            revision: 1,
            updated_at: String::new(),
            updated_by: String::new(),
        }
    }

    fn mapping(id: &str, closeness: Closeness, note: &str) -> Mapping {
        Mapping {
            id: id.into(),
            closeness,
            note: note.into(),
        }
    }

    #[test]
    fn lookup_by_id_finds_the_last_of_duplicate_ids_and_nothing_for_unknown_ones() {
        let g = Glossary::new(
            Vec::new(),
            vec![
                entry("itil/b", "B", &[], Vec::new()),
                entry("itil/a", "First A", &[], Vec::new()),
                entry("itil/a", "Second A", &[], Vec::new()),
                entry("itil/c", "C", &[], Vec::new()),
            ],
        );
        assert_eq!(g.get("itil/a").unwrap().term, "Second A");
        assert_eq!(g.index_of("itil/c"), Some(3));
        assert_eq!(g.index_of("itil/0"), None);
        assert_eq!(g.index_of("itil/bb"), None);
        assert_eq!(g.index_of("zzz"), None);
        assert_eq!(g.counterparts("zzz").len(), 0);
        assert_eq!(g.false_friends("zzz").len(), 0);
        assert!(g.linked_from("zzz").is_empty());
    }

    #[test]
    fn counterparts_are_closest_first_from_both_ends_with_the_stored_note() {
        let g = Glossary::new(
            Vec::new(),
            vec![
                entry(
                    "itil/x",
                    "X",
                    &[],
                    vec![
                        mapping("clinical/y", Closeness::Broader, "y is wider"),
                        mapping("clinical/z", Closeness::Exact, "z is the same"),
                    ],
                ),
                entry("clinical/y", "Y", &[], Vec::new()),
                entry("clinical/z", "Z", &[], Vec::new()),
            ],
        );
        let from_x: Vec<_> = g
            .counterparts("itil/x")
            .map(|c| (c.id(), c.closeness(), c.note(), c.stored_on()))
            .collect();
        assert_eq!(
            from_x,
            [
                ("clinical/z", Closeness::Exact, "z is the same", "itil/x"),
                ("clinical/y", Closeness::Broader, "y is wider", "itil/x"),
            ]
        );
        let from_y = g.counterparts("clinical/y").next().unwrap();
        assert_eq!(from_y.entry().term, "X");
        assert_eq!(from_y.closeness(), Closeness::Narrower);
        assert_eq!(from_y.note(), "y is wider");
        assert_eq!(from_y.stored_on(), "itil/x");
        assert_eq!(g.linked_from("clinical/y"), ["itil/x"]);
    }

    #[test]
    fn entries_with_label_key_finds_every_entry_with_the_key_and_only_those() {
        let g = Glossary::new(
            Vec::new(),
            vec![
                entry("prince2/handover", "Handover", &[], Vec::new()),
                entry(
                    "clinical/shift-change",
                    "Shift change",
                    &["Hand-over"],
                    Vec::new(),
                ),
                entry("clinical/handover", "Handover", &[], Vec::new()),
                entry("itil/handoff", "Handoff", &[], Vec::new()),
            ],
        );
        let ids = |key: &str| {
            g.entries_with_label_key(key)
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&label_key("Handover")),
            ["clinical/handover", "prince2/handover"]
        );
        assert_eq!(ids(&label_key("Shift change")), ["clinical/shift-change"]);
        assert!(ids(&label_key("Nothing like it")).is_empty());
    }
}
