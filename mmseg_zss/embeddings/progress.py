"""A progress bar while gensim reads a large word-vector file.

gensim opens vector files through ``smart_open``, so a progress bar needs no
change to gensim: :func:`progress_uri` turns a path into a URI of a small
``smart_open`` transport (its public extension point) whose files update an
mmengine :class:`~mmengine.utils.ProgressBar` with the bytes read. Compressed
files (``.gz``) still decompress transparently; the bar counts compressed
bytes. Reading a GloVe file without header takes two passes (gensim first
counts the words), so its bar runs twice.
"""
import io
import os
import os.path as osp
import sys

from mmengine.utils import ProgressBar

SCHEME = 'mmseg-zss-progress'
URI_EXAMPLES = (f'{SCHEME}:///data/glove.840B.300d.txt', )
MIB = 1 << 20
MIN_SIZE = 64 * MIB  # smaller files get no bar
_registered = False


class _ProgressRaw(io.RawIOBase):
    """A read-only raw file that advances a progress bar by whole MiB."""

    def __init__(self, path):
        self._file = io.FileIO(path, 'rb')
        self.name = path
        self._size_mib = max(1, osp.getsize(path) // MIB)
        self._bar = ProgressBar(self._size_mib, file=sys.stderr)
        self._done = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = self._file.readinto(buffer)
        done = min(self._file.tell() // MIB, self._size_mib)
        if done > self._done:
            self._bar.update(done - self._done)
            self._done = done
        return n

    def close(self):
        if not self.closed:
            self._file.close()
            if self._done < self._size_mib:
                self._bar.update(self._size_mib - self._done)
            sys.stderr.write('\n')
        super().close()


def parse_uri(uri):
    return dict(scheme=SCHEME, uri_path=uri.split('://', 1)[1])


def open_uri(uri, mode, transport_params):
    return open(parse_uri(uri)['uri_path'], mode)


def open(path, mode, **kwargs):  # noqa: A001 (smart_open's transport API)
    if mode != 'rb':
        raise NotImplementedError(f'{SCHEME} only reads ({mode!r} asked)')
    return io.BufferedReader(_ProgressRaw(path), buffer_size=MIB)


def progress_uri(path):
    """``path`` itself, or a URI that reads it with a progress bar.

    Files smaller than :data:`MIN_SIZE` bytes get no bar (and print nothing).
    """
    global _registered
    if osp.getsize(path) < MIN_SIZE:
        return path
    if not _registered:
        from smart_open.transport import register_transport
        register_transport(sys.modules[__name__])
        _registered = True
    return f'{SCHEME}://{os.path.abspath(path)}'
