"""Names across scripts: hanja, simplified, pinyin, Sino-Korean reading and Hangul transcription.

Pure functions, no spaCy. The entry point is :func:`forms` (the fields of
``hanlink names``) with :func:`keys` (matching keys); the modules behind it:

* :mod:`.zh` — traditional ↔ simplified (OpenCC), pinyin (pypinyin + surname table);
* :mod:`.transcribe` — pinyin → Hangul by the NIKL table (``data/names/pinyin_hangul.tsv``);
* :mod:`.hanja` — Sino-Korean reading with the initial-sound rule;
* :mod:`.korean` — particles, titles, romanisation of Korean names, jamo similarity;
* :mod:`.places` — leading Chinese place names (상하이 ↔ 상해).
"""
from __future__ import annotations

from pipeline.names.forms import MAX_NAME_CHARS, clear_caches, detect_script, forms, keys
from pipeline.names.hanja import reading
from pipeline.names.korean import jamo_similarity, romanize_korean, strip_particle, strip_title
from pipeline.names.transcribe import is_pinyin, normalize_pinyin, pinyin_to_hangul, split_pinyin
from pipeline.names.zh import pinyin, to_simplified, to_traditional

__all__ = [
    "forms", "keys", "detect_script", "clear_caches", "MAX_NAME_CHARS",
    "to_simplified", "to_traditional", "pinyin",
    "pinyin_to_hangul", "split_pinyin", "normalize_pinyin", "is_pinyin",
    "reading",
    "strip_particle", "strip_title", "romanize_korean", "jamo_similarity",
]
