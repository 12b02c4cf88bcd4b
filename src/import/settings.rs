//! A function's settings, one table per spelling: SAM (`AWS::Serverless::Function` and
//! `Globals.Function`), plain CloudFormation (`AWS::Lambda::Function`) and the Serverless
//! Framework (a function and `provider`). A row names the key the original writes, the lamc
//! word it becomes and how its value converts; [`apply`] reads a mapping through a table,
//! in the table's order, and marks every row's key as read so that what is left is
//! reported. Conversions that a row cannot say (a code location, a group of keys that
//! become one block) are functions of [`super::convert`].

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::convert as c;
use super::intrinsics::{literal, number};
use super::network;
use super::resources::{self, shown, Writer};
use crate::schema::limits::fmt_seconds;
use crate::schema::{Words, ARCHITECTURE, RECURSION, TENANCY, TRACING};

/// How a value becomes lamc.
#[derive(Clone, Copy)]
pub enum Conv {
    /// A literal string: `handler = "app.handler"`.
    Text,
    /// Any value lamc can say: a literal, `param.x`, `"${…}"`.
    Expr,
    /// Any value lamc can say, where lamc takes a string: `"${param.x}"`.
    Quoted,
    /// A whole number: `batch = 10`.
    Count,
    /// Megabytes: `memory = 512MB`.
    Megabytes,
    /// Seconds: `timeout = 30s`.
    Seconds,
    /// Days: `log_retention = 14d`.
    Days,
    /// CloudFormation's spelling of one of the word's values (`Active` → `active`); a list
    /// gives its first item (`Architectures: [arm64]`).
    Word(&'static Words),
    /// The original's values, each with the lamc value it becomes.
    Choice(&'static [(&'static str, &'static str)]),
    /// `true` becomes `WORD = true`; `false` writes nothing.
    Flag,
    /// A conversion to one whole option (`report_failures = true`), or nothing; `Err` says
    /// why the value does not come across.
    Option(fn(&Writer, &Value) -> Result<Option<String>, String>),
    /// Read by the row of that key (which writes one line for both).
    With(&'static str),
    /// Nothing to write: the key means nothing in lamc's template (`PackageType`).
    Read,
    /// A conversion of [`super::convert`].
    Custom(c::Convert),
}

/// One key of the original.
#[derive(Clone, Copy)]
pub struct Row {
    pub key: &'static str,
    /// The path inside the key's value (`EphemeralStorage` → `Size`).
    pub at: &'static [&'static str],
    pub word: &'static str,
    pub conv: Conv,
    /// A function's own setting, not one of serverless.yml's `provider`.
    pub function_only: bool,
}

impl Row {
    pub(super) const fn new(key: &'static str, word: &'static str, conv: Conv) -> Row {
        Row {
            key,
            at: &[],
            word,
            conv,
            function_only: false,
        }
    }

    const fn custom(key: &'static str, f: c::Convert) -> Row {
        Row::new(key, "", Conv::Custom(f))
    }

    const fn with(key: &'static str, leader: &'static str) -> Row {
        Row::new(key, "", Conv::With(leader))
    }

    pub(super) const fn at(mut self, path: &'static [&'static str]) -> Row {
        self.at = path;
        self
    }

    const fn function_only(mut self) -> Row {
        self.function_only = true;
        self
    }
}

/// SnapStart's `ApplyOn` (SAM and CloudFormation).
const APPLY_ON: &[(&str, &str)] = &[("PublishedVersions", "true"), ("None", "false")];

/// The rows SAM's function and a plain `AWS::Lambda::Function` spell alike, in the order
/// both tables write them: the function's size and names,
const SIZE: &[Row] = &[
    Row::new("MemorySize", "memory", Conv::Megabytes),
    Row::new("Timeout", "timeout", Conv::Seconds),
    Row::new("Architectures", "architecture", Conv::Word(&ARCHITECTURE)),
    Row::new("EphemeralStorage", "storage", Conv::Megabytes).at(&["Size"]),
    Row::new("FunctionName", "name", Conv::Expr),
    Row::new("Description", "description", Conv::Expr),
];
/// what it is attached to,
const ATTACHED: &[Row] = &[
    Row::custom("Layers", c::layers),
    Row::custom("VpcConfig", network::vpc),
    Row::custom("FileSystemConfigs", network::files),
    Row::custom("Environment", c::environment),
];
/// and how it runs.
const RUNNING: &[Row] = &[
    Row::new("SnapStart", "snap_start", Conv::Choice(APPLY_ON)).at(&["ApplyOn"]),
    Row::new("RecursiveLoop", "recursion", Conv::Word(&RECURSION)),
    Row::custom("RuntimeManagementConfig", c::runtime_updates),
    Row::new("CodeSigningConfigArn", "code_signing", Conv::Quoted),
    Row::new("TenancyConfig", "tenancy", Conv::Word(&TENANCY)).at(&["TenantIsolationMode"]),
];

const SAM_PARTS: &[&[Row]] = &[
    &[
        Row::custom("Runtime", c::runtime),
        Row::new("Handler", "handler", Conv::Text),
        Row::custom("CodeUri", c::sam_code),
        Row::with("InlineCode", "CodeUri"),
        Row::with("ImageUri", "CodeUri"),
    ],
    SIZE,
    &[Row::new("Tracing", "tracing", Conv::Word(&TRACING))],
    ATTACHED,
    &[
        Row::custom("Tags", c::tag_map),
        Row::custom("ReservedConcurrentExecutions", c::sam_concurrency),
        Row::with(
            "ProvisionedConcurrencyConfig",
            "ReservedConcurrentExecutions",
        ),
        Row::custom("EventInvokeConfig", c::event_invoke),
        Row::custom("FunctionUrlConfig", c::url),
        Row::custom("AutoPublishAlias", c::publish),
    ],
    RUNNING,
    &[
        Row::custom("DeadLetterQueue", c::dead_letter),
        Row::custom("LoggingConfig", c::logging),
        Row::new("PackageType", "", Conv::Read),
    ],
];

const CFN_PARTS: &[&[Row]] = &[
    &[
        Row::custom("Runtime", c::runtime),
        Row::new("Handler", "handler", Conv::Text),
        Row::custom("Code", c::cfn_code),
    ],
    SIZE,
    &[Row::new("TracingConfig", "tracing", Conv::Word(&TRACING)).at(&["Mode"])],
    ATTACHED,
    &[
        Row::custom("Tags", c::tag_list),
        Row::custom("ReservedConcurrentExecutions", c::sam_concurrency),
    ],
    RUNNING,
    &[
        Row::custom("DeadLetterConfig", c::dead_letter),
        Row::custom("LoggingConfig", c::logging),
        Row::new("PackageType", "", Conv::Read),
    ],
];

/// `AWS::Serverless::Function` and `Globals.Function`.
pub const SAM: &[Row] = &joined::<{ count(SAM_PARTS) }>(SAM_PARTS);

/// `AWS::Lambda::Function` of a plain CloudFormation template.
pub const CFN: &[Row] = &joined::<{ count(CFN_PARTS) }>(CFN_PARTS);

/// The rows of all `parts`.
const fn count(parts: &[&[Row]]) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < parts.len() {
        n += parts[i].len();
        i += 1;
    }
    n
}

/// `parts` one after the other, as one table (`N` is their [`count`]).
const fn joined<const N: usize>(parts: &[&[Row]]) -> [Row; N] {
    let mut out = [Row::new("", "", Conv::Read); N];
    let (mut n, mut i) = (0, 0);
    while i < parts.len() {
        let mut j = 0;
        while j < parts[i].len() {
            out[n] = parts[i][j];
            (n, j) = (n + 1, j + 1);
        }
        i += 1;
    }
    out
}

/// A serverless.yml function; the rows not marked `function_only` are `provider`'s too.
pub const SERVERLESS: &[Row] = &[
    Row::new("handler", "handler", Conv::Text).function_only(),
    Row::custom("image", c::image).function_only(),
    Row::custom("runtime", c::runtime),
    Row::new("memorySize", "memory", Conv::Megabytes),
    Row::new("timeout", "timeout", Conv::Seconds),
    Row::new("architecture", "architecture", Conv::Word(&ARCHITECTURE)),
    Row::new("logRetentionInDays", "log_retention", Conv::Days),
    Row::custom("tracing", c::serverless_tracing),
    Row::custom("layers", c::layers),
    Row::custom("vpc", network::vpc),
    Row::custom("fileSystemConfig", network::files).function_only(),
    Row::custom("environment", c::variables),
    Row::custom("tags", c::tag_map),
    Row::new("name", "name", Conv::Expr).function_only(),
    Row::new("description", "description", Conv::Expr).function_only(),
    Row::custom("reservedConcurrency", c::serverless_concurrency).function_only(),
    Row::with("provisionedConcurrency", "reservedConcurrency").function_only(),
    Row::custom("maximumRetryAttempts", c::serverless_async).function_only(),
    Row::with("maximumEventAge", "maximumRetryAttempts").function_only(),
    Row::with("destinations", "maximumRetryAttempts").function_only(),
    Row::custom("url", c::serverless_url).function_only(),
    Row::new("snapStart", "snap_start", Conv::Flag).function_only(),
    Row::custom("onError", c::dead_letter_arn).function_only(),
    Row::custom("runtimeManagement", c::serverless_runtime_updates),
];

/// What a conversion may read besides the value: the whole mapping and the date.
pub struct Input<'a> {
    pub props: &'a Map<String, Value>,
    pub today: NaiveDate,
    /// The key being converted (for comments).
    pub key: &'static str,
}

/// Write the settings `rows` read from `props`, in the table's order.
pub fn apply(rows: &[Row], w: &mut Writer, props: &Map<String, Value>, today: NaiveDate) {
    for row in rows {
        w.took(row.key);
        let followers = rows
            .iter()
            .any(|r| matches!(r.conv, Conv::With(k) if k == row.key) && props.contains_key(r.key));
        let value = props.get(row.key);
        if value.is_none() && !followers {
            continue;
        }
        let input = Input {
            props,
            today,
            key: row.key,
        };
        let null = Value::Null;
        convert(row, w, value.unwrap_or(&null), &input);
    }
}

/// The keys a table reads, for the lists of what is known.
pub fn keys(rows: &[Row]) -> impl Iterator<Item = &'static str> + '_ {
    rows.iter().map(|r| r.key)
}

fn convert(row: &Row, w: &mut Writer, v: &Value, input: &Input) {
    if let Conv::Custom(f) = row.conv {
        return f(w, v, input);
    }
    match option(row, w, v) {
        Ok(Some(line)) => w.line(line),
        Ok(None) => {}
        Err(why) => w.skip(format!("{} ({why})", row.key)),
    }
}

/// The options (`batch = 10`) that `rows` read from a trigger's properties `props`, in the
/// table's order; what does not come across is a comment naming `at`, the trigger.
pub fn options(rows: &[Row], w: &mut Writer, props: &Map<String, Value>, at: &str) -> Vec<String> {
    let mut out = Vec::new();
    for row in rows {
        let Some(v) = props.get(row.key) else {
            continue;
        };
        match option(row, w, v) {
            Ok(Some(o)) => out.push(o),
            Ok(None) => {}
            Err(why) => w.skip(format!("{at}: {} ({why})", row.key)),
        }
    }
    out
}

/// `WORD = VALUE` for the value `v` of the row's key, or nothing.
fn option(row: &Row, w: &Writer, v: &Value) -> Result<Option<String>, String> {
    let mut inner = v;
    for step in row.at {
        inner = inner.get(step).ok_or_else(|| shown(v))?;
    }
    if let Conv::Option(f) = row.conv {
        return f(w, inner);
    }
    Ok(value(row.conv, w, inner)?.map(|value| format!("{} = {value}", row.word)))
}

/// The value a simple row writes; `Ok(None)` writes nothing.
fn value(conv: Conv, w: &Writer, v: &Value) -> Result<Option<String>, String> {
    let must_know = || format!("a value lamc must know: {}", shown(v));
    Ok(Some(match conv {
        Conv::Text => crate::import::write::string(&literal(v).ok_or_else(|| shown(v))?),
        Conv::Expr => w.scope.expr(v)?,
        Conv::Quoted => c::quoted(&w.scope.expr(v)?),
        Conv::Count => number(v).ok_or_else(must_know)?.to_string(),
        Conv::Megabytes => format!("{}MB", number(v).ok_or_else(must_know)?),
        Conv::Seconds => fmt_seconds(number(v).ok_or_else(must_know)?),
        Conv::Days => format!("{}d", number(v).ok_or_else(must_know)?),
        Conv::Word(words) => {
            let first = v.as_array().and_then(|l| l.first()).unwrap_or(v);
            let found = first.as_str().and_then(|s| words.word_for(s));
            found.ok_or_else(|| shown(v))?.to_string()
        }
        Conv::Choice(choices) => {
            let s = v.as_str().unwrap_or_default();
            let found = choices.iter().find(|(from, _)| *from == s);
            found
                .map(|(_, to)| to.to_string())
                .ok_or_else(|| shown(v))?
        }
        Conv::Flag if resources::is_true(v) => "true".into(),
        Conv::Flag if matches!(v, Value::Bool(false)) || v.as_str() == Some("false") => {
            return Ok(None)
        }
        Conv::Flag => return Err(shown(v)),
        // Whole options and custom rows are made by their function (see `option`, `convert`).
        Conv::Option(_) | Conv::With(_) | Conv::Read | Conv::Custom(_) => return Ok(None),
    }))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn no_duplicate_keys(rows: &[Row]) {
        let mut seen = std::collections::BTreeSet::new();
        for r in rows {
            assert!(seen.insert(r.key), "{} twice", r.key);
        }
    }

    /// Each word a row writes is an attribute of `block`, and a word row's values are that
    /// attribute's own words: the importer speaks the schema's vocabulary.
    pub(in crate::import) fn rows_speak_the_schema(rows: &[Row], block: &str) {
        let block = crate::schema::block(block).expect("block");
        for r in rows.iter().filter(|r| !r.word.is_empty()) {
            let attr = block.attr(r.word);
            let attr = attr.unwrap_or_else(|| panic!("{}: {} is not lamc's", r.key, r.word));
            if let Conv::Word(words) = r.conv {
                let own = attr.words().map(|w| w.joined(" "));
                assert_eq!(own, Some(words.joined(" ")), "{}", r.key);
            }
        }
    }

    #[test]
    fn function_rows_write_the_schemas_attributes() {
        for rows in [SAM, CFN, SERVERLESS] {
            rows_speak_the_schema(rows, "function");
        }
    }

    #[test]
    fn every_table_reads_a_key_once_and_followers_name_a_row() {
        for rows in [SAM, CFN, SERVERLESS] {
            no_duplicate_keys(rows);
            for r in rows {
                if let Conv::With(leader) = r.conv {
                    assert!(rows.iter().any(|l| l.key == leader), "{leader}");
                }
            }
        }
    }
}
