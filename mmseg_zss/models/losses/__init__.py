"""Zero-shot losses (paper Eq. 5-7). Plain BCE (Eq. 3) is mmseg's
``CrossEntropyLoss(use_sigmoid=True, avg_non_ignore=True)``."""
from .bayesian_dice_loss import BayesianDiceLoss
from .dice_l1_loss import DiceL1Loss
from .stochastic_bce_loss import StochasticBCELoss
from .utils import soft_dice, split_target

__all__ = [
    'BayesianDiceLoss', 'DiceL1Loss', 'StochasticBCELoss', 'soft_dice',
    'split_target'
]
