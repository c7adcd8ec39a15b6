"""Ollama Modelfiles whose prompt is the one medtune trained on, to the character.

Ollama renders prompts with Go's text/template, not Jinja, so a tokenizer's chat template
cannot be copied across. medtune reads its shape off the template instead: it renders probe
conversations whose contents are marker words, takes the fixed text before and after each
turn, the text that opens the conversation and the generation prompt, and re-renders
sample conversations from that description; only if every one matches the tokenizer's own
rendering does it write the Go template. A template that is not fixed text around each turn
(one that varies with the turn count, say) is refused in one line rather than exported wrong.

What the Go template relies on in Ollama: ``.Messages`` holds every message, system ones
included (the Modelfile's SYSTEM is put first when a request has none); the runtime adds BOS
itself when the tokenizer does, so the template then leaves BOS out. Message contents are
rendered as given: a Jinja template that trims them (Llama 3's) agrees on trimmed text,
which medtune's data always is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune import __version__
from medtune.config import ModelSettings
from medtune.data.template import DEFAULT_INSTRUCTION, ensure_chat_template, fold_system
from medtune.errors import ModelError
from medtune.modeling.generate import stop_ids
from medtune.modeling.loader import load_tokenizer

if TYPE_CHECKING:
    from medtune.config import EvalSettings

Turns = Sequence[Mapping[str, str]]

#: Marker contents of the probe conversations: plain words no template changes.
PROBES = {"system": "medtuneProbeSystem", "user": "medtuneProbeUser", "assistant": "medtuneProbeAnswer"}
FOLLOW_UP = "medtuneProbeFollowUp"
FOLD_SEPARATOR = "\n\n"
#: Conversations a derived format must render exactly as the tokenizer does.
SAMPLES: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("system", DEFAULT_INSTRUCTION),
        ("user", "I have had a headache and fever for 3 days.\nWhat should I do?"),
    ),
    (
        ("system", "Answer briefly."),
        ("user", "Is ibuprofen safe with a cold?"),
        ("assistant", "Diagnosis: a viral infection.\nTreatment: ibuprofen 200 mg is usually safe."),
        ("user", "And for my 6-year-old — fièvre à 39 °C?"),
    ),
)


@dataclass(frozen=True)
class TurnFormat:
    """A chat template as fixed text: ``start``, then each turn's content between its
    role's ``(before, after)`` texts, then ``generation`` (where the answer begins). With
    ``fold_system`` the template has no system role and the system text opens the first
    user turn (as :func:`medtune.data.template.render_prompt` does)."""

    start: str
    turns: Mapping[str, tuple[str, str]]
    generation: str
    fold_system: bool = False

    def render(self, turns: Turns) -> str:
        """The prompt text for ``turns`` (ending with the generation prompt)."""
        conversation = fold_system([dict(t) for t in turns]) if self.fold_system else turns
        body = "".join(f"{b}{t['content']}{a}" for t in conversation for b, a in [self.turns[t["role"]]])
        return f"{self.start}{body}{self.generation}"

    def go_template(self, runtime_bos: str = "") -> str:
        """The same rendering as an Ollama (Go text/template) TEMPLATE over ``.Messages``,
        leaving out ``runtime_bos`` where the runtime adds it."""
        start = self.start.removeprefix(runtime_bos)
        pieces = [start, self.generation, *(text for pair in self.turns.values() for text in pair)]
        if any("{{" in piece for piece in pieces):
            raise ModelError(
                "the chat template's text contains '{{', which a Go template cannot hold as text"
            )

        def turn(role: str, content: str) -> str:
            before, after = self.turns[role]
            return f'{{{{ else if eq .Role "{role}" }}}}{before}{content}{after}'

        if self.fold_system:
            folded = (
                f'{{{{ if $system }}}}{{{{ $system }}}}{FOLD_SEPARATOR}{{{{ $system = "" }}}}{{{{ end }}}}'
            )
            head = (
                '{{ $system := "" }}{{ range .Messages }}{{ if eq .Role "system" }}{{ $system = .Content }}'
            )
            roles = turn("user", folded + "{{ .Content }}") + turn("assistant", "{{ .Content }}")
        else:
            before, after = self.turns["system"]
            head = f'{{{{ range .Messages }}}}{{{{ if eq .Role "system" }}}}{before}{{{{ .Content }}}}{after}'
            roles = turn("user", "{{ .Content }}") + turn("assistant", "{{ .Content }}")
        return f"{start}{head}{roles}{{{{ end }}}}{{{{ end }}}}{self.generation}"


def turn_format(tokenizer: Any) -> TurnFormat:
    """Read the tokenizer's chat template as a :class:`TurnFormat` and check it on
    :data:`SAMPLES` (see module doc).

    Raises:
        ModelError: The template is not fixed text around each turn.
    """
    from jinja2 import TemplateError

    ensure_chat_template(tokenizer)
    try:
        tokenizer.apply_chat_template(
            [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}], tokenize=False
        )
        fold = False
    except TemplateError:
        fold = True

    def render(turns: Sequence[tuple[str, str]], generation: bool) -> str:
        conversation = [{"role": role, "content": content} for role, content in turns]
        return tokenizer.apply_chat_template(
            fold_system(conversation) if fold else conversation,
            tokenize=False,
            add_generation_prompt=generation,
        )

    try:
        found = _probe(render, fold, tokenizer.bos_token or "")
    except _NotFixedText as exc:
        raise ModelError(f"the tokenizer's chat template cannot be exported to Ollama: {exc}") from None
    for sample in SAMPLES:
        if found.render([{"role": r, "content": c} for r, c in sample]) != render(sample, True):
            raise ModelError(
                "the tokenizer's chat template cannot be exported to Ollama: it renders a "
                f"{'-'.join(r for r, _ in sample)} conversation differently from fixed text around each turn"
            )
    return found


class _NotFixedText(Exception):
    pass


def _probe(render: Any, fold: bool, bos: str) -> TurnFormat:
    s, u, a = PROBES["system"], PROBES["user"], PROBES["assistant"]
    one = render([("system", s), ("user", u)], False)
    prompt = render([("system", s), ("user", u)], True)
    answered = render([("system", s), ("user", u), ("assistant", a)], False)
    follow = render([("system", s), ("user", u), ("assistant", a), ("user", FOLLOW_UP)], True)
    generation = _after(prompt, one, "the generation prompt is not added at the end")
    before_a, after_a = _around(_after(answered, one, "an answer changes the turns before it"), a)
    before_u, rest = _around(_after(follow, answered, "a follow-up changes the turns before it"), FOLLOW_UP)
    after_u = _before(rest, generation, "the generation prompt does not follow the last user turn")
    head, rest = _around(one, s)
    between, tail = _around(rest, u)
    if tail != after_u:
        raise _NotFixedText("the first and later user turns end differently")
    turns: dict[str, tuple[str, str]] = {"user": (before_u, after_u), "assistant": (before_a, after_a)}
    if fold:
        if between != FOLD_SEPARATOR:
            raise _NotFixedText("the folded system text is not the user turn's first paragraph")
        start = _before(head, before_u, "the first user turn opens differently from later ones")
    else:
        after_s = _before(between, before_u, "the first user turn opens differently from later ones")
        start = bos if bos and head.startswith(bos) else ""
        turns["system"] = (head[len(start) :], after_s)
    return TurnFormat(start=start, turns=turns, generation=generation, fold_system=fold)


def _after(text: str, prefix: str, problem: str) -> str:
    if not text.startswith(prefix):
        raise _NotFixedText(problem)
    return text[len(prefix) :]


def _before(text: str, suffix: str, problem: str) -> str:
    if not text.endswith(suffix):
        raise _NotFixedText(problem)
    return text[: len(text) - len(suffix)]


def _around(text: str, marker: str) -> tuple[str, str]:
    if text.count(marker) != 1:
        raise _NotFixedText("a message's content does not appear exactly once")
    before, _, after = text.partition(marker)
    return before, after


def adds_bos(tokenizer: Any) -> bool:
    """Whether encoding text puts BOS in front (then Ollama and llama.cpp add it too)."""
    bos = tokenizer.bos_token_id
    return bos is not None and tokenizer("a", add_special_tokens=True)["input_ids"][:1] == [bos]


def stop_tokens(tokenizer: Any, generation_config: Any) -> list[str]:
    """Every token that ends an answer (tokenizer EOS + generation config), as text."""
    return [tokenizer.convert_ids_to_tokens(i) for i in stop_ids(tokenizer, generation_config)]


def modelfile(
    *,
    source: str,
    template: str,
    stops: Sequence[str],
    decoding: EvalSettings,
    system: str = DEFAULT_INSTRUCTION,
    adapter: str | None = None,
    comments: Sequence[str] = (),
) -> str:
    """An Ollama Modelfile: FROM (+ ADAPTER), TEMPLATE, SYSTEM, a stop per stop token, and
    the evaluation's decoding (temperature, top_p, max_new_tokens as num_predict)."""
    for name, value in (("TEMPLATE", template), ("SYSTEM", system)):
        if '"""' in value or value.startswith('"') or value.endswith('"'):
            raise ModelError(f"the {name} text holds quotes that a Modelfile cannot enclose")
    for stop in stops:
        if '"' in stop or "\n" in stop:
            raise ModelError(f"stop token {stop!r} cannot be written as a Modelfile PARAMETER")
    lines = [*(f"# {c}" for c in comments), f"FROM {_path_value(source)}"]
    if adapter:
        lines.append(f"ADAPTER {_path_value(adapter)}")
    lines += [f'TEMPLATE """{template}"""', f'SYSTEM """{system}"""']
    lines += [f'PARAMETER stop "{stop}"' for stop in stops]
    lines += [
        f"PARAMETER temperature {decoding.temperature:g}",
        f"PARAMETER top_p {decoding.top_p:g}",
        f"PARAMETER num_predict {decoding.max_new_tokens}",
    ]
    return "\n".join(lines) + "\n"


def _path_value(path: str) -> str:
    return f'"{path}"' if any(c.isspace() for c in path) else path


def modelfile_for(
    model_dir: Path,
    *,
    source: str,
    decoding: EvalSettings,
    adapter: str | None = None,
    runtime_bos: bool | None = None,
    generation_dir: Path | None = None,
) -> tuple[str, list[str]]:
    """The Modelfile for the model whose tokenizer is in ``model_dir`` (see :func:`modelfile`).

    Args:
        model_dir: Folder with the tokenizer (and chat template) training used.
        source: The FROM value (a folder or .gguf file, relative to the Modelfile).
        decoding: The evaluation's decoding settings.
        adapter: The ADAPTER value, if the adapter stays separate.
        runtime_bos: Whether the runtime adds BOS (default: whether the tokenizer does).
        generation_dir: Folder with ``generation_config.json`` (default: ``model_dir``).

    Returns:
        The Modelfile text and one-line notes.
    """
    tokenizer = load_tokenizer(ModelSettings(model_name=str(model_dir)))
    found = turn_format(tokenizer)
    bos = tokenizer.bos_token or ""
    runtime_bos = adds_bos(tokenizer) if runtime_bos is None else runtime_bos
    notes = []
    if runtime_bos and bos and not found.start.startswith(bos):
        notes.append(f"the runtime adds {bos} in front of prompts, which training never saw")
    skipped = bos if runtime_bos and found.start.startswith(bos) else ""
    text = modelfile(
        source=source,
        adapter=adapter,
        template=found.go_template(runtime_bos=skipped),
        stops=stop_tokens(tokenizer, generation_config(generation_dir or model_dir)),
        decoding=decoding,
        comments=[
            f"Written by medtune {__version__}. TEMPLATE and SYSTEM render the prompt the model trained on"
            + (f"; the runtime adds {bos} itself." if skipped else "."),
            "Stop tokens: every EOS of the tokenizer and generation config. Decoding: medtune eval's.",
        ],
    )
    return text, notes


def generation_config(folder: Path) -> Any:
    """The folder's ``generation_config.json`` as a GenerationConfig, or None without one."""
    from transformers import GenerationConfig

    try:
        return GenerationConfig.from_pretrained(folder)
    except OSError:
        return None
