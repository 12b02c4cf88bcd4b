//! `snap_start = true`: the runtimes SnapStart supports (SS-01) and the settings it
//! cannot be combined with (SS-03, CC-11, SNAP-01). Each error points at `snap_start` and at the
//! other place.

use crate::diag::{Code, Diagnostic};
use crate::model::{CodeSource, Function, S};
use crate::schema::limits::{SNAP_START_MAX_STORAGE_MB, SNAP_START_RUNTIMES};
use crate::source::Span;

use super::RuleContext;

pub(crate) fn check(functions: &[Function], _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        let Some(on) = f.flag("snap_start").filter(|s| s.value) else {
            continue;
        };
        runtime(f, on.span, out);
        exclusions(f, on.span, out);
    }
}

/// E0471 (SS-01): Java 11+, Python 3.12+ and .NET 8+ only.
fn runtime(f: &Function, on: Span, out: &mut Vec<Diagnostic>) {
    let Some(rt) = &f.runtime else {
        return;
    };
    if SNAP_START_RUNTIMES.contains(&rt.value.as_str()) {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::E0471,
            on,
            format!("SnapStart does not support `{}`", rt.value),
        )
        .label("SnapStart asked for here")
        .secondary(rt.span, "this runtime has no SnapStart")
        .help(format!(
            "use a runtime SnapStart supports ({}), or remove `snap_start`",
            SNAP_START_RUNTIMES.join(", ")
        )),
    );
}

/// E0472 (SS-03, CC-11, SNAP-01): not with provisioned concurrency, more than 512MB of
/// `/tmp`, image code or an EFS file system; one error for each, pointing at both places.
fn exclusions(f: &Function, on: Span, out: &mut Vec<Diagnostic>) {
    let mut conflicts: Vec<(Span, String, String)> = Vec::new();
    if let Some(p) = f.concurrency.as_ref().and_then(|c| c.provisioned.as_ref()) {
        conflicts.push((
            p.span,
            "provisioned concurrency".into(),
            "remove `provisioned` or `snap_start`: both cut cold starts".into(),
        ));
    }
    if let Some(S { value, span }) = f.storage() {
        if value > SNAP_START_MAX_STORAGE_MB {
            conflicts.push((
                span,
                format!("`storage` above {SNAP_START_MAX_STORAGE_MB}MB"),
                format!("write `storage = {SNAP_START_MAX_STORAGE_MB}MB`, or remove `snap_start`"),
            ));
        }
    }
    if let Some(code) = f
        .code
        .as_ref()
        .filter(|c| matches!(c.value, CodeSource::Image(_)))
    {
        conflicts.push((
            code.span,
            "image code".into(),
            "SnapStart needs a zip package: remove `snap_start`, or package the code as a folder"
                .into(),
        ));
    }
    if let Some(mount) = f.files.first() {
        // SS-03: SnapStart does not support Amazon EFS.
        conflicts.push((
            mount.path.span,
            "a file system (`files`)".into(),
            "remove `files` (read the data from S3 or /tmp instead), or remove `snap_start`".into(),
        ));
    }
    for (span, what, help) in conflicts {
        out.push(
            Diagnostic::new(
                Code::E0472,
                on,
                format!("SnapStart cannot be used with {what}"),
            )
            .label("SnapStart asked for here")
            .secondary(span, what)
            .help(help),
        );
    }
}
