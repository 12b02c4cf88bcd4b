//! `url { … }` → `AWS::Lambda::Url` and, for public URLs, the resource policy they need.

use super::ctx::Ctx;
use super::tree::{Node, Props};
use super::Resource;
use crate::model::{Auth, Function};
use crate::schema::{AUTH, AUTH_MODES, INVOKE_MODE_STREAM};

pub fn lower(cx: &mut Ctx, f: &Function) {
    let Some(url) = &f.url else {
        return;
    };
    let name = f.name.value.as_str();
    let Some(ids) = cx.fn_ids(name).cloned() else {
        return;
    };
    let Some(url_id) = ids.url.clone() else {
        return;
    };
    let auth = AUTH.cfn_of(AUTH_MODES, &url.auth.value).unwrap_or_default();
    // URL-03: with an alias the URL is qualified by it.
    let props = Props::new()
        .set("AuthType", Node::str(auth))
        .set("TargetFunctionArn", Node::get_att(&ids.function, "Arn"))
        // URL-04: `stream = true` streams the response as the function writes it.
        .opt(
            "InvokeMode",
            url.stream
                .as_ref()
                .filter(|s| s.value)
                .map(|_| Node::str(INVOKE_MODE_STREAM)),
        )
        .opt(
            "Qualifier",
            ids.alias
                .as_ref()
                .map(|_| Node::str(ids.alias_name.clone())),
        )
        .opt(
            "Cors",
            url.cors.as_ref().map(|c| super::resources::cors(cx, c)),
        );
    let mut res = Resource::new("AWS::Lambda::Url", props);
    if let Some(alias) = &ids.alias {
        res = res.depends_on(alias);
    }
    cx.add(&url_id, res);

    if url.auth.value == Auth::None {
        public_permissions(cx, name, &url_id, auth);
    }
}

/// URL-06/URL-07: a public URL needs both lambda:InvokeFunctionUrl (for auth type NONE)
/// and lambda:InvokeFunction restricted to calls that come through the URL.
fn public_permissions(cx: &mut Ctx, name: &str, url_id: &str, auth: &'static str) {
    let target = cx.invoke_target(name);
    let url_perm = Props::new()
        .set("Action", Node::str("lambda:InvokeFunctionUrl"))
        .set("FunctionName", target.clone())
        .set("Principal", Node::str("*"))
        .set("FunctionUrlAuthType", Node::str(auth));
    let id = cx.ids.alloc(&[name, "UrlPermission"]);
    cx.add(
        &id,
        Resource::new("AWS::Lambda::Permission", url_perm).depends_on(url_id),
    );
    let invoke_perm = Props::new()
        .set("Action", Node::str("lambda:InvokeFunction"))
        .set("FunctionName", target)
        .set("Principal", Node::str("*"))
        .set("InvokedViaFunctionUrl", Node::Bool(true));
    let id = cx.ids.alloc(&[name, "UrlInvokePermission"]);
    cx.add(
        &id,
        Resource::new("AWS::Lambda::Permission", invoke_perm).depends_on(url_id),
    );
}
