//! The resolved, typed program: what `check` proves and `plan` lowers to CloudFormation.
//!
//! Everything here is already resolved: templates and `defaults` are merged into each
//! function, `let` constants are substituted, references point at declarations that exist
//! and have the right kind, and quantities are converted to the unit CloudFormation uses.
//! Values keep the span where they were written (possibly in a template, in `defaults`, or
//! in another file) so that limit rules can point at them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::source::Span;
use crate::syntax::ast::CmpOp;

/// A value and where it was written.
#[derive(Clone, PartialEq)]
pub struct S<T> {
    pub value: T,
    pub span: Span,
}

/// The value alone, or `value @ span` pretty-printed (`{:#?}`): a model holds thousands of
/// these, and [`crate::plan::bounds`] measures each function's compact Debug form, where
/// the spans were a third of the text and most of the work.
impl<T: std::fmt::Debug> std::fmt::Debug for S<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)?;
        if f.alternate() {
            write!(f, " @ {:?}", self.span)?;
        }
        Ok(())
    }
}

impl<T> S<T> {
    pub fn new(value: T, span: Span) -> Self {
        S { value, span }
    }

    /// The value converted, at the same place.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> S<U> {
        S::new(f(self.value), self.span)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    pub app: Option<App>,
    pub params: Vec<Param>,
    /// Resources in declaration order (created and existing), every kind but functions.
    pub resources: Vec<Resource>,
    pub functions: Vec<Function>,
    /// Stack-level alarms (`alarm NAME { … }` and `alarm METRIC OP …` at top level).
    pub alarms: Vec<Alarm>,
    pub outputs: Vec<Output>,
}

impl Model {
    pub fn resource(&self, r: &ResRef) -> Option<&Resource> {
        self.resources
            .iter()
            .find(|x| x.kind == r.kind && x.name == r.name)
    }

    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name.value == name)
    }

    /// Where a problem of the whole app is reported: the `app` name, else the first
    /// function.
    pub fn app_span(&self) -> Span {
        self.app
            .as_ref()
            .map(|a| a.name.span)
            .or_else(|| self.functions.first().map(|f| f.span))
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct App {
    pub name: S<String>,
    pub description: Option<S<String>>,
    pub tags: BTreeMap<String, S<DeployStr>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamType {
    String,
    Number,
    List,
    Subnets,
    SecurityGroups,
}

impl ParamType {
    /// The type's word in a `.lam` file (`subnets`), from the schema.
    pub fn word(self) -> &'static str {
        crate::schema::PARAM_TYPE_WORDS
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("string", |(w, _)| w)
    }

    /// The parameter type CloudFormation knows it by (`List<AWS::EC2::Subnet::Id>`).
    pub fn cfn(self) -> &'static str {
        crate::schema::PARAM_TYPES
            .0
            .iter()
            .find(|w| w.word == self.word())
            .map_or("String", |w| w.cfn)
    }

    /// A list in CloudFormation: its `Ref` is a list of strings, not a string.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            ParamType::List | ParamType::Subnets | ParamType::SecurityGroups
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: S<String>,
    pub ty: ParamType,
    /// Text form of the default (numbers as written, e.g. `"5"`).
    pub default: Option<S<String>>,
    pub allowed: Vec<S<String>>,
    pub description: Option<String>,
    /// `secret = true`: CloudFormation masks the value (`NoEcho`).
    pub secret: Option<S<bool>>,
    pub span: Span,
}

/// The kinds a reference can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Queue,
    Topic,
    Bucket,
    Table,
    Stream,
    Api,
    /// An EventBridge event bus.
    Bus,
    /// A Lambda layer version.
    Layer,
    /// A Lambda Managed Instances capacity provider.
    Capacity,
    /// An HTTP API authorizer (`auth NAME { … }`).
    Auth,
    Function,
    /// `secret NAME from "arn:aws:secretsmanager:…"`: an existing Secrets Manager secret.
    Secret,
    /// `parameter NAME from "arn:aws:ssm:…:parameter/…"`: an existing SSM parameter.
    Parameter,
    /// `key NAME from "arn:aws:kms:…"`: an existing KMS key (or alias).
    Key,
    /// `resource NAME from "arn:…"`: an existing resource of any service.
    Resource,
    /// `cluster NAME from "arn:aws:kafka:…:cluster/NAME/UUID"`: an existing Amazon MSK
    /// cluster.
    Cluster,
}

impl Kind {
    /// Kinds that only name existing resources (`KIND NAME from "arn…"`): lamc never
    /// creates one.
    pub fn existing_only(self) -> bool {
        matches!(
            self,
            Kind::Secret | Kind::Parameter | Kind::Key | Kind::Resource | Kind::Cluster
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Queue => "queue",
            Kind::Topic => "topic",
            Kind::Bucket => "bucket",
            Kind::Table => "table",
            Kind::Stream => "stream",
            Kind::Api => "api",
            Kind::Bus => "bus",
            Kind::Layer => "layer",
            Kind::Capacity => "capacity",
            Kind::Auth => "auth",
            Kind::Function => "function",
            Kind::Secret => "secret",
            Kind::Parameter => "parameter",
            Kind::Key => "key",
            Kind::Resource => "resource",
            Kind::Cluster => "cluster",
        }
    }

    /// Whether it has an ARN of its own that a policy can name (an authorizer is part of
    /// its API and has none).
    pub fn has_arn(self) -> bool {
        self != Kind::Auth
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "queue" => Kind::Queue,
            "topic" => Kind::Topic,
            "bucket" => Kind::Bucket,
            "table" => Kind::Table,
            "stream" => Kind::Stream,
            "api" => Kind::Api,
            "bus" => Kind::Bus,
            "layer" => Kind::Layer,
            "capacity" => Kind::Capacity,
            "auth" => Kind::Auth,
            "function" => Kind::Function,
            "secret" => Kind::Secret,
            "parameter" => Kind::Parameter,
            "key" => Kind::Key,
            "resource" => Kind::Resource,
            "cluster" => Kind::Cluster,
            _ => return None,
        })
    }
}

/// A resolved reference to a declaration: `queue.orders` → `{ Queue, "orders" }`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResRef {
    pub kind: Kind,
    pub name: String,
}

impl std::fmt::Display for ResRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.kind.as_str(), self.name)
    }
}

/// An attribute of a declaration usable in expressions (`bucket.thumbs.name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attr {
    Name,
    Arn,
    Url,
    Id,
    StreamArn,
    /// A function's execution role's ARN.
    Role,
}

impl Attr {
    pub fn as_str(self) -> &'static str {
        match self {
            Attr::Name => "name",
            Attr::Arn => "arn",
            Attr::Url => "url",
            Attr::Id => "id",
            Attr::StreamArn => "stream_arn",
            Attr::Role => "role",
        }
    }
}

/// A value that ends up in the template: environment variables, outputs, schedule input,
/// SNS filter policies, tags.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    /// A number, as its exact decimal text (`"42"`, `"0.5"`).
    Number(String),
    Bool(bool),
    List(Vec<Value>),
    /// Keys in source order.
    Map(Vec<(String, Value)>),
    /// `bucket.thumbs.name` → Ref / GetAtt.
    Attr {
        target: ResRef,
        attr: Attr,
    },
    /// `param.stage` → Ref.
    Param(String),
    /// `aws.region` → Ref of the pseudo-parameter.
    Pseudo(Pseudo),
    /// An interpolated string `"${param.stage}-x"`: parts, each a `Str`, `Attr`, `Param` or
    /// `Pseudo`.
    Concat(Vec<Value>),
}

/// A pseudo-parameter: a value CloudFormation knows when it deploys the stack, written
/// `aws.NAME` (`aws.region`, `"${aws.account_id}"`) (CFN-PS-LIST, docs/aws-facts.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pseudo {
    Region,
    AccountId,
    StackName,
    Partition,
    UrlSuffix,
}

impl Pseudo {
    /// Every pseudo-parameter, by the name written after `aws.`.
    pub const ALL: &'static [(&'static str, Pseudo)] = &[
        ("region", Pseudo::Region),
        ("account_id", Pseudo::AccountId),
        ("stack_name", Pseudo::StackName),
        ("partition", Pseudo::Partition),
        ("url_suffix", Pseudo::UrlSuffix),
    ];

    pub fn parse(name: &str) -> Option<Pseudo> {
        Pseudo::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p)
    }

    /// The name written after `aws.`.
    pub fn as_str(self) -> &'static str {
        Pseudo::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("", |(n, _)| n)
    }

    /// The pseudo-parameter CloudFormation calls `name` (`AWS::Region`).
    pub fn from_cfn_name(name: &str) -> Option<Pseudo> {
        Pseudo::ALL
            .iter()
            .map(|(_, p)| *p)
            .find(|p| p.cfn_name() == name)
    }

    /// CloudFormation's name for it (the target of its `Ref`).
    pub fn cfn_name(self) -> &'static str {
        match self {
            Pseudo::Region => "AWS::Region",
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }

    /// A value of its shape, so that the known text around it can be checked: none of them
    /// contains `:` or `/`, as no real value does (stack names are letters, digits and `-`).
    pub fn sample(self) -> &'static str {
        match self {
            Pseudo::Region => "us-east-1",
            Pseudo::AccountId => "123456789012",
            Pseudo::StackName => "stack",
            Pseudo::Partition => "aws",
            Pseudo::UrlSuffix => "amazonaws.com",
        }
    }
}

/// A string CloudFormation may only know at deploy time: literal text, or a parameter,
/// pseudo-parameter or attribute, alone or interpolated (`"${param.stage}-orders"`). Checks
/// read its known parts; the planner writes it as text, a `Ref` or a `Fn::Join`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployStr(Value);

impl DeployStr {
    pub fn literal(text: impl Into<String>) -> Self {
        DeployStr(Value::Str(text.into()))
    }

    /// A string value; `None` for numbers, booleans, lists and maps.
    pub fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Str(_)
            | Value::Param(_)
            | Value::Pseudo(_)
            | Value::Attr { .. }
            | Value::Concat(_) => Some(DeployStr(v)),
            Value::Number(_) | Value::Bool(_) | Value::List(_) | Value::Map(_) => None,
        }
    }

    pub fn value(&self) -> &Value {
        &self.0
    }

    /// The text, when it is all known at compile time.
    pub fn as_literal(&self) -> Option<&str> {
        match &self.0 {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Literal text, parameters, pseudo-parameters and attributes, in order.
    pub fn parts(&self) -> &[Value] {
        match &self.0 {
            Value::Concat(parts) => parts,
            one => std::slice::from_ref(one),
        }
    }

    /// Whether a parameter or an attribute is part of it: text that can be anything.
    pub fn has_unknown_text(&self) -> bool {
        self.parts()
            .iter()
            .any(|p| matches!(p, Value::Param(_) | Value::Attr { .. }))
    }

    /// The text up to the first parameter or attribute, with each pseudo-parameter replaced
    /// by a value of its shape ([`Pseudo::sample`]); and whether that is the whole text.
    pub fn known_prefix(&self) -> (String, bool) {
        let mut out = String::new();
        for p in self.parts() {
            match p {
                Value::Str(t) => out.push_str(t),
                Value::Pseudo(p) => out.push_str(p.sample()),
                _ => return (out, false),
            }
        }
        (out, true)
    }

    /// The characters certainly in it (its literal text), for lower bounds on its length.
    pub fn known_chars(&self) -> usize {
        self.parts()
            .iter()
            .map(|p| match p {
                Value::Str(t) => t.chars().count(),
                _ => 0,
            })
            .sum()
    }

    /// The literal text of every part, each pseudo-parameter as a value of its shape and
    /// parameters and attributes left out: the characters it certainly has.
    pub fn known_text(&self) -> String {
        self.parts()
            .iter()
            .map(|p| match p {
                Value::Str(t) => t.as_str(),
                Value::Pseudo(p) => p.sample(),
                _ => "",
            })
            .collect()
    }

    /// Whether it certainly ends with `suffix` (its last part is literal text ending so).
    pub fn ends_with(&self, suffix: &str) -> bool {
        matches!(self.parts().last(), Some(Value::Str(t)) if t.ends_with(suffix))
    }

    /// Whether literal text of it contains `needle`.
    pub fn contains(&self, needle: &str) -> bool {
        self.parts()
            .iter()
            .any(|p| matches!(p, Value::Str(t) if t.contains(needle)))
    }
}

impl From<&str> for DeployStr {
    fn from(text: &str) -> Self {
        DeployStr::literal(text)
    }
}

impl From<String> for DeployStr {
    fn from(text: String) -> Self {
        DeployStr::literal(text)
    }
}

/// As written in lamc: `arn:aws:sqs:${aws.region}:${param.account}:jobs`.
impl std::fmt::Display for DeployStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in self.parts() {
            match p {
                Value::Str(t) => f.write_str(t)?,
                Value::Param(name) => write!(f, "${{param.{name}}}")?,
                Value::Pseudo(p) => write!(f, "${{aws.{}}}", p.as_str())?,
                Value::Attr { target, attr } => write!(f, "${{{target}.{}}}", attr.as_str())?,
                _ => {}
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Resources other than functions
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub kind: Kind,
    pub name: String,
    /// The name as declared.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    pub origin: Origin,
    /// What a created resource says of itself besides its kind's settings.
    pub options: ResourceOptions,
}

/// The attributes every created resource kind may take (language.md §5): its physical
/// name, whether CloudFormation keeps it, the KMS key that encrypts it and its own tags.
/// Which kinds take which is the schema's (`src/schema/resources.rs`); the checker reads
/// only what the kind's block allows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceOptions {
    /// `name = "…"`: the physical name (`QueueName`, `BucketName`, …), text or deploy-time
    /// values.
    pub name: Option<S<DeployStr>>,
    /// `retain = true`: `DeletionPolicy` and `UpdateReplacePolicy` are `Retain`.
    pub retain: Option<S<bool>>,
    /// `kms = "alias/…"`: the KMS key (key ID, key ARN, alias name or alias ARN).
    pub kms: Option<S<DeployStr>>,
    /// `tags = { … }`: the resource's tags, merged over the app's (its own win).
    pub tags: BTreeMap<String, S<DeployStr>>,
}

impl ResourceOptions {
    /// Whether CloudFormation keeps the resource when it is deleted or replaced.
    pub fn retains(&self) -> bool {
        self.retain.as_ref().is_some_and(|r| r.value)
    }
}

impl Resource {
    pub fn res_ref(&self) -> ResRef {
        ResRef {
            kind: self.kind,
            name: self.name.clone(),
        }
    }

    pub fn is_existing(&self) -> bool {
        matches!(self.origin, Origin::Existing { .. })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Created by this stack.
    Created(Spec),
    /// `queue x from "arn:…"`: referenced, not created.
    Existing { arn: S<DeployStr> },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    Queue(QueueSpec),
    Topic(TopicSpec),
    Bucket(BucketSpec),
    Table(TableSpec),
    Stream(StreamSpec),
    Api(ApiSpec),
    /// `bus NAME {}`: an EventBridge event bus (it has no settings of its own yet).
    Bus,
    /// Boxed: a layer's code source makes it the largest spec by far.
    Layer(Box<LayerSpec>),
    /// `capacity NAME { … }`: a Lambda Managed Instances capacity provider.
    Capacity(Box<CapacitySpec>),
    Auth(AuthSpec),
}

/// `capacity NAME { subnets, security_groups, architecture, max_vcpus }` → an
/// `AWS::Lambda::CapacityProvider` and the operator role Lambda manages its instances with.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacitySpec {
    /// `subnets` and `security_groups`, read as a function's `vpc` block is (LMI-05).
    pub vpc: Vpc,
    /// The instances' one architecture (`InstanceRequirements.Architectures`); a function
    /// on the provider must use the same (LMI-06, E0115). Lambda's default is x86_64.
    pub architecture: Option<S<Architecture>>,
    /// `CapacityProviderScalingConfig.MaxVCpuCount` (LMI-05).
    pub max_vcpus: Option<S<u64>>,
}

/// `layer NAME { … }`: a layer version built from a local folder (zipped and hashed like
/// a function's code). Runtimes and architectures are optional: when absent, functions are
/// not checked against them and the properties are not emitted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayerSpec {
    /// The folder (or file), resolved against the declaring file's directory, as written.
    pub code: Option<S<CodeSource>>,
    pub runtimes: Vec<S<String>>,
    pub architectures: Vec<S<Architecture>>,
    pub description: Option<S<DeployStr>>,
    pub license: Option<S<DeployStr>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueueSpec {
    pub fifo: Option<S<bool>>,
    /// Seconds (SQS-01).
    pub visibility: Option<S<u64>>,
    /// Seconds (SQS-02).
    pub retention: Option<S<u64>>,
    /// Seconds (SQS-03).
    pub delay: Option<S<u64>>,
    /// The dead-letter queue (`dead_letter = queue.X`).
    pub dead_letter: Option<S<ResRef>>,
    /// `maxReceiveCount` (SQS-10); the default 5 applies when `dead_letter` is set.
    pub max_receives: Option<S<u64>>,
}

impl QueueSpec {
    pub fn is_fifo(&self) -> bool {
        self.fifo.as_ref().is_some_and(|f| f.value)
    }

    /// Visibility timeout in seconds, with SQS's default of 30 s.
    pub fn visibility_seconds(&self) -> u64 {
        self.visibility.as_ref().map_or(30, |v| v.value)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TopicSpec {
    pub fifo: Option<S<bool>>,
    pub email: Vec<S<String>>,
    pub https: Vec<S<String>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BucketSpec {
    pub versioning: Option<S<bool>>,
    /// Days after which objects expire.
    pub expire_days: Option<S<u64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    String,
    Number,
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamView {
    NewAndOld,
    New,
    Old,
    Keys,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    pub key: S<(String, KeyType)>,
    pub sort: Option<S<(String, KeyType)>>,
    pub stream: Option<S<StreamView>>,
    pub ttl: Option<S<DeployStr>>,
    /// `pitr = true`: point-in-time recovery.
    pub pitr: Option<S<bool>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamSpec {
    pub shards: Option<S<u64>>,
    pub on_demand: Option<S<bool>>,
    /// Hours (KIN-02).
    pub retention_hours: Option<S<u64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Iam,
    None,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cors {
    pub origins: Vec<S<DeployStr>>,
    pub methods: Vec<S<String>>,
    pub headers: Vec<S<DeployStr>>,
    /// Seconds.
    pub max_age: Option<S<u64>>,
    pub span: Span,
}

/// Who may call an HTTP route: `iam`, `none` or an authorizer (`auth.NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteAuth {
    Iam,
    None,
    /// The name of an `auth` declaration.
    Authorizer(String),
}

impl From<Auth> for RouteAuth {
    fn from(a: Auth) -> Self {
        match a {
            Auth::Iam => RouteAuth::Iam,
            Auth::None => RouteAuth::None,
        }
    }
}

/// HTTP API payload format version (`payload = v1 | v2`, AG-10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    V1,
    V2,
}

/// `domain = { name, certificate }`: a custom domain mapped to the API's stage.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiDomain {
    pub name: S<DeployStr>,
    /// The ACM certificate's ARN.
    pub certificate: S<DeployStr>,
    pub span: Span,
}

/// `throttle = { rate, burst }`: the stage's default route throttling.
#[derive(Debug, Clone, PartialEq)]
pub struct Throttle {
    /// Requests per second, steady state.
    pub rate: Option<S<u64>>,
    /// Requests at once.
    pub burst: Option<S<u64>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApiSpec {
    /// Boxed, as `domain` and `throttle`: `Spec` stays small without them.
    pub cors: Option<Box<Cors>>,
    pub auth: Option<S<RouteAuth>>,
    /// `public = true`: routes without authorization are intended (silences W0522).
    pub public: Option<S<bool>>,
    /// True for the implicit `api.default` created for `on http` without `via`.
    pub implicit: bool,
    pub payload: Option<S<Payload>>,
    pub domain: Option<Box<ApiDomain>>,
    pub throttle: Option<Box<Throttle>>,
    /// `access_log = true`: a log group for the stage's access logs.
    pub access_log: Option<S<bool>>,
}

/// `auth NAME { … }`: how an authorizer decides, a JWT issuer or a function.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthSpec {
    /// `jwt { issuer, audience }`.
    Jwt {
        issuer: S<DeployStr>,
        audience: Vec<S<DeployStr>>,
    },
    /// `function = function.X, cache, identity`: a Lambda (REQUEST) authorizer.
    Function {
        function: S<ResRef>,
        /// Seconds a result is cached (HAPI-01); 0 (no caching) when unset.
        cache: Option<S<u64>>,
        /// Identity sources (`$request.header.Authorization`, HAPI-03); deploy-time values
        /// are allowed (a list parameter stands for all of them).
        identity: Vec<S<DeployStr>>,
        /// Some `identity` item could not be read: rules draw no conclusion from the list.
        identity_unread: bool,
    },
}

// ---------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    X86_64,
    Arm64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracing {
    Active,
    PassThrough,
}

/// What Lambda does when it detects the function in a recursive loop (RL-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recursion {
    Terminate,
    Allow,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CodeSource {
    /// A local folder (or file), zipped by lamc. `path` is resolved against the declaring
    /// file's directory; `written` is the string as written.
    Local { path: PathBuf, written: String },
    /// `s3("bucket", "key")`
    S3 { bucket: DeployStr, key: DeployStr },
    /// `image("uri")`
    Image(DeployStr),
    /// `inline("""…""")`
    Inline(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: S<String>,
    /// The whole declaration.
    pub span: Span,
    /// Templates this function extends, transitively, in precedence order.
    pub templates: Vec<S<String>>,
    /// The runtime id as written (`python3.12`); validated by the runtime rules.
    pub runtime: Option<S<String>>,
    pub handler: Option<S<String>>,
    pub code: Option<S<CodeSource>>,
    /// MB; `None` = Lambda's default 128.
    pub memory: Option<S<u64>>,
    /// Seconds; `None` = Lambda's default 3.
    pub timeout: Option<S<u64>>,
    pub architecture: Option<S<Architecture>>,
    /// Explicit `FunctionName`.
    pub function_name: Option<S<DeployStr>>,
    pub layers: Vec<S<DeployStr>>,
    /// The attributes of a simple type (those with a [`crate::schema::Attr::cfn`] path and
    /// the planner's switches such as `publish`), by key; read through the accessors below.
    pub settings: BTreeMap<&'static str, S<Setting>>,
    /// How long the function's log group keeps events; `None` = lamc's default
    /// ([`DEFAULT_LOG_RETENTION_DAYS`]).
    pub log_retention: Option<S<LogRetention>>,
    /// Key → value; the key span is in `env_key_spans`.
    pub env: BTreeMap<String, S<Value>>,
    pub env_key_spans: BTreeMap<String, Span>,
    pub tags: BTreeMap<String, S<DeployStr>>,
    pub allows: Vec<AllowRule>,
    pub concurrency: Option<Concurrency>,
    pub async_config: Option<AsyncConfig>,
    pub url: Option<UrlConfig>,
    pub logging: Option<Logging>,
    /// `vpc { … }`: the function's network interfaces.
    pub vpc: Option<Vpc>,
    /// `files { "/mnt/x" = "arn:…:access-point/fsap-…" }`, in source order.
    pub files: Vec<FileMount>,
    /// `durable { … }`: durable execution, invoked through the alias.
    pub durable: Option<Durable>,
    /// `capacity { provider, … }`: the function runs on Lambda Managed Instances.
    pub capacity: Option<Capacity>,
    pub runtime_updates: Option<S<RuntimeUpdates>>,
    /// `dead_letter = queue.X | topic.X` (FN-20).
    pub dead_letter: Option<S<ResRef>>,
    pub triggers: Vec<Trigger>,
    pub alarms: Vec<Alarm>,
    /// Attributes written in the function's body or what it inherits, readable or not
    /// (a misspelt key with a suggestion, a value of the wrong type): one that could not
    /// be read was reported where it was written, so it is not reported missing too.
    /// `on` when a trigger could not be read.
    pub written: BTreeSet<String>,
}

impl Function {
    /// Whether `key` was written, readable or not: when its slot is empty, its value is
    /// unknown rather than absent.
    pub fn was_written(&self, key: &str) -> bool {
        self.written.contains(key)
    }

    /// A function with nothing set: every attribute falls back to Lambda's default.
    pub fn new(name: S<String>, span: Span) -> Self {
        Function {
            name,
            span,
            templates: Vec::new(),
            runtime: None,
            handler: None,
            code: None,
            memory: None,
            timeout: None,
            architecture: None,
            function_name: None,
            layers: Vec::new(),
            settings: BTreeMap::new(),
            log_retention: None,
            env: BTreeMap::new(),
            env_key_spans: BTreeMap::new(),
            tags: BTreeMap::new(),
            allows: Vec::new(),
            concurrency: None,
            async_config: None,
            url: None,
            logging: None,
            vpc: None,
            files: Vec::new(),
            durable: None,
            capacity: None,
            runtime_updates: None,
            dead_letter: None,
            triggers: Vec::new(),
            alarms: Vec::new(),
            written: BTreeSet::new(),
        }
    }

    /// The setting `key` was given, when it was.
    pub fn setting(&self, key: &str) -> Option<&S<Setting>> {
        self.settings.get(key)
    }

    /// Set `key` as if written (for models built without source, as tests do).
    pub fn set(&mut self, key: &'static str, value: S<Setting>) {
        self.settings.insert(key, value);
    }

    /// A number setting (a count, a size in MB, a duration in seconds).
    pub fn number(&self, key: &str) -> Option<S<u64>> {
        match self.setting(key)? {
            S {
                value: Setting::Number(n),
                span,
            } => Some(S::new(*n, *span)),
            _ => None,
        }
    }

    /// A string setting.
    pub fn text(&self, key: &str) -> Option<S<&DeployStr>> {
        match self.setting(key)? {
            S {
                value: Setting::Text(t),
                span,
            } => Some(S::new(t, *span)),
            _ => None,
        }
    }

    /// A word setting, as its model value from the schema's `table` for it.
    pub fn word<T: Copy>(&self, key: &str, table: &[(&str, T)]) -> Option<S<T>> {
        match self.setting(key)? {
            S {
                value: Setting::Word(w),
                span,
            } => table
                .iter()
                .find(|(word, _)| *word == w.word)
                .map(|(_, v)| S::new(*v, *span)),
            _ => None,
        }
    }

    /// Ephemeral storage in MB, when set.
    pub fn storage(&self) -> Option<S<u64>> {
        self.number("storage")
    }

    pub fn description(&self) -> Option<S<&DeployStr>> {
        self.text("description")
    }

    pub fn tracing(&self) -> Option<S<Tracing>> {
        self.word("tracing", crate::schema::TRACING_MODES)
    }

    /// `recursion`, when set; Lambda's default is `terminate` (RL-01).
    pub fn recursion(&self) -> Option<S<Recursion>> {
        self.word("recursion", crate::schema::RECURSION_MODES)
    }

    /// The memory written, else Lambda's default: 128MB, or the least a function on
    /// Managed Instances may have (LMI-02).
    pub fn memory_mb(&self) -> u64 {
        let default = if self.capacity.is_some() {
            crate::schema::limits::LMI_MEMORY_MB.lo
        } else {
            128
        };
        self.memory.as_ref().map_or(default, |m| m.value)
    }

    pub fn timeout_seconds(&self) -> u64 {
        self.timeout.as_ref().map_or(3, |t| t.value)
    }

    /// The log group's retention in days; `None` when the logs are kept forever.
    pub fn log_retention_days(&self) -> Option<u64> {
        match self.log_retention.as_ref().map(|r| r.value) {
            None => Some(DEFAULT_LOG_RETENTION_DAYS),
            Some(LogRetention::Days(d)) => Some(d),
            Some(LogRetention::Never) => None,
        }
    }

    /// Whether this function has provisioned concurrency (on its alias).
    pub fn has_provisioned(&self) -> bool {
        self.concurrency
            .as_ref()
            .is_some_and(|c| c.provisioned.is_some())
    }

    /// A `true`/`false` setting, when set.
    pub fn flag(&self, key: &str) -> Option<S<bool>> {
        match self.setting(key)? {
            S {
                value: Setting::Bool(b),
                span,
            } => Some(S::new(*b, *span)),
            _ => None,
        }
    }

    /// What publishes a version and so makes the alias, where it is written: `publish =
    /// true`, `snap_start = true` (snapshots are taken of versions, SS-02), then
    /// provisioned concurrency (which lives on an alias, CC-05).
    pub fn publisher(&self) -> Option<(&'static str, Span)> {
        for key in ["publish", "snap_start"] {
            if let Some(p) = self.flag(key).filter(|p| p.value) {
                return Some((key, p.span));
            }
        }
        if let Some(d) = &self.durable {
            // Durable executions are invoked by a qualified ARN (a version or alias).
            return Some(("durable", d.span));
        }
        let prov = self.concurrency.as_ref()?.provisioned.as_ref()?;
        Some(("provisioned concurrency", prov.span))
    }

    /// Whether this function gets a version and its alias (every trigger, URL and async
    /// setting then goes through the alias).
    pub fn has_alias(&self) -> bool {
        self.publisher().is_some()
    }

    /// The alias's name: `alias = "…"` or `live`.
    pub fn alias_name(&self) -> &str {
        self.text("alias")
            .and_then(|t| t.value.as_literal())
            .unwrap_or(crate::schema::DEFAULT_ALIAS)
    }
}

/// The value of an attribute lowered by its type alone, in CloudFormation's unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// An enum word; the schema has its CloudFormation spelling.
    Word(&'static crate::schema::Word),
    /// A count, a size in MB or a duration in seconds.
    Number(u64),
    Bool(bool),
    Text(DeployStr),
}

/// Logs are kept this many days unless `log_retention` says otherwise: secure by default
/// (a retention is set), and one of the values CloudWatch Logs accepts (LOG-01).
pub const DEFAULT_LOG_RETENTION_DAYS: u64 = 30;

/// `log_retention = 14d` or `log_retention = never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogRetention {
    /// Days, validated against CloudWatch Logs' allowed values (LOG-01).
    Days(u64),
    /// Keep the logs forever (no `RetentionInDays`).
    Never,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AllowRule {
    pub actions: Vec<S<String>>,
    pub target: S<AllowTarget>,
    pub span: Span,
}

impl AllowRule {
    /// The declaration it is on, when it is on one (not on an ARN string).
    pub fn res_ref(&self) -> Option<&ResRef> {
        match &self.target.value {
            AllowTarget::Ref(r) => Some(r),
            AllowTarget::Arn(_) => None,
        }
    }
}

/// What `allow … on` names: a declaration, or an ARN written as a string.
#[derive(Debug, Clone, PartialEq)]
pub enum AllowTarget {
    Ref(ResRef),
    Arn(DeployStr),
}

impl std::fmt::Display for AllowTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AllowTarget::Ref(r) => r.fmt(f),
            AllowTarget::Arn(a) => write!(f, "\"{a}\""),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Provisioned {
    /// `provisioned = 5`
    Fixed(u64),
    /// `provisioned = 5..50 at 70%`: Application Auto Scaling between MIN and MAX,
    /// tracking `target_percent` utilisation.
    Auto {
        min: u64,
        max: u64,
        target_percent: f64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Concurrency {
    pub reserved: Option<S<u64>>,
    pub provisioned: Option<S<Provisioned>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AsyncConfig {
    pub retries: Option<S<u64>>,
    /// Seconds.
    pub max_age: Option<S<u64>>,
    pub on_success: Option<S<ResRef>>,
    pub on_failure: Option<S<ResRef>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UrlConfig {
    pub auth: S<Auth>,
    /// `stream = true`: the URL streams the response (InvokeMode RESPONSE_STREAM, URL-04).
    pub stream: Option<S<bool>>,
    /// `public = true`: an unauthenticated URL is intended (silences W0522).
    pub public: Option<S<bool>>,
    pub cors: Option<Cors>,
    pub span: Span,
}

/// `runtime_updates`'s mode, as the schema's words name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    Auto,
    OnDeploy,
    Manual,
}

/// `runtime_updates = auto | on_deploy | manual("arn…")` (FN-27).
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeUpdates {
    pub mode: UpdateMode,
    /// The runtime version `manual(…)` pins; `None` for the other modes (and for a bare
    /// `manual`, which is reported).
    pub version: Option<S<DeployStr>>,
}

/// `vpc { subnets, security_groups, ipv6 }` → `VpcConfig`. A list may be a whole list
/// parameter (`param x: subnets`), whose items are known only when deployed.
#[derive(Debug, Clone, PartialEq)]
pub struct Vpc {
    pub subnets: Vec<S<DeployStr>>,
    pub security_groups: Vec<S<DeployStr>>,
    pub ipv6: Option<S<bool>>,
    /// The lists written whose items could not all be read (already reported): an empty
    /// one is then not reported as missing.
    pub unreadable: Vec<&'static str>,
    /// The whole block.
    pub span: Span,
}

/// One `files` entry: where the file system is mounted and the access point it mounts.
#[derive(Debug, Clone, PartialEq)]
pub struct FileMount {
    pub path: S<String>,
    pub access_point: S<DeployStr>,
}

/// `capacity { provider, memory_per_vcpu, concurrency, min_environments, max_environments }`
/// → `CapacityProviderConfig` and `FunctionScalingConfig`: the attributes
/// [`crate::schema::CAPACITY`] lowers by their type, and the provider lowered by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// The provider's ARN: `capacity.X` (a declared provider's), a string or a parameter.
    pub provider: Option<S<DeployStr>>,
    /// The declared provider `provider` names, when it names one.
    pub declared: Option<S<ResRef>>,
    pub settings: BTreeMap<&'static str, S<Setting>>,
    /// The whole block.
    pub span: Span,
}

/// `durable { timeout, retention }` → `DurableConfig`.
#[derive(Debug, Clone, PartialEq)]
pub struct Durable {
    /// Seconds (`ExecutionTimeout`, required by CloudFormation).
    pub timeout: Option<S<u64>>,
    /// Days (`RetentionPeriodInDays`).
    pub retention: Option<S<u64>>,
    pub span: Span,
}

/// `logging { … }`: the attributes [`crate::schema::LOGGING`] lowers by their type (format
/// and levels, at their `LoggingConfig` paths), and the log group's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Logging {
    pub settings: BTreeMap<&'static str, S<Setting>>,
    pub group: Option<S<DeployStr>>,
    pub span: Span,
}

impl Logging {
    /// A word setting's entry (`format`, `level`, `system_level`), as written.
    pub fn word(&self, key: &str) -> Option<S<&'static crate::schema::Word>> {
        match self.settings.get(key)? {
            S {
                value: Setting::Word(w),
                span,
            } => Some(S::new(*w, *span)),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Triggers
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub kind: TriggerKind,
    /// The whole `on …` line.
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum S3Event {
    Created,
    Removed,
    Restored,
    /// Any other S3-02 event name given literally (e.g. `"s3:ObjectTagging:*"`) is kept
    /// in `S3Trigger::raw_events`.
    Other,
}

impl S3Event {
    /// The events lamc has a name for.
    pub const NAMED: [S3Event; 3] = [S3Event::Created, S3Event::Removed, S3Event::Restored];

    /// How lamc writes it (`events = [created]`).
    pub fn name(self) -> Option<&'static str> {
        let (word, _) = crate::schema::S3_EVENTS.iter().find(|(_, e)| *e == self)?;
        Some(word)
    }

    /// S3's name for it (S3-02): every event of the family.
    pub fn aws_name(self) -> Option<&'static str> {
        crate::schema::S3_EVENT.cfn(self.name()?)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartPosition {
    Latest,
    TrimHorizon,
}

/// Options shared by the stream sources (DynamoDB, Kinesis) (ESM-03…ESM-11).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamOptions {
    pub start: Option<S<StartPosition>>,
    pub batch: Option<S<u64>>,
    /// Batching window, seconds.
    pub window: Option<S<u64>>,
    pub retries: Option<S<u64>>,
    pub bisect: Option<S<bool>>,
    /// Seconds.
    pub max_age: Option<S<u64>>,
    pub parallelization: Option<S<u64>>,
    pub on_failure: Option<S<ResRef>>,
    pub report_failures: Option<S<bool>>,
    /// Lambda event filters (FilterCriteria): one pattern per map.
    pub filter: Option<S<Vec<Value>>>,
}

/// `pollers = MIN..MAX` of an event source mapping in provisioned mode (ESM-14).
#[derive(Debug, Clone, PartialEq)]
pub struct Pollers {
    pub min: S<u64>,
    pub max: S<u64>,
}

/// `on kafka cluster.X { … }`: how an Amazon MSK event source mapping reads its topic
/// (ESM-22, MSK-AUTH).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KafkaOptions {
    pub batch: Option<S<u64>>,
    /// Batching window, seconds.
    pub window: Option<S<u64>>,
    pub start: Option<S<StartPosition>>,
    /// `AmazonManagedKafkaEventSourceConfig.ConsumerGroupId`; Lambda generates one when
    /// it is not given.
    pub consumer_group: Option<S<DeployStr>>,
    /// How Lambda authenticates to the cluster; `iam` when not given.
    pub auth: Option<S<KafkaAuth>>,
    /// `pollers = MIN..MAX`: provisioned mode (ESM-14).
    pub pollers: Option<S<Pollers>>,
    /// Lambda event filters (FilterCriteria): one pattern per map.
    pub filter: Option<S<Vec<Value>>>,
}

/// How the event source mapping signs in to an MSK cluster (MSK-AUTH).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KafkaAuth {
    /// IAM access control: the function's role is granted the `kafka-cluster:*` actions.
    Iam,
    /// SASL/SCRAM with the user name and password in this secret (`secret.X`).
    Secret(ResRef),
}

impl KafkaOptions {
    /// The secret holding SASL/SCRAM credentials, when it authenticates with one.
    pub fn secret(&self) -> Option<&ResRef> {
        match self.auth.as_ref().map(|a| &a.value) {
            Some(KafkaAuth::Secret(s)) => Some(s),
            _ => None,
        }
    }
}

/// What a schedule may say besides its expression (SCH-04…SCH-09, EVR-01). Every field
/// but `name` exists on EventBridge Scheduler only, so any of them selects it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScheduleOptions {
    /// The rule's or schedule's name (EVR-01, SCH-05).
    pub name: Option<S<DeployStr>>,
    /// Flexible time window, seconds (a whole number of minutes).
    pub window: Option<S<u64>>,
    pub retries: Option<S<u64>>,
    /// Seconds.
    pub max_age: Option<S<u64>>,
    /// The dead-letter queue (SCH-09).
    pub on_failure: Option<S<ResRef>>,
    /// `yyyy-mm-ddThh:mm:ss`, UTC (SCH-06).
    pub start: Option<S<DeployStr>>,
    pub end: Option<S<DeployStr>>,
    /// The schedule group (SCH-05); it must exist.
    pub group: Option<S<DeployStr>>,
}

impl ScheduleOptions {
    /// Whether an option that only EventBridge Scheduler has is set.
    pub fn needs_scheduler(&self) -> bool {
        self.window.is_some()
            || self.retries.is_some()
            || self.max_age.is_some()
            || self.on_failure.is_some()
            || self.start.is_some()
            || self.end.is_some()
            || self.group.is_some()
    }
}

/// The key of the catch-all route of an HTTP API (AG-08), written `on http "$default"`.
pub const DEFAULT_ROUTE: &str = "$default";

/// An HTTP API route key (AG-08): `GET /path`, or `$default` alone.
pub fn route_key(method: &str, path: &str) -> String {
    if path == DEFAULT_ROUTE {
        DEFAULT_ROUTE.to_string()
    } else {
        format!("{method} {path}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// `rate(5m)`: the period in seconds.
    Rate(u64),
    /// `cron("0 3 * * ? *")`: the six fields as written.
    Cron(String),
    /// `at("2026-12-31T23:00:00")`
    At(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum TriggerKind {
    Http {
        /// Upper-case method or `ANY`.
        method: S<String>,
        /// `/users/{id}`, or [`DEFAULT_ROUTE`] (whose method is `ANY`).
        path: S<String>,
        /// The API it is routed through: `api.NAME`, or the implicit `api.default`.
        api: S<String>,
        auth: Option<S<RouteAuth>>,
        /// `scopes = [...]`: the JWT scopes the route requires (AuthorizationScopes);
        /// deploy-time values are allowed (a list parameter stands for all of them).
        scopes: Vec<S<DeployStr>>,
        /// `public = true`: an unauthenticated route is intended (silences W0522).
        public: Option<S<bool>>,
    },
    Sqs {
        queue: S<ResRef>,
        batch: Option<S<u64>>,
        /// Seconds.
        window: Option<S<u64>>,
        max_concurrency: Option<S<u64>>,
        report_failures: Option<S<bool>>,
        /// `pollers = MIN..MAX`: provisioned mode (ESM-14).
        pollers: Option<S<Pollers>>,
        /// Lambda event filters (FilterCriteria): one pattern per map.
        filter: Option<S<Vec<Value>>>,
    },
    Sns {
        topic: S<ResRef>,
        /// The filter policy, as a map of attribute → allowed values.
        filter: Option<S<Value>>,
    },
    S3 {
        bucket: S<ResRef>,
        events: Vec<S<S3Event>>,
        /// Full S3 event names for `S3Event::Other` entries, e.g. `s3:ObjectTagging:*`.
        raw_events: Vec<S<String>>,
        /// Key filters; deploy-time values are allowed (`prefix = param.folder`).
        prefix: Option<S<DeployStr>>,
        suffix: Option<S<DeployStr>>,
    },
    DynamoDb {
        table: S<ResRef>,
        options: StreamOptions,
    },
    Kinesis {
        stream: S<ResRef>,
        options: StreamOptions,
    },
    Schedule {
        expr: S<Schedule>,
        /// IANA zone; when set (or with `at`) the trigger becomes a Scheduler schedule.
        timezone: Option<S<String>>,
        /// JSON passed to the function.
        input: Option<S<Value>>,
        enabled: Option<S<bool>>,
        /// `name`, and the options only EventBridge Scheduler has (boxed: most schedules
        /// have none, and the variant would otherwise be the largest by far).
        options: Box<ScheduleOptions>,
    },
    /// `on event [bus.X] { pattern = {…} }`: an EventBridge rule on the default bus or
    /// on the bus named.
    Event {
        /// `bus.X`; `None` for the default bus.
        bus: Option<S<ResRef>>,
        /// The event pattern, a non-empty map.
        pattern: S<Value>,
        /// A constant JSON event passed instead of the matched one.
        input: Option<S<Value>>,
        enabled: Option<S<bool>>,
    },
    /// `on kafka cluster.X { topic = "…", … }`: an event source mapping on an existing MSK
    /// cluster (boxed: the options would make the variant the largest).
    Kafka {
        cluster: S<ResRef>,
        /// The one topic it reads (`Topics`, ESM-20), text or deploy-time values.
        topic: S<DeployStr>,
        options: Box<KafkaOptions>,
    },
}

/// Where a trigger's events come from, as `lamc graph` draws it.
#[derive(Debug, Clone, PartialEq)]
pub enum TriggerSource {
    /// A declaration of the app (an api, a queue, …); `label` is written on its edge.
    Declared { source: ResRef, label: String },
    /// Nothing declared: a node of its own (a schedule, a rule on the default bus).
    Own { text: String },
}

/// What each trigger kind is, in one place: the word it is written with (its schema
/// entry), how it invokes the function, where its events come from. A new kind adds an
/// arm to each of these; code elsewhere asks them instead of matching on the kinds.
impl TriggerKind {
    /// The word after `on`.
    pub fn word(&self) -> &'static str {
        match self {
            TriggerKind::Http { .. } => "http",
            TriggerKind::Sqs { .. } => "sqs",
            TriggerKind::Sns { .. } => "sns",
            TriggerKind::S3 { .. } => "s3",
            TriggerKind::DynamoDb { .. } => "dynamodb",
            TriggerKind::Kinesis { .. } => "kinesis",
            TriggerKind::Schedule { .. } => "schedule",
            TriggerKind::Event { .. } => "event",
            TriggerKind::Kafka { .. } => "kafka",
        }
    }

    /// Whether the service invokes the function asynchronously (Lambda queues the event:
    /// asynchronous settings, dead-letter and event-age metrics apply).
    pub fn invokes_async(&self) -> bool {
        match self {
            TriggerKind::S3 { .. }
            | TriggerKind::Sns { .. }
            | TriggerKind::Schedule { .. }
            | TriggerKind::Event { .. } => true,
            TriggerKind::Http { .. }
            | TriggerKind::Sqs { .. }
            | TriggerKind::DynamoDb { .. }
            | TriggerKind::Kinesis { .. }
            | TriggerKind::Kafka { .. } => false,
        }
    }

    /// Whether Lambda reads a stream for it (iterator age applies).
    pub fn reads_stream(&self) -> bool {
        matches!(
            self,
            TriggerKind::DynamoDb { .. } | TriggerKind::Kinesis { .. }
        )
    }

    /// Whether a schedule becomes an EventBridge Scheduler schedule rather than a rule: `at`,
    /// a time zone or an option only Scheduler has.
    pub fn uses_scheduler(&self) -> bool {
        match self {
            TriggerKind::Schedule {
                expr,
                timezone,
                options,
                ..
            } => crate::cron::uses_scheduler(
                &expr.value,
                timezone.is_some() || options.needs_scheduler(),
            ),
            _ => false,
        }
    }

    /// Where records of batches it gave up on go (`on_failure` of a stream trigger).
    pub fn failure_destination(&self) -> Option<&S<ResRef>> {
        match self {
            TriggerKind::DynamoDb { options, .. } | TriggerKind::Kinesis { options, .. } => {
                options.on_failure.as_ref()
            }
            _ => None,
        }
    }

    /// Where its events come from, as `lamc graph` draws it.
    pub fn source(&self) -> TriggerSource {
        let declared = |source: &ResRef, label: &str| TriggerSource::Declared {
            source: source.clone(),
            label: label.to_string(),
        };
        match self {
            TriggerKind::Http {
                method, path, api, ..
            } => TriggerSource::Declared {
                source: ResRef {
                    kind: Kind::Api,
                    name: api.value.trim_start_matches("api.").to_string(),
                },
                label: route_key(&method.value, &path.value),
            },
            TriggerKind::Sqs { queue, .. } => declared(&queue.value, ""),
            TriggerKind::Sns { topic, .. } => declared(&topic.value, ""),
            TriggerKind::S3 { bucket, .. } => declared(&bucket.value, "events"),
            TriggerKind::DynamoDb { table, .. } => declared(&table.value, "records"),
            TriggerKind::Kinesis { stream, .. } => declared(&stream.value, "records"),
            TriggerKind::Kafka { cluster, topic, .. } => match topic.value.as_literal() {
                Some(topic) => declared(&cluster.value, &format!("topic {topic}")),
                None => declared(&cluster.value, "records"),
            },
            TriggerKind::Schedule { expr, timezone, .. } => {
                let service = if self.uses_scheduler() {
                    "Scheduler"
                } else {
                    "rule"
                };
                let zone = timezone
                    .as_ref()
                    .map_or(String::new(), |z| format!(" {}", z.value));
                let expr = crate::cron::expression(&expr.value);
                TriggerSource::Own {
                    text: format!("{service} {expr}{zone}"),
                }
            }
            TriggerKind::Event {
                bus: Some(bus),
                pattern,
                ..
            } => TriggerSource::Declared {
                source: bus.value.clone(),
                label: pattern_sources(&pattern.value).join(", "),
            },
            TriggerKind::Event { pattern, .. } => {
                let sources = pattern_sources(&pattern.value);
                let text = match sources.as_slice() {
                    [] => "rule on the default bus".to_string(),
                    some => format!("rule on the default bus: {}", some.join(", ")),
                };
                TriggerSource::Own { text }
            }
        }
    }
}

/// The event sources an event pattern names (`source = ["aws.ec2"]`), as plain strings.
fn pattern_sources(pattern: &Value) -> Vec<&str> {
    let Value::Map(fields) = pattern else {
        return Vec::new();
    };
    let values = fields
        .iter()
        .filter(|(k, _)| k == "source")
        .filter_map(|(_, v)| match v {
            Value::List(items) => Some(items),
            _ => None,
        });
    values
        .flatten()
        .filter_map(|v| match v {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Alarms
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FnMetric {
    Invocations,
    Errors,
    /// Metric math: 100 × errors / invocations.
    ErrorRate,
    Throttles,
    Duration,
    ConcurrentExecutions,
    IteratorAge,
    DeadLetterErrors,
    AsyncEventAge,
    ProvisionedUtilization,
    Spillover,
}

/// What a threshold is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricUnit {
    Count,
    /// Thresholds are stored in milliseconds.
    Duration,
    /// Thresholds are stored in percent (0–100).
    Percent,
}

impl FnMetric {
    pub const ALL: &'static [(&'static str, FnMetric)] = &[
        ("invocations", FnMetric::Invocations),
        ("errors", FnMetric::Errors),
        ("error_rate", FnMetric::ErrorRate),
        ("throttles", FnMetric::Throttles),
        ("duration", FnMetric::Duration),
        ("concurrent_executions", FnMetric::ConcurrentExecutions),
        ("iterator_age", FnMetric::IteratorAge),
        ("dead_letter_errors", FnMetric::DeadLetterErrors),
        ("async_event_age", FnMetric::AsyncEventAge),
        ("provisioned_utilization", FnMetric::ProvisionedUtilization),
        ("spillover", FnMetric::Spillover),
    ];

    pub fn as_str(self) -> &'static str {
        FnMetric::ALL
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("", |(s, _)| s)
    }

    /// CloudWatch metric name in `AWS/Lambda` (MET-xx). `ErrorRate` has none (metric math).
    pub fn cloudwatch_name(self) -> &'static str {
        match self {
            FnMetric::Invocations => "Invocations",
            FnMetric::Errors | FnMetric::ErrorRate => "Errors",
            FnMetric::Throttles => "Throttles",
            FnMetric::Duration => "Duration",
            FnMetric::ConcurrentExecutions => "ConcurrentExecutions",
            FnMetric::IteratorAge => "IteratorAge",
            FnMetric::DeadLetterErrors => "DeadLetterErrors",
            FnMetric::AsyncEventAge => "AsyncEventAge",
            FnMetric::ProvisionedUtilization => "ProvisionedConcurrencyUtilization",
            FnMetric::Spillover => "ProvisionedConcurrencySpilloverInvocations",
        }
    }

    pub fn unit(self) -> MetricUnit {
        match self {
            FnMetric::Duration | FnMetric::IteratorAge | FnMetric::AsyncEventAge => {
                MetricUnit::Duration
            }
            FnMetric::ErrorRate | FnMetric::ProvisionedUtilization => MetricUnit::Percent,
            _ => MetricUnit::Count,
        }
    }

    /// Whether CloudWatch reports it per alias (the `Resource` dimension) besides per
    /// function.
    pub fn per_alias(self) -> bool {
        matches!(self, FnMetric::ProvisionedUtilization | FnMetric::Spillover)
    }

    pub fn default_stat(self) -> Stat {
        match self {
            FnMetric::Duration | FnMetric::AsyncEventAge => Stat::Avg,
            FnMetric::IteratorAge
            | FnMetric::ConcurrentExecutions
            | FnMetric::ProvisionedUtilization => Stat::Max,
            _ => Stat::Sum,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stat {
    Sum,
    Avg,
    Min,
    Max,
    SampleCount,
    /// `p99` → "p99", `p99.9` → "p99.9" (ExtendedStatistic).
    Percentile(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    Function {
        function: String,
        metric: FnMetric,
    },
    /// `queue.NAME.visible`: ApproximateNumberOfMessagesVisible.
    QueueVisible {
        queue: ResRef,
    },
    /// `queue.NAME.age`: ApproximateAgeOfOldestMessage (seconds in CloudWatch).
    QueueAge {
        queue: ResRef,
    },
}

impl Metric {
    pub fn unit(&self) -> MetricUnit {
        match self {
            Metric::Function { metric, .. } => metric.unit(),
            Metric::QueueVisible { .. } => MetricUnit::Count,
            Metric::QueueAge { .. } => MetricUnit::Duration,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingData {
    Breaching,
    NotBreaching,
    Ignore,
    Missing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    /// For `alarm NAME { … }`; function alarms and unnamed stack alarms get a name
    /// derived from the metric by `plan`.
    pub name: Option<S<String>>,
    pub metric: S<Metric>,
    pub stat: S<Stat>,
    pub op: S<CmpOp>,
    /// In the metric's unit: a count, milliseconds or percent.
    pub threshold: S<f64>,
    /// Seconds; 60 when `over` is not given.
    pub period: S<u64>,
    /// `for N`: datapoints to alarm.
    pub datapoints: S<u64>,
    /// `of M`: evaluation periods.
    pub evaluation_periods: S<u64>,
    pub notify: Vec<S<ResRef>>,
    pub missing: Option<S<MissingData>>,
    pub description: Option<S<DeployStr>>,
    /// The whole alarm line (maybe inside a template).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub name: S<String>,
    pub value: S<Value>,
    pub description: Option<String>,
    pub span: Span,
}
