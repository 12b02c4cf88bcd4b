//! Deploy-time values (issue 10 item 5): parameters and pseudo-parameters wherever
//! CloudFormation takes them, their known parts still checked, and a reason where lamc must
//! know the value itself (E0437).

use crate::check_support::*;
use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::Code;
use lamc::driver::Compilation;
use lamc::model::{CodeSource, Pseudo, Value};
use serde_json::json;

/// A complete function body (three lines) that reports nothing.
const FN: &str = "runtime = python3.12\n  handler = \"index.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")";

fn rendered(c: &Compilation) -> String {
    let text = render_human(&c.diagnostics, &c.sources, &HumanOptions::default());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The template of a program that checks cleanly.
fn template(src: &str) -> serde_json::Value {
    let c = check(src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let model = c.model.expect("a model");
    let stack =
        lamc::plan::plan(&model, &lamc::plan::PlanOptions::default()).expect("the plan builds");
    serde_json::from_str(&lamc::emit::json(&stack)).expect("JSON")
}

#[test]
fn parameters_in_tags_and_image_uris_compile() {
    // Both were refused, and the image also reported a missing runtime and handler.
    let src = "param stage: string = \"dev\"\nparam uri: string = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1\"\nfunction f {\n  code = image(\"${param.uri}\")\n  tags = { env = \"${param.stage}\" }\n}\n";
    let c = check(src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let model = c.model.expect("a model");
    let f = model.function("f").expect("f");
    let Some(CodeSource::Image(uri)) = f.code.as_ref().map(|c| &c.value) else {
        panic!("an image: {:?}", f.code);
    };
    assert_eq!(uri.value(), &Value::Param("uri".into()));
    let tag = f.tags.get("env").expect("the env tag");
    assert_eq!(tag.value.value(), &Value::Param("stage".into()));
    let t = template(src);
    let props = &t["Resources"]["FFunction"]["Properties"];
    assert_eq!(props["Code"]["ImageUri"], json!({ "Ref": "Uri" }));
    assert_eq!(
        props["Tags"],
        json!([{ "Key": "env", "Value": { "Ref": "Stage" } }])
    );
}

#[test]
fn pseudo_parameters_become_refs_of_aws_pseudo_parameters() {
    let src = format!(
        "function f {{\n  {FN}\n  name = \"orders-${{aws.region}}\"\n  env {{ ACCOUNT = aws.account_id, WHERE = \"${{aws.stack_name}}/${{aws.partition}}/${{aws.url_suffix}}\" }}\n}}\n"
    );
    let c = check(&src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let model = c.model.expect("a model");
    let f = model.function("f").expect("f");
    assert_eq!(
        f.env.get("ACCOUNT").map(|v| &v.value),
        Some(&Value::Pseudo(Pseudo::AccountId))
    );
    let t = template(&src);
    let props = &t["Resources"]["FFunction"]["Properties"];
    assert_eq!(
        props["FunctionName"],
        json!({ "Fn::Join": ["", ["orders-", { "Ref": "AWS::Region" }]] })
    );
    assert_eq!(
        props["Environment"]["Variables"]["WHERE"],
        json!({ "Fn::Join": ["", [
            { "Ref": "AWS::StackName" }, "/", { "Ref": "AWS::Partition" }, "/", { "Ref": "AWS::URLSuffix" }
        ]] })
    );
    // The log group of a named function is named after it.
    assert_eq!(
        t["Resources"]["FLogGroup"]["Properties"]["LogGroupName"],
        json!({ "Fn::Join": ["", ["/aws/lambda/orders-", { "Ref": "AWS::Region" }]] })
    );
}

#[test]
fn existing_resources_by_deploy_time_arns() {
    let src = format!(
        "param stage: string = \"dev\"\nparam arn: string = \"arn:aws:sqs:us-east-1:123456789012:q\"\nqueue a from \"arn:aws:sqs:${{aws.region}}:${{aws.account_id}}:jobs\"\nqueue b from \"arn:aws:sqs:eu-west-1:123456789012:jobs-${{param.stage}}\"\nqueue c from \"${{param.arn}}\"\nfunction f {{\n  {FN}\n  env {{ AU = queue.a.url, BN = queue.b.name, CN = queue.c.name }}\n  on sqs queue.a\n}}\n"
    );
    let t = template(&src);
    let vars = &t["Resources"]["FFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        vars["AU"],
        json!({ "Fn::Sub": "https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/jobs" })
    );
    assert_eq!(
        vars["BN"],
        json!({ "Fn::Join": ["", ["jobs-", { "Ref": "Stage" }]] })
    );
    assert_eq!(
        vars["CN"],
        json!({ "Fn::Select": [5, { "Fn::Split": [":", { "Ref": "Arn" }] }] })
    );
    assert_eq!(
        t["Resources"]["FASqsMapping"]["Properties"]["EventSourceArn"],
        json!({ "Fn::Join": ["", [
            "arn:aws:sqs:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":jobs"
        ]] })
    );
}

#[test]
fn the_known_parts_of_deploy_time_values_are_checked() {
    let src = format!(
        "queue q from \"arn:aws:sns:${{aws.region}}:${{aws.account_id}}:jobs\"\nfunction f {{\n  {FN}\n  name = \"orders.${{aws.region}}\"\n  layers = [\"arn:aws:lambda:${{aws.account_id}}:123456789012:layer:x:1\"]\n  on sqs queue.q\n}}\n"
    );
    let c = check(&src);
    let arn = expect_at(&c, Code::E0418, 1);
    assert_eq!(
        arn.primary.message,
        "this is an ARN for `sns`, a queue needs one for `sqs`"
    );
    let name = expect_at(&c, Code::E0411, 6);
    assert_eq!(
        name.primary.message,
        "`.` is not allowed: only letters, digits, `-` and `_`"
    );
    let layer = expect_at(&c, Code::E0418, 7);
    assert_eq!(layer.primary.message, "`123456789012` is not a region");
    assert_eq!(c.diagnostics.len(), 3, "{}", render(&c));
}

#[test]
fn values_lamc_must_know_say_why_they_cannot_be_deploy_time() {
    let src = "param size: number = 512\nparam h: string = \"main\"\napp a { description = \"app in ${aws.region}\" }\nfunction f {\n  runtime = python3.12\n  handler = \"${param.h}.handler\"\n  code = inline(\"\"\"def handler(e, c): pass\"\"\")\n  memory = param.size\n  timeout = aws.region\n  on schedule rate(param.size)\n}\n";
    let c = check(src);
    for line in [3, 6, 8, 9, 10] {
        expect_at(&c, Code::E0437, line);
    }
    assert_eq!(
        c.diagnostics.len(),
        5,
        "no missing handler either:\n{}",
        render(&c)
    );
    let text = rendered(&c);
    for part in [
        "error[E0437]: `memory` must be known when compiling",
        "a parameter (`param.size`) is only known at deploy time",
        "help: lamc checks `memory` (or plans from it) before anything is deployed: write a literal or a `let` constant",
        "a pseudo-parameter (`aws.region`) is only known at deploy time",
        "help: CloudFormation takes only plain text as a template's or parameter's `description`",
    ] {
        assert!(text.contains(part), "{part:?} in:\n{text}");
    }
}

#[test]
fn misspelt_pseudo_parameters_suggest_the_right_one() {
    let src = format!(
        "function f {{\n  {FN}\n  env {{ REGION = aws.regoin, ACCOUNT = \"${{account_id}}\" }}\n}}\n"
    );
    let c = check(&src);
    let found = with_code(&c, Code::E0201);
    assert_eq!(found.len(), 2, "{}", render(&c));
    let pseudo = found[0].1;
    assert_eq!(pseudo.message, "unknown pseudo-parameter `aws.regoin`");
    assert_eq!(pseudo.help.as_deref(), Some("did you mean `aws.region`?"));
    assert_eq!(pseudo.fixes[0].replacement, "region");
    let bare = found[1].1;
    assert_eq!(bare.help.as_deref(), Some("did you mean `aws.account_id`?"));
}

#[test]
fn s3_filters_take_deploy_time_values_and_overlap_only_when_certain() {
    let on = |f: &str, filter: &str| {
        format!("function {f} {{\n  {FN}\n  on s3 bucket.uploads {{ {filter} }}\n}}\n")
    };
    let head = "param stage: string = \"dev\"\nparam other: string = \"qa\"\nbucket uploads {}\n";
    // Different parameters may hold different folders: S3 decides when it deploys.
    let maybe = format!(
        "{head}{}{}",
        on("f", "prefix = \"${param.stage}/\""),
        on("g", "prefix = param.other")
    );
    let t = template(&maybe);
    let configs = &t["Resources"]["UploadsBucket"]["Properties"]["NotificationConfiguration"]
        ["LambdaConfigurations"];
    let rules: Vec<&serde_json::Value> = configs
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| &c["Filter"]["S3Key"]["Rules"][0]["Value"])
        .collect();
    assert!(
        rules.contains(&&json!({ "Ref": "Other" }))
            && rules.contains(&&json!({ "Fn::Join": ["", [{ "Ref": "Stage" }, "/"]] })),
        "{rules:?}"
    );
    // No prefix matches every key, so it certainly overlaps a parameter's.
    let certain = format!(
        "param stage: string = \"dev\"\nbucket uploads {{}}\n{}{}",
        on("f", "suffix = \".jpg\""),
        on("g", "prefix = param.stage, suffix = \".jpg\"")
    );
    let c = check(&certain);
    expect_at(&c, Code::E0422, 13);
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
}
