"""Atomic file writes and line-numbered JSON/JSONL reading.

A crash never leaves a half-written file that looks whole: everything is written to a
temporary sibling first and renamed into place (``os.replace`` is atomic on POSIX); the
temporaries of a writer killed mid-write are cleared by the next write of the same path. A
write that fails (a full disk, a read-only or forbidden folder) raises an ``OSError`` naming
the output it was writing (see :func:`writes_to`), which the CLI reports in one line.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from medtune.errors import DataError, MedtuneError, UsageError

#: Rust libraries (safetensors, tokenizers) end an I/O failure's message with this.
_RUST_OS_ERROR = re.compile(r"\(os error (\d+)\)")
#: Bytes :func:`_probe_write` tries to write where a writer failed without saying why.
PROBE_BYTES = 1 << 20


@contextlib.contextmanager
def writes_to(path: str | Path) -> Iterator[None]:
    """Make a write failure inside the block an ``OSError`` that names ``path``.

    ``path`` replaces a missing file name and the name of a temporary sibling (``.name.*``).
    Libraries that wrap the OS error are unwrapped: safetensors' and tokenizers' messages
    carry its number; torch's writer says only "unexpected pos", so ``path`` is probed
    with a small write, and the error that probe meets (no space, read-only...) is raised.
    MedtuneErrors, and failures the probe cannot explain, pass through unchanged."""
    path = Path(path)
    try:
        yield
    except MedtuneError:
        raise
    except OSError as exc:
        if exc.filename is None or Path(exc.filename).name.startswith(f".{path.name}."):
            exc.filename = str(path)
        raise
    except Exception as exc:
        found = _RUST_OS_ERROR.search(str(exc))
        cause = (
            OSError(int(found.group(1)), os.strerror(int(found.group(1))), str(path))
            if found
            else _probe_write(path)
        )
        if cause is None:
            raise
        raise cause from exc


def _probe_write(path: Path) -> OSError | None:
    """The OSError a small write beside (or into) ``path`` meets, named ``path``; None if it works."""
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        with tempfile.TemporaryFile(dir=folder) as fh:
            fh.write(b"\0" * PROBE_BYTES)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return OSError(exc.errno or errno.EIO, exc.strerror or str(exc), str(path))
    return None


def _temp_prefix(path: Path) -> str:
    """``.<name>.<pid>.``: temporaries carry their writer's process id (see :func:`_clear_stale`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale(path)
    return f".{path.name}.{os.getpid()}."


def _clear_stale(path: Path) -> None:
    """Remove temporaries of ``path`` left by a writer that is gone (killed with -9 mid-write)."""
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = tmp.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success."""
    path = Path(path)
    with writes_to(path):
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp_path = Path(tmp)
        try:
            tmp_path.chmod(0o666 & ~_umask())  # mkstemp makes 0600; give the file normal permissions
            yield tmp_path
            os.replace(tmp_path, path)
        finally:
            tmp_path.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_dir(path: str | Path, replaces: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; swap it in place of ``path`` on success.

    An existing non-empty ``path`` is replaced only if it holds one of the marker files in
    ``replaces`` (an earlier output of the same kind): a user's own folder is never wiped.
    """
    path = Path(path)
    check_replaceable(path, replaces)
    with writes_to(path):
        tmp = Path(tempfile.mkdtemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent))
        try:
            tmp.chmod(0o777 & ~_umask())
            yield tmp
            swap_in(tmp, path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def swap_in(new: Path, path: Path) -> None:
    """Put the folder ``new`` in place of ``path``: an earlier ``path`` is first renamed aside
    (a temporary, see :func:`_clear_stale`) and deleted last, so a kill at any point leaves
    each folder whole, never half of one deleted."""
    if path.exists():
        aside = path.with_name(f"{_temp_prefix(path)}old.tmp")
        os.replace(path, aside)
        os.replace(new, path)
        shutil.rmtree(aside, ignore_errors=True)
    else:
        os.replace(new, path)


def check_replaceable(path: Path, replaces: tuple[str, ...]) -> None:
    """Raise UsageError unless ``path`` is absent, empty, or an earlier output (see atomic_dir)."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path}: exists and is not a folder; choose another output folder")
    if path.is_dir() and any(path.iterdir()) and not any((path / m).exists() for m in replaces):
        raise UsageError(f"{path}: folder exists and holds other files; choose a new or empty output folder")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> Path:
    """Atomically write ``text`` (UTF-8) to ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: str | Path, obj: Any) -> Path:
    """Atomically write ``obj`` as indented, key-sorted JSON."""
    return write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> Path:
    """Atomically write one JSON object per line."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return Path(path)


def append_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> None:
    """Append one JSON object per line to ``path`` (a stream a restart continues). An append
    that fails (a full disk, Ctrl-C) is cut back off: the file never ends in part of it."""
    path = Path(path)
    start = path.stat().st_size if path.exists() else 0
    with writes_to(path):
        try:
            with path.open("a", encoding="utf-8") as fh:
                fh.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        except BaseException:
            with contextlib.suppress(OSError):
                os.truncate(path, start)
            raise


def mend_jsonl_tail(path: str | Path) -> None:
    """Cut a torn last line (a kill mid-append) off a JSONL file, or give a whole last line its
    newline. In place: truncation needs no free space."""
    path = Path(path)
    data = path.read_bytes()
    if not data or data.endswith(b"\n"):
        return
    cut = data.rfind(b"\n") + 1
    with writes_to(path):
        try:
            json.loads(data[cut:])
        except ValueError:  # JSONDecodeError, UnicodeDecodeError
            os.truncate(path, cut)
        else:
            with path.open("ab") as fh:
                fh.write(b"\n")


def iter_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield the objects of a JSONL file; a bad line raises DataError naming file and line."""
    for _, obj in numbered_jsonl(path):
        yield obj


def numbered_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSONL file (see :func:`iter_jsonl`)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{lineno}: malformed JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                kind = type(obj).__name__
                raise DataError(f"{path}:{lineno}: expected a JSON object, got {kind}")
            yield lineno, obj


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a whole JSONL file (see :func:`iter_jsonl`)."""
    return list(iter_jsonl(path))


def read_json_rows(path: str | Path) -> list[dict[str, Any]]:
    """The records of a ``.json`` file: a list of objects, one wrapped in ``{"data": [...]}``,
    column-oriented ``{"input": [...], ...}``, or JSON Lines saved as .json (as datasets'
    ``to_json`` does; one line is one record). Anything else raises DataError naming the file (and line)."""
    obj = read_json(path, lines_ok=True)
    if isinstance(obj, dict):
        lists = [isinstance(v, list) for v in obj.values()]
        if lists == [True]:
            obj = next(iter(obj.values()))
        elif lists and all(lists):
            if len({len(v) for v in obj.values()}) > 1:
                raise DataError(f"{path}: columns of different lengths ({', '.join(obj)})")
            return [dict(zip(obj, values, strict=True)) for values in zip(*obj.values(), strict=True)]
        elif not any(lists):  # one record (a one-line JSON Lines file)
            obj = [obj]
    if not isinstance(obj, list) or not all(isinstance(r, dict) for r in obj):
        raise DataError(f"{path}: expected a JSON list of objects")
    return obj


def read_json_object(path: str | Path) -> dict[str, Any]:
    """A ``.json`` file holding one object (a manifest, a card, metrics); anything else
    raises DataError naming the file (and line)."""
    obj = read_json(path)
    if not isinstance(obj, dict):
        raise DataError(f"{path}: expected a JSON object, got {type(obj).__name__}")
    return obj


def read_json(path: str | Path, *, lines_ok: bool = False) -> Any:
    """The parsed JSON of ``path`` (with ``lines_ok``, JSON Lines read as a list of records);
    DataError naming the file when it is missing, and the line when it is malformed."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        if lines_ok and exc.msg == "Extra data":
            return read_jsonl(path)
        raise DataError(f"{path}:{exc.lineno}: malformed JSON ({exc.msg})") from None


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()
