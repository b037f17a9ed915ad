"""Helpers shared by the zero-shot losses: valid-pixel masks and soft dice.

Shape key: N images, H x W label resolution.
Targets are binary masks in {0, 1, ignore_index} (1 = the target class).
"""
import torch
from mmseg.models.losses.utils import weight_reduce_loss
from torch import Tensor

# Keeps divisions by an empty sum finite (and their gradients free of NaN).
_TINY = 1e-12


def split_target(target: Tensor, ignore_index: int):
    """Split a {0, 1, ignore} mask into a float target and a float valid mask.

    Args:
        target (Tensor): (N, H, W) integer mask.
        ignore_index (int): label of pixels that count nowhere.

    Returns:
        tuple[Tensor, Tensor]: ``(z, valid)``, both (N, H, W) float; ``z`` is
        0 at ignored pixels so that no ignore value (e.g. 255) ever enters
        arithmetic, ``valid`` is 1 at counted pixels and 0 elsewhere.
    """
    valid = (target != ignore_index) & (target >= 0)
    z = torch.where(valid, target, torch.zeros_like(target)).float()
    return z, valid.float()


def soft_dice(mu: Tensor, target: Tensor, ignore_index: int,
              smooth: float = 1.0):
    """Soft dice per image over its valid pixels (paper §3.4, V-Net form).

    phi = (2 sum(p g) + smooth) / (sum(p^2 + g^2) + smooth), p = sigmoid(mu).
    ``smooth`` follows mmseg's ``DiceLoss``; ``smooth=0`` is the paper's exact
    formula.

    Args:
        mu (Tensor): (N, H, W) pixel logits.
        target (Tensor): (N, H, W) mask in {0, 1, ignore_index}.
        ignore_index (int): label of pixels left out of both sums.
        smooth (float): additive smoothing of numerator and denominator.

    Returns:
        tuple[Tensor, Tensor]: ``phi`` (N,) and ``has_valid`` (N,) float, 1 for
        images with at least one valid pixel (the others have no dice).
    """
    z, valid = split_target(target, ignore_index)
    p = torch.sigmoid(mu.float()) * valid
    inter = (p * z).flatten(1).sum(1)
    power = (p * p + z).flatten(1).sum(1)  # g^2 = g for a binary g
    phi = (2 * inter + smooth) / (power + smooth).clamp_min(_TINY)
    has_valid = (valid.flatten(1).sum(1) > 0).float()
    return phi, has_valid


def reduce_over_images(loss: Tensor, has_valid: Tensor, reduction: str,
                       avg_factor=None) -> Tensor:
    """Reduce a per-image loss (N,), leaving out images without valid pixels.

    ``'mean'`` averages over the images that have valid pixels (0 when none
    has), ``'sum'`` adds them, ``'none'`` returns (N,) with zeros for the
    left-out images.
    """
    if reduction == 'mean' and avg_factor is None:
        avg_factor = has_valid.sum()
    return weight_reduce_loss(
        loss, has_valid, reduction=reduction, avg_factor=avg_factor)
