//! Reading a SAM template or serverless.yml into one JSON value: JSON as it is, YAML through
//! serde-saphyr with CloudFormation's short-form intrinsics (`!Ref X`, `!GetAtt X.Arn`,
//! `!Sub "…"`) turned into their long form (`{"Ref": "X"}`, `{"Fn::GetAtt": ["X", "Arn"]}`),
//! so the rest of the importer sees one shape whichever way the file was written.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::Tagged;

/// The document in `text`, or why it is not YAML or JSON.
pub fn document(text: &str) -> Result<Value, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| format!("not valid JSON: {e}"));
    }
    // YAML 1.2 booleans only: a key or value `n`, `y`, `on` stays text, as CloudFormation
    // reads it.
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options::<Node>(trimmed, options)
        .map(|n| n.0)
        .map_err(|e| format!("not valid YAML: {}", first_line(&e.to_string())))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// The long form of a value written with the short tag `tag` (`!Ref`, `!GetAtt`, …). Tags
/// that are not CloudFormation's (YAML's own `!!str`, …) leave the value as it is.
fn with_tag(value: Value, tag: Option<&str>) -> Value {
    let Some(name) = tag.and_then(|t| t.strip_prefix('!')) else {
        return value;
    };
    if name.is_empty() || name.starts_with('!') || name.contains(':') {
        return value;
    }
    let key = match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    };
    let value = match (name, value) {
        // `!GetAtt Queue.Arn` is the long form's `[Queue, Arn]`.
        ("GetAtt", Value::String(s)) => match s.split_once('.') {
            Some((res, attr)) => Value::Array(vec![res.into(), attr.into()]),
            None => Value::String(s),
        },
        (_, v) => v,
    };
    let mut map = Map::new();
    map.insert(key, value);
    Value::Object(map)
}

/// A node with its tag applied.
struct Node(Value);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Tagged(Plain(value), tag) = Tagged::<Plain>::deserialize(d)?;
        Ok(Node(with_tag(value, tag.as_deref())))
    }
}

/// A node as YAML wrote it; its children are [`Node`]s.
struct Plain(Value);

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PlainVisitor).map(Plain)
    }
}

struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Plain::deserialize(d).map(|p| p.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Node(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(k)) = map.next_key()? {
            let Node(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// A mapping key: any scalar, as text (`200:` is the key "200").
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_form_intrinsics_become_the_long_form() {
        let doc = document(
            "A: !Ref Queue\nB: !GetAtt Queue.Arn\nC: !Sub \"${AWS::Region}-x\"\n\
             D: !If [Cond, 1, 2]\nE: !Join ['', [a, !Ref B]]\nF: !GetAtt [T, StreamArn]\n",
        )
        .expect("valid YAML");
        assert_eq!(
            doc,
            json!({
                "A": {"Ref": "Queue"},
                "B": {"Fn::GetAtt": ["Queue", "Arn"]},
                "C": {"Fn::Sub": "${AWS::Region}-x"},
                "D": {"Fn::If": ["Cond", 1, 2]},
                "E": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
                "F": {"Fn::GetAtt": ["T", "StreamArn"]},
            })
        );
    }

    #[test]
    fn json_and_yaml_scalars() {
        let doc = document("{\"a\": [1, true, null]}").expect("JSON");
        assert_eq!(doc, json!({"a": [1, true, null]}));
        let doc = document("v: 2010-09-09\nn: 1.5\ns: '010'\n200: x\n").expect("YAML");
        assert_eq!(
            doc,
            json!({"v": "2010-09-09", "n": 1.5, "s": "010", "200": "x"})
        );
        assert!(document("a: [unclosed").is_err());
    }
}
