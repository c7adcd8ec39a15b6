"""Faults on purpose: what a run meets in real life, on the tiny model and the bundled sample.

    python bench/faults.py [--workdir DIR]

Every fault is real: the process is killed with SIGKILL at a chosen point (the command runs
through this script with ``--inject``, which adds the kill to medtune in that process), a
checkpoint file is truncated on disk, or the output sits on a filesystem that fills up (a
small tmpfs in a private mount namespace, ``unshare -rm``; where that is not allowed, writes
under the output fail with ENOSPC through a patched ``open``). Then the same command is run
again, as a user or a job scheduler would. Each row says whether medtune survived (the
completed result, or one line and a non-zero exit; never a traceback), the message it gave,
and what was lost compared with an uninterrupted run: files, checkpoints, answers, or a step
trained that the uninterrupted run did not train.

Training: LoRA r 8 on the tiny Llama, 12 steps, a checkpoint every 4, fp32 on the CPU.
Evaluation: the 34 test questions, 24 new tokens. About 3 minutes on 2 idle cores.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STEPS, SAVE_EVERY = 12, 4
ENV = {**os.environ, "COLUMNS": "400", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
MEDTUNE = [str(Path(sys.executable).with_name("medtune"))]
MOUNT_AND_RUN = """
mount -t tmpfs -o size="$1" tmpfs "$2" || exit 99
shift 3
"$@"
code=$?
find "$0" -mindepth 1 -printf '%P %s\\n' > "$LEFT"
exit $code
"""


# -- the injected child: medtune in this process, killed at a chosen point ------------------------


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def inject(spec: str) -> None:
    """Add the fault ``spec`` (``name[:argument]``) to medtune in this process."""
    name, _, arg = spec.partition(":")
    if name == "prepare-write":  # the first split is written in the temporary folder
        folder = importlib.import_module("medtune.data.folder")
        folder.sha256_file = lambda path: _kill()
    elif name in ("train-step", "checkpoint-save"):
        from transformers import Trainer

        method = "training_step" if name == "train-step" else "_save_optimizer_and_scheduler"
        original = getattr(Trainer, method)

        def at_step(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self.state.global_step == int(arg):
                _kill()  # train-step: during step N+1; checkpoint-save: checkpoint-N's weights are written
            return original(self, *args, **kwargs)

        setattr(Trainer, method, at_step)
    elif name == "before-final":  # every step and checkpoint done, final/ not written
        runner = importlib.import_module("medtune.training.runner")
        runner.save_final = lambda *args, **kwargs: _kill()
    elif name == "eval-append":  # the Nth batch of answers: half a line written, then killed
        run = importlib.import_module("medtune.evaluation.run")
        original_append, calls = run.append_jsonl, [0]

        def torn(path: Path, records: Sequence[dict[str, Any]]) -> None:
            calls[0] += 1
            if calls[0] == int(arg):
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(records[0])[:40])
                _kill()
            original_append(path, records)

        run.append_jsonl = torn
    elif name == "enospc":  # no tmpfs here: writes under the folder fail as on a full disk
        _fill_disk(Path(arg))
    else:
        raise SystemExit(f"unknown fault {spec!r}")


def _fill_disk(folder: Path) -> None:
    import builtins
    import errno
    import io

    real_open, folder = io.open, folder.resolve()

    class Full:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def write(self, data: Any) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def writelines(self, lines: Any) -> None:
            for line in lines:
                self.write(line)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.fh, name)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = real_open(file, mode, *args, **kwargs)
        writes = isinstance(file, (str, os.PathLike)) and set(mode) & set("wax+")
        return Full(fh) if writes and Path(file).resolve().is_relative_to(folder) else fh

    io.open = builtins.open = open_  # type: ignore[assignment]


# -- the bench -------------------------------------------------------------------------------------


@dataclass
class Done:
    code: int
    stdout: str
    stderr: str
    left: list[str] | None = None  # what a full-disk run left on its filesystem

    @property
    def traceback(self) -> bool:
        return "Traceback" in self.stderr

    def error(self) -> str | None:
        """The one error line, if the run failed with exactly one line on stderr's end."""
        lines = [line for line in self.stderr.splitlines() if line.startswith("error:")]
        return lines[0] if len(lines) == 1 and not self.traceback else None

    def notes(self, *words: str) -> str:
        return "; ".join(line.strip() for line in self.stderr.splitlines() if any(w in line for w in words))


@dataclass
class Row:
    fault: str
    survived: bool
    message: str
    lost: str


def medtune(*args: str, fault: str | None = None) -> Done:
    command = (
        [sys.executable, str(Path(__file__).resolve()), "--inject", fault, "--", *args]
        if fault
        else [*MEDTUNE, *args]
    )
    done = subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=600)
    return Done(done.returncode, done.stdout, done.stderr)


def on_full_disk(size: str, mount: Path, *args: str) -> Done:
    """``medtune args`` with ``mount`` a tmpfs of ``size`` (private mount namespace); where one
    cannot be made, with writes under ``mount`` failing with ENOSPC."""
    mount.mkdir(parents=True, exist_ok=True)
    left = mount.parent / f"{mount.name}.left"
    command = [
        "unshare",
        "-rm",
        "sh",
        "-c",
        MOUNT_AND_RUN,
        str(mount),
        size,
        str(mount),
        "--",
        *MEDTUNE,
        *args,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**ENV, "LEFT": str(left)}, timeout=600
    )
    if done.returncode != 99 and left.is_file():
        return Done(done.returncode, done.stdout, done.stderr, left.read_text().split("\n")[:-1])
    print(f"  (no tmpfs here: {done.stderr.strip()[:80]}; writes patched to fail with ENOSPC)")
    result = medtune(*args, fault=f"enospc:{mount}")
    result.left = [f"{p.relative_to(mount)} {p.stat().st_size}" for p in mount.rglob("*")]
    return result


def same_weights(a: Path, b: Path) -> str:
    """'none' if the two adapters are bit-identical, else what differs."""
    import torch
    from safetensors.torch import load_file

    if not (a / "adapter_model.safetensors").is_file():
        return "final/ missing"
    x, y = load_file(a / "adapter_model.safetensors"), load_file(b / "adapter_model.safetensors")
    if x.keys() != y.keys():
        return "different tensors"
    worst = max(float((x[k] - y[k]).abs().max()) for k in x)
    return (
        "none (final/ bit-identical)"
        if all(torch.equal(x[k], y[k]) for k in x)
        else f"final/ off by {worst:.1e}"
    )


def train_outcome(run: Path, reference: Path) -> str:
    """What a finished run lost or added compared with the uninterrupted one."""
    extra = sorted(p.name for p in run.glob("checkpoint-*") if int(p.name.split("-")[1]) > STEPS)
    if extra:
        return f"trained past step {STEPS}: {', '.join(extra)}"
    result = json.loads((run / "manifest.json").read_text())["result"]
    if result["global_step"] != STEPS:
        return f"stopped at step {result['global_step']}"
    return same_weights(run / "final", reference / "final")


def predictions(folder: Path) -> dict[str, str]:
    rows = [json.loads(line) for line in (folder / "predictions.jsonl").read_text().splitlines()]
    if len({r["id"] for r in rows}) != len(rows):
        raise AssertionError("duplicate answers")
    return {r["id"]: r["prediction"] for r in rows}


class Bench:
    def __init__(self, work: Path) -> None:
        from medtune.data.sample import sample_path

        self.work, self.sample = work, str(sample_path())
        self.data = work / "processed"
        self.rows: list[Row] = []

    def killed_row(self, fault: str, killed: Done, survived: bool, message: str, lost: str) -> None:
        """A row for a kill -9 fault; one whose kill never came (the injection point moved)
        fails and says so."""
        if killed.code != -9:
            survived, message = False, f"the kill never came (exit {killed.code}): move the injection point"
        self.row(fault, survived, message, lost)

    def row(self, fault: str, survived: bool, message: str, lost: str) -> None:
        self.rows.append(Row(fault, survived, message or "-", lost))
        print(f"  {fault}: {'survived' if survived else 'FAILED'} ({time.perf_counter() - START:.0f} s)")

    def setup(self) -> None:
        assert medtune("data", "prepare", "--input", self.sample, "--output-dir", str(self.data)).code == 0
        self.model = self.work / "tiny"
        done = medtune(
            "model", "tiny", "--output-dir", str(self.model), "--data", str(self.data / "train.jsonl")
        )
        assert done.code == 0, done.stderr
        self.config = self.work / "medtune.toml"
        self.config.write_text(
            f'[model]\nmodel_name = "{self.model}"\nbits = 16\nprecision = "fp32"\ndevice = "cpu"\n\n'
            "[lora]\nr = 8\nalpha = 16\ndropout = 0.0\n\n"
            f'[data]\ndata_dir = "{self.data}"\nmax_seq_length = 256\nper_device_train_batch_size = 4\n\n'
            f"[train]\nmax_steps = {STEPS}\nsave_steps = {SAVE_EVERY}\nsave_total_limit = 3\n"
            'learning_rate = 2e-3\nlogging_steps = 1\neval_steps = 1000\nreport_to = ["none"]\n'
            "gradient_checkpointing = false\n\n[eval]\nbootstrap_samples = 200\n",
            encoding="utf-8",
        )
        self.reference = self.work / "reference"
        done = self.train(self.reference)
        assert done.code == 0, done.stderr
        self.eval_reference = self.work / "eval-reference"
        done = self.eval(self.eval_reference)
        assert done.code == 0, done.stderr

    def train(self, run: Path, *extra: str, fault: str | None = None) -> Done:
        return medtune("train", "--config", str(self.config), "--output-dir", str(run), *extra, fault=fault)

    def eval(self, out: Path, fault: str | None = None) -> Done:
        return medtune(*self.eval_args(out), fault=fault)

    def eval_args(self, out: Path) -> list[str]:
        model, test = self.reference / "final", self.data / "test.jsonl"
        return [
            *("eval", "--config", str(self.config), "--model-path", str(model), "--data-path", str(test)),
            *("--max-new-tokens", "24", "--batch-size", "8", "--metrics", "rouge,medical"),
            *("--output-dir", str(out)),
        ]

    # -- the faults ---------------------------------------------------------------------------------

    def kill_prepare(self) -> None:
        out = self.work / "prepare-killed" / "processed"
        killed = medtune(
            "data", "prepare", "--input", self.sample, "--output-dir", str(out), fault="prepare-write"
        )
        left = [p.name for p in out.parent.iterdir()]
        again = medtune("data", "prepare", "--input", self.sample, "--output-dir", str(out))
        same = all((out / p.name).read_bytes() == p.read_bytes() for p in self.data.iterdir())
        debris = [p.name for p in out.parent.iterdir() if p.name != "processed"]
        self.killed_row(
            "kill -9 during data prepare",
            killed,
            again.code == 0 and same and not debris,
            f"the kill left {', '.join(left) or 'nothing'}; the rerun (exit {again.code}) "
            + (f"left {debris}" if debris else "cleared it"),
            "none (files identical)" if same else "output differs",
        )

    def kill_train(self, fault: str, name: str, words: tuple[str, ...]) -> None:
        run = self.work / fault.replace(":", "-")
        killed = self.train(run, fault=fault)
        again = self.train(run, "--resume-from-checkpoint", "auto")
        lost = train_outcome(run, self.reference) if again.code == 0 else "run did not finish"
        ok = again.code == 0 and lost.startswith("none") and not again.traceback
        self.killed_row(name, killed, ok, again.notes(*words) or again.error() or again.stderr[-200:], lost)

    def corrupt_checkpoint(self) -> None:
        run = self.work / "corrupt"
        shutil.copytree(self.reference, run, ignore=shutil.ignore_patterns("final", "manifest.json"))
        weights = run / f"checkpoint-{STEPS}" / "adapter_model.safetensors"
        os.truncate(weights, weights.stat().st_size // 2)
        again = self.train(run, "--resume-from-checkpoint", "auto")
        lost = train_outcome(run, self.reference) if again.code == 0 else "run did not finish"
        ok = again.code == 0 and lost.startswith("none")
        self.row(
            "corrupt newest checkpoint (weights cut in half)",
            ok,
            again.notes("skipping") or again.stderr[-200:],
            lost,
        )

    def finished_train_again(self) -> None:
        run = self.work / "finished-train"
        shutil.copytree(self.reference, run)
        before = (run / "manifest.json").read_bytes()
        again = self.train(run, "--resume-from-checkpoint", "auto")
        untouched = (run / "manifest.json").read_bytes() == before
        lost = train_outcome(run, self.reference) if untouched else "manifest rewritten"
        ok = again.code == 0 and lost.startswith("none")
        self.row("finished training run again (auto)", ok, again.notes("nothing to do"), lost)

    def full_disk(self) -> None:
        prepare = self.work / "disk-prepare"
        done = on_full_disk(
            "128k",
            prepare,
            "data",
            "prepare",
            "--input",
            self.sample,
            "--output-dir",
            str(prepare / "processed"),
        )
        nothing = not done.left
        self.row(
            "full disk: data prepare (128 KiB tmpfs)",
            done.code == 74 and done.error() is not None and nothing,
            done.error() or done.stderr[-200:],
            "none (nothing half-written)" if nothing else f"left {done.left}",
        )
        checkpoint = sum(
            p.stat().st_size for p in (self.reference / f"checkpoint-{SAVE_EVERY}").rglob("*") if p.is_file()
        )
        size = f"{checkpoint // 2 // 1024}k"
        train = self.work / "disk-train"
        done = on_full_disk(
            size, train, "train", "--config", str(self.config), "--output-dir", str(train / "run")
        )
        partial = [entry for entry in done.left or [] if "checkpoint-" in entry or ".final" in entry]
        self.row(
            f"full disk: train, first checkpoint ({size} tmpfs)",
            done.code == 74 and done.error() is not None and not partial,
            done.error() or done.stderr[-200:],
            "none (no partial checkpoint left)" if not partial else f"left {partial[:3]}",
        )
        ev = self.work / "disk-eval"
        done = on_full_disk("24k", ev, *self.eval_args(ev / "ev"))
        streamed = [e for e in done.left or [] if e.startswith("ev/predictions.jsonl")]
        self.row(
            "full disk: eval (24 KiB tmpfs)",
            done.code == 74 and done.error() is not None,
            done.error() or done.stderr[-200:],
            f"none (whole answers kept to resume: {streamed[0].split()[-1]} bytes)" if streamed else "none",
        )

    def kill_eval(self) -> None:
        out = self.work / "eval-killed"
        killed = self.eval(out, fault="eval-append:3")
        again = self.eval(out)
        want = predictions(self.eval_reference)
        got = predictions(out) if again.code == 0 else {}
        lost = (
            "none (all 34 answers, identical)"
            if got == want
            else f"{len(want) - len(got)} answers differ or missing"
        )
        self.killed_row(
            "kill -9 during eval (torn line)",
            killed,
            got == want,
            again.notes("resuming"),
            lost,
        )

    def finished_eval_again(self) -> None:
        out = self.work / "eval-finished"
        shutil.copytree(self.eval_reference, out)
        before = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "manifest.json"}
        again = self.eval(out)
        after = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "manifest.json"}
        self.row(
            "finished eval run again",
            again.code == 0 and before == after and not again.traceback,
            again.notes("already"),
            "none (reports byte-identical)" if before == after else "reports changed",
        )


START = time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, help="keep everything here (default: a temporary folder)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="medtune-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(work)
    print(f"workdir {work}; load average {os.getloadavg()[0]:.1f}")
    bench.setup()
    print(f"  reference runs done ({time.perf_counter() - START:.0f} s)")
    faults: list[Callable[[], None]] = [
        bench.kill_prepare,
        lambda: bench.kill_train("train-step:6", "kill -9 during training (step 7 of 12)", ("resuming",)),
        lambda: bench.kill_train(
            f"checkpoint-save:{2 * SAVE_EVERY}", "kill -9 during a checkpoint save", ("skipping", "resuming")
        ),
        lambda: bench.kill_train("before-final", "kill -9 after the last checkpoint", ("writing final",)),
        bench.corrupt_checkpoint,
        bench.finished_train_again,
        bench.full_disk,
        bench.kill_eval,
        bench.finished_eval_again,
    ]
    for fault in faults:
        fault()
    print("\n| fault | survived | message | data lost |\n|---|---|---|---|")
    for r in bench.rows:
        message = r.message.replace(str(work), "$W").replace("|", "\\|")
        print(f"| {r.fault} | {'yes' if r.survived else 'NO'} | {message} | {r.lost} |")
    survived, seconds = sum(r.survived for r in bench.rows), time.perf_counter() - START
    print(
        f"\n{survived}/{len(bench.rows)} survived in {seconds:.0f} s (load average {os.getloadavg()[0]:.1f})"
    )
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--inject":
        inject(sys.argv[2])
        from medtune.cli.app import main as medtune_main

        sys.argv = ["medtune", *sys.argv[4:]]
        medtune_main()
    else:
        main()
