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

_SKIP = re.compile(r"\s+|//[^\n]*|/\*.*?(?:\*/|\Z)", re.S)
_STRING = re.compile(r"""'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?""", re.S)
_NAME = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*")
_NUMBER = re.compile(r"\.?\d[\w.]*")
_PUNCT = re.compile(r"\?\.(?!\d)|=>|\.\.\.|[-+*%=<>!&|^~?]+|[{}()\[\];,:.@#\\]")
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
        skip = _SKIP.match(text, position)
        if skip:
            position = skip.end()
            continue
        char = text[position]
        if char in "'\"":
            match = _STRING.match(text, position)
            assert match is not None  # the pattern matches any quote
            end = match.end()
            closed = end - position >= 2 and text[end - 1] == char
            content_end = end - 1 if closed else end
            tokens.append(Token(Kind.STR, position, end, text[position + 1 : content_end], position + 1, position, end))
            position = end
        elif char == "`" or (char == "}" and braces and braces[-1]):
            template_start = position if char == "`" else braces.pop() - 1
            position = _template_chunks(text, position + 1, template_start, tokens, braces)
        elif char == "/" and _regex_may_start(tokens):
            match = _REGEX.match(text, position)
            if match:
                position = match.end()  # a regex literal is neither a string nor code we match
            else:
                tokens.append(Token(Kind.OP, position, position + 1, "/"))
                position += 1
        elif (match := _NAME.match(text, position)) is not None:
            tokens.append(Token(Kind.NAME, position, match.end(), match.group()))
            position = match.end()
        elif (match := _NUMBER.match(text, position)) is not None:
            tokens.append(Token(Kind.NUM, position, match.end(), match.group()))
            position = match.end()
        else:
            match = _PUNCT.match(text, position)
            end = match.end() if match else position + 1
            op = text[position:end]
            if op == "{":
                braces.append(0)
            elif op == "}" and braces:
                braces.pop()
            tokens.append(Token(Kind.OP, position, end, op))
            position = end
    return tokens


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
