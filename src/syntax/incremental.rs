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
//!
//! Declarations are moved, never copied: the server hands a replaced version's syntax
//! tree back ([`ParseCache::reclaim`]) and the next parse takes the pieces it can use out
//! of it. Copying (and later freeing) a large document's tree would cost about as much as
//! parsing it.

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::source::FileId;

use super::ast;
use super::relocate::{Relocate, Shift};
use super::{is_declaration_keyword, parse_piece, scan, word_at, Cut, Piece};

/// The reusable pieces of a document's previous version, by the hash of their text, and
/// how the last parse of each file was cut (to take its tree apart again when it is handed
/// back).
#[derive(Default)]
pub struct ParseCache {
    /// By the foldhash of the key's text, computed once per edit when the new version is
    /// cut (keying by the text itself hashed it twice and copied it into a thousand keys).
    /// A hit is compared with the text it was cut from.
    pieces: crate::plan::FastMap<u64, CachedPiece>,
    cuts: crate::plan::FastMap<FileId, FileCuts>,
    /// Each file's last text and its scan, which the next version is scanned from
    /// ([`scan::rescan`]): the scan of a whole document was a seventh of an edit.
    scans: crate::plan::FastMap<FileId, (Arc<str>, scan::Scan)>,
}

/// How one file was cut, with the text it was cut from (a tree handed back with another
/// text is not taken apart); the text is shared with `scans`.
struct FileCuts {
    text: Arc<str>,
    items: usize,
    pieces: Vec<PieceCut>,
}

struct CachedPiece {
    /// The text the piece was cut from, and where its key is in it.
    text: Arc<str>,
    key: (usize, usize),
    /// The file and offset the piece was parsed at: its spans are there.
    file: FileId,
    origin: usize,
    /// Whether the piece ended the file (its key then has no next keyword).
    at_end: bool,
    items: Vec<ast::Item>,
}

/// One piece of a parse, in order: where its key is in the text, how many of the file's
/// items it gave, and whether they may be reused.
struct PieceCut {
    key: (usize, usize),
    hash: u64,
    at_end: bool,
    items: usize,
    reusable: bool,
}

impl ParseCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many pieces are ready to be reused.
    pub fn len(&self) -> usize {
        self.pieces.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Take back the syntax tree parsed from `text` as `file` by the last
    /// [`parse_incremental`]: its reusable pieces are kept for the next parse.
    pub fn reclaim(&mut self, file: FileId, text: &str, ast: ast::File) {
        let Some(cuts) = self.cuts.remove(&file) else {
            return;
        };
        if *cuts.text != *text || cuts.items != ast.items.len() {
            return;
        }
        let mut items = ast.items.into_iter();
        for cut in cuts.pieces {
            let taken: Vec<ast::Item> = items.by_ref().take(cut.items).collect();
            if cut.reusable && taken.len() == cut.items {
                self.pieces.insert(
                    cut.hash,
                    CachedPiece {
                        text: Arc::clone(&cuts.text),
                        key: cut.key,
                        file,
                        origin: cut.key.0,
                        at_end: cut.at_end,
                        items: taken,
                    },
                );
            }
        }
    }

    /// Drop the pieces the last parse did not use.
    pub fn forget_unused(&mut self) {
        self.pieces.clear();
    }

    fn take(&mut self, hash: u64, key: &str, at_end: bool) -> Option<CachedPiece> {
        let hit = self.pieces.remove(&hash)?;
        let same = hit.text.get(hit.key.0..hit.key.1) == Some(key);
        (same && hit.at_end == at_end).then_some(hit)
    }
}

/// [`super::parse`], reusing the pieces `cache` holds (taking them out of it).
pub fn parse_incremental(
    file: FileId,
    text: &str,
    cache: &mut ParseCache,
) -> (ast::File, Vec<Diagnostic>) {
    let scanned = match cache.scans.remove(&file) {
        Some((old_text, old)) => scan::rescan(&old_text, old, text),
        None => scan::scan(text),
    };
    if scanned.too_deep.is_some() {
        cache.cuts.remove(&file);
        return super::parse(file, text);
    }
    let from = super::bom_len(text);
    let cut = Cut {
        file,
        text,
        scanned: &scanned,
    };
    let bounds = piece_bounds(&cut, from);
    let keys: Vec<Key> = bounds.iter().map(|&(a, b)| key(text, a, b)).collect();
    let found: Vec<Option<CachedPiece>> = bounds
        .iter()
        .zip(&keys)
        .map(|(&(_, b), k)| cache.take(k.hash, &text[k.at.0..k.at.1], b == text.len()))
        .collect();
    let fresh = parse_missing(&cut, &bounds, &found);
    let mut assembly = Assembly {
        out: super::file_comments(file, &scanned),
        diags: Vec::new(),
        cuts: Vec::with_capacity(bounds.len()),
        pos: from,
    };
    assembly.add_all(&cut, &bounds, &keys, found, fresh);
    let Assembly {
        out,
        mut diags,
        cuts,
        ..
    } = assembly;
    let kept: Arc<str> = Arc::from(text);
    cache.cuts.insert(
        file,
        FileCuts {
            text: Arc::clone(&kept),
            items: out.items.len(),
            pieces: cuts,
        },
    );
    diags.extend(super::invisible::check(file, text, &scanned));
    cache.scans.insert(file, (kept, scanned));
    (out, diags)
}

/// The pieces of `bounds` not `found` in the cache, parsed (in their order).
fn parse_missing(
    cut: &Cut,
    bounds: &[(usize, usize)],
    found: &[Option<CachedPiece>],
) -> std::vec::IntoIter<Piece> {
    let missing: Vec<(usize, usize)> = bounds
        .iter()
        .zip(found)
        .filter(|(_, f)| f.is_none())
        .map(|(b, _)| *b)
        .collect();
    parse_all(cut, &missing).into_iter()
}

/// The file being put together piece by piece, with how it was cut.
struct Assembly {
    out: ast::File,
    diags: Vec<Diagnostic>,
    cuts: Vec<PieceCut>,
    /// Where the last piece added stopped.
    pos: usize,
}

impl Assembly {
    /// Each piece of `bounds` in order: the cached one where found, else the fresh parse.
    fn add_all(
        &mut self,
        cut: &Cut,
        bounds: &[(usize, usize)],
        keys: &[Key],
        found: Vec<Option<CachedPiece>>,
        mut fresh: impl Iterator<Item = Piece>,
    ) {
        for ((&(a, b), key), hit) in bounds.iter().zip(keys).zip(found) {
            let at_end = b == cut.text.len();
            let (piece, reuse) = match hit {
                // Used only where the previous piece stopped; elsewhere parsed anew.
                Some(hit) if self.pos == a => {
                    self.add_cached(hit, cut.file, (a, b), key, at_end);
                    continue;
                }
                Some(_) => (parse_piece(cut, self.pos.max(a), b), false),
                None => {
                    let parsed = fresh.next().unwrap_or_else(|| parse_piece(cut, a, b));
                    if self.pos == a {
                        let reuse = reusable(&parsed, a, b, cut.scanned);
                        (parsed, reuse)
                    } else {
                        (parse_piece(cut, self.pos.max(a), b), false)
                    }
                }
            };
            self.cuts.push(PieceCut {
                key: key.at,
                hash: key.hash,
                at_end,
                items: piece.items.len(),
                reusable: reuse,
            });
            self.out.items.extend(piece.items);
            self.out.unreadable.extend(piece.unreadable);
            self.diags.extend(piece.diags);
            self.pos = piece.stopped_at;
        }
    }

    /// A cached piece, moved to `a..b` of `file`.
    fn add_cached(
        &mut self,
        hit: CachedPiece,
        file: FileId,
        (a, b): (usize, usize),
        key: &Key,
        at_end: bool,
    ) {
        let to = Shift {
            file,
            delta: a as isize - hit.origin as isize,
        };
        let mut items = hit.items;
        // Declarations before the edit stay where they were.
        if to.delta != 0 || hit.file != file {
            items.relocate(to);
        }
        self.cuts.push(PieceCut {
            key: key.at,
            hash: key.hash,
            at_end,
            items: items.len(),
            reusable: true,
        });
        self.out.items.append(&mut items);
        self.pos = b;
    }
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

/// A piece's key: its text and the word after it (the next declaration's keyword, or
/// nothing at the end of the file).
struct Key {
    /// Where the key's text is.
    at: (usize, usize),
    hash: u64,
}

fn key(text: &str, a: usize, b: usize) -> Key {
    use std::hash::BuildHasher;
    let next = word_at(text, b).map_or(0, str::len);
    let at = (a, b + next);
    let hash = foldhash::fast::FixedState::default().hash_one(&text[at.0..at.1]);
    Key { at, hash }
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
    let threads = crate::parallel::cores();
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
