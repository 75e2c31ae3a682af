"""Recognition: spaCy components that find PERSON and ORG mentions.

* :mod:`.rules` — ``hanlink_rules`` (gazetteer of the tables, appositive patterns, Latin names,
  well-known organisations) and ``hanlink_merge`` (rules + statistical model, documented precedence);
* :mod:`.model_runner` — ``hanlink_model``: the trained ``tok2vec`` + ``ner`` run on pieces of long
  documents;
* :mod:`.appositive`, :mod:`.words`, :mod:`.boundaries`, :mod:`.latin_names`,
  :mod:`.known_organisations` — the rule layer's parts.
"""
