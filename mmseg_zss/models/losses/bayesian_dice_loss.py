"""Bayesian (Laplacian) regression of the soft dice (paper §3.4, Eq. 7).

Shape key: N images, H x W label resolution.

The image-level quality phi (soft dice of sigmoid(mu_p) against the mask) is
the mean of a Laplacian whose scale sigma_i the network predicts; the
negative log-likelihood of the target value 1 is, up to a constant,
|1 - phi| / sigma_i + log sigma_i. The network outputs log sigma_i, so
1 / sigma_i = exp(-log sigma_i) is always positive and finite.
"""
import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from .utils import reduce_over_images, soft_dice


@MODELS.register_module()
class BayesianDiceLoss(nn.Module):
    """L_img = |1 - phi| * exp(-log sigma_i) + log sigma_i per image (Eq. 7).

    Args:
        smooth (float): soft-dice smoothing (mmseg's ``DiceLoss`` uses 1);
            0 is the paper's formula exactly. Default: 1.0.
        reduction (str): ``'mean'`` over images with at least one valid pixel,
            ``'sum'`` or ``'none'`` (N,). Default: ``'mean'``.
        loss_weight (float): multiplier (1 in Eq. 2).
        loss_name (str): key in the loss dict; must start with ``loss_``.
    """

    #: head outputs consumed, in the order of ``forward``'s arguments
    head_outputs = ('mu', 'log_sigma')

    def __init__(self,
                 smooth: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_bayesian_dice'):
        super().__init__()
        self.smooth = smooth
        self.reduction = reduction
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, mu: Tensor, log_sigma: Tensor, target: Tensor,
                ignore_index: int = 255, avg_factor=None, **kwargs) -> Tensor:
        """Compute the loss.

        Args:
            mu (Tensor): (N, H, W) pixel logits mu_p.
            log_sigma (Tensor): (N,) log of the Laplacian scale sigma_i.
            target (Tensor): (N, H, W) mask in {0, 1, ignore_index}.
            ignore_index (int): pixels with this label are in neither sum.
            avg_factor (float | Tensor, optional): divisor for ``'mean'``.

        Returns:
            Tensor: scalar loss ((N,) for ``reduction='none'``).
        """
        phi, has_valid = soft_dice(mu, target, ignore_index, self.smooth)
        log_sigma = log_sigma.float()
        loss = (1 - phi).abs() * torch.exp(-log_sigma) + log_sigma
        return self.loss_weight * reduce_over_images(
            loss, has_valid, self.reduction, avg_factor)

    @property
    def loss_name(self) -> str:
        """Name of the loss item in the loss dict (mmseg convention)."""
        return self._loss_name

    def extra_repr(self) -> str:
        return f'smooth={self.smooth}, reduction={self.reduction}'
