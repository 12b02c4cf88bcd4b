//! E0446: control characters written inside a string (NUL, ESC, BEL, DEL, C1 controls…).
//!
//! They reach the template as they are: NUL ends strings in the tools that read it,
//! escape sequences rewrite the terminal of whoever prints it, and services refuse most of
//! them. Tab, line feed and carriage return are ordinary text (and `\n`, `\t` write them).
//! Strings are found in the syntax tree, so comments (and text outside strings, already a
//! syntax error) are not reported here.

use crate::diag::{Code, Diagnostic};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::{
    AlarmDecl, AlarmExpr, Block, Body, EntryValue, Expr, ExprKind, File, Item, Member, StrPart,
    UseTarget,
};

/// Whether `c` is a control character that has no place in a value.
pub fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// How a control character is named in messages: `U+001B (ESC)`.
fn name(c: char) -> String {
    let short = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (BS)",
        '\u{b}' => " (VT)",
        '\u{c}' => " (FF)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        '\u{9b}' => " (CSI)",
        _ => "",
    };
    format!("U+{:04X}{short}", c as u32)
}

/// Every string span of one file's syntax tree.
fn strings(file: &File) -> Vec<Span> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            Item::Use(u) => {
                if let UseTarget::File(p) = &u.target {
                    out.push(p.span);
                }
            }
            Item::Param(p) => {
                p.default.iter().for_each(|e| expr(e, &mut out));
                p.block.iter().for_each(|b| block(b, &mut out));
            }
            Item::Let(l) => expr(&l.value, &mut out),
            Item::App(a) => block(&a.block, &mut out),
            Item::Defaults(d) => body(&d.body, &mut out),
            Item::Template(f) | Item::Function(f) => body(&f.body, &mut out),
            Item::Resource(r) => block(&r.block, &mut out),
            Item::Existing(e) => out.push(e.arn.span),
            Item::Alarm(AlarmDecl::Named { block: b, .. }) => block(b, &mut out),
            Item::Alarm(AlarmDecl::Expr(a)) => alarm(a, &mut out),
            Item::Output(o) => expr(&o.value, &mut out),
        }
    }
    out
}

fn body(b: &Body, out: &mut Vec<Span>) {
    for m in &b.members {
        match m {
            Member::Entry(e) => entry_value(&e.value, out),
            Member::Trigger(t) => {
                t.source.iter().for_each(|e| expr(e, out));
                t.block.iter().for_each(|b| block(b, out));
            }
            Member::Alarm(a) => alarm(a, out),
            Member::Allow(a) => expr(&a.actions, out),
        }
    }
}

fn alarm(a: &AlarmExpr, out: &mut Vec<Span>) {
    expr(&a.threshold, out);
    a.over.iter().for_each(|e| expr(e, out));
    a.block.iter().for_each(|b| block(b, out));
}

fn block(b: &Block, out: &mut Vec<Span>) {
    for e in &b.entries {
        entry_value(&e.value, out);
    }
}

fn entry_value(v: &EntryValue, out: &mut Vec<Span>) {
    match v {
        EntryValue::Expr(e) => expr(e, out),
        EntryValue::Block(b) => block(b, out),
    }
}

fn expr(e: &Expr, out: &mut Vec<Span>) {
    match &e.kind {
        ExprKind::Str(s) => {
            out.push(e.span);
            for p in &s.parts {
                if let StrPart::Interp(inner) = p {
                    expr(inner, out);
                }
            }
        }
        ExprKind::List(items) => items.iter().for_each(|i| expr(i, out)),
        ExprKind::Map(entries) => entries.iter().for_each(|m| expr(&m.value, out)),
        ExprKind::Range { at, .. } => at.iter().for_each(|a| expr(a, out)),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| expr(a, out)),
        ExprKind::Number(_) | ExprKind::Quantity(_) | ExprKind::Bool(_) | ExprKind::Path(_) => {}
    }
}

/// E0446 for the first control character of every string in `files`.
pub fn check(files: &[(FileId, &File)], sources: &SourceMap) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, file) in files {
        let text = &sources.get(*id).text;
        if !has_forbidden(text) {
            continue;
        }
        for span in strings(file) {
            let Some(written) = text.get(span.start..span.end) else {
                continue;
            };
            let Some((at, c)) = written.char_indices().find(|(_, c)| forbidden(*c)) else {
                continue;
            };
            let start = span.start + at;
            let here = Span::new(*id, start, start + c.len_utf8());
            out.push(
                Diagnostic::new(
                    Code::E0446,
                    here,
                    format!("control character {} in a string", name(c)),
                )
                .label("invisible, and kept as it is in the template")
                .secondary(span, "in this string")
                .help("remove it; write `\\n` or `\\t` for a line break or a tab"),
            );
        }
    }
    out
}

/// Whether a [`forbidden`] character is anywhere in `text` (comments included). Most files
/// have none, and then their trees are not walked (the language server checks at every
/// edit). The C1 controls U+0080–U+009F are `C2 80`–`C2 9F` in UTF-8.
fn has_forbidden(text: &str) -> bool {
    const CHUNK: usize = 64;
    let bytes = text.as_bytes();
    // Without branches, so that the compiler tests a chunk's bytes together; a chunk with
    // a suspect byte (a `C2` may lead a C1 control) is then read closely.
    let suspect = |b: u8| {
        ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7f) | (b == 0xc2)
    };
    bytes.chunks(CHUNK).enumerate().any(|(k, chunk)| {
        chunk.iter().fold(false, |any, &b| any | suspect(b))
            && text[text.floor_char_boundary(k * CHUNK)..text.ceil_char_boundary((k + 1) * CHUNK)]
                .chars()
                .any(forbidden)
    })
}

/// One mistake, one diagnostic: a string with a control character is reported by E0446
/// alone, not also by the rules that find its value malformed (an ARN, a handler, a name).
pub fn drop_cascades(diags: &mut Vec<Diagnostic>) {
    let strings: std::collections::BTreeSet<Span> = diags
        .iter()
        .filter(|d| d.code == Code::E0446)
        .filter_map(|d| d.secondary.first().map(|l| l.span))
        .collect();
    if !strings.is_empty() {
        diags.retain(|d| d.code == Code::E0446 || !strings.contains(&d.primary.span));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_line_ends_are_text_other_controls_are_not() {
        for c in ['\t', '\n', '\r', 'a', 'é', '\u{200b}'] {
            assert!(!forbidden(c), "{c:?}");
        }
        for c in ['\0', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}'] {
            assert!(forbidden(c), "{c:?}");
        }
        assert_eq!(name('\u{1b}'), "U+001B (ESC)");
        assert_eq!(name('\u{1}'), "U+0001");
    }

    #[test]
    fn has_forbidden_agrees_with_forbidden_on_every_character() {
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(has_forbidden(&text), forbidden(c), "{c:?}");
        }
    }
}
