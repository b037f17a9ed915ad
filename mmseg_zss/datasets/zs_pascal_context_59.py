from mmseg.datasets import PascalContextDataset59
from mmseg.registry import DATASETS

from .class_names import get_classes
from .zero_shot_dataset import ZeroShotDatasetMixin


@DATASETS.register_module()
class ZeroShotPascalContext59Dataset(ZeroShotDatasetMixin,
                                     PascalContextDataset59):
    """Pascal-Context-59 in mmseg's layout, with a zero-shot split.

    ``JPEGImages/*.jpg``, ``SegmentationClassContext/*.png`` (uint8, 0 =
    background, 1..59 = classes; ``reduce_zero_label=True``) and
    ``ImageSets/SegmentationContext/{train,val}.txt``, as written by mmseg's
    converter or ``tools/dataset_converters/pascal_context.py``.
    See :class:`ZeroShotDatasetMixin` for ``split``,
    ``exclude_unseen_images`` and ``presence_cache``.
    """
    CLASS_LIST = 'pascal_context_59'
    METAINFO = dict(
        classes=get_classes(CLASS_LIST),
        palette=PascalContextDataset59.METAINFO['palette'])
