//! Every `code` folder of a program zipped at once, before planning: the planner only
//! names each zip by its key (`<function>-<sha256 prefix>.zip`), which depends on the zip's
//! bytes, so the zips are made first, once per build, however many times the planner
//! lowers the program (each split retry lowers it again).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{package, Artifact, Packaging};
use crate::diag::Diagnostic;
use crate::source::Span;

/// One folder (or file) to zip for a function: what the planner asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub function: String,
    pub path: PathBuf,
    /// The `code` value, where a folder that cannot be packed is reported.
    pub span: Span,
}

/// Zip (or only measure) one folder: [`super::package`] or [`super::measure`].
type PackOne = fn(&str, &std::path::Path, Span, &Packaging) -> Result<Artifact, Box<Diagnostic>>;

/// The zip of each requested function, or why its folder cannot be packed.
#[derive(Debug, Default)]
pub struct Packed {
    by_function: BTreeMap<String, Result<Artifact, Box<Diagnostic>>>,
    /// Function names in request order (the order the artifacts are listed in).
    order: Vec<String>,
}

impl Packed {
    /// Zip every request, on all cores (zipping is independent per folder, and the result
    /// does not depend on the order it is done in).
    pub fn pack(requests: Vec<Request>, packaging: &Packaging) -> Packed {
        Packed::each(requests, packaging, package)
    }

    /// What `lamc check` needs instead of the zips ([`super::measure`]): the same
    /// diagnostics, keys of the same length and the unzipped sizes, without compressing
    /// or hashing anything. The result must not be written or uploaded.
    pub fn measure(requests: Vec<Request>, packaging: &Packaging) -> Packed {
        Packed::each(requests, packaging, super::measure)
    }

    fn each(requests: Vec<Request>, packaging: &Packaging, one: PackOne) -> Packed {
        let order = requests.iter().map(|r| r.function.clone()).collect();
        let zipped = crate::parallel::map_in_order(requests, 1, |r| {
            let zip = one(&r.function, &r.path, r.span, packaging);
            (r.function, zip)
        });
        Packed {
            by_function: zipped.into_iter().collect(),
            order,
        }
    }

    /// The S3 key of `function`'s zip, or the diagnostic that says why there is none.
    pub fn key(&self, function: &str) -> Option<Result<&str, &Diagnostic>> {
        self.by_function.get(function).map(|r| match r {
            Ok(a) => Ok(a.key.as_str()),
            Err(d) => Err(d.as_ref()),
        })
    }

    /// How many bytes `name`'s zip holds unzipped, when it could be made.
    pub fn unzipped(&self, name: &str) -> Option<u64> {
        match self.by_function.get(name)? {
            Ok(a) => Some(a.unzipped),
            Err(_) => None,
        }
    }

    /// The zips, in request order (those that could not be made left out).
    pub fn into_artifacts(mut self) -> Vec<Artifact> {
        self.order
            .iter()
            .filter_map(|f| self.by_function.remove(f).and_then(Result::ok))
            .collect()
    }
}
