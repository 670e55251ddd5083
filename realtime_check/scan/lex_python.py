"""Python source → the shared token stream, with the standard tokenizer: comments dropped, strings kept raw.

Offsets come from the tokenizer's (row, column) pairs, which count characters, so columns in the
findings are exact. f-strings are one STRING token up to Python 3.11 and FSTRING_* pieces from 3.12;
both end up as STR tokens of the same literal group.
"""

from __future__ import annotations

import io
import re
import token as token_types
import tokenize as std_tokenize

from realtime_check.scan.tokens import Kind, LineIndex, Token

_PREFIX_AND_QUOTE = re.compile(r"([A-Za-z]*)('''|\"\"\"|'|\")")
_FSTRING_START = getattr(token_types, "FSTRING_START", -1)
_FSTRING_MIDDLE = getattr(token_types, "FSTRING_MIDDLE", -1)
_FSTRING_END = getattr(token_types, "FSTRING_END", -1)
_SKIPPED = {
    token_types.COMMENT,
    token_types.NL,
    token_types.NEWLINE,
    token_types.INDENT,
    token_types.DEDENT,
    token_types.ENDMARKER,
    token_types.ENCODING,
}


class PythonSyntaxError(ValueError):
    """The file does not tokenize as Python (the caller falls back to matching it as plain text)."""


def tokenize(text: str, lines: LineIndex) -> list[Token]:
    tokens: list[Token] = []
    fstring_starts: list[int] = []
    pending_chunks: list[int] = []  # indexes of FSTRING_MIDDLE tokens whose group end is not known yet

    def offset(row: int, column: int) -> int:
        return lines.starts[row - 1] + column

    try:
        for tok in std_tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in _SKIPPED:
                continue
            start, end = offset(*tok.start), offset(*tok.end)
            if tok.type == token_types.STRING:
                match = _PREFIX_AND_QUOTE.match(tok.string)
                if match is None:
                    continue
                content_start = start + match.end()
                content_end = max(content_start, end - len(match.group(2)))
                tokens.append(Token(Kind.STR, start, end, text[content_start:content_end], content_start, start, end))
            elif tok.type == _FSTRING_START:
                fstring_starts.append(start)
            elif tok.type == _FSTRING_MIDDLE:
                group = fstring_starts[-1] if fstring_starts else start
                pending_chunks.append(len(tokens))
                tokens.append(Token(Kind.STR, start, end, text[start:end], start, group, end))
            elif tok.type == _FSTRING_END:
                group = fstring_starts.pop() if fstring_starts else start
                _close_fstring_group(tokens, pending_chunks, group, end)
            elif tok.type == token_types.NAME:
                tokens.append(Token(Kind.NAME, start, end, tok.string))
            elif tok.type == token_types.NUMBER:
                tokens.append(Token(Kind.NUM, start, end, tok.string))
            elif tok.type == token_types.ERRORTOKEN and tok.string.strip() == "":
                continue
            else:
                tokens.append(Token(Kind.OP, start, end, tok.string))
    except (std_tokenize.TokenError, SyntaxError) as exc:
        raise PythonSyntaxError(str(exc)) from exc
    return tokens


def _close_fstring_group(tokens: list[Token], pending: list[int], group: int, end: int) -> None:
    """Give every chunk of the f-string that just ended its whole span (for context checks)."""
    remaining = []
    for index in pending:
        chunk = tokens[index]
        if chunk.group_start == group:
            tokens[index] = Token(Kind.STR, chunk.start, chunk.end, chunk.text, chunk.content_start, group, end)
        else:
            remaining.append(index)
    pending[:] = remaining
