"""The warm worker imports only what is safe to fork: no Python threads, no new thread pools."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, os, sys, threading
from mlings.engine import worker
worker.preload()
first = len(os.listdir("/proc/self/task"))
worker.rehearse()
for step in worker.idle_work():
    step()
print(json.dumps({
    "native_after_preload": first,
    "native_after_everything": len(os.listdir("/proc/self/task")),
    "python_threads": threading.active_count(),
    "unsafe": sorted(m for m in ("polars", "mlflow") if m in sys.modules),
    "loaded": all(name in sys.modules for name in worker.PRELOAD + worker.LATER),
}))
"""


def test_everything_the_worker_imports_leaves_it_safe_to_fork() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.splitlines()[-1])
    assert facts["python_threads"] == 1
    assert facts["native_after_everything"] == facts["native_after_preload"], (
        "an idle-time import started native threads: a forked child would inherit a broken pool"
    )
    assert facts["unsafe"] == []
    assert facts["loaded"]
