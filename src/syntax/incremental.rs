//! Parsing a new version of a document by reusing the declarations of the previous one.
//!
//! An editor re-sends the whole document on every keystroke, but an edit changes one
//! declaration. The text is cut before every declaration keyword in the first column
//! (the places [`super::parse_in_pieces`] may cut), and each piece's parse is looked up by
//! its text: a piece seen before is not parsed again, its declarations are only moved to
//! their new offset ([`Relocate`]).
//!
//! The result is the same, item for item and diagnostic for diagnostic, as [`super::parse`]:
//! a piece is kept only when the previous piece stopped exactly where it starts (as in
//! [`super::parse_in_pieces`]), and only a piece whose parse depends on nothing but its own
//! text is stored:
//! - it parsed without a diagnostic (error reporting looks at the scan of the whole file);
//! - it stopped exactly at its end, so no declaration ran on into the next piece;
//! - no string in it runs on past its line (the scan would see the rest of the file
//!   differently);
//! - no nesting in the file is too deep (only the first too-deep opener is reported, so
//!   that error depends on what comes before).
//!
//! What follows a piece is part of its key: the keyword of the next declaration (a
//! declaration's optional tail may peek at it), or the end of the file.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::source::FileId;

use super::ast;
use super::relocate::{Relocate, Shift};
use super::{is_declaration_keyword, parse_piece, scan, word_at, Cut, Piece};

/// The pieces of the documents parsed lately, by text. Pieces not used by one generation
/// (one check of a document, with the files it uses) are forgotten at the end of the next,
/// so the cache holds at most two versions of a document.
#[derive(Default)]
pub struct ParseCache {
    current: HashMap<Box<str>, Arc<CachedPiece>>,
    previous: HashMap<Box<str>, Arc<CachedPiece>>,
}

struct CachedPiece {
    /// Where the piece started when it was parsed: its spans are relative to this.
    origin: usize,
    /// Whether the piece ended the file (its key then has no next keyword).
    at_end: bool,
    items: Vec<ast::Item>,
}

impl ParseCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Begin a new generation: what the last one did not use is dropped.
    pub fn next_generation(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    /// How many pieces are remembered (for tests).
    pub fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&mut self, key: &str, at_end: bool) -> Option<Arc<CachedPiece>> {
        let hit = match self.current.get(key) {
            Some(p) => p.clone(),
            None => {
                let (k, p) = self.previous.remove_entry(key)?;
                self.current.insert(k, p.clone());
                p
            }
        };
        (hit.at_end == at_end).then_some(hit)
    }

    fn put(&mut self, key: &str, piece: CachedPiece) {
        self.current.insert(key.into(), Arc::new(piece));
    }
}

/// [`super::parse`], reusing the pieces `cache` holds and remembering the new ones.
pub fn parse_incremental(
    file: FileId,
    text: &str,
    cache: &mut ParseCache,
) -> (ast::File, Vec<Diagnostic>) {
    let scanned = scan::scan(text);
    if scanned.too_deep.is_some() {
        return super::parse(file, text);
    }
    let mut out = super::file_comments(file, &scanned);
    let from = super::bom_len(text);
    let cut = Cut {
        file,
        text,
        scanned: &scanned,
    };
    let bounds = piece_bounds(&cut, from);
    let keys: Vec<&str> = bounds.iter().map(|&(a, b)| key(text, a, b)).collect();
    let found: Vec<Option<Arc<CachedPiece>>> = bounds
        .iter()
        .zip(&keys)
        .map(|(&(_, b), k)| cache.get(k, b == text.len()))
        .collect();
    let missing: Vec<(usize, usize)> = bounds
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(b, _)| *b)
        .collect();
    let mut fresh = parse_all(&cut, &missing).into_iter();

    let mut diags = Vec::new();
    let mut pos = from;
    for ((&(a, b), key), hit) in bounds.iter().zip(&keys).zip(found) {
        let piece = match hit {
            Some(hit) => {
                // Parsed anew only if the previous piece did not stop where this one starts.
                if pos == a {
                    let to = Shift {
                        file,
                        delta: a as isize - hit.origin as isize,
                    };
                    out.items.extend(hit.items.iter().map(|item| {
                        let mut item = item.clone();
                        item.relocate(to);
                        item
                    }));
                    pos = b;
                    continue;
                }
                parse_piece(&cut, pos.max(a), b)
            }
            None => {
                let parsed = fresh.next().unwrap_or_else(|| parse_piece(&cut, a, b));
                if pos == a {
                    if reusable(&parsed, a, b, &scanned) {
                        cache.put(
                            key,
                            CachedPiece {
                                origin: a,
                                at_end: b == text.len(),
                                items: parsed.items.clone(),
                            },
                        );
                    }
                    parsed
                } else {
                    parse_piece(&cut, pos.max(a), b)
                }
            }
        };
        out.items.extend(piece.items);
        diags.extend(piece.diags);
        pos = piece.stopped_at;
    }
    (out, diags)
}

/// `[from, c1), [c1, c2), …, [cn, end)`: cut before every declaration keyword in the
/// first column (outside strings and comments; inside brackets too, so that an unclosed
/// bracket does not make the rest of the file one piece).
fn piece_bounds(cut: &Cut, from: usize) -> Vec<(usize, usize)> {
    let mut bounds = Vec::new();
    let mut lo = from;
    for l in &cut.scanned.line_starts {
        if l.col0
            && l.offset > lo
            && word_at(cut.text, l.offset).is_some_and(is_declaration_keyword)
        {
            bounds.push((lo, l.offset));
            lo = l.offset;
        }
    }
    bounds.push((lo, cut.text.len()));
    bounds
}

/// A piece's text and the word after it (the next declaration's keyword, or nothing at
/// the end of the file).
fn key(text: &str, a: usize, b: usize) -> &str {
    let next = word_at(text, b).map_or(0, str::len);
    &text[a..b + next]
}

/// Whether the parse of `a..b` depends on nothing but its text (see the module docs).
fn reusable(piece: &Piece, a: usize, b: usize, scanned: &scan::Scan) -> bool {
    piece.diags.is_empty()
        && piece.stopped_at == b
        && !scanned
            .unterminated
            .iter()
            .any(|u| (a..b).contains(&u.open.pos))
}

/// Parse each of `bounds` on its own, on several threads when there is much to parse (a
/// document just opened).
fn parse_all(cut: &Cut, bounds: &[(usize, usize)]) -> Vec<Piece> {
    let bytes: usize = bounds.iter().map(|(a, b)| b - a).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let groups = (bytes / super::MIN_PIECE_BYTES)
        .min(threads)
        .min(super::MAX_PIECES);
    let parse_group = |group: &[(usize, usize)]| -> Vec<Piece> {
        group.iter().map(|&(a, b)| parse_piece(cut, a, b)).collect()
    };
    if groups < 2 {
        return parse_group(bounds);
    }
    let size = bounds.len().div_ceil(groups);
    std::thread::scope(|s| {
        let mut chunks = bounds.chunks(size);
        let first = chunks.next().unwrap_or_default();
        let handles: Vec<_> = chunks
            .map(|c| (c, s.spawn(move || parse_group(c))))
            .collect();
        let mut out = parse_group(first);
        for (chunk, handle) in handles {
            // A group whose thread failed is parsed again here.
            out.extend(handle.join().unwrap_or_else(|_| parse_group(chunk)));
        }
        out
    })
}
