//! Handler strings, one code per mistake: a text Lambda refuses whatever the runtime (too
//! long or with whitespace, FN-03: E0110), inline code's handler that does not name the
//! `index` file it is written to (FN-03: E0111), and the shape per runtime family (E0415).

use crate::diag::{Code, Diagnostic};
use crate::model::{CodeSource, Function, S};

use super::limit::Limit;
use super::runtimes::{self, Family};
use super::util::string_replacement;
use super::RuleContext;
use crate::schema::limits::MAX_HANDLER_LEN;

fn is_ident(s: &str, extra: &[char]) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' || extra.contains(&c) => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(&c))
}

/// `file.function` where the file part may include folders: `src/app.handler`.
fn file_dot_function(h: &str, fn_extra: &[char]) -> bool {
    match h.rsplit_once('.') {
        Some((file, func)) => {
            !file.is_empty()
                && !file.ends_with('/')
                && !file.starts_with('/')
                && is_ident(func, fn_extra)
        }
        None => false,
    }
}

/// `pkg.Class::method` or `pkg.Class`.
fn java_shape(h: &str) -> bool {
    let (class, method) = match h.split_once("::") {
        Some((c, m)) => (c, Some(m)),
        None => (h, None),
    };
    class.split('.').all(|seg| is_ident(seg, &['$'])) && method.is_none_or(|m| is_ident(m, &['$']))
}

/// `Assembly::Namespace.Class::Method`.
fn dotnet_shape(h: &str) -> bool {
    let parts: Vec<&str> = h.split("::").collect();
    let [assembly, class, method] = parts.as_slice() else {
        return false;
    };
    !assembly.is_empty()
        && !assembly.contains(char::is_whitespace)
        && class.split('.').all(|seg| is_ident(seg, &['`']))
        && is_ident(method, &[])
}

/// What a handler must look like for a family, or `None` when it already does.
pub fn shape_problem(family: Family, handler: &str) -> Option<&'static str> {
    let ok = match family {
        Family::Python => file_dot_function(handler, &[]),
        Family::Node => file_dot_function(handler, &['$']),
        Family::Ruby => file_dot_function(handler, &['?', '!']),
        Family::Java => java_shape(handler),
        Family::DotNet => dotnet_shape(handler),
        Family::Provided => !handler.is_empty(),
    };
    if ok {
        return None;
    }
    Some(match family {
        Family::Python => "`module.function`, e.g. \"app.handler\"",
        Family::Node => "`file.export`, e.g. \"index.handler\"",
        Family::Ruby => "`file.method`, e.g. \"function.handler\"",
        Family::Java => {
            "`package.Class::method` or `package.Class`, e.g. \"example.Handler::handleRequest\""
        }
        Family::DotNet => {
            "`Assembly::Namespace.Class::Method`, e.g. \"App::App.Function::Handler\""
        }
        Family::Provided => "any non-empty name, e.g. \"bootstrap\"",
    })
}

pub(crate) fn check(functions: &[Function], ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        let Some(h) = &f.handler else { continue };
        let family = f
            .runtime
            .as_ref()
            .and_then(|r| runtimes::lookup(&r.value))
            .map(|r| r.family);
        // One problem a handler: the first of these that it has.
        let problem = written(ctx, h)
            .or_else(|| inline_index(ctx, f, h, family))
            .or_else(|| wrong_shape(f, h, family));
        out.extend(problem);
    }
}

/// FN-03: ≤128 characters, no whitespace (E0110).
fn written(ctx: &RuleContext, h: &S<String>) -> Option<Diagnostic> {
    if h.value.chars().count() > MAX_HANDLER_LEN {
        let problem = Limit::Length {
            code: Code::E0110,
            what: "handler",
            span: h.span,
            chars: h.value.chars().count(),
            unit: "characters",
            partly_known: false,
            min: 0,
            max: MAX_HANDLER_LEN,
            help: "shorten the module or function name".into(),
        };
        return Some(problem.diagnostic(ctx));
    }
    if !h.value.contains(char::is_whitespace) {
        return None;
    }
    let trimmed: String = h.value.chars().filter(|c| !c.is_whitespace()).collect();
    let mut d = Diagnostic::new(Code::E0110, h.span, "handler contains whitespace")
        .label("whitespace is not allowed in a handler")
        .help("remove the spaces");
    if !trimmed.is_empty() {
        d = d.help(format!("remove the spaces: handler = \"{trimmed}\""));
        d = d.fix(
            "remove whitespace",
            h.span,
            string_replacement(ctx, h.span, &trimmed),
        );
    }
    Some(d)
}

/// FN-03: inline code is written to a file named `index` (E0111).
fn inline_index(
    ctx: &RuleContext,
    f: &Function,
    h: &S<String>,
    family: Option<Family>,
) -> Option<Diagnostic> {
    let code = f.code.as_ref()?;
    let inline = matches!(code.value, CodeSource::Inline(_));
    if !inline || !family.is_none_or(Family::supports_inline) {
        return None;
    }
    if h.value.starts_with("index.") && h.value.matches('.').count() == 1 {
        return None;
    }
    let func = h
        .value
        .rsplit_once('.')
        .map_or(h.value.as_str(), |(_, f)| f);
    let fixed = format!("index.{func}");
    Some(
        Diagnostic::new(
            Code::E0111,
            h.span,
            "inline code needs an `index.<function>` handler",
        )
        .label("inline code is saved as a file named `index`")
        .secondary(code.span, "inline code here")
        .help(format!("use handler = \"{fixed}\""))
        .fix(
            format!("use {fixed}"),
            h.span,
            string_replacement(ctx, h.span, &fixed),
        ),
    )
}

/// The shape the runtime's family expects (`module.function`, `Class::method`, …) (E0415).
fn wrong_shape(f: &Function, h: &S<String>, family: Option<Family>) -> Option<Diagnostic> {
    let (family, rt) = (family?, f.runtime.as_ref()?);
    let expected = shape_problem(family, &h.value)?;
    Some(
        Diagnostic::new(
            Code::E0415,
            h.span,
            format!("handler shape is wrong for {}", rt.value),
        )
        .label(format!("not the shape of a {} handler", family.as_str()))
        .secondary(rt.span, "runtime set here")
        .help(format!("write the handler as {expected}")),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Model, S};

    #[test]
    fn shapes_per_family() {
        assert!(shape_problem(Family::Python, "app.handler").is_none());
        assert!(shape_problem(Family::Python, "pkg/app.handler").is_none());
        assert!(shape_problem(Family::Python, "handler").is_some());
        assert!(shape_problem(Family::Python, "app.").is_some());
        assert!(shape_problem(Family::Node, "index.handler").is_none());
        assert!(shape_problem(Family::Node, "dist/index.handler").is_none());
        assert!(shape_problem(Family::Node, ".handler").is_some());
        assert!(shape_problem(Family::Java, "example.Handler::handleRequest").is_none());
        assert!(shape_problem(Family::Java, "example.Handler").is_none());
        assert!(shape_problem(Family::Java, "example.Handler::").is_some());
        assert!(shape_problem(Family::Java, "example..Handler").is_some());
        assert!(shape_problem(Family::DotNet, "App::App.Function::Handler").is_none());
        assert!(shape_problem(Family::DotNet, "App.Function::Handler").is_some());
        assert!(shape_problem(Family::Ruby, "function.handler").is_none());
        assert!(shape_problem(Family::Provided, "bootstrap").is_none());
        assert!(shape_problem(Family::Provided, "").is_some());
    }

    fn with_handler(kit: &mut Kit, runtime: &str, handler: &str) -> (Model, S<String>) {
        let mut f = kit.function("f");
        f.runtime = Some(kit.s(runtime, runtime.to_string()));
        let h = kit.str(handler);
        f.handler = Some(h.clone());
        (model(vec![f]), h)
    }

    #[test]
    fn wrong_shape_points_at_the_handler() {
        let mut kit = Kit::new();
        let (m, h) = with_handler(&mut kit, "java21", "src/app.handler");
        let d = one(&kit.run(&m), Code::E0415);
        assert_eq!(d.primary.span, h.span);
        assert_eq!(d.secondary.len(), 1);

        let mut kit = Kit::new();
        let (m, _) = with_handler(&mut kit, "java21", "com.example.Handler::handle");
        none(&kit.run(&m), Code::E0415);
    }

    #[test]
    fn handler_length_boundary() {
        let ok = format!("a.{}", "b".repeat(MAX_HANDLER_LEN - 2));
        let mut kit = Kit::new();
        let (m, _) = with_handler(&mut kit, "python3.12", &ok);
        none(&kit.run(&m), Code::E0110);
        let long = format!("a.{}", "b".repeat(MAX_HANDLER_LEN - 1));
        let mut kit = Kit::new();
        let (m, h) = with_handler(&mut kit, "python3.12", &long);
        assert_eq!(one(&kit.run(&m), Code::E0110).primary.span, h.span);
    }

    #[test]
    fn whitespace_is_fixed() {
        let mut kit = Kit::new();
        let (m, _) = with_handler(&mut kit, "python3.12", "app. handler");
        let d = one(&kit.run(&m), Code::E0110);
        assert_eq!(d.fixes[0].replacement, "\"app.handler\"");
    }

    #[test]
    fn inline_code_needs_index() {
        let mut kit = Kit::new();
        let (mut m, h) = with_handler(&mut kit, "python3.12", "app.main");
        m.functions[0].code = Some(kit.s(
            "inline(…)",
            CodeSource::Inline("def main(e, c): pass".into()),
        ));
        let d = one(&kit.run(&m), Code::E0111);
        assert_eq!(d.primary.span, h.span);
        assert_eq!(d.fixes[0].replacement, "\"index.main\"");

        let mut kit = Kit::new();
        let (mut m, _) = with_handler(&mut kit, "python3.12", "index.main");
        m.functions[0].code = Some(kit.s(
            "inline(…)",
            CodeSource::Inline("def main(e, c): pass".into()),
        ));
        none(&kit.run(&m), Code::E0111);
    }
}
