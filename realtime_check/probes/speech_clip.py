"""The clip the audio and transcription checks send: ~1 s of speech-like PCM16, made here, not downloaded.

Three voiced "syllables" (a, i, u): a 125 Hz glottal pulse train's harmonics weighted by each
vowel's formants, under a rise-and-fall envelope with short pauses between. Silence or a pure
tone would do for the API, but voice activity and transcription models may treat them as
nothing said; this sounds enough like a voice to be processed as one. Deterministic, ~48 kB.
"""

from __future__ import annotations

import array
import base64
import math
import sys

SAMPLE_RATE = 24_000  # the only rate the GA Realtime API takes for audio/pcm
BYTES_PER_MS = SAMPLE_RATE * 2 // 1000  # PCM16 mono
PITCH_HZ = 125  # a period of exactly 192 samples at 24 kHz, so one period can be tiled
# (formant Hz, bandwidth Hz) for the vowels a, i, u: textbook averages for an adult voice.
VOWELS = (
    ((730, 90), (1090, 110), (2440, 170)),
    ((270, 60), (2290, 100), (3010, 120)),
    ((300, 60), (870, 80), (2240, 120)),
)
SYLLABLE_MS = 260
PAUSE_MS = 60
PEAK = 0.5  # of full scale: loud enough to be heard, far from clipping


def _period(formants: tuple[tuple[int, int], ...]) -> list[float]:
    """One pitch period of a vowel: harmonics of the pitch up to 4 kHz, each weighted by its closeness to a formant."""
    samples = SAMPLE_RATE // PITCH_HZ
    wave = [0.0] * samples
    for k in range(1, 4000 // PITCH_HZ + 1):
        freq = k * PITCH_HZ
        gain = sum(1.0 / (1.0 + ((freq - f) / bw) ** 2) for f, bw in formants) / math.sqrt(k)
        for n in range(samples):
            wave[n] += gain * math.sin(2 * math.pi * k * n / samples)
    top = max(abs(v) for v in wave)
    return [v / top for v in wave]


def speech_like_pcm16() -> bytes:
    """~1 s of speech-like audio: PCM16 little-endian, mono, 24 kHz."""
    out = array.array("h")
    syllable = SYLLABLE_MS * SAMPLE_RATE // 1000
    for formants in VOWELS:
        out.extend([0] * (PAUSE_MS * SAMPLE_RATE // 1000))
        period = _period(formants)
        for n in range(syllable):
            envelope = math.sin(math.pi * n / syllable) ** 2  # rise and fall, no clicks at the edges
            out.append(int(32767 * PEAK * envelope * period[n % len(period)]))
    out.extend([0] * (PAUSE_MS * SAMPLE_RATE // 1000))
    if sys.byteorder == "big":
        out.byteswap()  # the API wants little-endian whatever the machine
    return out.tobytes()


def append_events(pcm: bytes, chunk_ms: int = 100) -> list[dict[str, str]]:
    """`input_audio_buffer.append` events carrying `pcm` in base64 chunks of `chunk_ms`."""
    step = chunk_ms * BYTES_PER_MS
    return [
        {"type": "input_audio_buffer.append", "audio": base64.b64encode(pcm[i : i + step]).decode("ascii")}
        for i in range(0, len(pcm), step)
    ]


def duration_ms(byte_count: int) -> float:
    """How long `byte_count` bytes of 24 kHz PCM16 mono play."""
    return byte_count / BYTES_PER_MS
