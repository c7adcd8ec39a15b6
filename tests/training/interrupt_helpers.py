"""Stop a training run with a signal at a point the run itself marks (shared by the CLI and
the multi-process Ctrl-C tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

#: Steps for runs a test stops with a signal: more than any machine trains before the signal.
ENDLESS = 100_000


def stop_after_checkpoint(
    command: Sequence[str], env: dict[str, str], run: Path, stop: signal.Signals, timeout: float = 600
) -> tuple[int, str]:
    """Start a training ``command`` (a run of :data:`ENDLESS` steps that saves every 2), send
    ``stop`` once ``run/checkpoint-2`` is complete, and return its exit code and output.

    What the run wrote decides when the signal goes, not a time: under load the run is
    slower, never done first. Output goes to a file, so a full pipe cannot stall the run."""
    marker = run / "checkpoint-2" / "trainer_state.json"  # the Trainer writes it last
    output = run.parent / "output.txt"
    with output.open("w") as sink:
        proc = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + timeout
            while not marker.is_file():
                assert proc.poll() is None, (
                    f"the run ended before checkpoint-2:\n{output.read_text()[-3000:]}"
                )
                assert time.monotonic() < deadline, f"no checkpoint-2 after {timeout} s"
                time.sleep(0.1)
            proc.send_signal(stop)
            code = proc.wait(timeout=timeout)
        finally:
            if proc.poll() is None:  # the test failed: stop the endless run (medtune stops torchrun)
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
    return code, output.read_text()
