//! Source text → [`ast::File`]. The only module that touches pest.
//!
//! The file is parsed one declaration at a time: the first word of each declaration picks
//! the grammar rule to run, so an unknown word (E0101) or a broken declaration (E0001,
//! E0002, E0003) is reported and skipped, and the declarations after it are still parsed.

pub mod ast;
mod build;
mod errors;
mod expr;
mod foreign;
pub mod ignore;
mod incremental;
mod invisible;
mod relocate;
mod scan;

pub use incremental::{parse_incremental, ParseCache};
/// How deeply brackets, strings and interpolations may nest in one declaration.
pub use scan::MAX_DEPTH;

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::Parser;
use scan::OpenKind;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/lam.pest"]
struct LamParser;

/// The words that start a declaration at the top level of a file.
pub const DECLARATION_KEYWORDS: &[&str] = &[
    "use",
    "param",
    "let",
    "app",
    "defaults",
    "template",
    "function",
    "queue",
    "topic",
    "bucket",
    "table",
    "stream",
    "api",
    "bus",
    "layer",
    "capacity",
    "auth",
    "secret",
    "parameter",
    "key",
    "resource",
    "cluster",
    "alarm",
    "output",
];

fn is_declaration_keyword(word: &str) -> bool {
    DECLARATION_KEYWORDS.contains(&word)
}

/// Parse one file. Never fails: on a syntax error it returns what it could build and the
/// diagnostics (E0001/E0002/E0003/E0101).
///
/// A large file is parsed in pieces on several threads (see [`parse_in_pieces`]); the result
/// is the same, item for item and diagnostic for diagnostic, as parsing it in one go.
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    let scanned = scan::scan(text);
    let mut out = file_comments(file, &scanned);
    let from = bom_len(text);
    let cut = Cut {
        file,
        text,
        scanned: &scanned,
    };
    let threads = crate::parallel::cores();
    let pieces = (text.len() / MIN_PIECE_BYTES).min(threads).min(MAX_PIECES);
    let mut diags = parse_in_pieces(&cut, from, pieces, &mut out);
    diags.extend(invisible::check(file, text, &scanned));
    (out, diags)
}

/// A file with no items yet, only its comments.
fn file_comments(file: FileId, scanned: &scan::Scan) -> ast::File {
    ast::File {
        comments: scanned
            .comments
            .iter()
            .map(|&(s, e)| Span::new(file, s, e))
            .collect(),
        ..ast::File::default()
    }
}

/// Where the program starts: a byte-order mark some editors write is not part of it.
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

/// Files smaller than this are parsed on the calling thread: below it a thread costs more
/// than it saves.
const MIN_PIECE_BYTES: usize = 128 * 1024;
/// At most this many threads parse one file.
const MAX_PIECES: usize = 8;

/// What every piece of one file's parse shares.
struct Cut<'a> {
    file: FileId,
    text: &'a str,
    scanned: &'a scan::Scan,
}

/// The items and diagnostics of the declarations that start in `from..limit`.
struct Piece {
    items: Vec<ast::Item>,
    diags: Vec<Diagnostic>,
    unreadable: Vec<ast::Unreadable>,
    /// The first declaration start at or after `limit` (or the end of the text).
    stopped_at: usize,
}

/// Parse from `from`, declaration after declaration, until a declaration would start at or
/// after `limit`. The parse of a declaration depends only on where it starts, so pieces
/// that start where the previous piece stopped can be parsed independently.
fn parse_piece(cut: &Cut, from: usize, limit: usize) -> Piece {
    let mut piece = Piece {
        items: Vec::with_capacity(declarations_in(cut, from, limit)),
        diags: Vec::new(),
        unreadable: Vec::new(),
        stopped_at: cut.text.len(),
    };
    let mut parser = TopLevel {
        file: cut.file,
        text: cut.text,
        scanned: cut.scanned,
        diags: &mut piece.diags,
        unreadable: &mut piece.unreadable,
    };
    let mut pos = from;
    while let Some(start) = skip_trivia(cut.text, pos) {
        if start >= limit {
            piece.stopped_at = start;
            break;
        }
        match parser.item_at(start) {
            Ok((item, end)) => {
                piece.items.push(item);
                pos = end.max(next_char(cut.text, start));
            }
            Err(resume) => pos = resume.max(next_char(cut.text, start)),
        }
    }
    piece
}

/// How many declarations start in `from..limit` of a sensible file (a keyword in the first
/// column outside brackets): room for the items, which a vector grown by doubling would
/// copy over and over.
fn declarations_in(cut: &Cut, from: usize, limit: usize) -> usize {
    let starts = &cut.scanned.line_starts;
    let first = starts.partition_point(|l| l.offset < from);
    starts[first..]
        .iter()
        .take_while(|l| l.offset < limit)
        .filter(|l| {
            l.col0
                && l.depth == 0
                && word_at(cut.text, l.offset).is_some_and(is_declaration_keyword)
        })
        .count()
}

/// Parse the file from `from` into `out`, in up to `pieces` pieces on as many threads.
///
/// The file is cut before declaration keywords in the first column at bracket depth 0,
/// which is where one-go parsing starts a declaration in any sensible file. Each piece is
/// kept only if the piece before it stopped exactly at its cut; otherwise (a declaration
/// ran on over the cut) that stretch is parsed again from where the previous piece really
/// stopped. Either way the items and diagnostics are those of a one-go parse, in order.
fn parse_in_pieces(cut: &Cut, from: usize, pieces: usize, out: &mut ast::File) -> Vec<Diagnostic> {
    let cuts = cut_points(cut, from, pieces);
    if cuts.is_empty() {
        let piece = parse_piece(cut, from, usize::MAX);
        out.items.extend(piece.items);
        out.unreadable.extend(piece.unreadable);
        return piece.diags;
    }
    // Bounds of each piece: [from, c1), [c1, c2), …, [cn, end).
    let mut bounds = Vec::with_capacity(cuts.len() + 1);
    let mut lo = from;
    for &c in &cuts {
        bounds.push((lo, c));
        lo = c;
    }
    bounds.push((lo, usize::MAX));
    // This thread parses the first piece; one more thread each parses the others. (Each
    // thread allocates from its own malloc arena: fewer threads, smaller peak memory.)
    let parsed: Vec<Option<Piece>> = std::thread::scope(|s| {
        let handles: Vec<_> = bounds[1..]
            .iter()
            .map(|&(lo, hi)| s.spawn(move || parse_piece(cut, lo, hi)))
            .collect();
        let (lo, hi) = bounds[0];
        let mut parsed = vec![Some(parse_piece(cut, lo, hi))];
        // A piece whose thread failed is parsed again below, on this thread.
        parsed.extend(handles.into_iter().map(|h| h.join().ok()));
        parsed
    });
    let mut diags = Vec::new();
    let mut pos = from;
    out.items
        .reserve_exact(parsed.iter().flatten().map(|p| p.items.len()).sum());
    for ((lo, hi), piece) in bounds.into_iter().zip(parsed) {
        let piece = match piece {
            Some(p) if pos == lo => p,
            // The previous piece ran on past this cut: parse from where it stopped.
            _ => parse_piece(cut, pos.max(lo), hi),
        };
        out.items.extend(piece.items);
        out.unreadable.extend(piece.unreadable);
        diags.extend(piece.diags);
        pos = piece.stopped_at;
    }
    diags
}

/// Up to `pieces - 1` offsets, increasing, that split the text after `from` into parts of
/// about equal size: each the start of a line whose first word is a declaration keyword in
/// the first column, outside every bracket and string.
fn cut_points(cut: &Cut, from: usize, pieces: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = Vec::new();
    if pieces < 2 {
        return cuts;
    }
    let starts = &cut.scanned.line_starts;
    for k in 1..pieces {
        let target = from + (cut.text.len() - from) * k / pieces;
        let first = starts.partition_point(|l| l.offset < target);
        let found = starts[first..].iter().find(|l| {
            l.col0
                && l.depth == 0
                && word_at(cut.text, l.offset).is_some_and(is_declaration_keyword)
        });
        if let Some(l) = found {
            if l.offset > from && cuts.last().is_none_or(|&c| c < l.offset) {
                cuts.push(l.offset);
            }
        }
    }
    cuts
}

/// The offset of the next token at or after `pos` (skipping spaces, newlines and
/// comments), or `None` at the end of the file.
fn skip_trivia(text: &str, mut pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => pos += crate::source::line_end(&text[pos..]),
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
    unreadable: &'d mut Vec<ast::Unreadable>,
}

impl TopLevel<'_, '_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// Parse the declaration starting at `start`: the item and where it ends, or, after
    /// reporting why it could not be parsed (and noting what it declared), the offset to
    /// resume at.
    fn item_at(&mut self, start: usize) -> Result<(ast::Item, usize), usize> {
        let parsed = self.try_item_at(start);
        if let Err(resume) = parsed {
            self.unreadable.extend(self.unreadable_at(start, resume));
        }
        parsed
    }

    /// What the broken declaration from `start` to `resume` declared, as far as its first
    /// words tell: its keyword (or the one a misspelt keyword was taken for, as E0101
    /// suggests; `*` when the kind is unknown) and the name after it. A block with no
    /// keyword at all (`{ runtime = … }`) can only have been `defaults`.
    fn unreadable_at(&self, start: usize, resume: usize) -> Option<ast::Unreadable> {
        let end = self.text[..resume.max(start).min(self.text.len())]
            .trim_end()
            .len()
            .max(start);
        let span = self.span(start, end);
        let Some(word) = word_at(self.text, start) else {
            // A block or a path with no keyword can only have been `defaults { … }` or
            // `use "file.lam"`.
            let keyword = match self.text[start..].chars().next() {
                Some('{') => "defaults",
                Some('"') => "use",
                _ => return None,
            };
            return Some(ast::Unreadable {
                keyword: keyword.to_string(),
                name: None,
                span,
            });
        };
        let after = start + word.len();
        let next_at = after + self.text[after..].len()
            - self.text[after..].trim_start_matches([' ', '\t']).len();
        let next = word_at(self.text, next_at).filter(|_| next_at > after);
        let ident = |name: &str, at: usize| ast::Ident {
            name: name.to_string(),
            span: self.span(at, at + name.len()),
        };
        let named = |n: &str| !matches!(n, "extends" | "from");
        let (keyword, name) = if is_declaration_keyword(word) {
            match next {
                Some(n) if !matches!(word, "use" | "defaults") && named(n) => {
                    (Some(word), Some(ident(n, next_at)))
                }
                _ => (Some(word), None),
            }
        } else if self.text[next_at..].starts_with(['{', ':', '=']) || next == Some("extends") {
            // `defualts {`, or a declaration whose kind was lost (`orders { … }`,
            // `resize extends base {`, `stage: string`, `prefix = "x"`): the word is its
            // name.
            if strsim::osa_distance(word, "defaults") <= 2 {
                (Some("defaults"), None)
            } else {
                (None, Some(ident(word, start)))
            }
        } else {
            // A misspelt kind (`fucntion f`, as E0101 suggests) or an unknown one
            // (`lambda resize`), and a name.
            let guessed = did_you_mean(word, DECLARATION_KEYWORDS.iter().copied());
            match next.filter(|n| named(n)) {
                Some(n) => (guessed, Some(ident(n, next_at))),
                None => return None,
            }
        };
        Some(ast::Unreadable {
            keyword: keyword.unwrap_or("*").to_string(),
            name,
            span,
        })
    }

    fn try_item_at(&mut self, start: usize) -> Result<(ast::Item, usize), usize> {
        let Some(word) = word_at(self.text, start) else {
            let d = errors::expected_declaration(self.file, self.text, start);
            self.diags.push(d);
            return Err(self.resume_after(start, start));
        };
        if !is_declaration_keyword(word) {
            self.unknown_declaration(word, start);
            return Err(self.resume_after_unknown(start));
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
        // `Resources:`, `provider:`: a section of another tool, even when it is close to
        // one of lamc's words (`resource`).
        if let Some(ours) = crate::spelling::section(word) {
            self.diags.push(d.help(ours));
            return;
        }
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
        let at = at.min(self.text.len());
        // The mistakes whose place and cause the text shows, each with where to resume.
        let known = self
            .unterminated_string(start, at)
            .or_else(|| self.ran_into_next(start, at))
            .or_else(|| self.mismatched_closer(start, at))
            .or_else(|| self.open_at_end(start, at));
        if let Some((d, resume)) = known {
            self.diags.push(d);
            return resume;
        }
        // Input that ends too early is reported at the end of its last line.
        let at = at.min(self.text.trim_end().len());
        let mut d = errors::syntax_error(self.file, self.text, at, e);
        if let Some(ours) = foreign::recognize(self.text, at, self.scanned) {
            d = errors::in_our_spelling(d, ours);
        }
        self.diags.push(d);
        self.resume_after(start, at)
    }

    /// A string cut off by the end of its line (or a raw string by the end of the file).
    fn unterminated_string(&self, start: usize, at: usize) -> Option<(Diagnostic, usize)> {
        let line_end = at + crate::source::line_end(&self.text[at..]);
        let u = self
            .scanned
            .unterminated
            .iter()
            .find(|u| u.open.pos >= start && u.open.pos <= line_end)?;
        Some((
            errors::unterminated_string(self.file, u),
            self.resume_after(start, u.end),
        ))
    }

    /// The declaration ran on into the next one. While a bracket was still open, that
    /// bracket was never closed; with none open, it was cut short at the end of its line
    /// (`let x =`, `queue q from`): reported there, and the next declaration parsed.
    fn ran_into_next(&self, start: usize, at: usize) -> Option<(Diagnostic, usize)> {
        let base_depth = self.scanned.depth_at(start);
        let next_declaration = |deeper: bool| {
            self.scanned.line_starts.iter().find(|l| {
                l.offset > start
                    && l.offset <= at
                    && l.col0
                    && (l.depth > base_depth) == deeper
                    && word_at(self.text, l.offset).is_some_and(is_declaration_keyword)
            })
        };
        if let Some(next) = next_declaration(true) {
            if let Some(open) = next.innermost.filter(|o| o.pos >= start) {
                let d = errors::unclosed(self.file, open).secondary(
                    self.span(next.offset, next.offset),
                    "the next declaration starts here",
                );
                return Some((d, next.offset));
            }
        }
        let next = next_declaration(false)?;
        Some((self.cut_short(start, next.offset)?, next.offset))
    }

    /// A closer that does not match the bracket open here: that bracket is unclosed.
    fn mismatched_closer(&self, start: usize, at: usize) -> Option<(Diagnostic, usize)> {
        let closer = self.text[at..].chars().next()?;
        let open = self.scanned.innermost_at(at).filter(|o| {
            o.pos >= start
                && matches!(closer, '}' | ']' | ')')
                && matches!(
                    o.kind,
                    OpenKind::Brace | OpenKind::Bracket | OpenKind::Paren
                )
                && !o.kind.closer().starts_with(closer)
        })?;
        let d = errors::unclosed(self.file, open).secondary(
            self.span(at, at + 1),
            format!("expected `{}` before this `{closer}`", open.kind.closer()),
        );
        Some((d, self.resume_after(start, at)))
    }

    /// The end of the file came while a bracket was still open.
    fn open_at_end(&self, start: usize, at: usize) -> Option<(Diagnostic, usize)> {
        if at < self.text.len() {
            return None;
        }
        let open = self
            .scanned
            .open_at_eof
            .iter()
            .rev()
            .find(|o| o.pos >= start)
            .copied()?;
        Some((errors::unclosed(self.file, open), self.text.len()))
    }

    /// E0001 for the declaration from `start`, which should have ended before `end` (the
    /// next declaration): why it does not parse on its own, pointed at the end of its last
    /// line when that is where it stops.
    fn cut_short(&self, start: usize, end: usize) -> Option<Diagnostic> {
        let own = &self.text[start..end];
        let e = LamParser::parse(Rule::item, own).err()?;
        let at = start + errors::error_offset(&e, own);
        // At the end of the text it was given: the end of its last line.
        let line_end = start + own.trim_end().len();
        Some(errors::syntax_error(
            self.file,
            self.text,
            at.min(line_end),
            &e,
        ))
    }

    /// Where to resume after a broken declaration that started at `start` and failed at
    /// `at`: the next line, after `at`, that starts a declaration (a word at the bracket
    /// depth the broken one started at, or a declaration keyword in the first column).
    fn resume_after(&self, start: usize, at: usize) -> usize {
        self.next_declaration_after(start, at)
    }

    /// Where to resume after an unknown word at `start`. When it is in the first column,
    /// the lines indented under it are its body (a YAML section such as `provider:`, a
    /// misspelt declaration): parsing resumes at the next line in the first column.
    fn resume_after_unknown(&self, start: usize) -> usize {
        let in_first_column = start == 0 || self.text[..start].ends_with('\n');
        if !in_first_column {
            return self.resume_after(start, start);
        }
        let first = self
            .scanned
            .line_starts
            .partition_point(|l| l.offset <= start);
        self.scanned.line_starts[first..]
            .iter()
            .find(|l| l.col0)
            .map_or(self.text.len(), |l| l.offset)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Parse `text` in one go and in `pieces` pieces; both must agree exactly.
    fn same_in_pieces(text: &str, pieces: usize) {
        let file = FileId(0);
        let scanned = scan::scan(text);
        let cut = Cut {
            file,
            text,
            scanned: &scanned,
        };
        let mut whole = ast::File::default();
        let whole_diags = parse_in_pieces(&cut, 0, 1, &mut whole);
        let mut split = ast::File::default();
        let split_diags = parse_in_pieces(&cut, 0, pieces, &mut split);
        assert_eq!(whole.items, split.items, "items differ for {text:?}");
        assert_eq!(
            whole.unreadable, split.unreadable,
            "unreadable declarations differ for {text:?}"
        );
        assert_eq!(whole_diags, split_diags, "diagnostics differ for {text:?}");
    }

    const SAMPLE: &str = "app a {}\n\nqueue q1 { visibility = 2m }\nfunction f1 {\n  runtime = python3.12\n  on sqs queue.q1\n}\n\
queue q2 {}\nfunction f2 {\n  alarm errors > 1 over 5m\n}\ntopic t {}\noutput o = queue.q1.url\n\
function f3 { memory = 128MB }\nqueue q3 {}\nfunction f4 { on http \"GET /x\" }\n";

    #[test]
    fn pieces_agree_with_one_go_on_a_clean_file() {
        for pieces in 2..6 {
            same_in_pieces(SAMPLE, pieces);
        }
        let mut parsed = ast::File::default();
        let scanned = scan::scan(SAMPLE);
        let cut = Cut {
            file: FileId(0),
            text: SAMPLE,
            scanned: &scanned,
        };
        assert!(parse_in_pieces(&cut, 0, 4, &mut parsed).is_empty());
        assert_eq!(parsed.items.len(), 10);
        assert_eq!(
            cut_points(&cut, 0, 4).len(),
            3,
            "the sample must really be cut"
        );
    }

    #[test]
    fn a_declaration_running_over_a_cut_is_parsed_once() {
        // The output's value starts a line with a declaration keyword at depth 0: the cut
        // lands inside the output, and the piece after it must be parsed again.
        let text = "queue q {}\noutput o =\nqueue.q.url\nqueue r {}\noutput p =\nqueue.r.url\nqueue s {}\n";
        for pieces in 2..8 {
            same_in_pieces(text, pieces);
        }
    }

    #[test]
    fn pieces_agree_with_one_go_on_broken_files() {
        // Every one-byte deletion and a few insertions at every position of the sample.
        for i in 0..SAMPLE.len() {
            if !SAMPLE.is_char_boundary(i) || !SAMPLE.is_char_boundary(i + 1) {
                continue;
            }
            let deleted = format!("{}{}", &SAMPLE[..i], &SAMPLE[i + 1..]);
            same_in_pieces(&deleted, 3);
            for ins in ["{", "\"", "}", "\n", "#"] {
                let inserted = format!("{}{ins}{}", &SAMPLE[..i], &SAMPLE[i..]);
                same_in_pieces(&inserted, 4);
            }
        }
    }
}
