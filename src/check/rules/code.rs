//! Where a function's code comes from (FN-14, FN-16, FN-04, CFN-16).

use crate::diag::{Code, Diagnostic};
use crate::model::{CodeSource, DeployStr, Function, S};
use crate::source::Span;

use super::limit::Limit;
use super::runtimes;
use super::RuleContext;
use crate::schema::limits::MAX_S3_KEY;

pub(crate) fn check(functions: &[Function], ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        let Some(code) = &f.code else { continue };
        match &code.value {
            // Resolved (inside the project root, existing) where paths are: check::paths.
            CodeSource::Local { .. } => {}
            CodeSource::Inline(_) => inline(f, out),
            CodeSource::S3 { bucket, key } => s3_source(ctx, bucket, key, code.span, out),
            CodeSource::Image(_) => image_source(f, code, out),
        }
    }
}

/// FN-16: S3Bucket 3–63 chars, S3Key 1–1024 (E0449); of deploy-time text, what is
/// certain: the characters it has and its least length.
fn s3_source(
    ctx: &RuleContext,
    bucket: &DeployStr,
    key: &DeployStr,
    span: Span,
    out: &mut Vec<Diagnostic>,
) {
    let chars_ok = bucket
        .known_text()
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    let bucket_ok = match bucket.as_literal() {
        Some(b) => (3..=63).contains(&b.len()) && chars_ok && !b.ends_with('.'),
        None => bucket.known_chars() <= 63 && chars_ok && !bucket.ends_with("."),
    };
    if !bucket_ok {
        out.push(
            Diagnostic::new(
                Code::E0449,
                span,
                format!("`{bucket}` is not a valid S3 bucket name"),
            )
            .label("bucket names are 3–63 letters, digits, `.`, `-` or `_`")
            .help("use the name of the bucket that holds the deployment package"),
        );
    }
    let key_len = key.known_chars();
    if key.as_literal() == Some("") || key_len > MAX_S3_KEY {
        let problem = Limit::Length {
            code: Code::E0449,
            what: "S3 key",
            span,
            chars: key_len,
            unit: "characters",
            partly_known: key.as_literal().is_none(),
            min: 1,
            max: MAX_S3_KEY,
            help: "use the object key of the deployment package".into(),
        };
        out.push(problem.diagnostic(ctx));
    }
}

/// An image URI that is empty (E0449), layers on an image (FN-14, E0450).
fn image_source(f: &Function, code: &S<CodeSource>, out: &mut Vec<Diagnostic>) {
    let CodeSource::Image(uri) = &code.value else {
        return;
    };
    if uri.as_literal().is_some_and(|u| u.trim().is_empty()) {
        out.push(
            Diagnostic::new(Code::E0449, code.span, "image URI is empty")
                .label("no image given")
                .help("use an ECR image URI such as ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo:tag"),
        );
    }
    // FN-14: layers cannot be used with container images.
    if let Some(first) = f.layers.first() {
        let mut d = Diagnostic::new(
            Code::E0450,
            first.span,
            "layers cannot be used with a container image",
        )
        .label("layer on an image function")
        .secondary(code.span, "the code is a container image")
        .help("copy the layer's content into the image and remove `layers`");
        for l in &f.layers[1..] {
            d = d.secondary(l.span, "also a layer");
        }
        out.push(d);
    }
}

/// Inline code: a runtime that takes it (FN-04, E0448).
fn inline(f: &Function, out: &mut Vec<Diagnostic>) {
    let Some(code) = &f.code else { return };
    let info = f.runtime.as_ref().and_then(|r| runtimes::lookup(&r.value));
    match (&f.runtime, info) {
        // FN-04 (E3678): inline code needs a runtime. Without one the function already
        // has an error where the runtime is missing (E0105) or unreadable.
        (None, _) => {}
        // FN-04 / FN-16 (E3677): Node.js and Python only.
        (Some(rt), Some(info)) if !info.family.supports_inline() => out.push(
            Diagnostic::new(
                Code::E0448,
                code.span,
                format!("inline code is not supported for {}", rt.value),
            )
            .label("inline code works only for Node.js and Python")
            .secondary(rt.span, "runtime set here")
            .help("put the code in a folder and use code = \"path/to/folder\""),
        ),
        _ => {}
    }
    // CFN-16 / CFN-06: inline code is part of the template, at most 1,000,000 bytes. The
    // checker never builds a value that large (E0435, `Cx::afford` charges each value's
    // bytes against `lets::MAX_VALUE_BYTES`), so there is no size to check here.
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn inline_only_for_python_and_node() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        f.runtime = Some(kit.s("java21", "java21".into()));
        f.handler = Some(kit.str("index.Handler"));
        let c = kit.s("inline(…)", CodeSource::Inline("class X {}".into()));
        f.code = Some(c.clone());
        let mut g = kit.function("g");
        g.handler = Some(kit.str("index.handler"));
        g.code = Some(kit.s(
            "inline(…)",
            CodeSource::Inline("def handler(e, c): pass".into()),
        ));
        let diags = kit.run(&model(vec![f, g]));
        let d = one(&diags, Code::E0448);
        assert_eq!(d.primary.span, c.span);
    }

    #[test]
    fn inline_code_past_a_template_is_refused_before_the_rules() {
        use crate::driver::{check_source, CheckOptions};
        let codes = |bytes: usize| -> Vec<Code> {
            let text = format!(
                "function f {{\n  runtime = python3.13\n  handler = \"index.handler\"\n  \
                 code = inline(\"\"\"{}\"\"\")\n}}\n",
                "#".repeat(bytes)
            );
            let comp = check_source("app.lam".into(), None, text, &CheckOptions::default());
            comp.diagnostics.iter().map(|d| d.code).collect()
        };
        // With its quotes, a string of MAX_VALUE_BYTES - 1 bytes is over the limit alone.
        let over = crate::check::lets::MAX_VALUE_BYTES as usize - 1;
        assert_eq!(codes(over), vec![Code::E0435]);
        assert_eq!(codes(1000), vec![]);
    }

    #[test]
    fn image_with_layers() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        f.code = Some(kit.s(
            "image(…)",
            CodeSource::Image(DeployStr::literal(
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1",
            )),
        ));
        let l = kit.text("arn:aws:lambda:us-east-1:123456789012:layer:deps:1");
        f.layers = vec![l.clone()];
        let diags = kit.run(&model(vec![f.clone()]));
        assert_eq!(one(&diags, Code::E0450).primary.span, l.span);
        f.layers.clear();
        none(&kit.run(&model(vec![f])), Code::E0450);
    }
}
