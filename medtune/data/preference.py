"""Preference data: answers ranked against each other, for DPO, ORPO and KTO.

Processed records (``train/validation/test.jsonl`` of a preference folder) carry the
prompt as SFT records do (``instruction`` and the patient's ``input``, rendered by the one
template) and, instead of ``output``:

- paired (DPO, ORPO; KTO splits each pair into a desirable and an undesirable answer):
  ``chosen`` and ``rejected``, two different non-empty answers;
- unpaired (KTO): ``completion`` and ``label`` (true = desirable).

They also keep ``id``, ``source`` and ``flags`` as SFT records do. Raw preference tables
are read row by row by :func:`read_rows`; ``data prepare`` cleans and splits them in
:mod:`medtune.data.prepare_preference`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from medtune.errors import DataError

if TYPE_CHECKING:
    from medtune.data.sources import Schema

Kind = Literal["sft", "paired", "unpaired"]
#: The answer fields of each kind of processed record, in the order kinds are recognised.
FIELDS: dict[Kind, tuple[str, ...]] = {
    "paired": ("chosen", "rejected"),
    "unpaired": ("completion", "label"),
    "sft": ("output",),
}


def record_kind(record: Mapping[str, Any]) -> Kind | None:
    """Which kind of processed record this is (None: none of them)."""
    for kind, fields in FIELDS.items():
        if all(name in record for name in fields):
            return kind
    return None


def taught_answer(record: Mapping[str, Any]) -> str:
    """The answer a record teaches: SFT's output, a pair's chosen answer, a KTO completion."""
    return str(record.get("output", record.get("chosen", record.get("completion", ""))))


def read_rows(
    columns: Mapping[str, list[Any]], schema: Schema, locate: Callable[[int], str]
) -> tuple[list[str], list[str | None], dict[str, list[Any]]]:
    """The questions, instructions (the system turn of a conversation prompt, else None)
    and answers (by processed field name) of a raw preference table, checked row by row.

    Prompts and answers are text or conversations (lists of ``{"role", "content"}``): a
    prompt holds at most a system turn and one user turn; an answer is its last turn, an
    assistant's. A bad row is a DataError naming its line and column: an empty prompt or
    answer, two equal answers, a label that is not true or false."""
    prompt_column, *answer_columns = schema.columns
    fields = FIELDS[schema.kind]
    questions: list[str] = []
    instructions: list[str | None] = []
    responses: dict[str, list[Any]] = {name: [] for name in fields}
    for row, prompt in enumerate(columns[prompt_column]):
        instruction, question = _prompt(prompt, partial(_where, locate, row, prompt_column))
        values: list[Any] = []
        for name, column in zip(fields, answer_columns, strict=True):
            where = partial(_where, locate, row, column)
            value = columns[column][row]
            values.append(_label(value, where) if name == "label" else _answer(value, where))
        if schema.kind == "paired" and values[0].strip() == values[1].strip():
            first, second = answer_columns
            raise DataError(
                f"{locate(row)}: columns '{first}' and '{second}' hold the same answer; a pair needs two "
                "different answers"
            )
        questions.append(question)
        instructions.append(instruction)
        for name, value in zip(fields, values, strict=True):
            responses[name].append(value)
    return questions, instructions, responses


Where = Callable[[], str]


def _where(locate: Callable[[int], str], row: int, column: str) -> str:
    """``file:LINE: column 'name'`` (computed only for an error: locating re-reads the file)."""
    return f"{locate(row)}: column '{column}'"


def _prompt(value: Any, where: Where) -> tuple[str | None, str]:
    """(system turn or None, question) of a text or conversation prompt."""
    if not isinstance(value, list):
        return None, _nonempty(value, where)
    turns = [_turn(turn, where) for turn in value]
    system = [content for role, content in turns if role == "system"]
    users = [content for role, content in turns if role == "user"]
    if len(users) != 1 or len(system) > 1 or len(system) + len(users) != len(turns):
        raise DataError(
            f"{where()}: a conversation prompt needs one user turn (and at most a system turn); medtune "
            "trains single-turn questions"
        )
    return (_nonempty(system[0], where) if system else None), _nonempty(users[0], where)


def _answer(value: Any, where: Where) -> str:
    """The text of an answer: a string, or the last (assistant) turn of a conversation."""
    if isinstance(value, list):
        turns = [_turn(turn, where) for turn in value]
        if not turns or turns[-1][0] != "assistant":
            raise DataError(f"{where()}: a conversation answer must end with an assistant turn")
        value = turns[-1][1]
    return _nonempty(value, where)


def _turn(turn: Any, where: Where) -> tuple[str, Any]:
    if not isinstance(turn, Mapping) or "role" not in turn or "content" not in turn:
        raise DataError(f"{where()}: conversation turns need 'role' and 'content'")
    return str(turn["role"]), turn["content"]


def _nonempty(value: Any, where: Where) -> str:
    text = "" if value is None or value != value else str(value)  # None/NaN -> ""
    if not text.strip():
        raise DataError(f"{where()}: empty; every row needs a prompt and its answers")
    return text


def _label(value: Any, where: Where) -> bool:
    """A KTO label: a boolean (or, from CSV, the text true/false)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise DataError(f"{where()}: must be true or false (is the answer desirable?), got {value!r}")
