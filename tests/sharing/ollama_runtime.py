"""What Ollama does with a Modelfile, reduced to what medtune's Modelfiles use, so tests can
compare the prompt Ollama would build with the one medtune trained on.

- :func:`parse_modelfile`: the commands and values (``\"\"\"`` and ``\"`` quoting, ``#`` comments).
- :func:`render_go`: Go text/template's text, ``{{ .Field }}``, ``{{ $v }}``, ``{{ $v := x }}``,
  ``{{ $v = x }}``, ``{{ if }}``/``{{ else if }}``/``{{ else }}``/``{{ end }}``, ``{{ range }}``,
  ``eq``, string literals and ``{{-``/``-}}`` trimming; anything else raises.
- :func:`ollama_prompt`: a chat request as Ollama renders it: the Modelfile's SYSTEM put
  first when the request has no system message, consecutive same-role messages joined,
  ``.System`` = all system texts, ``.Messages`` = every message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

ACTION = re.compile(r"\{\{(-\s)?\s*(.*?)\s*(\s-)?\}\}", re.S)
ARGUMENT = re.compile(r'"(?:\\.|[^"\\])*"|\S+')


def parse_modelfile(text: str) -> dict[str, list[str]]:
    """Command (lower case; ``parameter <name>`` as the name) -> values in file order."""
    commands: dict[str, list[str]] = {}
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        if text[pos] == "#":
            pos = text.find("\n", pos) if "\n" in text[pos:] else len(text)
            continue
        word = re.match(r"[A-Za-z]+", text[pos:])
        assert word, f"not a command at {text[pos : pos + 20]!r}"
        name, pos = word.group().lower(), pos + word.end()
        pos += len(text[pos:]) - len(text[pos:].lstrip(" \t"))
        if name == "parameter":
            param = re.match(r"\w+", text[pos:])
            assert param
            name, pos = param.group(), pos + param.end()
            pos += len(text[pos:]) - len(text[pos:].lstrip(" \t"))
        if text.startswith('"""', pos):
            end = text.index('"""', pos + 3)
            value, pos = text[pos + 3 : end], end + 3
        elif text.startswith('"', pos):
            end = text.index('"', pos + 1)
            value, pos = text[pos + 1 : end], end + 1
        else:
            end = text.find("\n", pos) if "\n" in text[pos:] else len(text)
            value, pos = text[pos:end].strip(), end
        commands.setdefault(name, []).append(value)
    return commands


def _parse(template: str) -> list[Any]:
    """Nodes: ("text", s) | ("out", expr) | ("set", var, expr, declare) | ("if", [(cond, body)], else)
    | ("range", expr, body)."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    for match in ACTION.finditer(template):
        text = template[pos : match.start()]
        if match.group(1):
            text = text.rstrip()
        if tokens and tokens[-1][0] == "trim":
            tokens.pop()
            text = text.lstrip()
        tokens.append(("text", text))
        tokens.append(("action", match.group(2)))
        if match.group(3):
            tokens.append(("trim", ""))
        pos = match.end()
    rest = template[pos:]
    if tokens and tokens[-1][0] == "trim":
        tokens.pop()
        rest = rest.lstrip()
    tokens.append(("text", rest))
    nodes, end = _block(tokens, 0)
    assert end == len(tokens), "unbalanced {{ end }}"
    return nodes


def _block(tokens: list[tuple[str, str]], i: int) -> tuple[list[Any], int]:
    nodes: list[Any] = []
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "text":
            if value:
                nodes.append(("text", value))
            i += 1
            continue
        word = value.split(maxsplit=1)[0]
        if word in ("end", "else"):
            return nodes, i
        if word == "if":
            branches, otherwise = [], []
            cond = value[2:].strip()
            while True:
                body, i = _block(tokens, i + 1)
                branches.append((cond, body))
                closing = tokens[i][1]
                if closing.startswith("else if "):
                    cond = closing[len("else if ") :]
                    continue
                if closing == "else":
                    otherwise, i = _block(tokens, i + 1)
                    closing = tokens[i][1]
                assert closing == "end", closing
                break
            nodes.append(("if", branches, otherwise))
            i += 1
        elif word == "range":
            body, i = _block(tokens, i + 1)
            assert tokens[i][1] == "end", "range without end"
            nodes.append(("range", value[5:].strip(), body))
            i += 1
        elif match := re.fullmatch(r"(\$\w+)\s*(:?=)\s*(.+)", value, re.S):
            nodes.append(("set", match.group(1), match.group(3), match.group(2) == ":="))
            i += 1
        else:
            nodes.append(("out", value))
            i += 1
    return nodes, i


class _Scope:
    def __init__(self, parent: _Scope | None = None) -> None:
        self.parent, self.names = parent, {}

    def find(self, name: str) -> _Scope:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope
            scope = scope.parent
        raise KeyError(f"undefined variable {name}")


def _value(arg: str, dot: Any, scope: _Scope) -> Any:
    if arg.startswith('"'):
        return json.loads(arg)
    if arg.startswith("$"):
        return scope.find(arg).names[arg]
    if arg.startswith("."):
        value = dot
        for field in arg[1:].split("."):
            value = value[field]
        return value
    raise NotImplementedError(f"argument {arg!r}")


def _eval(expr: str, dot: Any, scope: _Scope) -> Any:
    args = ARGUMENT.findall(expr)
    if args[0] == "eq":
        assert len(args) == 3, expr
        return _value(args[1], dot, scope) == _value(args[2], dot, scope)
    if len(args) != 1:
        raise NotImplementedError(f"expression {expr!r}")
    return _value(args[0], dot, scope)


def _run(nodes: list[Any], dot: Any, scope: _Scope, out: list[str]) -> None:
    for node in nodes:
        kind = node[0]
        if kind == "text":
            out.append(node[1])
        elif kind == "out":
            out.append(str(_eval(node[1], dot, scope)))
        elif kind == "set":
            _, name, expr, declare = node
            target = scope if declare else scope.find(name)
            target.names[name] = _eval(expr, dot, scope)
        elif kind == "if":
            _, branches, otherwise = node
            body = next((b for cond, b in branches if _eval(cond, dot, scope)), otherwise)
            _run(body, dot, _Scope(scope), out)
        else:  # range
            for item in _eval(node[1], dot, scope):
                _run(node[2], item, _Scope(scope), out)


def render_go(template: str, data: Mapping[str, Any]) -> str:
    """Execute ``template`` (the subset in the module doc) on ``data``."""
    out: list[str] = []
    _run(_parse(template), data, _Scope(), out)
    return "".join(out)


def ollama_prompt(modelfile: str, messages: Sequence[Mapping[str, str]]) -> str:
    """The prompt text Ollama's chat endpoint builds from ``messages`` with ``modelfile``
    (before the runtime's BOS)."""
    commands = parse_modelfile(modelfile)
    system = commands.get("system", [""])[-1]
    msgs = [dict(m) for m in messages]
    if system and (not msgs or msgs[0]["role"] != "system"):
        msgs.insert(0, {"role": "system", "content": system})
    collated: list[dict[str, str]] = []
    for m in msgs:
        if collated and collated[-1]["Role"] == m["role"]:
            collated[-1]["Content"] += "\n\n" + m["content"]
        else:
            collated.append({"Role": m["role"], "Content": m["content"]})
    joined = "\n\n".join(m["content"] for m in msgs if m["role"] == "system")
    return render_go(commands["template"][-1], {"System": joined, "Messages": collated, "Response": ""})
