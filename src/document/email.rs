//! E-mail (.eml, RFC 822/MIME), read with `mail-parser`: the subject, then every text part in
//! order; HTML parts (an HTML-only message) through the same HTML reader as web pages.
//! Attachments are not read: save one and translate it on its own.

use mail_parser::{MessageParser, PartType};

use super::{html, DocumentError, Format};

/// The text of an e-mail message.
pub fn extract(name: &str, bytes: &[u8]) -> Result<String, DocumentError> {
    let corrupt = |detail: &str| DocumentError::Corrupt {
        name: name.to_string(),
        format: Format::Email,
        detail: detail.to_string(),
    };
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| corrupt("no message could be read"))?;
    let mut out = String::new();
    if let Some(subject) = message.subject() {
        out.push_str(subject.trim());
        out.push_str("\n\n");
    }
    for i in 0..message.text_body_count() {
        let Some(part) = message.text_part(i as u32) else {
            continue;
        };
        let text = match &part.body {
            PartType::Text(text) => text.to_string(),
            PartType::Html(page) => html::to_text(page.as_bytes()).map_err(|e| corrupt(&e))?,
            _ => continue,
        };
        out.push_str(text.trim_end());
        out.push_str("\n\n");
    }
    Ok(out)
}
