#!/bin/bash
# Installs localstack-core (runs in-process, no Docker) into the virtualenv named by $1,
# unless it already holds this version (~2 min, ~500 MB the first time).
# Needs Python >= 3.13 (localstack-core imports `warnings.deprecated`, new in 3.13): $PY,
# else the first python3.13 on PATH that runs (a pyenv shim may exist without the version
# behind it), else a pyenv-installed 3.13 or newer.
set -euo pipefail
VENV=${1:?usage: install.sh VENV_DIR}
LOCALSTACK_VERSION=2026.3.0
runs() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; }
# Read whole before matching: `pip show | grep -q` fails under pipefail when grep stops
# reading first.
installed=$("$VENV/bin/python" -m pip show localstack-core 2>/dev/null || true)
if grep -qx "Version: $LOCALSTACK_VERSION" <<<"$installed" && runs "$VENV/bin/python"; then
  exit 0
fi
if [ -e "$VENV" ] && [ ! -f "$VENV/pyvenv.cfg" ]; then
  echo "install.sh: $VENV exists and is not a virtualenv: not replacing it" >&2
  exit 1
fi
echo "installing localstack-core $LOCALSTACK_VERSION into $VENV" >&2
rm -rf "$VENV"
if [ -z "${PY:-}" ]; then
  # pyenv installs versions its shims may not select.
  for c in python3.13 python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[3-9]*/bin/python3; do
    if command -v "$c" >/dev/null && runs "$c"; then PY=$(command -v "$c"); break; fi
  done
fi
if [ -z "${PY:-}" ] || ! runs "$PY"; then
  echo "install.sh: no Python >= 3.13 found (set PY=/path/to/python3.13)" >&2
  exit 1
fi
"$PY" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip </dev/null
# Versions localstack-core 2026.3.0 works with (newer cbor2/pyopenssl/cryptography break it).
printf 'cbor2<6\npyopenssl>=25,<26\ncryptography>=45.0.7,<47\n' > "$VENV/constraints.txt"
"$VENV/bin/pip" install -q --disable-pip-version-check -c "$VENV/constraints.txt" \
  "localstack-core[runtime]==$LOCALSTACK_VERSION" service_identity </dev/null
"$VENV/bin/pip" check
