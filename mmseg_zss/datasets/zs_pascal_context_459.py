from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from .class_names import get_classes
from .zero_shot_dataset import ZeroShotDatasetMixin

#: unlabelled pixels of the full-label maps; 255 is a class (label id 256)
FULL_LABEL_IGNORE_INDEX = 65535


@DATASETS.register_module()
class ZeroShotPascalContext459Dataset(ZeroShotDatasetMixin, BaseSegDataset):
    """Pascal-Context with its 459 full labels (the PC-215 setting's data).

    ``JPEGImages/*.jpg``, ``SegmentationClassContext459/*.png`` (16-bit:
    the official ``LabelMap``, 0 = unlabelled, ``i`` = id ``i`` of
    ``labels.txt``) and ``ImageSets/SegmentationContext/{train,val}.txt``,
    as written by ``tools/dataset_converters/pascal_context.py``.

    With ``reduce_zero_label=True`` label value ``i`` is
    ``get_classes('pascal_context_459')[i]`` (0..458). Because value 255 is
    a class here, unlabelled pixels take ``ignore_index=65535``; use
    ``LoadZeroShotAnnotations`` (keeps 16 bits) and set ``ignore_index=65535``
    wherever a transform sees dense labels (e.g. ``RandomCrop``). The
    zero-shot target masks use 255 as usual. With a PC-215 split, the 244
    classes outside it are neither targets nor evaluated.
    See :class:`ZeroShotDatasetMixin` for ``split``,
    ``exclude_unseen_images`` and ``presence_cache``.
    """
    CLASS_LIST = 'pascal_context_459'
    METAINFO = dict(classes=get_classes(CLASS_LIST))

    def __init__(self,
                 ann_file='',
                 img_suffix='.jpg',
                 seg_map_suffix='.png',
                 reduce_zero_label=True,
                 ignore_index=FULL_LABEL_IGNORE_INDEX,
                 **kwargs) -> None:
        super().__init__(
            ann_file=ann_file,
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            reduce_zero_label=reduce_zero_label,
            ignore_index=ignore_index,
            **kwargs)
