"""Class embeddings on disk: ``<name>.npy`` + ``<name>.json``; save and load.

``<name>.npy``: float32 (C, D), one L2-normalised row per class in class-list
order, written by ``np.save`` (its header holds no timestamp, so a rebuild
gives the same bytes). ``<name>.json``: provenance (sources with sha256,
dimension, per class: name, phrase, tokens, how it was composed).

Shape key: C classes, D embedding dimension.
"""
import json
import os
import os.path as osp

import numpy as np

from ..errors import EmbeddingError
from ..utils.io import atomic_open, atomic_write

DATA_ROOT = osp.join(osp.dirname(osp.abspath(__file__)), 'data')
FORMAT = 'mmseg-zss class embeddings v1'
NORM_TOLERANCE = 1e-3
BUILD_HINT = ('python tools/build_class_embeddings.py --classes {key} '
              '--source glove-6b-50d --out {out}')


def shipped_embeddings():
    """Names of the embeddings shipped in the package, e.g.
    ``'glove50/pascal_context_59'``."""
    names = []
    for root, _, files in os.walk(DATA_ROOT):
        rel = osp.relpath(root, DATA_ROOT)
        names += [osp.normpath(osp.join(rel, f[:-4])) for f in files
                  if f.endswith('.npy')]
    return sorted(n.replace(os.sep, '/') for n in names)


def resolve_path(source):
    """The ``.npy`` path of a file path or of a shipped embedding name."""
    if not isinstance(source, str) or not source:
        raise EmbeddingError(f'class embeddings must be a .npy path or a '
                             f'shipped name, got {source!r}')
    if source.endswith('.npy'):
        return source
    return osp.join(DATA_ROOT, *source.split('/')) + '.npy'


def dumps_provenance(meta):
    """JSON text of ``meta``: a readable header, then one line per class."""
    head = {k: v for k, v in meta.items() if k != 'classes'}
    text = json.dumps(head, indent=2)[:-2]
    rows = ',\n'.join('    ' + json.dumps(c) for c in meta.get('classes', []))
    return f'{text},\n  "classes": [\n{rows}\n  ]\n}}\n'


def save_class_embeddings(out, emb, meta):
    """Write ``out.npy`` (float32 (C, D)) and ``out.json`` atomically.

    ``out`` may end in ``.npy``. Returns the two paths.
    """
    stem = out[:-4] if out.endswith('.npy') else out
    emb = np.ascontiguousarray(emb, dtype=np.float32)
    npy, js = stem + '.npy', stem + '.json'
    with atomic_open(npy) as f:
        np.save(f, emb, allow_pickle=False)
    text = dumps_provenance(meta)
    atomic_write(js, text.encode('utf-8'))
    return npy, js


def read_provenance(npy_path):
    """The ``.json`` beside an ``.npy`` as a dict, or None if absent."""
    js = npy_path[:-4] + '.json'
    if not osp.isfile(js):
        return None
    try:
        with open(js, encoding='utf-8') as f:
            return json.load(f)
    except (ValueError, OSError) as e:
        raise EmbeddingError(f'{js} is not valid JSON ({e})') from e


def load_class_embeddings(source, num_classes=None, dim=None,
                          class_names=None):
    """Load and check class embeddings: float32 (C, D), unit rows.

    Args:
        source (str): a ``.npy`` path, or a shipped name such as
            ``'glove50/pascal_context_59'`` (:func:`shipped_embeddings`).
        num_classes (int, optional): C, the length of the class list.
        dim (int, optional): D, the embedding dimension the model expects.
        class_names (sequence of str, optional): the class list; checked
            against the names in the ``.json`` beside the file.

    Every failure raises :class:`EmbeddingError` naming the file and what is
    wrong: missing file, unreadable array, wrong row count, wrong dimension,
    NaN/inf rows, rows that are not unit length, other class names.
    """
    path = resolve_path(source)
    if not osp.isfile(path):
        raise EmbeddingError(_missing_file_message(source, path))
    try:
        emb = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        raise EmbeddingError(f'{path} is not a .npy array file ({e})') from e
    if emb.ndim != 2 or emb.dtype.kind != 'f':
        raise EmbeddingError(f'{path} holds a {emb.dtype} array of shape '
                             f'{emb.shape}; expected float (classes, dim)')
    if class_names is not None:
        _check_names(path, list(class_names), emb.shape[0])
        num_classes = len(class_names) if num_classes is None else num_classes
    if num_classes is not None and emb.shape[0] != num_classes:
        raise EmbeddingError(
            f'{path} has {emb.shape[0]} rows (one per class) but the class '
            f'list has {num_classes} classes; build embeddings for this class '
            'list with tools/build_class_embeddings.py')
    if dim is not None and emb.shape[1] != dim:
        raise EmbeddingError(
            f'{path} has dimension {emb.shape[1]} but the model expects '
            f'{dim}; use {dim}-d embeddings or set the model\'s embedding '
            f'dimension to {emb.shape[1]}')
    _check_values(path, emb)
    return emb.astype(np.float32, copy=False)


def _missing_file_message(source, path):
    if source.endswith('.npy'):
        out, key = source[:-4], '<class list>'
    else:
        out, key = osp.relpath(path[:-4]), source.split('/')[-1]
    return (f'class-embedding file {path} does not exist; build it with: '
            + BUILD_HINT.format(key=key, out=out)
            + (f' (shipped: {", ".join(shipped_embeddings())})'
               if not source.endswith('.npy') else ''))


def _check_names(path, class_names, rows):
    meta = read_provenance(path)
    if meta is None:
        raise EmbeddingError(f'{path[:-4]}.json is missing, so the class '
                             f'names of {path} cannot be checked; rebuild it '
                             'with tools/build_class_embeddings.py')
    names = [c.get('name') for c in meta.get('classes', [])]
    if len(names) != rows:
        raise EmbeddingError(f'{path[:-4]}.json lists {len(names)} classes '
                             f'but {path} has {rows} rows; rebuild both')
    wrong = [(i, a, b) for i, (a, b) in enumerate(zip(names, class_names))
             if a != b]
    if len(names) != len(class_names) or wrong:
        detail = '; '.join(f'class {i} is {a!r} in the file, {b!r} in the '
                           f'dataset' for i, a, b in wrong[:5])
        raise EmbeddingError(
            f'{path} was built for other classes ({len(names)} in the file, '
            f'{len(class_names)} in the dataset){": " + detail if detail else ""}')


def _check_values(path, emb):
    bad = np.flatnonzero(~np.isfinite(emb).all(axis=1))
    if bad.size:
        raise EmbeddingError(f'{path}: rows {_listed(bad)} contain NaN or inf')
    norms = np.sqrt(np.sum(emb.astype(np.float64)**2, axis=1))
    off = np.flatnonzero(np.abs(norms - 1) > NORM_TOLERANCE)
    if off.size:
        raise EmbeddingError(
            f'{path}: rows {_listed(off)} have L2 norm '
            f'{", ".join(f"{norms[i]:.3g}" for i in off[:5])} instead of 1; '
            'class embeddings must be L2-normalised (build them with '
            'tools/build_class_embeddings.py)')


def _listed(indices, n=10):
    text = ', '.join(str(i) for i in indices[:n])
    return text + (f' (and {len(indices) - n} more)' if len(indices) > n else '')
