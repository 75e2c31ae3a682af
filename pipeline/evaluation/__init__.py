"""Evaluation: NER scores (:mod:`.ner`), linking accuracy and NIL figures (:mod:`.linking`) and the
sorting of mistakes into kinds (:mod:`.error_analysis`)."""
