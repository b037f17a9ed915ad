"""Class-name embeddings: word vectors (gensim) -> class vectors -> files.

Public API:

* :func:`load_class_embeddings` (``source, num_classes=None, dim=None,
  class_names=None``) -> float32 (C, D) with unit rows; ``source`` is a
  ``.npy`` path or a shipped name such as ``'glove50/pascal_context_59'``.
  Used by the model.
* :func:`embed_phrases` (``phrases, source='glove-6b-50d'``) -> float32
  (K, D): any words, composed exactly like the shipped files.
* :func:`build_class_embeddings`: the function behind
  ``tools/build_class_embeddings.py``.
* :func:`load_word_vectors`: a word-vector source (every gensim format,
  gensim-data names, the bundled GloVe), cached per process.

See docs/embeddings.md.
"""
from .build import build_class_embeddings, read_class_file
from .compose import compose_embeddings, compose_phrase, embed_phrases
from .files import (
                    load_class_embeddings,
                    read_provenance,
                    save_class_embeddings,
                    shipped_embeddings,
)
from .sources import (
                    DEFAULT_SOURCE,
                    VECTOR_FORMATS,
                    WordVectors,
                    clear_cache,
                    load_word_vectors,
                    register_format,
)

__all__ = [
    'DEFAULT_SOURCE', 'VECTOR_FORMATS', 'WordVectors', 'build_class_embeddings',
    'clear_cache', 'compose_embeddings', 'compose_phrase', 'embed_phrases',
    'load_class_embeddings', 'load_word_vectors', 'read_class_file',
    'read_provenance', 'register_format', 'save_class_embeddings',
    'shipped_embeddings'
]
