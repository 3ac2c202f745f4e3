//! Running the user's own `git` command (never a git library): it brings their credential
//! helpers, SSH agent, proxies and corporate certificates.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::SyncError;

/// The `git` command, run in one work tree.
#[derive(Debug, Clone)]
pub(crate) struct Git {
    dir: PathBuf,
    interactive: bool,
    env: Vec<(&'static str, String)>,
}

impl Git {
    /// `git` run in `dir`. When not `interactive` (the app), git never waits for a password
    /// on a terminal nobody sees: it fails, and the failure is reported as an auth problem.
    pub(crate) fn new(dir: &Path, interactive: bool) -> Git {
        Git {
            dir: dir.to_path_buf(),
            interactive,
            env: Vec::new(),
        }
    }

    /// The folder git runs in.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The same command with an extra environment variable (an identity, a scratch index).
    pub(crate) fn with_env(mut self, key: &'static str, value: impl Into<String>) -> Git {
        self.env.push((key, value.into()));
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(&self.dir).args(args);
        // English messages, so a rejected push or a refused login can be recognised.
        cmd.env("LC_ALL", "C").env("LANGUAGE", "C");
        if !self.interactive {
            cmd.env("GIT_TERMINAL_PROMPT", "0");
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// Runs git with `input` on standard input; the output whatever the exit status.
    pub(crate) fn output_with(&self, args: &[&str], input: &[u8]) -> Result<Output, SyncError> {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(spawn_error)?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // Written from another thread: git may fill its stdout pipe before reading all input.
        let input = input.to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let output = child.wait_with_output().map_err(spawn_error)?;
        let _ = writer.join();
        Ok(output)
    }

    /// Runs git; the output whatever the exit status.
    pub(crate) fn output(&self, args: &[&str]) -> Result<Output, SyncError> {
        self.command(args)
            .stdin(Stdio::null())
            .output()
            .map_err(spawn_error)
    }

    /// Runs git and returns its standard output, or the failure with git's message.
    pub(crate) fn run(&self, args: &[&str]) -> Result<String, SyncError> {
        checked(args, self.output(args)?)
    }

    /// [`Git::run`] with `input` on standard input.
    pub(crate) fn run_with(&self, args: &[&str], input: &[u8]) -> Result<String, SyncError> {
        checked(args, self.output_with(args, input)?)
    }

    /// Runs git; `Some(stdout)` when it succeeded, `None` when it said no (a missing ref).
    pub(crate) fn try_run(&self, args: &[&str]) -> Result<Option<String>, SyncError> {
        let output = self.output(args)?;
        Ok(output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
    }
}

/// The output of a successful run, or a [`SyncError::Git`] with what git said.
fn checked(args: &[&str], output: Output) -> Result<String, SyncError> {
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    Err(SyncError::Git {
        command: args.iter().take(2).copied().collect::<Vec<_>>().join(" "),
        message: message_of(&output),
    })
}

/// What git said on standard error (or standard output), trimmed to its last lines.
pub(crate) fn message_of(output: &Output) -> String {
    let text = String::from_utf8_lossy(if output.stderr.is_empty() {
        &output.stdout
    } else {
        &output.stderr
    });
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(6)..].join("\n")
}

fn spawn_error(e: std::io::Error) -> SyncError {
    if e.kind() == std::io::ErrorKind::NotFound {
        SyncError::GitMissing
    } else {
        SyncError::Io(e)
    }
}

/// True when git's message says the remote refused who we are (or wanted a password nobody
/// could type).
pub(crate) fn is_auth_failure(message: &str) -> bool {
    const SIGNS: [&str; 8] = [
        "Authentication failed",
        "Permission denied (publickey",
        "could not read Username",
        "could not read Password",
        "terminal prompts disabled",
        "The requested URL returned error: 401",
        "The requested URL returned error: 403",
        "Host key verification failed",
    ];
    SIGNS.iter().any(|sign| message.contains(sign))
}

/// True when a push was refused because the remote has commits we do not.
pub(crate) fn is_rejected_push(message: &str) -> bool {
    message.contains("[rejected]")
        || message.contains("Updates were rejected")
        || message.contains("fetch first")
        || message.contains("non-fast-forward")
        || message.contains("cannot lock ref")
}

/// `path` with git's glob characters escaped, for a `:(glob)` pathspec.
pub(crate) fn glob_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_auth_failures_and_rejected_pushes() {
        assert!(is_auth_failure(
            "fatal: could not read Username for 'https://example.org': terminal prompts disabled"
        ));
        assert!(is_auth_failure("git@host: Permission denied (publickey)."));
        assert!(!is_auth_failure("fatal: repository not found"));
        assert!(is_rejected_push(
            " ! [rejected]        main -> main (fetch first)"
        ));
        assert!(is_rejected_push(
            "hint: Updates were rejected because the remote contains work that you do not"
        ));
        assert!(!is_rejected_push("Everything up-to-date"));
    }

    #[test]
    fn escapes_glob_characters() {
        assert_eq!(glob_escape("a[1]/b*?"), "a\\[1\\]/b\\*\\?");
        assert_eq!(glob_escape("glossary"), "glossary");
    }
}
