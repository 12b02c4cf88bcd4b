//! Diagnostics → one SARIF 2.1.0 log (`--message-format sarif`), for code-scanning tools.
//!
//! One run for all the files of a command: the tool, one rule per code reported (with its
//! summary, its long documentation as help text and, when lamc was built knowing where its
//! documentation is online, a link to `docs/codes/CODE.md`), and one result per diagnostic with its
//! region, its other labels as related locations and its fixes. Only the parts of SARIF
//! lamc fills are modelled; the serde structs keep the key order of the output stable.

use std::collections::BTreeSet;

use serde::Serialize;

use super::escape::terminal_safe;
use super::render::{position, Position};
use super::{reported, Code, Diagnostic, Note, Severity, MAX_REPORTED};
use crate::source::{SourceMap, Span};

/// The OASIS standard's schema (2.1.0 with errata 01).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const VERSION: &str = "2.1.0";

/// The results of a command so far; [`SarifLog::render`] writes the log.
#[derive(Debug, Default)]
pub struct SarifLog {
    results: Vec<SarifResult>,
    codes: BTreeSet<Code>,
}

impl SarifLog {
    pub fn new() -> Self {
        SarifLog::default()
    }

    /// Add the diagnostics of one file (at most [`MAX_REPORTED`], errors first, as the
    /// other formats report them).
    pub fn add(&mut self, diags: &[Diagnostic], sources: &SourceMap) {
        for diag in reported(diags, MAX_REPORTED).0 {
            self.codes.insert(diag.code);
            self.results.push(result(diag, sources));
        }
    }

    /// Add the notes of one file: `note`-level results of their codes (the rule keeps its
    /// own default level; a note is an instance the checker judged not to warn about).
    pub fn add_notes(&mut self, notes: &[Note], sources: &SourceMap) {
        for note in notes {
            self.codes.insert(note.code);
            self.results.push(SarifResult {
                rule_id: note.code.as_str().to_string(),
                rule_index: None,
                level: "note",
                message: Text::new(&safe(&note.message)),
                locations: location(sources, note.span).into_iter().collect(),
                related_locations: Vec::new(),
                fixes: Vec::new(),
            });
        }
    }

    /// The log as pretty-printed JSON, ending in a newline.
    pub fn render(&self) -> String {
        let rules: Vec<Rule> = self.codes.iter().map(|&c| rule(c)).collect();
        let results = self
            .results
            .iter()
            .map(|r| SarifResult {
                rule_index: rules.iter().position(|rule| rule.id == r.rule_id),
                ..r.clone()
            })
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: VERSION,
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "lamc",
                        version: env!("CARGO_PKG_VERSION"),
                        information_uri: repository(),
                        rules,
                    },
                },
                column_kind: "unicodeCodePoints",
                results,
            }],
        };
        // Plain strings and numbers: serialising cannot fail.
        let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The package's repository (Cargo.toml `repository`), when it names one.
fn repository() -> Option<String> {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!repo.is_empty()).then(|| repo.to_string())
}

/// Where the code pages are read online, as lamc was built: `$LAMC_DOCS_URL` at build time
/// (a folder URL such as `https://example.com/lamc/docs/codes`), else the package's
/// repository's `blob/main/docs/codes`, else unknown. SARIF asks for an absolute URI
/// (`helpUri`), so a base that is not `https://` or `http://` is ignored.
fn docs_base() -> Option<String> {
    let configured = option_env!("LAMC_DOCS_URL").map(str::to_string);
    let from_repository = repository().map(|repo| format!("{repo}/blob/main/docs/codes"));
    configured
        .filter(|b| !b.trim().is_empty())
        .or(from_repository)
        .and_then(|b| absolute_base(&b))
}

/// `base` without a trailing `/`, when it is an absolute web URL.
fn absolute_base(base: &str) -> Option<String> {
    let base = base.trim().trim_end_matches('/');
    let web = base.starts_with("https://") || base.starts_with("http://");
    (web && !base.contains(char::is_whitespace)).then(|| base.to_string())
}

/// Where a code's page is read online: `docs/codes/CODE.md` under [`docs_base`].
pub fn help_uri(code: Code) -> Option<String> {
    docs_base().map(|base| format!("{base}/{code}.md"))
}

fn rule(code: Code) -> Rule {
    let doc = code.doc();
    Rule {
        id: code.as_str().to_string(),
        short_description: Text::new(code.summary()),
        help_uri: help_uri(code),
        help: Help {
            text: doc.to_string(),
            markdown: doc.to_string(),
        },
        default_configuration: Configuration {
            level: level(code.severity()),
        },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn safe(s: &str) -> String {
    terminal_safe(s).into_owned()
}

fn result(diag: &Diagnostic, sources: &SourceMap) -> SarifResult {
    let mut message = safe(&diag.message);
    if let Some(help) = &diag.help {
        message.push_str("\nhelp: ");
        message.push_str(&safe(help));
    }
    let related = diag
        .secondary
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let mut loc = location(sources, l.span)?;
            loc.id = Some(i);
            loc.message = Some(Text::new(&safe(&l.message)));
            Some(loc)
        })
        .collect();
    SarifResult {
        rule_id: diag.code.as_str().to_string(),
        rule_index: None,
        level: level(diag.severity),
        message: Text::new(&message),
        locations: location(sources, diag.primary.span).into_iter().collect(),
        related_locations: related,
        fixes: diag
            .fixes
            .iter()
            .filter_map(|f| {
                let at = position(sources, f.span)?;
                Some(Fix {
                    description: Text::new(&safe(&f.title)),
                    artifact_changes: vec![ArtifactChange {
                        artifact_location: artifact(&at),
                        replacements: vec![Replacement {
                            deleted_region: region(&at),
                            inserted_content: Content {
                                text: f.replacement.clone(),
                            },
                        }],
                    }],
                })
            })
            .collect(),
    }
}

fn location(sources: &SourceMap, span: Span) -> Option<Location> {
    let at = position(sources, span)?;
    Some(Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: artifact(&at),
            region: region(&at),
        },
        message: None,
    })
}

fn artifact(at: &Position) -> ArtifactLocation {
    ArtifactLocation {
        uri: file_uri(&at.file),
    }
}

/// Lines and columns are 1-based; the end column is the one after the last character,
/// as in SARIF (and lamc's JSON lines).
fn region(at: &Position) -> Region {
    Region {
        start_line: at.line,
        start_column: at.column,
        end_line: at.end_line,
        end_column: at.end_column,
    }
}

/// A file name as a URI reference: relative names stay relative (code-scanning tools
/// resolve them against the checkout), absolute paths become `file://` URIs; characters
/// outside RFC 3986's unreserved set and `/` are percent-encoded.
pub fn file_uri(name: &str) -> String {
    let slashed = name.replace('\\', "/");
    let mut out = String::new();
    if slashed.starts_with('/') {
        out.push_str("file://");
    }
    for b in slashed.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ───────────────────────────── the SARIF subset ─────────────────────────────

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: &str) -> Self {
        Text {
            text: text.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Debug, Clone, Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Content,
}

#[derive(Debug, Clone, Serialize)]
struct Content {
    text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_docs_base_must_be_an_absolute_web_url() {
        assert_eq!(
            absolute_base("https://example.com/lamc/docs/codes/").as_deref(),
            Some("https://example.com/lamc/docs/codes")
        );
        assert_eq!(absolute_base("docs/codes"), None);
        assert_eq!(absolute_base("file:///tmp/codes"), None);
        assert_eq!(absolute_base("https://a b"), None);
    }

    #[test]
    fn a_code_page_is_under_the_base_when_there_is_one() {
        match docs_base() {
            Some(base) => assert_eq!(help_uri(Code::E0401), Some(format!("{base}/E0401.md"))),
            None => assert_eq!(help_uri(Code::E0401), None),
        }
    }

    /// `memory = 20GB` at line 3, after multi-byte characters: column 32 in characters.
    const APP: &str = "# café ☕\nfunction f {\n  description = \"é☕\", memory = 20GB\n}\n";

    fn log() -> serde_json::Value {
        let mut map = SourceMap::new();
        let file = map.add("dir with space/app.lam", None, APP.to_string());
        let at = APP.find("20GB").unwrap_or_default();
        let span = Span::new(file, at, at + 4);
        let d = Diagnostic::new(Code::E0401, span, "memory 20GB is out of range")
            .label("must be between 128MB and 10240MB")
            .help("use a value between 128MB and 10240MB")
            .secondary(Span::new(file, 11, 21), "in this function")
            .fix("use 10240MB", span, "10240MB");
        let w = Diagnostic::new(Code::W0509, Span::new(file, 0, 1), "a warning");
        let mut log = SarifLog::new();
        log.add(&[d, w], &map);
        serde_json::from_str(&log.render()).unwrap_or_default()
    }

    #[test]
    fn results_carry_level_message_and_character_regions() {
        let log = log();
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "E0401");
        assert_eq!(r["level"], "error");
        assert_eq!(
            r["message"]["text"],
            "memory 20GB is out of range\nhelp: use a value between 128MB and 10240MB"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "dir%20with%20space/app.lam");
        let region = &loc["region"];
        assert_eq!(
            (
                &region["startLine"],
                &region["startColumn"],
                &region["endLine"],
                &region["endColumn"]
            ),
            (&3.into(), &32.into(), &3.into(), &36.into())
        );
        assert_eq!(
            r["relatedLocations"][0]["message"]["text"],
            "in this function"
        );
        let change = &r["fixes"][0]["artifactChanges"][0]["replacements"][0];
        assert_eq!(change["insertedContent"]["text"], "10240MB");
        assert_eq!(run["results"][1]["level"], "warning");
    }

    #[test]
    fn rules_are_the_codes_reported_in_order_and_results_point_at_them() {
        let log = log();
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids, ["E0401", "W0509"]);
        assert_eq!(rules[0]["shortDescription"]["text"], Code::E0401.summary());
        assert_eq!(rules[0]["help"]["markdown"], Code::E0401.doc());
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
        for r in run["results"].as_array().into_iter().flatten() {
            let i = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
            assert_eq!(rules.get(i).map(|rule| &rule["id"]), Some(&r["ruleId"]));
        }
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        assert_eq!(file_uri("/tmp/a b/app.lam"), "file:///tmp/a%20b/app.lam");
        assert_eq!(file_uri("svc/app.lam"), "svc/app.lam");
        assert_eq!(file_uri("<std.alarms>"), "%3Cstd.alarms%3E");
        assert_eq!(file_uri("é.lam"), "%C3%A9.lam");
    }
}
