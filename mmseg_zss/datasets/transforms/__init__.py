from .load_zero_shot_annotations import LoadZeroShotAnnotations
from .pack_zero_shot_inputs import PackZeroShotInputs
from .sample_zero_shot_target import SampleZeroShotTarget

__all__ = [
    'LoadZeroShotAnnotations', 'PackZeroShotInputs', 'SampleZeroShotTarget'
]
