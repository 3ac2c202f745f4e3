//! Character-level checks on glossary names, wherever they come from (an entry file, a form,
//! `domains.json`, a folder name).

/// Why `slug` cannot name a file or folder in the glossary, or `None` when it can. `what` says
/// what it is for the message ("file name", "domain id").
pub fn slug_problem(slug: &str, what: &str) -> Option<String> {
    if !crate::model::is_valid_slug(slug) {
        Some(format!(
            "{what} \"{}\" is not a valid slug (lower-case letters, digits and single hyphens, at most 80 characters)",
            slug.escape_debug()
        ))
    } else {
        None
    }
}
