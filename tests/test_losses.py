"""Zero-shot losses: hand-computed values, ignore_index, quadrature, stability.

The 2x2 example used throughout (one image, ``I`` = ignored):

    mu     = [[0, ln 3], [-ln 3, 5]]   ->  p = sigmoid(mu) = [[.5, .75], [.25, *]]
    target = [[1, 0],    [1,     I]]

BCE per valid pixel: ln 2, ln 4, ln 4 -> mean 5 ln 2 / 3.
Soft dice (smooth 0): 2 sum(p g) = 2 (.5 + .25) = 1.5,
sum(p^2 + g^2) = .25 + .5625 + .0625 + 2 = 2.875 -> phi = 1.5 / 2.875.
"""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import math

import numpy as np
import pytest
import torch
from mmseg.registry import MODELS

from mmseg_zss.models.losses import (
    BayesianDiceLoss,
    DiceL1Loss,
    StochasticBCELoss,
    stochastic_bce_loss,
)

LN3 = math.log(3)
PHI = 1.5 / 2.875  # soft dice of the example, smooth = 0
PHI_SMOOTH = 2.5 / 3.875  # smooth = 1


def example(requires_grad=True):
    mu = torch.tensor([[[0.0, LN3], [-LN3, 5.0]]], requires_grad=requires_grad)
    target = torch.tensor([[[1, 0], [1, 255]]])
    return mu, target


def plain_bce(**kwargs):
    return MODELS.build(dict(type='CrossEntropyLoss', use_sigmoid=True,
                             avg_non_ignore=True, **kwargs))


# --------------------------------------------------------------- plain BCE
def test_mmseg_sigmoid_bce_hand_computed_and_ignores_255():
    """mmseg's CrossEntropyLoss(use_sigmoid, avg_non_ignore) on (N, H, W)."""
    mu, target = example()
    loss = plain_bce(loss_weight=0.05)(mu, target, ignore_index=255)
    assert loss.item() == pytest.approx(0.05 * 5 * math.log(2) / 3, rel=1e-6)
    loss.backward()
    # d/dmu of the mean: (p - z) / 3 at valid pixels, 0 at the ignored one
    expected = torch.tensor([[[-0.5, 0.75], [-0.75, 0.0]]]) * 0.05 / 3
    torch.testing.assert_close(mu.grad, expected)


def test_mmseg_sigmoid_bce_all_ignored_is_zero_not_nan():
    mu = torch.full((1, 2, 2), 50.0, requires_grad=True)
    loss = plain_bce()(mu, torch.full((1, 2, 2), 255), ignore_index=255)
    loss.backward()
    assert loss.item() == 0 and torch.all(mu.grad == 0)


# ---------------------------------------------------------- stochastic BCE
@pytest.fixture
def antithetic_noise(monkeypatch):
    """eps = +1 for the first sample, -1 for the second, ..."""
    signs = iter([1.0, -1.0] * 100)
    monkeypatch.setattr(stochastic_bce_loss, '_standard_normal',
                        lambda like: torch.full_like(like, next(signs)))


def test_stochastic_bce_hand_computed(antithetic_noise):
    """mu = 0, sigma = 2 (s = 2 ln 2), eps = +-1: x = +-2.

    Either label: the two BCEs are log(1 + e^-2) and log(1 + e^2), mean
    1.126928. dL/dmu = mean(sigmoid(x) - z) = -1/2 (z = 1) or +1/2 (z = 0).
    dL/ds = mean((sigmoid(x) - z) eps) * sigma / 2
          = (sigmoid(2) - sigmoid(-2)) / 2 * 1 = tanh(1) / 2 for both labels.
    """
    mu = torch.zeros(1, 2, 2, requires_grad=True)
    log_var = torch.full((1, 2, 2), 2 * math.log(2), requires_grad=True)
    target = torch.tensor([[[1, 0], [255, 255]]])
    loss = StochasticBCELoss(num_samples=2, loss_weight=0.5)(
        mu, log_var, target)
    bce_pair = (math.log1p(math.exp(-2)) + math.log1p(math.exp(2))) / 2
    assert loss.item() == pytest.approx(0.5 * bce_pair, rel=1e-6)
    loss.backward()
    half_tanh = math.tanh(1) / 2
    # mean over the 2 valid pixels, times loss_weight 0.5
    torch.testing.assert_close(
        mu.grad, torch.tensor([[[-0.5, 0.5], [0.0, 0.0]]]) * 0.5 / 2)
    torch.testing.assert_close(
        log_var.grad,
        torch.tensor([[[half_tanh, half_tanh], [0.0, 0.0]]]) * 0.5 / 2)


def test_stochastic_bce_without_variance_is_plain_bce():
    mu, target = example()
    log_var = torch.full_like(mu, -40.0)  # sigma = 2e-9
    loss = StochasticBCELoss(num_samples=3)(mu, log_var, target)
    assert loss.item() == pytest.approx(5 * math.log(2) / 3, rel=1e-6)


def test_stochastic_bce_sum_reduction(antithetic_noise):
    mu = torch.zeros(1, 2, 2)
    log_var = torch.full((1, 2, 2), 2 * math.log(2))
    target = torch.tensor([[[1, 0], [255, 0]]])
    loss = StochasticBCELoss(num_samples=2, reduction='sum')(
        mu, log_var, target)
    bce_pair = (math.log1p(math.exp(-2)) + math.log1p(math.exp(2))) / 2
    assert loss.item() == pytest.approx(3 * bce_pair, rel=1e-6)


def gaussian_expected_bce(mu, sigma, z, order=80):
    """E_{x ~ N(mu, sigma^2)} BCE(x, z) by Gauss-Hermite quadrature."""
    nodes, weights = np.polynomial.hermite.hermgauss(order)
    x = mu + math.sqrt(2) * sigma * nodes
    bce = np.logaddexp(0, x) - z * x
    return float(np.sum(weights * bce) / math.sqrt(math.pi))


@pytest.mark.parametrize('mu,sigma,z', [(0.5, 2.0, 1), (0.5, 2.0, 0),
                                        (-1.0, 0.5, 1), (3.0, 4.0, 0)])
def test_stochastic_bce_matches_gaussian_expectation(mu, sigma, z):
    """Eq. 5 with many samples -> the expectation of Eq. 3 under Eq. 4."""
    torch.manual_seed(0)
    shape = (2, 100, 100)  # 20k pixels x 64 samples = 1.3M draws
    loss = StochasticBCELoss(num_samples=64)(
        torch.full(shape, mu), torch.full(shape, 2 * math.log(sigma)),
        torch.full(shape, z))
    expected = gaussian_expected_bce(mu, sigma, z)
    assert loss.item() == pytest.approx(expected, rel=0.01)


def test_stochastic_bce_gradients_equal_autograd_reparameterisation(
        monkeypatch):
    """The fused gradients equal autograd through x = mu + exp(s/2) eps."""
    gen = torch.Generator().manual_seed(0)
    mu = (3 * torch.randn(2, 5, 7, generator=gen)).requires_grad_()
    log_var = torch.randn(2, 5, 7, generator=gen).requires_grad_()
    target = torch.randint(0, 2, (2, 5, 7), generator=gen)
    target[0, 0] = 255
    noise = torch.randn(4, 2, 5, 7, generator=gen)
    draws = iter(noise)
    monkeypatch.setattr(stochastic_bce_loss, '_standard_normal',
                        lambda like: next(draws))
    loss = StochasticBCELoss(num_samples=4, loss_weight=0.05)(
        mu, log_var, target)
    loss.backward()

    mu2 = mu.detach().clone().requires_grad_()
    lv2 = log_var.detach().clone().requires_grad_()
    valid = (target != 255).float()
    x = mu2 + torch.exp(lv2 / 2) * noise
    bce = torch.nn.functional.binary_cross_entropy_with_logits(
        x, (target * (target != 255)).float().expand_as(x), reduction='none')
    ref = 0.05 * (bce * valid).sum() / (4 * valid.sum())
    ref.backward()
    torch.testing.assert_close(loss, ref)
    torch.testing.assert_close(mu.grad, mu2.grad)
    torch.testing.assert_close(log_var.grad, lv2.grad)
    assert log_var.grad.abs().sum() > 0


def test_stochastic_bce_validates_arguments():
    with pytest.raises(ValueError, match='num_samples'):
        StochasticBCELoss(num_samples=0)
    with pytest.raises(ValueError, match='reduction'):
        StochasticBCELoss(reduction='none')


# ------------------------------------------------------------------ dice
def test_dice_l1_hand_computed():
    mu, target = example()
    loss = DiceL1Loss(smooth=0, loss_weight=2.0)(mu, target)
    assert loss.item() == pytest.approx(2 * (1 - PHI), rel=1e-6)
    loss = DiceL1Loss()(mu, target)  # smooth = 1 (mmseg DiceLoss)
    assert loss.item() == pytest.approx(1 - PHI_SMOOTH, rel=1e-6)


def test_dice_l1_gradient_hand_computed():
    """d(1 - phi)/dp_i = -(2 g_i D - 2 p_i N) / D^2, times p_i (1 - p_i)."""
    mu, target = example()
    DiceL1Loss(smooth=0)(mu, target).backward()
    num, den = 1.5, 2.875
    p = torch.tensor([0.5, 0.75, 0.25])
    g = torch.tensor([1.0, 0.0, 1.0])
    dp = -(2 * g * den - 2 * p * num) / den**2
    expected = torch.cat([dp * p * (1 - p), torch.zeros(1)]).view(1, 2, 2)
    torch.testing.assert_close(mu.grad, expected)


def test_bayesian_dice_hand_computed():
    mu, target = example()
    log_sigma = torch.tensor([math.log(2)], requires_grad=True)
    loss = BayesianDiceLoss(smooth=0, loss_weight=1.0)(mu, log_sigma, target)
    assert loss.item() == pytest.approx((1 - PHI) / 2 + math.log(2), rel=1e-6)
    loss.backward()
    # dL/dlog_sigma = 1 - |1 - phi| exp(-log_sigma)
    assert log_sigma.grad.item() == pytest.approx(1 - (1 - PHI) / 2, rel=1e-6)
    assert mu.grad.abs().sum() > 0


def test_dice_losses_average_over_images_with_valid_pixels():
    """An all-ignored image is left out of the mean over images."""
    mu, target = example()
    mu2 = torch.cat([mu.detach(), torch.full((1, 2, 2), 7.0)])
    target2 = torch.cat([target, torch.full((1, 2, 2), 255)])
    log_sigma = torch.tensor([0.0, 3.0], requires_grad=True)
    assert DiceL1Loss(smooth=0)(mu2, target2).item() == pytest.approx(
        1 - PHI, rel=1e-6)
    loss = BayesianDiceLoss(smooth=0)(mu2, log_sigma, target2)
    assert loss.item() == pytest.approx(1 - PHI, rel=1e-6)
    loss.backward()
    assert log_sigma.grad[1].item() == 0
    per_image = DiceL1Loss(smooth=0, reduction='none')(mu2, target2)
    torch.testing.assert_close(per_image, torch.tensor([1 - PHI, 0.0]))
    two = DiceL1Loss(smooth=0, reduction='sum')(torch.cat([mu2, mu2]),
                                                torch.cat([target2, target2]))
    assert two.item() == pytest.approx(2 * (1 - PHI), rel=1e-6)


def test_dice_of_all_background_image():
    """g = 0 everywhere: phi = 0 (smooth 0) or 1 / (sum p^2 + 1)."""
    mu = torch.zeros(1, 2, 2)
    target = torch.zeros(1, 2, 2, dtype=torch.long)
    assert DiceL1Loss(smooth=0)(mu, target).item() == pytest.approx(1.0)
    assert DiceL1Loss(smooth=1)(mu, target).item() == pytest.approx(
        1 - 1 / (4 * 0.25 + 1))


# ----------------------------------------------------------- ignore_index
@pytest.mark.parametrize('make_loss,extra', [
    (lambda: plain_bce(), None),
    (lambda: StochasticBCELoss(num_samples=2), 'log_var'),
    (lambda: DiceL1Loss(), None),
    (lambda: BayesianDiceLoss(), 'log_sigma'),
])
def test_ignored_pixels_count_nowhere(make_loss, extra):
    """Changing mu / s_p at ignored pixels changes neither loss nor gradient,
    and the ignored pixels get no gradient; a custom ignore_index works."""
    gen = torch.Generator().manual_seed(1)
    target = torch.randint(0, 2, (2, 4, 4), generator=gen)
    target[:, 0] = 7
    mu = torch.randn(2, 4, 4, generator=gen)

    def run(mu_value):
        mu_in = mu.clone()
        mu_in[:, 0] = mu_value
        mu_in.requires_grad_()
        args = [mu_in]
        if extra == 'log_var':
            args.append(torch.zeros(2, 4, 4))
        elif extra == 'log_sigma':
            args.append(torch.zeros(2))
        torch.manual_seed(0)
        loss = make_loss()(*args, target, ignore_index=7)
        loss.backward()
        return loss.detach(), mu_in.grad

    loss_a, grad_a = run(-30.0)
    loss_b, grad_b = run(30.0)
    torch.testing.assert_close(loss_a, loss_b)
    torch.testing.assert_close(grad_a, grad_b)
    assert torch.all(grad_a[:, 0] == 0) and grad_a.abs().sum() > 0


# ------------------------------------------------------------- stability
def extreme_inputs():
    """mu over [-50, 50] x s_p over [-20, 20], on one image each way."""
    mu = torch.linspace(-50, 50, 11)
    log_var = torch.linspace(-20, 20, 9)
    mu, log_var = torch.meshgrid(mu, log_var, indexing='ij')
    return mu[None].contiguous(), log_var[None].contiguous()


@pytest.mark.parametrize('label', ['mixed', 'background', 'ignored'])
@pytest.mark.parametrize('smooth', [0.0, 1.0])
def test_no_nan_or_inf_at_extremes(label, smooth):
    mu0, lv0 = extreme_inputs()
    target = {
        'mixed': (torch.arange(mu0.numel()).view_as(mu0) % 2),
        'background': torch.zeros_like(mu0, dtype=torch.long),
        'ignored': torch.full_like(mu0, 255, dtype=torch.long),
    }[label]
    for log_sigma_value in (-10.0, 0.0, 10.0):
        mu = mu0.clone().requires_grad_()
        log_var = lv0.clone().requires_grad_()
        log_sigma = torch.tensor([log_sigma_value], requires_grad=True)
        total = (
            plain_bce()(mu, target, ignore_index=255) +
            StochasticBCELoss(num_samples=4)(mu, log_var, target) +
            DiceL1Loss(smooth=smooth)(mu, target) +
            BayesianDiceLoss(smooth=smooth)(mu, log_sigma, target))
        total.backward()
        assert torch.isfinite(total)
        for grad in (mu.grad, log_var.grad, log_sigma.grad):
            assert torch.all(torch.isfinite(grad))


def test_losses_are_registered_with_names():
    for cfg in (dict(type='StochasticBCELoss', loss_name='loss_pixel'),
                dict(type='BayesianDiceLoss', loss_name='loss_img'),
                dict(type='DiceL1Loss', loss_name='loss_img')):
        assert MODELS.build(cfg).loss_name == cfg['loss_name']
