#!/usr/bin/env python3
"""The CloudFormation resource types an original SAM template or serverless.yml deploys.

    expected_types.py ORIGINAL [--source URL] > tests/real/APP/expected-types.txt

Prints the multiset of resource types, one `AWS::Type count` line each, sorted, under a
header that says how the list was produced. tests/real_apps.rs compares lamc's template
of the ported app with it. CI does not run this script: the original is downloaded by
hand (its URL is the SOURCE line of the port) and never committed.

- A SAM template (`Transform: AWS::Serverless-2016-10-31`) is expanded offline by
  aws-sam-translator (1.115.0, as scripts/sam_translate.py), with AWS_DEFAULT_REGION
  set. Local code locations (`CodeUri: src/`, a layer's `ContentUri`) become a
  placeholder S3 location first: the translator needs one, and which one does not change
  the resources it creates. SAM CLI app templates are cookiecutter sources: their Jinja
  control blocks (`{%- if … %} … {%- endif %}`) are dropped before parsing.
- A plain CloudFormation template lists its own resources.
- A serverless.yml (Serverless Framework v3) cannot be expanded here without the Framework
  and its plugins; its list follows what the Framework's documentation says it creates
  (docs/providers/aws/guide/resources.md, "AWS CloudFormation Resource Reference", and the
  event pages), applied by `serverless_types` below, plus what `resources.Resources`
  declares. The Lift plugin's `queue` construct follows Lift's docs/queue.md.

Needs PyYAML and aws-sam-translator==1.115.0, e.g. in a venv outside the repository:
    python3 -m venv /work/venvs/sam && /work/venvs/sam/bin/pip install aws-sam-translator==1.115.0
"""

import argparse
import os
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

PLACEHOLDER_S3 = {"Bucket": "placeholder-bucket", "Key": "placeholder.zip"}
SERVERLESS_DOCS = (
    "https://github.com/serverless/serverless/blob/03085e12324c874700717b050674e2dd2afe06c9/"
    "docs/providers/aws/guide/resources.md"
)
LIFT_QUEUE_DOCS = "https://github.com/getlift/lift/blob/master/docs/queue.md"


# ---- reading YAML with CloudFormation's short tags ------------------------------------------

class CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads `!Ref x` as {"Ref": x} and `!Sub s` as {"Fn::Sub": s}."""


def _short_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _short_tag)
# CloudFormation reads `2010-09-09` as text, not as a date.
CfnLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))

JINJA_BLOCK = re.compile(r"^[ \t]*\{%-?\s*if\b.*?\{%-?\s*endif\s*-?%\}[ \t]*\n?", re.S | re.M)


def load(path):
    text = Path(path).read_text(encoding="utf-8")
    text = JINJA_BLOCK.sub("", text)
    return yaml.load(text, Loader=CfnLoader)


# ---- SAM and plain CloudFormation ----------------------------------------------------------

def is_sam(template):
    transform = template.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    return any(isinstance(t, str) and t.startswith("AWS::Serverless") for t in transforms)


def with_placeholder_code(template):
    """Local CodeUri/ContentUri values replaced by an S3 location (the translator needs one)."""
    for res in template.get("Resources", {}).values():
        props = res.get("Properties") or {}
        if res.get("Type") == "AWS::Serverless::Function" and "InlineCode" not in props \
                and "ImageUri" not in props:
            if not isinstance(props.get("CodeUri"), dict):
                props["CodeUri"] = dict(PLACEHOLDER_S3)
        if res.get("Type") == "AWS::Serverless::LayerVersion" \
                and not isinstance(props.get("ContentUri"), dict):
            props["ContentUri"] = dict(PLACEHOLDER_S3)
        res["Properties"] = props
    globals_fn = template.get("Globals", {}).get("Function", {})
    if isinstance(globals_fn.get("CodeUri"), str):
        del globals_fn["CodeUri"]
    return template


class NoManagedPolicies:
    """Stands in for ManagedPolicyLoader (which lists an account's IAM policies): managed
    policies named in a template are passed through as names; they add no resource."""

    def load(self):
        return {}


def sam_types(template):
    from samtranslator.translator.transform import transform  # imported only when needed

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    out = transform(with_placeholder_code(template), {}, NoManagedPolicies())
    return Counter(r["Type"] for r in out["Resources"].values())


def cfn_types(template):
    return Counter(r["Type"] for r in template.get("Resources", {}).values())


# ---- serverless.yml (Serverless Framework v3), as documented --------------------------------

def _events(fn):
    for event in fn.get("events") or []:
        if isinstance(event, dict) and len(event) == 1:
            yield next(iter(event.items()))


def _rest_paths(path):
    """`todos/{id}` -> the API Gateway resources it needs: `todos`, `todos/{id}`."""
    parts = [p for p in str(path).strip("/").split("/") if p]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def serverless_types(config):
    provider = config.get("provider") or {}
    functions = dict(config.get("functions") or {})
    types = Counter()
    # Lift's queue construct: a queue, its dead-letter queue, and a worker function
    # subscribed to the queue; `alarm` adds an SNS topic with an email subscription and
    # a CloudWatch alarm on the dead-letter queue.
    for name, construct in (config.get("constructs") or {}).items():
        if construct.get("type") != "queue":
            raise SystemExit(f"construct {name}: only Lift's queue construct is known here")
        types["AWS::SQS::Queue"] += 2
        if construct.get("alarm"):
            types.update(["AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::CloudWatch::Alarm"])
        worker = dict(construct["worker"])
        worker["events"] = [{"sqs": {"arn": f"construct:{name}"}}]
        functions[f"{name}Worker"] = worker

    if not provider.get("deploymentBucket"):
        types.update(["AWS::S3::Bucket", "AWS::S3::BucketPolicy"])
    if functions and not isinstance((provider.get("iam") or {}).get("role"), str):
        types["AWS::IAM::Role"] += 1  # IamRoleLambdaExecution, shared by every function
    versions = provider.get("versionFunctions", True)
    rest_paths, rest_methods, http_api_routes = set(), set(), set()
    topics, buckets = set(), set()
    for fname, fn in functions.items():
        types.update(["AWS::Lambda::Function", "AWS::Logs::LogGroup"])
        if fn.get("versionFunctions", versions):
            types["AWS::Lambda::Version"] += 1
        rest_fn = http_api_fn = False
        for kind, spec in _events(fn):
            if kind == "http":
                spec = spec if isinstance(spec, dict) else dict(
                    zip(("method", "path"), str(spec).split(" ", 1)))
                rest_fn = True
                rest_paths.update(_rest_paths(spec["path"]))
                path = str(spec["path"]).strip("/")
                rest_methods.add((path, str(spec["method"]).upper()))
                if spec.get("cors"):
                    rest_methods.add((path, "OPTIONS"))
            elif kind == "httpApi":
                spec = spec if isinstance(spec, dict) else dict(
                    zip(("method", "path"), str(spec).split(" ", 1)))
                http_api_fn = True
                http_api_routes.add((str(spec.get("method", "*")).upper(), spec.get("path")))
            elif kind == "schedule":
                types.update(["AWS::Events::Rule", "AWS::Lambda::Permission"])
            elif kind == "sns":
                topic = spec if isinstance(spec, str) else spec.get("topicName") or spec.get("arn")
                if isinstance(topic, str) and not topic.startswith("arn:"):
                    topics.add(topic)
                types.update(["AWS::SNS::Subscription", "AWS::Lambda::Permission"])
            elif kind in ("sqs", "stream"):
                types["AWS::Lambda::EventSourceMapping"] += 1
            elif kind == "s3":
                bucket = spec if isinstance(spec, str) else spec["bucket"]
                if isinstance(spec, str) or not spec.get("existing"):
                    buckets.add(bucket)
                types["AWS::Lambda::Permission"] += 1
            else:
                raise SystemExit(f"function {fname}: event {kind} is not modelled here")
        # One permission per function for all its REST routes, one for its HTTP API routes.
        types["AWS::Lambda::Permission"] += int(rest_fn) + int(http_api_fn)
        types["AWS::ApiGatewayV2::Integration"] += int(http_api_fn)
    if rest_methods:
        types.update(["AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment"])
        types["AWS::ApiGateway::Resource"] += len(rest_paths)
        types["AWS::ApiGateway::Method"] += len(rest_methods)
    if http_api_routes:
        types.update(["AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage"])
        types["AWS::ApiGatewayV2::Route"] += len(http_api_routes)
    types["AWS::SNS::Topic"] += len(topics)
    types["AWS::S3::Bucket"] += len(buckets)
    types.update(cfn_types(config.get("resources") or {}))
    return +types


# ---- output ---------------------------------------------------------------------------------

def header(path, kind, source):
    lines = [f"# Resource types the original deploys ({kind})."]
    if source:
        lines.append(f"# Original: {source}")
    if kind == "SAM":
        lines.append("# Produced by scripts/expected_types.py: aws-sam-translator 1.115.0, us-east-1.")
    elif kind == "serverless.yml":
        lines.append("# Produced by scripts/expected_types.py from what the Serverless Framework v3")
        lines.append(f"# documents it creates: {SERVERLESS_DOCS}")
        lines.append("# (plus the event pages; Lift's queue construct: " + LIFT_QUEUE_DOCS + ").")
    else:
        lines.append("# Produced by scripts/expected_types.py: the template's own resources.")
    return lines


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("original", help="the downloaded SAM template or serverless.yml")
    ap.add_argument("--source", help="the original's URL, for the header")
    args = ap.parse_args(argv)
    doc = load(args.original)
    if "service" in doc and "provider" in doc:
        kind, types = "serverless.yml", serverless_types(doc)
    elif is_sam(doc):
        kind, types = "SAM", sam_types(doc)
    else:
        kind, types = "CloudFormation", cfn_types(doc)
    lines = header(args.original, kind, args.source)
    lines += [f"{t} {n}" for t, n in sorted(types.items())]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
