//! What one report shows of one file, as a text miette can draw.
//!
//! miette draws the lines around each label from a [`SourceCode`]. Handing it the file
//! itself would draw every line whole and raw: a 70,000-column line is 70,000 columns of
//! output (and a column past 65,535 overflows miette's padding and panics), a control
//! character in it reaches the terminal, and a line that ends with a bare `\r` is not a
//! line to miette. So each report gets an [`Excerpt`]: only the lines it shows, each
//! - ending in `\n`, whatever ended it in the file;
//! - clipped, when longer than [`MAX_LINE_CHARS`], to windows around the labels on it
//!   (or to its start), with `…` where text was left out;
//! - with every character a terminal must not see raw escaped (`\u{1b}`, see
//!   [`super::escape`]).
//!
//! The labels are moved to the same places in the excerpt, and the line and column miette
//! prints are those of the file.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape::{needs_escape, push_escaped, terminal_safe};
use crate::source::{SourceFile, Span};

/// Lines shown before and after each label (miette's default, set explicitly).
pub const CONTEXT_LINES: usize = 1;
/// Lines up to this many characters are shown whole.
pub const MAX_LINE_CHARS: usize = 160;
/// On a longer line, this many characters are kept on each side of a label's ends.
const MARGIN: usize = 40;
/// A label shorter than this (in characters) is kept whole on a long line.
const SHORT_LABEL: usize = 2 * MARGIN;
/// A long line with no label on it shows its first this many characters.
const HEAD: usize = 80;
/// At most this many windows of one long line are shown; labels past them point at `…`.
const MAX_WINDOWS: usize = 8;
/// A label over more lines than this is drawn on its first line only.
const MAX_LABEL_LINES: usize = 10;
const ELLIPSIS: &str = "…";

/// The shown lines of one file for one report.
pub struct Excerpt {
    /// The file name, terminal-safe.
    name: String,
    /// The shown lines, each ending in `\n`.
    text: String,
    /// Per shown line, in file order: where it starts in `text`, its 0-based line number
    /// in the file, and how its offsets map.
    lines: Vec<Shown>,
    /// Runs of lines that are consecutive in the file, as ranges of `lines`.
    groups: Vec<Range<usize>>,
    /// Where each label starts in `text`, and its 0-based character column in the file.
    columns: Vec<(usize, usize)>,
}

struct Shown {
    start: usize,
    number: usize,
    map: LineMap,
}

/// From byte offsets in a file line to offsets in its shown text.
enum LineMap {
    /// Shown as it is: the same offsets from the line start. `len` is the text's length.
    Same { file_start: usize, len: usize },
    /// Shown changed: `(file offset, shown offset)` at each kept character and at each
    /// `…`, in order; then the line end.
    Anchors(Vec<(usize, usize)>),
}

impl LineMap {
    /// The offset (from the shown line's start) of a file offset on this line.
    fn shown(&self, offset: usize) -> usize {
        match self {
            LineMap::Same { file_start, len } => offset.saturating_sub(*file_start).min(*len),
            LineMap::Anchors(anchors) => {
                let i = anchors.partition_point(|&(f, _)| f <= offset);
                anchors
                    .get(i.saturating_sub(1))
                    .map_or(0, |&(_, shown)| shown)
            }
        }
    }
}

impl Excerpt {
    /// The excerpt of `file` that shows `spans` (all in this file), and the spans moved
    /// into it, in the same order.
    pub fn new(file: &SourceFile, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
        let spans: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| shorten(file, clamp(file, *s)))
            .collect();
        let lines = shown_lines(file, &spans);
        let mut excerpt = Excerpt {
            name: terminal_safe(&file.name).into_owned(),
            text: String::new(),
            lines: Vec::with_capacity(lines.len()),
            groups: Vec::new(),
            columns: Vec::with_capacity(spans.len()),
        };
        for number in lines {
            excerpt.push_line(file, number, &spans);
        }
        let moved = spans
            .iter()
            .map(|&(start, end)| {
                let s = excerpt.shown_offset(file, start);
                let e = excerpt.shown_offset(file, end).max(s);
                let column = file.line_col(start).column - 1;
                excerpt.columns.push((s, column));
                SourceSpan::from((s, e - s))
            })
            .collect();
        (excerpt, moved)
    }

    fn push_line(&mut self, file: &SourceFile, number: usize, spans: &[(usize, usize)]) {
        let Some((start, end)) = file.line_bounds(number) else {
            return;
        };
        let consecutive = self.lines.last().is_some_and(|l| l.number + 1 == number);
        if !consecutive {
            self.groups.push(self.lines.len()..self.lines.len());
        }
        let at = self.text.len();
        let map = show_line(&mut self.text, &file.text, start..end, spans);
        self.text.push('\n');
        self.lines.push(Shown {
            start: at,
            number,
            map,
        });
        if let Some(g) = self.groups.last_mut() {
            g.end = self.lines.len();
        }
    }

    /// Where a file offset is in the excerpt (its line must be shown).
    fn shown_offset(&self, file: &SourceFile, offset: usize) -> usize {
        let number = file.line_index(offset);
        let i = self.lines.partition_point(|l| l.number < number);
        match self.lines.get(i).filter(|l| l.number == number) {
            Some(line) => line.start + line.map.shown(offset),
            None => self.text.len(),
        }
    }

    /// The group of lines holding the excerpt offset, as a byte range of `text` and the
    /// file line numbers of its first and last lines.
    fn group_at(&self, offset: usize) -> Option<(Range<usize>, usize, usize)> {
        self.groups.iter().find_map(|g| {
            let first = self.lines.get(g.start)?;
            let last = self.lines.get(g.end.checked_sub(1)?)?;
            let end = self.lines.get(g.end).map_or(self.text.len(), |l| l.start);
            (first.start..end).contains(&offset).then_some((
                first.start..end,
                first.number,
                last.number,
            ))
        })
    }
}

/// A span clamped to the text and to character boundaries, start first. A position at
/// the very end of a file that ends with a line end is moved to the end of the last
/// line, so that no empty line is shown after it.
fn clamp(file: &SourceFile, span: Span) -> (usize, usize) {
    let text = &file.text;
    let floor = |o: usize| {
        let mut o = o.min(text.len());
        while o > 0 && !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    let start = floor(span.start);
    let end = floor(span.end.max(span.start));
    let last_visible = match file.line_count() {
        n if n > 1 && text.ends_with(['\n', '\r']) => file.line_bounds(n - 2).map(|b| b.1),
        _ => None,
    };
    let pull_in = |o: usize| match last_visible {
        Some(v) if o == text.len() => v,
        _ => o,
    };
    (pull_in(start), pull_in(end).max(pull_in(start)))
}

/// A span over more than [`MAX_LABEL_LINES`] lines, cut at the end of its first line.
fn shorten(file: &SourceFile, (start, end): (usize, usize)) -> (usize, usize) {
    let first = file.line_index(start);
    if file.line_index(end) - first <= MAX_LABEL_LINES {
        return (start, end);
    }
    let line_end = file.line_bounds(first).map_or(start, |b| b.1);
    (start, line_end.max(start))
}

/// The 0-based numbers of the lines a report on these spans shows, in order: each span's
/// lines with [`CONTEXT_LINES`] and one more line on each side (miette then picks the
/// same lines it would from the whole file), never the empty line after a final line end.
fn shown_lines(file: &SourceFile, spans: &[(usize, usize)]) -> Vec<usize> {
    let count = file.line_count();
    let last = if count > 1 && file.text.ends_with(['\n', '\r']) {
        count - 2
    } else {
        count - 1
    };
    let mut ranges: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| {
            let first = file.line_index(s);
            let to = file.line_index(e);
            (
                first.saturating_sub(CONTEXT_LINES + 1),
                (to + CONTEXT_LINES + 1).min(last),
            )
        })
        .collect();
    ranges.sort_unstable();
    let mut out: Vec<usize> = Vec::new();
    for (a, b) in ranges {
        let from = out.last().map_or(a, |&l| a.max(l + 1));
        out.extend(from..=b);
    }
    out
}

/// Append the shown form of the file line `line` to `out`; returns how its offsets map.
fn show_line(
    out: &mut String,
    text: &str,
    line: Range<usize>,
    spans: &[(usize, usize)],
) -> LineMap {
    let body = &text[line.clone()];
    let long = body.len() > MAX_LINE_CHARS && body.chars().nth(MAX_LINE_CHARS).is_some();
    if !long && !body.chars().any(needs_escape) {
        out.push_str(body);
        return LineMap::Same {
            file_start: line.start,
            len: body.len(),
        };
    }
    let windows = if long {
        windows(text, line.clone(), spans)
    } else {
        Vec::from([line.clone()])
    };
    let base = out.len();
    let mut anchors = Vec::new();
    let mut pos = line.start;
    for w in windows {
        if w.start > pos {
            anchors.push((pos, out.len() - base));
            out.push_str(ELLIPSIS);
        }
        for (i, c) in text[w.clone()].char_indices() {
            anchors.push((w.start + i, out.len() - base));
            if needs_escape(c) {
                push_escaped(out, c.encode_utf8(&mut [0; 4]));
            } else {
                out.push(c);
            }
        }
        pos = w.end;
    }
    if pos < line.end {
        anchors.push((pos, out.len() - base));
        out.push_str(ELLIPSIS);
    }
    anchors.push((line.end, out.len() - base));
    LineMap::Anchors(anchors)
}

/// The parts of a long line to show: windows around the ends of the spans on it (a short
/// span whole), merged where they meet; the line's start when no span is on it.
fn windows(text: &str, line: Range<usize>, spans: &[(usize, usize)]) -> Vec<Range<usize>> {
    let on_line = |o: usize| line.contains(&o) || o == line.end;
    let mut focus: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in spans {
        let short = on_line(s) && on_line(e) && text[s..e].chars().nth(SHORT_LABEL).is_none();
        if short {
            focus.push((s, e));
        } else {
            focus.extend([s, e].into_iter().filter(|&o| on_line(o)).map(|o| (o, o)));
        }
    }
    if focus.is_empty() {
        let head = line.start..forward(text, line.start, line.end, HEAD);
        return Vec::from([head]);
    }
    focus.sort_unstable();
    let mut out: Vec<Range<usize>> = Vec::new();
    for (a, b) in focus {
        let w = back(text, a, line.start, MARGIN)..forward(text, b, line.end, MARGIN);
        let windows = out.len();
        match out.last_mut() {
            Some(prev) if w.start <= prev.end => prev.end = prev.end.max(w.end),
            _ if windows == MAX_WINDOWS => break,
            _ => out.push(w),
        }
    }
    out
}

/// `n` characters before `from`, not before `floor`.
fn back(text: &str, from: usize, floor: usize, n: usize) -> usize {
    text[floor..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(floor, |(i, _)| floor + i)
}

/// `n` characters after `from`, not after `ceil`.
fn forward(text: &str, from: usize, ceil: usize, n: usize) -> usize {
    text[from..ceil]
        .char_indices()
        .nth(n)
        .map_or(ceil, |(i, _)| from + i)
}

impl SourceCode for Excerpt {
    /// miette's own reading, within the run of consecutive lines that holds the span (a
    /// span across runs cannot be read, so miette draws them apart), with the file's line
    /// numbers and columns.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (range, first_line, last_line) = self
            .group_at(span.offset())
            .ok_or(MietteError::OutOfBounds)?;
        if span.offset() + span.len() > range.end {
            return Err(MietteError::OutOfBounds);
        }
        let group = &self.text[range.clone()];
        let local = SourceSpan::from((span.offset() - range.start, span.len()));
        let inner = group.read_span(&local, context_lines_before, context_lines_after)?;
        let line = inner.line() + first_line;
        // The column miette prints in the header comes from a read of a label with no
        // context: give the label's column in the file.
        let column = match context_lines_before {
            0 => self
                .columns
                .iter()
                .find(|&&(at, _)| at == span.offset())
                .map_or(inner.column(), |&(_, column)| column),
            _ => inner.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::from((inner.span().offset() + range.start, inner.span().len())),
            line,
            column,
            // miette draws two labels together when the first one's line plus this count
            // reaches the second one's line: exactly when they are in the same run.
            (last_line + 1).saturating_sub(line),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(FileId(0), "t.lam".into(), None, text.into())
    }

    fn excerpt(text: &str, spans: &[(usize, usize)]) -> (Excerpt, Vec<SourceSpan>) {
        let spans: Vec<Span> = spans
            .iter()
            .map(|&(s, e)| Span::new(FileId(0), s, e))
            .collect();
        Excerpt::new(&file(text), &spans)
    }

    fn shown(e: &Excerpt, span: SourceSpan) -> &str {
        &e.text[span.offset()..span.offset() + span.len()]
    }

    /// On a clean file, miette reads from an excerpt the lines it would read from the
    /// whole file, with the same line numbers.
    #[test]
    fn reads_match_whole_text_reads() {
        let texts = [
            "# café ☕\nfunction f {\n  description = \"é☕\", memory = 20GB\n}\n".to_string(),
            "a\n\nbb\nccc\n\n\ndddd\ne".to_string(),
            "no newline at the end".to_string(),
            "x\n".repeat(40),
        ];
        for text in &texts {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &bounds {
                for &end in bounds.iter().filter(|&&e| e >= start).take(12) {
                    // The end of a file that ends with a line end is moved on purpose.
                    if end == text.len() && text.ends_with('\n') {
                        continue;
                    }
                    let (e, moved) = excerpt(text, &[(start, end)]);
                    for context in 0..=CONTEXT_LINES {
                        let span = SourceSpan::from((start, end - start));
                        let whole = text.read_span(&span, context, context);
                        let part = e.read_span(&moved[0], context, context);
                        let (Ok(whole), Ok(part)) = (whole, part) else {
                            continue;
                        };
                        let what = format!("{text:?} {start}..{end} ±{context}");
                        let whole_data = String::from_utf8_lossy(whole.data());
                        let part_data = String::from_utf8_lossy(part.data());
                        assert_eq!(
                            whole_data.trim_end_matches('\n'),
                            part_data.trim_end_matches('\n'),
                            "{what}"
                        );
                        assert_eq!(whole.line(), part.line(), "{what}");
                    }
                }
            }
        }
    }

    #[test]
    fn clean_lines_are_shown_as_they_are() {
        let text = "a\nbb\nccc\ndddd\neeeee\nf\n";
        let (e, moved) = excerpt(text, &[(5, 8)]);
        assert_eq!(e.text, "a\nbb\nccc\ndddd\neeeee\n");
        assert_eq!(shown(&e, moved[0]), "ccc");
        assert_eq!(e.lines[0].number, 0);
    }

    #[test]
    fn far_apart_labels_make_separate_runs() {
        let text: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let at = |n: usize| text.find(&format!("line {n}\n")).unwrap_or(0);
        let (e, moved) = excerpt(&text, &[(at(3), at(3) + 4), (at(30), at(30) + 4)]);
        assert_eq!(e.groups.len(), 2);
        assert_eq!(shown(&e, moved[1]), "line");
        let read = e.read_span(&moved[1], 0, 0).ok();
        assert_eq!(read.map(|r| (r.line(), r.column())), Some((30, 0)));
        let both = SourceSpan::from((moved[0].offset(), moved[1].offset() - moved[0].offset()));
        assert!(e.read_span(&both, 1, 1).is_err());
    }

    #[test]
    fn long_lines_are_clipped_around_the_label() {
        let text = format!(
            "x = {}20GB{}\nnext\n",
            " ".repeat(70_000),
            "y".repeat(5_000)
        );
        let at = text.find("20GB").unwrap_or(0);
        let (e, moved) = excerpt(&text, &[(at, at + 4)]);
        assert_eq!(shown(&e, moved[0]), "20GB");
        assert!(e.text.lines().all(|l| l.chars().count() <= 2 * MARGIN + 10));
        assert!(e.text.starts_with("…"));
        let read = e.read_span(&moved[0], 0, 0).ok();
        assert_eq!(read.map(|r| (r.line(), r.column())), Some((0, 70_004)));
    }

    #[test]
    fn control_characters_are_escaped_and_labels_follow() {
        let text = "queue q\u{1b}]0;x\u{7} {}\r# \u{202e}c\rnext";
        let at = text.find('{').unwrap_or(0);
        let (e, moved) = excerpt(text, &[(at, at + 2)]);
        assert_eq!(e.text, "queue q\\u{1b}]0;x\\u{7} {}\n# \\u{202e}c\nnext\n");
        assert_eq!(shown(&e, moved[0]), "{}");
    }

    #[test]
    fn a_label_at_the_end_of_the_file_stays_on_the_last_line() {
        let (e, moved) = excerpt("a\nbc\n", &[(5, 5)]);
        assert_eq!(e.text, "a\nbc\n");
        assert_eq!(moved[0].offset(), 4);
        let (e, _) = excerpt("", &[(0, 0)]);
        assert_eq!(e.text, "\n");
    }
}
