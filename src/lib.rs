//! Babelfish core: the glossary model, loading and validation, search, and the source of the
//! bundled glossary, and the [`Workspace`] that ties them together for one folder. It knows
//! nothing about windows, Tauri or IPC: the `babelfish` CLI (`cli/`), the desktop shell
//! (`src-tauri/`) and the tests all use it the same way.
#![warn(missing_docs)]

pub mod annotate;
pub mod bundled;
pub mod cache;
pub mod clean;
pub mod document;
pub mod exchange;
pub mod files;
pub mod glossary;
pub mod hints;
pub mod hygiene;
pub mod limits;
pub mod load;
pub mod model;
pub mod render;
pub mod review;
pub mod search;
pub mod source;
pub mod store;
pub mod sync;
pub mod text;
pub mod validate;
pub mod watch;
pub mod wording;
pub mod workspace;

/// Escaping for terminals, Markdown and HTML; lives in [`render::escape`].
pub use render::escape;

pub use glossary::{Counterpart, Glossary};
pub use load::{load_dir, Loaded};
pub use model::{Closeness, Decision, Domain, Entry, Mapping, Reader, Side, SignOff, Status};
pub use search::{Hit, SearchIndex, SearchRequest};
pub use source::{GlossarySource, ENV_GLOSSARY};
pub use validate::{Issue, Severity};
pub use workspace::{Workspace, WorkspaceError};
