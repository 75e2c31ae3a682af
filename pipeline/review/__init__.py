"""Review: annotations out to an annotation tool and the corrections back as gold; the directory in Datasette.

* :mod:`.label_studio` — Label Studio tasks with predictions, the labeling configuration, its JSON export read back;
* :mod:`.doccano` — doccano's JSONL (spans and relations) out and back;
* :mod:`.post_lines` — a person's institution and posts as lines of text (the per-span fields);
* :mod:`.gold` — corrected entities in annotate's output shape, checked and written;
* :mod:`.command` — ``hanlink export`` and ``hanlink import``;
* :mod:`.server` — a Label Studio server on 127.0.0.1, driven over its REST API (tests, screenshot script);
* :mod:`.datasette` — ``metadata.json`` for a directory's ``directory.sqlite``.

Nothing here imports spaCy, pandas, Label Studio or Datasette at import time.
"""
