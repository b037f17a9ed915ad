"""The main job's config end to end on a tiny ZSS-Shapes, and every
ZSS-Shapes config builds the model its name promises."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import glob
import os.path as osp
import re
import subprocess
import sys

import pytest
from fixture_shapes import MAIN_CONFIG, REPO, tiny_training_options
from mmengine.config import Config

CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'zss_shapes', '*.py')))
ROW_LOSSES = {
    'bce-only': ['CrossEntropyLoss'],
    'baseline': ['DiceL1Loss', 'CrossEntropyLoss'],
    'sbce': ['DiceL1Loss', 'StochasticBCELoss'],
    'bdice': ['BayesianDiceLoss', 'CrossEntropyLoss'],
    'uloss': ['BayesianDiceLoss', 'StochasticBCELoss'],
}


def test_main_job_trains_validates_and_saves_a_checkpoint(tmp_path):
    """``tools/train.py`` on the main config, 2 iterations, data generated on
    first use into a fresh folder; prints the zero-shot and Blank scores."""
    work, data = tmp_path / 'work', tmp_path / 'data' / 'shapes'
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'train.py'), MAIN_CONFIG,
         '--cfg-options', *tiny_training_options(data, work)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert osp.isfile(work / 'iter_2.pth')
    assert sorted(p.name for p in (data / 'img_dir').iterdir()) == [
        'train', 'val']
    final = [line for line in out.splitlines() if 'Iter(val) [2/2]' in line]
    assert final, out[-3000:]
    final = final[-1:]
    for key in ('mIoU_seen', 'mIoU_unseen', 'hIoU', 'blank.mIoU_unseen',
                'unseen_vs_blank'):
        assert re.search(rf' {re.escape(key)}: [\d.na]+', final[0]), key


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_matches_its_name(path):
    cfg = Config.fromfile(path)
    name = osp.basename(path)
    row = name.split('_')[2]
    head = cfg.model.decode_head
    assert [loss['type'] for loss in head.loss_decode] == ROW_LOSSES[row]
    noisy = '-noisy-' in name
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        assert loader.dataset.data_root == (
            'data/zss_shapes_noisy' if noisy else 'data/zss_shapes')
        assert any(loader.dataset.generate.noise.values()) == noisy
    assert cfg.train_dataloader.batch_size == 16  # '1xb16'
    assert cfg.train_cfg.max_iters == 1000  # '1k'
    assert cfg.model.pretrained is None and cfg.model.backbone.depth == 18
    assert cfg.model.backbone.frozen_stages == -1  # trained from scratch
    assert head.num_classes == 31 and head.class_embeddings == \
        'glove50/zss_shapes'
