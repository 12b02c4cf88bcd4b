//! Patterns from the AWS documentation, each with the codes lamc reports for it. The same
//! table, with the pages, is docs/event-patterns.md. Pages:
//!
//! - EP: EventBridge User Guide, "Event patterns",
//!   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
//! - CF: EventBridge User Guide, "Content filtering in event patterns",
//!   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
//! - OP: EventBridge User Guide, "Comparison operators for use in event patterns",
//!   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
//! - LF: Lambda Developer Guide, "Control which events Lambda sends to your function",
//!   https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
//!
//! Examples the pages show as fragments of an event's `detail` are placed there, under a
//! `source`, so that the row tests the fragment and nothing else.

use super::{check, json_len, Dialect, Key, Node, Record, Tree};
use crate::source::Span;

const R: Dialect = Dialect::Rule;
const SQS: Dialect = Dialect::Filter(Record::Sqs);
const DDB: Dialect = Dialect::Filter(Record::DynamoDb);
const KIN: Dialect = Dialect::Filter(Record::Kinesis);

/// (page, dialect, pattern as JSON, the codes reported).
const TABLE: &[(&str, Dialect, &str, &[&str])] = &[
    // ---- valid rule patterns --------------------------------------------------------
    (
        "EP",
        R,
        r#"{"source":["aws.ec2"],"detail-type":["EC2 Instance State-change Notification"],"detail":{"state":["running"]}}"#,
        &[],
    ),
    (
        "EP",
        R,
        r#"{"source":["aws.autoscaling"],"detail-type":["EC2 Instance Launch Successful","EC2 Instance Terminate Successful"]}"#,
        &[],
    ),
    (
        "EP",
        R,
        r#"{"source":["aws.ec2"],"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f","arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"]}"#,
        &[],
    ),
    (
        "EP",
        R,
        r#"{"source":["aws.ec2"],"detail":{"responseElements":{"eventId":[null]},"lastName":[""]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["aws.ec2"],"time":[{"prefix":"2017-10-02"}]}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"service":[{"prefix":{"equals-ignore-case":"EventB"}}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"FileName":[{"suffix":".png"}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"anything-but":"initializing"}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"x-limit":[{"anything-but":123}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"x-limit":[{"anything-but":[100,200,300]}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"numeric":["=",3.018e2]}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"sourceIPAddress":[{"cidr":"2001:db8::/64"}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"exists":true}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"exists":false}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["aws.ec2"],"detail-type":[{"equals-ignore-case":"ec2 instance state-change notification"}]}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"EventBusArn":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",3.018e2]}]}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["aws.ec2"],"$or":[{"detail-type":["EC2 Instance State-change Notification"]},{"detail":{"state":["terminated"]}}]}"#,
        &[],
    ),
    (
        "OP",
        R,
        r#"{"source":["my.app"],"detail":{"Location":["New York"],"Day":["Monday"]}}"#,
        &[],
    ),
    (
        "OP",
        R,
        r#"{"source":["my.app"],"detail":{"Region":[{"anything-but":{"prefix":"us-"}}]}}"#,
        &[],
    ),
    (
        "OP",
        R,
        r#"{"source":["my.app"],"detail":{"Price":[{"numeric":[">",10,"<=",20]}]}}"#,
        &[],
    ),
    (
        "OP",
        R,
        r#"{"$or":[{"source":["aws.ec2"]},{"source":["aws.s3"]}]}"#,
        &[],
    ),
    // ---- invalid rule patterns ------------------------------------------------------
    ("EP", R, r#"{"source":["aws.ec2"],"detail":{}}"#, &["E0488"]),
    ("EP", R, r#"{"source":[]}"#, &["E0488"]),
    ("EP", R, r#"{"source":"aws.ec2"}"#, &["E0304"]),
    ("EP", R, r#"{"source":[["aws.ec2"]]}"#, &["E0304"]),
    (
        "EP",
        R,
        r#"{"source":["aws.ec2"],"detailType":["x"]}"#,
        &["E0107"],
    ),
    (
        "EP",
        R,
        r#"{"source":["aws.ec2"],"state":["running"]}"#,
        &["E0107"],
    ),
    (
        "EP",
        R,
        r#"{"detail-type":["EC2 Instance State-change Notification"]}"#,
        &["W0552"],
    ),
    ("CF", R, r#"{"source":[{"prefixx":"aws."}]}"#, &["E0305"]),
    (
        "CF",
        R,
        r#"{"source":[{"prefix":"aws.","suffix":".ec2"}]}"#,
        &["E0305"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"n":[{"numeric":[">",0,"<="]}]}}"#,
        &["E0306"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"n":[{"numeric":[">",0,">",5]}]}}"#,
        &["E0306"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"n":[{"numeric":["=",5,"<",10]}]}}"#,
        &["E0306"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"n":[{"numeric":[">","10"]}]}}"#,
        &["E0306"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"n":[{"numeric":["!=",5]}]}}"#,
        &["E0306"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"n":[{"numeric":">10"}]}}"#,
        &["E0306"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"n":[{"numeric":[">",10,"<",5]}]}}"#,
        &["W0554"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"n":[{"numeric":[">=",5,"<=",5]}]}}"#,
        &[],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"exists":"true"}]}}"#,
        &["E0307"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"prefix":5}]}}"#,
        &["E0307"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"ip":[{"cidr":"10.0.0.0/33"}]}}"#,
        &["E0307"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"ip":[{"cidr":"10.0.0.0"}]}}"#,
        &["E0307"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"state":[{"anything-but":["stopped",1]}]}}"#,
        &["E0307"],
    ),
    (
        "CF",
        R,
        r#"{"source":["my.app"],"detail":{"$or":{"a":["x"]}}}"#,
        &["E0489"],
    ),
    // ---- Lambda event filters -------------------------------------------------------
    (
        "LF",
        KIN,
        r#"{"partitionKey":["1"],"data":{"Location":["Los Angeles"]}}"#,
        &[],
    ),
    (
        "LF",
        KIN,
        r#"{"data":{"Temperature":[{"numeric":[">",50,"<=",60]}]}}"#,
        &[],
    ),
    (
        "LF",
        DDB,
        r#"{"dynamodb":{"Keys":{"Id":{"N":["101"]}}}}"#,
        &[],
    ),
    ("LF", DDB, r#"{"eventName":["INSERT"]}"#, &[]),
    ("LF", SQS, r#"{"body":{"RequestCode":["BBBB"]}}"#, &[]),
    (
        "LF",
        SQS,
        r#"{"body":{"Weather":[{"anything-but":["Raining"]}],"UserID":[null],"LastName":[""]}}"#,
        &[],
    ),
    (
        "LF",
        SQS,
        r#"{"body":{"ProductName":[{"exists":false}],"Region":[{"prefix":"us-"}]}}"#,
        &[],
    ),
    (
        "LF",
        SQS,
        r#"{"body":{"Price":[{"numeric":["=",100]}]}}"#,
        &[],
    ),
    (
        "LF",
        SQS,
        r#"{"body":{"path":[{"wildcard":"*/lib/*"}]}}"#,
        &["E0486"],
    ),
    (
        "LF",
        SQS,
        r#"{"body":{"ip":[{"cidr":"10.0.0.0/24"}]}}"#,
        &["E0486"],
    ),
    (
        "LF",
        SQS,
        r#"{"$or":[{"body":{"a":["x"]}},{"body":{"b":["y"]}}]}"#,
        &["E0486"],
    ),
    (
        "LF",
        SQS,
        r#"{"body":{"Region":[{"anything-but":{"prefix":"us-"}}]}}"#,
        &["E0486"],
    ),
    (
        "LF",
        DDB,
        r#"{"body":{"RequestCode":["BBBB"]}}"#,
        &["E0487"],
    ),
    ("LF", KIN, r#"{"Location":["Los Angeles"]}"#, &["E0487"]),
    (
        "LF",
        SQS,
        r#"{"Body":{"RequestCode":["BBBB"]}}"#,
        &["E0487"],
    ),
];

/// The JSON of a row as the tree the checker would build (spans all empty).
fn tree(v: &serde_json::Value) -> Tree {
    let node = match v {
        serde_json::Value::Object(m) => Node::Map(
            m.iter()
                .map(|(k, v)| {
                    let key = Key {
                        name: k.clone(),
                        span: Span::default(),
                    };
                    (key, tree(v))
                })
                .collect(),
        ),
        serde_json::Value::Array(items) => Node::List(items.iter().map(tree).collect()),
        serde_json::Value::String(s) => Node::Str(s.clone()),
        serde_json::Value::Number(n) => Node::Num(n.to_string()),
        serde_json::Value::Bool(b) => Node::Bool(*b),
        serde_json::Value::Null => Node::Null,
    };
    Tree {
        node,
        span: Span::default(),
    }
}

#[test]
fn documented_patterns_report_exactly_their_codes() {
    assert!(TABLE.len() >= 40);
    let mut wrong = Vec::new();
    for (page, dialect, json, expected) in TABLE {
        let value: serde_json::Value = match serde_json::from_str(json) {
            Ok(v) => v,
            Err(e) => panic!("row {json} is not JSON: {e}"),
        };
        let got: Vec<&str> = check(&tree(&value), *dialect)
            .iter()
            .map(|p| p.code().as_str())
            .collect();
        if got != *expected {
            wrong.push(format!("{page} {json}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_table_in_the_docs_is_this_table() {
    let docs = include_str!("../../docs/event-patterns.md");
    for (_, _, json, _) in TABLE {
        assert!(docs.contains(json), "docs/event-patterns.md lacks {json}");
    }
}

#[test]
fn json_length_is_that_of_compact_json() {
    for (_, _, json, _) in TABLE {
        let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
        let compact = serde_json::to_string(&value).unwrap_or_default();
        assert_eq!(json_len(&tree(&value)), compact.len(), "{json}");
    }
}

/// A rule pattern of `n` values of 20 characters under `detail.id`.
fn long_pattern(n: usize) -> Tree {
    let values: Vec<String> = (0..n).map(|i| format!("\"{i:0>18}\"")).collect();
    let json = format!(
        r#"{{"source":["my.app"],"detail":{{"id":[{}]}}}}"#,
        values.join(",")
    );
    tree(&serde_json::from_str(&json).unwrap_or_default())
}

#[test]
fn long_rule_patterns_warn_then_fail() {
    let codes = |n, d| -> Vec<&str> {
        check(&long_pattern(n), d)
            .iter()
            .map(|p| p.code().as_str())
            .collect()
    };
    // 42 characters of frame, 21 per value: 95 values are 2,036, 98 are 2,099.
    assert_eq!(codes(95, R), Vec::<&str>::new());
    assert_eq!(codes(98, R), vec!["W0555"]);
    assert_eq!(codes(196, R), vec!["E0484"]);
    // A Lambda filter has no lower default quota.
    let filter = |n| {
        let json = format!(
            r#"{{"body":{{"id":[{}]}}}}"#,
            (0..n)
                .map(|i| format!("\"{i:0>18}\""))
                .collect::<Vec<_>>()
                .join(",")
        );
        check(&tree(&serde_json::from_str(&json).unwrap_or_default()), SQS)
            .iter()
            .map(|p| p.code().as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(filter(98), Vec::<&str>::new());
    assert_eq!(filter(196), vec!["E0484"]);
}
