"""Raw Q&A sources: a hub dataset, or local .json/.jsonl/.csv/.parquet files or a folder of them.

Known schemas are recognised by their columns: lavita (``instruction``/``input``/``output``)
and iCliniq (``input`` + ``answer_icliniq``; the ChatGPT/ChatDoctor answers are ignored).
Any other schema needs ``question_field``/``answer_field``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.errors import DataError
from medtune.io import iter_jsonl, read_json_rows, sha256_file

if TYPE_CHECKING:
    from medtune.config import DataSettings

SUFFIXES = (".jsonl", ".json", ".csv", ".parquet")
#: (question column, answer column) of the schemas recognised without settings, in order.
SCHEMAS: dict[str, tuple[str, str]] = {
    "lavita": ("input", "output"),
    "icliniq": ("input", "answer_icliniq"),
}
#: Optional columns carried into the processed records when present.
EXTRA_COLUMNS = ("instruction", "specialty")


@dataclass
class RawData:
    """Questions and answers as read, with where they came from."""

    questions: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    extras: dict[str, list[Any]] = field(default_factory=dict)
    inputs: list[dict[str, Any]] = field(default_factory=list)  # path/name, sha256, rows, schema

    def __len__(self) -> int:
        return len(self.questions)

    def add(self, columns: dict[str, list[Any]], question: str, answer: str, source: dict[str, Any]) -> None:
        """Append one table's rows (``columns`` maps column name -> values)."""
        start = len(self.questions)
        n = len(columns[question])
        self.questions += [_text(v) for v in columns[question]]
        self.answers += [_text(v) for v in columns[answer]]
        for name in EXTRA_COLUMNS:
            if name in columns or name in self.extras:
                values = self.extras.setdefault(name, [None] * start)
                values += list(columns.get(name, [None] * n))
        self.inputs.append({**source, "rows": n})


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value)  # None/NaN -> ""


def pick_fields(
    columns: Sequence[str], where: str, question_field: str | None, answer_field: str | None
) -> tuple[str, str, str]:
    """(question column, answer column, schema name) for a table with ``columns``."""
    if question_field or answer_field:
        wanted = (question_field or "input", answer_field or "output")
        schema = "custom"
    else:
        schema, wanted = next(
            ((name, pair) for name, pair in SCHEMAS.items() if set(pair) <= set(columns)),
            ("lavita", SCHEMAS["lavita"]),
        )
    roles = [
        (role, name) for role, name in zip(("question", "answer"), wanted, strict=True) if name not in columns
    ]
    if roles:
        looked = ", ".join(f"no {role} column {name!r}" for role, name in roles)
        raise DataError(
            f"{where}: {looked} (columns found: {', '.join(columns) or 'none'}); name them with "
            "--question-field and --answer-field ([data] question_field/answer_field)"
        )
    return wanted[0], wanted[1], schema


def find_files(path: Path) -> list[Path]:
    """The data files at ``path`` (a file, or a folder's files sorted by name)."""
    if not path.exists():
        raise DataError(f"{path}: no such file or folder; pass --input PATH or --download")
    if path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            raise DataError(f"{path}: unsupported file type (use {', '.join(SUFFIXES)})")
        return [path]
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise DataError(f"{path}: no {', '.join(SUFFIXES)} files in this folder")
    return files


def read_table(path: Path) -> dict[str, list[Any]]:
    """Read one local file into columns; unreadable or malformed input is a DataError."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.read_table(path).to_pydict()
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                return _columns(list(csv.DictReader(fh)))
        if suffix == ".jsonl":
            return _columns(list(iter_jsonl(path)))
        return _columns(read_json_rows(path))
    except DataError:
        raise
    except Exception as exc:  # OSError, UnicodeDecodeError, csv.Error, pyarrow's ArrowInvalid, ...
        raise DataError(f"{path}: cannot read ({type(exc).__name__}: {exc})") from None


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return {name: [row.get(name) for row in rows] for name in names}


def read_local(path: Path, question_field: str | None = None, answer_field: str | None = None) -> RawData:
    """Read every data file at ``path`` (file or folder)."""
    data = RawData()
    for file in find_files(path):
        columns = read_table(file)
        question, answer, schema = pick_fields(list(columns), str(file), question_field, answer_field)
        source = {"path": str(file), "sha256": sha256_file(file), "schema": schema}
        data.add(columns, question, answer, source)
    return data


def read_hub(
    name: str,
    question_field: str | None = None,
    answer_field: str | None = None,
    save_to: Path | None = None,
    revision: str | None = None,
) -> RawData:
    """Load ``name`` (train split) with ``datasets.load_dataset``: a hub id, or a local
    dataset folder; optionally keep a raw parquet copy in ``save_to``."""
    from medtune.modeling.hub import hub_reachable, offline_reason

    if not Path(name).exists() and not hub_reachable():
        raise DataError(f"{name}: the Hugging Face hub is offline ({offline_reason()}); pass --input PATH")
    import datasets

    try:
        table = datasets.load_dataset(name, split="train", revision=revision)
    except Exception as exc:  # connection, auth and not-found errors come in many types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{name}: cannot download from the hub ({first}); pass --input PATH") from None
    question, answer, schema = pick_fields(table.column_names, name, question_field, answer_field)
    source: dict[str, Any] = {"dataset": name, "fingerprint": table._fingerprint, "schema": schema}
    if save_to is not None:
        from medtune.io import atomic_path

        stem = Path(name).name if Path(name).exists() else name.replace("/", "__")
        target = save_to / f"{stem}.parquet"
        with atomic_path(target) as tmp:
            table.to_parquet(str(tmp))
        source.update(path=str(target), sha256=sha256_file(target))
    data = RawData()
    data.add(table.to_dict(), question, answer, source)
    return data


def load_raw(cfg: DataSettings, input_path: str | Path | None, download: bool) -> RawData:
    """Read the hub dataset (``download``) or local files (``input_path``, else ``raw_dir``)."""
    fields = (cfg.question_field, cfg.answer_field)
    if download:
        raw_dir = Path(input_path or cfg.raw_dir)
        if raw_dir.is_file():
            raise DataError(f"{raw_dir}: is a file; with --download, --input names the raw copy's folder")
        return read_hub(cfg.dataset, *fields, save_to=raw_dir)
    if input_path is None:
        if not Path(cfg.raw_dir).exists():
            raise DataError(
                f"no input: {cfg.raw_dir} does not exist; pass --input PATH, --download,"
                " or run 'medtune quickstart' for the bundled sample"
            )
        input_path = cfg.raw_dir
    return read_local(Path(input_path), *fields)
