//! What the web view is sent: plain data shaped for display, built from the core's types.
//! No HTML is ever produced here; the UI puts every string in the page as text. The business
//! rules the page shows (closeness labels, which counterpart is a translation, the heading over
//! an explanation, the required fields, a new entry's vocabulary) come from the core here, so
//! the UI holds no copy of them.

use babelfish::validate::Issue;
use babelfish::{Closeness, Domain, Entry, Glossary, Reader, Side};
use serde::Serialize;

use crate::error::IpcError;
use crate::settings::Settings;
use crate::state::{AppState, Library, Origin, Timings};

/// A link to another entry, with what is needed to show it without a second call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkView {
    /// The other entry's id.
    pub id: String,
    /// Its term.
    pub term: String,
    /// Its domain id.
    pub domain: String,
    /// Its domain's display name.
    pub domain_name: String,
    /// For mappings: how close it is, seen from the entry being shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closeness: Option<Closeness>,
    /// For mappings: the closeness in words ("same thing", "only related").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closeness_label: Option<&'static str>,
    /// For mappings: an equivalent (shown as "on the other side"), not only an analogy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalent: Option<bool>,
    /// For mappings: where the analogy holds and where it breaks.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The other sense of a false friend, shown side by side with the entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SenseView {
    /// The other entry's id.
    pub id: String,
    /// Its term.
    pub term: String,
    /// Its domain id.
    pub domain: String,
    /// Its domain's display name.
    pub domain_name: String,
    /// Its definition.
    pub definition: String,
}

/// One entry, ready to read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryView {
    /// The entry exactly as stored.
    pub entry: Entry,
    /// The domain's display name.
    pub domain_name: String,
    /// The side that speaks the entry's domain.
    pub side: Side,
    /// True when the reader is on the other side: show the explanation before the definition.
    pub explanation_first: bool,
    /// The heading over the explanation (it is written for the other side).
    pub explanation_heading: &'static str,
    /// Mappings from both ends, closest first (empty: "no equivalent").
    pub counterparts: Vec<LinkView>,
    /// Related entries that exist.
    pub related: Vec<LinkView>,
    /// Other senses of the same word, to show side by side.
    pub false_friends: Vec<SenseView>,
    /// Entries that link here: the links that would dangle if this entry were deleted.
    pub linked_from: Vec<LinkView>,
    /// False for the read-only bundled glossary.
    pub editable: bool,
    /// Its review: state, who still has to sign off, the sign-off history (from the core).
    pub review: babelfish::review::Summary,
}

/// Entry `id` as a link in a list (None when it is not in the glossary).
pub fn link(glossary: &Glossary, id: &str) -> Option<LinkView> {
    let other = glossary.get(id)?;
    Some(LinkView {
        id: other.id.clone(),
        term: other.term.clone(),
        domain: other.domain.clone(),
        domain_name: glossary.domain_name(&other.domain).to_string(),
        closeness: None,
        closeness_label: None,
        equivalent: None,
        note: String::new(),
    })
}

/// True when an entry of `domain` should be explained before it is defined for `reader`.
pub fn explanation_first(glossary: &Glossary, domain: &str, reader: Option<Reader>) -> bool {
    reader.is_some_and(|r| glossary.side_of(domain) != r.side())
}

/// Builds the view of one entry for a reader.
pub fn entry_view(
    glossary: &Glossary,
    id: &str,
    reader: Option<Reader>,
    editable: bool,
) -> Option<EntryView> {
    let entry = glossary.get(id)?;
    let counterparts = glossary
        .counterparts(id)
        .filter_map(|c| {
            let mut view = link(glossary, c.id())?;
            view.closeness = Some(c.closeness());
            view.closeness_label = Some(c.closeness().label());
            view.equivalent = Some(c.closeness().is_equivalent());
            view.note = c.note().to_owned();
            Some(view)
        })
        .collect();
    let related = entry
        .related
        .iter()
        .filter_map(|r| link(glossary, r))
        .collect();
    let false_friends = glossary
        .false_friends(id)
        .map(|other| SenseView {
            id: other.id.clone(),
            term: other.term.clone(),
            domain: other.domain.clone(),
            domain_name: glossary.domain_name(&other.domain).to_string(),
            definition: other.definition.clone(),
        })
        .collect();
    let linked_from = glossary
        .linked_from(id)
        .into_iter()
        .filter_map(|l| link(glossary, l))
        .collect();
    Some(EntryView {
        entry: entry.clone(),
        domain_name: glossary.domain_name(&entry.domain).to_string(),
        side: glossary.side_of(&entry.domain),
        explanation_first: explanation_first(glossary, &entry.domain, reader),
        explanation_heading: glossary.side_of(&entry.domain).explanation_heading(),
        counterparts,
        related,
        false_friends,
        linked_from,
        editable,
        review: babelfish::review::summary(entry),
    })
}

/// The glossary in use, for the header and the settings page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlossaryInfo {
    /// The folder, or None for the built-in copy.
    pub folder: Option<String>,
    /// How it was chosen.
    pub origin: Origin,
    /// Whether entries can be saved.
    pub editable: bool,
    /// Number of entries that loaded.
    pub entries: usize,
    /// Why nothing loaded (the no-glossary state), if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<IpcError>,
    /// How long the last load took.
    pub timings: Timings,
}

/// Everything the UI needs at start and after the glossary changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    /// The app's version.
    pub version: &'static str,
    /// The glossary in use.
    pub glossary: GlossaryInfo,
    /// The vocabularies (filter chips, badges, the editor's domain list).
    pub domains: Vec<Domain>,
    /// Problems found while loading: broken files are listed, the rest works.
    pub problems: Vec<Issue>,
    /// The user's settings.
    pub settings: Settings,
    /// Where the settings are kept.
    pub settings_file: String,
    /// A note about the settings file, if it could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings_note: Option<String>,
    /// The BABELFISH_GLOSSARY value when set (it takes precedence over settings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_glossary: Option<String>,
    /// Every closeness with its words, closest first.
    pub closeness: Vec<ClosenessView>,
    /// The fields an entry must fill in (and an import must map).
    pub required_fields: Vec<&'static str>,
    /// The vocabulary a new entry starts in for this reader (None without vocabularies).
    pub new_entry_domain: Option<String>,
    /// When the folder is polled for colleagues' edits (a network folder), says so: "Watching
    /// by polling every 2 s (network folder)". None when change events are used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watching: Option<String>,
    /// When the glossary folder is inside OneDrive, Dropbox or the like, why that defeats the
    /// locks and what to use instead. None otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder_warning: Option<String>,
    /// The global lookup shortcut in force; None when switched off.
    pub lookup_shortcut: Option<String>,
}

/// How close a counterpart is, in the words the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosenessView {
    /// The closeness as stored (`close`).
    pub id: Closeness,
    /// In words (`only related`).
    pub label: &'static str,
    /// How a one-line translation introduces it (`≈ close:`); None: not a translation.
    pub translation_mark: Option<&'static str>,
    /// An equivalent, not only an analogy.
    pub equivalent: bool,
}

/// Every closeness, closest first, for the page's lookup table.
pub fn closeness_views() -> Vec<ClosenessView> {
    Closeness::ALL
        .iter()
        .map(|&c| ClosenessView {
            id: c,
            label: c.label(),
            translation_mark: c.translation_mark(),
            equivalent: c.is_equivalent(),
        })
        .collect()
}

/// The status as it is now.
pub async fn current_status(state: &AppState) -> Status {
    let library = state.library.read().await;
    let settings = state.settings.read().await;
    let mut status = status(
        &library,
        &settings,
        &state.paths.settings_file,
        state.settings_note.as_deref(),
    );
    status.watching = crate::services::live::polling_note(state, library.folder.as_deref());
    status
}

/// Builds the status from the library and settings.
pub fn status(
    library: &Library,
    settings: &Settings,
    settings_file: &std::path::Path,
    settings_note: Option<&str>,
) -> Status {
    let (domains, problems, entries, error) = match &library.content {
        Ok(workspace) => (
            workspace.glossary().domains().to_vec(),
            workspace.loaded().problems.clone(),
            workspace.glossary().len(),
            None,
        ),
        Err(e) => (Vec::new(), Vec::new(), 0, Some(e.clone())),
    };
    Status {
        version: env!("CARGO_PKG_VERSION"),
        glossary: GlossaryInfo {
            folder: library.folder.as_ref().map(|f| f.display().to_string()),
            origin: library.origin,
            editable: library.folder.is_some() && error.is_none(),
            entries,
            error,
            timings: library.timings,
        },
        problems,
        settings: settings.clone(),
        settings_file: settings_file.display().to_string(),
        settings_note: settings_note.map(str::to_string),
        env_glossary: std::env::var(babelfish::ENV_GLOSSARY)
            .ok()
            .filter(|v| !v.is_empty()),
        new_entry_domain: babelfish::model::suggested_domain(&domains, settings.reader)
            .map(|d| d.id.clone()),
        domains,
        closeness: closeness_views(),
        required_fields: babelfish::validate::required_from_person().collect(),
        watching: None,
        folder_warning: library
            .folder
            .as_deref()
            .and_then(babelfish::files::synced_folder_warning),
        lookup_shortcut: settings.lookup_shortcut().map(str::to_string),
    }
}
