"""Raw Q&A sources: a hub dataset, or local .json/.jsonl/.csv/.parquet files or a folder of them.

Known schemas are recognised by their columns: lavita (``instruction``/``input``/``output``),
iCliniq (``input`` + ``answer_icliniq``; the ChatGPT/ChatDoctor answers are ignored) and the
preference schemas TRL reads: ``prompt``/``chosen``/``rejected`` and, for KTO,
``prompt``/``completion``/``label`` (see :mod:`medtune.data.preference`). Any other schema
needs ``question_field``/``answer_field``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from medtune.data.preference import Kind, read_rows
from medtune.errors import DataError
from medtune.io import atomic_path, iter_jsonl, read_json_rows, sha256_file
from medtune.modeling.hub import hub_reachable, offline_reason

if TYPE_CHECKING:
    from medtune.config import DataSettings

SUFFIXES = (".jsonl", ".json", ".csv", ".parquet")


class Schema(NamedTuple):
    """A table layout: what kind of data it holds and its columns, question first (SFT:
    question, answer; paired preference: prompt, chosen, rejected; unpaired: prompt,
    completion, label)."""

    kind: Kind
    columns: tuple[str, ...]


#: The schemas recognised without settings, in the order they are tried.
SCHEMAS: dict[str, Schema] = {
    "lavita": Schema("sft", ("input", "output")),
    "icliniq": Schema("sft", ("input", "answer_icliniq")),
    "preference": Schema("paired", ("prompt", "chosen", "rejected")),
    "kto": Schema("unpaired", ("prompt", "completion", "label")),
}
#: Optional columns carried into the processed records when present.
EXTRA_COLUMNS = ("instruction", "specialty")


@dataclass
class RawData:
    """Questions and answers as read, with where they came from. Preference data (``kind``
    "paired" or "unpaired") keeps its answers in ``responses``, by processed field name
    (:data:`medtune.data.preference.FIELDS`), and ``answers`` stays empty."""

    questions: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    extras: dict[str, list[Any]] = field(default_factory=dict)
    inputs: list[dict[str, Any]] = field(default_factory=list)  # path/name, sha256, rows, schema
    kind: Kind = "sft"
    responses: dict[str, list[Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.questions)

    def add(
        self,
        columns: dict[str, list[Any]],
        schema: Schema,
        source: dict[str, Any],
        locate: Callable[[int], str] = str,
    ) -> None:
        """Append one table's rows (``columns`` maps column name -> values); ``locate(i)``
        names row ``i`` in errors (e.g. ``file.jsonl:12``)."""
        if self.inputs and schema.kind != self.kind:
            first = self.inputs[0].get("path") or self.inputs[0].get("dataset")
            raise DataError(f"{locate(0)}: {schema.kind} data, but {first} holds {self.kind} data")
        self.kind = schema.kind
        start = len(self.questions)
        n = len(columns[schema.columns[0]])
        if schema.kind == "sft":
            question, answer = schema.columns
            self.questions += [_text(v) for v in columns[question]]
            self.answers += [_text(v) for v in columns[answer]]
        else:
            questions, instructions, responses = read_rows(columns, schema, locate)
            self.questions += questions
            for name, values in responses.items():
                self.responses.setdefault(name, []).extend(values)
            if any(instructions):  # system turns of conversation prompts
                given = columns.get("instruction", [None] * n)
                columns = {
                    **columns,
                    "instruction": [i or g for i, g in zip(instructions, given, strict=True)],
                }
        for name in EXTRA_COLUMNS:
            if name in columns or name in self.extras:
                values = self.extras.setdefault(name, [None] * start)
                values += list(columns.get(name, [None] * n))
        self.inputs.append({**source, "rows": n})


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value)  # None/NaN -> ""


def pick_schema(
    columns: Sequence[str], where: str, question_field: str | None, answer_field: str | None
) -> tuple[str, Schema]:
    """(schema name, schema) of a table with ``columns``: the first of :data:`SCHEMAS` whose
    columns it has, else the one it shares most columns with, whose missing ones are named."""
    if question_field or answer_field:
        name, schema = "custom", Schema("sft", (question_field or "input", answer_field or "output"))
    else:
        complete = [item for item in SCHEMAS.items() if set(item[1].columns) <= set(columns)]
        overlap = max(SCHEMAS.items(), key=lambda item: len(set(item[1].columns) & set(columns)))
        name, schema = complete[0] if complete else overlap
    found = f"columns found: {', '.join(columns) or 'none'}"
    if schema.kind == "sft":
        pairs = zip(("question", "answer"), schema.columns, strict=True)
        if roles := [(role, column) for role, column in pairs if column not in columns]:
            looked = ", ".join(f"no {role} column {column!r}" for role, column in roles)
            raise DataError(
                f"{where}: {looked} ({found}); name them with --question-field and --answer-field "
                "([data] question_field/answer_field)"
            )
    elif missing := [column for column in schema.columns if column not in columns]:
        raise DataError(
            f"{where}: missing field(s) {', '.join(missing)} ({found}); a {name} file needs columns "
            f"{', '.join(schema.columns)}"
        )
    return name, schema


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


def row_location(path: Path, index: int) -> str:
    """Where row ``index`` (0-based) of a data file is, for errors: ``file:LINE`` for JSON
    Lines and CSV (blank lines and the header counted as the file counts them), else
    ``file: row N``."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            lines = (number for number, line in enumerate(fh, start=1) if line.strip())
            return f"{path}:{next(islice(lines, index, None), '?')}"
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            for row, _ in enumerate(reader, start=-1):  # the header is row -1
                if row == index:
                    return f"{path}:{reader.line_num}"
    return f"{path}: row {index + 1}"


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
        name, schema = pick_schema(list(columns), str(file), question_field, answer_field)
        source = {"path": str(file), "sha256": sha256_file(file), "schema": name}
        data.add(columns, schema, source, partial(row_location, file))
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
    if not Path(name).exists() and not hub_reachable():
        raise DataError(f"{name}: the Hugging Face hub is offline ({offline_reason()}); pass --input PATH")
    import datasets

    try:
        table = datasets.load_dataset(name, split="train", revision=revision)
    except Exception as exc:  # connection, auth and not-found errors come in many types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{name}: cannot download from the hub ({first}); pass --input PATH") from None
    schema_name, schema = pick_schema(table.column_names, name, question_field, answer_field)
    source: dict[str, Any] = {"dataset": name, "fingerprint": table._fingerprint, "schema": schema_name}
    if save_to is not None:
        stem = Path(name).name if Path(name).exists() else name.replace("/", "__")
        target = save_to / f"{stem}.parquet"
        with atomic_path(target) as tmp:
            table.to_parquet(str(tmp))
        source.update(path=str(target), sha256=sha256_file(target))
    data = RawData()
    data.add(table.to_dict(), schema, source, lambda index: f"{name}: row {index + 1}")
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
