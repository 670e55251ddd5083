"""The tokenizers tell code from strings, templates, comments and regex literals; secrets in quoted code are
masked while placeholders for them are kept."""

from __future__ import annotations

import pytest

from realtime_check.scan.lex_js import tokenize as js_tokens
from realtime_check.scan.lex_python import PythonSyntaxError
from realtime_check.scan.lex_python import tokenize as py_tokens
from realtime_check.scan.masking import mask_secrets
from realtime_check.scan.tokens import Kind, LineIndex


def _strings(tokens) -> list[str]:
    return [t.text for t in tokens if t.kind is Kind.STR]


@pytest.mark.parametrize(
    ("source", "strings"),
    [
        pytest.param("// 'not a string'\n/* \"nor this\" */ x = 'yes'", ["yes"], id="comments"),
        pytest.param("a = `x${ {k: `in${b}`} }y`", ["x", "in", "", "y"], id="nested-template-holes"),
        pytest.param('r = /"[\'/]/g; s = "after"', ["after"], id="regex-with-quotes"),
        pytest.param('n = total / 2; s = "after" / 1', ["after"], id="division-not-regex"),
        pytest.param("x = <p>Don't stop</p>;\ny = 'next line'", ["t stop</p>;", "next line"], id="jsx-apostrophe"),
        pytest.param('s = \'unterminated\nt = "fine"', ["unterminated", "fine"], id="string-ends-at-line"),
        pytest.param("u = `never closed ${ a ", ["never closed "], id="unterminated-template"),
    ],
)
def test_js_tokenizer_keeps_only_real_string_literals(source: str, strings: list[str]) -> None:
    """Only literal text reaches the rules: comments and regex literals never do, template holes are code."""
    assert _strings(js_tokens(source)) == strings


def test_js_string_offsets_point_into_the_file() -> None:
    """A literal's content_start is its offset in the file, so findings land on the right column."""
    source = "const a = 1;\nfetch(`${base}/v1/realtime/sessions`)"
    token = next(t for t in js_tokens(source) if t.kind is Kind.STR and "realtime" in t.text)
    assert source[token.content_start : token.content_start + len(token.text)] == token.text
    assert LineIndex(source).position(token.content_start) == (2, 15)


def test_python_tokenizer_drops_comments_and_keeps_fstring_text() -> None:
    """Python comments are dropped; an f-string's literal text keeps its place; bad source is reported."""
    source = '# "comment"\nurl = f"wss://h/v1/realtime/{sid}"  # "also comment"\n'
    tokens = py_tokens(source, LineIndex(source))
    assert [t.text for t in tokens if t.kind is Kind.STR] == ["wss://h/v1/realtime/{sid}"]
    with pytest.raises(PythonSyntaxError):
        py_tokens('x = """never closed\n', LineIndex('x = """never closed\n'))


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        pytest.param('key = "sk-proj-FAKE0000000000000000TEST"', "sk-proj-…["),
        pytest.param('h = "Bearer eyJhbGciOiFAKE0000"', "Bearer ***"),
        pytest.param("u = 'wss://h/v1/realtime?authorization=Bearer%20FAKE0000'", "authorization=***"),
        pytest.param("p = ['openai-insecure-api-key.ek_FAKE0000000000']", "openai-insecure-api-key.***"),
        pytest.param("proxy = 'http://user:FAKEpass0000@proxy:8080'", "user:***@"),
    ],
)
def test_literal_secrets_are_masked(text: str, masked: str) -> None:
    """Literal keys, bearer tokens, query credentials, subprotocol keys and URL passwords are masked."""
    out = mask_secrets(text)
    assert masked in out
    assert "FAKE0000" not in out and "FAKEpass" not in out


@pytest.mark.parametrize(
    "text",
    [
        "headers = { Authorization: `Bearer ${apiKey}` }",
        'h = f"Bearer {api_key}"',
        "u = `wss://h/v1/realtime?authorization=Bearer%20${token}`",
        "p = [`openai-insecure-api-key.${ek}`]",
        'h = "Bearer " + key',
    ],
)
def test_placeholders_for_secrets_are_kept(text: str) -> None:
    """Code that only refers to a secret stays readable (and a --diff of it stays appliable)."""
    assert mask_secrets(text) == text
