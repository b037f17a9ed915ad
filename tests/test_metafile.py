"""The model zoo: model-index.yml + metafiles in mmseg's format, and
tools/publish_model.py, which makes the files the entries point to.

No entry may carry a metric that was not measured: an entry with Results
must point to published weights and a training log, and each of its numbers
must appear in docs/benchmark.md (where measured numbers are reported with
the command that produced them).
"""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import glob
import json
import os.path as osp
import re

import numpy as np
import pytest
import torch
import yaml
from fixture_apis import (  # noqa: F401  (autouse fixture)
    load_tool,
    single_torch_thread,
    tiny_checkpoint,
    write_image,
)
from fixture_shapes import REPO
from mmengine.config import Config

from mmseg_zss.apis import init_segmentor, segment

INDEX = osp.join(REPO, 'model-index.yml')
#: config folders whose every top-level config needs a model-zoo entry
COVERED = ('configs/zss', 'configs/zss_shapes')
REQUIRED = ('Name', 'In Collection', 'Config', 'Metadata', 'Paper', 'Code',
            'Framework')


def metafiles():
    with open(INDEX, encoding='utf-8') as f:
        return yaml.safe_load(f)['Import']


def entries():
    for path in metafiles():
        with open(osp.join(REPO, path), encoding='utf-8') as f:
            meta = yaml.safe_load(f)
        for model in meta['Models']:
            yield path, meta, model


def test_index_imports_the_metafiles_of_the_covered_folders():
    assert sorted(metafiles()) == sorted(f'{d}/metafile.yaml' for d in COVERED)
    for path in metafiles():
        assert osp.isfile(osp.join(REPO, path)), path


@pytest.mark.parametrize('folder', COVERED)
def test_every_config_has_an_entry(folder):
    configs = {osp.relpath(p, REPO) for p in glob.glob(
        osp.join(REPO, folder, '*.py'))}
    listed = {m['Config'] for path, _, m in entries()
              if path.startswith(folder + '/')}
    assert configs == listed


def test_entries_parse_and_every_config_path_exists():
    names = []
    for _, meta, model in entries():
        missing = [k for k in REQUIRED if k not in model]
        assert not missing, (model.get('Name'), missing)
        assert model['In Collection'] in [c['Name'] for c in
                                          meta['Collections']]
        assert osp.isfile(osp.join(REPO, model['Config'])), model['Config']
        assert osp.isfile(osp.join(REPO, model['Code'])), model['Code']
        assert model['Name'] == osp.splitext(osp.basename(
            model['Config']))[0]
        names.append(model['Name'])
    assert len(names) == len(set(names)) and names


def test_metadata_matches_the_configs():
    """Batch size, iterations and crop of one config per metafile (configs
    of a folder share their schedule bases; loading each takes ~1 s), and
    the label quality of every entry (from its name)."""
    checked = set()
    for path, _, model in entries():
        noisy = '-noisy-' in model['Name']
        assert ('noisy' in model['Metadata']['Training Data']) == noisy
        if path in checked:
            continue
        checked.add(path)
        cfg = Config.fromfile(osp.join(REPO, model['Config']))
        meta = model['Metadata']
        assert meta['Batch Size'] == cfg.train_dataloader.batch_size
        assert meta['Iterations'] == cfg.train_cfg.max_iters
        assert meta['Crop Size'] == 'x'.join(map(str, cfg.crop_size))
        embeddings = cfg.model.decode_head.class_embeddings
        assert embeddings in meta['Word Embeddings'] or \
            osp.basename(embeddings) in meta['Word Embeddings']


def benchmark_numbers():
    path = osp.join(REPO, 'docs', 'benchmark.md')
    if not osp.isfile(path):
        return set()
    with open(path, encoding='utf-8') as f:
        return set(re.findall(r'\d+\.\d+', f.read()))


def test_no_metric_that_was_not_measured():
    measured = benchmark_numbers()
    for _, _, model in entries():
        status = model['Metadata'].get('Training Status', '')
        if 'Results' not in model:
            assert status, f'{model["Name"]}: no Results and no status'
            continue
        assert model.get('Weights') and model.get('Training log'), (
            f'{model["Name"]} has Results but no published weights / log')
        results = model['Results']
        for result in results if isinstance(results, list) else [results]:
            for key, value in result['Metrics'].items():
                assert f'{value:.2f}' in measured or str(value) in measured, (
                    f'{model["Name"]}: {key} = {value} is not in '
                    'docs/benchmark.md')


def test_untrained_paper_configs_say_so_and_point_to_nothing():
    for path, _, model in entries():
        if path.startswith('configs/zss/'):
            assert 'not trained' in model['Metadata']['Training Status']
            assert not {'Weights', 'Training log', 'Results'} & set(model)


def test_shapes_entries_point_to_published_files():
    for path, _, model in entries():
        if path.startswith('configs/zss_shapes/'):
            assert model['Weights'] == \
                f'checkpoints/zss_shapes/{model["Name"]}.pth'
            assert model['Training log'] == \
                f'checkpoints/zss_shapes/{model["Name"]}.log.json'


def test_publish_model_writes_safe_weights_and_the_training_log(tmp_path):
    config, checkpoint, _ = tiny_checkpoint()
    out = tmp_path / 'zoo'
    written = load_tool('publish_model').main([osp.dirname(checkpoint),
                                               str(out)])
    name = osp.splitext(osp.basename(config))[0]
    assert sorted(osp.basename(p) for p in written) == sorted(
        [f'{name}.pth', f'{name}.log.json', f'{name}.log'])
    published = torch.load(out / f'{name}.pth', weights_only=True)
    assert set(published) == {'meta', 'state_dict'}
    assert published['meta']['iter'] == 3
    assert 'unseen_classes' in published['meta']['dataset_meta']
    with open(out / f'{name}.log.json', encoding='utf-8') as f:
        steps = [json.loads(line) for line in f if line.strip()]
    assert any(s.get('iter') == 3 and 'loss' in s for s in steps)
    # the published file gives the same predictions as the training one
    image = write_image(tmp_path / 'scene.png')
    before = segment(init_segmentor(config, checkpoint, device='cpu'), image,
                     ['red circle', 'giraffe'])
    after = segment(init_segmentor(config, str(out / f'{name}.pth'),
                                   device='cpu'), image,
                    ['red circle', 'giraffe'])
    np.testing.assert_array_equal(before.logits, after.logits)


def test_model_zoo_page_lists_every_entry():
    with open(osp.join(REPO, 'docs', 'model_zoo.md'), encoding='utf-8') as f:
        page = f.read()
    missing = [m['Config'] for _, _, m in entries()
               if f'(../{m["Config"]})' not in page]
    assert not missing
