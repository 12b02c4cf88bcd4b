//! `# lamc: ignore CODE, …` comments, read from the comments the scanner keeps.
//!
//! Only the shape is read here: which line a comment speaks for, its directive word and
//! the items of its list. Whether an item is a code, and what it silences, is decided by
//! `diag::ignore`, which knows the code table.

use crate::source::{SourceFile, Span};

/// What every directive comment starts with (after `#` and spaces).
pub const DIRECTIVE_PREFIX: &str = "lamc:";

/// The one directive there is.
pub const IGNORE: &str = "ignore";

/// One `# lamc: …` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The whole comment, `#` included.
    pub comment: Span,
    /// Whether the comment is alone on its line (it then speaks for the next line).
    pub own_line: bool,
    /// The 0-based line whose diagnostics it speaks for.
    pub line: usize,
    /// The word after `lamc:` (empty, at the end of the prefix, when there is none).
    pub verb: Span,
    /// Each comma-separated item after the word, trimmed; an empty item (`W0506,`) is an
    /// empty span where it would be. No items when nothing follows the word.
    pub items: Vec<Span>,
    /// A note after a second `#` (`# lamc: ignore W0502 # batch jobs are short`).
    pub note: Option<Span>,
}

impl Directive {
    pub fn is_ignore(&self, file: &SourceFile) -> bool {
        file.slice(self.verb) == IGNORE
    }
}

/// Every directive comment among `comments` (spans of `file`), in order.
pub fn directives(file: &SourceFile, comments: &[Span]) -> Vec<Directive> {
    comments
        .iter()
        .filter_map(|&c| directive(file, c))
        .collect()
}

fn directive(file: &SourceFile, comment: Span) -> Option<Directive> {
    let text = file.slice(comment);
    let body = text.strip_prefix('#')?;
    let lead = body.len() - body.trim_start().len();
    let after_prefix = body.trim_start().strip_prefix(DIRECTIVE_PREFIX)?;
    let mut at = comment.start + 1 + lead + DIRECTIVE_PREFIX.len();
    let rest = after_prefix.trim_start();
    at += after_prefix.len() - rest.len();
    let verb_len = rest
        .find(|c: char| c.is_whitespace() || c == ',' || c == '#')
        .unwrap_or(rest.len());
    let verb = Span::new(comment.file, at, at + verb_len);
    let (list, note) = split_note(&rest[verb_len..], verb.end, comment);
    let line_start = file.line_bounds(file.line_index(comment.start))?.0;
    let own_line = file.text[line_start..comment.start].trim().is_empty();
    let line = file.line_index(comment.start) + usize::from(own_line);
    Some(Directive {
        comment,
        own_line,
        line,
        verb,
        items: items(list, verb.end, comment),
        note,
    })
}

/// The list part and the note after a second `#`; `at` is where `rest` starts.
fn split_note(rest: &str, at: usize, comment: Span) -> (&str, Option<Span>) {
    match rest.find('#') {
        Some(i) => (
            &rest[..i],
            Some(Span::new(comment.file, at + i, comment.end)),
        ),
        None => (rest, None),
    }
}

/// The trimmed comma-separated items of `list` (which starts at `at`).
fn items(list: &str, at: usize, comment: Span) -> Vec<Span> {
    if list.trim().is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    for piece in list.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let start = at + from + lead;
        out.push(Span::new(comment.file, start, start + piece.trim().len()));
        from += piece.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn read(text: &str) -> (SourceFile, Vec<Directive>) {
        let file = SourceFile::new(FileId(0), "t.lam".into(), None, text.to_string());
        let comments: Vec<Span> = crate::syntax::parse(FileId(0), text).0.comments;
        let found = directives(&file, &comments);
        (file, found)
    }

    fn words(file: &SourceFile, d: &Directive) -> Vec<String> {
        d.items.iter().map(|&s| file.slice(s).to_string()).collect()
    }

    #[test]
    fn a_trailing_comment_speaks_for_its_line_and_one_alone_for_the_next() {
        let (file, found) = read(
            "queue a {} # lamc: ignore W0506\n  # lamc:ignore  W0506 ,W0528 # why\nqueue b {}\n",
        );
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].own_line, found[0].line), (false, 0));
        assert_eq!((found[1].own_line, found[1].line), (true, 2));
        assert!(found.iter().all(|d| d.is_ignore(&file)));
        assert_eq!(words(&file, &found[0]), ["W0506"]);
        assert_eq!(words(&file, &found[1]), ["W0506", "W0528"]);
        assert_eq!(found[1].note.map(|s| file.slice(s)), Some("# why"));
    }

    #[test]
    fn other_comments_and_strings_are_not_directives() {
        let (_, found) =
            read("# a note about lamc: ignore\nqueue a { name = \"# lamc: ignore W0506\" }\n");
        assert!(found.is_empty());
    }

    #[test]
    fn empty_items_and_other_words_are_kept_for_the_checker_to_report() {
        let (file, found) = read("# lamc: ignroe W0506,\n# lamc:\n");
        assert_eq!(file.slice(found[0].verb), "ignroe");
        assert_eq!(words(&file, &found[0]), ["W0506", ""]);
        assert_eq!(file.slice(found[1].verb), "");
        assert!(found[1].items.is_empty());
    }
}
