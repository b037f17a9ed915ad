"""Conditional classifiers: score (pixel, class) pairs from features and class
embeddings; plugged into ``ZeroShotHead`` by ``classifier=dict(type=...)``."""
from .base_classifier import HEAD_OUTPUTS, PIXEL_OUTPUTS, BaseConditionalClassifier
from .concat_classifier import ConcatClassifier

__all__ = [
    'BaseConditionalClassifier', 'ConcatClassifier', 'HEAD_OUTPUTS',
    'PIXEL_OUTPUTS'
]
