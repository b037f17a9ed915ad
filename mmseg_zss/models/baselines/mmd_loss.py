"""Kernel maximum mean discrepancy (the GMMN objective of ZS3Net).

Shape key: M generated samples, N real samples, F feature channels,
V kernel bandwidths.

A generative moment-matching network (Li et al. 2015) is trained to make the
distribution of its samples indistinguishable from the data under a kernel
two-sample statistic. ZS3Net (Bucher et al. 2019, §3.2) uses the biased
estimate of the squared MMD with a sum of Gaussian kernels,

    MMD^2 = sum_v [ mean_{i,i'} k_v(x_i, x_i') + mean_{j,j'} k_v(y_j, y_j')
                    - 2 mean_{i,j} k_v(x_i, y_j) ],
    k_v(a, b) = exp(-||a - b||^2 / (2 v)),

over bandwidths v = 2, 5, 10, 20, 40, 80, and minimises its square root.
Several bandwidths make the statistic sensitive at several distance scales
without tuning one. Written as s^T K s with s = (1/M, ..., -1/N, ...), the
whole statistic is one (M + N)^2 kernel matrix per bandwidth.
"""
from typing import Sequence

import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

# keeps sqrt differentiable where the statistic is (numerically) zero
_EPS = 1e-12


@MODELS.register_module()
class MMDLoss(nn.Module):
    """sqrt(MMD^2) between generated and real samples, Gaussian kernels.

    Args:
        bandwidths (Sequence[float]): kernel parameters v of
            k_v(a, b) = exp(-||a - b||^2 / (2 v)) (v is a variance, in squared
            feature units). Default: ZS3Net's (2, 5, 10, 20, 40, 80).
        squared (bool): return MMD^2 instead of its square root.
            Default: False (ZS3Net minimises the root).
        loss_weight (float): multiplier. Default: 1.0.
        loss_name (str): key in the loss dict; must start with ``loss_``.
    """

    def __init__(self,
                 bandwidths: Sequence[float] = (2, 5, 10, 20, 40, 80),
                 squared: bool = False,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_mmd'):
        super().__init__()
        if not bandwidths or min(bandwidths) <= 0:
            raise ValueError(f'bandwidths must be positive, got {bandwidths}')
        self.bandwidths = tuple(float(v) for v in bandwidths)
        self.squared = squared
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, generated: Tensor, real: Tensor) -> Tensor:
        """Compute the loss.

        Args:
            generated (Tensor): (M, F) samples of the model, M >= 1.
            real (Tensor): (N, F) samples of the data, N >= 1.

        Returns:
            Tensor: scalar.
        """
        # float64: MMD^2 is a difference of near-equal kernel means, and
        # float32 rounding of the distances leaves ~1e-7 where it is 0, which
        # the square root turns into ~3e-4. The matrices are small.
        x = torch.cat([generated, real]).double()  # (M + N, F)
        sq = (x * x).sum(1)
        dist2 = (sq[:, None] + sq[None] - 2 * x @ x.t()).clamp_min(0)
        s = torch.cat([x.new_full((len(generated), ), 1 / len(generated)),
                       x.new_full((len(real), ), -1 / len(real))])
        weights = s[:, None] * s[None]  # (M + N, M + N)
        mmd2 = sum((weights * torch.exp(dist2 / (-2 * v))).sum()
                   for v in self.bandwidths)
        loss = mmd2 if self.squared else mmd2.clamp_min(_EPS).sqrt()
        return self.loss_weight * loss.to(generated.dtype)

    @property
    def loss_name(self) -> str:
        """Name of the loss item in the loss dict (mmseg convention)."""
        return self._loss_name

    def extra_repr(self) -> str:
        return f'bandwidths={self.bandwidths}, squared={self.squared}'
