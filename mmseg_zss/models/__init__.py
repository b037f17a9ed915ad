"""Zero-shot models: the decode head, conditional classifiers and losses.

Importing this package registers them all into ``mmseg.registry.MODELS``.
"""
from .classifiers import BaseConditionalClassifier, ConcatClassifier
from .decode_heads import ZeroShotHead
from .losses import BayesianDiceLoss, DiceL1Loss, StochasticBCELoss

__all__ = [
    'BaseConditionalClassifier', 'ConcatClassifier', 'ZeroShotHead',
    'BayesianDiceLoss', 'DiceL1Loss', 'StochasticBCELoss'
]
from . import baselines  # noqa: F401,E402  (comparison methods, §4.2)
