"""Binary hinge loss on pixel scores (DeViSE's margin loss, per pixel).

Shape key: N images, H x W label resolution.

DeViSE (Frome et al. 2013) trains its visual-semantic projection with a
margin (hinge) ranking loss: the similarity to the true label must exceed the
similarity to a wrong label by a margin. In the class-conditioned binary
setting of the paper (§3.1) every pixel is a (pixel, class) pair that either
belongs to the class (y = +1) or not (y = -1); the hinge then asks the pair's
score mu to lie on the right side of 0 by a margin: max(0, margin - y mu).
"""
import torch.nn as nn
from mmseg.models.losses.utils import weight_reduce_loss
from mmseg.registry import MODELS
from torch import Tensor

from ..losses import split_target


@MODELS.register_module()
class BinaryHingeLoss(nn.Module):
    """L = max(0, margin - y * mu) per valid pixel, y = 2 z - 1 in {-1, +1}.

    Args:
        margin (float): required distance of the score from 0, in logit
            units. Default: 1.0.
        reduction (str): ``'mean'`` over valid pixels, ``'sum'`` or
            ``'none'`` ((N, H, W), 0 at ignored pixels). Default: ``'mean'``.
        loss_weight (float): multiplier. Default: 1.0.
        loss_name (str): key in the loss dict; must start with ``loss_``.
    """

    #: head outputs consumed, in the order of ``forward``'s arguments
    head_outputs = ('mu', )

    def __init__(self,
                 margin: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_hinge'):
        super().__init__()
        if margin <= 0:
            raise ValueError(f'margin must be > 0, got {margin}')
        self.margin = margin
        self.reduction = reduction
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, mu: Tensor, target: Tensor, ignore_index: int = 255,
                avg_factor=None, **kwargs) -> Tensor:
        """Compute the loss.

        Args:
            mu (Tensor): (N, H, W) pixel scores (logits).
            target (Tensor): (N, H, W) mask in {0, 1, ignore_index}.
            ignore_index (int): pixels with this label count nowhere.
            avg_factor (float | Tensor, optional): divisor for ``'mean'``;
                default: the number of valid pixels.

        Returns:
            Tensor: scalar loss ((N, H, W) for ``reduction='none'``).
        """
        z, valid = split_target(target, ignore_index)
        loss = (self.margin - (2 * z - 1) * mu.float()).clamp_min(0)
        if self.reduction == 'mean' and avg_factor is None:
            avg_factor = valid.sum().clamp_min(1)
        return self.loss_weight * weight_reduce_loss(
            loss, valid, reduction=self.reduction, avg_factor=avg_factor)

    @property
    def loss_name(self) -> str:
        """Name of the loss item in the loss dict (mmseg convention)."""
        return self._loss_name

    def extra_repr(self) -> str:
        return f'margin={self.margin}, reduction={self.reduction}'
