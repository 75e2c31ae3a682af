"""The ``hanlink_model`` component: the statistical model, run on pieces of long documents.

spaCy's ``tok2vec`` and ``ner`` hold intermediate arrays for the whole document
at once — about 1 GB per 100,000 characters here (spaCy documents the same
figure), so a 5 MB article would need some 20 GB. ``pipeline.load()`` therefore
keeps the trained ``tok2vec`` and ``ner`` components in the pipeline (they are
saved and loaded with it) but *disabled*, and runs them through this component:

* a document of at most ``max_tokens`` tokens goes through them as it is (in
  batches, with ``nlp.pipe``) — nothing changes for ordinary articles;
* a longer one is cut into pieces of at most ``max_tokens`` tokens, at a line
  break or a sentence end where there is one, each piece is annotated on its own
  (``Span.as_doc``), and the entities are set on the whole document with their
  offsets. Memory stays flat whatever the length.

Examples
--------
>>> import pipeline
>>> nlp = pipeline.load()
>>> nlp.pipe_names[:2], nlp.disabled
(['hanlink_rules', 'hanlink_model'], ['tok2vec', 'ner'])
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

#: Tokens after which a piece may end: a sentence end (mecab's SF) or a whitespace token holding a line break.
_SENTENCE_END_TAGS = frozenset({"SF"})


def piece_bounds(doc: Doc, max_tokens: int) -> list[tuple[int, int]]:
    """Token ranges of at most ``max_tokens`` covering ``doc``, cut after a line break or a
    sentence end where possible (a piece never ends inside a sentence unless it has to).

    >>> from pipeline.tokenization.tokenizer import make_nlp
    >>> doc = make_nlp()("첫 문장이다. 둘째 문장이다.\\n셋째 문장")
    >>> [doc[a:b].text for a, b in piece_bounds(doc, 6)]
    ['첫 문장이다.', '둘째 문장이다.\\n', '셋째 문장']
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, not {max_tokens}")
    bounds: list[tuple[int, int]] = []
    start, n = 0, len(doc)
    while start < n:
        end = min(start + max_tokens, n)
        if end < n:
            for i in range(end - 1, start, -1):
                token = doc[i]
                if "\n" in token.text_with_ws or token.tag_ in _SENTENCE_END_TAGS:
                    end = i + 1
                    break
        bounds.append((start, end))
        start = end
    return bounds


class ModelRunner:
    """Runs the (disabled) statistical components ``components`` on each document,
    piece by piece when it is longer than ``max_tokens``.

    Parameters
    ----------
    nlp : Language
        The pipeline holding the components (they are looked up when first needed).
    name : str
        Component name.
    components : list of str
        The statistical components, in order (``["tok2vec", "ner"]``).
    max_tokens : int
        Longest document run in one piece.
    """

    def __init__(self, nlp: Language, name: str = "hanlink_model", *, components: list[str],
                 max_tokens: int = 2000):
        self.nlp = nlp
        self.name = name
        self.component_names = list(components)
        self.max_tokens = max_tokens
        self._error_handler: Callable | None = None

    def _components(self) -> list:
        return [self.nlp.get_pipe(name) for name in self.component_names]

    def set_error_handler(self, handler: Callable) -> None:
        """Report failures through ``handler`` (``nlp.set_error_handler`` and the batch engine)."""
        self._error_handler = handler
        for component in self._components():
            if hasattr(component, "set_error_handler"):
                component.set_error_handler(handler)

    def _annotate_in_pieces(self, doc: Doc) -> Doc:
        components = self._components()
        spans: list[tuple[int, int, str]] = []
        # the token attributes of the whole document, computed once: Span.as_doc would compute them for
        # the whole document again for every piece (time growing with the square of the length)
        array_head = doc._get_array_attrs()
        array = doc.to_array(array_head)
        for start, end in piece_bounds(doc, self.max_tokens):
            piece = doc[start:end].as_doc(array_head=array_head, array=array)
            for component in components:
                piece = component(piece)
            spans += [(ent.start + start, ent.end + start, ent.label_) for ent in piece.ents]
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in spans]
        return doc

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) > self.max_tokens:
            return self._annotate_in_pieces(doc)
        for component in self._components():
            doc = component(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Annotate ``docs`` in batches (short documents together, long ones in pieces), in order."""
        components = self._components()
        for batch in minibatch(docs, size=batch_size):
            short = [doc for doc in batch if len(doc) <= self.max_tokens]
            for component in components:
                short = list(component.pipe(short, batch_size=batch_size)) if hasattr(component, "pipe") \
                    else [component(doc) for doc in short]
            for doc in batch:
                if len(doc) > self.max_tokens:
                    try:
                        self._annotate_in_pieces(doc)
                    except Exception as exc:  # the batch engine's handler marks the document as failed
                        if self._error_handler is None:
                            raise
                        self._error_handler(self.name, self, [doc], exc)
            yield from batch


@Language.factory("hanlink_model", default_config={"components": ["tok2vec", "ner"], "max_tokens": 2000},
                  assigns=["doc.ents", "token.ent_iob", "token.ent_type"])
def make_model_runner(nlp: Language, name: str, components: list[str], max_tokens: int) -> ModelRunner:
    """Factory of :class:`ModelRunner`."""
    return ModelRunner(nlp, name, components=components, max_tokens=max_tokens)
