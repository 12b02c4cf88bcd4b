//! serverless.yml variables, resolved before the rest of the file is read:
//!
//! - `${opt:stage, 'dev'}`, `${sls:stage}` → the parameter `stage` (default the fallback,
//!   else `provider.stage`, else `dev`, the Framework's default);
//! - `${env:NAME}` → a parameter named after the variable (default the fallback);
//! - `${self:path.to.value}` → that value of the file, resolved in turn;
//! - `${opt:region}`, `${aws:region}` → the stack's region, `${aws:accountId}` → its account;
//! - `'literal'` fallbacks → the literal.
//!
//! A string with parameters becomes an `Fn::Sub` (`{"Fn::Sub": "${stage}-orders"}`, the
//! parameter named by its lamc name), so the rest of the importer reads one kind of value.
//! Anything else (`${ssm:…}`, `${file(…)}`, `${cf:…}`) becomes a one-key object naming it,
//! which the importer reports where it is used.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::write::snake;

/// The Framework's default stage (`sls deploy` without `--stage`).
const DEFAULT_STAGE: &str = "dev";

/// How deep `${self:…}` may lead to other variables before it is given up (a loop).
const MAX_DEPTH: usize = 16;

/// How many variables one file may resolve in all: `${self:…}` chains that fan out
/// (`a: ${self:b}${self:b}`, `b: ${self:c}${self:c}`, …) would otherwise grow exponentially.
const MAX_STEPS: usize = 100_000;

/// A parameter the variables need: lamc name → default.
pub type Params = BTreeMap<String, Option<String>>;

/// The file with its variables resolved, and the parameters they became.
pub fn resolve(config: &Value) -> (Value, Params) {
    let mut r = Resolver {
        root: config,
        params: Params::new(),
        steps: 0,
    };
    let out = r.value(config, 0);
    (out, r.params)
}

struct Resolver<'a> {
    root: &'a Value,
    params: Params,
    /// Variables resolved so far (see [`MAX_STEPS`]).
    steps: usize,
}

/// A piece of a resolved string.
enum Piece {
    Text(String),
    /// `${…}` of an `Fn::Sub`: a parameter's lamc name or `AWS::Region`.
    Sub(String),
}

impl Resolver<'_> {
    fn value(&mut self, v: &Value, depth: usize) -> Value {
        match v {
            Value::String(s) if s.contains("${") => self.string(s, depth),
            Value::Array(items) => {
                Value::Array(items.iter().map(|i| self.value(i, depth)).collect())
            }
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), self.value(v, depth)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn string(&mut self, s: &str, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return unresolved(s);
        }
        let spans = variables(s);
        // A string that is one variable takes that variable's value, whatever its type.
        if let [(0, end)] = spans.as_slice() {
            if *end == s.len() {
                return self.variable(&s[2..end - 1], depth);
            }
        }
        let mut pieces = Vec::new();
        let mut at = 0;
        for (start, end) in spans {
            pieces.push(Piece::Text(s[at..start].to_string()));
            match self.variable(&s[start + 2..end - 1], depth) {
                Value::String(t) => pieces.push(Piece::Text(t)),
                Value::Number(n) => pieces.push(Piece::Text(n.to_string())),
                Value::Bool(b) => pieces.push(Piece::Text(b.to_string())),
                Value::Object(m) if m.len() == 1 && m.contains_key("Fn::Sub") => {
                    let inner = m["Fn::Sub"].as_str().unwrap_or_default();
                    pieces.extend(sub_pieces(inner));
                }
                other => return other,
            }
            at = end;
        }
        pieces.push(Piece::Text(s[at..].to_string()));
        assemble(pieces)
    }

    /// The value of `${inner}`: each comma-separated source in turn until one resolves.
    fn variable(&mut self, inner: &str, depth: usize) -> Value {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return unresolved(&format!("${{{inner}}}"));
        }
        let sources = split_sources(inner);
        let fallback = sources.get(1..).and_then(|rest| {
            rest.iter()
                .find_map(|s| self.source(s.trim(), depth, None).filter(|v| v.is_string()))
        });
        let fallback_text = fallback
            .as_ref()
            .and_then(Value::as_str)
            .map(str::to_string);
        let first = sources.first().map(|s| s.trim()).unwrap_or_default();
        self.source(first, depth, fallback_text)
            .or(fallback)
            .unwrap_or_else(|| unresolved(&format!("${{{inner}}}")))
    }

    fn source(&mut self, src: &str, depth: usize, fallback: Option<String>) -> Option<Value> {
        if let Some(lit) = quoted_literal(src) {
            return Some(Value::String(lit));
        }
        if let Ok(n) = src.parse::<i64>() {
            return Some(Value::Number(n.into()));
        }
        match src {
            "opt:stage" | "sls:stage" | "self:provider.stage" => {
                let default = fallback
                    .or_else(|| self.provider_stage())
                    .unwrap_or_else(|| DEFAULT_STAGE.into());
                return Some(self.param("stage", Some(default)));
            }
            "opt:region" | "aws:region" | "sls:region" => return Some(sub("AWS::Region")),
            "aws:accountId" => return Some(sub("AWS::AccountId")),
            _ => {}
        }
        if let Some(name) = src.strip_prefix("env:") {
            return Some(self.param(&snake(name), fallback));
        }
        if let Some(path) = src.strip_prefix("self:") {
            let found = lookup(self.root, path)?.clone();
            return Some(self.value(&found, depth + 1));
        }
        None
    }

    /// `provider.stage` when it is a literal.
    fn provider_stage(&self) -> Option<String> {
        let s = self.root.get("provider")?.get("stage")?.as_str()?;
        (!s.contains("${")).then(|| s.to_string())
    }

    fn param(&mut self, name: &str, default: Option<String>) -> Value {
        let entry = self.params.entry(name.to_string()).or_insert(None);
        if entry.is_none() {
            *entry = default;
        }
        sub(name)
    }
}

/// `{"Fn::Sub": "${name}"}`.
fn sub(name: &str) -> Value {
    let mut m = Map::new();
    m.insert("Fn::Sub".into(), Value::String(format!("${{{name}}}")));
    Value::Object(m)
}

/// A one-key object naming a variable lamc cannot resolve (the importer reports it).
fn unresolved(text: &str) -> Value {
    let mut m = Map::new();
    m.insert(format!("serverless variable {text}"), Value::Null);
    Value::Object(m)
}

/// The `${…}` spans of `s` (byte ranges including `${` and `}`), nested ones inside.
fn variables(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' && bytes[i + 1] == b'{' {
            let mut depth = 0;
            let mut j = i;
            let mut end = None;
            while j < bytes.len() {
                if bytes[j] == b'{' {
                    depth += 1;
                } else if bytes[j] == b'}' {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j + 1);
                        break;
                    }
                }
                j += 1;
            }
            match end {
                Some(e) => {
                    out.push((i, e));
                    i = e;
                }
                None => break,
            }
        } else {
            i += 1;
        }
    }
    out
}

/// `opt:stage, 'dev'` → [`opt:stage`, `'dev'`] (commas inside quotes or `${…}` kept).
fn split_sources(inner: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    let mut quote = None;
    for c in inner.chars() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('{', None) => depth += 1,
            ('}', None) => depth -= 1,
            (',', None) if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("one source").push(c);
    }
    out
}

fn quoted_literal(src: &str) -> Option<String> {
    ['\'', '"'].iter().find_map(|q| {
        src.strip_prefix(*q)
            .and_then(|s| s.strip_suffix(*q))
            .map(str::to_string)
    })
}

/// `provider.environment.TABLE` in the file.
fn lookup<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    if path.is_empty() {
        return Some(root);
    }
    path.split('.').try_fold(root, |v, key| v.get(key))
}

fn sub_pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push(Piece::Text(rest[..start].to_string()));
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push(Piece::Sub(rest[start + 2..start + end].to_string()));
        rest = &rest[start + end + 1..];
    }
    out.push(Piece::Text(rest.to_string()));
    out
}

/// Pieces as a string, or an `Fn::Sub` when some are parameters or pseudo-parameters.
fn assemble(pieces: Vec<Piece>) -> Value {
    if pieces.iter().all(|p| matches!(p, Piece::Text(_))) {
        let text: String = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Sub(_) => String::new(),
            })
            .collect();
        return Value::String(text);
    }
    let mut text = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => text.push_str(&t.replace("${", "${!")),
            Piece::Sub(name) => text.push_str(&format!("${{{name}}}")),
        }
    }
    let mut m = Map::new();
    m.insert("Fn::Sub".into(), Value::String(text));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stage_env_self_and_literals() {
        let config = json!({
            "service": "orders",
            "provider": {"stage": "${opt:stage, 'prod'}", "environment": {
                "TABLE": "${self:service}-${sls:stage}",
                "KEY": "${env:API_KEY}",
                "REGION": "${opt:region, 'us-east-1'}",
                "SIZE": "${self:custom.size}",
                "SECRET": "${ssm:/orders/secret}",
            }},
            "custom": {"size": 3},
        });
        let (out, params) = resolve(&config);
        let env = &out["provider"]["environment"];
        assert_eq!(env["TABLE"], json!({"Fn::Sub": "orders-${stage}"}));
        assert_eq!(env["KEY"], json!({"Fn::Sub": "${api_key}"}));
        assert_eq!(env["REGION"], json!({"Fn::Sub": "${AWS::Region}"}));
        assert_eq!(env["SIZE"], json!(3));
        assert_eq!(
            env["SECRET"],
            json!({"serverless variable ${ssm:/orders/secret}": null})
        );
        assert_eq!(params.get("stage"), Some(&Some("prod".to_string())));
        assert_eq!(params.get("api_key"), Some(&None));
    }

    #[test]
    fn fan_outs_end() {
        let mut config = serde_json::Map::new();
        for i in 0..40 {
            let next = format!("${{self:v{}}}", i + 1);
            config.insert(format!("v{i}"), Value::String(next.repeat(8)));
        }
        config.insert("v40".into(), Value::String("x".into()));
        let started = std::time::Instant::now();
        let (out, _) = resolve(&Value::Object(config));
        assert!(out["v0"].is_object() || out["v0"].is_string());
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn loops_end() {
        let config = json!({"a": "${self:b}", "b": "${self:a}"});
        let (out, _) = resolve(&config);
        assert!(out["a"].is_object(), "{out}");
    }
}
