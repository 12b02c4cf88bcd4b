//! A small layout algebra and its renderer: groups print on one line when they fit in the
//! width, else every line break in them becomes a newline (the classic Wadler/Oppen scheme).
//!
//! Comments are part of the algebra because they constrain layout: a `#` comment runs to
//! the end of its line, so anything holding one can never be printed flat, and whatever
//! follows a comment must start on a new line.

use crate::source::{first_line, has_line_end};

/// The width a group must fit in to stay on one line.
pub const WIDTH: usize = 100;

#[derive(Debug, Clone)]
pub enum Doc {
    /// Text printed as is. Only verbatim string literals (raw strings) contain newlines;
    /// those lines are never re-indented.
    Text(String),
    /// A space when the group is flat, a newline when it is broken.
    Line,
    /// Nothing when flat, a newline when broken.
    SoftLine,
    /// Always end the current line (never produces an empty line by itself).
    Newline,
    /// End the current line and leave one empty line before the next text.
    Blank,
    /// A `#` comment: on its own line, or at the end of the current one. What follows it
    /// starts on a new line.
    Comment {
        text: String,
        own_line: bool,
    },
    /// Prints nothing; forces every enclosing group to break.
    BreakParent,
    /// Text that depends on the enclosing group's mode.
    IfBreak {
        broken: String,
        flat: String,
    },
    /// The contents, one level (two spaces) deeper when they start new lines.
    Indent(Vec<Doc>),
    /// A unit that is either all flat or all broken. `hard` caches whether it contains
    /// something that forbids the flat form.
    Group {
        docs: Vec<Doc>,
        hard: bool,
    },
    Concat(Vec<Doc>),
}

pub const INDENT: usize = 2;

pub fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

pub fn group(docs: Vec<Doc>) -> Doc {
    let hard = docs.iter().any(Doc::is_hard);
    Doc::Group { docs, hard }
}

impl Doc {
    /// Whether this doc can never be printed flat.
    pub fn is_hard(&self) -> bool {
        match self {
            Doc::Newline | Doc::Blank | Doc::Comment { .. } | Doc::BreakParent => true,
            Doc::Group { hard, .. } => *hard,
            Doc::Indent(v) | Doc::Concat(v) => v.iter().any(Doc::is_hard),
            Doc::Text(_) | Doc::Line | Doc::SoftLine | Doc::IfBreak { .. } => false,
        }
    }

    /// The width of the flat form, when there is one (no hard break, no multi-line text).
    pub fn flat_width(&self) -> Option<usize> {
        match self {
            Doc::Text(s) => (!has_line_end(s)).then(|| s.chars().count()),
            Doc::Line => Some(1),
            Doc::SoftLine => Some(0),
            Doc::IfBreak { flat, .. } => Some(flat.chars().count()),
            Doc::Newline | Doc::Blank | Doc::Comment { .. } | Doc::BreakParent => None,
            Doc::Group { docs, .. } | Doc::Indent(docs) | Doc::Concat(docs) => docs
                .iter()
                .try_fold(0usize, |acc, d| Some(acc.saturating_add(d.flat_width()?))),
        }
    }
}

impl Doc {
    /// The flat width up to the first newline of a verbatim multi-line string (the whole
    /// flat width when there is none), or `None` when this can never be flat.
    pub fn first_line_width(&self) -> Option<usize> {
        fn walk(d: &Doc, acc: &mut usize) -> Option<bool> {
            match d {
                Doc::Text(s) => {
                    *acc = acc.saturating_add(first_line(s).chars().count());
                    Some(has_line_end(s))
                }
                Doc::Group { docs, .. } | Doc::Indent(docs) | Doc::Concat(docs) => {
                    for x in docs {
                        if walk(x, acc)? {
                            return Some(true);
                        }
                    }
                    Some(false)
                }
                other => {
                    *acc = acc.saturating_add(other.flat_width()?);
                    Some(false)
                }
            }
        }
        let mut acc = 0;
        walk(self, &mut acc)?;
        Some(acc)
    }
}

/// One output line: code, and the trailing comment that ends it (aligned later).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutLine {
    pub code: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

type Cmd<'d> = (usize, Mode, &'d Doc);

/// Lay `doc` out at indentation 0, its outermost level broken.
pub fn render(doc: &Doc) -> Vec<OutLine> {
    let mut r = Renderer::default();
    let mut stack: Vec<Cmd<'_>> = vec![(0, Mode::Break, doc)];
    while let Some((indent, mode, doc)) = stack.pop() {
        match doc {
            Doc::Text(s) => r.text(s, indent),
            Doc::Line => match mode {
                Mode::Flat => r.text(" ", indent),
                Mode::Break => r.newline(),
            },
            Doc::SoftLine => {
                if mode == Mode::Break {
                    r.newline();
                }
            }
            Doc::Newline => r.newline(),
            Doc::Blank => {
                r.newline();
                r.pending_blank = true;
            }
            Doc::Comment { text, own_line } => r.comment(text, *own_line, indent),
            Doc::BreakParent => {}
            Doc::IfBreak { broken, flat } => {
                let s = if mode == Mode::Break { broken } else { flat };
                if !s.is_empty() {
                    r.text(s, indent);
                }
            }
            Doc::Indent(docs) => {
                for d in docs.iter().rev() {
                    stack.push((indent + INDENT, mode, d));
                }
            }
            Doc::Concat(docs) => {
                for d in docs.iter().rev() {
                    stack.push((indent, mode, d));
                }
            }
            Doc::Group { docs, hard } => {
                let chosen = if mode == Mode::Flat {
                    Mode::Flat
                } else if *hard {
                    Mode::Break
                } else {
                    let room = WIDTH as isize - r.column(indent) as isize;
                    if fits(docs, &stack, room) {
                        Mode::Flat
                    } else {
                        Mode::Break
                    }
                };
                for d in docs.iter().rev() {
                    stack.push((indent, chosen, d));
                }
            }
        }
    }
    r.newline();
    r.lines
}

/// Whether `docs`, flat, and what follows them up to the next line break fit in `room`.
fn fits(docs: &[Doc], rest: &[Cmd<'_>], mut room: isize) -> bool {
    let mut todo: Vec<(Mode, &Doc)> = docs.iter().rev().map(|d| (Mode::Flat, d)).collect();
    let mut rest_i = rest.len();
    loop {
        let (mode, doc) = match todo.pop() {
            Some(x) => x,
            None => {
                let Some(i) = rest_i.checked_sub(1) else {
                    return true;
                };
                rest_i = i;
                let (_, mode, doc) = rest[i];
                (mode, doc)
            }
        };
        match doc {
            Doc::Text(s) => {
                room -= first_line(s).chars().count() as isize;
                if room < 0 {
                    return false;
                }
                if has_line_end(s) {
                    return true;
                }
            }
            Doc::Line => match mode {
                Mode::Flat => room -= 1,
                Mode::Break => return true,
            },
            Doc::SoftLine => {
                if mode == Mode::Break {
                    return true;
                }
            }
            Doc::Newline | Doc::Blank | Doc::Comment { .. } => {
                if mode == Mode::Break {
                    return true;
                }
                return false;
            }
            Doc::BreakParent => {}
            Doc::IfBreak { broken, flat } => {
                let s = if mode == Mode::Break { broken } else { flat };
                room -= s.chars().count() as isize;
            }
            Doc::Indent(v) | Doc::Concat(v) => todo.extend(v.iter().rev().map(|d| (mode, d))),
            Doc::Group { docs, hard } => {
                let m = if *hard { Mode::Break } else { mode };
                todo.extend(docs.iter().rev().map(|d| (m, d)));
            }
        }
        if room < 0 {
            return false;
        }
    }
}

#[derive(Default)]
struct Renderer {
    lines: Vec<OutLine>,
    cur: String,
    cur_comment: Option<String>,
    /// Nothing written on the current line yet.
    at_line_start: bool,
    /// A comment ended the current line: the next text starts a new one.
    need_newline: bool,
    /// Leave one empty line before the next text.
    pending_blank: bool,
    started: bool,
}

impl Renderer {
    fn column(&self, indent: usize) -> usize {
        if !self.started || self.at_line_start || self.need_newline {
            indent
        } else {
            self.cur.chars().count()
        }
    }

    fn begin_text(&mut self, indent: usize) {
        if self.need_newline {
            self.newline();
        }
        if !self.started || self.at_line_start {
            if self.pending_blank && !self.lines.is_empty() {
                self.lines.push(OutLine::default());
            }
            self.pending_blank = false;
            self.cur = " ".repeat(indent);
            self.at_line_start = false;
            self.started = true;
        }
    }

    fn text(&mut self, s: &str, indent: usize) {
        self.begin_text(indent);
        let mut parts = s.split('\n');
        if let Some(first) = parts.next() {
            self.cur.push_str(first);
        }
        // Lines inside a raw string are data: kept byte for byte, never trimmed.
        for part in parts {
            let line = std::mem::take(&mut self.cur);
            self.lines.push(OutLine {
                code: line,
                comment: None,
            });
            self.cur.push_str(part);
        }
    }

    fn comment(&mut self, text: &str, own_line: bool, indent: usize) {
        if own_line || self.need_newline {
            self.newline();
        }
        if !self.started || self.at_line_start {
            self.text(text, indent);
        } else {
            self.cur_comment = Some(text.to_string());
        }
        self.need_newline = true;
    }

    fn newline(&mut self) {
        self.need_newline = false;
        if !self.started || self.at_line_start {
            return;
        }
        let trimmed = self.cur.trim_end_matches([' ', '\t']).len();
        self.cur.truncate(trimmed);
        self.lines.push(OutLine {
            code: std::mem::take(&mut self.cur),
            comment: self.cur_comment.take(),
        });
        self.at_line_start = true;
    }
}

/// Align the trailing comments of consecutive lines one space after the longest code,
/// then join the lines (each ends with `\n`).
pub fn finish(mut lines: Vec<OutLine>) -> String {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].comment.is_none() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < lines.len() && lines[j].comment.is_some() {
            j += 1;
        }
        let col = lines[i..j]
            .iter()
            .map(|l| l.code.chars().count())
            .max()
            .unwrap_or(0);
        for l in &mut lines[i..j] {
            let pad = col - l.code.chars().count() + 1;
            l.code.push_str(&" ".repeat(pad));
        }
        i = j;
    }
    let mut out = String::new();
    for l in lines {
        out.push_str(&l.code);
        if let Some(c) = l.comment {
            out.push_str(&c);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(doc: &Doc) -> String {
        finish(render(doc))
    }

    fn list(items: &[&str]) -> Doc {
        let mut inner = vec![Doc::SoftLine];
        for (i, it) in items.iter().enumerate() {
            if i > 0 {
                inner.push(text(","));
                inner.push(Doc::Line);
            }
            inner.push(text(*it));
        }
        inner.push(Doc::IfBreak {
            broken: ",".into(),
            flat: String::new(),
        });
        group(vec![
            text("["),
            Doc::Indent(inner),
            Doc::SoftLine,
            text("]"),
        ])
    }

    #[test]
    fn a_group_that_fits_stays_flat() {
        assert_eq!(show(&list(&["a", "b"])), "[a, b]\n");
    }

    #[test]
    fn a_group_too_wide_breaks_with_a_trailing_comma() {
        let long = "x".repeat(60);
        assert_eq!(
            show(&list(&[&long, &long])),
            format!("[\n  {long},\n  {long},\n]\n")
        );
    }

    #[test]
    fn a_comment_forces_a_break_and_ends_its_line() {
        let doc = group(vec![
            text("a"),
            Doc::Comment {
                text: "# c".into(),
                own_line: false,
            },
            text("b"),
        ]);
        assert_eq!(show(&doc), "a # c\nb\n");
    }

    #[test]
    fn trailing_comments_on_consecutive_lines_align() {
        let lines = vec![
            OutLine {
                code: "a = 1".into(),
                comment: Some("# one".into()),
            },
            OutLine {
                code: "bbb = 2".into(),
                comment: Some("# two".into()),
            },
        ];
        assert_eq!(finish(lines), "a = 1   # one\nbbb = 2 # two\n");
    }

    #[test]
    fn raw_text_keeps_its_lines() {
        let doc = Doc::Indent(vec![text("x = \"\"\"a  \n  b\"\"\"")]);
        assert_eq!(show(&doc), "  x = \"\"\"a  \n  b\"\"\"\n");
    }
}
