"""The paper's "Blank" reference: every pixel of every test pair foreground.

Under the paper's protocol (PAPER_NOTES 8) a test pair is (image, class
present in its ground truth), so Blank's IoU of class c is
sum |pixels of c| / sum |valid pixels| over the images containing c: the mean
foreground fraction, which a model must clearly beat to segment at all
(Tables 1-2, "Blank").
"""
from typing import Optional

from mmseg.registry import MODELS

from .random_predictor import RandomPredictor


@MODELS.register_module()
class BlankPredictor(RandomPredictor):
    """:class:`RandomPredictor` with foreground probability 1 (no draws).

    Args:
        num_classes (int): C, length of the dataset's class list.
        data_preprocessor (dict, optional): as :class:`RandomPredictor`.
        init_cfg (dict, optional): unused; no weights.
    """

    def __init__(self,
                 num_classes: int,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            num_classes,
            foreground_prob=1.0,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
