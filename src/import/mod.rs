//! `lamc import`: a SAM template or a serverless.yml as a `.lam` program.
//!
//! One module per concern: [`load`] reads YAML or JSON (short-form intrinsics included),
//! [`detect`] tells SAM from the Serverless Framework, [`sam`] and [`serverless`] map each
//! (with [`variables`] for serverless.yml's `${…}`), [`resources`] the plain resources and
//! alarms both share, [`triggers`] the `on …` lines, [`intrinsics`] CloudFormation's values,
//! [`policies`] SAM policy templates and IAM statements, [`grants`] the secrets, parameters
//! and keys they name, [`apis`] an API's authorizers and settings (with [`sls_apis`] for
//! serverless.yml's), [`write`] the program and its layout. What lamc cannot say yet is kept as a `# not imported: …` comment at its place
//! and listed in [`Imported::skipped`]; nothing is dropped silently (docs/import.md).

pub mod apis;
pub mod companions;
pub mod convert;
pub mod detect;
pub mod grants;
pub mod intrinsics;
pub mod kafka;
pub mod layers;
pub mod load;
pub mod network;
pub mod options;
pub mod policies;
pub mod resources;
pub mod sam;
pub mod serverless;
pub mod settings;
pub mod sls_apis;
pub mod stateful;
#[cfg(test)]
mod testkit;
pub mod triggers;
pub mod variables;
pub mod wiring;
pub mod write;

use chrono::NaiveDate;

pub use detect::Source;

/// What the importer needs besides the file.
#[derive(Debug, Clone)]
pub struct Options {
    /// The date runtime lifecycle checks compare against (a runtime Lambda no longer
    /// creates functions on is replaced by its successor).
    pub today: NaiveDate,
    /// The name of the SAM application (`app NAME`), e.g. from the file's folder; a
    /// serverless.yml names itself (`service`).
    pub app_name: String,
    /// The file's name, for the first comment.
    pub file_name: String,
}

/// A program written from a SAM template or serverless.yml.
#[derive(Debug)]
pub struct Imported {
    pub source: Source,
    /// The `.lam` text, formatted.
    pub program: String,
    /// How many functions came across.
    pub functions: usize,
    /// What was kept as a comment, in order.
    pub skipped: Vec<String>,
}

/// Why nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The input is not YAML or JSON, or not a SAM or Serverless file.
    NotRecognized(String),
    /// The program could not be written in lamc's layout (an importer mistake).
    Internal(String),
}

/// Import the SAM template or serverless.yml `text`.
pub fn import(text: &str, opts: &Options) -> Result<Imported, ImportError> {
    let doc = load::document(text).map_err(ImportError::NotRecognized)?;
    let source = detect::detect(&doc).map_err(ImportError::NotRecognized)?;
    let top = doc.as_object().cloned().unwrap_or_default();
    let mut notes = write::Notes::default();
    let mut members = vec![
        write::Member::Comment(format!(
            "Imported by `lamc import` from {} ({}).",
            opts.file_name,
            source.describe()
        )),
        write::Member::Comment(
            "`not imported:` comments name what lamc cannot say yet (docs/import.md).".into(),
        ),
    ];
    let body = match source {
        Source::Sam | Source::Cfn => {
            sam::import(&top, &write::snake(&opts.app_name), opts.today, &mut notes)
        }
        Source::Serverless => serverless::import(&top, opts.today, &mut notes),
    };
    let functions = count_functions(&body);
    members.extend(body);
    let program = write::formatted(&members).map_err(ImportError::Internal)?;
    Ok(Imported {
        source,
        program,
        functions,
        skipped: notes.skipped,
    })
}

fn count_functions(members: &[write::Member]) -> usize {
    members
        .iter()
        .filter(|m| matches!(m, write::Member::Block(head, _) if head.starts_with("function ")))
        .count()
}
