"""`websockets.connect(..., extra_headers=...)`: the one rule that needs Python's syntax tree.

`extra_headers` is a perfectly good argument elsewhere (the openai SDK's request methods take it),
so the call has to be resolved: `websockets.connect`, `websockets.client.connect`,
`websockets.asyncio.client.connect`, or a name imported from them, under any alias. The legacy
module (`websockets.legacy.client`) still accepts it and is left alone.
"""

from __future__ import annotations

import ast

from realtime_check.scan.models import Edit, Hit
from realtime_check.scan.tokens import LineIndex

_CONNECT_MODULES = {"websockets", "websockets.client", "websockets.asyncio.client"}


def match_extra_headers(text: str, lines: LineIndex) -> list[Hit]:
    if "extra_headers" not in text:
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # not Python this interpreter can parse: the token rules still ran
    modules, functions = _imports(tree)
    hits: list[Hit] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not _is_connect(node.func, modules, functions):
            continue
        for keyword in node.keywords:
            if keyword.arg != "extra_headers":
                continue
            start = _offset(text, lines, keyword.lineno, keyword.col_offset)
            end = start + len("extra_headers")
            hits.append(
                Hit(
                    "websockets-extra-headers",
                    start,
                    end,
                    "`extra_headers=` in websockets.connect: websockets ≥ 14 calls it `additional_headers`",
                    edit=Edit(start, end, "additional_headers"),
                )
            )
    return hits


def _imports(tree: ast.AST) -> tuple[dict[str, str], set[str]]:
    """Local names bound to the websockets modules, and local names bound to their `connect`."""
    modules: dict[str, str] = {}
    functions: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in _CONNECT_MODULES or alias.name.startswith("websockets."):
                    if alias.asname:
                        modules[alias.asname] = alias.name
                    else:
                        modules["websockets"] = "websockets"
        elif isinstance(node, ast.ImportFrom) and node.module in _CONNECT_MODULES:
            for alias in node.names:
                if alias.name == "connect":
                    functions.add(alias.asname or "connect")
        elif isinstance(node, ast.ImportFrom) and node.module in ("websockets", "websockets.asyncio"):
            for alias in node.names:
                if alias.name == "client":
                    modules[alias.asname or "client"] = f"{node.module}.client"
    return modules, functions


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _is_connect(func: ast.expr, modules: dict[str, str], functions: set[str]) -> bool:
    if isinstance(func, ast.Name):
        return func.id in functions
    if not isinstance(func, ast.Attribute) or func.attr != "connect":
        return False
    owner = _dotted(func.value)
    if owner is None:
        return False
    head, _, rest = owner.partition(".")
    if head not in modules:
        return False
    resolved = modules[head] + (f".{rest}" if rest else "")
    return resolved in _CONNECT_MODULES


def _offset(text: str, lines: LineIndex, lineno: int, col_offset: int) -> int:
    """ast columns count UTF-8 bytes; the findings count characters."""
    start = lines.starts[lineno - 1]
    line_end = text.find("\n", start)
    line = text[start : line_end if line_end != -1 else len(text)]
    return start + len(line.encode("utf-8")[:col_offset].decode("utf-8", "replace"))
