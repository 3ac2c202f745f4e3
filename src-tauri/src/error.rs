//! The one error shape that crosses IPC: `{"code": "...", "message": "..."}` plus optional
//! `details` (field problems for `invalid`, both versions for `conflict`). The UI switches on
//! `code`, shows `message` to a person, and never parses the message.

use babelfish::store::StoreError;
use serde::Serialize;

/// The stable, machine-readable part of an error. The UI switches on it (ui/js/bridge.js);
/// its JSON spelling (`no_glossary`, `author_required`...) is the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No glossary folder could be loaded.
    NoGlossary,
    /// The glossary is the read-only copy inside the binary.
    ReadOnly,
    /// Saving needs the author's name first.
    AuthorRequired,
    /// An id that is not in the loaded glossary (or no longer on disk).
    NotFound,
    /// The settings file could not be written.
    Settings,
    /// Building or updating the search index failed.
    Index,
    /// A file could not be read or written.
    Io,
    /// A file or text Babelfish cannot take (too large, not text, not UTF-8).
    Unreadable,
    /// A CSV that cannot be imported as it stands (no header, a required column missing,
    /// rows with errors).
    Import,
    /// The store refused an entry with field problems (`details.problems`).
    Invalid,
    /// Someone else saved or deleted the entry meanwhile (`details`: both versions).
    Conflict,
    /// A new entry's id is taken.
    Exists,
    /// The entry's file does not parse; it was left alone.
    BrokenFile,
    /// Another writer holds the entry's lock.
    Busy,
    /// A link, FIFO or other non-plain file is in the way.
    UnsafePath,
    /// An id that is not `<domain>/<slug>`.
    BadId,
    /// Git sync could not run (`details.reason`: the core's `SyncError::code`, e.g.
    /// `no_upstream`, `in_progress`, `git_missing`, `auth`).
    Sync,
    /// A review rule refused a sign-off or an edit (the message names the rule).
    ReviewRule,
    /// Something that should not happen (a panicked worker, a closed window).
    Internal,
}

impl ErrorCode {
    /// The code as the UI sees it (`"no_glossary"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NoGlossary => "no_glossary",
            ErrorCode::ReadOnly => "read_only",
            ErrorCode::AuthorRequired => "author_required",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Settings => "settings",
            ErrorCode::Index => "index",
            ErrorCode::Io => "io",
            ErrorCode::Unreadable => "unreadable",
            ErrorCode::Import => "import",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Exists => "exists",
            ErrorCode::BrokenFile => "broken_file",
            ErrorCode::Busy => "busy",
            ErrorCode::UnsafePath => "unsafe_path",
            ErrorCode::BadId => "bad_id",
            ErrorCode::Sync => "sync",
            ErrorCode::ReviewRule => "review_rule",
            ErrorCode::Internal => "internal",
        }
    }
}

impl From<&StoreError> for ErrorCode {
    fn from(err: &StoreError) -> ErrorCode {
        match err {
            StoreError::Invalid { .. } => ErrorCode::Invalid,
            StoreError::Conflict(_) => ErrorCode::Conflict,
            StoreError::Exists(_) => ErrorCode::Exists,
            StoreError::NotFound(_) => ErrorCode::NotFound,
            StoreError::Broken { .. } => ErrorCode::BrokenFile,
            StoreError::Busy { .. } => ErrorCode::Busy,
            StoreError::UnsafePath { .. } => ErrorCode::UnsafePath,
            StoreError::BadId(_) => ErrorCode::BadId,
            StoreError::Review(_) => ErrorCode::ReviewRule,
            StoreError::Io { .. } => ErrorCode::Io,
        }
    }
}

/// An error as the web view receives it. `code` is stable; `message` is for a person.
#[derive(Debug, Clone, PartialEq)]
pub struct IpcError {
    /// What kind of failure it is.
    pub code: ErrorCode,
    /// What went wrong, in words for the user.
    pub message: String,
    /// Extra data for some codes; absent otherwise.
    pub details: Option<serde_json::Value>,
}

/// Serialising is what sends an error to the window (a command's `Err`, or one a status view
/// carries), so it is also where every such error is logged ([`crate::log::command_error`]:
/// the code always, the message unless it is about a document the user opened).
impl Serialize for IpcError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        crate::log::command_error(self);
        let fields = if self.details.is_some() { 3 } else { 2 };
        let mut out = serializer.serialize_struct("IpcError", fields)?;
        out.serialize_field("code", &self.code)?;
        out.serialize_field("message", &self.message)?;
        if let Some(details) = &self.details {
            out.serialize_field("details", details)?;
        }
        out.end()
    }
}

impl IpcError {
    /// An error with a code and a message and no details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> IpcError {
        IpcError {
            code,
            message: message.into(),
            details: None,
        }
    }

    /// Something that should not happen (a worker that panicked, a window gone), as `internal`.
    pub fn internal(err: impl std::fmt::Display) -> IpcError {
        IpcError::new(ErrorCode::Internal, err.to_string())
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
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
            code: ErrorCode::from(&err),
            message: err.to_string(),
            details,
        }
    }
}

impl From<babelfish::load::LoadError> for IpcError {
    fn from(err: babelfish::load::LoadError) -> IpcError {
        IpcError::new(ErrorCode::NoGlossary, err.to_string())
    }
}

impl From<babelfish::search::SearchError> for IpcError {
    fn from(err: babelfish::search::SearchError) -> IpcError {
        IpcError::new(ErrorCode::Index, err.to_string())
    }
}

/// What the page is told when an edit reaches the bundled glossary.
const READ_ONLY_MESSAGE: &str = "This is the read-only glossary built into Babelfish; choose a glossary folder in Settings to edit.";

impl From<babelfish::WorkspaceError> for IpcError {
    fn from(err: babelfish::WorkspaceError) -> IpcError {
        use babelfish::WorkspaceError as W;
        match err {
            W::Load(err) => err.into(),
            W::Index(err) => err.into(),
            W::ReadOnly => IpcError::new(ErrorCode::ReadOnly, READ_ONLY_MESSAGE),
            W::Store(err) | W::CurrentRevision(err) => err.into(),
            W::UnknownDomain { .. } => IpcError::new(ErrorCode::NotFound, err.to_string()),
            W::Linked { .. } => IpcError::new(ErrorCode::Conflict, err.to_string()),
            W::RowsWithErrors(_) => IpcError::new(ErrorCode::Import, err.to_string()),
            W::Import(err) => IpcError::new(ErrorCode::Import, err.message),
        }
    }
}

impl From<babelfish::sync::SyncError> for IpcError {
    fn from(err: babelfish::sync::SyncError) -> IpcError {
        IpcError {
            code: ErrorCode::Sync,
            message: err.to_string(),
            details: Some(serde_json::json!({ "reason": err.code() })),
        }
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
    use babelfish::validate::Issue;
    use serde_json::json;

    /// The UI (ui/js/bridge.js) relies on exactly this shape; change both together.
    #[test]
    fn error_json_shape_is_pinned() {
        let plain = IpcError::new(ErrorCode::AuthorRequired, "Tell Babelfish your name first");
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            json!({"code": "author_required", "message": "Tell Babelfish your name first"})
        );

        let invalid: IpcError = StoreError::Invalid {
            id: "itil/x".into(),
            problems: vec![Issue::error("definition", "definition is missing or empty")],
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

    /// `as_str` (used in logs) and the JSON spelling never drift apart, and the store's own
    /// codes (which `babelfish` prints for scripts) are the ones the UI receives.
    #[test]
    fn codes_serialise_as_their_names_and_match_the_store() {
        let all = [
            ErrorCode::NoGlossary,
            ErrorCode::ReadOnly,
            ErrorCode::AuthorRequired,
            ErrorCode::NotFound,
            ErrorCode::Settings,
            ErrorCode::Index,
            ErrorCode::Io,
            ErrorCode::Unreadable,
            ErrorCode::Import,
            ErrorCode::Invalid,
            ErrorCode::Conflict,
            ErrorCode::Exists,
            ErrorCode::BrokenFile,
            ErrorCode::Busy,
            ErrorCode::UnsafePath,
            ErrorCode::BadId,
            ErrorCode::Sync,
            ErrorCode::Internal,
        ];
        for code in all {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
        }
        let store_errors = [
            StoreError::Exists("itil/x".into()),
            StoreError::NotFound("itil/x".into()),
            StoreError::BadId("x".into()),
            StoreError::Busy {
                id: "itil/x".into(),
                detail: "held".into(),
            },
        ];
        for err in store_errors {
            assert_eq!(ErrorCode::from(&err).as_str(), err.code());
        }
    }
}
