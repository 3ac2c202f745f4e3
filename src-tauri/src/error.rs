//! The one error shape that crosses IPC: `{"code": "...", "message": "..."}` plus optional
//! `details` (field problems for `invalid`, both versions for `conflict`). The UI switches on
//! `code`, shows `message` to a person, and never parses the message.

use babelfish::store::StoreError;
use serde::Serialize;

/// An error as the web view receives it. `code` is stable; `message` is for a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpcError {
    /// A stable, machine-readable code (`invalid`, `conflict`, `no_glossary`...).
    pub code: String,
    /// What went wrong, in words for the user.
    pub message: String,
    /// Extra data for some codes; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// Codes raised by the shell itself (the core's store codes pass through unchanged).
pub mod codes {
    /// No glossary folder could be loaded.
    pub const NO_GLOSSARY: &str = "no_glossary";
    /// The glossary is the read-only copy inside the binary.
    pub const READ_ONLY: &str = "read_only";
    /// Saving needs the author's name first.
    pub const AUTHOR_REQUIRED: &str = "author_required";
    /// An id that is not in the loaded glossary.
    pub const NOT_FOUND: &str = "not_found";
    /// The settings file could not be written.
    pub const SETTINGS: &str = "settings";
    /// Building the search index failed.
    pub const INDEX: &str = "index";
    /// A file the user chose could not be read or written.
    pub const IO: &str = "io";
    /// A file or text Babelfish cannot take (too large, not text, not UTF-8).
    pub const UNREADABLE: &str = "unreadable";
    /// A CSV that cannot be imported as it stands (no header, a required column missing,
    /// rows with errors).
    pub const IMPORT: &str = "import";
    /// Something that should not happen (a panicked worker, a closed window).
    pub const INTERNAL: &str = "internal";
}

impl IpcError {
    /// An error with a code and a message and no details.
    pub fn new(code: &str, message: impl Into<String>) -> IpcError {
        IpcError {
            code: code.to_string(),
            message: message.into(),
            details: None,
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for IpcError {}

impl From<StoreError> for IpcError {
    fn from(err: StoreError) -> IpcError {
        let details = match &err {
            StoreError::Invalid { problems, .. } => {
                Some(serde_json::json!({ "problems": problems }))
            }
            StoreError::Conflict(conflict) => serde_json::to_value(conflict).ok(),
            _ => None,
        };
        IpcError {
            code: err.code().to_string(),
            message: err.to_string(),
            details,
        }
    }
}

impl From<babelfish::load::LoadError> for IpcError {
    fn from(err: babelfish::load::LoadError) -> IpcError {
        IpcError::new(codes::NO_GLOSSARY, err.to_string())
    }
}

impl From<babelfish::search::SearchError> for IpcError {
    fn from(err: babelfish::search::SearchError) -> IpcError {
        IpcError::new(codes::INDEX, err.to_string())
    }
}

impl From<babelfish::cache::OpenError> for IpcError {
    fn from(err: babelfish::cache::OpenError) -> IpcError {
        match err {
            babelfish::cache::OpenError::Load(err) => err.into(),
            babelfish::cache::OpenError::Search(err) => err.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use babelfish::store::FieldProblem;
    use serde_json::json;

    /// The UI (ui/js/ipc.js) relies on exactly this shape; change both together.
    #[test]
    fn error_json_shape_is_pinned() {
        let plain = IpcError::new(codes::AUTHOR_REQUIRED, "Tell Babelfish your name first");
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            json!({"code": "author_required", "message": "Tell Babelfish your name first"})
        );

        let invalid: IpcError = StoreError::Invalid {
            id: "itil/x".into(),
            problems: vec![FieldProblem::error(
                "definition",
                "definition is missing or empty",
            )],
        }
        .into();
        assert_eq!(
            serde_json::to_value(&invalid).unwrap(),
            json!({
                "code": "invalid",
                "message": "itil/x is not valid: definition: definition is missing or empty",
                "details": {"problems": [
                    {"field": "definition", "message": "definition is missing or empty", "severity": "error"}
                ]}
            })
        );

        let missing: IpcError = StoreError::NotFound("itil/gone".into()).into();
        assert_eq!(
            serde_json::to_value(&missing).unwrap(),
            json!({"code": "not_found", "message": "itil/gone does not exist"})
        );
    }
}
