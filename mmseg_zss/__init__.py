"""mmseg-zss: uncertainty-aware zero-shot semantic segmentation on MMSeg 1.x.

``import mmseg_zss`` makes mmseg importable on mmcv-lite (``compat``) and
registers every module of the package into mmseg's registries.
"""
from . import compat  # noqa: F401  (must run before anything imports mmseg)
from .version import __version__  # noqa: E402

__all__ = ['__version__']
