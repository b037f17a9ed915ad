"""mmseg-zss: uncertainty-aware zero-shot semantic segmentation on MMSeg 1.x.

``import mmseg_zss`` makes mmseg importable on mmcv-lite (``compat``) and
registers every module of the package into mmseg's registries.
"""
# isort: off
# compat must run before anything imports mmseg (mmcv.ops stand-in)
from . import compat  # noqa: F401
from . import datasets, embeddings  # noqa: F401,E402
from . import models  # noqa: F401,E402
from . import evaluation  # noqa: F401,E402
from . import apis  # noqa: F401,E402
from . import engine  # noqa: F401,E402
from .version import __version__  # noqa: E402
# isort: on

__all__ = ['__version__']
