//! Parameter types (`param NAME: string | number | list | subnets | security_groups`):
//! what each becomes, `secret = true` on every type, and where a list parameter may go
//! (E0464) and what it may hold (E0465).

use crate::check_support::*;
use lamc::diag::render::{render_human, HumanOptions};
use lamc::diag::Code;
use lamc::schema::{PARAM_TYPES, PARAM_TYPE_WORDS};
use serde_json::json;

const FN: &str = "runtime = nodejs24.x\n  handler = \"index.handler\"\n  code = inline(\"\"\"exports.handler = async () => 1;\"\"\")";

fn template(src: &str) -> serde_json::Value {
    let c = check(src);
    assert!(c.diagnostics.is_empty(), "{}", render(&c));
    let model = c.model.expect("a model");
    let stack =
        lamc::driver::plan(&model, &lamc::driver::PlanOptions::default()).expect("the plan builds");
    serde_json::from_str(&lamc::emit::json(&stack)).expect("JSON")
}

#[test]
fn every_type_becomes_its_cloudformation_type_and_can_be_secret() {
    for (word, ty) in PARAM_TYPE_WORDS {
        let src = format!("param p: {word} {{ secret = true }}\noutput o = param.p\n");
        let t = template(&src);
        assert_eq!(
            t["Parameters"]["P"],
            json!({ "Type": ty.cfn(), "NoEcho": true }),
            "{src}"
        );
        let list = ty.is_list();
        let expected = if list {
            json!({ "Fn::Join": [",", { "Ref": "P" }] })
        } else {
            json!({ "Ref": "P" })
        };
        assert_eq!(t["Outputs"]["O"]["Value"], expected, "{src}");
    }
}

#[test]
fn the_types_are_cloudformations() {
    let cfn: Vec<&str> = PARAM_TYPES.0.iter().map(|w| w.cfn).collect();
    assert_eq!(
        cfn,
        [
            "String",
            "Number",
            "CommaDelimitedList",
            "List<AWS::EC2::Subnet::Id>",
            "List<AWS::EC2::SecurityGroup::Id>"
        ]
    );
}

#[test]
fn a_list_default_is_the_text_cloudformation_splits() {
    let src = "param subnets: subnets = [\"subnet-0123456789abcdef0\", \"subnet-0fedcba9876543210\"] { allowed = [\"subnet-0123456789abcdef0\", \"subnet-0fedcba9876543210\", \"subnet-0aaaaaaaaaaaaaaaa\"] }\noutput o = param.subnets\n";
    let t = template(src);
    let p = &t["Parameters"]["Subnets"];
    assert_eq!(
        p["Default"],
        "subnet-0123456789abcdef0,subnet-0fedcba9876543210"
    );
    assert_eq!(p["AllowedValues"].as_array().map(Vec::len), Some(3));
}

#[test]
fn a_list_parameter_is_used_whole_where_a_list_is_expected() {
    let src = format!(
        "param layers: list\nparam origins: list\nfunction f {{\n  {FN}\n  layers = param.layers\n  url {{ auth = iam, cors {{ origins = param.origins, headers = param.origins }} }}\n}}\n"
    );
    let t = template(&src);
    assert_eq!(
        t["Resources"]["FFunction"]["Properties"]["Layers"],
        json!({ "Ref": "Layers" })
    );
    let cors = &t["Resources"]["FUrl"]["Properties"]["Cors"];
    assert_eq!(cors["AllowOrigins"], json!({ "Ref": "Origins" }));
    assert_eq!(cors["AllowHeaders"], json!({ "Ref": "Origins" }));
}

#[test]
fn a_list_parameter_where_one_string_is_expected_is_e0464() {
    let src = format!(
        "param subnets: subnets\nfunction f {{\n  {FN}\n  env {{ A = \"x-${{param.subnets}}\" }}\n  tags = {{ b = param.subnets }}\n  layers = [param.subnets]\n}}\n"
    );
    let c = check(&src);
    let lines: Vec<(Code, usize)> = c
        .diagnostics
        .iter()
        .map(|d| (d.code, line_of(&c, d)))
        .collect();
    assert_eq!(
        lines,
        [(Code::E0464, 6), (Code::E0464, 7), (Code::E0464, 8)]
    );
    let d = expect_at(&c, Code::E0464, 6);
    assert_eq!(
        d.message,
        "list parameter `param.subnets` (`subnets`) interpolated into a string"
    );
    let text = render_human(&c.diagnostics[..1], &c.sources, &HumanOptions::default());
    let expected =
        "  × error[E0464]: list parameter `param.subnets` (`subnets`) interpolated into a string
   ╭─[main.lam:6:18]
 5 │   code = inline(\"\"\"exports.handler = async () => 1;\"\"\")
 6 │   env { A = \"x-${param.subnets}\" }
   ·                  ──────┬──────
   ·                        ╰── a list of strings in CloudFormation, not one string
 7 │   tags = { b = param.subnets }
   ╰────
  help: use `param.subnets` whole where a list is expected (an output lists its items with
        commas), or declare `param subnets: string` to use the text as it is given

";
    assert_eq!(text, expected);
}

#[test]
fn items_a_list_parameter_cannot_hold_are_e0465() {
    let c = check("param a: list = [\"x,y\"]\nparam b: security_groups = [\"sg-12ab\", \"subnet-12ab\"]\noutput a = param.a\noutput b = param.b\n");
    let lines: Vec<(Code, usize)> = c
        .diagnostics
        .iter()
        .map(|d| (d.code, line_of(&c, d)))
        .collect();
    assert_eq!(lines, [(Code::E0465, 1), (Code::E0465, 2)]);
    let d = expect_at(&c, Code::E0465, 2);
    assert_eq!(
        d.message,
        "default item `subnet-12ab` cannot be an item of a security_groups parameter"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("write an ID such as `sg-0123456789abcdef0`")
    );
}

#[test]
fn an_unknown_type_is_e0302_with_the_nearest_word_as_a_fix() {
    let c = check("param p: nubmer = 3\noutput o = param.p\n");
    let d = expect_at(&c, Code::E0302, 1);
    assert_eq!(
        d.fixes.first().map(|f| f.replacement.as_str()),
        Some("number")
    );
    assert_eq!(c.diagnostics.len(), 1, "{}", render(&c));
}
