//! Escaping glossary text for the places it is shown: Markdown and HTML.
//!
//! Glossary text is data typed by people (and, on a shared folder, by anyone who can write a
//! file there). Whatever it holds — `<script>`, `[x](javascript:…)`, a newline followed by
//! `# Heading` — it must come out as the characters it is, never as markup.

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
        if c.is_control() {
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
}
