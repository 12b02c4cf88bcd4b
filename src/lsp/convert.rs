//! Between lamc's data and the protocol's: file URIs and paths, byte spans and UTF-16
//! ranges, diagnostics.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
    Uri,
};

use crate::diag::escape::terminal_safe;
use crate::diag::{Diagnostic, Severity};
use crate::source::{SourceFile, SourceMap, Span};

/// The local path of a `file:` URI, percent-decoded; `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///p` (empty authority) or `file://localhost/p`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    let mut out = String::from("file://");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

/// The LSP range of a span (UTF-16 columns).
pub fn range(file: &SourceFile, span: Span) -> Range {
    let (sl, sc) = file.utf16_position(span.start);
    let (el, ec) = file.utf16_position(span.end.max(span.start));
    Range::new(Position::new(sl, sc), Position::new(el, ec))
}

/// The LSP position (UTF-16) of a byte offset.
pub fn position(file: &SourceFile, offset: usize) -> Position {
    let (line, character) = file.utf16_position(offset);
    Position::new(line, character)
}

/// The byte offset of an LSP position.
pub fn offset(file: &SourceFile, pos: Position) -> usize {
    file.offset_of_utf16(pos.line, pos.character)
}

/// Where a span is, for a client: the document's own URI for the root file, the file's
/// URI for files from disk; `None` for standard modules (they have no file).
pub fn location(
    sources: &SourceMap,
    root_uri: &Uri,
    root: crate::source::FileId,
    span: Span,
) -> Option<Location> {
    let file = sources.files().get(span.file.0 as usize)?;
    let uri = if span.file == root {
        root_uri.clone()
    } else {
        path_to_uri(file.path.as_deref()?)?
    };
    Some(Location::new(uri, range(file, span)))
}

/// One lamc diagnostic as the protocol's, with its secondary labels as related
/// information and its help appended to the message. Texts are terminal-safe, as in
/// `lamc check` (control and bidirectional characters escaped).
pub fn diagnostic(
    d: &Diagnostic,
    sources: &SourceMap,
    root_uri: &Uri,
    root: crate::source::FileId,
) -> Option<lsp_types::Diagnostic> {
    let file = sources.files().get(d.primary.span.file.0 as usize)?;
    let mut message = terminal_safe(&d.message).into_owned();
    if !d.primary.message.is_empty() {
        message.push_str(&format!(": {}", terminal_safe(&d.primary.message)));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {}", terminal_safe(help)));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: location(sources, root_uri, root, l.span)?,
                message: terminal_safe(&l.message).into_owned(),
            })
        })
        .collect();
    Some(lsp_types::Diagnostic {
        range: range(file, d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: None,
        source: Some("lamc".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        let p = PathBuf::from("/tmp/a dir/ünï.lam");
        let uri = path_to_uri(&p).unwrap_or_else(|| panic!("no uri"));
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/%C3%BCn%C3%AF.lam");
        assert_eq!(uri_to_path(&uri), Some(p));
        let other = Uri::from_str("untitled:Untitled-1").unwrap_or_else(|_| panic!("uri"));
        assert_eq!(uri_to_path(&other), None);
    }
}
