"""ZeroShotHead and ConcatClassifier: building, routing, one-pass inference."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from fixture_models import (
    EMBED_DIM,
    NUM_CLASSES,
    build_segmentor,
    head_cfg,
    make_batch,
    write_embeddings,
)
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from mmseg_zss.errors import ConfigError, EmbeddingError
from mmseg_zss.models import BaseConditionalClassifier, ConcatClassifier


@pytest.fixture(scope='module')
def emb_path(tmp_path_factory):
    return write_embeddings(tmp_path_factory.mktemp('emb') / 'classes.npy')


def build_head(emb_path, feature_head='deeplabv3plus', losses='u_loss',
               **kwargs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    return MODELS.build(head_cfg(emb_path, feature_head, losses, **kwargs))


def backbone_feats(batch=2, seed=0):
    """Multi-level features shaped like the tiny ResNet's (8..64 channels)."""
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(batch, c, s, s, generator=gen)
            for c, s in ((8, 16), (16, 8), (32, 8), (64, 8))]


# --------------------------------------------------------------- building
def test_head_has_no_conv_seg_and_feature_head_classifies_nothing(emb_path):
    head = build_head(emb_path)
    assert not hasattr(head, 'conv_seg')
    assert isinstance(head.feature_head.conv_seg, nn.Identity)
    assert head.num_classes == head.out_channels == NUM_CLASSES
    assert head.classifier.in_channels == head.channels == 16


@pytest.mark.parametrize('losses,log_var,image', [
    ('bce_only', False, False), ('baseline', False, False),
    ('stochastic_bce', True, False), ('bayesian_dice', False, True),
    ('u_loss', True, True)])
def test_branches_exist_only_when_a_loss_consumes_them(emb_path, losses,
                                                       log_var, image):
    head = build_head(emb_path, losses=losses)
    assert hasattr(head.classifier, 'conv_log_var') == log_var
    assert hasattr(head.classifier, 'image_mlp') == image
    assert ('log_var' in head.outputs) == log_var
    assert ('log_sigma' in head.outputs) == image


def test_embeddings_are_a_non_persistent_buffer(emb_path):
    head = build_head(emb_path)
    assert head.class_embeddings.shape == (NUM_CLASSES, EMBED_DIM)
    assert 'class_embeddings' not in head.state_dict()


def test_wrong_embedding_dimension_fails_at_build(emb_path):
    with pytest.raises(EmbeddingError, match='dimension 8 .* expects 300'):
        build_head(emb_path, embed_dim=300)


def test_wrong_class_count_fails_at_build(emb_path):
    with pytest.raises(EmbeddingError, match='5 rows .* 59 classes'):
        build_head(emb_path, num_classes=59)


def test_classifier_channels_conflicting_with_head_fail(emb_path):
    cfg = head_cfg(emb_path)
    cfg['classifier']['in_channels'] = 99
    init_default_scope('mmseg')
    with pytest.raises(ConfigError, match='classifier.in_channels=99'):
        MODELS.build(cfg)


def test_loss_asking_for_an_unknown_output_fails(emb_path):

    @MODELS.register_module(force=True)
    class _AsksForDepth(nn.Module):
        head_outputs = ('mu', 'depth')
        loss_name = 'loss_depth'

    cfg = head_cfg(emb_path)
    cfg['loss_decode'] = [dict(type='_AsksForDepth')]
    init_default_scope('mmseg')
    with pytest.raises(ConfigError, match='depth'):
        MODELS.build(cfg)


def test_classifier_refuses_outputs_it_cannot_produce():

    class MuOnly(BaseConditionalClassifier):

        def forward(self, feats, embeddings):
            return dict(mu=feats.mean(1))

    assert MuOnly(4, 3).outputs == ('mu', )
    with pytest.raises(ConfigError, match='log_var'):
        MuOnly(4, 3, outputs=('mu', 'log_var'))


# ----------------------------------------------------------------- training
def test_missing_target_class_says_which_transforms_are_needed(emb_path):
    head = build_head(emb_path)
    _, samples = make_batch()
    samples[1] = samples[1].clone()
    samples[1].set_metainfo({})
    del samples[1].target_class
    with pytest.raises(ConfigError,
                       match='SampleZeroShotTarget.*PackZeroShotInputs'):
        head.loss(backbone_feats(), samples, {})


def test_target_class_outside_class_list_fails(emb_path):
    head = build_head(emb_path)
    _, samples = make_batch(target_classes=[0, NUM_CLASSES])
    with pytest.raises(ConfigError, match='outside the 5 classes'):
        head.loss(backbone_feats(), samples, {})


def test_loss_uses_each_samples_target_class(emb_path):
    """Swapping the target classes changes mu exactly as the embeddings say."""
    head = build_head(emb_path).eval()
    feats = backbone_feats()
    _, samples = make_batch(target_classes=[3, 1])
    emb = head.class_embeddings
    out = head.forward_targets(feats, emb[torch.tensor([3, 1])])
    ref = head.forward_all(feats)['mu']
    torch.testing.assert_close(out['mu'], torch.stack([ref[0, 3], ref[1, 1]]))
    losses = head.loss(feats, samples, {})
    assert set(losses) == {'loss_img', 'loss_pixel', 'acc_seg'}


def test_losses_get_the_outputs_they_declare(emb_path):
    """Routing: each loss receives the head outputs named in head_outputs."""
    seen = {}

    @MODELS.register_module(force=True)
    class _Spy(nn.Module):
        head_outputs = ('log_sigma', 'mu', 'log_var')
        loss_name = 'loss_spy'

        def forward(self, log_sigma, mu, log_var, target, ignore_index):
            seen.update(log_sigma=log_sigma.shape, mu=mu.shape,
                        log_var=log_var.shape, target=target.shape,
                        ignore_index=ignore_index)
            return mu.sum() * 0

    cfg = head_cfg(emb_path)
    cfg['loss_decode'] = [dict(type='_Spy')]
    cfg['ignore_index'] = 7
    init_default_scope('mmseg')
    head = MODELS.build(cfg)
    _, samples = make_batch(size=32)
    head.loss(backbone_feats(), samples, {})
    # pixel maps at label resolution, log_sigma per image
    assert seen == dict(log_sigma=(2, ), mu=(2, 32, 32), log_var=(2, 32, 32),
                        target=(2, 32, 32), ignore_index=7)


# ---------------------------------------------------------------- inference
@pytest.mark.parametrize('feature_head', ['deeplabv3plus', 'pspnet'])
def test_one_pass_equals_per_class_loop(emb_path, feature_head):
    """All-class scoring in one pass == the whole head run once per class."""
    head = build_head(emb_path, feature_head).eval()
    # non-trivial BN statistics, so the split conv meets a real norm layer
    for module in head.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
    feats = backbone_feats()
    with torch.no_grad():
        fast = head.forward_all(feats)
        loop = [head.forward_targets(feats, e.expand(2, -1))
                for e in head.class_embeddings]
    for name in ('mu', 'log_var', 'log_sigma'):
        ref = torch.stack([r[name] for r in loop], dim=1)
        assert fast[name].shape == ref.shape
        torch.testing.assert_close(fast[name], ref, atol=1e-4, rtol=0)
    assert fast['mu'].std() > 1e-3  # the classes really differ


def test_forward_all_scores_arbitrary_embeddings(emb_path):
    head = build_head(emb_path).eval()
    words = F.normalize(torch.randn(3, EMBED_DIM), dim=1)
    with torch.no_grad():
        out = head.forward_all(backbone_feats(), words)
        ref = head.forward_targets(backbone_feats(), words[2].expand(2, -1))
    assert out['mu'].shape == out['log_var'].shape == (2, 3, 16, 16)
    assert out['log_sigma'].shape == (2, 3)
    torch.testing.assert_close(out['mu'][:, 2], ref['mu'])
    with pytest.raises(EmbeddingError, match=f'needs \\(K, {EMBED_DIM}\\)'):
        head.forward_all(backbone_feats(), torch.randn(3, EMBED_DIM + 1))
    with pytest.raises(EmbeddingError, match='K >= 1'):
        head.forward_all(backbone_feats(), torch.randn(0, EMBED_DIM))


def test_forward_all_without_uncertainty_branches_gives_none(emb_path):
    head = build_head(emb_path, losses='baseline').eval()
    with torch.no_grad():
        out = head.forward_all(backbone_feats())
    assert out['log_var'] is None and out['log_sigma'] is None
    assert head(backbone_feats()).shape == (2, NUM_CLASSES, 16, 16)


@pytest.mark.parametrize('chunk_size', [1, 2, 3, 16])
def test_chunking_does_not_change_results(emb_path, chunk_size):
    head = build_head(emb_path).eval()
    head.class_chunk_size = chunk_size
    with torch.no_grad():
        out = head.forward_all(backbone_feats())
    head.class_chunk_size = NUM_CLASSES
    with torch.no_grad():
        ref = head.forward_all(backbone_feats())
    for name in ('mu', 'log_var', 'log_sigma'):
        torch.testing.assert_close(out[name], ref[name])


def test_split_first_conv_equals_tiling_and_concatenation():
    """W [f; e] = W_f f + W_e e: the paper's literal tile-and-concat."""
    torch.manual_seed(0)
    clf = ConcatClassifier(6, 4, channels=5, num_convs=1, norm_cfg=None,
                           outputs=('mu', 'log_var', 'log_sigma')).eval()
    feats, emb = torch.randn(2, 6, 3, 3), torch.randn(2, 4)
    tiled = emb[:, :, None, None].expand(-1, -1, 3, 3)
    concat = torch.cat([feats, tiled], dim=1)
    hidden = F.relu(clf.fuse_conv(concat))
    out = clf(feats, emb)
    torch.testing.assert_close(out['mu'], clf.conv_mu(hidden)[:, 0])
    torch.testing.assert_close(out['log_var'],
                               clf.conv_log_var(hidden)[:, 0])
    pooled = concat.mean(dim=(2, 3))  # global pooling of the concatenation
    torch.testing.assert_close(out['log_sigma'], clf.image_mlp(pooled)[:, 0])


def literal_classifier(clf, feats, emb):
    """The paper's classifier run module by module: tile e, concatenate,
    fuse_conv -> norm -> act -> convs -> output convs; MLP on the pooled
    concatenation."""
    tiled = emb[:, :, None, None].expand(-1, -1, *feats.shape[2:])
    concat = torch.cat([feats, tiled], dim=1)
    hidden = clf.convs(clf.fuse_act(clf.fuse_norm(clf.fuse_conv(concat))))
    return dict(mu=clf.conv_mu(hidden)[:, 0],
                log_var=clf.conv_log_var(hidden)[:, 0],
                log_sigma=clf.image_mlp(concat.mean(dim=(2, 3)))[:, 0])


@pytest.mark.parametrize('training', [False, True])
def test_classifier_equals_literal_concatenation_with_batchnorm(training):
    """Train mode (module path) and eval mode (BN folded into channels-last
    matrix products) both equal the module-by-module computation."""
    torch.manual_seed(0)
    clf = ConcatClassifier(6, 4, channels=5, num_convs=3,
                           norm_cfg=dict(type='BN'),
                           outputs=('mu', 'log_var', 'log_sigma'))
    for module in clf.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
            module.weight.data.uniform_(0.5, 2)
            module.bias.data.uniform_(-1, 1)
    clf.train(training)
    assert (clf._folded_trunk() is None) == training
    feats, emb = torch.randn(3, 6, 4, 5), torch.randn(3, 4)
    with torch.no_grad():
        out = clf(feats, emb)
        ref = literal_classifier(clf, feats, emb)
    for name in ('mu', 'log_var', 'log_sigma'):
        torch.testing.assert_close(out[name], ref[name], atol=1e-5,
                                   rtol=1e-5)


def test_unfoldable_norm_uses_the_modules():
    """GroupNorm cannot be folded: eval mode falls back to the modules."""
    torch.manual_seed(0)
    clf = ConcatClassifier(6, 4, channels=4, num_convs=2,
                           norm_cfg=dict(type='GN', num_groups=2),
                           outputs=('mu', 'log_var', 'log_sigma')).eval()
    assert clf._folded_trunk() is None
    feats, emb = torch.randn(2, 6, 3, 3), torch.randn(3, 4)
    with torch.no_grad():
        fast = clf.forward_all(feats, emb, chunk_size=2)
        loop = clf.forward_per_class(feats, emb)
    for name in ('mu', 'log_var', 'log_sigma'):
        torch.testing.assert_close(fast[name], loop[name])


def test_automatic_chunk_size_bounds_the_chunk(monkeypatch):
    """chunk_size=None: as many classes as fit CHUNK_ELEMENTS (at least 1)."""
    from mmseg_zss.models.classifiers import concat_classifier
    clf = ConcatClassifier(6, 4, channels=8).eval()
    sizes = []
    original = clf._pixel_maps

    def spy(image, class_term, names, plan):
        sizes.append(class_term.size(1))
        return original(image, class_term, names, plan)

    monkeypatch.setattr(clf, '_pixel_maps', spy)
    monkeypatch.setitem(concat_classifier.CHUNK_ELEMENTS, 'cpu',
                        2 * 4 * 4 * 8 * 3)  # 3 classes of 2 x 4x4 x 8
    with torch.no_grad():
        clf.forward_all(torch.randn(2, 6, 4, 4), torch.randn(7, 4))
    assert sizes == [3, 3, 1]


@pytest.mark.parametrize('mode', ['whole', 'slide'])
def test_encoder_decoder_predicts_all_classes(emb_path, mode):
    test_cfg = dict(mode=mode, crop_size=(24, 24), stride=(16, 16))
    model = build_segmentor(emb_path, test_cfg=test_cfg).eval()
    inputs, samples = make_batch(size=32)
    with torch.no_grad():
        results = model.predict(inputs, samples)
    assert results[0].seg_logits.data.shape == (NUM_CLASSES, 32, 32)
    assert results[0].pred_sem_seg.data.shape == (1, 32, 32)
    assert int(results[0].pred_sem_seg.data.max()) < NUM_CLASSES

