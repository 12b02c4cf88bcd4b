//! A quick lexical pass over the whole file, before any grammar rule runs.
//!
//! It finds what the grammar itself cannot explain well: comments (kept for the formatter),
//! strings that never close, brackets still open at the end of the file, nesting too deep
//! to parse safely, and the line starts where parsing can resume after a broken
//! declaration. It agrees with the grammar on what a string and a comment are.

use crate::source::{is_line_end, line_end};

/// Nesting deeper than this is refused before the grammar runs, so that no input can
/// exhaust the stack (real programs nest four or five levels).
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenKind {
    Brace,
    Bracket,
    Paren,
    /// `${` inside a string.
    Interp,
    /// `"` of a plain string.
    Str,
    /// `"""` of a raw string.
    RawStr,
}

impl OpenKind {
    pub fn opener(self) -> &'static str {
        match self {
            OpenKind::Brace => "{",
            OpenKind::Bracket => "[",
            OpenKind::Paren => "(",
            OpenKind::Interp => "${",
            OpenKind::Str => "\"",
            OpenKind::RawStr => "\"\"\"",
        }
    }

    pub fn closer(self) -> &'static str {
        match self {
            OpenKind::Brace | OpenKind::Interp => "}",
            OpenKind::Bracket => "]",
            OpenKind::Paren => ")",
            OpenKind::Str => "\"",
            OpenKind::RawStr => "\"\"\"",
        }
    }
}

/// Something opened at `pos` (a byte offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    pub kind: OpenKind,
    pub pos: usize,
}

/// A line whose first token is a word, outside any string: a place where a declaration
/// may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineStart {
    /// Offset of the word.
    pub offset: usize,
    /// How many brackets are open there.
    pub depth: usize,
    /// The word is in the first column.
    pub col0: bool,
    /// The innermost bracket open there, if any.
    pub innermost: Option<Open>,
}

/// A string that runs into the end of its line (plain) or of the file (raw).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unterminated {
    pub open: Open,
    /// Where the string was cut off.
    pub end: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// `(start, end)` of every comment, `#` included, line end excluded.
    pub comments: Vec<(usize, usize)>,
    /// `(start, end)` of every string, quotes included (an unterminated one up to where
    /// it was cut off), in order of their ends.
    pub strings: Vec<(usize, usize)>,
    pub unterminated: Vec<Unterminated>,
    pub line_starts: Vec<LineStart>,
    /// Brackets (and strings) still open at the end of the file, outermost first.
    pub open_at_eof: Vec<Open>,
    /// The first opener that goes deeper than [`MAX_DEPTH`].
    pub too_deep: Option<Open>,
    /// `(offset, depth after it, innermost open after it)` at every change of depth.
    depth_changes: Vec<(usize, usize, Option<Open>)>,
}

impl Scan {
    /// How many brackets are open just before `offset`.
    pub fn depth_at(&self, offset: usize) -> usize {
        self.change_before(offset).map_or(0, |c| c.1)
    }

    /// The innermost bracket (or string) open just before `offset`.
    pub fn innermost_at(&self, offset: usize) -> Option<Open> {
        self.change_before(offset).and_then(|c| c.2)
    }

    /// This scan (of the old text) with what `middle` found (a scan of the new text from
    /// `restart`, a line start where nothing was open in either) in place of what it found
    /// from `restart` on: up to `tail`'s `at` (a line start of the old text where nothing
    /// was open), after which the old findings hold, moved by `tail`'s `delta`; with no
    /// `tail`, up to the end (`middle` then ran to the end and says what is open there).
    /// Edited in place: the vectors of a long text are not copied into fresh memory.
    fn splice(mut self, restart: usize, middle: Scan, tail: Option<(usize, isize)>) -> Scan {
        let delta = tail.map_or(0, |(_, d)| d);
        let mv = |p: usize| (p as isize + delta) as usize;
        let mv_open = |o: Open| Open {
            kind: o.kind,
            pos: mv(o.pos),
        };
        let at = tail.map_or(usize::MAX, |(at, _)| at);
        let pair = |r: &mut (usize, usize)| *r = (mv(r.0), mv(r.1));
        splice_sorted(
            &mut self.comments,
            middle.comments,
            (restart, at),
            |r| r.0,
            pair,
        );
        splice_sorted(
            &mut self.strings,
            middle.strings,
            (restart, at),
            |r| r.0,
            pair,
        );
        let line = |l: &mut LineStart| {
            l.offset = mv(l.offset);
            l.innermost = l.innermost.map(mv_open);
        };
        splice_sorted(
            &mut self.line_starts,
            middle.line_starts,
            (restart, at),
            |l| l.offset,
            line,
        );
        let change = |c: &mut (usize, usize, Option<Open>)| *c = (mv(c.0), c.1, c.2.map(mv_open));
        splice_sorted(
            &mut self.depth_changes,
            middle.depth_changes,
            (restart, at),
            |c| c.0,
            change,
        );
        // Few, and not in order of their openers.
        let old = std::mem::take(&mut self.unterminated);
        let kept = old.iter().filter(|u| u.open.pos < restart).copied();
        let after = old
            .iter()
            .filter(|u| u.open.pos >= at)
            .map(|u| Unterminated {
                open: mv_open(u.open),
                end: mv(u.end),
            });
        self.unterminated = kept.chain(middle.unterminated).chain(after).collect();
        self.open_at_eof = match tail {
            Some(_) => self.open_at_eof.iter().copied().map(mv_open).collect(),
            None => middle.open_at_eof,
        };
        self.too_deep = None;
        self
    }

    fn change_before(&self, offset: usize) -> Option<&(usize, usize, Option<Open>)> {
        let i = self.depth_changes.partition_point(|c| c.0 < offset);
        i.checked_sub(1).and_then(|i| self.depth_changes.get(i))
    }
}

/// In `v` (in order of `pos`), `new` in place of the items at `from..upto`, and `shift`
/// applied to the items after them (in place: the vectors of a long text are not copied).
fn splice_sorted<T>(
    v: &mut Vec<T>,
    new: Vec<T>,
    (from, upto): (usize, usize),
    pos: impl Fn(&T) -> usize,
    shift: impl Fn(&mut T),
) {
    let start = v.partition_point(|x| pos(x) < from);
    let end = v.partition_point(|x| pos(x) < upto).max(start);
    let moved_from = start + new.len();
    v.splice(start..end, new);
    v[moved_from..].iter_mut().for_each(shift);
}

/// Bytes that end a run of ordinary code: line ends, comments, quotes and brackets.
const CODE_STOPS: [bool; 256] = stops(b"\n\r#\"{[(}])");
/// Bytes that end a run of a plain string's text.
const STRING_STOPS: [bool; 256] = stops(b"\"\\$\n\r");
/// Only a quote can end a raw string.
const RAW_STOPS: [bool; 256] = stops(b"\"");

const fn stops(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// The first offset from `from` on whose byte is in `stops` (or the end). The scan runs
/// on the whole text at every edit in the language server, so runs of ordinary bytes are
/// skipped in one tight loop rather than dispatched byte by byte.
fn skip_to(bytes: &[u8], from: usize, stops: &[bool; 256]) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| stops[usize::from(b)]))
        .map_or(bytes.len(), |at| from + at)
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// An empty scan with room for what `text` can hold: a large file has hundreds of
/// thousands of lines and brackets, and vectors grown by doubling would copy them over and
/// over into fresh memory. Room is only address space until it is written.
fn with_room(text: &str) -> Scan {
    let (mut lines, mut marks) = (1, 0);
    for b in text.bytes() {
        lines += usize::from(b == b'\n');
        // Every change of depth is at a bracket, a quote or the `$` of `${`.
        marks += usize::from(matches!(
            b,
            b'{' | b'}' | b'[' | b']' | b'(' | b')' | b'"' | b'$'
        ));
    }
    Scan {
        line_starts: Vec::with_capacity(lines),
        depth_changes: Vec::with_capacity(marks),
        ..Scan::default()
    }
}

pub fn scan(text: &str) -> Scan {
    let mut s = Scanner::new(text, with_room(text));
    s.run(0, |_| false);
    s.finish()
}

/// The scan of `text`, made from `old`, the scan of `old_text`: only from the last line
/// before the first changed byte where nothing was open, to the first line after the last
/// changed byte where nothing is open in either text, is scanned again; the rest is
/// taken from `old` (moved by the change in length). The result is [`scan`]'s: at such a
/// line the scanner's whole state is "at a line start, nothing open", so what follows
/// depends on the text alone. The language server rescans at every edit, which changes a
/// few bytes of a long text.
pub fn rescan(old_text: &str, old: Scan, text: &str) -> Scan {
    if old.too_deep.is_some() {
        return scan(text);
    }
    let (prefix, suffix) = crate::source::common_ends(old_text, text);
    // The last line at or before the change that starts in the first column with nothing
    // open: the scanner's state there is known.
    let upto = old.line_starts.partition_point(|l| l.offset <= prefix);
    let restart = old.line_starts[..upto]
        .iter()
        .rev()
        .find(|l| l.col0 && l.depth == 0)
        .map_or(0, |l| l.offset);
    let delta = text.len() as isize - old_text.len() as isize;
    let same_from = text.len() - suffix;
    // A line start of the new text, in the unchanged tail, where the old scan also had
    // nothing open: from there on the old scan holds, moved by `delta`.
    let in_sync = |i: usize| {
        i >= same_from && {
            let at = (i as isize - delta) as usize;
            old.line_starts
                .binary_search_by_key(&at, |l| l.offset)
                .is_ok_and(|k| old.line_starts[k].col0 && old.line_starts[k].depth == 0)
        }
    };
    // The scanner only adds to what it is given: the part it scans is found on its own
    // and put in place of the old one.
    let mut s = Scanner::new(text, Scan::default());
    let synced = s.run(restart, in_sync);
    if s.out.too_deep.is_some() {
        return scan(text);
    }
    match synced {
        Some(at) => {
            let middle = s.out;
            old.splice(
                restart,
                middle,
                Some(((at as isize - delta) as usize, delta)),
            )
        }
        None => {
            let middle = s.finish();
            if middle.too_deep.is_some() {
                return scan(text);
            }
            old.splice(restart, middle, None)
        }
    }
}

/// The scan in progress: what is open, and whether the next byte starts a line. Each step
/// reads from a byte offset and returns the offset to go on from.
struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    out: Scan,
    stack: Vec<Open>,
    at_line_start: bool,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, out: Scan) -> Self {
        Scanner {
            text,
            bytes: text.as_bytes(),
            out,
            stack: Vec::new(),
            at_line_start: true,
        }
    }

    /// Scan from `i` (a line start with nothing open) to the end, or to the first line
    /// start with nothing open where `stop` says so (returned).
    fn run(&mut self, mut i: usize, mut stop: impl FnMut(usize) -> bool) -> Option<usize> {
        while i < self.bytes.len() {
            i = match self.stack.last().map(|o| o.kind) {
                Some(OpenKind::Str) => self.in_string(i),
                Some(OpenKind::RawStr) => self.in_raw_string(i),
                _ if self.at_line_start => {
                    if self.stack.is_empty() && stop(i) {
                        return Some(i);
                    }
                    self.line_start(i)
                }
                _ => self.code(i),
            };
        }
        None
    }

    // Every opener and closer goes through these two so depth bookkeeping stays in one place.
    fn push(&mut self, kind: OpenKind, pos: usize) {
        self.stack.push(Open { kind, pos });
        if self.stack.len() > MAX_DEPTH && self.out.too_deep.is_none() {
            self.out.too_deep = Some(Open { kind, pos });
        }
        self.record_depth(pos);
    }

    fn pop(&mut self, pos: usize) -> Option<Open> {
        let o = self.stack.pop();
        self.record_depth(pos);
        o
    }

    fn record_depth(&mut self, pos: usize) {
        let change = (pos, self.stack.len(), self.stack.last().copied());
        self.out.depth_changes.push(change);
    }

    /// Inside a plain string.
    fn in_string(&mut self, i: usize) -> usize {
        match self.bytes[i] {
            b'"' => {
                if let Some(o) = self.pop(i) {
                    self.out.strings.push((o.pos, i + 1));
                }
                i + 1
            }
            // An escape never swallows a line end: the string is cut there.
            b'\\' if self.bytes.get(i + 1).is_some_and(|&b| !is_line_end(b)) => i + 2,
            b'$' if self.bytes.get(i + 1) == Some(&b'{') => {
                self.push(OpenKind::Interp, i);
                i + 2
            }
            b'\n' | b'\r' => {
                self.cut_strings_at(i);
                // The line end itself is handled as code next.
                i
            }
            _ => skip_to(self.bytes, i + 1, &STRING_STOPS),
        }
    }

    /// A line end inside a plain string closes it, and any string it was interpolated into.
    fn cut_strings_at(&mut self, i: usize) {
        let mut innermost = None;
        while let Some(o) = self.stack.last().copied() {
            if !matches!(o.kind, OpenKind::Str | OpenKind::Interp) {
                break;
            }
            self.pop(i);
            if o.kind == OpenKind::Str {
                self.out.strings.push((o.pos, i));
                innermost = innermost.or(Some(o));
            }
        }
        if let Some(open) = innermost {
            self.out.unterminated.push(Unterminated { open, end: i });
        }
    }

    /// Inside a raw string: only `"""` ends it.
    fn in_raw_string(&mut self, i: usize) -> usize {
        if !self.bytes[i..].starts_with(b"\"\"\"") {
            return skip_to(self.bytes, i + 1, &RAW_STOPS);
        }
        if let Some(o) = self.pop(i) {
            self.out.strings.push((o.pos, i + 3));
        }
        i + 3
    }

    /// The indentation of a line, and the word that starts it, if any.
    fn line_start(&mut self, line_start: usize) -> usize {
        self.at_line_start = false;
        let mut i = line_start;
        while i < self.bytes.len() && matches!(self.bytes[i], b' ' | b'\t') {
            i += 1;
        }
        if i < self.bytes.len() && is_word_start(self.bytes[i]) {
            self.out.line_starts.push(LineStart {
                offset: i,
                depth: self.stack.len(),
                col0: i == line_start,
                innermost: self.stack.last().copied(),
            });
        }
        i
    }

    /// Outside strings: line ends, comments, openers and closers.
    fn code(&mut self, i: usize) -> usize {
        let opened = match self.bytes[i] {
            b'\n' | b'\r' => {
                self.at_line_start = true;
                return i + 1;
            }
            b'#' => {
                // A comment ends at any line end (a `\r` on its own included).
                let end = i + line_end(&self.text[i..]);
                self.out.comments.push((i, end));
                return end;
            }
            b'"' if self.bytes[i..].starts_with(b"\"\"\"") => {
                self.push(OpenKind::RawStr, i);
                return i + 3;
            }
            b'"' => OpenKind::Str,
            b'{' => OpenKind::Brace,
            b'[' => OpenKind::Bracket,
            b'(' => OpenKind::Paren,
            c @ (b'}' | b']' | b')') => {
                self.close(c, i);
                return i + 1;
            }
            _ => return skip_to(self.bytes, i + 1, &CODE_STOPS),
        };
        self.push(opened, i);
        i + 1
    }

    /// A closer ends the innermost bracket when it matches it. A stray closer is left to
    /// the grammar to report; depth is not disturbed.
    fn close(&mut self, closer: u8, i: usize) {
        let want: &[OpenKind] = match closer {
            b'}' => &[OpenKind::Brace, OpenKind::Interp],
            b']' => &[OpenKind::Bracket],
            _ => &[OpenKind::Paren],
        };
        if self.stack.last().is_some_and(|o| want.contains(&o.kind)) {
            self.pop(i);
        }
    }

    /// What is still open at the end of the file.
    fn finish(mut self) -> Scan {
        let len = self.text.len();
        if let Some(o) = self.stack.last().copied() {
            if matches!(o.kind, OpenKind::Str | OpenKind::RawStr) {
                self.out
                    .unterminated
                    .push(Unterminated { open: o, end: len });
            }
        }
        // Strings still open at the end (a raw string, or a plain string inside it).
        for o in self.stack.iter().rev() {
            if matches!(o.kind, OpenKind::Str | OpenKind::RawStr) {
                self.out.strings.push((o.pos, len));
            }
        }
        self.out.open_at_eof = self.stack;
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_outside_strings() {
        let s = scan("a = \"x # y\" # real\n# second\nb = 1");
        assert_eq!(s.comments, vec![(12, 18), (19, 27)]);
    }

    #[test]
    fn comment_spans_exclude_carriage_returns() {
        let s = scan("# a\r\nb = 1 # c\r\n");
        assert_eq!(s.comments, vec![(0, 3), (11, 14)]);
    }

    #[test]
    fn a_bare_carriage_return_ends_comments_strings_and_lines() {
        let s = scan("# c\rqueue q {}\ra = \"x\rb = 1");
        assert_eq!(s.comments, vec![(0, 3)]);
        assert_eq!(
            s.line_starts.iter().map(|l| l.offset).collect::<Vec<_>>(),
            [4, 15, 22]
        );
        assert_eq!(s.unterminated.len(), 1);
        assert_eq!(s.unterminated[0].end, 21);
        assert_eq!(s.strings, vec![(19, 21)]);
    }

    #[test]
    fn records_every_string() {
        let s = scan("a = \"x ${\"y\"} z\" # \"no\"\nb = \"\"\"r\n\"\"\"\nc = \"cut");
        assert_eq!(s.strings, vec![(9, 12), (4, 16), (28, 36), (41, 45)]);
    }

    #[test]
    fn cuts_plain_strings_at_end_of_line() {
        let s = scan("a = \"abc\nb = 1\n");
        assert_eq!(s.unterminated.len(), 1);
        assert_eq!(s.unterminated[0].open.pos, 4);
        assert_eq!(s.unterminated[0].end, 8);
        assert!(s.open_at_eof.is_empty());
        assert_eq!(s.line_starts.len(), 2);
    }

    #[test]
    fn raw_strings_span_lines() {
        let s = scan("a = \"\"\"x\n{\n\"\"\"\nb = 1");
        assert!(s.unterminated.is_empty());
        assert_eq!(
            s.line_starts.iter().map(|l| l.offset).collect::<Vec<_>>(),
            [0, 15]
        );
    }

    #[test]
    fn tracks_depth_and_open_brackets() {
        let text = "function a {\n  env {\n    X = \"${y}\"\n  }\n";
        let s = scan(text);
        assert_eq!(s.open_at_eof.len(), 1);
        assert_eq!(s.open_at_eof[0].pos, 11);
        assert_eq!(s.depth_at(0), 0);
        assert_eq!(s.depth_at(13), 1);
        let env = s.line_starts.iter().find(|l| l.offset == 15);
        assert_eq!(env.map(|l| (l.depth, l.col0)), Some((1, false)));
    }

    /// A program with every construct the scan tracks, edited everywhere.
    const EDITED: &str = "# top\nqueue q { visibility = 2m }\r\nfunction a {\n  env { X = \"a ${b} \\\" c\" }\n  code = inline(\"\"\"x\n{ # \"\n\"\"\")\n}\nlet b = [1, (2), \"}\"]\n\rfunction c { on sqs queue.q }\nalarm x > 1 # end";

    #[test]
    fn a_rescan_is_the_scan_after_any_small_edit() {
        let pieces = [
            "", "\"", "\"\"\"", "{", "}", "[", ")", "\n", "\r", "#", "${", "x", "\\",
        ];
        let old = scan(EDITED);
        let mut cases = 0;
        for at in (0..=EDITED.len()).filter(|&i| EDITED.is_char_boundary(i)) {
            for cut in 0..3 {
                let end = (at + cut).min(EDITED.len());
                if !EDITED.is_char_boundary(end) {
                    continue;
                }
                for piece in pieces {
                    let text = format!("{}{piece}{}", &EDITED[..at], &EDITED[end..]);
                    assert_eq!(rescan(EDITED, old.clone(), &text), scan(&text), "{text:?}");
                    // And back.
                    assert_eq!(rescan(&text, scan(&text), EDITED), old, "{text:?}");
                    cases += 1;
                }
            }
        }
        assert!(cases > 1000);
    }

    #[test]
    fn flags_nesting_too_deep() {
        let text = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(scan(&text).too_deep.map(|o| o.pos), Some(MAX_DEPTH));
    }
}
