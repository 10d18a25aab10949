//! Kinds written into the data layer's SQL are the domain's codes (issue 15): a record's
//! (`RecordKind`) or a filing's (`FilingKind`). They stay
//! literals where they are (`kind = 'check_in'`): PostgreSQL uses a partial index such as
//! `field_records_kind_time … WHERE kind = 'check_in'` only for a query that names the same
//! literal, not for a bound parameter in a generic plan. This keeps them honest instead: a kind
//! renamed or misspelt in SQL fails here, not in a query that silently finds nothing.

mod support;

use std::path::Path;

use domain::evaluation::filing::FilingKind;
use domain::field::RecordKind;

/// The quoted words after each `kind =`, `kind IN (` and `kind NOT IN (` in `text`.
fn kinds_named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("kind ") {
        let rest = &text[at + "kind ".len()..];
        let list = if let Some(r) = rest.strip_prefix("= '") {
            r.split_once('\'').map(|(k, _)| k.to_string()).into_iter().collect()
        } else if let Some(r) = rest.strip_prefix("IN (").or_else(|| rest.strip_prefix("NOT IN (")) {
            let inside = r.split_once(')').map_or("", |(inside, _)| inside);
            inside
                .split(',')
                .filter_map(|k| k.trim().strip_prefix('\'')?.strip_suffix('\'').map(String::from))
                .collect()
        } else {
            Vec::new()
        };
        out.extend(list);
    }
    out
}

#[test]
fn every_kind_in_the_sql_is_a_kind_the_domain_knows() {
    let known: Vec<&str> =
        RecordKind::ALL.iter().map(|k| k.code()).chain(FilingKind::ALL.iter().map(|k| k.code())).collect();
    let files = support::rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut seen = 0;
    let mut unknown = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for kind in kinds_named(&text) {
            seen += 1;
            if !known.contains(&kind.as_str()) {
                unknown.push(format!("{}: '{kind}'", file.display()));
            }
        }
    }
    assert!(seen > 10, "the scan found the kinds in the SQL ({seen})");
    assert!(unknown.is_empty(), "not kinds the domain knows: {unknown:#?}");
}

#[test]
fn the_scan_reads_each_form() {
    assert_eq!(
        kinds_named("WHERE kind = 'diary' AND r.kind IN ('visit', 'talk') AND kind NOT IN ('check_in')"),
        ["diary", "visit", "talk", "check_in"]
    );
}
