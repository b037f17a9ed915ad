from mmseg.datasets import ADE20KDataset
from mmseg.registry import DATASETS

from .class_names import get_classes
from .zero_shot_dataset import ZeroShotDatasetMixin


@DATASETS.register_module()
class ZeroShotADE20KDataset(ZeroShotDatasetMixin, ADE20KDataset):
    """ADE20K-150 (SceneParsing release) in mmseg's layout, zero-shot split.

    ``images/{training,validation}/*.jpg`` and
    ``annotations/{training,validation}/*.png`` (uint8, 0 = other, 1..150 =
    classes; ``reduce_zero_label=True``). Class names are
    ``get_classes('ade20k_150')`` (mmseg's, stripped of stray spaces).
    See :class:`ZeroShotDatasetMixin` for ``split``,
    ``exclude_unseen_images`` and ``presence_cache``.
    """
    CLASS_LIST = 'ade20k_150'
    METAINFO = dict(
        classes=get_classes(CLASS_LIST),
        palette=ADE20KDataset.METAINFO['palette'])
