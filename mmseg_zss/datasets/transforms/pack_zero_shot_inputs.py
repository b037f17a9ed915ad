from mmseg.datasets.transforms import PackSegInputs
from mmseg.registry import TRANSFORMS

DEFAULT_META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape',
                     'pad_shape', 'scale_factor', 'flip', 'flip_direction',
                     'reduce_zero_label', 'target_class')


@TRANSFORMS.register_module()
class PackZeroShotInputs(PackSegInputs):
    """``PackSegInputs`` that also carries ``target_class`` in the metainfo.

    In training, ``data_sample.metainfo['target_class']`` is the class index
    (into the dataset's ``classes``) whose binary mask is ``gt_sem_seg``.
    Test samples have no ``target_class`` and keep dense labels.
    """

    def __init__(self, meta_keys=DEFAULT_META_KEYS):
        super().__init__(meta_keys=meta_keys)
