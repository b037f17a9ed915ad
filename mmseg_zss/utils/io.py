"""Atomic file writing: a file is either complete or absent, never half-written.

Every tool that writes user-visible files (class embeddings, splits, caches,
converted labels, figures, published models) goes through these two helpers.
"""
import contextlib
import os
import os.path as osp
import tempfile

__all__ = ['atomic_open', 'atomic_write']


@contextlib.contextmanager
def atomic_open(path, mode='wb', encoding=None):
    """Open a temporary file beside ``path``; rename it to ``path`` on success.

    If the ``with`` block raises (or the process is interrupted), the
    temporary file is removed and ``path`` is left as it was.

    Args:
        path (str): the final file; its folder is created if needed.
        mode (str): ``'wb'`` or ``'w'``.
        encoding (str, optional): text encoding for ``'w'`` (default utf-8).
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix='.tmp-',
                               suffix=osp.basename(path))
    if 'b' not in mode and encoding is None:
        encoding = 'utf-8'
    try:
        with os.fdopen(fd, mode, encoding=encoding) as f:
            yield f
        os.chmod(tmp, 0o644)  # mkstemp creates 0600 files
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def atomic_write(path, data):
    """Write ``data`` (bytes or str) to ``path`` atomically; return ``path``."""
    with atomic_open(path, 'wb' if isinstance(data, bytes) else 'w') as f:
        f.write(data)
    return path
