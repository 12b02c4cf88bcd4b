use super::*;
use crate::model::{Pseudo, Value};

fn arn(text: &str) -> Vec<ArnText> {
    vec![ArnText::literal(text)]
}

const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:jobs";
const TOPIC_ARN: &str = "arn:aws:kafka:us-east-1:123456789012:topic/orders/0123abcd-01/clicks";
const CLUSTER_ARN: &str = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/0123abcd-01";

#[test]
fn the_table_covers_the_services_lamc_users_touch() {
    for prefix in [
        "s3",
        "sqs",
        "sns",
        "dynamodb",
        "kinesis",
        "lambda",
        "events",
        "scheduler",
        "secretsmanager",
        "ssm",
        "kms",
        "states",
        "kafka-cluster",
        "logs",
        "xray",
    ] {
        let s = service(prefix).unwrap_or_else(|| panic!("{prefix} missing"));
        assert!(s
            .url
            .starts_with("https://docs.aws.amazon.com/service-authorization/"));
        assert!(s.action_names().count() > 5, "{prefix}");
    }
    assert!(service("ec2").is_none());
}

#[test]
fn actions_apply_to_the_resource_types_the_reference_lists() {
    // The contract's examples: MSK's data-plane reads name topics, not clusters.
    assert_eq!(
        judge("kafka-cluster:ReadData", &arn(TOPIC_ARN)),
        Verdict::Applies
    );
    assert!(matches!(
        judge("kafka-cluster:ReadData", &arn(CLUSTER_ARN)),
        Verdict::Elsewhere(f) if f == ["arn:${Partition}:kafka:${Region}:${Account}:topic/.*"]
    ));
    assert_eq!(
        judge("kafka-cluster:Connect", &arn(CLUSTER_ARN)),
        Verdict::Applies
    );
    assert!(matches!(
        judge("s3:GetObject", &arn(QUEUE)),
        Verdict::Elsewhere(_)
    ));
    assert_eq!(judge("sqs:SendMessage", &arn(QUEUE)), Verdict::Applies);
    // Case does not count in IAM action names.
    assert_eq!(judge("SQS:sendmessage", &arn(QUEUE)), Verdict::Applies);
    // kms:Decrypt names keys; an alias ARN does not grant it.
    let key = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-0123-0123-0123456789ab";
    assert_eq!(judge("kms:Decrypt", &arn(key)), Verdict::Applies);
    let alias = "arn:aws:kms:us-east-1:123456789012:alias/data";
    assert!(matches!(
        judge("kms:Decrypt", &arn(alias)),
        Verdict::Elsewhere(_)
    ));
    // sts:AssumeRole applies to IAM roles.
    let role = "arn:aws:iam::123456789012:role/reader";
    assert_eq!(judge("sts:AssumeRole", &arn(role)), Verdict::Applies);
}

#[test]
fn actions_without_resource_types_take_only_a_star() {
    assert_eq!(
        judge("xray:PutTraceSegments", &arn(QUEUE)),
        Verdict::OnlyStar
    );
    let p = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db";
    assert_eq!(judge("ssm:DescribeParameters", &arn(p)), Verdict::OnlyStar);
    assert_eq!(judge("ssm:GetParameter", &arn(p)), Verdict::Applies);
}

#[test]
fn unknown_actions_get_the_closest_name() {
    assert_eq!(
        judge("secretsmanager:GetSecretValu", &arn(QUEUE)),
        Verdict::Unknown(Some("GetSecretValue"))
    );
    assert_eq!(judge("sqs:Frobnicate", &arn(QUEUE)), Verdict::Unknown(None));
    assert_eq!(judge("ec2:RunInstances", &arn(QUEUE)), Verdict::NotInTable);
}

#[test]
fn wildcards_apply_when_one_action_they_name_does() {
    assert_eq!(judge("sqs:*", &arn(QUEUE)), Verdict::Applies);
    assert_eq!(judge("sqs:Send*", &arn(QUEUE)), Verdict::Applies);
    assert_eq!(judge("sqs:Xyz*", &arn(QUEUE)), Verdict::Unknown(None));
    assert!(matches!(
        judge("s3:Get*", &arn(QUEUE)),
        Verdict::Elsewhere(_)
    ));
    assert!(glob_matches("Get?bject", "getobject"));
    assert!(!glob_matches("Get", "getobject"));
    assert!(glob_matches("*Object*", "PutObjectAcl"));
    assert!(glob_matches("*o*t", "GetObject"));
    assert!(!glob_matches("*o*x", "GetObject"));
    assert!(glob_matches("", ""));
    assert!(glob_matches("**", ""));
    // Outside ASCII the names are compared lower-cased, as IAM ignores case.
    assert!(glob_matches("ÄB?", "äbc"));
    assert!(!glob_matches("Ä", "a"));
    assert!(glob_matches("Get?bject", "getöbject"));
}

#[test]
fn deploy_time_parts_may_be_anything() {
    let text = |parts: Vec<Value>| {
        let s = crate::model::DeployStr::from_value(Value::Concat(parts)).expect("a string");
        vec![ArnText::of(&s)]
    };
    let lit = |s: &str| Value::Str(s.into());
    let ssm = text(vec![
        lit("arn:aws:ssm:"),
        Value::Pseudo(Pseudo::Region),
        lit(":"),
        Value::Pseudo(Pseudo::AccountId),
        lit(":parameter/app/*"),
    ]);
    assert_eq!(judge("ssm:GetParameter", &ssm), Verdict::Applies);
    assert!(matches!(
        judge("sqs:SendMessage", &ssm),
        Verdict::Elsewhere(_)
    ));
    let whole = text(vec![Value::Param("arn".into())]);
    assert_eq!(judge("sqs:SendMessage", &whole), Verdict::Applies);
    let service_known = text(vec![lit("arn:aws:sqs:"), Value::Param("rest".into())]);
    assert_eq!(judge("sqs:SendMessage", &service_known), Verdict::Applies);
    assert!(matches!(
        judge("sns:Publish", &service_known),
        Verdict::Elsewhere(_)
    ));
}

#[test]
fn fields_do_not_cross_colons() {
    let f = "arn:${Partition}:sqs:${Region}:${Account}:.*";
    assert!(ArnText::literal(QUEUE).may_match(f));
    assert!(!ArnText::literal("arn:aws:sqs:us-east-1:jobs").may_match(f));
    assert!(!ArnText::literal("arn:aws:sns:us-east-1:1:jobs").may_match(f));
}
