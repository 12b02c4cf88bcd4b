//! One open document, compiled once per version: every request is answered from this.

use std::cell::OnceCell;

use lsp_types::{Location, Uri};

use crate::driver::{check_source_with_syntax, CheckOptions, Compilation};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::ast::File;

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
    /// Parse and check `text`. The path comes from the URI, so that `use "file.lam"` and
    /// `code` folders resolve as they do for `lamc check`.
    pub fn compile(uri: Uri, version: i32, text: String, opts: &CheckOptions) -> Document {
        let path = convert::uri_to_path(&uri);
        let name = match &path {
            Some(p) => p.display().to_string(),
            None => uri.as_str().to_string(),
        };
        let real = path.map(|p| std::fs::canonicalize(&p).unwrap_or(p));
        let (comp, syntax) = check_source_with_syntax(name, real, text, opts);
        Document {
            uri,
            version,
            comp,
            syntax,
            index: OnceCell::new(),
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

    /// The diagnostics to publish for this document: those whose primary span is in it.
    pub fn diagnostics(&self) -> Vec<lsp_types::Diagnostic> {
        self.comp
            .diagnostics
            .iter()
            .filter(|d| d.primary.span.file == self.comp.root)
            .filter_map(|d| convert::diagnostic(d, &self.comp.sources, &self.uri, self.comp.root))
            .collect()
    }
}
