"""A tokenizer for JavaScript and TypeScript (and JSON) that knows strings, templates and comments from code.

Why a tokenizer and not a parser: every rule is decided by a literal's content plus a few tokens
around it (a key before `:`, `.beta.realtime`, the object a key sits in), and the scan has to read
JS, TS, TSX, JSX and JSON alike, quickly, from pure Python with no node toolchain. What a tokenizer
must get right is what is code and what is not: comments, the literal parts of template strings
(their `${…}` holes are code again, nested to any depth) and regex literals (so `/"/` does not open a
string). Strings never cross a line end, which keeps a stray apostrophe in JSX text to one line.
"""

from __future__ import annotations

import re

from realtime_check.scan.tokens import Kind, Token

# One pattern for every token that needs no context, so the loop costs one regex call per token
# (leading whitespace included). Backticks, slashes and braces need the lexer's state: "special".
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
     |(?P<str>'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?)
     |(?P<name>[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*)
     |(?P<num>\.?\d[\w.]*)
     |(?P<special>[`/{}])
     |(?P<punct>\?\.(?!\d)|=>|\.\.\.|[-+*%=<>!&|^~?]+|[()\[\];,:.@\#\\])
    )""",
    re.S | re.X,
)
# Bounded, so a long line of `/[` cannot make every attempt scan to the line's end (quadratic time).
_REGEX = re.compile(r"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.){0,128}\]){1,512}/[A-Za-z]*")
_TEMPLATE_CHUNK = re.compile(r"(?:[^`\\$]|\\.|\$(?!\{))*", re.S)

# After these a `/` starts a regex literal, not a division.
_REGEX_AFTER_NAMES = frozenset("return typeof instanceof in of new delete void throw case do else yield await".split())


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    braces: list[int] = []  # open `{`: 0 for a plain brace, else 1 + the offset of the template whose hole it closes
    position, length = 0, len(text)
    while position < length:
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:  # trailing whitespace, or a character no token starts with
            stripped = position + (len(text[position:]) - len(text[position:].lstrip()))
            if stripped >= length:
                break
            tokens.append(Token(Kind.OP, stripped, stripped + 1, text[stripped]))
            position = stripped + 1
            continue
        kind = match.lastgroup
        start, end = match.start(kind), match.end(kind)
        if kind == "comment":
            position = end
        elif kind == "str":
            quote = text[start]
            closed = end - start >= 2 and text[end - 1] == quote
            content_end = end - 1 if closed else end
            tokens.append(Token(Kind.STR, start, end, text[start + 1 : content_end], start + 1, start, end))
            position = end
        elif kind == "name":
            tokens.append(Token(Kind.NAME, start, end, match.group(kind)))
            position = end
        elif kind == "num":
            tokens.append(Token(Kind.NUM, start, end, match.group(kind)))
            position = end
        elif kind == "punct":
            tokens.append(Token(Kind.OP, start, end, match.group(kind)))
            position = end
        else:
            position = _special(text, start, tokens, braces)
    return tokens


def _special(text: str, position: int, tokens: list[Token], braces: list[int]) -> int:
    """A backtick, slash or brace at `position`; returns where scanning goes on."""
    char = text[position]
    if char == "`" or (char == "}" and braces and braces[-1]):
        template_start = position if char == "`" else braces.pop() - 1
        return _template_chunks(text, position + 1, template_start, tokens, braces)
    if char == "/" and _regex_may_start(tokens):
        match = _REGEX.match(text, position)
        if match:
            return match.end()  # a regex literal is neither a string nor code we match
    if char == "{":
        braces.append(0)
    elif char == "}" and braces:
        braces.pop()
    tokens.append(Token(Kind.OP, position, position + 1, char))
    return position + 1


def _template_chunks(text: str, position: int, template_start: int, tokens: list[Token], braces: list[int]) -> int:
    """Emit the literal chunk that starts at `position`; stop at the closing backtick or a `${` hole."""
    match = _TEMPLATE_CHUNK.match(text, position)
    assert match is not None  # the pattern matches the empty string
    end = match.end()
    # The literal's group runs from its backtick to the end of this chunk: enough context for a
    # URL check, and linear (finding the closing backtick for every chunk would not be).
    tokens.append(Token(Kind.STR, position, end, text[position:end], position, template_start, end))
    if text.startswith("${", end):
        braces.append(template_start + 1)
        return end + 2
    return min(end + 1, len(text))  # past the closing backtick (or the end of an unterminated one)


def _regex_may_start(tokens: list[Token]) -> bool:
    if not tokens:
        return True
    last = tokens[-1]
    if last.kind is Kind.NAME:
        return last.text in _REGEX_AFTER_NAMES
    if last.kind in (Kind.NUM, Kind.STR):
        return False
    return last.text not in (")", "]", "}")
