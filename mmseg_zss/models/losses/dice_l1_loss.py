"""L1 regression of the soft dice towards 1 (paper §3.4, Eq. 6).

Shape key: N images, H x W label resolution.

The baseline's image-level loss: Eq. 7 without the predicted scale.
"""
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from .utils import reduce_over_images, soft_dice


@MODELS.register_module()
class DiceL1Loss(nn.Module):
    """L_dice = |1 - phi| per image (Eq. 6), phi the soft dice of sigmoid(mu).

    Args:
        smooth (float): soft-dice smoothing (mmseg's ``DiceLoss`` uses 1);
            0 is the paper's formula exactly. Default: 1.0.
        reduction (str): ``'mean'`` over images with at least one valid pixel,
            ``'sum'`` or ``'none'`` (N,). Default: ``'mean'``.
        loss_weight (float): multiplier (1 in Eq. 2).
        loss_name (str): key in the loss dict; must start with ``loss_``.
    """

    #: head outputs consumed, in the order of ``forward``'s arguments
    head_outputs = ('mu', )

    def __init__(self,
                 smooth: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_dice_l1'):
        super().__init__()
        self.smooth = smooth
        self.reduction = reduction
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, mu: Tensor, target: Tensor, ignore_index: int = 255,
                avg_factor=None, **kwargs) -> Tensor:
        """Compute the loss.

        Args:
            mu (Tensor): (N, H, W) pixel logits mu_p.
            target (Tensor): (N, H, W) mask in {0, 1, ignore_index}.
            ignore_index (int): pixels with this label are in neither sum.
            avg_factor (float | Tensor, optional): divisor for ``'mean'``.

        Returns:
            Tensor: scalar loss ((N,) for ``reduction='none'``).
        """
        phi, has_valid = soft_dice(mu, target, ignore_index, self.smooth)
        return self.loss_weight * reduce_over_images(
            (1 - phi).abs(), has_valid, self.reduction, avg_factor)

    @property
    def loss_name(self) -> str:
        """Name of the loss item in the loss dict (mmseg convention)."""
        return self._loss_name

    def extra_repr(self) -> str:
        return f'smooth={self.smooth}, reduction={self.reduction}'
