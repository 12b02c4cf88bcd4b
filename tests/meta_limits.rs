//! Every AWS fact the repository cites by ID can be looked up in a clone: an ID named in
//! `src/`, `stdlib/`, `grammar/` or `docs/` has a row in `docs/limits.md` (copied from the
//! shared catalogue by `scripts/limits_catalogue.py`) or in `docs/aws-facts.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const CITING: [&str; 4] = ["src", "stdlib", "grammar", "docs"];
const CATALOGUES: [&str; 2] = ["docs/limits.md", "docs/aws-facts.md"];

fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Length of the run of bytes from `at` (at most `max`) that satisfy `ok`.
fn run(text: &[u8], at: usize, max: usize, ok: fn(u8) -> bool) -> usize {
    text[at.min(text.len())..]
        .iter()
        .take(max)
        .take_while(|b| ok(**b))
        .count()
}

/// The end of an ID starting at `at`: `FN-05`, `FN-05a`, `D-4`, `CFN-PS-01`.
fn id_end(text: &[u8], at: usize) -> Option<usize> {
    let head = run(text, at, 1, |b| b.is_ascii_uppercase());
    if head == 0 {
        return None;
    }
    let mut end = at
        + 1
        + run(text, at + 1, 5, |b| {
            b.is_ascii_uppercase() || b.is_ascii_digit()
        });
    // An optional middle part: `-PS` in `CFN-PS-01`.
    let middle = run(text, end + 1, 4, |b| b.is_ascii_uppercase());
    if text.get(end) == Some(&b'-') && middle > 0 && text.get(end + 1 + middle) == Some(&b'-') {
        end += 1 + middle;
    }
    if text.get(end) != Some(&b'-') {
        return None;
    }
    let digits = run(text, end + 1, 2, |b| b.is_ascii_digit());
    if digits == 0 {
        return None;
    }
    end += 1 + digits;
    let letter = run(text, end, 1, |b| b.is_ascii_lowercase());
    [end + letter, end]
        .into_iter()
        .find(|&e| text.get(e).is_none_or(|b| !is_word(*b)))
}

/// The fact IDs a text cites. `UTF-8` has an ID's shape and is not one.
fn cited(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let starts_word = at == 0 || !(is_word(bytes[at - 1]) || bytes[at - 1] == b'-');
        match id_end(bytes, at).filter(|_| starts_word && !text[at..].starts_with("UTF-")) {
            Some(end) => {
                out.push(&text[at..end]);
                at = end;
            }
            None => at += 1,
        }
    }
    out
}

/// The IDs a catalogue defines: the first cell of its table rows.
fn defined(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|line| line.strip_prefix('|')?.split('|').next())
        .map(|cell| cell.trim().to_string())
        .filter(|cell| !cell.is_empty())
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|x| ["rs", "md", "lam", "pest"].iter().any(|e| x == *e))
        {
            out.push(path);
        }
    }
}

#[test]
fn the_id_scanner_finds_fact_ids_and_nothing_else() {
    let text = "FN-05a, (CFN-PS-01) and D-4; not UTF-8, A-Z0-9, E3634, FN-05abc or a-B-12";
    assert_eq!(cited(text), ["FN-05a", "CFN-PS-01", "D-4"]);
}

#[test]
fn every_cited_fact_id_has_a_row_in_the_repository() {
    let root = root();
    let mut known = BTreeSet::new();
    for catalogue in CATALOGUES {
        let text = std::fs::read_to_string(root.join(catalogue)).expect("catalogue exists");
        known.extend(defined(&text));
    }
    let mut files = Vec::new();
    for dir in CITING {
        files_under(&root.join(dir), &mut files);
    }
    let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable file");
        for id in cited(&text).into_iter().filter(|id| !known.contains(*id)) {
            let shown = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string();
            missing.entry(id.to_string()).or_default().insert(shown);
        }
    }
    assert!(
        missing.is_empty(),
        "fact IDs cited but not in docs/limits.md or docs/aws-facts.md \
         (run `python3 scripts/limits_catalogue.py`, or add the fact to aws-facts.md): {missing:?}"
    );
    assert!(
        known.len() > 200,
        "the catalogues were read ({} IDs)",
        known.len()
    );
}
