//! AG-08: a route key is unique in its API. Two `on http` triggers with one key on one
//! API (two `$default`, or `GET /x` twice) would fail the deployment; each goes to one
//! function.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::model::{route_key, Model, TriggerKind};
use crate::source::Span;

use super::RuleContext;

/// One route as written: the function it invokes and where.
struct Route<'a> {
    function: &'a str,
    span: Span,
}

pub(crate) fn check(model: &Model, _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    // (api, route key) → the routes with that key, in the order they are written.
    let mut routes: BTreeMap<(&str, String), Vec<Route>> = BTreeMap::new();
    for f in &model.functions {
        for t in &f.triggers {
            if let TriggerKind::Http {
                method, path, api, ..
            } = &t.kind
            {
                routes
                    .entry((api.value.as_str(), route_key(&method.value, &path.value)))
                    .or_default()
                    .push(Route {
                        function: &f.name.value,
                        span: method.span,
                    });
            }
        }
    }
    for ((api, key), mut found) in routes {
        found.sort_by_key(|r| (r.span.file.0, r.span.start));
        if let [first, second, ..] = found.as_slice() {
            out.push(duplicate(api, &key, first, second));
        }
    }
}

fn duplicate(api: &str, key: &str, first: &Route, second: &Route) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0492,
        second.span,
        format!("route `{key}` is given twice on api.{api}"),
    )
    .help(format!(
        "a route goes to one function: keep `{key}` on one of them, or route the other through another api"
    ));
    if first.span == second.span {
        // One route written in a template that two functions use.
        return d.label(format!(
            "both `{}` and `{}` inherit this route",
            first.function, second.function
        ));
    }
    d.label(format!("again, for `{}`", second.function))
        .secondary(first.span, format!("first for `{}`", first.function))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Trigger, DEFAULT_ROUTE};

    fn route(kit: &mut Kit, method: &str, path: &str, api: &str) -> Trigger {
        let key = route_key(method, path);
        let m = kit.s(&key, method.to_string());
        let p = S::new(path.to_string(), m.span);
        kit.trigger(TriggerKind::Http {
            method: m,
            path: p,
            api: S::new(api.to_string(), Span::default()),
            auth: None,
            scopes: Vec::new(),
            public: None,
        })
    }

    use crate::model::S;

    #[test]
    fn one_key_twice_on_one_api_is_refused_at_the_second() {
        let mut kit = Kit::new();
        let mut a = kit.function("a");
        let mut b = kit.function("b");
        let first = route(&mut kit, "ANY", DEFAULT_ROUTE, "default");
        a.triggers = vec![first.clone(), route(&mut kit, "GET", "/x", "default")];
        let second = route(&mut kit, "ANY", DEFAULT_ROUTE, "default");
        b.triggers = vec![
            second.clone(),
            route(&mut kit, "POST", "/x", "default"),
            route(&mut kit, "GET", "/x", "other"),
        ];
        let d = kit.run(&model(vec![a, b]));
        let e = one(&d, Code::E0492);
        let span = |t: &Trigger| match &t.kind {
            TriggerKind::Http { method, .. } => method.span,
            _ => Span::default(),
        };
        assert_eq!(e.primary.span, span(&second));
        assert_eq!(e.secondary[0].span, span(&first));
    }
}
