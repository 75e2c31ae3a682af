"""Tokenization: Korean text → morphemes with exact character offsets.

Registers the spaCy tokenizer ``hanlink.KoreanTokenizer.v1`` (:mod:`.tokenizer`): python-mecab-ko
(default), Kiwi and konlpy's Java taggers behind one ``analyze(text) -> (start, end, tag, sem)``
interface; user words from the tables; a one-syllable surname split from a fused title
(:mod:`.surname_titles`). ``doc.text == text`` for every input.
"""
