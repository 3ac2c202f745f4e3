//! Exit codes, and what an error that ends the run looks like.

use std::process::ExitCode;

use babelfish::store::StoreError;
use babelfish::WorkspaceError;

/// How a run ended. The numbers are a contract (README, scripts, tests pin them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Ok = 0,
    /// 1: a problem with the data or the request (lint errors, an unknown id, an invalid
    /// entry, an unreadable input file).
    Data = 1,
    /// 2: bad usage, an unreadable glossary folder, or the system refused (I/O).
    Usage = 2,
    /// 3: a conflicting edit (someone saved the entry since it was read).
    Conflict = 3,
    /// 4: the entry is locked by another writer, or by a lock that cannot be cleared.
    Busy = 4,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

impl Exit {
    /// The exit code of a refused save or delete.
    pub fn of_store_error(err: &StoreError) -> Exit {
        match err {
            StoreError::Conflict(_) => Exit::Conflict,
            StoreError::Busy { .. } => Exit::Busy,
            StoreError::Io { .. } => Exit::Usage,
            _ => Exit::Data,
        }
    }
}

/// Prints a refused save or delete (a conflict says so first) and gives its exit code.
pub fn report_store_error(err: &StoreError) -> Exit {
    if let StoreError::Conflict(_) = err {
        say!("babelfish: conflict: {err}");
    } else {
        say!("babelfish: {err}");
    }
    Exit::of_store_error(err)
}

/// The workspace's refusal to edit the bundled glossary, with what to do instead.
pub fn read_only() -> anyhow::Error {
    anyhow::anyhow!(
        "{}; give a folder with --glossary DIR or BABELFISH_GLOSSARY",
        WorkspaceError::ReadOnly
    )
}

/// True when the error comes from writing to a pipe whose reader has gone.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            })
            == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes joined with `: `, leaving out a cause whose text the message
/// already holds (error types that quote their source would otherwise print the OS error
/// twice: "cannot read X: No such file or directory (os error 2): No such file...").
pub fn error_message(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_keep_their_numbers() {
        let codes = [
            Exit::Ok,
            Exit::Data,
            Exit::Usage,
            Exit::Conflict,
            Exit::Busy,
        ]
        .map(|e| e as u8);
        assert_eq!(codes, [0, 1, 2, 3, 4]);
        let busy = StoreError::Busy {
            id: "itil/incident".into(),
            detail: "held".into(),
        };
        assert_eq!(Exit::of_store_error(&busy), Exit::Busy);
        assert_eq!(
            Exit::of_store_error(&StoreError::NotFound("x/y".into())),
            Exit::Data
        );
    }

    #[test]
    fn a_broken_pipe_is_recognised_through_context() {
        let err = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing the hits");
        assert!(is_broken_pipe(&err));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
    }

    #[test]
    fn a_cause_quoted_by_its_error_is_not_repeated() {
        let err = anyhow::anyhow!("inner").context("outer: inner");
        assert_eq!(error_message(&err), "outer: inner");
        let err = anyhow::anyhow!("inner").context("outer");
        assert_eq!(error_message(&err), "outer: inner");
    }
}
