//! One open document, compiled once per version: every request is answered from this.

use std::cell::OnceCell;

use lsp_types::{Location, Uri};

use crate::check::CheckCache;
use crate::driver::{compile_source, CheckOptions, Compilation, Pipeline, PlacementInput, Stage};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::ast::{File, Item, UseDecl, UseTarget};

use super::convert;
use super::index::Index;

pub struct Document {
    pub uri: Uri,
    pub version: i32,
    /// The checker's result: files (with their line index), model, diagnostics.
    pub comp: Compilation,
    /// The syntax tree of every loaded file, root first, as the checker parsed it.
    pub syntax: Vec<(FileId, File)>,
    /// Built on the first request that needs it, so that publishing diagnostics after an
    /// edit does not wait for it.
    index: OnceCell<Index>,
}

impl Document {
    /// Parse and check `text`; with `limits`, also the stack-level limits, as `lamc check`
    /// does (the program is planned, with the placement file beside it). The path comes
    /// from the URI, so that `use "file.lam"` and `code` folders resolve as they do for
    /// `lamc check`. `cache` holds the declarations of the document's previous versions:
    /// only those that changed are parsed again.
    pub fn compile(
        uri: Uri,
        version: i32,
        text: String,
        opts: &CheckOptions,
        cache: &mut CheckCache,
        limits: bool,
    ) -> Document {
        let path = convert::uri_to_path(&uri);
        let name = match &path {
            Some(p) => p.display().to_string(),
            None => uri.as_str().to_string(),
        };
        let real = path.map(|p| std::fs::canonicalize(&p).unwrap_or(p));
        let pipeline = Pipeline {
            check: opts.clone(),
            stage: if limits { Stage::Limits } else { Stage::Check },
            // A placement file that cannot be read is left out: `lamc build` says why.
            placement: match (&real, limits) {
                (Some(p), true) => PlacementInput::read(p, false).unwrap_or_default(),
                _ => PlacementInput::default(),
            },
            ..Pipeline::default()
        };
        let (comp, syntax) = compile_source(name, real, text, &pipeline, Some(cache))
            .unwrap_or_else(|e| panic!("{e}"));
        Document {
            uri,
            version,
            comp,
            syntax,
            index: OnceCell::new(),
        }
    }

    /// Hand the syntax trees and the model's functions to `cache`, for the next version
    /// of the document to reuse what did not change. Only for a version being replaced: it
    /// has no tree, no function and no file left.
    pub fn give_back(&mut self, cache: &mut CheckCache) {
        for (file, ast) in std::mem::take(&mut self.syntax) {
            if let Some(source) = self.comp.sources.files().get(file.0 as usize) {
                cache.parse.reclaim(file, &source.text, ast);
            }
        }
        if let Some(model) = &mut self.comp.model {
            let files = std::mem::take(&mut self.comp.sources);
            cache.reclaim(
                std::mem::take(&mut model.functions),
                std::mem::take(&mut model.resources),
                files,
            );
        }
    }

    /// What the document's files declare and reference.
    pub fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::build(&self.syntax))
    }

    pub fn root(&self) -> &SourceFile {
        self.comp.sources.get(self.comp.root)
    }

    pub fn text(&self) -> &str {
        &self.root().text
    }

    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.comp.sources.files().get(id.0 as usize)
    }

    pub fn ast(&self, id: FileId) -> Option<&File> {
        self.syntax.iter().find(|(f, _)| *f == id).map(|(_, a)| a)
    }

    pub fn location(&self, span: Span) -> Option<Location> {
        convert::location(&self.comp.sources, &self.uri, self.comp.root, span)
    }

    /// The diagnostics to publish for this document: those whose primary span is in it,
    /// then, on each `use "file.lam"` line, the errors found in that file (whose own
    /// diagnostics appear when it is opened).
    pub fn diagnostics(&self) -> Vec<lsp_types::Diagnostic> {
        let root = self.comp.root;
        let convert = |d| convert::diagnostic(d, &self.comp.sources, &self.uri, root);
        let here = self
            .comp
            .diagnostics
            .iter()
            .filter(|d| d.primary.span.file == root);
        // At most MAX_REPORTED, errors first, as on the command line; one more entry
        // says how many were left out.
        let (shown, left_out) = crate::diag::reported(here, crate::diag::MAX_REPORTED);
        let mut out: Vec<lsp_types::Diagnostic> = shown.into_iter().filter_map(convert).collect();
        if left_out > 0 {
            out.push(lsp_types::Diagnostic {
                range: lsp_types::Range::default(),
                severity: Some(lsp_types::DiagnosticSeverity::INFORMATION),
                source: Some("lamc".to_string()),
                message: format!(
                    "… and {left_out} more problems in this file not shown (lamc reports {} per file)",
                    crate::diag::MAX_REPORTED
                ),
                ..lsp_types::Diagnostic::default()
            });
        }
        for (use_span, file) in self.used_files() {
            let errors: Vec<_> = self
                .comp
                .diagnostics
                .iter()
                .filter(|d| d.primary.span.file == file && d.is_error())
                .collect();
            let Some(first) = errors.first() else {
                continue;
            };
            let Some(mut d) = convert(first) else {
                continue;
            };
            let name = self.file(file).map_or("", |f| f.name.as_str());
            d.message = format!("{name}: {}", d.message);
            if errors.len() > 1 {
                d.message
                    .push_str(&format!("\n(and {} more errors there)", errors.len() - 1));
            }
            let mut related = d.related_information.take().unwrap_or_default();
            if let Some(at) = self.location(first.primary.span) {
                related.insert(
                    0,
                    lsp_types::DiagnosticRelatedInformation {
                        location: at,
                        message: "the error is here".into(),
                    },
                );
            }
            d.related_information = Some(related);
            d.range = convert::range(self.root(), use_span);
            out.push(d);
        }
        out
    }

    /// The root file's `use "file.lam"` declarations and the files they loaded.
    fn used_files(&self) -> Vec<(Span, FileId)> {
        let Some(ast) = self.ast(self.comp.root) else {
            return Vec::new();
        };
        let base = self.root().base_dir().map(std::path::Path::to_path_buf);
        ast.items
            .iter()
            .filter_map(|item| match item {
                Item::Use(UseDecl {
                    target: UseTarget::File(rel),
                    span,
                }) => {
                    let joined = base.as_ref()?.join(&rel.node);
                    let real = std::fs::canonicalize(joined).ok()?;
                    Some((*span, self.comp.sources.find_path(&real)?))
                }
                _ => None,
            })
            .collect()
    }
}
