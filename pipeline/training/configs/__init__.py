"""Training configurations (package data: the spaCy config of the NER model)."""
