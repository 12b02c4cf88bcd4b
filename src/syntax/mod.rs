//! Source text → [`ast::File`]. The only module that touches pest.
//!
//! The file is parsed one declaration at a time: the first word of each declaration picks
//! the grammar rule to run, so an unknown word (E0101) or a broken declaration (E0001,
//! E0002, E0003) is reported and skipped, and the declarations after it are still parsed.

pub mod ast;
mod build;
mod errors;
mod expr;
mod scan;

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::Parser;
use scan::OpenKind;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/lam.pest"]
struct LamParser;

/// The words that start a declaration at the top level of a file.
pub const DECLARATION_KEYWORDS: &[&str] = &[
    "use", "param", "let", "app", "defaults", "template", "function", "queue", "topic", "bucket",
    "table", "stream", "api", "alarm", "output",
];

fn is_declaration_keyword(word: &str) -> bool {
    DECLARATION_KEYWORDS.contains(&word)
}

/// Parse one file. Never fails: on a syntax error it returns what it could build and the
/// diagnostics (E0001/E0002/E0003/E0101).
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let scanned = scan::scan(text);
    let mut out = ast::File {
        comments: scanned
            .comments
            .iter()
            .map(|&(s, e)| Span::new(file, s, e))
            .collect(),
        ..ast::File::default()
    };
    let mut diags = Vec::new();
    let mut parser = TopLevel {
        file,
        text,
        scanned: &scanned,
        diags: &mut diags,
    };
    // A byte-order mark some editors write is not part of the program.
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while let Some(start) = skip_trivia(text, pos) {
        match parser.item_at(start) {
            Ok((item, end)) => {
                out.items.push(item);
                pos = end.max(next_char(text, start));
            }
            Err(resume) => pos = resume.max(next_char(text, start)),
        }
    }
    (out, diags)
}

/// The offset of the next token at or after `pos` (skipping spaces, newlines and
/// comments), or `None` at the end of the file.
fn skip_trivia(text: &str, mut pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => pos = text[pos..].find('\n').map_or(text.len(), |n| pos + n),
            _ => return Some(pos),
        }
    }
    None
}

/// The offset just after the character at `pos` (always progress, on a char boundary).
fn next_char(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|rest| rest.chars().next())
        .map_or(text.len(), |c| pos + c.len_utf8())
}

/// The identifier starting at `pos`, if one does.
fn word_at(text: &str, pos: usize) -> Option<&str> {
    let rest = text.get(pos..)?;
    let first = rest.bytes().next()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let len = rest
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(rest.len());
    Some(&rest[..len])
}

struct TopLevel<'a, 'd> {
    file: FileId,
    text: &'a str,
    scanned: &'a scan::Scan,
    diags: &'d mut Vec<Diagnostic>,
}

impl TopLevel<'_, '_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// Parse the declaration starting at `start`: the item and where it ends, or, after
    /// reporting why it could not be parsed, the offset to resume at.
    fn item_at(&mut self, start: usize) -> Result<(ast::Item, usize), usize> {
        let Some(word) = word_at(self.text, start) else {
            let d = errors::expected_declaration(self.file, self.text, start);
            self.diags.push(d);
            return Err(self.resume_after(start, start));
        };
        if !is_declaration_keyword(word) {
            self.unknown_declaration(word, start);
            return Err(self.resume_after(start, start));
        };
        if let Some(deep) = self.too_deep_within(start) {
            self.diags.push(
                Diagnostic::new(
                    Code::E0001,
                    self.span(deep, deep + 1),
                    "nesting is too deep",
                )
                .label(format!("more than {} levels deep here", scan::MAX_DEPTH))
                .help("flatten the value: real configurations nest a few levels at most"),
            );
            return Err(self.resume_after(start, deep));
        }
        match LamParser::parse(Rule::item, &self.text[start..]) {
            Ok(mut pairs) => {
                // `item` is the declaration followed by the end of its line.
                let Some(item) = pairs.next() else {
                    return Err(self.resume_after(start, start));
                };
                let end = start + item.as_span().end();
                let Some(pair) = item.into_inner().next() else {
                    return Err(self.resume_after(start, start));
                };
                let mut b = build::Builder::new(
                    self.file,
                    self.text,
                    start,
                    &self.scanned.comments,
                    self.diags,
                );
                match b.item(pair) {
                    Some(item) => Ok((item, end)),
                    None => Err(end.max(start + 1)),
                }
            }
            Err(e) => {
                let at = start + errors::error_offset(&e, &self.text[start..]);
                let resume = self.report_syntax_error(start, at, &e);
                Err(resume)
            }
        }
    }

    fn unknown_declaration(&mut self, word: &str, start: usize) {
        let span = self.span(start, start + word.len());
        let mut d = Diagnostic::new(
            Code::E0101,
            span,
            format!("unknown declaration kind `{word}`"),
        )
        .label("not a kind of declaration");
        match did_you_mean(word, DECLARATION_KEYWORDS.iter().copied()) {
            Some(near) => {
                d = d.help(format!("did you mean `{near}`?")).fix(
                    format!("replace with `{near}`"),
                    span,
                    near,
                );
            }
            None => {
                d = d.help(format!(
                    "a declaration starts with one of: {}",
                    DECLARATION_KEYWORDS.join(", ")
                ));
            }
        }
        self.diags.push(d);
    }

    /// The first too-deep opener inside the declaration that starts at `start`.
    fn too_deep_within(&self, start: usize) -> Option<usize> {
        let deep = self.scanned.too_deep?;
        let end = self.next_declaration_after(start, start);
        (deep.pos >= start && deep.pos < end).then_some(deep.pos)
    }

    /// Report why the declaration at `start` failed at `at`, and say where to resume.
    fn report_syntax_error(
        &mut self,
        start: usize,
        at: usize,
        e: &pest::error::Error<Rule>,
    ) -> usize {
        let line_end = self.text[at.min(self.text.len())..]
            .find('\n')
            .map_or(self.text.len(), |n| at + n);

        // A string cut off by the end of its line (or a raw string by the end of the file).
        if let Some(u) = self
            .scanned
            .unterminated
            .iter()
            .find(|u| u.open.pos >= start && u.open.pos <= line_end)
        {
            self.diags.push(errors::unterminated_string(self.file, u));
            return self.resume_after(start, u.end);
        }

        // The declaration ran on into the next one while a bracket was still open: the
        // bracket was never closed.
        let base_depth = self.scanned.depth_at(start);
        if let Some(next) = self.scanned.line_starts.iter().find(|l| {
            l.offset > start
                && l.offset <= at
                && l.col0
                && l.depth > base_depth
                && word_at(self.text, l.offset).is_some_and(is_declaration_keyword)
        }) {
            if let Some(open) = next.innermost.filter(|o| o.pos >= start) {
                let d = errors::unclosed(self.file, open).secondary(
                    self.span(next.offset, next.offset),
                    "the next declaration starts here",
                );
                self.diags.push(d);
                return next.offset;
            }
        }

        // A closer that does not match the bracket open here: that bracket is unclosed.
        if let Some(closer) = self.text[at.min(self.text.len())..].chars().next() {
            if let Some(open) = self.scanned.innermost_at(at).filter(|o| {
                o.pos >= start
                    && matches!(closer, '}' | ']' | ')')
                    && matches!(
                        o.kind,
                        OpenKind::Brace | OpenKind::Bracket | OpenKind::Paren
                    )
                    && !o.kind.closer().starts_with(closer)
            }) {
                let d = errors::unclosed(self.file, open).secondary(
                    self.span(at, at + 1),
                    format!("expected `{}` before this `{closer}`", open.kind.closer()),
                );
                self.diags.push(d);
                return self.resume_after(start, at);
            }
        }

        // The end of the file came while a bracket was still open.
        if at >= self.text.len() {
            if let Some(open) = self
                .scanned
                .open_at_eof
                .iter()
                .rev()
                .find(|o| o.pos >= start)
                .copied()
            {
                self.diags.push(errors::unclosed(self.file, open));
                return self.text.len();
            }
        }

        self.diags
            .push(errors::syntax_error(self.file, self.text, at, e));
        self.resume_after(start, at)
    }

    /// Where to resume after a broken declaration that started at `start` and failed at
    /// `at`: the next line, after `at`, that starts a declaration (a word at the bracket
    /// depth the broken one started at, or a declaration keyword in the first column).
    fn resume_after(&self, start: usize, at: usize) -> usize {
        self.next_declaration_after(start, at)
    }

    fn next_declaration_after(&self, start: usize, at: usize) -> usize {
        let base_depth = self.scanned.depth_at(start);
        let first = self.scanned.line_starts.partition_point(|l| l.offset <= at);
        self.scanned.line_starts[first..]
            .iter()
            .find(|l| {
                l.depth <= base_depth
                    || (l.col0 && word_at(self.text, l.offset).is_some_and(is_declaration_keyword))
            })
            .map_or(self.text.len(), |l| l.offset)
    }
}
