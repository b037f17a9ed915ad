"""Exact t-SNE (van der Maaten & Hinton, 2008) in numpy, for Fig. 4(b).

Shape key: N samples, F feature dimension, E output dimension (2).

Why not scikit-learn: it would add scikit-learn and scipy (tens of MB) to the
install for one figure. Fig. 4(b) embeds a few hundred to a few thousand
image-level samples, a size at which the exact O(N^2) algorithm is quick in
numpy. The algorithm is scikit-learn's ``TSNE(method='exact', init='pca')``:
perplexity-calibrated Gaussian affinities, Student-t similarities in the
output, gradient descent with momentum and per-parameter gains, early
exaggeration for the first 250 iterations. Everything is deterministic
(PCA initialisation, no random numbers).
"""
import sys

import numpy as np
from mmengine.utils import ProgressBar

from ..errors import ConfigError

MACHINE_EPSILON = np.finfo(np.double).eps
EXPLORATION_ITERS = 250  # iterations with early exaggeration, momentum 0.5


def squared_distances(x: np.ndarray) -> np.ndarray:
    """(N, F) -> (N, N) squared Euclidean distances (diagonal 0)."""
    sq = np.sum(x * x, axis=1)
    dist = sq[:, None] + sq[None, :] - 2 * x @ x.T
    np.fill_diagonal(dist, 0)
    return np.maximum(dist, 0)


def conditional_probabilities(dist: np.ndarray, perplexity: float,
                              tol: float = 1e-5,
                              max_iter: int = 200) -> np.ndarray:
    """Row-wise p_{j|i} = exp(-beta_i d_ij) / sum_k exp(-beta_i d_ik).

    Each beta_i (= 1 / 2 sigma_i^2) is found by bisection so that the
    entropy of row i is log(perplexity) nats, all rows at once.

    Args:
        dist (np.ndarray): (N, N) squared distances.
        perplexity (float): the effective number of neighbours, < N.

    Returns:
        np.ndarray: (N, N) rows summing to 1, zero diagonal.
    """
    n = dist.shape[0]
    off = ~np.eye(n, dtype=bool)
    # shifting a row by its smallest distance keeps p and its entropy, and
    # keeps exp() from underflowing for far-apart samples
    d = dist - np.where(off, dist, np.inf).min(axis=1, keepdims=True)
    target = np.log(perplexity)
    beta = np.ones((n, 1))
    lo, hi = np.full((n, 1), -np.inf), np.full((n, 1), np.inf)
    for _ in range(max_iter):
        p = np.exp(-d * beta) * off
        total = np.maximum(p.sum(axis=1, keepdims=True), MACHINE_EPSILON)
        entropy = np.log(total) + beta * (d * p).sum(1, keepdims=True) / total
        diff = entropy - target
        if np.all(np.abs(diff) < tol):
            break
        # entropy too high: sharpen (larger beta); too low: widen
        up = diff > 0
        lo = np.where(up, beta, lo)
        hi = np.where(up, hi, beta)
        beta = np.where(up, np.where(np.isinf(hi), beta * 2, (beta + hi) / 2),
                        np.where(np.isinf(lo), beta / 2, (beta + lo) / 2))
    return p / total


def joint_probabilities(x: np.ndarray, perplexity: float) -> np.ndarray:
    """Symmetric P: (p_{j|i} + p_{i|j}) / 2N, floored at machine epsilon."""
    cond = conditional_probabilities(squared_distances(x), perplexity)
    p = cond + cond.T
    return np.maximum(p / p.sum(), MACHINE_EPSILON)


def student_t(y: np.ndarray):
    """(N, N) kernel (1 + |y_i - y_j|^2)^-1 with zero diagonal, and Q."""
    num = 1 / (1 + squared_distances(y))
    np.fill_diagonal(num, 0)
    return num, np.maximum(num / num.sum(), MACHINE_EPSILON)


def kl_divergence(y: np.ndarray, p: np.ndarray) -> float:
    """KL(P || Q) of the points ``y`` (N, E)."""
    return float(np.sum(p * np.log(p / student_t(y)[1])))


def kl_gradient(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Gradient of KL(P || Q) with respect to the (N, E) points ``y``:
    4 sum_j (p_ij - q_ij) (1 + |y_i - y_j|^2)^-1 (y_i - y_j)."""
    num, q = student_t(y)
    weights = (p - q) * num
    return 4 * (weights.sum(axis=1, keepdims=True) * y - weights @ y)


def pca_init(x: np.ndarray, dim: int) -> np.ndarray:
    """The first ``dim`` principal components, scaled to std 1e-4 (as
    scikit-learn), each signed so its largest entry is positive."""
    centred = x - x.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    y = u[:, :dim] * s[:dim]
    signs = np.sign(y[np.abs(y).argmax(axis=0), range(y.shape[1])])
    y = y * np.where(signs == 0, 1, signs)
    scale = np.std(y[:, 0])
    return y / scale * 1e-4 if scale > 0 else y


def tsne(x: np.ndarray,
         dim: int = 2,
         perplexity: float = 30.0,
         n_iter: int = 1000,
         learning_rate='auto',
         early_exaggeration: float = 12.0,
         min_gain: float = 0.01,
         progress: bool = False):
    """Embed (N, F) samples in ``dim`` dimensions.

    Args:
        x (np.ndarray): (N, F) features, N >= 4.
        dim (int): E, output dimension. Default 2.
        perplexity (float): effective number of neighbours; lowered to
            (N - 1) / 3 when N is small (as scikit-learn requires
            perplexity < N). Default 30.
        n_iter (int): gradient steps (>= 250). Default 1000.
        learning_rate (float | 'auto'): 'auto' is max(N / 12 / 4, 50).
        early_exaggeration (float): P is multiplied by it for the first 250
            steps. Default 12.
        min_gain (float): lower bound of the per-parameter gains.
        progress (bool): show a progress bar over the iterations (stderr).

    Returns:
        tuple: ``(y, kl)``: (N, E) float64 points and the final KL(P || Q).
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    if x.ndim != 2 or n < 4 or not np.isfinite(x).all():
        raise ConfigError(f't-SNE needs a finite (N, F) array with N >= 4, '
                          f'got shape {x.shape}')
    perplexity = min(perplexity, (n - 1) / 3)
    lr = max(n / early_exaggeration / 4, 50) if learning_rate == 'auto' \
        else float(learning_rate)
    p = joint_probabilities(x, perplexity)
    y = pca_init(x, dim)
    update, gains = np.zeros_like(y), np.ones_like(y)
    exaggerated = p * early_exaggeration
    n_iter = max(n_iter, EXPLORATION_ITERS)
    bar = ProgressBar(n_iter, file=sys.stderr) if progress else None
    for it in range(n_iter):
        exploring = it < EXPLORATION_ITERS
        grad = kl_gradient(y, exaggerated if exploring else p)
        # gains grow where the gradient keeps its sign (delta-bar-delta)
        same = update * grad < 0
        gains = np.maximum(np.where(same, gains + 0.2, gains * 0.8),
                           min_gain)
        update = (0.5 if exploring else 0.8) * update - lr * gains * grad
        y = y + update
        if bar is not None:
            bar.update()
    if bar is not None:
        sys.stderr.write('\n')
    return y, kl_divergence(y, p)
