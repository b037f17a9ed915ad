"""mmseg_zss.apis: segment any class name, with the uncertainty maps.

The model is the main job's config trained for 3 iterations by
tools/train.py (tests/fixture_apis.py); the expected values come from
mmseg's own test path (``model.test_step``) and from the head called
directly, not from the code under test.
"""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import glob
import os.path as osp
import types

import mmcv
import numpy as np
import pytest
import torch
from fixture_apis import (  # noqa: F401  (autouse fixture)
    data_cfg,
    single_torch_thread,
    tiny_checkpoint,
    write_image,
)
from fixture_shapes import REPO
from mmengine.config import Config, ConfigDict
from mmengine.dataset import pseudo_collate

from mmseg_zss.apis import (
    NamedSegmentation,
    embed_class_names,
    inference_pipeline,
    init_segmentor,
    segment,
    segment_data,
)
from mmseg_zss.apis.samples import build_split_dataset
from mmseg_zss.embeddings import embed_phrases, load_class_embeddings
from mmseg_zss.errors import CheckpointError, ConfigError, EmbeddingError

BCE_ONLY = glob.glob(osp.join(REPO, 'configs', 'zss_shapes',
                              '*bce-only*shapes-64x64.py'))[0]


@pytest.fixture(scope='module')
def model():
    config, checkpoint, data = tiny_checkpoint()
    return init_segmentor(config, checkpoint, device='cpu',
                          cfg_options=data_cfg(data))


@pytest.fixture(scope='module')
def image(tmp_path_factory):
    return write_image(tmp_path_factory.mktemp('img') / 'scene.png')


def test_segment_returns_masks_and_uncertainty_at_the_image_size(model, image):
    names = ['red circle', 'giraffe', 'potted plant']  # seen, new, phrase
    res = segment(model, image, names)
    assert isinstance(res, NamedSegmentation)
    assert res.class_names == tuple(names)
    for array in (res.logits, res.masks, res.sigma_p):
        assert array.shape == (3, 40, 72)
    assert res.masks.dtype == bool
    np.testing.assert_array_equal(res.masks,
                                  1 / (1 + np.exp(-res.logits)) > 0.5)
    assert (res.sigma_p > 0).all() and np.isfinite(res.sigma_p).all()
    assert res.sigma_i.shape == (3, ) and (res.sigma_i > 0).all()
    one = res['giraffe']
    assert one['mask'].shape == (40, 72) and one['sigma_i'] == pytest.approx(
        float(res.sigma_i[1]))
    with pytest.raises(KeyError, match='zebra'):
        res['zebra']


def test_configured_classes_match_mmseg_test_step(model):
    """For names of the class list, segment's logits are the channels of
    mmseg's own all-class inference; one pass scores every name."""
    dataset = build_split_dataset(model.cfg, 'val')
    item = dataset[0]
    with torch.no_grad():
        expected = model.test_step(pseudo_collate([item]))[0].seg_logits.data
    classes = list(dataset.metainfo['classes'])
    names = ['purple ring', 'red circle', 'blue square']
    got = segment(model, item['data_samples'].img_path, names)
    for k, name in enumerate(names):
        np.testing.assert_allclose(got.logits[k],
                                   expected[classes.index(name)].numpy(),
                                   rtol=1e-4, atol=1e-5)


def test_one_backbone_pass_for_all_names(model, image):
    calls = []
    handle = model.backbone.register_forward_hook(
        lambda *args: calls.append(1))
    try:
        segment(model, image, ['red circle', 'blue ring', 'green cross',
                               'purple square', 'giraffe'])
    finally:
        handle.remove()
    assert len(calls) == 1


def test_sigma_values_are_the_heads_own_outputs(model):
    """sigma_i = exp(log sigma_i) and sigma_p = exp(s_p / 2) of
    ZeroShotHead.forward_all (64x64 input: no resizing involved)."""
    dataset = build_split_dataset(model.cfg, 'val')
    item = dataset[1]
    emb = embed_class_names(model.cfg, ['green cross', 'violin'])
    res = segment_data(model, pseudo_collate([item]),
                       ['green cross', 'violin'], emb)[0]
    with torch.no_grad():
        data = model.data_preprocessor(pseudo_collate([item]), False)
        out = model.decode_head.forward_all(
            model.extract_feat(data['inputs']), torch.from_numpy(emb))
        log_var = torch.nn.functional.interpolate(
            out['log_var'], size=(64, 64), mode='bilinear',
            align_corners=False)[0]
    np.testing.assert_allclose(res.sigma_i, out['log_sigma'][0].exp().numpy(),
                               rtol=1e-5)
    np.testing.assert_allclose(res.sigma_p, (log_var / 2).exp().numpy(),
                               rtol=1e-4)


def test_new_words_are_composed_like_the_shipped_rows(model):
    """A class-list name takes its row; a new word is composed from the
    file's recorded source (GloVe 6B 50-d) with embed_phrases."""
    emb = embed_class_names(model.cfg, ['blue ring', 'giraffe', 'blue ring'])
    rows = load_class_embeddings('glove50/zss_shapes')
    classes = [c for c in model.dataset_meta['classes']]
    np.testing.assert_array_equal(emb[0], rows[classes.index('blue ring')])
    np.testing.assert_array_equal(emb[1], embed_phrases(['giraffe'])[0])
    np.testing.assert_array_equal(emb[2], emb[0])


def test_subclasses_of_the_zero_shot_head_are_accepted():
    """GMMN (ZS3Net's head, a ZeroShotHead subclass) scores names too."""
    path = glob.glob(osp.join(REPO, 'configs', 'zss_shapes', 'baselines',
                              '*gmmn-stage2*shapes-64x64.py'))[0]
    emb = embed_class_names(Config.fromfile(path), ['blue ring'])
    rows = load_class_embeddings('glove50/zss_shapes')
    assert emb.shape == (1, rows.shape[1])
    with pytest.raises(ConfigError, match='ZeroShotHead'):
        embed_class_names(Config(dict(model=dict(decode_head=dict(
            type='ASPPHead')))), ['blue ring'])


def test_out_of_vocabulary_word_names_it_and_the_closest_words(model, image):
    with pytest.raises(EmbeddingError) as err:
        segment(model, image, ['sofa', 'sofaa'])
    message = str(err.value)
    assert "'sofaa'" in message and 'closest' in message
    assert 'sofa' in message.split('closest')[1]


def test_arrays_lists_and_single_names(model, image):
    """A BGR array gives what its file gives; lists give lists; one name
    (a 1-channel map for mmseg's post-processing) still works."""
    by_path = segment(model, image, ['red square'])
    by_array, again = segment(model, [mmcv.imread(image), image],
                              ['red square'])
    np.testing.assert_array_equal(by_array.logits, by_path.logits)
    np.testing.assert_array_equal(again.masks, by_path.masks)
    assert by_path.logits.shape == (1, 40, 72)
    assert by_array.img_path is None and again.img_path == image


def test_slide_inference_with_one_window_equals_whole(model, image):
    whole = segment(model, image, ['red circle', 'giraffe'])
    whole_cfg = model.test_cfg
    model.test_cfg = ConfigDict(mode='slide', crop_size=(64, 128),
                                stride=(32, 64))
    try:
        slide = segment(model, image, ['red circle', 'giraffe'])
        model.test_cfg = ConfigDict(mode='slide', crop_size=(24, 40),
                                    stride=(16, 32))
        windows = segment(model, image, ['red circle', 'giraffe'])
    finally:
        model.test_cfg = whole_cfg
    np.testing.assert_allclose(slide.logits, whole.logits, atol=1e-5)
    np.testing.assert_allclose(slide.sigma_i, whole.sigma_i, rtol=1e-5)
    assert windows.sigma_p.shape == (2, 40, 72) and (windows.sigma_p > 0).all()


def test_model_without_variance_branches_returns_none(image):
    """bce-only (Table 3 row 1): no sigma_p, no sigma_i; says so."""
    model = init_segmentor(BCE_ONLY, None, device='cpu')
    res = segment(model, image, ['red circle', 'giraffe'])
    assert res.sigma_p is None and res.sigma_i is None
    assert res.masks.shape == (2, 40, 72)
    assert res['giraffe']['sigma_p'] is None


def test_inference_pipeline_drops_annotation_loading(model):
    types = [t.__class__.__name__ for t in inference_pipeline(
        model.cfg).transforms]
    assert types == ['LoadImageFromFile', 'PackSegInputs']
    types = [t.__class__.__name__ for t in inference_pipeline(
        model.cfg, ndarray=True).transforms]
    assert types[0] == 'LoadImageFromNDArray'


def test_bad_inputs_fail_with_named_errors(model, tmp_path, image):
    config = tiny_checkpoint()[0]
    with pytest.raises(CheckpointError, match='nope.pth'):
        init_segmentor(config, str(tmp_path / 'nope.pth'), device='cpu')
    other = tmp_path / 'other.pth'
    torch.save({'state_dict': {'backbone.stem.0.weight': torch.zeros(1)}},
               other)
    with pytest.raises(CheckpointError, match='other.pth'):
        init_segmentor(config, str(other), device='cpu')
    with pytest.raises(ConfigError, match='list of names'):
        segment(model, image, 'red circle')
    with pytest.raises(ConfigError, match='non-empty'):
        segment(model, image, ['red circle', ' '])
    without_cfg = types.SimpleNamespace(decode_head=model.decode_head)
    with pytest.raises(ConfigError, match='init_segmentor'):
        segment(without_cfg, image, ['red circle'])
    with pytest.raises(ConfigError, match='ZeroShotHead'):
        segment(types.SimpleNamespace(cfg=model.cfg), image, ['red circle'])
    with pytest.raises(ConfigError, match='one row per name'):
        segment(model, image, ['red circle', 'giraffe'],
                embeddings=np.zeros((1, 50), np.float32))
