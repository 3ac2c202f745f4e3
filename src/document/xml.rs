//! The text of an OOXML or ODF part, read with quick-xml by a small table of rules per format.

use quick_xml::events::Event;
use quick_xml::Reader;

/// What to do with which elements (qualified names as the formats write them: `w:t`).
pub struct Rules {
    /// Text counts only inside one of these (`w:t`, `a:t`, `office:body`).
    pub text_in: &'static [&'static str],
    /// Elements whose whole content is dropped (`w:del`, `text:tracked-changes`).
    pub skip: &'static [&'static str],
    /// Elements whose end is a line break (paragraphs).
    pub paragraph: &'static [&'static str],
    /// Empty elements that stand for a character (`w:tab` → tab, `w:br` → line break).
    pub chars: &'static [(&'static str, char)],
    /// Elements set on lines of their own (an ODF annotation inside a paragraph).
    pub own_line: &'static [&'static str],
    /// The ODF space element (`text:s`, its `text:c` attribute the count).
    pub spaces: Option<&'static str>,
}

/// Appends the text of `xml` to `out` under `rules`. Errors are quick-xml's, as text.
// Long: one quick-xml event loop whose arms share the reader's state.
pub fn text(xml: &[u8], rules: &Rules, out: &mut String) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut inside = 0usize;
    let mut skipping = 0usize;
    let is = |list: &[&str], name: &str| list.contains(&name);
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("{e} at byte {}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                let name = e.name();
                let name = name.as_ref();
                if skipping > 0 || is(rules.skip, name) {
                    skipping += 1;
                } else {
                    if is(rules.text_in, name) {
                        inside += 1;
                    }
                    if inside > 0 && is(rules.own_line, name) {
                        out.push('\n');
                    }
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name = name.as_ref();
                if skipping > 0 {
                    skipping -= 1;
                } else {
                    if is(rules.text_in, name) {
                        inside = inside.saturating_sub(1);
                    }
                    if is(rules.paragraph, name) {
                        out.push('\n');
                    }
                    if inside > 0 && is(rules.own_line, name) && !out.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
            Event::Empty(e) => {
                if skipping > 0 {
                    continue;
                }
                let name = e.name();
                let name = name.as_ref();
                if let Some((_, c)) = rules.chars.iter().find(|(n, _)| *n == name) {
                    out.push(*c);
                } else if rules.spaces == Some(name) {
                    let count = e
                        .try_get_attribute("text:c")
                        .ok()
                        .flatten()
                        .and_then(|a| a.value.parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(100);
                    out.extend(std::iter::repeat_n(' ', count));
                } else if is(rules.paragraph, name) {
                    out.push('\n');
                }
            }
            Event::Text(e) if inside > 0 && skipping == 0 => {
                out.push_str(&e.xml10_content());
            }
            Event::CData(e) if inside > 0 && skipping == 0 => {
                out.push_str(&e);
            }
            Event::GeneralRef(e) if inside > 0 && skipping == 0 => match e.resolve_char_ref() {
                Ok(Some(c)) => out.push(c),
                _ => match e.as_ref() {
                    "amp" => out.push('&'),
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "quot" => out.push('"'),
                    "apos" => out.push('\''),
                    _ => {}
                },
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}
