//! Top-level declarations other than functions and alarms: resources (queue, topic,
//! bucket, table, stream, api, created or existing), the app and outputs (parameters:
//! `params`).

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::model::{
    App, BucketSpec, CodeSource, Cors, DeployStr, KeyType, Kind, LayerSpec, Origin, Output,
    QueueSpec, Resource, ResourceOptions, Spec, StreamSpec, TableSpec, TopicSpec, S,
};
use crate::schema::{self, ARCHITECTURES, KEY_TYPES, METHODS, STREAM_VIEWS};
use crate::syntax::ast::{AppDecl, ExistingDecl, Expr, ExprKind, OutputDecl, ResourceDecl};
use std::collections::BTreeMap;

use super::attrs::{Field, Fields};
use super::cx::Cx;
use super::required::{Missing, Owner, Required};
use super::scope::ResDecl;

impl<'a> Cx<'a> {
    /// E0105 when the resource `r` does not write `key`, the one attribute it cannot do
    /// without (a table's `key`, a layer's `code`, a capacity provider's `subnets`).
    pub(super) fn require(
        &mut self,
        f: &Fields<'a>,
        r: &ResourceDecl,
        owner: Owner,
        key: &'static str,
        example: String,
    ) {
        if f.written(key) {
            return;
        }
        let missing = Missing {
            owner,
            name: &r.name.name,
            span: r.name.span,
            keys: vec![Required { key, example }],
        };
        if let Some(d) = missing.diagnostic() {
            self.report(d);
        }
    }

    pub fn lower_resource(&mut self, kind: Kind, decl: ResDecl<'a>) -> Option<Resource> {
        self.start_declaration();
        let name = decl.name();
        let (origin, options) = match decl {
            ResDecl::Existing(e) if kind == Kind::Auth => {
                self.report(existing_authorizer(e));
                return None;
            }
            ResDecl::Existing(e) => (
                Origin::Existing {
                    arn: self.deploy_str(&e.arn, "ARN")?,
                },
                ResourceOptions::default(),
            ),
            ResDecl::Created(r) if kind.existing_only() => {
                self.report(existing_only(kind, r));
                return None;
            }
            ResDecl::Created(r) => {
                let block = schema::resource(kind)?.block;
                let f = self.block_fields(&r.block, Some(block.attrs), block.owner);
                // The options first: a spec that fails (a table without `key`) still had
                // its other attributes read, so each of their mistakes is reported once.
                let options = self.options(&f);
                (Origin::Created(self.spec(kind, r, &f)?), options)
            }
        };
        Some(Resource {
            kind,
            name: name.name.clone(),
            name_span: name.span,
            span: decl.span(),
            origin,
            options,
        })
    }

    /// `name`, `retain`, `kms` and `tags`: whichever of them the kind's block allows (the
    /// others were refused with E0103 and are not in `f`).
    fn options(&mut self, f: &Fields<'a>) -> ResourceOptions {
        ResourceOptions {
            name: self
                .get_expr(f, "name")
                .and_then(|e| self.deploy_str(e, "name")),
            retain: self
                .get_expr(f, "retain")
                .and_then(|e| self.boolean(e, "retain")),
            kms: self
                .get_expr(f, "kms")
                .and_then(|e| self.deploy_str(e, "kms")),
            tags: self.tag_map(f),
        }
    }

    /// `tags = { … }` of a resource or the app.
    fn tag_map(&mut self, f: &Fields<'a>) -> BTreeMap<String, S<DeployStr>> {
        match f.get("tags") {
            Some(t) => match self.nested(t, None, "`tags`") {
                Some(t) => self.tags(&t),
                None => Default::default(),
            },
            None => Default::default(),
        }
    }

    fn spec(&mut self, kind: Kind, r: &'a ResourceDecl, f: &Fields<'a>) -> Option<Spec> {
        Some(match kind {
            Kind::Queue => Spec::Queue(self.queue_spec(f)),
            Kind::Topic => Spec::Topic(self.topic_spec(f)),
            Kind::Bucket => Spec::Bucket(self.bucket_spec(f)),
            Kind::Table => Spec::Table(self.table_spec(r, f)?),
            Kind::Stream => Spec::Stream(self.stream_spec(f)),
            Kind::Api => Spec::Api(self.api_spec(f)),
            Kind::Auth => Spec::Auth(self.auth_spec(r, f)?),
            Kind::Bus => Spec::Bus,
            Kind::Layer => Spec::Layer(Box::new(self.layer(f, r)?)),
            Kind::Capacity => Spec::Capacity(Box::new(self.capacity_spec(f, r)?)),
            // Functions are lowered elsewhere; the existing-only kinds have no spec (E0205).
            Kind::Function
            | Kind::Secret
            | Kind::Parameter
            | Kind::Key
            | Kind::Resource
            | Kind::Cluster => return None,
        })
    }

    /// A queue's attributes.
    fn queue_spec(&mut self, f: &Fields<'a>) -> QueueSpec {
        QueueSpec {
            fifo: self
                .get_expr(f, "fifo")
                .and_then(|e| self.boolean(e, "fifo")),
            visibility: self
                .get_expr(f, "visibility")
                .and_then(|e| self.seconds(e, "visibility")),
            retention: self
                .get_expr(f, "retention")
                .and_then(|e| self.seconds(e, "retention")),
            delay: self
                .get_expr(f, "delay")
                .and_then(|e| self.seconds(e, "delay")),
            dead_letter: self
                .get_expr(f, "dead_letter")
                .and_then(|e| self.reference(e, "dead_letter", &[Kind::Queue])),
            max_receives: self
                .get_expr(f, "max_receives")
                .and_then(|e| self.count(e, "max_receives")),
        }
    }

    /// A topic's attributes.
    fn topic_spec(&mut self, f: &Fields<'a>) -> TopicSpec {
        TopicSpec {
            fifo: self
                .get_expr(f, "fifo")
                .and_then(|e| self.boolean(e, "fifo")),
            email: self
                .get_expr(f, "email")
                .map(|e| self.strings(e, "email"))
                .unwrap_or_default(),
            https: self
                .get_expr(f, "https")
                .map(|e| self.strings(e, "https"))
                .unwrap_or_default(),
        }
    }

    /// A bucket's attributes.
    fn bucket_spec(&mut self, f: &Fields<'a>) -> BucketSpec {
        BucketSpec {
            versioning: self
                .get_expr(f, "versioning")
                .and_then(|e| self.boolean(e, "versioning")),
            expire_days: self
                .get_expr(f, "expire")
                .and_then(|e| self.days(e, "expire")),
        }
    }

    /// A Kinesis stream's attributes.
    fn stream_spec(&mut self, f: &Fields<'a>) -> StreamSpec {
        StreamSpec {
            shards: self
                .get_expr(f, "shards")
                .and_then(|e| self.count(e, "shards")),
            on_demand: self
                .get_expr(f, "on_demand")
                .and_then(|e| self.boolean(e, "on_demand")),
            retention_hours: self
                .get_expr(f, "retention")
                .and_then(|e| self.hours(e, "retention")),
        }
    }

    /// A table: `key` is required (E0105 when it is missing, not when it was misspelt or
    /// could not be read, which was reported already).
    fn table_spec(&mut self, r: &'a ResourceDecl, f: &Fields<'a>) -> Option<TableSpec> {
        let key = self.key_schema(f, "key");
        let sort = self.key_schema(f, "sort");
        let stream = self
            .get_expr(f, "stream")
            .and_then(|e| self.symbol(e, "stream view", STREAM_VIEWS));
        let ttl = self
            .get_expr(f, "ttl")
            .and_then(|e| self.deploy_str(e, "ttl"));
        let pitr = self
            .get_expr(f, "pitr")
            .and_then(|e| self.boolean(e, "pitr"));
        let key = match key {
            Some(k) => k,
            None => {
                self.require(f, r, Owner::Table, "key", "key = { id = string }".into());
                return None;
            }
        };
        Some(TableSpec {
            key,
            sort,
            stream,
            ttl,
            pitr,
        })
    }

    /// `layer NAME { code, runtimes, architectures, description, license }`.
    fn layer(&mut self, f: &Fields<'a>, r: &'a ResourceDecl) -> Option<LayerSpec> {
        let code = self.get_expr(f, "code").and_then(|e| self.layer_code(e));
        let example = format!("code = \"layers/{}\"", r.name.name);
        self.require(f, r, Owner::Layer, "code", example);
        let runtimes = match self.get_expr(f, "runtimes") {
            Some(e) => self
                .items(e)
                .into_iter()
                .filter_map(|i| self.symbol_text(i, "runtime"))
                .collect(),
            None => Vec::new(),
        };
        let architectures = match self.get_expr(f, "architectures") {
            Some(e) => self
                .items(e)
                .into_iter()
                .filter_map(|i| self.symbol(i, "architecture", ARCHITECTURES))
                .collect(),
            None => Vec::new(),
        };
        Some(LayerSpec {
            code,
            runtimes,
            architectures,
            description: self
                .get_expr(f, "description")
                .and_then(|e| self.deploy_str(e, "description")),
            license: self
                .get_expr(f, "license")
                .and_then(|e| self.deploy_str(e, "license")),
        })
    }

    /// A layer's content: a local folder (or a prebuilt zip) or `s3(…)`; an image or
    /// inline code is a function's, never a layer's (E0448).
    fn layer_code(&mut self, e: &'a Expr) -> Option<S<CodeSource>> {
        let code = self.code(e)?;
        match code.value {
            CodeSource::Local { .. } | CodeSource::S3 { .. } => Some(code),
            CodeSource::Image(_) | CodeSource::Inline(_) => {
                self.report(
                    Diagnostic::new(Code::E0448, code.span, "a layer's code is a folder or an S3 object")
                        .label("only functions take an image or inline code")
                        .help("write code = \"layers/NAME\" (a folder zipped by lamc) or s3(\"bucket\", \"key\")"),
                );
                None
            }
        }
    }

    /// The items of a list value, or the value itself as a list of one.
    fn items(&mut self, e: &'a Expr) -> Vec<&'a Expr> {
        match self.subst(e) {
            Some(Expr {
                kind: ExprKind::List(items),
                ..
            }) => items.iter().collect(),
            Some(_) => vec![e],
            None => Vec::new(),
        }
    }

    /// `key = { id = string }`: exactly one attribute name and its type.
    fn key_schema(&mut self, f: &Fields<'a>, key: &str) -> Option<S<(String, KeyType)>> {
        let field = f.get(key)?;
        let span = field.val.span();
        let inner = self.nested(field, None, &format!("`{key}`"))?;
        let mut items = inner.order.iter();
        let (Some(first), None) = (items.next(), items.next()) else {
            self.report(
                Diagnostic::new(
                    Code::E0301,
                    span,
                    format!("`{key}` must name exactly one attribute"),
                )
                .label(format!("{} attributes here", inner.order.len()))
                .help(format!("write `{key} = {{ id = string }}`")),
            );
            return None;
        };
        let e = self.expr_of(*first)?;
        let ty = self.symbol(e, "key type", KEY_TYPES)?;
        Some(S::new((first.key.name.clone(), ty.value), span))
    }

    pub fn cors(&mut self, field: Field<'a>) -> Option<Cors> {
        let span = field.val.span();
        let f = self.nested(field, Some(schema::CORS), "`cors`")?;
        Some(Cors {
            origins: self
                .get_expr(&f, "origins")
                .map(|e| self.deploy_strs(e, "origins"))
                .unwrap_or_default(),
            methods: self
                .get_expr(&f, "methods")
                .map(|e| self.methods(e))
                .unwrap_or_default(),
            headers: self
                .get_expr(&f, "headers")
                .map(|e| self.deploy_strs(e, "headers"))
                .unwrap_or_default(),
            max_age: self
                .get_expr(&f, "max_age")
                .and_then(|e| self.seconds(e, "max_age")),
            span,
        })
    }

    /// CORS methods: strings, or bare names as `events = [created]` takes them
    /// (`methods = [GET, POST]`, as YAML writes them).
    fn methods(&mut self, e: &'a Expr) -> Vec<S<String>> {
        let Some(e) = self.subst_symbol(e) else {
            return Vec::new();
        };
        let items: Vec<&'a Expr> = match &e.kind {
            ExprKind::List(items) => items.iter().collect(),
            _ => vec![e],
        };
        items
            .into_iter()
            .filter_map(|item| match &self.subst_symbol(item)?.kind {
                ExprKind::Path(p) if p.segments.len() == 1 => self.method_name(&p.text(), item),
                _ => self.string(item, "methods"),
            })
            .collect()
    }

    /// A bare method name: one of HTTP's (`ANY` is a route's, not CORS's).
    fn method_name(&mut self, name: &str, e: &Expr) -> Option<S<String>> {
        let methods: Vec<&str> = METHODS.iter().copied().filter(|m| *m != "ANY").collect();
        if methods.contains(&name) {
            return Some(S::new(name.to_string(), e.span));
        }
        let upper = name.to_ascii_uppercase();
        let near = if methods.contains(&upper.as_str()) {
            methods.iter().copied().find(|m| *m == upper)
        } else {
            did_you_mean(name, methods.iter().copied())
        };
        let d = Diagnostic::new(Code::E0302, e.span, format!("unknown http method `{name}`"))
            .label("not an http method");
        self.report(match near {
            Some(m) => d
                .help(format!(
                    "did you mean `{m}`? (methods: {})",
                    methods.join(", ")
                ))
                .fix(format!("replace with `{m}`"), e.span, m),
            None => d.help(format!("methods are: {}", methods.join(", "))),
        });
        None
    }

    pub fn lower_app(&mut self, a: &'a AppDecl) -> App {
        self.start_declaration();
        let f = self.block_fields(&a.block, Some(schema::APP.attrs), schema::APP.owner);
        let description = self
            .get_expr(&f, "description")
            .and_then(|e| self.string(e, "description"));
        let tags = self.tag_map(&f);
        App {
            name: S::new(a.name.name.clone(), a.name.span),
            description,
            tags,
        }
    }

    pub fn lower_output(&mut self, o: &'a OutputDecl) -> Option<Output> {
        let value = self.output_value(&o.value)?;
        Some(Output {
            name: S::new(o.name.name.clone(), o.name.span),
            value,
            description: None,
            span: o.span,
        })
    }
}

/// E0205: `secret db { … }`: lamc creates no secrets, parameters, keys or other
/// resources of those kinds; they can only be named by their ARN.
fn existing_only(kind: Kind, r: &ResourceDecl) -> Diagnostic {
    let word = kind.as_str();
    let name = &r.name.name;
    Diagnostic::new(
        Code::E0205,
        r.block.span,
        format!("a {word} can only be an existing one"),
    )
    .label(format!("lamc does not create {word}s"))
    .help(format!(
        "name it by its ARN: `{word} {name} from \"{}\"`",
        crate::check::rules::existing_example(kind)
    ))
}

/// E0108: an authorizer belongs to the APIs of this stack; it cannot be an existing one.
fn existing_authorizer(e: &ExistingDecl) -> Diagnostic {
    Diagnostic::new(
        Code::E0108,
        e.arn.span,
        format!("authorizer `{}` cannot come `from` an ARN", e.name.name),
    )
    .label("an authorizer is declared with `jwt { … }` or `function`")
    .help(super::api::authorizer_forms(&e.name.name))
}
