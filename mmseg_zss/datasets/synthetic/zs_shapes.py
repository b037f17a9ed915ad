import os.path as osp
from typing import Optional

from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from ..class_names import get_classes
from ..zero_shot_dataset import ZeroShotDatasetMixin
from ..zero_shot_split import load_split
from .shapes_generator import ensure_shapes
from .shapes_spec import ShapesSettings

SPLIT_DIR = osp.join(osp.dirname(osp.abspath(__file__)), 'splits')
DEFAULT_SPLIT = 'zss_shapes_30_unseen6'


def shapes_split_path(split: str) -> str:
    """A ZSS-Shapes split name shipped here, or any split path, -> a path."""
    shipped = osp.join(SPLIT_DIR, split + '.json')
    return shipped if osp.isfile(shipped) and not osp.isfile(split) else split


@DATASETS.register_module()
class ZeroShotShapesDataset(ZeroShotDatasetMixin, BaseSegDataset):
    """ZSS-Shapes, the embedded synthetic zero-shot benchmark (docs/benchmark.md).

    ``img_dir/{train,val}/*.png`` RGB images and ``ann_dir/{train,val}/*.png``
    uint8 label maps, label 0 = ``background``, 1..30 = ``'<colour> <shape>'``
    (``reduce_zero_label=False``). With ``generate`` set, the data root is
    generated on first use (seconds) and checked on every later use: a root
    made with other settings is refused, never overwritten.

    Background is a labelled class that the shipped split leaves out of both
    the seen and the unseen set: it is never a training target and is not
    evaluated, but its pixels are negatives of every query, so predicting
    everything as foreground scores low (as in the paper's Blank row).

    Args:
        split (str): split name shipped with ZSS-Shapes
            (``'zss_shapes_30_unseen6'``) or any split JSON path.
        generate (dict, optional): :class:`ShapesSettings` fields (``seed``,
            ``num_train``, ``num_val``, ``image_size``, ``objects``,
            ``radius``, ``noise``). None: the data root must already exist.
        **kwargs: :class:`ZeroShotDatasetMixin` and mmseg
            ``BaseSegDataset`` arguments.
    """

    CLASS_LIST = 'zss_shapes'
    METAINFO = dict(classes=get_classes('zss_shapes'))

    def __init__(self,
                 split: str = DEFAULT_SPLIT,
                 generate: Optional[dict] = None,
                 img_suffix: str = '.png',
                 seg_map_suffix: str = '.png',
                 reduce_zero_label: bool = False,
                 **kwargs) -> None:
        split = shapes_split_path(split)
        if generate is not None:
            root = kwargs.get('data_root') or ''
            unseen = load_split(split, self.CLASS_LIST).unseen_classes
            ensure_shapes(root, ShapesSettings(**generate), unseen)
        super().__init__(
            split=split,
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            reduce_zero_label=reduce_zero_label,
            **kwargs)
