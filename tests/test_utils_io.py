"""Atomic writes: the file is complete or untouched, never half-written."""
import os

import pytest

from mmseg_zss.utils.io import atomic_open, atomic_write


def test_atomic_write_bytes_and_text(tmp_path):
    path = tmp_path / 'sub' / 'a.txt'
    assert atomic_write(str(path), 'héllo\n') == str(path)
    assert path.read_text(encoding='utf-8') == 'héllo\n'
    atomic_write(str(path), b'\x00\x01')
    assert path.read_bytes() == b'\x00\x01'
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)
    assert os.listdir(path.parent) == ['a.txt']


def test_failure_leaves_old_file_and_no_temp(tmp_path):
    path = tmp_path / 'b.bin'
    path.write_bytes(b'old')
    with pytest.raises(RuntimeError, match='boom'):
        with atomic_open(str(path)) as f:
            f.write(b'partial')
            raise RuntimeError('boom')
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['b.bin']
