"""Uncertainty figures (Fig. 4 a/b), t-SNE, drawing helpers, and
tools/test.py --show-dir through mmseg's SegLocalVisualizer."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from fixture_apis import (  # noqa: F401  (autouse fixture)
    NUM_VAL,
    data_cfg,
    data_options,
    load_tool,
    single_torch_thread,
    tiny_checkpoint,
)
from matplotlib import colormaps

from mmseg_zss.apis import drawing, init_segmentor, segment
from mmseg_zss.apis.tsne import (
    conditional_probabilities,
    joint_probabilities,
    squared_distances,
    tsne,
)
from mmseg_zss.errors import ConfigError


def read_rgb(path):
    img = cv2.imread(str(path))
    assert img is not None, path
    return img[..., ::-1]


def assert_non_empty_png(path):
    assert osp.getsize(path) > 0
    img = read_rgb(path)
    assert img.shape[0] > 0 and img.shape[1] > 0 and img.std() > 0
    return img


# ------------------------------------------------------------------ tools
def test_visualize_uncertainty_writes_fig4a_pages(tmp_path, capsys):
    config, checkpoint, data = tiny_checkpoint()
    out = tmp_path / 'fig4a'
    written = load_tool('visualize_uncertainty').main([
        config, checkpoint, '--group', 'all', '--num-samples', '5',
        '--rows', '3', '--out-dir', str(out), '--device', 'cpu',
        '--cfg-options', *data_options(data)])
    assert [osp.basename(p) for p in written] == [
        'uncertainty_000.png', 'uncertainty_001.png']
    first, second = (assert_non_empty_png(p) for p in written)
    assert first.shape[0] > second.shape[0]  # 3 rows, then 2
    lines = [li for li in capsys.readouterr().out.splitlines()
             if 'mean sigma_p' in li]
    assert len(lines) == 5 and all(' IoU ' in li and 'sigma_i' in li
                                   for li in lines)


def test_tsne_tool_embeds_at_least_50_samples(tmp_path):
    config, checkpoint, data = tiny_checkpoint()
    out = tmp_path / 'fig4b'
    png, js = load_tool('tsne_uncertainty').main([
        config, checkpoint, '--split', 'train', '--iters', '250',
        '--out-dir', str(out), '--device', 'cpu',
        '--cfg-options', *data_options(data)])
    assert_non_empty_png(png)
    records = json.loads(open(js).read())
    assert len(records) >= 50
    assert {r['group'] for r in records} <= {'seen', 'unseen'}
    points = np.array([[r['x'], r['y']] for r in records])
    sigma = np.array([r['sigma_i'] for r in records])
    assert np.isfinite(points).all() and (sigma > 0).all()
    assert np.ptp(points, axis=0).min() > 0
    # sigma_i is the model's, as segment() reports it for the same pair
    model = init_segmentor(config, checkpoint, device='cpu',
                           cfg_options=data_cfg(data))
    first = records[0]
    assert segment(model, first['img_path'], [first['name']]).sigma_i[0] \
        == pytest.approx(first['sigma_i'], rel=1e-5)


def test_test_tool_show_dir_draws_every_test_image(tmp_path):
    """tools/test.py --show-dir on the zero-shot dataset: one picture per
    test image (ground truth | prediction), class names and palette from
    the dataset's metainfo."""
    config, checkpoint, data = tiny_checkpoint()
    show = tmp_path / 'show'
    load_tool('test').main([
        config, checkpoint, '--work-dir', str(tmp_path / 'work'),
        '--show-dir', str(show), '--cfg-options', *data_options(data),
        'visualizer.name=zss_show_dir_test', 'custom_hooks.0.num_threads=1'])
    pictures = sorted((show / 'vis_data' / 'vis_image').iterdir())
    assert len(pictures) == NUM_VAL
    for path in pictures:
        assert assert_non_empty_png(path).shape == (64, 128, 3)


# ------------------------------------------------------------------ t-SNE
def test_perplexity_calibration_by_hand():
    """Three points at 0, 1, 3 on a line. A row with two neighbours and
    probabilities (0.8, 0.2) has entropy H = -(0.8 ln 0.8 + 0.2 ln 0.2), so
    with perplexity exp(H) every row must put 0.8 on its nearest neighbour
    and 0.2 on the other; with perplexity ~1 all mass goes to the nearest."""
    x = np.array([[0.], [1.], [3.]])
    perplexity = np.exp(-(0.8 * np.log(0.8) + 0.2 * np.log(0.2)))
    p = conditional_probabilities(squared_distances(x), perplexity)
    np.testing.assert_allclose(p, [[0, .8, .2], [.8, 0, .2], [.2, .8, 0]],
                               atol=1e-4)
    p = conditional_probabilities(squared_distances(x), 1.001)
    assert p[0, 1] > 0.99 and p[2, 1] > 0.99 and p[1, 0] > 0.99


def test_perplexity_is_met_on_every_row():
    x = np.random.default_rng(0).normal(size=(40, 5))
    p = conditional_probabilities(squared_distances(x), 10.0)
    entropy = -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0),
                      axis=1)
    np.testing.assert_allclose(np.exp(entropy), 10.0, rtol=1e-3)
    np.testing.assert_allclose(p.sum(axis=1), 1)
    joint = joint_probabilities(x, 10.0)
    np.testing.assert_allclose(joint, joint.T)
    assert joint.sum() == pytest.approx(1, abs=1e-9)


def test_tsne_keeps_clusters_apart_and_is_deterministic():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(c, 1, (20, 10)) for c in (0, 8, 16)])
    labels = np.repeat([0, 1, 2], 20)
    y, kl = tsne(x, n_iter=500)
    dist = squared_distances(y)
    np.fill_diagonal(dist, np.inf)
    assert (labels[dist.argmin(axis=1)] == labels).all()
    assert kl < 0.1
    np.testing.assert_array_equal(tsne(x, n_iter=500)[0], y)
    with pytest.raises(ConfigError):
        tsne(x[:3])


# ---------------------------------------------------------------- drawing
def test_heatmap_is_the_colormap_pixel_for_pixel():
    values = np.array([[0., 1.], [2., 4.]])
    expected = (colormaps['viridis'](values / 4)[..., :3] * 255).round()
    assert (drawing.heatmap(values, 0, 4) == expected).all()
    with_bar = drawing.heatmap_with_colorbar(values.repeat(20, 0).repeat(
        20, 1))
    assert with_bar.shape[0] == 40 and with_bar.shape[1] > 40


def test_mask_overlay_blends_the_class_colour_inside_the_mask():
    image = np.full((50, 60, 3), 100, np.uint8)
    mask = np.zeros((50, 60), bool)
    mask[10:30, 5:25] = True
    out = drawing.mask_overlay(image, mask, 'giraffe', (200, 0, 40), 0.5,
                               with_label=False)
    # SegLocalVisualizer: image * (1 - alpha) + colour * alpha
    assert (out[mask] == [150, 50, 70]).all()
    assert (out[~mask] == 50).all()


def test_write_png_is_atomic_and_slugs_are_file_names(tmp_path):
    path = drawing.write_png(str(tmp_path / 'a' / 'x.png'),
                             np.zeros((4, 5, 3), np.uint8))
    assert read_rgb(path).shape == (4, 5, 3)
    assert os.listdir(tmp_path / 'a') == ['x.png']
    assert drawing.slug('potted plant') == 'potted_plant'
    assert drawing.slug('tv/monitor') == 'tv_monitor'
