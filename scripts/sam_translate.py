#!/usr/bin/env python3
"""Transform a SAM template to CloudFormation with aws-sam-translator, offline.

    sam_translate.py TEMPLATE.json [--time]

Writes the CloudFormation template to stdout; with --time, also writes the seconds the
transform itself took (imports and file reading excluded) to stderr. Needs
AWS_DEFAULT_REGION (the translator reads it); never calls AWS: the SAM templates that
scripts/compare.py writes name no managed policy by name, so the policy loader is a stub.
"""

import json
import sys
import time

from samtranslator.translator.transform import transform


class NoManagedPolicies:
    """Stands in for ManagedPolicyLoader, which would list the IAM policies of an account."""

    def load(self):
        return {}


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        template = json.load(f)
    start = time.perf_counter()
    out = transform(template, {}, NoManagedPolicies())
    elapsed = time.perf_counter() - start
    json.dump(out, sys.stdout)
    if "--time" in argv[2:]:
        print(f"{elapsed:.6f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
