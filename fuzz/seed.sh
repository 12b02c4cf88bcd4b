#!/bin/sh
# Seed the corpora of both fuzz targets with the programs in the repository: the
# examples, the ui corpus (pass and fail cases) and the standard library. Files over
# 20 KB are left out (the stack-limit cases and the 70,000-column lines would only slow
# every run down; the renderer has its own property test for long lines).
set -eu
cd "$(dirname "$0")"
for target in parse check; do
  mkdir -p "corpus/$target"
  find ../examples ../tests/ui ../stdlib -name '*.lam' -size -20k | while read -r f; do
    name=$(printf '%s' "${f#../}" | tr '/' '_')
    cp "$f" "corpus/$target/$name"
  done
done
ls corpus/parse | wc -l
