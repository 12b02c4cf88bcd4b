//! Which kind of file the importer was given: a SAM template (its `Transform` names
//! `AWS::Serverless-2016-10-31`), a plain CloudFormation template with Lambda functions, or
//! a Serverless Framework file (`service`, `provider` and `functions` at the top, for the
//! `aws` provider).

use serde_json::Value;

/// The kinds of file `lamc import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Sam,
    /// A plain CloudFormation template with at least one `AWS::Lambda::Function`.
    Cfn,
    Serverless,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Sam => "AWS SAM template",
            Source::Cfn => "CloudFormation template",
            Source::Serverless => "Serverless Framework file",
        }
    }
}

/// The resource type that makes a plain CloudFormation template an app lamc imports.
const LAMBDA_FUNCTION: &str = "AWS::Lambda::Function";

/// The SAM transform's name.
const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// The kind of `doc`, or why it is neither.
pub fn detect(doc: &Value) -> Result<Source, String> {
    let Some(top) = doc.as_object() else {
        return Err("the file is not a mapping of sections".into());
    };
    let transforms = match top.get("Transform") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    };
    if transforms.contains(&SAM_TRANSFORM) {
        return Ok(Source::Sam);
    }
    let has = |k: &str| top.contains_key(k);
    if has("service") && has("provider") && has("functions") {
        let name = top["provider"].get("name").and_then(Value::as_str);
        return match name {
            Some("aws") | None => Ok(Source::Serverless),
            Some(other) => Err(format!(
                "a Serverless Framework file for the `{other}` provider, not AWS"
            )),
        };
    }
    if let Some(resources) = top.get("Resources").and_then(Value::as_object) {
        let functions = resources
            .values()
            .any(|r| r.get("Type").and_then(Value::as_str) == Some(LAMBDA_FUNCTION));
        if functions {
            return Ok(Source::Cfn);
        }
        return Err(format!(
            "a CloudFormation template without `Transform: {SAM_TRANSFORM}` and without an `{LAMBDA_FUNCTION}`"
        ));
    }
    Err("neither a SAM template (`Transform: AWS::Serverless-2016-10-31`) nor a serverless.yml (`service`, `provider`, `functions`)".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sam_serverless_and_neither() {
        assert_eq!(
            detect(&json!({"Transform": SAM_TRANSFORM, "Resources": {}})),
            Ok(Source::Sam)
        );
        assert_eq!(
            detect(&json!({"Transform": ["AWS::LanguageExtensions", SAM_TRANSFORM]})),
            Ok(Source::Sam)
        );
        assert_eq!(
            detect(&json!({"service": "s", "provider": {"name": "aws"}, "functions": {}})),
            Ok(Source::Serverless)
        );
        assert!(
            detect(&json!({"service": "s", "provider": {"name": "azure"}, "functions": {}}))
                .is_err()
        );
        assert!(detect(&json!({"Resources": {}})).is_err_and(|e| e.contains("CloudFormation")));
        assert_eq!(
            detect(&json!({"Resources": {"F": {"Type": LAMBDA_FUNCTION}}})),
            Ok(Source::Cfn)
        );
        assert!(detect(&json!(["a"])).is_err());
        assert!(detect(&json!({"name": "x"})).is_err());
    }
}
