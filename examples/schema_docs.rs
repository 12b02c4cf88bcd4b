//! Writes the committed copies of the language's schema (`src/schema`): the reference
//! tables of docs/language.md and the keyword lists of the VS Code grammar.
//!
//! `cargo run --no-default-features --example schema_docs` (from the repository root);
//! `tests/meta_schema.rs` fails while a committed copy differs.

use std::path::Path;
use std::process::ExitCode;

use lamc::schema::render::{rewrite_docs, rewrite_grammar};

const DOCS: &str = "docs/language.md";
const GRAMMAR: &str = "editors/vscode/syntaxes/lam.tmLanguage.json";

fn rewrite(path: &str, render: fn(&str) -> Result<String, String>) -> Result<bool, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let old = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let new = render(&old).map_err(|e| format!("{}: {e}", path.display()))?;
    if new == old {
        return Ok(false);
    }
    std::fs::write(&path, new).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(true)
}

fn main() -> ExitCode {
    let mut status = ExitCode::SUCCESS;
    for (path, render) in [
        (DOCS, rewrite_docs as fn(&str) -> Result<String, String>),
        (GRAMMAR, rewrite_grammar),
    ] {
        match rewrite(path, render) {
            Ok(true) => println!("wrote {path}"),
            Ok(false) => println!("{path} is up to date"),
            Err(e) => {
                eprintln!("error: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
