"""nbval's kernels (``make test`` runs ``pytest --nbval-lax notebooks``) talk over IPC, not TCP.

nbval starts each kernel with jupyter_client's default transport, TCP on
localhost: a network port for a local process, and ipykernel warns on every
start that the traffic is unencrypted. The report runner's kernels use IPC
sockets with unique paths in the temp folder; nbval's get the same here.
"""

from __future__ import annotations

import nbval.kernel
from jupyter_client.manager import KernelManager

from trygghet.pipeline.runner import _private_ipc_paths


class _IPCKernelManager(KernelManager):
    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        for key, value in _private_ipc_paths().items():
            kwargs.setdefault(key, value)
        super().__init__(**kwargs)

    def cleanup_resources(self, restart: bool = False) -> None:
        super().cleanup_resources(restart=restart)
        self.cleanup_ipc_files()


nbval.kernel.KernelManager = _IPCKernelManager


# Under nbval the report notebooks run with their default parameters, so they would
# write their indicator records into the published outputs/<kommun>/<period>/records.
# Testing must not touch published outputs: the records go to a scratch folder
# (trygghet.paths.records_dir reads this variable), removed when the session ends.
import atexit  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

_RECORDS = tempfile.mkdtemp(prefix="trygghet-nbval-records-")
os.environ.setdefault("TRYGGHET_RECORDS_DIR", _RECORDS)
# Nor may a test run become the kommun's "last follow-up" (00's "since last time").
os.environ.setdefault("TRYGGHET_HISTORY_DIR", _RECORDS)
atexit.register(shutil.rmtree, _RECORDS, ignore_errors=True)
