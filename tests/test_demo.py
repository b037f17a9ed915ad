"""tools/demo.py: masks and uncertainty maps for any class name.

The checkpoint is the main job after 3 iterations of tools/train.py
(tests/fixture_apis.py); the demo runs in-process through its ``main``
(``python tools/demo.py`` calls the same function).
"""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import glob
import os
import os.path as osp

import cv2
import pytest
import torch
from fixture_apis import (  # noqa: F401  (autouse fixture)
    load_tool,
    single_torch_thread,
    tiny_checkpoint,
    write_image,
)
from fixture_shapes import REPO

from mmseg_zss.apis import init_segmentor, segment
from mmseg_zss.apis.drawing import heatmap

NAMES = ['red circle', 'giraffe', 'potted plant']
FILES = ['red_circle', 'giraffe', 'potted_plant']


@pytest.fixture(scope='module')
def demo():
    return load_tool('demo')


@pytest.fixture(scope='module')
def image(tmp_path_factory):
    return write_image(tmp_path_factory.mktemp('img') / 'scene.png')


def read_rgb(path):
    img = cv2.imread(path)
    assert img is not None, path
    return img[..., ::-1]


def test_demo_writes_overlays_and_sigma_p_maps_of_the_image_size(
        demo, image, tmp_path, capsys):
    config, checkpoint, _ = tiny_checkpoint()
    out = tmp_path / 'out'
    written = demo.main([image, config, checkpoint, '--classes', *NAMES,
                         '--out-dir', str(out), '--device', 'cpu'])
    assert len(written) == 6 and sorted(os.listdir(out)) == sorted(
        [f'scene_{f}.png' for f in FILES]
        + [f'scene_{f}_sigma_p.png' for f in FILES])
    expected = segment(init_segmentor(config, checkpoint, device='cpu'),
                       image, NAMES)
    lo, hi = expected.sigma_p.min(), expected.sigma_p.max()
    for k, name in enumerate(FILES):
        assert read_rgb(str(out / f'scene_{name}.png')).shape == (40, 72, 3)
        heat = read_rgb(str(out / f'scene_{name}_sigma_p.png'))
        # the heat map is sigma_p pixel for pixel; the colour bar is beside
        assert heat.shape[0] == 40 and heat.shape[1] > 72
        assert (heat[:, :72] == heatmap(expected.sigma_p[k], lo, hi)).all()
    printed = capsys.readouterr().out
    assert 'scene.png (72x40)' in printed
    for k, name in enumerate(NAMES):
        line = next(li for li in printed.splitlines()
                    if li.strip().startswith(name))
        assert f'{expected.sigma_i[k]:.4g}' in line
    assert 'seen class' in printed and 'new word' in printed


def test_demo_on_a_folder_with_a_progress_bar(demo, tmp_path, capsys):
    config, checkpoint, _ = tiny_checkpoint()
    folder = tmp_path / 'images'
    folder.mkdir()
    write_image(folder / 'a.png', 32, 48, seed=1)
    write_image(folder / 'b.jpg', 50, 30, seed=2)
    (folder / 'notes.txt').write_text('not an image')
    demo.main([str(folder), config, checkpoint, '--classes', 'blue ring',
               '--out-dir', str(tmp_path / 'out'), '--device', 'cpu'])
    assert read_rgb(str(tmp_path / 'out' / 'a_blue_ring.png')).shape == (
        32, 48, 3)
    assert read_rgb(str(tmp_path / 'out' / 'b_blue_ring_sigma_p.png')
                    ).shape[0] == 50
    assert '2/2' in capsys.readouterr().err


def test_model_without_variance_branches_writes_masks_and_says_why(
        demo, image, tmp_path, capsys):
    config = glob.glob(osp.join(REPO, 'configs', 'zss_shapes',
                                '*bce-only*shapes-64x64.py'))[0]
    model = init_segmentor(config, None, device='cpu')
    checkpoint = tmp_path / 'bce_only.pth'
    torch.save({'state_dict': model.state_dict()}, checkpoint)
    demo.main([image, config, str(checkpoint), '--classes', 'giraffe',
               '--out-dir', str(tmp_path / 'out'), '--device', 'cpu'])
    assert os.listdir(tmp_path / 'out') == ['scene_giraffe.png']
    printed = capsys.readouterr().out
    assert 'no sigma_p: the model has no pixel-variance branch' in printed
    assert 'no sigma_i' in printed


def test_unknown_word_fails_in_one_line_naming_it(demo, image, tmp_path,
                                                  capsys):
    """Through the tool's error path (run_tool): exit 2, one stderr line
    naming the word and the closest vocabulary words, nothing written."""
    config, checkpoint, _ = tiny_checkpoint()
    with pytest.raises(SystemExit) as exit_:
        demo.main([image, config, checkpoint, '--classes', 'sofa', 'sofaa',
                   '--out-dir', str(tmp_path / 'out')])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith('error: ')
    assert "'sofaa'" in err[0] and 'sofa' in err[0].split('closest: ')[1]
    assert not (tmp_path / 'out').exists()  # failed before writing anything


def test_missing_image_is_a_one_line_error(demo, tmp_path, capsys):
    config, checkpoint, _ = tiny_checkpoint()
    with pytest.raises(SystemExit) as exit_:
        demo.main([str(tmp_path / 'nope.png'), config, checkpoint,
                   '--classes', 'giraffe'])
    assert exit_.value.code == 2
    assert 'nope.png does not exist' in capsys.readouterr().err
    (tmp_path / 'empty').mkdir()
    with pytest.raises(SystemExit):
        demo.main([str(tmp_path / 'empty'), config, checkpoint,
                   '--classes', 'giraffe'])
    assert 'no images' in capsys.readouterr().err
