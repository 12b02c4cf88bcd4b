//! `dead_letter`: Lambda sends an event there only after giving up on an asynchronous
//! invocation (FN-20); a function invoked only synchronously never uses it.

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Model, ResRef};

use super::RuleContext;

pub(crate) fn check(model: &Model, _ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in &model.functions {
        let Some(target) = &f.dead_letter else {
            continue;
        };
        let Some(sync) = only_synchronous(model, f) else {
            continue;
        };
        let mut d = Diagnostic::new(
            Code::W0547,
            target.span,
            format!(
                "this dead-letter {} never receives an event",
                target.value.kind.as_str()
            ),
        )
        .label("only asynchronous invocations that fail go here");
        for span in sync {
            d = d.secondary(span, "invoked synchronously: the caller gets the error");
        }
        out.push(d.help(
            "for failed batches of a queue or stream trigger, use the queue's own `dead_letter` or the trigger's `on_failure`; otherwise remove `dead_letter`",
        ));
    }
}

/// Where `f` is invoked synchronously, when that is the only way it is invoked: it has a
/// trigger or a URL, no trigger invokes it asynchronously, it has no `async` settings, and
/// no function sends it asynchronous invocation records. `None` otherwise (a function
/// without triggers may be invoked by anyone, asynchronously too).
fn only_synchronous(model: &Model, f: &Function) -> Option<Vec<crate::source::Span>> {
    let unread_trigger = f.was_written(crate::check::function::UNREAD_TRIGGER);
    if f.async_config.is_some() || f.was_written("async") || unread_trigger {
        return None;
    }
    if f.triggers.iter().any(|t| t.kind.invokes_async()) {
        return None;
    }
    let me = ResRef {
        kind: crate::model::Kind::Function,
        name: f.name.value.clone(),
    };
    let a_destination = model.functions.iter().any(|g| {
        g.async_config.as_ref().is_some_and(|a| {
            [&a.on_success, &a.on_failure]
                .into_iter()
                .flatten()
                .any(|d| d.value == me)
        })
    });
    if a_destination {
        return None;
    }
    let mut sync: Vec<_> = f.triggers.iter().map(|t| t.span).collect();
    sync.extend(f.url.as_ref().map(|u| u.span));
    (!sync.is_empty()).then_some(sync)
}
