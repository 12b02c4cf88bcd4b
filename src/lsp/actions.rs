//! Code actions: the fixes diagnostics already carry (did-you-mean, deprecated runtime →
//! successor, nearest allowed value), offered as quick fixes for the diagnostics that
//! touch the requested range.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, WorkspaceEdit};

use super::convert;
use super::document::Document;

pub fn code_actions(doc: &Document, range: Range) -> Vec<CodeActionOrCommand> {
    let root = doc.root();
    let start = convert::offset(root, range.start);
    let end = convert::offset(root, range.end);
    let mut out = Vec::new();
    for d in &doc.comp.diagnostics {
        let s = d.primary.span;
        if s.file != doc.comp.root || s.end < start || s.start > end {
            continue;
        }
        let Some(lsp_diag) = convert::diagnostic(d, &doc.comp.sources, &doc.uri, doc.comp.root)
        else {
            continue;
        };
        let only_one = d.fixes.len() == 1;
        for fix in &d.fixes {
            let Some(loc) = doc.location(fix.span) else {
                continue;
            };
            // One URI per edit; a HashMap is what the protocol type holds, and it has one key.
            #[allow(clippy::mutable_key_type)] // `Uri` caches its parse; never mutated here.
            let mut changes = HashMap::new();
            changes.insert(
                loc.uri,
                vec![TextEdit {
                    range: loc.range,
                    new_text: fix.replacement.clone(),
                }],
            );
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diag.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(only_one),
                ..CodeAction::default()
            }));
        }
    }
    out
}
