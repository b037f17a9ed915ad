"""Class names -> class embeddings a trained model understands.

Shape key: K names asked for, C classes of the model's class list, D
embedding dimension.

A model is trained with the rows of one class-embedding file
(``decode_head.class_embeddings``). A name of that file's class list gets its
row back exactly; any other word or phrase is composed by
:func:`mmseg_zss.embeddings.embed_phrases` from the *same* word vectors the
file was built from (its provenance ``.json`` records them), with the same
rule, so a new name lands in the space the model was trained on. A word
missing from those vectors raises :class:`EmbeddingError` naming it and the
closest vocabulary words.
"""
from typing import Optional, Sequence, Union

import numpy as np
from mmengine.config import Config
from mmseg.registry import MODELS

from ..embeddings import embed_phrases, load_class_embeddings, read_provenance
from ..embeddings.files import resolve_path
from ..errors import ConfigError, EmbeddingError
from ..models import ZeroShotHead


def head_config(cfg: Config) -> dict:
    """``cfg.model.decode_head`` of a zero-shot model config.

    Raises:
        ConfigError: the config's decode head is not a ``ZeroShotHead`` (or a
            subclass, e.g. ``GMMNHead``).
    """
    head = cfg.get('model', {}).get('decode_head') or {}
    kind = head.get('type') if isinstance(head, dict) else type(head)
    cls = MODELS.get(kind) if isinstance(kind, str) else kind
    if not (isinstance(cls, type) and issubclass(cls, ZeroShotHead)):
        raise ConfigError(
            f'the model config has decode_head type {kind!r}; segmenting by '
            'class name needs a ZeroShotHead (configs/zss*, configs/zss_shapes)')
    return head


def word_sources(cfg: Config) -> list:
    """Word-vector source specs the model's class embeddings were built from.

    Read from the provenance ``.json`` beside the configured ``.npy``.

    Raises:
        EmbeddingError: the file has no provenance, so its source is unknown.
    """
    npy = resolve_path(head_config(cfg)['class_embeddings'])
    meta = read_provenance(npy)
    specs = [s.get('spec') for s in (meta or {}).get('sources', [])]
    if not specs or not all(specs):
        raise EmbeddingError(
            f'{npy} has no provenance .json naming its word vectors, so new '
            'words cannot be composed like its rows; pass the source '
            '(--source / source=), e.g. glove-6b-50d')
    return specs


def embed_class_names(cfg: Config,
                      class_names: Sequence[str],
                      source: Optional[Union[str, Sequence[str]]] = None
                      ) -> np.ndarray:
    """Embeddings of K class names for the model built from ``cfg``.

    Args:
        cfg (Config): the model's config (``model.cfg`` of
            :func:`init_segmentor`).
        class_names (Sequence[str]): any words or phrases, e.g.
            ``['sofa', 'potted plant']``; names of the configured class list
            take its rows, others are composed from its word vectors.
        source (str | Sequence[str], optional): word-vector source spec(s)
            for new names; default: the ones the class embeddings were built
            from (:func:`word_sources`).

    Returns:
        np.ndarray: float32 (K, D) unit rows, in the order of ``class_names``.

    Raises:
        EmbeddingError: a word is not in the word vectors (the message names
            it and the closest vocabulary words), or the composed dimension
            is not the model's.
    """
    names = check_class_names(class_names)
    head = head_config(cfg)
    rows = load_class_embeddings(head['class_embeddings'],
                                 num_classes=head.get('num_classes'),
                                 dim=head.get('embed_dim'))
    known = configured_class_names(cfg)
    new = [n for n in dict.fromkeys(names) if n not in known]
    composed = {}
    if new:
        specs = source if source is not None else word_sources(cfg)
        vectors = embed_phrases(new, source=specs)
        if vectors.shape[1] != rows.shape[1]:
            raise EmbeddingError(
                f'words composed from {specs} are {vectors.shape[1]}-d but '
                f'the model takes {rows.shape[1]}-d class embeddings; use the '
                'word vectors its class embeddings were built from')
        composed = dict(zip(new, vectors))
    return np.stack([rows[known[n]] if n in known else composed[n]
                     for n in names]).astype(np.float32)


def configured_class_names(cfg: Config) -> dict:
    """``{name: row}`` of the model's class list, from the embeddings'
    provenance (empty when the file has none)."""
    npy = resolve_path(head_config(cfg)['class_embeddings'])
    meta = read_provenance(npy) or {}
    return {c['name']: i for i, c in enumerate(meta.get('classes', []))}


def check_class_names(class_names: Sequence[str]) -> list:
    """The names as a list; refuse none, a bare string or empty names."""
    if isinstance(class_names, str):
        raise ConfigError(f'class_names must be a list of names, got the '
                          f'string {class_names!r}; write [{class_names!r}]')
    names = [n.strip() if isinstance(n, str) else n for n in class_names]
    bad = [n for n in names if not isinstance(n, str) or not n]
    if not names or bad:
        raise ConfigError(f'class names must be non-empty strings, got '
                          f'{list(class_names)!r}')
    return names
