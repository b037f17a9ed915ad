from .class_names import CLASS_LISTS, DATASETS, get_classes, get_phrases, get_synonyms
from .transforms import (
                          LoadZeroShotAnnotations,
                          PackZeroShotInputs,
                          SampleZeroShotTarget,
)
from .zero_shot_dataset import ZeroShotDatasetMixin
from .zero_shot_split import ZeroShotSplit, available_splits, load_split, save_split
from .zs_ade20k import ZeroShotADE20KDataset
from .zs_pascal_context_59 import ZeroShotPascalContext59Dataset
from .zs_pascal_context_459 import ZeroShotPascalContext459Dataset

__all__ = [
    'CLASS_LISTS', 'DATASETS', 'get_classes', 'get_phrases', 'get_synonyms',
    'LoadZeroShotAnnotations', 'PackZeroShotInputs', 'SampleZeroShotTarget',
    'ZeroShotDatasetMixin', 'ZeroShotSplit', 'available_splits', 'load_split',
    'save_split', 'ZeroShotADE20KDataset', 'ZeroShotPascalContext59Dataset',
    'ZeroShotPascalContext459Dataset'
]
from . import synthetic  # noqa: F401,E402  (ZSS-Shapes: registers its dataset and metric)
