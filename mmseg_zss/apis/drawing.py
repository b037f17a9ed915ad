"""Pictures of named-class results: mask overlays, uncertainty heat maps.

Shape key: H x W image size, Wb colour-bar width.

Masks are drawn by mmseg's ``SegLocalVisualizer`` (the look of
``tools/test.py --show-dir``); heat maps are colour-mapped by matplotlib, off
screen (Agg), and every PNG is written atomically (temp file + rename).
"""
import re
from typing import Optional, Sequence

import cv2
import numpy as np
import torch
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from mmseg.visualization import SegLocalVisualizer

from ..errors import ConfigError
from ..utils.io import atomic_write

#: distinct colours (RGB) for the names of one image (matplotlib's tab10)
NAME_COLORS = [tuple(int(255 * c) for c in colormaps['tab10'](i)[:3])
               for i in range(10)]
HEATMAP_CMAP = 'viridis'
IGNORE_COLOR = (128, 128, 128)


def write_png(path: str, rgb: np.ndarray) -> str:
    """Write an (H, W, 3) uint8 RGB array as a PNG, atomically."""
    ok, buf = cv2.imencode('.png', np.ascontiguousarray(rgb[..., ::-1]))
    if not ok:
        raise ConfigError(f'could not encode a PNG for {path}')
    return write_bytes(path, buf.tobytes())


def write_bytes(path: str, data: bytes) -> str:
    """Write ``data`` to ``path`` through a temp file and a rename."""
    return atomic_write(path, data)


def slug(name: str) -> str:
    """A file-name part for a class name: ``'potted plant'`` ->
    ``'potted_plant'``."""
    return re.sub(r'[^\w.-]+', '_', name.strip()).strip('_') or 'class'


def mask_overlay(image: np.ndarray,
                 mask: np.ndarray,
                 name: str,
                 color: Sequence[int] = NAME_COLORS[0],
                 alpha: float = 0.5,
                 with_label: bool = True,
                 ignore: Optional[np.ndarray] = None) -> np.ndarray:
    """Draw one binary mask on an image with ``SegLocalVisualizer``.

    Args:
        image (np.ndarray): (H, W, 3) uint8 RGB.
        mask (np.ndarray): (H, W) bool.
        name (str): written at the mask's centre when ``with_label``.
        color (Sequence[int]): RGB of the mask.
        alpha (float): mask opacity.
        with_label (bool): write ``name`` on the mask.
        ignore (np.ndarray, optional): (H, W) bool pixels without a label,
            drawn grey.

    Returns:
        np.ndarray: (H, W, 3) uint8 RGB.
    """
    # the mask is class 0 (and ignore class 1) of a tiny class list; 255 is
    # no class (>= the list's length), which the visualiser leaves undrawn
    labels = np.where(mask, 0, 255)
    if ignore is not None:
        labels = np.where(ignore & ~mask, 1, labels)
    sample = SegDataSample(pred_sem_seg=PixelData(
        data=torch.from_numpy(labels.astype(np.int64)[None])))
    vis = SegLocalVisualizer.get_instance(f'mmseg_zss_overlay_{alpha}',
                                          alpha=alpha)
    vis.dataset_meta = dict(classes=(name, 'ignored'),
                            palette=[list(color), list(IGNORE_COLOR)])
    vis.add_datasample(name, image, sample, draw_gt=False, show=False,
                       with_labels=with_label and ignore is None)
    return vis.get_image()


def heatmap(values: np.ndarray, vmin: float, vmax: float,
            cmap: str = HEATMAP_CMAP) -> np.ndarray:
    """(H, W) values -> (H, W, 3) uint8 RGB, one image pixel per value."""
    norm = Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1e-12)
    rgba = colormaps[cmap](norm(np.asarray(values, dtype=np.float64)))
    return (rgba[..., :3] * 255).round().astype(np.uint8)


def colorbar(height: int, vmin: float, vmax: float, label: str = '',
             cmap: str = HEATMAP_CMAP) -> np.ndarray:
    """A vertical colour bar with ticks, ``height`` pixels tall.

    Returns:
        np.ndarray: (height, Wb, 3) uint8 RGB; the font and width grow with
        the height so the ticks stay legible beside the heat map.
    """
    dpi = 100
    font = float(np.clip(height / 28, 4, 12))  # points
    width = int(round(font * dpi / 72 * (7 if label else 5.5))) + 12
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi,
                 facecolor='white')
    ax = fig.add_axes([0.08, 0.05, 0.16, 0.9])
    norm = Normalize(vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1e-12)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=colormaps[cmap]),
                       cax=ax)
    bar.ax.tick_params(labelsize=font, length=2, pad=1)
    bar.formatter.set_powerlimits((-2, 3))
    bar.ax.yaxis.get_offset_text().set_fontsize(font)
    if label:
        bar.set_label(label, fontsize=font, labelpad=1)
    return figure_to_rgb(fig)


def heatmap_with_colorbar(values: np.ndarray,
                          vmin: Optional[float] = None,
                          vmax: Optional[float] = None,
                          label: str = '',
                          cmap: str = HEATMAP_CMAP) -> np.ndarray:
    """The heat map of ``values`` (H, W), pixel for pixel, and its colour
    bar on the right: (H, W + Wb, 3) uint8 RGB."""
    vmin = float(np.min(values)) if vmin is None else vmin
    vmax = float(np.max(values)) if vmax is None else vmax
    left = heatmap(values, vmin, vmax, cmap)
    return np.concatenate(
        [left, colorbar(left.shape[0], vmin, vmax, label, cmap)], axis=1)


def figure_to_rgb(fig: Figure) -> np.ndarray:
    """Render a matplotlib ``Figure`` off screen: (H, W, 3) uint8 RGB."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()
