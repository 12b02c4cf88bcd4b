//! Source files, spans, and position conversions (byte offset → line/column, UTF-16).
//!
//! A line ends at `\n`, at `\r\n`, or at a `\r` on its own, as the Language Server
//! Protocol and editors count lines. The helpers here are the one definition of that rule.

use std::path::{Path, PathBuf};

/// Whether a byte ends a line (`\r` of `\r\n` included).
pub fn is_line_end(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Whether the text contains a line end.
pub fn has_line_end(text: &str) -> bool {
    text.bytes().any(is_line_end)
}

/// The offset of the first line end at or after the start of `text`, or its length.
pub fn line_end(text: &str) -> usize {
    text.bytes().position(is_line_end).unwrap_or(text.len())
}

/// The first line of the text, without its line end.
pub fn first_line(text: &str) -> &str {
    &text[..line_end(text)]
}

/// The byte offset where every line starts: 0, then just after every line end.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    // Room for a line every 24 bytes (source lines are longer on average): one pass
    // over the text, rarely a copy.
    let mut starts = Vec::with_capacity(1 + bytes.len() / 24);
    starts.push(0);
    for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        // `\r\n` is one line end, after its `\n`.
        if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            continue;
        }
        starts.push(at + 1);
    }
    starts
}

/// How many bytes `old` and `new` share at their start, and then at their end, both cut
/// on character boundaries: what an edit from one to the other left alone.
pub fn common_ends(old: &str, new: &str) -> (usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = shared_start(a, b);
    while !(old.is_char_boundary(prefix) && new.is_char_boundary(prefix)) {
        prefix -= 1;
    }
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = shared_end(&a[a.len() - max_suffix..], &b[b.len() - max_suffix..]);
    while !(old.is_char_boundary(old.len() - suffix) && new.is_char_boundary(new.len() - suffix)) {
        suffix -= 1;
    }
    (prefix, suffix)
}

/// Bytes compared at once by [`shared_start`] and [`shared_end`] (a `memcmp`: the language
/// server compares two versions of a document at every edit), before the block that
/// differs is compared byte by byte.
const BLOCK: usize = 256;

/// How many bytes `a` and `b` share at their start.
fn shared_start(a: &[u8], b: &[u8]) -> usize {
    let max = a.len().min(b.len());
    let mut equal = 0;
    while equal + BLOCK <= max && a[equal..equal + BLOCK] == b[equal..equal + BLOCK] {
        equal += BLOCK;
    }
    equal
        + a[equal..]
            .iter()
            .zip(&b[equal..])
            .take_while(|(x, y)| x == y)
            .count()
}

/// How many bytes `a` and `b` share at their end.
fn shared_end(a: &[u8], b: &[u8]) -> usize {
    let max = a.len().min(b.len());
    let (a, b) = (&a[a.len() - max..], &b[b.len() - max..]);
    let mut equal = 0;
    while equal + BLOCK <= max
        && a[max - equal - BLOCK..max - equal] == b[max - equal - BLOCK..max - equal]
    {
        equal += BLOCK;
    }
    let (a, b) = (&a[..max - equal], &b[..max - equal]);
    equal
        + a.iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count()
}

/// The lines of the text without their line ends (`\r\n` is one line end). Unlike
/// [`str::lines`], a bare `\r` ends a line and a final line end gives a last, empty line.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let now = rest?;
        let end = line_end(now);
        let after = match now.as_bytes().get(end) {
            None => None,
            Some(b'\r') if now.as_bytes().get(end + 1) == Some(&b'\n') => Some(end + 2),
            Some(_) => Some(end + 1),
        };
        rest = after.map(|a| &now[a..]);
        Some(&now[..end])
    })
}

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range `[start, end)` in one source file.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

/// `file:start..end` (`0:120..134`): short, since models print thousands of spans.
impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}..{}", self.file.0, self.start, self.end)
    }
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A 1-based line and a 1-based column counted in characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as given (or a pseudo path such as `<std.alarms>`), used in messages.
    pub name: String,
    /// The real path on disk, when the file came from disk; relative `code` folders and
    /// `use "file.lam"` resolve against its directory.
    pub path: Option<PathBuf>,
    pub text: String,
    /// Where each line starts, found the first time a position is asked for: the language
    /// server checks a long document at every edit, and an edit that leaves it without a
    /// diagnostic needs no position before its (empty) diagnostics are out.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(id: FileId, name: String, path: Option<PathBuf>, text: String) -> Self {
        SourceFile {
            id,
            name,
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// Directory that relative paths in this file resolve against.
    pub fn base_dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while o > 0 && !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }

    /// 0-based line index containing `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = self.clamp(offset);
        match self.starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// How many lines the file has (an empty file has one, empty line; a final line end
    /// starts a last, empty line).
    pub fn line_count(&self) -> usize {
        self.starts().len()
    }

    /// The byte range of a 0-based line's text, without its line end (`None` past the
    /// last line).
    pub fn line_bounds(&self, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts().get(line)?;
        let end = start + line_end(&self.text[start..]);
        Some((start, end))
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let starts = self.starts();
        let start = starts[line.min(starts.len() - 1)];
        let column = self.text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// 0-based line and UTF-16 code-unit column, as the Language Server Protocol wants.
    pub fn utf16_position(&self, offset: usize) -> (u32, u32) {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let starts = self.starts();
        let start = starts[line.min(starts.len() - 1)];
        let col: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        (line as u32, col as u32)
    }

    /// Byte offset of a 0-based line and UTF-16 column (clamped to the line).
    pub fn offset_of_utf16(&self, line: u32, col: u32) -> usize {
        let Some(&start) = self.starts().get(line as usize) else {
            return self.text.len();
        };
        let mut units = 0u32;
        for (i, ch) in self.text[start..].char_indices() {
            if units >= col || ch == '\n' || ch == '\r' {
                return start + i;
            }
            units += ch.len_utf16() as u32;
        }
        self.text.len()
    }

    pub fn slice(&self, span: Span) -> &str {
        let s = self.clamp(span.start);
        let e = self.clamp(span.end.max(span.start));
        &self.text[s..e]
    }
}

/// Every file of one compilation: the root file, the files it `use`s, stdlib modules.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: impl Into<String>, path: Option<PathBuf>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files
            .push(SourceFile::new(id, name.into(), path, text));
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The file already loaded from this canonical path, if any.
    pub fn find_path(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .find(|f| f.path.as_deref() == Some(path))
            .map(|f| f.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block-wise comparison finds what a byte-by-byte one finds, on texts longer than
    /// a block, with the change anywhere, and with characters of several bytes around it.
    #[test]
    fn common_ends_match_a_byte_by_byte_comparison() {
        fn naive(old: &str, new: &str) -> (usize, usize) {
            let (a, b) = (old.as_bytes(), new.as_bytes());
            let mut p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            while !(old.is_char_boundary(p) && new.is_char_boundary(p)) {
                p -= 1;
            }
            let room = (a.len() - p).min(b.len() - p);
            let mut s = a
                .iter()
                .rev()
                .zip(b.iter().rev())
                .take(room)
                .take_while(|(x, y)| x == y)
                .count();
            while !(old.is_char_boundary(old.len() - s) && new.is_char_boundary(new.len() - s)) {
                s -= 1;
            }
            (p, s)
        }
        let base: String = (0..700)
            .map(|i| ["a", "é", "😀", "\n", "b"][i % 5])
            .collect();
        let edits = ["", "x", "é", "😀", "aaaa", "\n\n"];
        let mut at = 0;
        while at <= base.len() {
            if base.is_char_boundary(at) {
                for with in edits {
                    for cut in [0, 1, 4, 300] {
                        let mut end = (at + cut).min(base.len());
                        while !base.is_char_boundary(end) {
                            end += 1;
                        }
                        let new = format!("{}{with}{}", &base[..at], &base[end..]);
                        assert_eq!(
                            common_ends(&base, &new),
                            naive(&base, &new),
                            "{at} {cut} {with:?}"
                        );
                        assert_eq!(
                            common_ends(&new, &base),
                            naive(&new, &base),
                            "{at} {cut} {with:?}"
                        );
                    }
                }
            }
            at += 7;
        }
        assert_eq!(common_ends(&base, &base), (base.len(), 0));
        assert_eq!(common_ends("", &base), (0, 0));
    }

    #[test]
    fn lines_start_after_every_kind_of_line_end() {
        assert_eq!(line_starts(""), [0]);
        assert_eq!(line_starts("a\nb\r\nc\rd\n"), [0, 2, 5, 7, 9]);
        // `\r\r\n` is a bare `\r`, then a `\r\n`.
        assert_eq!(line_starts("\r\r\n\n"), [0, 1, 3, 4]);
        let long = "x = 1\r\n".repeat(1000);
        assert_eq!(line_starts(&long).len(), 1001);
        assert_eq!(line_starts(&long)[1000], long.len());
    }

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new(FileId(0), "t".into(), None, "ab\nçé x\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'x' is after two 2-byte chars and a space: byte 3+5=8, column 4.
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 4 });
    }

    #[test]
    fn cr_lf_and_crlf_all_end_lines() {
        let text = "a\rb\nc\r\nd\r\re";
        assert_eq!(line_starts(text), [0, 2, 4, 7, 9, 10]);
        assert_eq!(
            split_lines(text).collect::<Vec<_>>(),
            ["a", "b", "c", "d", "", "e"]
        );
        assert_eq!(split_lines("x\n").collect::<Vec<_>>(), ["x", ""]);
        let f = SourceFile::new(FileId(0), "t".into(), None, text.into());
        assert_eq!(f.line_col(2), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(9), LineCol { line: 5, column: 1 });
        assert_eq!(f.utf16_position(10), (5, 0));
        // A column past the end of a line stops at its line end, whichever it is.
        assert_eq!(f.offset_of_utf16(0, 9), 1);
        assert_eq!(f.offset_of_utf16(2, 9), 5);
        assert_eq!(f.offset_of_utf16(3, 0), 7);
        assert_eq!(first_line("ab\rcd"), "ab");
    }

    #[test]
    fn utf16_round_trip() {
        let f = SourceFile::new(FileId(0), "t".into(), None, "a😀b\nc".into());
        let b = "a😀".len();
        assert_eq!(f.utf16_position(b), (0, 3));
        assert_eq!(f.offset_of_utf16(0, 3), b);
        assert_eq!(f.offset_of_utf16(1, 0), "a😀b\n".len());
    }
}
