//! `babelfish search`: the hits, best first, as text or JSON.

use std::io::Write;

use anyhow::Context;
use babelfish::search::MatchKind;
use babelfish::SearchRequest;

use crate::args::Search;
use crate::exit::Exit;

pub fn run(args: Search) -> anyhow::Result<Exit> {
    let workspace = super::open(&args.glossary)?;
    super::warn_problems(&workspace);
    workspace.check_domains(&args.domains)?;
    workspace.index().context("building the index")?;
    let request = SearchRequest {
        query: args.query.join(" "),
        domains: args.domains,
        reader: args.side,
        limit: args.limit,
        statuses: args.statuses,
    };
    let hits = workspace.search(&request)?;
    let glossary = workspace.glossary();
    let mut out = super::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &hits)?;
        writeln!(out)?;
        return Ok(Exit::Ok);
    }
    if hits.is_empty() {
        writeln!(out, "No entries match \"{}\".", request.query)?;
        return Ok(Exit::Ok);
    }
    for (rank, hit) in hits.iter().enumerate() {
        let domain = glossary.domain_name(&hit.domain);
        let abbreviations = babelfish::render::abbreviation_suffix(&hit.abbreviations);
        writeln!(
            out,
            "{:>2}. {}{abbreviations} — {domain}   [{}]",
            rank + 1,
            hit.term,
            hit.id
        )?;
        let snippet: String = hit.snippet.iter().map(|f| f.text.as_str()).collect();
        writeln!(out, "    {snippet}")?;
        for m in hit.mappings.iter().take(3) {
            writeln!(
                out,
                "    ↔ {} ({}): {}",
                m.term,
                m.domain,
                m.closeness.label()
            )?;
        }
        if hit.matched == MatchKind::FalseFriend || !hit.false_friends.is_empty() {
            let others: Vec<String> = hit
                .false_friends
                .iter()
                .map(|f| format!("{} ({})", f.term, f.domain))
                .collect();
            writeln!(out, "    ⚠ false friend: also {}", others.join(", "))?;
        }
    }
    Ok(Exit::Ok)
}
