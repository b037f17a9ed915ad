"""Class-name embeddings. SKELETON: the embeddings issue replaces this.

Stable API:
    load_class_embeddings(source, num_classes=None, dim=None) -> np.ndarray
        float32 (C, D), L2-normalised rows. ``source`` is a path to a ``.npy``
        file (with a ``.json`` provenance file beside it) or the name of a
        shipped embedding, e.g. ``'glove50/pascal_context_59'``.
"""
import os.path as osp

import numpy as np

from ..errors import EmbeddingError


def load_class_embeddings(source, num_classes=None, dim=None):
    path = source if source.endswith('.npy') else osp.join(
        osp.dirname(__file__), 'data', source + '.npy')
    if not osp.isfile(path):
        raise EmbeddingError(f'class-embedding file {path} does not exist')
    emb = np.load(path).astype(np.float32)
    if num_classes is not None and emb.shape[0] != num_classes:
        raise EmbeddingError(f'{path}: {emb.shape[0]} rows, expected '
                             f'{num_classes} (one per class)')
    if dim is not None and emb.shape[1] != dim:
        raise EmbeddingError(f'{path}: dimension {emb.shape[1]}, the model '
                             f'expects {dim}')
    return emb


__all__ = ['load_class_embeddings']
