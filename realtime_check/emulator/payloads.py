"""Pure builders for the JSON bodies the emulator sends: ids, session and model objects, usage, errors."""

from __future__ import annotations

import secrets
from string import Template
from typing import Any

from realtime_check.emulator import scenarios as sc
from realtime_check.emulator.scenarios import ErrorSpec

DEFAULT_MODEL = "gpt-realtime-2.1"  # the top of the model ladder (model_facts.LADDER)
REALTIME_SESSION_KEYS = {
    "type", "model", "output_modalities", "instructions", "audio", "include", "tools", "tool_choice",
    "parallel_tool_calls", "reasoning", "max_output_tokens", "tracing", "truncation", "prompt",
}  # fmt: skip
TRANSCRIPTION_SESSION_KEYS = {"type", "audio", "include"}


def new_id(prefix: str, fake: bool = False) -> str:
    return f"{prefix}{'FAKE' if fake else ''}{secrets.token_hex(10)}"


def wrapped_secret() -> str:
    """A gateway-minted secret as LiteLLM 1.108 hands it out: 304 characters of base64 ending in '=' padding,
    which no WebSocket subprotocol may carry (issue 13)."""
    import base64

    return base64.b64encode(b"FAKE-wrapped-secret:" + secrets.token_bytes(206)).decode()


def error_body(spec: ErrorSpec, values: dict[str, str]) -> dict[str, Any]:
    """The API's error body, all four keys present, placeholders filled."""
    return {"error": error_object(spec, values)}


def error_object(spec: ErrorSpec, values: dict[str, str]) -> dict[str, Any]:
    message = Template(spec.message).safe_substitute(values)
    return {"message": message, "type": spec.type, "param": spec.param, "code": spec.code}


def unknown_parameter(name: str) -> ErrorSpec:
    return ErrorSpec(f"Unknown parameter: '{name}'.", code="unknown_parameter", param=name)


def model_object(entry: sc.ModelEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "object": "model",
        "created": entry.created,
        "owned_by": entry.owned_by,
        "shutdown_date": entry.shutdown_date,
    }


def realtime_session(session_id: str, model: str, expires_at: int) -> dict[str, Any]:
    pcm = {"type": "audio/pcm", "rate": 24000}
    return {
        "type": "realtime",
        "object": "realtime.session",
        "id": session_id,
        "model": model,
        "output_modalities": ["audio"],
        "instructions": "You are a helpful assistant.",
        "tools": [],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "tracing": None,
        "truncation": "auto",
        "prompt": None,
        "expires_at": expires_at,
        "audio": {
            "input": {
                "format": pcm,
                "transcription": None,
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 200,
                    "idle_timeout_ms": None,
                    "create_response": True,
                    "interrupt_response": True,
                },
            },
            "output": {"format": pcm, "voice": "alloy", "speed": 1.0},
        },
        "include": None,
    }


def transcription_session(session_id: str, expires_at: int) -> dict[str, Any]:
    return {
        "type": "transcription",
        "object": "realtime.transcription_session",
        "id": session_id,
        "expires_at": expires_at,
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "transcription": {"model": "gpt-4o-transcribe", "language": None, "prompt": ""},
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 500,
                },
            }
        },
        "include": None,
    }


# Transcription usage as the GA completed event reports it ({type:"tokens",…}; "duration" is the other form).
TRANSCRIPTION_USAGE = {
    "type": "tokens",
    "total_tokens": 26,
    "input_tokens": 24,
    "input_token_details": {"text_tokens": 0, "audio_tokens": 24},
    "output_tokens": 2,
}


def beta_session(session_id: str, model: str, expires_at: int) -> dict[str, Any]:
    """A session in the retired beta shape: flat fields, no `type` (protocol.md §1.1, §3.1)."""
    return {
        "id": session_id,
        "object": "realtime.session",
        "model": model,
        "modalities": ["text", "audio"],
        "instructions": "You are a helpful assistant.",
        "voice": "alloy",
        "input_audio_format": "pcm16",
        "output_audio_format": "pcm16",
        "input_audio_transcription": None,
        "turn_detection": {
            "type": "server_vad",
            "threshold": 0.5,
            "prefix_padding_ms": 300,
            "silence_duration_ms": 200,
        },
        "tools": [],
        "tool_choice": "auto",
        "temperature": 0.8,
        "max_response_output_tokens": "inf",
        "expires_at": expires_at,
    }


def usage_object(input_tokens: int, output_tokens: int, audio: bool) -> dict[str, Any]:
    return {
        "total_tokens": input_tokens + output_tokens,
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "input_token_details": {"text_tokens": input_tokens, "audio_tokens": 0, "cached_tokens": 0},
        "output_token_details": {
            "text_tokens": 0 if audio else output_tokens,
            "audio_tokens": output_tokens if audio else 0,
        },
    }


def deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for name, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = deep_merge(merged[name], value)
        else:
            merged[name] = value
    return merged
