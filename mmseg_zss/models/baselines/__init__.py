"""The paper's comparison methods (§4.2) on the same zero-shot head, data and
metric: DeViSE, conditional batch norm, ZS3Net's GMMN, and the Blank / Random
references. Importing this package registers them into mmseg's ``MODELS``."""
from .binary_hinge_loss import BinaryHingeLoss
from .blank_predictor import BlankPredictor
from .cbn_classifier import CBNClassifier
from .devise_classifier import DeViSEClassifier
from .gmmn_generator import GMMNGenerator
from .gmmn_head import GMMNHead
from .mmd_loss import MMDLoss
from .random_predictor import RandomPredictor

__all__ = [
    'BinaryHingeLoss', 'BlankPredictor', 'CBNClassifier', 'DeViSEClassifier',
    'GMMNGenerator', 'GMMNHead', 'MMDLoss', 'RandomPredictor'
]
