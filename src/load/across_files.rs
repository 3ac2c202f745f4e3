//! Checks between the files of a glossary, once every file is parsed: links whose target is
//! missing or wrong (reported and dropped, so the entry still loads) and a name used by two
//! entries of one domain.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::parse::FileText;
use crate::model::Entry;
use crate::text::label_key;
use crate::validate::{check_entry_links, Issue, LinkTargets, Severity};

/// The loaded entries as link targets.
struct LoadedTargets {
    domain_of: HashMap<String, String>,
    mapped_pairs: HashSet<(String, String)>,
}

impl LinkTargets for LoadedTargets {
    fn domain_of(&self, id: &str) -> Option<&str> {
        self.domain_of.get(id).map(String::as_str)
    }
    fn maps(&self, from: &str, to: &str) -> bool {
        self.mapped_pairs
            .contains(&(from.to_string(), to.to_string()))
    }
}

/// Reports broken links and drops them (and duplicate mappings) so the entry still loads.
pub(super) fn check_links(entries: &mut [(Entry, Arc<FileText>)], problems: &mut Vec<Issue>) {
    let targets = LoadedTargets {
        domain_of: entries
            .iter()
            .map(|(e, _)| (e.id.clone(), e.domain.clone()))
            .collect(),
        mapped_pairs: entries
            .iter()
            .flat_map(|(e, _)| e.mappings.iter().map(|m| (e.id.clone(), m.id.clone())))
            .collect(),
    };
    for (entry, text) in entries.iter_mut() {
        let issues = check_entry_links(entry, &targets);
        let mut broken: HashSet<(String, String)> = HashSet::new();
        for mut issue in issues {
            let target = issue.value.clone().unwrap_or_default();
            if issue.is_error() {
                issue.message.push_str(if issue.field == "mappings" {
                    "; the mapping was dropped"
                } else {
                    "; the link was dropped"
                });
                broken.insert((issue.field.clone(), target));
            }
            problems.push(text.place(issue));
        }
        let mut seen = HashSet::new();
        entry.mappings.retain(|m| {
            !broken.contains(&("mappings".into(), m.id.clone())) && seen.insert(m.id.clone())
        });
        entry
            .related
            .retain(|t| !broken.contains(&("related".into(), t.clone())));
        entry
            .false_friends
            .retain(|t| !broken.contains(&("false_friends".into(), t.clone())));
    }
}

/// The same term or synonym twice within one domain is an error (both entries still load).
pub(super) fn check_labels(entries: &[(Entry, Arc<FileText>)], problems: &mut Vec<Issue>) {
    let mut owners: BTreeMap<(String, String), Vec<(usize, String)>> = BTreeMap::new();
    for (index, (entry, _)) in entries.iter().enumerate() {
        let mut own = HashSet::new();
        for label in std::iter::once(&entry.term).chain(&entry.synonyms) {
            let key = label_key(label);
            if !key.is_empty() && own.insert(key.clone()) {
                owners
                    .entry((entry.domain.clone(), key))
                    .or_default()
                    .push((index, label.clone()));
            }
        }
    }
    for ((domain, _), list) in owners {
        if list.len() < 2 {
            continue;
        }
        for (i, (index, label)) in list.iter().enumerate() {
            let others: Vec<&str> = list
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (o, _))| entries[*o].0.id.as_str())
                .collect();
            let (entry, text) = &entries[*index];
            let field = if *label == entry.term {
                "term"
            } else {
                "synonyms"
            };
            problems.push(text.problem(
                text.position_of_value(field, label),
                Severity::Error,
                format!(
                    "\"{label}\" names more than one entry in the {domain} domain (also {}); give each a distinct term, or merge them",
                    others.join(", ")
                ),
            ));
        }
    }
}
