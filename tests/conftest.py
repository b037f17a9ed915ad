"""Shared pytest fixtures: tiny datasets generated in the real on-disk layouts."""
import os
import os.path as osp
import socket
import sys

import pytest
import torch

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.join(REPO, 'tests'))

from fixture_data import write_pascal_context_59  # noqa: E402

# The test models are tiny: one thread is faster than two OpenMP threads that
# spin against each other (and against any other job) on a 2-core machine.
torch.set_num_threads(1)


@pytest.fixture(scope='session')
def repo_root():
    return REPO


@pytest.fixture(scope='session')
def tiny_pc59(tmp_path_factory):
    """4 train + 2 val images in mmseg's Pascal-Context-59 layout."""
    root = tmp_path_factory.mktemp('tiny_pascal_context')
    write_pascal_context_59(str(root), num_train=4, num_val=2, size=48)
    return str(root)


@pytest.fixture
def launcher_env():
    """Environment for ``tools/dist_*.sh``: the scripts call ``python`` from
    PATH, so the interpreter running the tests (its virtual environment)
    comes first; a free port; one OpenMP thread per process."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    path = osp.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', '')
    return dict(os.environ, PATH=path, PORT=str(port), OMP_NUM_THREADS='1')
