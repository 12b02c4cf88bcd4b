use super::super::testkit::*;
use super::*;
use crate::model::{Function, Kind, Model, Origin, Resource};

fn allow(kit: &mut Kit, f: &mut Function, target: AllowTarget, actions: &[&str]) -> Vec<S<String>> {
    let actions: Vec<S<String>> = actions.iter().map(|a| kit.str(a)).collect();
    let target = kit.s(&target.to_string(), target);
    let span = kit.span("allow … on …");
    f.allows.push(AllowRule {
        actions: actions.clone(),
        target,
        span,
    });
    actions
}

fn on(kind: Kind) -> AllowTarget {
    AllowTarget::Ref(ResRef {
        kind,
        name: "x".into(),
    })
}

fn arn(text: &str) -> AllowTarget {
    AllowTarget::Arn(text.into())
}

fn spans(diags: &[Diagnostic], code: Code) -> Vec<crate::source::Span> {
    with_code(diags, code)
        .iter()
        .map(|d| d.primary.span)
        .collect()
}

/// A model with `kind x from "ARN"` declared.
fn existing(kit: &mut Kit, kind: Kind, text: &str, f: Function) -> Model {
    let mut m = model(vec![f]);
    let arn = kit.text(text);
    m.resources.push(Resource {
        kind,
        name: "x".into(),
        name_span: arn.span,
        span: arn.span,
        origin: Origin::Existing { arn },
        options: Default::default(),
    });
    m
}

#[test]
fn wildcards_over_services_are_errors_and_service_wide_ones_warnings() {
    let mut kit = Kit::new();
    let mut f = kit.function("f");
    let a = allow(
        &mut kit,
        &mut f,
        on(Kind::Bucket),
        &["*", "s3:*", "s3:Get*", "*:*"],
    );
    let diags = kit.run(&model(vec![f]));
    assert_eq!(spans(&diags, Code::E0443), vec![a[0].span, a[3].span]);
    assert_eq!(one(&diags, Code::W0521).primary.span, a[1].span);
    none(&diags, Code::E0444);
}

#[test]
fn actions_must_apply_to_the_resource() {
    let mut kit = Kit::new();
    let mut f = kit.function("f");
    let a = allow(
        &mut kit,
        &mut f,
        on(Kind::Table),
        &[
            "iam:PassRole",
            "dynamodb:GetItem",
            "kms:Decrypt",
            "dynamodb:GetRecords",
        ],
    );
    allow(&mut kit, &mut f, on(Kind::Api), &["execute-api:Invoke"]);
    allow(
        &mut kit,
        &mut f,
        on(Kind::Function),
        &["lambda:InvokeFunction"],
    );
    let b = allow(
        &mut kit,
        &mut f,
        on(Kind::Queue),
        &["s3:GetObject", "sqs:SendMessage"],
    );
    let diags = kit.run(&model(vec![f]));
    assert_eq!(
        spans(&diags, Code::E0444),
        vec![a[0].span, a[2].span, b[0].span]
    );
    let d = with_code(&diags, Code::E0444)[0].clone();
    assert_eq!(d.message, "`iam:PassRole` cannot apply to table.x");
    assert_eq!(
        d.primary.message,
        "`iam:` actions apply to `arn:aws:iam:…` resources"
    );
    let s3 = with_code(&diags, Code::E0444)[2].clone();
    assert_eq!(s3.message, "`s3:GetObject` cannot apply to queue.x");
    assert!(
        s3.primary.message.contains("`arn:aws:s3:::…`"),
        "{}",
        s3.primary.message
    );
}

#[test]
fn actions_that_do_not_exist_are_e0497_with_the_closest_name() {
    let mut kit = Kit::new();
    let mut f = kit.function("f");
    let a = allow(
        &mut kit,
        &mut f,
        on(Kind::Queue),
        &["PutItem", "sqs:SendMesage", "ec2:Whatever"],
    );
    let diags = kit.run(&model(vec![f]));
    assert_eq!(spans(&diags, Code::E0497), vec![a[0].span, a[1].span]);
    let d = with_code(&diags, Code::E0497)[1].clone();
    assert_eq!(d.help.as_deref(), Some("did you mean \"sqs:SendMessage\"?"));
    assert_eq!(d.fixes[0].replacement, "\"sqs:SendMessage\"");
    // A service outside the table is judged by its prefix only.
    assert_eq!(spans(&diags, Code::E0444), vec![a[2].span]);
}

#[test]
fn unscoped_actions_warn_that_they_get_every_resource() {
    let mut kit = Kit::new();
    let mut f = kit.function("f");
    let a = allow(
        &mut kit,
        &mut f,
        on(Kind::Queue),
        &["xray:PutTraceSegments", "sqs:ReceiveMessage"],
    );
    let diags = kit.run(&model(vec![f]));
    assert_eq!(spans(&diags, Code::W0564), vec![a[0].span]);
    none(&diags, Code::E0444);
}

#[test]
fn existing_resources_of_other_services_are_judged_by_their_arn() {
    let mut kit = Kit::new();
    let mut f = kit.function("f");
    let a = allow(
        &mut kit,
        &mut f,
        on(Kind::Key),
        &["kms:Decrypt", "kms:CreateAlias"],
    );
    let alias = "arn:aws:kms:us-east-1:123456789012:alias/data";
    let m = existing(&mut kit, Kind::Key, alias, f.clone());
    let diags = kit.run(&m);
    // Decrypt names keys; an alias ARN grants it nothing. CreateAlias names aliases.
    assert_eq!(spans(&diags, Code::E0444), vec![a[0].span]);
    let key = "arn:aws:kms:us-east-1:123456789012:key/0123abcd";
    let m = existing(&mut kit, Kind::Key, key, f);
    let diags = kit.run(&m);
    none(&diags, Code::E0444);

    let mut f = kit.function("g");
    let b = allow(
        &mut kit,
        &mut f,
        on(Kind::Resource),
        &["kafka-cluster:ReadData"],
    );
    let topic = "arn:aws:kafka:us-east-1:123456789012:topic/orders/abc/clicks";
    let m = existing(&mut kit, Kind::Resource, topic, f.clone());
    none(&kit.run(&m), Code::E0444);
    let cluster = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc";
    let m = existing(&mut kit, Kind::Resource, cluster, f);
    let diags = kit.run(&m);
    assert_eq!(spans(&diags, Code::E0444), vec![b[0].span]);
}

#[test]
fn arn_strings_are_targets_and_must_be_arns() {
    let mut kit = Kit::new();
    let mut f = kit.function("f");
    let ssm = "arn:aws:ssm:us-east-1:123456789012:parameter/app/*";
    allow(&mut kit, &mut f, arn(ssm), &["ssm:GetParameter"]);
    let bad = allow(&mut kit, &mut f, arn(ssm), &["sqs:SendMessage"]);
    allow(&mut kit, &mut f, arn("*"), &["ssm:GetParameter"]);
    allow(&mut kit, &mut f, arn("ssm/app"), &["ssm:GetParameter"]);
    // Not in the table, and no service to compare with: not refused.
    allow(
        &mut kit,
        &mut f,
        arn("arn:aws:es:us-east-1:123456789012:domain/d/*"),
        &["es:ESHttpGet"],
    );
    let m = model(vec![f]);
    let diags = kit.run(&m);
    let rules = &m.functions[0].allows;
    assert_eq!(spans(&diags, Code::E0444), vec![bad[0].span]);
    assert_eq!(spans(&diags, Code::E0207), vec![rules[2].target.span]);
    assert_eq!(spans(&diags, Code::E0206), vec![rules[3].target.span]);
    assert_eq!(diags.len(), 3, "{diags:#?}");
}

#[test]
fn arn_services_are_read_from_known_text() {
    assert_eq!(
        service_of(&ArnText::literal("arn:aws:sqs:r:a:q")).as_deref(),
        Some("sqs")
    );
    assert_eq!(service_of(&ArnText::literal("arn:aws")), None);
    let unknown = ArnText(vec![iam::Piece::Unknown]);
    assert_eq!(service_of(&unknown), None);
}
