//! The committed copies of the schema: the reference tables of docs/language.md (between
//! `<!-- schema:NAME -->` and `<!-- /schema -->`) and the keyword lists of the editor
//! grammar (editors/vscode/syntaxes/lam.tmLanguage.json). `cargo run
//! --no-default-features --example schema_docs` rewrites both; tests compare.

use super::limits::HTTP_API_TIMEOUT_S;
use super::{
    Attr, Block, Ty, Words, ALARM, CALLS, FUNCTION, LOG_RETENTION, MISSING_DATA, OPERATOR_WORDS,
    PARAM_TYPES, RESOURCES, STATISTIC, TRIGGERS, UNITS,
};

/// What regenerates the committed copies.
pub const COMMAND: &str = "cargo run --no-default-features --example schema_docs";

/// Writes one generated section.
type Section = fn() -> String;

/// The generated sections of docs/language.md, by marker name.
pub const DOC_SECTIONS: &[(&str, Section)] = &[
    ("resources", resources_table),
    ("function", function_table),
    ("triggers", triggers_table),
    ("alarms", alarm_table),
];

/// `text` (docs/language.md) with every marked section written from the schema.
pub fn rewrite_docs(text: &str) -> Result<String, String> {
    let mut out = text.to_string();
    for (name, render) in DOC_SECTIONS {
        let open = format!("<!-- schema:{name} -->\n");
        let close = "<!-- /schema -->";
        let start = out
            .find(&open)
            .ok_or_else(|| format!("no `{}` marker", open.trim()))?
            + open.len();
        let end = out[start..]
            .find(close)
            .ok_or_else(|| format!("`{}` is not closed by `{close}`", open.trim()))?
            + start;
        out.replace_range(start..end, &render());
    }
    Ok(out)
}

/// A table cell: `|` escaped, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `` `a` \| `b` `` for docs tables.
fn words_cell(words: &Words) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    quoted.join(" \\| ")
}

/// The type column of a docs table.
fn type_cell(attr: &Attr) -> String {
    match attr.ty {
        Ty::Word(w) => words_cell(w),
        Ty::Block(b) => format!("block: {}", key_list(b)),
        _ => cell(&attr.ty.text(attr)),
    }
}

fn key_list(block: &Block) -> String {
    let keys: Vec<String> = block.keys().map(|k| format!("`{k}`")).collect();
    keys.join(", ")
}

/// One attribute as the resources and triggers tables list it:
/// `` `visibility` 0s–12h (default 30s) ``.
fn fragment(attr: &Attr) -> String {
    let key = attr.key;
    let mut out = match attr.ty {
        Ty::Word(w) => format!("`{key} = {}`", w.joined("|")),
        Ty::WordList(w) => format!("`{key} = [{}]`", w.joined(", ")),
        Ty::KeyOf(w) => format!("`{key} = {{ NAME = {} }}`", w.joined("|")),
        Ty::Ref => {
            let kinds: Vec<String> = attr
                .refs
                .iter()
                .map(|k| format!("{}.X", k.as_str()))
                .collect();
            format!("`{key} = {}`", kinds.join("|"))
        }
        Ty::Block(b) => format!("`{key} {{ {} }}`", b.keys().collect::<Vec<_>>().join(", ")),
        Ty::Strings => format!("`{key} = [\"…\"]`"),
        Ty::Bool => format!("`{key}` (bool)"),
        // A choice of words and references (`auth = iam|none|auth.NAME`).
        Ty::Other(text) if text.contains(" | ") => {
            format!("`{key} = {}`", text.replace(" | ", "|"))
        }
        _ => format!("`{key}`"),
    };
    // A range reads as it is (`` `delay` 0s–15m ``), a rule in words in parentheses.
    let rule = attr.rule_text();
    match (rule.is_empty(), attr.bounds.is_some()) {
        (true, _) => {}
        (false, true) => out.push_str(&format!(" {rule}")),
        (false, false) => out.push_str(&format!(" ({rule})")),
    }
    if attr.required.is_some() {
        out.push_str(" (**required**)");
    }
    match attr.default {
        Some(d) if !(matches!(attr.ty, Ty::Bool) && d == "false") => {
            out.push_str(&format!(" (default {d})"))
        }
        _ => {}
    }
    cell(&out)
}

/// §4: one row per resource kind.
pub fn resources_table() -> String {
    let mut out = String::from(
        "| kind | attributes | usable in expressions | becomes |\n|---|---|---|---|\n",
    );
    for r in RESOURCES {
        let attrs: Vec<String> = r.block.attrs.iter().map(fragment).collect();
        let mut attrs = attrs.join("; ");
        if !r.note.is_empty() {
            attrs.push_str(&format!("; {}", cell(r.note)));
        }
        let exposes: Vec<String> = r.exposes.iter().map(|(n, _)| format!(".{n}")).collect();
        // A kind that offers nothing to expressions (an authorizer) shows a dash.
        let exposes = match exposes.is_empty() {
            true => "—".to_string(),
            false => format!("`{}`", exposes.join(" ")),
        };
        out.push_str(&format!(
            "| `{}` | {attrs} | {exposes} | {} |\n",
            r.kind.as_str(),
            r.becomes
        ));
    }
    out
}

/// §5: one row per function attribute.
pub fn function_table() -> String {
    let mut out = String::from("| attribute | type | rule | default |\n|---|---|---|---|\n");
    for a in FUNCTION.attrs {
        let default = a.required_text().or(a.default.map(str::to_string));
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            a.key,
            type_cell(a),
            cell(&a.rule_text()),
            default.as_deref().map(cell).unwrap_or_default()
        ));
    }
    out
}

/// §7: one row per trigger kind.
pub fn triggers_table() -> String {
    let mut out = String::from("| trigger | form | options | becomes |\n|---|---|---|---|\n");
    let methods: Vec<String> = super::METHODS.iter().map(|m| m.to_string()).collect();
    let mut previous: Option<(&str, &[Attr])> = None;
    for t in TRIGGERS {
        let options = match previous {
            Some((kind, attrs)) if std::ptr::eq(attrs, t.block.attrs) => format!("as {kind}"),
            _ => {
                let mut parts: Vec<String> = t.block.attrs.iter().map(fragment).collect();
                if !t.note.is_empty() {
                    let note = t
                        .note
                        .replace("{methods}", &format!("`{}`", methods.join(" ")));
                    parts.push(cell(&note));
                }
                parts.join(", ")
            }
        };
        previous = Some((t.kind, t.block.attrs));
        let becomes = t
            .becomes
            .replace("{http_timeout}", &HTTP_API_TIMEOUT_S.to_string());
        out.push_str(&format!(
            "| {} | {} | {options} | {} |\n",
            t.kind,
            t.form,
            cell(&becomes)
        ));
    }
    out
}

/// §8: the attributes of a named alarm, then the words alarms take.
pub fn alarm_table() -> String {
    let mut out = String::from("| attribute | type | meaning | default |\n|---|---|---|---|\n");
    for a in ALARM.attrs {
        let default = a.required_text().or(a.default.map(str::to_string));
        let mut meaning = a.doc.to_string();
        let rule = a.rule_text();
        if !rule.is_empty() {
            meaning.push_str(&format!("; {rule}"));
        }
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            a.key,
            type_cell(a),
            cell(&meaning),
            default.as_deref().map(cell).unwrap_or_default()
        ));
    }
    out
}

/// The grammar's generated regular expressions: a JSON pointer, and the expression with
/// `{}` where the list goes.
fn grammar_entries() -> Vec<(&'static str, &'static str, String)> {
    let alternatives = |words: Vec<&str>| {
        let escaped: Vec<String> = words.iter().map(|w| regex_escape(w)).collect();
        escaped.join("|")
    };
    let kinds: Vec<&str> = RESOURCES.iter().map(|r| r.kind.as_str()).collect();
    let mut referable = kinds.clone();
    referable.extend(["function", "param"]);
    let mut calls: Vec<&str> = CALLS.to_vec();
    calls.push("[A-Za-z_][A-Za-z0-9_]*");
    vec![
        (
            "/repository/declaration/patterns/1/match",
            "^\\s*({})\\s+([A-Za-z_][A-Za-z0-9_]*)",
            alternatives(kinds),
        ),
        (
            "/repository/declaration/patterns/3/match",
            "^\\s*(param)\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*(:)\\s*({})\\b",
            alternatives(PARAM_TYPES.iter().collect()),
        ),
        (
            "/repository/member/patterns/0/match",
            "\\b(on)\\s+({})\\b",
            alternatives(TRIGGERS.iter().map(|t| t.kind).collect()),
        ),
        (
            "/repository/keyword/match",
            "\\b({})\\b(?!\\s*\\()",
            alternatives(OPERATOR_WORDS.to_vec()),
        ),
        (
            "/repository/enum/match",
            "(?<![\\w.])({})(?![\\w.])",
            alternatives(enum_words()),
        ),
        (
            "/repository/number/match",
            "(?<![\\w.])(\\d[\\d_]*(?:\\.\\d[\\d_]*)?)({})?(?![\\w%])",
            alternatives(UNITS.iter().map(|(u, _)| *u).collect()),
        ),
        (
            "/repository/reference/patterns/0/match",
            "\\b({})(\\.)([A-Za-z_][A-Za-z0-9_]*)((?:\\.(?:[A-Za-z_][A-Za-z0-9_]*|\\d+))*)",
            alternatives(referable),
        ),
        (
            "/repository/call/match",
            "\\b({})\\s*(?=\\()",
            calls.join("|"),
        ),
    ]
}

/// The symbols that are enum values somewhere (`arm64`, `new_and_old`, `not_breaching`,
/// statistics), longest first so that no word hides a longer one it begins.
fn enum_words() -> Vec<&'static str> {
    let mut words: Vec<&str> = super::blocks()
        .flat_map(|b| b.attrs.iter())
        .filter_map(|a| a.words())
        .flat_map(|w| w.iter())
        .chain(LOG_RETENTION.iter())
        .chain(MISSING_DATA.iter())
        .chain(STATISTIC.iter())
        .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words.dedup();
    words
}

fn regex_escape(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `json` (the grammar) with its keyword lists written from the schema.
pub fn rewrite_grammar(json: &str) -> Result<String, String> {
    let mut grammar: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("the grammar is not JSON: {e}"))?;
    for (pointer, pattern, list) in grammar_entries() {
        let (before, after) = pattern.split_once("{}").unwrap_or((pattern, ""));
        let slot = grammar
            .pointer_mut(pointer)
            .ok_or_else(|| format!("the grammar has no {pointer}"))?;
        let fits = slot
            .as_str()
            .is_some_and(|old| old.starts_with(before) && old.ends_with(after));
        if !fits {
            return Err(format!(
                "{pointer} is not of the form {pattern}: was the grammar reorganised?"
            ));
        }
        *slot = serde_json::Value::String(format!("{before}{list}{after}"));
    }
    let mut out = serde_json::to_string_pretty(&grammar).map_err(|e| e.to_string())?;
    out.push('\n');
    Ok(out)
}
