//! Functions: each body (function, template, `defaults`) is lowered once into a partial
//! [`Function`], then a function is its own partial merged with its templates' and its
//! file's defaults (decision 9), and checked for required attributes (E0105).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::{Code, Diagnostic};
use crate::model::{
    AllowRule, AllowTarget, AsyncConfig, Auth, CodeSource, Concurrency, DeployStr, Function, Kind,
    LogRetention, Logging, Metric, Provisioned, RuntimeUpdates, Setting, Tracing, UpdateMode,
    UrlConfig, S,
};
use crate::schema::{
    self, Attr, Ty, ARCHITECTURES, AUTH_MODES, LOG_RETENTION_WORDS, RUNTIME_UPDATES,
    RUNTIME_UPDATE_MODES, TRACING, TRACING_MODES,
};
use crate::source::Span;
use crate::syntax::ast::{Allow, Body, Expr, ExprKind, FunctionDecl, Ident, Member};

use super::attrs::{Field, Fields};
use super::cx::Cx;
use super::required::{Missing, Owner, Required};

/// What `allow … on` may name: every kind with an ARN of its own (`Kind::has_arn`).
static ALLOW_KINDS: std::sync::LazyLock<Vec<Kind>> = std::sync::LazyLock::new(|| {
    super::scope::ALL_KINDS
        .iter()
        .copied()
        .filter(|k| k.has_arn())
        .collect()
});
use super::values::describe;

/// In [`Function::written`]: a trigger was written that could not be read (reported).
pub const UNREAD_TRIGGER: &str = "on";

/// Where a body sits, which decides what it may contain.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Function,
    Template,
    Defaults,
}

impl BodyKind {
    fn owner(self) -> &'static str {
        match self {
            BodyKind::Function => "a function",
            BodyKind::Template => "a template",
            BodyKind::Defaults => "defaults",
        }
    }
}

impl<'a> Cx<'a> {
    /// Lower one body on its own; nothing is inherited yet.
    pub fn lower_body(
        &mut self,
        name: S<String>,
        span: Span,
        body: &'a Body,
        kind: BodyKind,
    ) -> Function {
        self.start_declaration();
        let mut f = Function::new(name, span);
        let mut entries = Vec::new();
        let mut unread_trigger = false;
        for m in &body.members {
            match m {
                Member::Entry(e) => entries.push(e.into()),
                Member::Trigger(t) if kind == BodyKind::Defaults => {
                    self.not_in_defaults(t.span, "triggers")
                }
                Member::Alarm(a) if kind == BodyKind::Defaults => {
                    self.not_in_defaults(a.span, "alarms")
                }
                Member::Allow(a) if kind == BodyKind::Defaults => {
                    self.not_in_defaults(a.span, "`allow` lines")
                }
                Member::Trigger(t) => match self.lower_trigger(t) {
                    Some(t) => f.triggers.push(t),
                    None => unread_trigger = true,
                },
                Member::Alarm(a) => f.alarms.extend(self.lower_fn_alarm(a)),
                Member::Allow(a) => f.allows.extend(self.lower_allow(a)),
            }
        }
        let fields = self.fields(entries, Some(schema::FUNCTION.attrs), kind.owner());
        self.lower_fn_fields(&mut f, &fields);
        f.written = fields.written_keys().map(str::to_string).collect();
        if unread_trigger {
            f.written.insert(UNREAD_TRIGGER.to_string());
        }
        f
    }

    fn not_in_defaults(&mut self, span: Span, what: &str) {
        self.report(
            Diagnostic::new(
                Code::E0456,
                span,
                format!("{what} are not allowed in `defaults`"),
            )
            .label("`defaults` holds attributes only")
            .help(
                "put it in a `template` and extend that template from the functions that need it",
            ),
        );
    }

    fn lower_fn_fields(&mut self, f: &mut Function, fields: &Fields<'a>) {
        for field in &fields.order {
            if self.lower_fn_block(f, *field) {
                continue;
            }
            if let Some(e) = self.expr_of(*field) {
                self.lower_fn_value(f, field.key.name.as_str(), e);
            }
        }
    }

    /// The attributes written as a block (`env { … }`, `vpc { … }`): read into `f`, and
    /// `true`; `false` for any other attribute.
    fn lower_fn_block(&mut self, f: &mut Function, field: Field<'a>) -> bool {
        match field.key.name.as_str() {
            "env" => {
                if let Some(env) = self.nested(field, None, "`env`") {
                    for item in &env.order {
                        let Some(e) = self.expr_of(*item) else {
                            continue;
                        };
                        if let Some(v) = self.value(e) {
                            f.env.insert(item.key.name.clone(), v);
                            f.env_key_spans.insert(item.key.name.clone(), item.key.span);
                        }
                    }
                }
            }
            "tags" => {
                if let Some(tags) = self.nested(field, None, "`tags`") {
                    f.tags.extend(self.tags(&tags));
                }
            }
            "concurrency" => f.concurrency = self.concurrency(field),
            "async" => f.async_config = self.async_config(field),
            "url" => f.url = self.url(field),
            "capacity" => f.capacity = self.capacity(field),
            "logging" => f.logging = self.logging(field),
            "vpc" => f.vpc = self.vpc(field),
            "files" => f.files = self.files(field),
            "durable" => f.durable = self.durable(field),
            _ => return false,
        }
        true
    }

    /// An attribute written as a value (`memory = 512MB`).
    fn lower_fn_value(&mut self, f: &mut Function, key: &str, e: &'a Expr) {
        match key {
            "runtime" => f.runtime = self.symbol_text(e, "runtime"),
            "handler" => f.handler = self.string(e, "handler"),
            "code" => f.code = self.code(e),
            "memory" => f.memory = self.size_mb(e, "memory"),
            "timeout" => f.timeout = self.seconds(e, "timeout"),
            "architecture" => f.architecture = self.symbol(e, "architecture", ARCHITECTURES),
            "name" => f.function_name = self.deploy_str(e, "name"),
            "layers" => f.layers = self.layer_list(e),
            "log_retention" => f.log_retention = self.log_retention(e),
            "runtime_updates" => f.runtime_updates = self.runtime_updates(e),
            "dead_letter" => {
                let targets = [Kind::Queue, Kind::Topic];
                f.dead_letter = self.reference(e, "dead_letter", &targets);
            }
            "tracing" if self.tracing_as_bool(e) => {}
            // The alias's name is part of every trigger's target: known when compiling.
            "alias" => {
                if let Some(a) = self.string(e, "alias") {
                    let text = a.map(|t| Setting::Text(DeployStr::literal(t)));
                    f.settings.insert("alias", text);
                }
            }
            _ => {
                // Every other attribute of a simple type is a setting: written at its
                // `cfn` path when it has one, else read by the planner (`publish`).
                let attr = schema::FUNCTION
                    .attr(key)
                    .filter(|a| a.ty.lowers_by_itself());
                if let Some(v) = attr.and_then(|a| self.setting(e, a)) {
                    f.settings.insert(v.0, v.1);
                }
            }
        }
    }

    /// An attribute of a simple type (see [`schema::Ty::lowers_by_itself`]), in
    /// CloudFormation's unit.
    pub(super) fn setting(
        &mut self,
        e: &'a Expr,
        attr: &'static Attr,
    ) -> Option<(&'static str, S<Setting>)> {
        let key = attr.key;
        let v = match attr.ty {
            Ty::Word(words) => self
                .symbol(e, key, &words.table())
                .map(|w| w.map(Setting::Word)),
            Ty::Size => self.size_mb(e, key).map(|n| n.map(Setting::Number)),
            Ty::Duration => self.seconds(e, key).map(|n| n.map(Setting::Number)),
            Ty::Count => self.count(e, key).map(|n| n.map(Setting::Number)),
            Ty::Bool => self.boolean(e, key).map(|b| b.map(Setting::Bool)),
            Ty::Str => self.deploy_str(e, key).map(|t| t.map(Setting::Text)),
            // The schema's tests keep `cfn` to the types above.
            _ => None,
        }?;
        Some((key, v))
    }

    /// `runtime_updates = auto | on_deploy | manual | manual("arn…")`: a word, or `manual`
    /// called with the runtime version's ARN.
    fn runtime_updates(&mut self, e: &'a Expr) -> Option<S<RuntimeUpdates>> {
        let inner = self.subst_symbol(e)?;
        let ExprKind::Call { name, args } = &inner.kind else {
            let mode = self.symbol(inner, "runtime_updates", RUNTIME_UPDATE_MODES)?;
            let updates = RuntimeUpdates {
                mode: mode.value,
                version: None,
            };
            return Some(S::new(updates, mode.span));
        };
        let manual = RUNTIME_UPDATES.word_of(RUNTIME_UPDATE_MODES, &UpdateMode::Manual);
        if name.name != manual || args.len() != 1 {
            self.report(
                Diagnostic::new(
                    Code::E0301,
                    inner.span,
                    "`runtime_updates` is `auto`, `on_deploy` or `manual(\"arn…\")`",
                )
                .label(format!("this is {}", describe(inner)))
                .help("write runtime_updates = manual(\"arn:aws:lambda:us-east-1::runtime:…\") to pin a runtime version"),
            );
            return None;
        }
        let version = self.deploy_str(&args[0], "manual(…) argument")?;
        let updates = RuntimeUpdates {
            mode: UpdateMode::Manual,
            version: Some(version),
        };
        Some(S::new(updates, inner.span))
    }

    /// `log_retention = 30d` or `never`; any other symbol is an unknown value (E0302).
    fn log_retention(&mut self, e: &'a Expr) -> Option<S<LogRetention>> {
        let inner = self.subst_symbol(e)?;
        if matches!(&inner.kind, ExprKind::Path(_)) {
            return self.symbol(inner, "log_retention", LOG_RETENTION_WORDS);
        }
        let days = self.days(inner, "log_retention")?;
        Some(S::new(LogRetention::Days(days.value), days.span))
    }

    /// `tracing = true` (how serverless.yml and SAM's globals say it) is answered with
    /// lamc's word for it (`active`); whether it was.
    fn tracing_as_bool(&mut self, e: &'a Expr) -> bool {
        let Some(ExprKind::Bool(on)) = self.subst_symbol(e).map(|e| &e.kind) else {
            return false;
        };
        let mode = if *on {
            Tracing::Active
        } else {
            Tracing::PassThrough
        };
        let ours = TRACING.word_of(TRACING_MODES, &mode);
        let help = if *on {
            format!("write `tracing = {ours}` (X-Ray traces the function's requests)")
        } else {
            format!("tracing is off unless set: remove the line, or write `tracing = {ours}`")
        };
        self.report(
            Diagnostic::new(
                Code::E0301,
                e.span,
                "`tracing` is `active` or `passthrough`, not true or false",
            )
            .label("this is a boolean")
            .help(help)
            .fix(format!("write `{ours}`"), e.span, ours),
        );
        true
    }

    /// `tags = { k = "v" }`: string values, deploy-time ones included.
    pub fn tags(&mut self, tags: &Fields<'a>) -> BTreeMap<String, S<DeployStr>> {
        let mut out = BTreeMap::new();
        for item in &tags.order {
            let Some(e) = self.expr_of(*item) else {
                continue;
            };
            if let Some(v) = self.deploy_str(e, "tag value") {
                out.insert(item.key.name.clone(), v);
            }
        }
        out
    }

    pub(super) fn code(&mut self, e: &'a Expr) -> Option<S<CodeSource>> {
        let e = self.subst(e)?;
        let span = e.span;
        match &e.kind {
            ExprKind::Str(_) => {
                let written = self.string(e, "code")?.value;
                let path = match self.sources.get(span.file).base_dir() {
                    Some(dir) => dir.join(&written),
                    None => PathBuf::from(&written),
                };
                Some(S::new(CodeSource::Local { path, written }, span))
            }
            ExprKind::Call { name, args } => self.code_call(name, args, span),
            _ => {
                self.report(
                    Diagnostic::new(Code::E0301, span, "`code` must be a path or a code source")
                        .label(format!("this is {}", describe(e)))
                        .help("write code = \"src/app\" (a folder), s3(\"bucket\", \"key\"), image(\"uri\") or inline(\"\"\"…\"\"\")"),
                );
                None
            }
        }
    }

    /// `s3("bucket", "key")`, `image("uri")` or `inline("""…""")`: E0302 for another call,
    /// E0323 for the wrong number of arguments.
    fn code_call(&mut self, name: &Ident, args: &'a [Expr], span: Span) -> Option<S<CodeSource>> {
        let arity = match name.name.as_str() {
            "s3" => 2,
            "image" | "inline" => 1,
            _ => {
                self.report(unknown_code_source(name));
                return None;
            }
        };
        if args.len() != arity {
            self.report(
                Diagnostic::new(
                    Code::E0323,
                    span,
                    format!(
                        "`{}(…)` takes {arity} argument{}",
                        name.name,
                        if arity == 1 { "" } else { "s" }
                    ),
                )
                .label(format!("{} given", args.len()))
                .help(match name.name.as_str() {
                    "s3" => "write s3(\"bucket\", \"key\")",
                    "image" => {
                        "write image(\"123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag\")"
                    }
                    _ => "write inline(\"\"\"…\"\"\")",
                }),
            );
            return None;
        }
        let what = format!("{}(…) argument", name.name);
        let source = match (name.name.as_str(), args) {
            ("s3", [bucket, key]) => {
                let bucket = self.deploy_str(bucket, &what);
                let key = self.deploy_str(key, &what);
                CodeSource::S3 {
                    bucket: bucket?.value,
                    key: key?.value,
                }
            }
            ("image", [uri]) => CodeSource::Image(self.deploy_str(uri, &what)?.value),
            // lamc checks inline code (its size, its handler): known when compiling.
            (_, [src]) => CodeSource::Inline(self.string(src, &what)?.value),
            _ => return None,
        };
        Some(S::new(source, span))
    }

    fn concurrency(&mut self, field: super::attrs::Field<'a>) -> Option<Concurrency> {
        let span = field.val.span();
        let fields = self.nested(field, Some(schema::CONCURRENCY.attrs), "`concurrency`")?;
        let reserved = self
            .get_expr(&fields, "reserved")
            .and_then(|e| self.count(e, "reserved"));
        let provisioned = match self.get_expr(&fields, "provisioned") {
            Some(e) => self.provisioned(e),
            None => None,
        };
        Some(Concurrency {
            reserved,
            provisioned,
            span,
        })
    }

    fn provisioned(&mut self, e: &'a Expr) -> Option<S<Provisioned>> {
        let e = self.subst(e)?;
        match &e.kind {
            ExprKind::Range { lo, hi, at } => {
                let Some(at) = at else {
                    self.report(
                        Diagnostic::new(
                            Code::E0458,
                            e.span,
                            "auto-scaled provisioned concurrency needs a target",
                        )
                        .label("no `at P%` utilisation target")
                        .help(format!(
                            "say the utilisation to keep: `{}..{} at 70%`",
                            lo.node, hi.node
                        ))
                        .fix(
                            "add a 70% target",
                            e.span,
                            format!("{}..{} at 70%", lo.node, hi.node),
                        ),
                    );
                    return None;
                };
                let target = self.percent(at, "provisioned target")?;
                Some(S::new(
                    Provisioned::Auto {
                        min: lo.node,
                        max: hi.node,
                        target_percent: target.value,
                    },
                    e.span,
                ))
            }
            _ => {
                let n = self.count(e, "provisioned")?;
                Some(S::new(Provisioned::Fixed(n.value), n.span))
            }
        }
    }

    fn async_config(&mut self, field: super::attrs::Field<'a>) -> Option<AsyncConfig> {
        let span = field.val.span();
        let fields = self.nested(field, Some(schema::ASYNC.attrs), "`async`")?;
        let destinations = [Kind::Queue, Kind::Topic, Kind::Function];
        Some(AsyncConfig {
            retries: self
                .get_expr(&fields, "retries")
                .and_then(|e| self.count(e, "retries")),
            max_age: self
                .get_expr(&fields, "max_age")
                .and_then(|e| self.seconds(e, "max_age")),
            on_success: self
                .get_expr(&fields, "on_success")
                .and_then(|e| self.reference(e, "on_success", &destinations)),
            on_failure: self
                .get_expr(&fields, "on_failure")
                .and_then(|e| self.reference(e, "on_failure", &destinations)),
            span,
        })
    }

    fn url(&mut self, field: super::attrs::Field<'a>) -> Option<UrlConfig> {
        let span = field.val.span();
        let fields = self.nested(field, Some(schema::URL.attrs), "`url`")?;
        // A function URL without `auth` defaults to IAM: public URLs must be asked for.
        let auth = self
            .get_expr(&fields, "auth")
            .and_then(|e| self.symbol(e, "auth", AUTH_MODES))
            .unwrap_or(S::new(Auth::Iam, span));
        let public = self
            .get_expr(&fields, "public")
            .and_then(|e| self.boolean(e, "public"));
        let cors = fields.get("cors").and_then(|f| self.cors(f));
        let stream = self
            .get_expr(&fields, "stream")
            .and_then(|e| self.boolean(e, "stream"));
        Some(UrlConfig {
            auth,
            stream,
            public,
            cors,
            span,
        })
    }

    fn logging(&mut self, field: super::attrs::Field<'a>) -> Option<Logging> {
        let span = field.val.span();
        let fields = self.nested(field, Some(schema::LOGGING.attrs), "`logging`")?;
        let mut settings = BTreeMap::new();
        for attr in schema::LOGGING.attrs.iter().filter(|a| a.cfn.is_some()) {
            let Some(e) = self.get_expr(&fields, attr.key) else {
                continue;
            };
            if let Some((key, v)) = self.setting(e, attr) {
                settings.insert(key, v);
            }
        }
        let group = self
            .get_expr(&fields, "group")
            .and_then(|e| self.deploy_str(e, "group"));
        Some(Logging {
            settings,
            group,
            span,
        })
    }

    fn lower_allow(&mut self, a: &'a Allow) -> Option<AllowRule> {
        let actions = match self.subst(&a.actions) {
            Some(e) => match &e.kind {
                ExprKind::Str(_) | ExprKind::List(_) => self.strings(e, "allow actions"),
                _ => {
                    self.report(
                        Diagnostic::new(Code::E0301, e.span, "`allow` takes IAM actions")
                            .label(format!("this is {}", describe(e)))
                            .help("write allow [\"s3:GetObject\"] on bucket.NAME"),
                    );
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        let target = match &a.target.kind {
            // `param.X` and `aws.X` are ARNs known at deploy time, as in a string.
            ExprKind::Path(path) if !path_is_value(path) => self
                .path_ref(path, "allow … on", &ALLOW_KINDS)?
                .map(AllowTarget::Ref),
            // An ARN, deploy-time parts allowed (`"arn:aws:ssm:${aws.region}:…"`).
            _ => self
                .deploy_str(&a.target, "allow … on")?
                .map(AllowTarget::Arn),
        };
        Some(AllowRule {
            actions,
            target,
            span: a.span,
        })
    }

    /// The function `decl` of `file`: its own body, then its templates, then its file's
    /// defaults. `lowered` holds the partials of every template and defaults block.
    pub fn merge_function(
        &mut self,
        decl: &'a FunctionDecl,
        own: Function,
        templates: &BTreeMap<String, Function>,
        defaults: Option<&Function>,
    ) -> Function {
        let chain = self.scope.template_chain(decl);
        let mut layers: Vec<&Function> = chain
            .iter()
            .filter_map(|(_, t)| templates.get(&t.name.name))
            .collect();
        layers.extend(defaults);
        let mut f = own;
        f.templates = chain
            .iter()
            .map(|(ext, t)| S::new(t.name.name.clone(), ext.span))
            .collect();
        let own_triggers = std::mem::take(&mut f.triggers);
        let own_alarms = std::mem::take(&mut f.alarms);
        let own_allows = std::mem::take(&mut f.allows);
        for l in &layers {
            super::inherit::inherit(&mut f, l);
            super::inherit::accumulate_members(&mut f, l);
        }
        f.triggers.extend(own_triggers);
        f.alarms.extend(own_alarms);
        f.allows.extend(own_allows);
        for a in &mut f.alarms {
            if let Metric::Function { function, .. } = &mut a.metric.value {
                function.clone_from(&f.name.value);
            }
        }
        self.check_required(&f);
        f
    }

    /// E0105: `code` always; `runtime` unless an image; `handler` unless an image or a
    /// `provided.*` runtime. An attribute that was written but could not be read was
    /// reported where it was written: it is not missing (and an unreadable `code` might
    /// have been an image, which needs neither runtime nor handler).
    fn check_required(&mut self, f: &Function) {
        let absent = |key: &str, slot_empty: bool| slot_empty && !f.written.contains(key);
        let code_unknown = f.code.is_none() && f.written.contains("code");
        let is_image = matches!(
            f.code.as_ref().map(|c| &c.value),
            Some(CodeSource::Image(_))
        );
        let provided = f
            .runtime
            .as_ref()
            .is_some_and(|r| r.value.starts_with("provided"));
        let name = &f.name.value;
        let mut keys = Vec::new();
        let mut need = |key: &'static str, example: String| keys.push(Required { key, example });
        if absent("code", f.code.is_none()) {
            need("code", format!("code = \"src/{name}\""));
        }
        if absent("runtime", f.runtime.is_none()) && !is_image && !code_unknown {
            need("runtime", "runtime = python3.13".to_string());
        }
        if absent("handler", f.handler.is_none()) && !is_image && !provided && !code_unknown {
            need("handler", format!("handler = \"{name}.handler\""));
        }
        let missing = Missing {
            owner: Owner::Function,
            name,
            span: f.name.span,
            keys,
        };
        if let Some(d) = missing.diagnostic() {
            self.report(d);
        }
    }
}

/// A path that names a value rather than a declaration: `param.X`, `aws.X`.
fn path_is_value(path: &crate::syntax::ast::Path) -> bool {
    path.segments
        .first()
        .is_some_and(|s| s.name == "param" || s.name == "aws")
}

/// E0302 for a call that is not `s3`, `image` or `inline`.
fn unknown_code_source(name: &Ident) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0302,
        name.span,
        format!("unknown code source `{}(…)`", name.name),
    )
    .label("not a kind of code");
    match crate::diag::did_you_mean(&name.name, ["s3", "image", "inline"]) {
        Some(near) => d.help(format!("did you mean `{near}(…)`?")).fix(format!("replace with `{near}`"), name.span, near),
        None => d.help("code is a folder path string, `s3(\"bucket\", \"key\")`, `image(\"uri\")` or `inline(\"\"\"…\"\"\")`"),
    }
}
