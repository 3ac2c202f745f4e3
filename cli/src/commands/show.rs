//! `babelfish show`: one entry with its counterparts from both ends and its false friends.

use std::io::Write;

use crate::args::Show;
use crate::exit::Exit;

pub fn run(args: Show) -> anyhow::Result<Exit> {
    let workspace = super::open(&args.glossary)?;
    let g = workspace.glossary();
    let Some(entry) = g.get(&args.id) else {
        say!(
            "babelfish: no entry with id \"{}\" in {}",
            args.id,
            workspace.source().describe()
        );
        return Ok(Exit::Data);
    };
    let mut out = super::stdout();
    if args.json {
        write!(out, "{}", entry.to_file_json())?;
        return Ok(Exit::Ok);
    }
    writeln!(out, "{}  [{}]", entry.term, entry.id)?;
    if !entry.abbreviations.is_empty() {
        writeln!(out, "Abbreviations: {}", entry.abbreviations.join(", "))?;
    }
    if !entry.synonyms.is_empty() {
        writeln!(out, "Also called: {}", entry.synonyms.join(", "))?;
    }
    writeln!(out, "\n{}\n", entry.definition)?;
    if !entry.explanation.is_empty() {
        writeln!(out, "For the other side: {}\n", entry.explanation)?;
    }
    if !entry.example.is_empty() {
        writeln!(out, "Example: {}\n", entry.example)?;
    }
    let counterparts = g.counterparts(&entry.id);
    if counterparts.len() == 0 {
        writeln!(out, "Counterparts: no equivalent mapped")?;
    }
    for c in counterparts {
        writeln!(
            out,
            "↔ {} [{}] — {}: {}",
            c.entry().term,
            c.id(),
            c.closeness().label(),
            c.note()
        )?;
    }
    for friend in g.false_friends(&entry.id) {
        writeln!(
            out,
            "⚠ False friend: {} [{}] means something else",
            friend.term, friend.id
        )?;
    }
    if !entry.related.is_empty() {
        writeln!(out, "Related: {}", entry.related.join(", "))?;
    }
    if !entry.deprecated_names.is_empty() {
        writeln!(
            out,
            "Deprecated names: {} (prefer: {})",
            entry.deprecated_names.join(", "),
            entry.term
        )?;
    }
    write_review(&mut out, entry)?;
    Ok(Exit::Ok)
}

/// The entry's source, review status (with any editorial-check note), revision and sign-offs.
fn write_review(out: &mut impl Write, entry: &babelfish::Entry) -> std::io::Result<()> {
    let label = babelfish::review::state(entry).label();
    let mut status = label[..1].to_uppercase();
    status.push_str(&label[1..]);
    writeln!(
        out,
        "Source: {}\nStatus: {status}{} · revision {} · {} by {}",
        entry.source,
        entry
            .reviewed_by
            .as_deref()
            .map(|r| format!(" (editorial check: {r})"))
            .unwrap_or_default(),
        entry.revision,
        entry.updated_at,
        entry.updated_by
    )?;
    if let Some(next) = &entry.superseded_by {
        writeln!(out, "Superseded by: {next}")?;
    }
    if !entry.reviews.is_empty() {
        writeln!(out, "Sign-offs:")?;
    }
    for s in &entry.reviews {
        writeln!(
            out,
            "  {}: {} by {} on revision {}{}, {}{}",
            s.side.as_str(),
            s.decision.as_str(),
            s.by,
            s.revision,
            if babelfish::review::is_stale(entry, s) {
                " (stale)"
            } else {
                ""
            },
            s.at,
            if s.note.is_empty() {
                String::new()
            } else {
                format!(" — {}", s.note)
            }
        )?;
    }
    Ok(())
}
