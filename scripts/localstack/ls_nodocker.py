"""Start the LocalStack runtime in-process, without Docker.

Replaces LocalStack's Lambda runtime executor (which needs Docker, a Lambda
runtime image and a lambda-runtime-init binary downloaded from GitHub) with a
no-op one: functions, versions, aliases (incl. provisioned concurrency), URLs,
event source mappings etc. can be created, read, updated and deleted, but
invoking a function returns an error.
Must run before LocalStack imports its lambda modules (they bind
get_runtime_executor at import time).

With LAMC_PARENT_PID set, it exits when that process is gone (and removes the folder
LAMC_REMOVE_AT_EXIT names, its state): a test binary that started it cannot run code at
exit, so the server watches it instead.
"""
import logging
import os
import shutil
import threading
import time

from localstack.services.lambda_.invocation import runtime_executor as rex

LOG = logging.getLogger("ls_nodocker")


class NoopRuntimeExecutor(rex.RuntimeExecutor):
    def start(self, env_vars):
        pass

    def stop(self):
        pass

    def get_address(self):
        return "127.0.0.1"

    def get_endpoint_from_executor(self):
        return "127.0.0.1"

    def get_runtime_endpoint(self):
        return "http://127.0.0.1:4566/_localstack_lambda/" + self.id

    def invoke(self, payload):
        raise rex.LambdaRuntimeException("Lambda invocation is not available (no Docker)")

    def get_logs(self):
        return ""

    @classmethod
    def prepare_version(cls, function_version):
        if function_version.config.code:
            function_version.config.code.prepare_for_execution()

    @classmethod
    def cleanup_version(cls, function_version):
        pass


rex.get_runtime_executor = lambda: NoopRuntimeExecutor

# Offline, LocalStack cannot fetch its remote service catalog, and the fallback
# catalog reports *every* resource type as unsupported, so
# CFN_IGNORE_UNSUPPORTED_RESOURCE_TYPES=0 (fail on types without a provider,
# instead of silently "deploying" a mock) would reject every template.
# Answer from the resource providers that are actually installed.
from localstack.utils.catalog import catalog as _cat  # noqa: E402
from localstack.utils.catalog.common import CloudFormationResourcesSupportAtRuntime  # noqa: E402


def _cfn_status(self, resource_name, service_name, is_pro_resource=False):
    if resource_name in self._get_cfn_resources_available_at_runtime():
        return CloudFormationResourcesSupportAtRuntime.AVAILABLE
    return None


_cat.AwsCatalogRuntimePlugin.get_cloudformation_resource_status = _cfn_status


def _exit_with_parent(pid):
    while True:
        time.sleep(1)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            leftover = os.environ.get("LAMC_REMOVE_AT_EXIT")
            if leftover:
                shutil.rmtree(leftover, ignore_errors=True)
            os._exit(0)
        except PermissionError:
            pass


if os.environ.get("LAMC_PARENT_PID", "").isdigit():
    threading.Thread(
        target=_exit_with_parent, args=(int(os.environ["LAMC_PARENT_PID"]),), daemon=True
    ).start()

from localstack.runtime.main import main  # noqa: E402

main()
