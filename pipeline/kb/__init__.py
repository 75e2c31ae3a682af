"""Knowledge base: the speaker and institution tables and everything derived from them.

* :mod:`.tables` — load and validate ``speakers.csv`` / ``institutions.csv`` (errors name file, row, column);
* :mod:`.aliases` — every form of every name as typed keys;
* :mod:`.knowledge_base` — the arrays the linker scores against (cached, fingerprinted);
* :mod:`.candidates` — exact and fuzzy candidate generation (cf. scispaCy's candidate generator).
"""
