from mmseg.datasets.transforms import LoadAnnotations
from mmseg.registry import TRANSFORMS

from ..label_io import load_label_map


@TRANSFORMS.register_module()
class LoadZeroShotAnnotations(LoadAnnotations):
    """``LoadAnnotations`` that keeps 16-bit label maps and checks values.

    mmseg's loader casts to uint8, so Pascal-Context full labels (ids up to
    459) would wrap around. This one keeps the bit depth (uint8 maps stay
    uint8, 16-bit maps become uint16) and, when the dataset puts
    ``num_classes`` into the results (the zero-shot datasets do), refuses any
    value that is neither a class nor the ignore value, naming the file.

    Required keys: ``seg_map_path``, ``reduce_zero_label``; optional
    ``label_map``, ``ignore_index`` (default 255), ``num_classes``.
    Added keys: ``gt_seg_map`` (H, W), ``seg_fields``.

    Args:
        reduce_zero_label (bool, optional): must match the dataset's; None
            takes the dataset's (recommended).
        imdecode_backend (str): ``mmcv.imfrombytes`` backend. Default 'pillow'.
        backend_args (dict, optional): file backend arguments.
    """

    def _load_seg_map(self, results: dict) -> None:
        if self.reduce_zero_label is None:
            self.reduce_zero_label = results['reduce_zero_label']
        assert self.reduce_zero_label == results['reduce_zero_label'], (
            'Initialize dataset with `reduce_zero_label` as '
            f'{results["reduce_zero_label"]} but when load annotation '
            f'the `reduce_zero_label` is {self.reduce_zero_label}')
        results['gt_seg_map'] = load_label_map(
            results['seg_map_path'],
            reduce_zero_label=self.reduce_zero_label,
            ignore_index=results.get('ignore_index', 255),
            label_map=results.get('label_map'),
            num_classes=results.get('num_classes'),
            backend_args=self.backend_args,
            imdecode_backend=self.imdecode_backend)
        results['seg_fields'].append('gt_seg_map')
