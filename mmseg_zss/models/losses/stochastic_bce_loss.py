"""Stochastic binary cross entropy (paper §3.3, Eq. 4-5).

Shape key: N images, H x W label resolution, S Monte-Carlo samples.

The pixel logit is Gaussian, x ~ N(mu, sigma^2) with sigma = exp(s / 2) and
s = log sigma^2 predicted by the network (Eq. 4); the loss is the BCE of Eq. 3
averaged over S reparameterised samples x_k = mu + sigma * eps_k (Eq. 5). A
pixel the network finds noisy can raise sigma and so attenuate its loss.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .utils import split_target


def _standard_normal(like: Tensor) -> Tensor:
    """eps ~ N(0, 1) shaped like ``like`` (a seam for tests to fix eps)."""
    return torch.randn_like(like)


class _StochasticBCE(torch.autograd.Function):
    """Sum over samples and pixels of w * BCE(mu + sigma * eps, z), divided by S.

    The gradients are accumulated sample by sample inside ``forward`` instead
    of letting autograd save S copies of eps and x: memory stays O(N H W)
    whatever S is, which keeps U-Loss as cheap as plain BCE (the S x N x H x W
    tensors of the naive version cost more than the rest of the head).
    Reparameterisation: dx/dmu = 1, dx/ds = eps * sigma / 2; dBCE/dx =
    sigmoid(x) - z.
    """

    @staticmethod
    def forward(ctx, mu, log_var, z, weight, num_samples):
        sigma = torch.exp(0.5 * log_var)
        need_grad = ctx.needs_input_grad[0] or ctx.needs_input_grad[1]
        total = mu.new_zeros(())
        grad_mu = torch.zeros_like(mu) if need_grad else None
        grad_eps = torch.zeros_like(mu) if need_grad else None
        for _ in range(num_samples):
            eps = _standard_normal(mu)
            x = torch.addcmul(mu, sigma, eps)
            # log-sum-exp form of Eq. 3: finite for any logit
            total += F.binary_cross_entropy_with_logits(
                x, z, weight=weight, reduction='sum')
            if need_grad:
                dx = torch.sigmoid(x).sub_(z)
                grad_mu += dx
                grad_eps.addcmul_(dx, eps)
        if need_grad:
            scale = weight / num_samples
            ctx.save_for_backward(grad_mu.mul_(scale),
                                  grad_eps.mul_(scale).mul_(0.5 * sigma))
        return total / num_samples

    @staticmethod
    def backward(ctx, grad_out):
        grad_mu, grad_log_var = ctx.saved_tensors
        return grad_out * grad_mu, grad_out * grad_log_var, None, None, None


@MODELS.register_module()
class StochasticBCELoss(nn.Module):
    """Stochastic BCE of a Gaussian pixel logit, Eq. 5 of the paper.

    Args:
        num_samples (int): Monte-Carlo samples N of Eq. 5 per pixel. The paper
            does not give it; 8 keeps the gradient noise well below the
            minibatch noise. Default: 8.
        reduction (str): ``'mean'`` over samples and valid pixels of the whole
            batch (as mmseg's ``avg_non_ignore=True`` BCE) or ``'sum'`` over
            valid pixels (averaged over samples). Default: ``'mean'``.
        loss_weight (float): multiplier; lambda of Eq. 2 (0.05 in the paper).
        loss_name (str): key in the loss dict; must start with ``loss_``.
    """

    #: head outputs consumed, in the order of ``forward``'s arguments
    head_outputs = ('mu', 'log_var')

    def __init__(self,
                 num_samples: int = 8,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_stochastic_bce'):
        super().__init__()
        if num_samples < 1:
            raise ValueError(f'num_samples must be >= 1, got {num_samples}')
        if reduction not in ('mean', 'sum'):
            raise ValueError(
                f"reduction must be 'mean' or 'sum', got {reduction!r}")
        self.num_samples = num_samples
        self.reduction = reduction
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, mu: Tensor, log_var: Tensor, target: Tensor,
                ignore_index: int = 255, avg_factor=None, **kwargs) -> Tensor:
        """Compute the loss.

        Args:
            mu (Tensor): (N, H, W) mean pixel logits mu_p.
            log_var (Tensor): (N, H, W) s_p = log sigma_p^2.
            target (Tensor): (N, H, W) mask in {0, 1, ignore_index}.
            ignore_index (int): pixels with this label count nowhere.
            avg_factor (float | Tensor, optional): divisor for ``'mean'``
                instead of the number of valid pixels.

        Returns:
            Tensor: scalar loss.
        """
        z, valid = split_target(target, ignore_index)
        total = _StochasticBCE.apply(mu.float(), log_var.float(), z, valid,
                                     self.num_samples)
        if self.reduction == 'mean':
            # all-ignored batch: 0 / 1 = 0, not 0 / 0
            total = total / (valid.sum().clamp_min(1)
                             if avg_factor is None else avg_factor)
        return self.loss_weight * total

    @property
    def loss_name(self) -> str:
        """Name of the loss item in the loss dict (mmseg convention)."""
        return self._loss_name

    def extra_repr(self) -> str:
        return f'num_samples={self.num_samples}, reduction={self.reduction}'
