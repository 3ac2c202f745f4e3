//! Escaping glossary text for the places it is shown: Markdown, HTML and a terminal.
//!
//! Glossary text is data typed by people (and, on a shared folder, by anyone who can write a
//! file there). Whatever it holds — `<script>`, `[x](javascript:…)`, a newline followed by
//! `# Heading`, an ESC sequence — it must come out as the characters it is, never as markup or a
//! terminal command.

use std::borrow::Cow;
use std::fmt::Write as _;

/// HTML text or attribute content: `&`, `<`, `>`, `"` and `'` as entities.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// ASCII punctuation that starts Markdown (CommonMark + GFM) inline syntax anywhere in a line:
/// emphasis, code, links and images, raw HTML and autolinks, entities, tables, strikethrough,
/// and the math some renderers add. Every ASCII punctuation mark may be backslash-escaped.
const MARKDOWN_INLINE: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '#', '!', '|', '~', '&', '$',
];

/// Text for one line of Markdown (a heading, a list item, a table cell): every run of
/// whitespace, newlines included, becomes one space (so no text can start a line of its own and
/// inject a heading or a list), control characters are dropped, and every character that could
/// start Markdown syntax is backslash-escaped, including a block marker at the start (`-`, `+`,
/// `=`, `1.`). The result shows exactly the text, as text.
pub fn markdown_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() || crate::hygiene::is_invisible(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if (out.is_empty() && matches!(c, '-' | '+' | '=')) || MARKDOWN_INLINE.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. " or "1) " at the start would begin an ordered list.
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
        out.insert(digits, '\\');
    }
    out
}

/// Longer text (a definition, a description) as Markdown paragraphs: blank lines separate
/// paragraphs, and each paragraph is escaped as one line with [`markdown_inline`].
pub fn markdown_block(s: &str) -> String {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in s.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(markdown_inline(&current));
                current.clear();
            }
        } else {
            current.push(' ');
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(markdown_inline(&current));
    }
    paragraphs.join("\n\n")
}

/// True for characters a terminal must not receive raw from glossary data: C0 controls, DEL,
/// C1 controls (U+0080–U+009F: 8-bit CSI and friends) and the bidirectional overrides and
/// isolates, which reorder what is shown.
fn unsafe_for_terminal(c: char, bidi: bool) -> bool {
    c.is_control() || bidi && crate::hygiene::is_bidi_control(c)
}

/// Text for a terminal, keeping its layout: newlines, tabs and CRLF line ends stay; every other
/// control character and bidi control is shown as `\u001B` (visible, never interpreted, and the
/// same escape JSON uses, so JSON output stays valid JSON with the same meaning).
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape_chars(s, false, true)
}

/// One line for a terminal (a file name, an id, a message): as [`terminal`], and newlines,
/// tabs and carriage returns are shown as escapes too, so nothing can fake a second line.
pub fn terminal_line(s: &str) -> Cow<'_, str> {
    escape_chars(s, true, true)
}

fn escape_chars(s: &str, one_line: bool, bidi: bool) -> Cow<'_, str> {
    let bad = |c: char, next: Option<char>| {
        unsafe_for_terminal(c, bidi)
            && (one_line || !(c == '\n' || c == '\t' || c == '\r' && next == Some('\n')))
    };
    // Printable ASCII (most of any output) is never unsafe: only other bytes start a char to
    // look at, which keeps megabytes of `translate --json` cheap to check.
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut clean = true;
    while i < bytes.len() {
        if (0x20..0x7f).contains(&bytes[i]) {
            i += 1;
            continue;
        }
        let mut rest = s[i..].chars();
        let c = rest.next().expect("i is a char boundary");
        if bad(c, rest.next()) {
            clean = false;
            break;
        }
        i += c.len_utf8();
    }
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if bad(c, chars.peek().copied()) {
            let _ = write!(out, "\\u{:04X}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that passes text through [`terminal`], so no output of the CLI can put a raw
/// control character on a terminal. [`TerminalSafe::data`] is for data formats (CSV, Turtle,
/// Markdown, HTML): it escapes only control characters, which valid glossary data cannot hold
/// (a newline, a tab and CRLF pass), and leaves every other character as the data has it.
/// Writes that are not UTF-8 have their C0 and DEL bytes escaped.
pub struct TerminalSafe<W> {
    inner: W,
    bidi: bool,
}

impl<W: std::io::Write> TerminalSafe<W> {
    /// Wraps `inner` for text meant for people.
    pub fn new(inner: W) -> TerminalSafe<W> {
        TerminalSafe { inner, bidi: true }
    }

    /// Wraps `inner` for a data format.
    pub fn data(inner: W) -> TerminalSafe<W> {
        TerminalSafe { inner, bidi: false }
    }
}

impl<W: std::io::Write> std::io::Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self
                .inner
                .write_all(escape_chars(text, false, self.bidi).as_bytes())?,
            Err(_) => {
                for &b in buf {
                    if (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F {
                        write!(self.inner, "\\u{b:04X}")?;
                    } else {
                        self.inner.write_all(&[b])?;
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_inline_is_inert() {
        assert_eq!(markdown_inline("<script>"), "\\<script\\>");
        assert_eq!(
            markdown_inline("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(markdown_inline("a\n# b"), "a \\# b");
        assert_eq!(markdown_inline("- item"), "\\- item");
        assert_eq!(markdown_inline("12. item"), "12\\. item");
        assert_eq!(markdown_inline("go-live (CAB)"), "go-live (CAB)");
    }

    #[test]
    fn markdown_block_keeps_paragraphs_only() {
        assert_eq!(
            markdown_block("one\ntwo\n\n\n# three\n    code"),
            "one two\n\n\\# three code"
        );
    }

    #[test]
    fn terminal_escapes_controls_and_keeps_layout() {
        assert_eq!(terminal("a\x1b[31mb"), "a\\u001B[31mb");
        assert_eq!(terminal("a\r\nb\tc"), "a\r\nb\tc");
        assert_eq!(terminal("a\rb"), "a\\u000Db");
        assert_eq!(terminal("x\u{202E}y\u{9B}"), "x\\u202Ey\\u009B");
        assert_eq!(terminal_line("a\nb"), "a\\u000Ab");
        assert!(matches!(terminal("plain"), Cow::Borrowed(_)));
    }
}
