"""Build class embeddings from a class list and word-vector sources.

The function behind ``tools/build_class_embeddings.py``: class list ->
:func:`~.compose.compose_embeddings` -> ``<out>.npy`` + ``<out>.json``.
"""
import hashlib
import os.path as osp

import numpy as np

from ..datasets.class_names import DATASETS, get_classes, get_phrases
from ..errors import DatasetError, EmbeddingError
from .compose import OOV_FALLBACK, STOP_WORDS, compose_embeddings
from .files import FORMAT, save_class_embeddings
from .sources import DEFAULT_SOURCE

RULE = ('synonyms "a, b": mean of synonyms; a multi-word phrase in the '
        'vocabulary as one token: that token; else mean of L2-normalised word '
        f'vectors (skipping {"/".join(sorted(STOP_WORDS))} when other words '
        'exist; hyphenated words from their parts; fastText subwords for '
        'missing words); rows L2-normalised; sources concatenated, then '
        f'normalised again; allow_oov fallback: {OOV_FALLBACK}')


def read_class_file(path):
    """``((name, phrase), ...)`` from a text file, one class per line.

    A line is ``name`` or ``name<TAB>phrase``; blank lines and lines starting
    with ``#`` are skipped.
    """
    if not osp.isfile(path):
        raise DatasetError(f'class file {path} does not exist')
    entries = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            name, _, phrase = line.partition('\t')
            entries.append((name.strip(), phrase.strip() or name.strip()))
    if not entries:
        raise DatasetError(f'class file {path} lists no classes')
    names = [n for n, _ in entries]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise DatasetError(f'class file {path} repeats {", ".join(dupes)}')
    return tuple(entries)


def _class_list(classes):
    """``(label, entries)`` for a list key, a class file or (name, phrase)s."""
    if isinstance(classes, str):
        if classes in DATASETS:
            return classes, tuple(zip(get_classes(classes),
                                      get_phrases(classes)))
        if osp.isfile(classes):
            with open(classes, 'rb') as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            return (f'file {osp.basename(classes)} sha256:{digest}',
                    read_class_file(classes))
        raise DatasetError(f'{classes!r} is neither a class list '
                           f'({", ".join(DATASETS)}) nor a class file')
    entries = tuple((c, c) if isinstance(c, str) else tuple(c)
                    for c in classes)
    return 'given', entries


def build_class_embeddings(classes, sources=(DEFAULT_SOURCE, ), out=None,
                           allow_oov=False, limit=None):
    """Embed a class list; write ``out.npy`` + ``out.json`` if ``out`` given.

    Args:
        classes: a class-list key (``'pascal_context_59'``), a class file
            (:func:`read_class_file`), or a sequence of names or
            ``(name, phrase)`` pairs.
        sources (str | sequence of str): word-vector source specs; two or more
            are concatenated.
        out (str, optional): output path without extension.
        allow_oov (bool): record a fallback instead of failing on missing
            words.
        limit (int, optional): read only the first ``limit`` words of each
            word2vec/GloVe source.

    Returns:
        tuple: ``emb`` float32 (C, D) and the provenance dict.
    """
    label, entries = _class_list(classes)
    if isinstance(sources, str):
        sources = (sources, )
    names, phrases = [n for n, _ in entries], [p for _, p in entries]
    emb, records = compose_embeddings(phrases, sources, names=names,
                                      allow_oov=allow_oov, limit=limit)
    if not np.isfinite(emb).all():
        raise EmbeddingError('composition produced NaN/inf rows; this is a '
                             'bug, please report it with the command')
    from .sources import load_word_vectors
    meta = dict(
        format=FORMAT, class_list=label, num_classes=len(entries),
        dim=int(emb.shape[1]), dtype='float32',
        sources=[load_word_vectors(s, limit).provenance() for s in sources],
        rule=RULE, allow_oov=bool(allow_oov),
        npy_sha256=_npy_sha256(emb),
        classes=[dict(index=i, name=n, phrase=p, composition=r)
                 for i, (n, p, r) in enumerate(zip(names, phrases, records))])
    if out is not None:
        save_class_embeddings(out, emb, meta)
    return emb, meta


def _npy_sha256(emb):
    """sha256 of the exact bytes ``np.save`` writes for ``emb``."""
    import io
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(emb, dtype=np.float32),
            allow_pickle=False)
    return hashlib.sha256(buf.getvalue()).hexdigest()
