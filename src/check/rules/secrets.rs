//! W0507: a credential written in plain text where it ends up in the template: an `env`
//! value (also when it comes from a `let`) or a parameter's default. Best practice is to
//! keep secrets in Secrets Manager or SSM Parameter Store and pass only their names.
//!
//! A value is a secret when its name says so (`DB_PASSWORD`, `let api_token`, `param
//! db_password`) and it is a literal, or whatever its name when its text has the shape of
//! one: a private key block, an AWS access key id, a URL with a password, a JWT or a token
//! with a prefix its vendor documents (`ghp_`, `xoxb-`, `sk_live_`, …).

use crate::diag::{Code, Diagnostic};
use crate::model::{Function, Model, Param, ParamType, Value};
use crate::source::Span;

use super::RuleContext;

/// Key words that mark a name as holding a credential.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
];
/// Suffixes that mean the name says where a secret is kept, not the secret itself.
const POINTER_SUFFIXES: &[&str] = &[
    "_ARN",
    "_NAME",
    "_PARAM",
    "_PARAMETER",
    "_PATH",
    "_ID",
    "_URL",
    "_KEY_ID",
    "_TTL",
    "_HEADER",
    "_REGION",
];

/// Token prefixes their vendors document, with the least number of characters that
/// follow the prefix in a real token and what the token is.
const TOKEN_PREFIXES: &[(&str, usize, &str)] = &[
    ("ghp_", 30, "a GitHub personal access token"),
    ("gho_", 30, "a GitHub OAuth token"),
    ("ghu_", 30, "a GitHub user-to-server token"),
    ("ghs_", 30, "a GitHub server-to-server token"),
    ("ghr_", 30, "a GitHub refresh token"),
    ("github_pat_", 30, "a GitHub fine-grained access token"),
    ("glpat-", 20, "a GitLab personal access token"),
    ("xoxb-", 10, "a Slack bot token"),
    ("xoxp-", 10, "a Slack user token"),
    ("xoxa-", 10, "a Slack app token"),
    ("xapp-", 10, "a Slack app-level token"),
    ("sk_live_", 10, "a Stripe secret key"),
    ("rk_live_", 10, "a Stripe restricted key"),
    ("AIza", 35, "a Google API key"),
    ("npm_", 30, "an npm access token"),
];

fn named_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
        && !POINTER_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

/// A value that names where a secret is kept rather than holding it.
fn pointer_value(value: &str) -> bool {
    value.starts_with("arn:")
        || value.starts_with("{{resolve:")
        || value.starts_with('/')
        || value.len() < 4
}

fn looks_like_access_key(s: &str) -> bool {
    // AKIA… (long-term) / ASIA… (temporary): 4 + 16 upper-case letters or digits.
    let b = s.as_bytes();
    b.windows(20).any(|w| {
        (w.starts_with(b"AKIA") || w.starts_with(b"ASIA"))
            && w[4..]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

/// `scheme://user:password@host…` with a non-empty password.
fn url_with_password(s: &str) -> bool {
    s.match_indices("://").any(|(at, _)| {
        let rest = &s[at + 3..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        authority.rsplit_once('@').is_some_and(|(userinfo, host)| {
            !host.is_empty()
                && userinfo
                    .split_once(':')
                    .is_some_and(|(_, password)| !password.is_empty())
        })
    })
}

fn base64url(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
}

/// `eyJ….eyJ….…`: a JSON header and payload, base64url-encoded, and a signature.
fn looks_like_jwt(s: &str) -> bool {
    s.contains("eyJ")
        && s.split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .any(|word| {
                let mut parts = word.split('.');
                match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some(h), Some(p), Some(sig), None) => {
                        h.starts_with("eyJ")
                            && p.starts_with("eyJ")
                            && h.len() >= 10
                            && p.len() >= 10
                            && base64url(h)
                            && base64url(p)
                            && base64url(sig)
                    }
                    _ => false,
                }
            })
}

fn token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The vendor token in `s`, if any: a documented prefix at the start of a word followed
/// by at least as many token characters as the vendor's tokens have. The first prefix of
/// [`TOKEN_PREFIXES`] that matches anywhere wins. Every environment value of every
/// function is read at every edit in the language server, so the value is walked once,
/// word by word, rather than searched once per prefix.
fn vendor_token(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    let word_starts = (0..b.len()).filter(|&at| at == 0 || !token_byte(b[at - 1]));
    let mut best: Option<usize> = None;
    for at in word_starts {
        let candidates = TOKEN_PREFIXES.iter().enumerate();
        let limit = best.unwrap_or(TOKEN_PREFIXES.len());
        let found = candidates.take(limit).find(|(_, (prefix, min, _))| {
            let tail = b[at..].strip_prefix(prefix.as_bytes());
            tail.is_some_and(|t| t.iter().take_while(|&&c| token_byte(c)).count() >= *min)
        });
        best = found.map(|(k, _)| k).or(best);
    }
    best.map(|k| TOKEN_PREFIXES[k].2)
}

/// Why the text of a value looks like a secret whatever its name, if it does.
fn shape_reason(value: &str) -> Option<String> {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("this is a private key".into());
    }
    if looks_like_access_key(value) {
        return Some("this looks like an AWS access key id".into());
    }
    if let Some(what) = vendor_token(value) {
        return Some(format!("this looks like {what}"));
    }
    if looks_like_jwt(value) {
        return Some("this looks like a JSON Web Token".into());
    }
    if url_with_password(value) {
        return Some("this URL carries a password".into());
    }
    None
}

/// Why a literal written under `name` is a secret by its name, if it is.
fn name_reason(name: &str, value: &str) -> Option<String> {
    (named_secret(name) && !pointer_value(value))
        .then(|| "a literal credential in the template".into())
}

/// Why a value written under `name` looks like a secret, if it does.
fn secret_reason(name: &str, value: &str) -> Option<String> {
    shape_reason(value).or_else(|| name_reason(name, value))
}

/// The literal text of a value: a string, or the literal parts of an interpolated one.
fn literal_texts(v: &Value) -> Vec<&str> {
    match v {
        Value::Str(s) => vec![s.as_str()],
        Value::Concat(parts) => parts
            .iter()
            .filter_map(|p| match p {
                Value::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Secrets in the functions' environments (each function on its own).
pub(crate) fn check(functions: &[Function], ctx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for f in functions {
        env(ctx, f, out);
    }
}

/// Secrets in the parameters' defaults.
pub(crate) fn params(model: &Model, out: &mut Vec<Diagnostic>) {
    for p in &model.params {
        out.extend(param_default(p));
    }
}

/// The `let` whose value is written at `span`, when the value came from one.
fn let_name<'a>(ctx: &RuleContext<'a>, span: Span) -> Option<&'a str> {
    let lets = ctx.let_values;
    lets.binary_search_by(|(s, _)| s.cmp(&span))
        .ok()
        .map(|i| lets[i].1.as_str())
}

fn env(ctx: &RuleContext, f: &Function, out: &mut Vec<Diagnostic>) {
    for (key, value) in &f.env {
        let bound = let_name(ctx, value.span);
        // A whole literal is judged by its names; parts of an interpolation by their shape.
        let whole = matches!(value.value, Value::Str(_));
        let reason = literal_texts(&value.value).into_iter().find_map(|text| {
            let by_shape = shape_reason(text);
            let by_name = || {
                let names = std::iter::once(key.as_str()).chain(bound);
                names.filter(|_| whole).find_map(|n| name_reason(n, text))
            };
            by_shape.or_else(by_name)
        });
        let Some(reason) = reason else { continue };
        let key_span = f.env_key_spans.get(key).copied().unwrap_or(value.span);
        let mut d = Diagnostic::new(
            Code::W0507,
            value.span,
            format!("`{key}` looks like a secret written in plain text"),
        )
        .label(reason);
        if let Some(name) = bound {
            d = d.secondary(key_span, format!("set here from `let {name}`"));
        } else {
            d = d.secondary(key_span, "set here");
        }
        out.push(d.help(
            "store it in SSM Parameter Store (SecureString) or Secrets Manager and pass its name instead",
        ));
    }
}

fn param_default(p: &Param) -> Option<Diagnostic> {
    let default = p.default.as_ref().filter(|_| p.ty == ParamType::String)?;
    let reason = secret_reason(&p.name.value, &default.value)?;
    let marked = p.secret.as_ref().is_some_and(|s| s.value);
    let help = if marked {
        "remove the default and pass the value when deploying: a default is written into the template even with `secret = true`".to_string()
    } else {
        format!(
            "remove the default, pass the value when deploying and mark the parameter secret: `param {}: string {{ secret = true }}`",
            p.name.value
        )
    };
    Some(
        Diagnostic::new(
            Code::W0507,
            default.span,
            format!(
                "the default of parameter `{}` looks like a secret written in plain text",
                p.name.value
            ),
        )
        .label(reason)
        .secondary(p.name.span, "parameter declared here")
        .help(help),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::S;

    fn set(kit: &mut Kit, f: &mut Function, key: &str, value: Value) -> S<Value> {
        let ks = kit.span(key);
        let v = kit.s("\"…\"", value);
        f.env.insert(key.to_string(), v.clone());
        f.env_key_spans.insert(key.to_string(), ks);
        v
    }

    #[test]
    fn named_and_shaped_secrets_are_flagged_pointers_are_not() {
        let mut kit = Kit::new();
        let mut f = kit.function("f");
        let flagged = [
            set(
                &mut kit,
                &mut f,
                "DB_PASSWORD",
                Value::Str("hunter2!".into()),
            ),
            set(
                &mut kit,
                &mut f,
                "CONFIG",
                Value::Str("AKIAIOSFODNN7EXAMPLE".into()),
            ),
            set(
                &mut kit,
                &mut f,
                "DSN",
                Value::Str("postgres://app:s3cr3t@db:5432/app".into()),
            ),
            set(
                &mut kit,
                &mut f,
                "GH",
                Value::Str(format!("ghp_{}", "a1B2".repeat(9))),
            ),
            set(
                &mut kit,
                &mut f,
                "SLACK",
                Value::Str("xoxb-1234567890-abcdefghij".into()),
            ),
            set(
                &mut kit,
                &mut f,
                "AUTH",
                Value::Str(
                    "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl".into(),
                ),
            ),
        ];
        set(
            &mut kit,
            &mut f,
            "DB_PASSWORD_PARAM",
            Value::Str("/prod/db/password".into()),
        );
        set(
            &mut kit,
            &mut f,
            "API_TOKEN_ARN",
            Value::Str("arn:aws:secretsmanager:x".into()),
        );
        set(&mut kit, &mut f, "STAGE", Value::Str("prod".into()));
        set(
            &mut kit,
            &mut f,
            "SITE",
            Value::Str("https://user@example.com/x".into()),
        );
        set(&mut kit, &mut f, "PREFIX", Value::Str("ghp_".into()));
        set(
            &mut kit,
            &mut f,
            "BRANCH",
            Value::Str("fix/ghp_short".into()),
        );
        let diags = kit.run(&model(vec![f]));
        let found: Vec<Span> = with_code(&diags, Code::W0507)
            .iter()
            .map(|d| d.primary.span)
            .collect();
        let want: Vec<Span> = flagged.iter().map(|v| v.span).collect();
        assert_eq!(found.len(), want.len(), "{diags:#?}");
        assert!(want.iter().all(|s| found.contains(s)));
    }

    #[test]
    fn shapes() {
        assert!(url_with_password("redis://:pw@cache:6379"));
        assert!(!url_with_password("https://example.com/a@b"));
        assert!(!url_with_password("mailto:someone@example.com"));
        assert!(looks_like_jwt("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.x"));
        assert!(!looks_like_jwt("eyJ.eyJ.x"));
        assert_eq!(
            vendor_token("sk_live_51HfJ2eKqR8vT3mZ9pL0wX4yB"),
            Some("a Stripe secret key")
        );
        assert_eq!(vendor_token("risk_live_51HfJ2eKqR8vT3"), None);
        // A prefix counts at the start of any word, too short a tail does not count, and
        // of two tokens the one whose prefix comes first in the table is named.
        let slack = "xoxb-1234567890-abcdef";
        let github = "ghp_0123456789abcdefghijklmnopqrstuv";
        assert_eq!(
            vendor_token(&format!("Bearer {slack}")),
            Some("a Slack bot token")
        );
        assert_eq!(vendor_token("url=xoxb-short"), None);
        assert_eq!(
            vendor_token(&format!("{slack} {github}")),
            Some("a GitHub personal access token")
        );
        assert!(!looks_like_jwt("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.x.y"));
    }
}
