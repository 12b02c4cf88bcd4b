#!/bin/bash
# Starts LocalStack in-process (host mode, no Docker) on 127.0.0.1:$PORT (default 4566),
# its state under $STATE. Runs in the foreground; stop it by its PID (SIGTERM).
# VENV: the virtualenv install.sh made.
set -euo pipefail
cd "$(dirname "$0")"
STATE=${STATE:-/tmp/localstack-state}
export GATEWAY_LISTEN=127.0.0.1:${PORT:-4566}
export SERVICES=${SERVICES:-cloudformation,lambda,s3,sqs,sns,iam,sts,logs,events,scheduler,cloudwatch,application-autoscaling}
export DISABLE_EVENTS=1
export SKIP_INFRA_DOWNLOADS=1
export SKIP_SSL_CERT_DOWNLOAD=1
export LOCALSTACK_VOLUME_DIR=$STATE/volume
export FILESYSTEM_ROOT=$STATE/fsroot
export DNS_ADDRESS=0
export EAGER_SERVICE_LOADING=${EAGER_SERVICE_LOADING:-0}
export PERSISTENCE=0
export GATEWAY_SERVER=hypercorn
export OVERRIDE_IN_DOCKER=0
export SQS_ENDPOINT_STRATEGY=${SQS_ENDPOINT_STRATEGY:-path}
export DEBUG=${DEBUG:-0}
exec "${VENV:?set VENV to the virtualenv install.sh made}/bin/python" ls_nodocker.py
