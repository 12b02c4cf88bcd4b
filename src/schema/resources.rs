//! Resources lamc creates (queue, topic, bucket, table, stream, api, bus, layer), `app` and
//! `param`.

use crate::model::{Attr as Exposed, KeyType, Kind, ParamType, Payload, StreamView};

use super::function::{ARCHITECTURE, CORS_ATTRS};
use super::limits::{
    NameRule, AUTH_CACHE_S, BUCKET_EXPIRE_DAYS, BUCKET_NAME, BUS_NAME, LMI_MAX_VCPUS,
    QUEUE_DELAY_S, QUEUE_MAX_RECEIVES, QUEUE_NAME, QUEUE_RETENTION_S, QUEUE_VISIBILITY_S,
    STREAM_NAME, STREAM_RETENTION_H, STREAM_SHARDS, TABLE_NAME, THROTTLE_BURST, THROTTLE_RATE,
    TOPIC_NAME,
};
use super::types::{words, Attr, Block, Ty};

words! {
    /// The type of a table's key attribute.
    KEY_TYPE, KEY_TYPES: KeyType {
        "string" => KeyType::String, "S";
        "number" => KeyType::Number, "N";
        "binary" => KeyType::Binary, "B";
    }
}
words! {
    /// What a table's change stream carries.
    STREAM_VIEW, STREAM_VIEWS: StreamView {
        "new_and_old" => StreamView::NewAndOld, "NEW_AND_OLD_IMAGES";
        "new" => StreamView::New, "NEW_IMAGE";
        "old" => StreamView::Old, "OLD_IMAGE";
        "keys" => StreamView::Keys, "KEYS_ONLY";
    }
}

words! {
    /// An HTTP API's payload format version for its Lambda integrations (AG-10).
    PAYLOAD, PAYLOADS: Payload {
        "v1" => Payload::V1, "1.0";
        "v2" => Payload::V2, "2.0";
    }
}

words! {
    /// A parameter's type (`param NAME: string`), and CloudFormation's. A `list` is text
    /// with commas (`a,b`) that CloudFormation splits; the last two are lists whose items
    /// CloudFormation checks against the account's subnets and security groups (CFN-P1).
    PARAM_TYPES, PARAM_TYPE_WORDS: ParamType {
        "string" => ParamType::String, "String";
        "number" => ParamType::Number, "Number";
        "list" => ParamType::List, "CommaDelimitedList";
        "subnets" => ParamType::Subnets, "List<AWS::EC2::Subnet::Id>";
        "security_groups" => ParamType::SecurityGroups, "List<AWS::EC2::SecurityGroup::Id>";
    }
}

/// One kind of resource.
pub struct Resource {
    pub kind: Kind,
    /// One line, for completion and the docs.
    pub doc: &'static str,
    pub block: &'static Block,
    /// The attributes usable in expressions (`queue.jobs.url`).
    pub exposes: &'static [(&'static str, Exposed)],
    /// The CloudFormation resources it becomes, as the docs say it.
    pub becomes: &'static str,
    /// What the docs add to its attributes.
    pub note: &'static str,
}

const NAME_ARN: &[(&str, Exposed)] = &[("name", Exposed::Name), ("arn", Exposed::Arn)];

/// The resource kinds, in the order completion offers them and the docs list them.
pub const RESOURCES: &[Resource] = &[
    Resource {
        kind: Kind::Queue,
        doc: "an SQS queue",
        block: &QUEUE,
        exposes: &[
            ("name", Exposed::Name),
            ("arn", Exposed::Arn),
            ("url", Exposed::Url),
        ],
        becomes: "`AWS::SQS::Queue`",
        note: "",
    },
    Resource {
        kind: Kind::Topic,
        doc: "an SNS topic",
        block: &TOPIC,
        exposes: NAME_ARN,
        becomes: "`AWS::SNS::Topic` (+ subscriptions)",
        note: "",
    },
    Resource {
        kind: Kind::Bucket,
        doc: "an S3 bucket",
        block: &BUCKET,
        exposes: NAME_ARN,
        becomes: "`AWS::S3::Bucket`",
        note: "",
    },
    Resource {
        kind: Kind::Table,
        doc: "a DynamoDB table",
        block: &TABLE,
        exposes: &[
            ("name", Exposed::Name),
            ("arn", Exposed::Arn),
            ("stream_arn", Exposed::StreamArn),
        ],
        becomes: "`AWS::DynamoDB::Table`",
        note: "billing is on demand",
    },
    Resource {
        kind: Kind::Stream,
        doc: "a Kinesis data stream",
        block: &STREAM,
        exposes: NAME_ARN,
        becomes: "`AWS::Kinesis::Stream`",
        note: "",
    },
    Resource {
        kind: Kind::Api,
        doc: "an HTTP API (API Gateway v2)",
        block: &API,
        exposes: &[("id", Exposed::Id), ("url", Exposed::Url)],
        becomes: "`AWS::ApiGatewayV2::Api` + `$default` stage (+ `DomainName` and `ApiMapping` with `domain`, a log group with `access_log`)",
        note: "",
    },
    Resource {
        kind: Kind::Bus,
        doc: "an EventBridge event bus",
        block: &BUS,
        exposes: NAME_ARN,
        becomes: "`AWS::Events::EventBus`",
        note: "named `STACK-NAME` unless it has a `name` (EVB-01); `on event bus.X` listens on it; its `kms` key's policy must let EventBridge use it (EVB-02)",
    },
    Resource {
        kind: Kind::Layer,
        doc: "a Lambda layer built from a local folder",
        block: &LAYER,
        exposes: &[("arn", Exposed::Arn)],
        becomes: "`AWS::Lambda::LayerVersion` (its code zipped and content-hashed)",
        note: "a function lists it in `layers = [layer.NAME]`; CloudFormation's layer versions take no tags",
    },
    Resource {
        kind: Kind::Capacity,
        doc: "a Lambda Managed Instances capacity provider: EC2 instances Lambda manages in your VPC",
        block: &CAPACITY_PROVIDER,
        exposes: &[("arn", Exposed::Arn)],
        becomes: "`AWS::Lambda::CapacityProvider` + the operator role Lambda manages its instances with (AWS managed policy `AWSLambdaManagedEC2ResourceOperator`, LMI-08)",
        note: "a function runs on it with `capacity { provider = capacity.NAME }`; `capacity NAME from \"arn…\"` names an existing one",
    },
    Resource {
        kind: Kind::Secret,
        doc: "an existing Secrets Manager secret (`secret NAME from \"arn…\"`)",
        block: &EXISTING_SECRET,
        exposes: &[("arn", Exposed::Arn)],
        becomes: "nothing: it exists already",
        note: "only `from \"arn:aws:secretsmanager:…:secret:…\"`",
    },
    Resource {
        kind: Kind::Parameter,
        doc: "an existing SSM parameter (`parameter NAME from \"arn…\"`)",
        block: &EXISTING_PARAMETER,
        exposes: &[("name", Exposed::Name), ("arn", Exposed::Arn)],
        becomes: "nothing: it exists already",
        note: "only `from \"arn:aws:ssm:…:parameter/…\"`; `.name` is the parameter's name, with a leading `/` when it is a path",
    },
    Resource {
        kind: Kind::Key,
        doc: "an existing KMS key (`key NAME from \"arn…\"`)",
        block: &EXISTING_KEY,
        exposes: &[("id", Exposed::Id), ("arn", Exposed::Arn)],
        becomes: "nothing: it exists already",
        note: "only `from \"arn:aws:kms:…:key/…\"` (or `…:alias/…`); `.id` is the key id (or `alias/NAME`)",
    },
    Resource {
        kind: Kind::Resource,
        doc: "an existing resource of any AWS service (`resource NAME from \"arn…\"`)",
        block: &EXISTING_RESOURCE,
        exposes: &[("arn", Exposed::Arn)],
        becomes: "nothing: it exists already",
        note: "only `from \"arn:…\"`",
    },
    Resource {
        kind: Kind::Cluster,
        doc: "an existing Amazon MSK cluster (`cluster NAME from \"arn…\"`)",
        block: &EXISTING_CLUSTER,
        exposes: NAME_ARN,
        becomes: "nothing: it exists already",
        note: "only `from \"arn:aws:kafka:…:cluster/NAME/UUID\"` (MSK-ARN, E0418); `on kafka cluster.X` reads its topics",
    },
    Resource {
        kind: Kind::Auth,
        doc: "an HTTP API authorizer: a JWT issuer or a function",
        block: &AUTH_DECL,
        exposes: &[],
        becomes: "`AWS::ApiGatewayV2::Authorizer` on each API whose routes use it (+ the permission to invoke a function authorizer)",
        note: "exactly one of `jwt { … }` and `function` (E0108)",
    },
];

/// The kinds that only name existing resources have no attributes: a block for each, so
/// that the parser, completion and the docs treat them as the other kinds.
const fn existing_only(id: &'static str, owner: &'static str) -> Block {
    Block {
        id,
        owner,
        attrs: &[],
    }
}
const EXISTING_SECRET: Block = existing_only("secret", "a secret");
const EXISTING_PARAMETER: Block = existing_only("parameter", "a parameter");
const EXISTING_KEY: Block = existing_only("key", "a key");
const EXISTING_RESOURCE: Block = existing_only("resource", "a resource");
const EXISTING_CLUSTER: Block = existing_only("cluster", "a cluster");

/// What a function exposes to expressions (`function.f.arn`).
pub const FUNCTION_EXPOSES: &[(&str, Exposed)] = &[
    ("name", Exposed::Name),
    ("arn", Exposed::Arn),
    ("url", Exposed::Url),
    ("role", Exposed::Role),
];

/// The attributes a declaration of `kind` offers to expressions (language.md §3).
pub fn exposes(kind: Kind) -> &'static [(&'static str, Exposed)] {
    resource(kind).map_or(FUNCTION_EXPOSES, |r| r.exposes)
}

/// The resource kind `kind`'s entry (`None` for functions).
pub fn resource(kind: Kind) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.kind == kind)
}

/// The rule a kind's `name` follows (`None`: the kind takes no `name`).
pub fn name_rule(kind: Kind) -> Option<&'static NameRule> {
    match kind {
        Kind::Queue => Some(&QUEUE_NAME),
        Kind::Topic => Some(&TOPIC_NAME),
        Kind::Bucket => Some(&BUCKET_NAME),
        Kind::Table => Some(&TABLE_NAME),
        Kind::Stream => Some(&STREAM_NAME),
        Kind::Bus => Some(&BUS_NAME),
        _ => None,
    }
}

/// `name`: the physical name; `rule` says the service's naming rule in the docs' words.
const fn res_name(rule: &'static str) -> Attr {
    Attr::new(
        "name",
        Ty::Str,
        "its physical name, instead of one CloudFormation generates; renaming it replaces the resource",
    )
    .rule(rule)
}

/// `retain`: CloudFormation keeps the resource when the stack deletes or replaces it.
const RETAIN: Attr = Attr::new(
    "retain",
    Ty::Bool,
    "keep it, and its data, when the stack deletes or replaces it (`DeletionPolicy` and `UpdateReplacePolicy` `Retain`)",
)
.default("false");

/// `kms`: the customer managed or AWS managed key that encrypts the resource.
const KMS: Attr = Attr::new(
    "kms",
    Ty::Str,
    "the KMS key that encrypts it: a key ID, key ARN, alias name (`alias/…`) or alias ARN",
)
.rule("the shape of a key reference (E0496); functions that read or `allow` it get the key's permissions");

/// `tags`: the resource's own tags.
const TAGS: Attr = Attr::new(
    "tags",
    Ty::Other("map of strings"),
    "tags on it, merged over the app's (its own win)",
);

const QUEUE: Block = Block {
    id: "queue",
    owner: "a queue",
    attrs: &[
        Attr::new("fifo", Ty::Bool, "a FIFO queue (ordered, exactly once)").default("false"),
        Attr::new(
            "visibility",
            Ty::Duration,
            "how long a received message stays hidden",
        )
        .bounds(&QUEUE_VISIBILITY_S)
        .rule("{range}; at least 6 × the consumer's timeout (W0502)")
        .default("30s"),
        Attr::new("retention", Ty::Duration, "how long messages are kept")
            .bounds(&QUEUE_RETENTION_S)
            .default("4d"),
        Attr::new(
            "delay",
            Ty::Duration,
            "delay before a new message is visible",
        )
        .bounds(&QUEUE_DELAY_S)
        .default("0s"),
        Attr::new(
            "dead_letter",
            Ty::Ref,
            "where messages go after `max_receives` failed receives",
        )
        .rule("same FIFO-ness (E0414)")
        .refs(&[Kind::Queue]),
        Attr::new(
            "max_receives",
            Ty::Count,
            "receives before a message moves to the dead-letter queue",
        )
        .bounds(&QUEUE_MAX_RECEIVES)
        .default("5 with `dead_letter`"),
        res_name("1–80 letters, digits, `-`, `_`; ends with `.fifo` exactly when `fifo = true` (E0494, E0495)"),
        RETAIN,
        KMS.default("SQS-managed encryption (SSE-SQS)"),
        TAGS,
    ],
};

const TOPIC: Block = Block {
    id: "topic",
    owner: "a topic",
    attrs: &[
        Attr::new("fifo", Ty::Bool, "a FIFO topic").default("false"),
        Attr::new("email", Ty::Strings, "e-mail subscriptions"),
        Attr::new("https", Ty::Strings, "HTTPS endpoint subscriptions")
            .rule("`https://` URLs only (E0445)"),
        res_name("1–256 letters, digits, `-`, `_`; ends with `.fifo` exactly when `fifo = true` (E0494, E0495)"),
        RETAIN,
        KMS.default("not encrypted"),
        TAGS,
    ],
};

const BUCKET: Block = Block {
    id: "bucket",
    owner: "a bucket",
    attrs: &[
        Attr::new("versioning", Ty::Bool, "keep every version of each object").default("false"),
        Attr::new(
            "expire",
            Ty::Days,
            "delete objects this long after creation (a lifecycle rule on all objects)",
        )
        .bounds(&BUCKET_EXPIRE_DAYS)
        .default("never"),
        res_name(
            "3–63 lowercase letters, digits, `.`, `-`, and S3's other bucket naming rules (E0494)",
        ),
        RETAIN,
        TAGS,
    ],
};

const TABLE: Block = Block {
    id: "table",
    owner: "a table",
    attrs: &[
        Attr::new("key", Ty::KeyOf(&KEY_TYPE), "the partition key").required(),
        Attr::new("sort", Ty::KeyOf(&KEY_TYPE), "the sort key"),
        Attr::new(
            "stream",
            Ty::Word(&STREAM_VIEW),
            "the change stream and what it carries (DDB-01)",
        )
        .default("no stream"),
        Attr::new(
            "ttl",
            Ty::Str,
            "the attribute holding each item's expiry time",
        ),
        Attr::new(
            "pitr",
            Ty::Bool,
            "point-in-time recovery: continuous backups the table can be restored from (DDB-PITR)",
        )
        .default("false"),
        res_name("3–255 letters, digits, `_`, `.`, `-` (E0494)"),
        RETAIN,
        KMS.default("an AWS owned key"),
        TAGS,
    ],
};

const STREAM: Block = Block {
    id: "stream",
    owner: "a stream",
    attrs: &[
        Attr::new("shards", Ty::Count, "provisioned shards").bounds(&STREAM_SHARDS),
        Attr::new(
            "on_demand",
            Ty::Bool,
            "on-demand capacity instead of shards",
        )
        .default("false"),
        Attr::new("retention", Ty::Hours, "how long records are kept")
            .bounds(&STREAM_RETENTION_H)
            .default("24h"),
        res_name("1–128 letters, digits, `_`, `.`, `-` (E0494)"),
        RETAIN,
        KMS.default("`alias/aws/kinesis`"),
        TAGS,
    ],
};

const API: Block = Block {
    id: "api",
    owner: "a api",
    attrs: &[
        Attr::new("cors", Ty::Block(&API_CORS), "CORS for browsers")
            .rule("methods as strings or bare names, `methods = [GET, POST]`"),
        Attr::new(
            "auth",
            Ty::Other("iam | none | auth.NAME"),
            "who may call the routes",
        )
        .rule("the default of its routes")
        .refs(&[Kind::Auth])
        .default("none"),
        Attr::new(
            "public",
            Ty::Bool,
            "its routes without authorization are intended: anyone may call them (no W0522)",
        )
        .rule("`public = true` when anyone may call its routes without authorization, else W0522")
        .default("false"),
        Attr::new(
            "payload",
            Ty::Word(&PAYLOAD),
            "the event format its functions receive (AG-10)",
        )
        .default("v2"),
        Attr::new(
            "domain",
            Ty::Block(&API_DOMAIN),
            "a custom domain name for its `$default` stage",
        ),
        Attr::new(
            "throttle",
            Ty::Block(&API_THROTTLE),
            "the stage's default route throttling",
        ),
        Attr::new(
            "access_log",
            Ty::Bool,
            "access logs of the stage, in a log group of their own",
        )
        .default("false"),
        TAGS,
    ],
};

pub const API_DOMAIN: Block = Block {
    id: "api.domain",
    owner: "`domain`",
    attrs: &[
        Attr::new("name", Ty::Str, "the domain name, `api.example.com`")
            .rule("a DNS name (E0499)")
            .required(),
        Attr::new(
            "certificate",
            Ty::Str,
            "the ARN of its ACM certificate, in the API's region",
        )
        .rule("`arn:aws:acm:REGION:ACCOUNT:certificate/ID` (E0316)")
        .required(),
    ],
};

pub const API_THROTTLE: Block = Block {
    id: "api.throttle",
    owner: "`throttle`",
    attrs: &[
        Attr::new("rate", Ty::Count, "steady requests per second")
            .bounds(&THROTTLE_RATE)
            .rule("{range}; 0 refuses every request (W0569)"),
        Attr::new("burst", Ty::Count, "requests at once")
            .bounds(&THROTTLE_BURST)
            .rule("{range}; 0 refuses every request (W0569)"),
    ],
};

const AUTH_DECL: Block = Block {
    id: "auth",
    owner: "an authorizer",
    attrs: &[
        Attr::new(
            "jwt",
            Ty::Block(&AUTH_JWT),
            "accept JSON Web Tokens from an issuer",
        ),
        Attr::new("function", Ty::Ref, "a function that decides (REQUEST authorizer)")
            .refs(&[Kind::Function]),
        Attr::new(
            "cache",
            Ty::Duration,
            "how long a function's answer is cached",
        )
        .bounds(&AUTH_CACHE_S)
        .rule("{range}; needs `identity` when over 0 (E0498)")
        .default("0s (no caching)"),
        Attr::new(
            "identity",
            Ty::Strings,
            "the request parts a function authorizer needs (its cache key)",
        )
        .rule("`$request.header.NAME`, `$request.querystring.NAME`, `$context.NAME` or `$stageVariables.NAME` (E0315)"),
    ],
};

pub const AUTH_JWT: Block = Block {
    id: "auth.jwt",
    owner: "`jwt`",
    attrs: &[
        Attr::new("issuer", Ty::Str, "the token issuer's URL")
            .rule("an `https://` URL (E0314)")
            .required(),
        Attr::new(
            "audience",
            Ty::Strings,
            "the `aud` values a token may carry (one must match)",
        )
        .rule("at most 50 (HAPI-07, E0434)")
        .required(),
    ],
};

const BUS: Block = Block {
    id: "bus",
    owner: "a bus",
    attrs: &[
        res_name("1–256 letters, digits, `.`, `-`, `_`; not `default` (EVB-01, E0494)")
            .default("`STACK-NAME`"),
        RETAIN,
        KMS.default("an AWS owned key"),
        TAGS,
    ],
};

const LAYER: Block = Block {
    id: "layer",
    owner: "a layer",
    attrs: &[
        Attr::new(
            "code",
            Ty::Str,
            "the folder (or file) zipped as the layer's content, like a function's code",
        )
        .required(),
        Attr::new(
            "runtimes",
            Ty::Other("list of runtimes"),
            "the runtimes the layer is built for",
        )
        .rule("a function listing the layer must use one of them (RT-05, E0475)")
        .default("not checked"),
        Attr::new(
            "architectures",
            Ty::WordList(&ARCHITECTURE),
            "the instruction sets the layer is built for",
        )
        .rule("a function listing the layer must use one of them (RT-05, E0476)")
        .default("not checked"),
        Attr::new("description", Ty::Str, "the layer version's description"),
        Attr::new(
            "license",
            Ty::Str,
            "the layer's software license (`LicenseInfo`)",
        ),
    ],
};

const CAPACITY_PROVIDER: Block = Block {
    id: "capacity",
    owner: "a capacity provider",
    attrs: &[
        Attr::new(
            "subnets",
            Ty::Other("list of subnet IDs, or a `subnets` parameter"),
            "the subnets the instances are launched in",
        )
        .rule("at most 16 (LMI-05, E0480); `subnet-…` (EC2-ID, E0479)")
        .required(),
        Attr::new(
            "security_groups",
            Ty::Other("list of security group IDs, or a `security_groups` parameter"),
            "the security groups of the instances",
        )
        .rule("at most 5 (LMI-05, E0480); `sg-…` (EC2-ID, E0479)"),
        Attr::new(
            "architecture",
            Ty::Word(&ARCHITECTURE),
            "the instruction set of the instances",
        )
        .rule("functions on the provider use the same (LMI-06, E0115)")
        .default("x86_64"),
        Attr::new(
            "max_vcpus",
            Ty::Count,
            "the most vCPUs the provider runs across its instances",
        )
        .bounds(&LMI_MAX_VCPUS)
        .default("Lambda's"),
        TAGS,
    ],
};

pub const API_CORS: Block = Block {
    id: "api.cors",
    owner: "`cors`",
    attrs: CORS_ATTRS,
};

pub const APP: Block = Block {
    id: "app",
    owner: "`app`",
    attrs: &[
        Attr::new("description", Ty::Str, "the stack's description"),
        Attr::new(
            "tags",
            Ty::Other("map of strings"),
            "tags on every resource",
        ),
    ],
};

pub const PARAM: Block = Block {
    id: "param",
    owner: "a parameter",
    attrs: &[
        Attr::new(
            "allowed",
            Ty::Other("list"),
            "the values the parameter may take",
        ),
        Attr::new("description", Ty::Str, "a description"),
        Attr::new(
            "secret",
            Ty::Bool,
            "mask the value in CloudFormation (`NoEcho`)",
        )
        .default("false"),
    ],
};
