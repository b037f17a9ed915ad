"""The comparison methods (paper §4.2) as modules: hand-computed values of
their maths, one-pass == per-class scoring, and what each one trains."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import math

import numpy as np
import pytest
import torch
from fixture_models import (
    BCE,
    DICE_L1,
    NORM,
    head_cfg,
    make_batch,
    segmentor_cfg,
    write_embeddings,
)
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from mmseg_zss.errors import ConfigError, DatasetError
from mmseg_zss.models.baselines import (
    BinaryHingeLoss,
    BlankPredictor,
    CBNClassifier,
    DeViSEClassifier,
    GMMNGenerator,
    MMDLoss,
    RandomPredictor,
)
from mmseg_zss.models.baselines.random_predictor import LOGIT, expected_iou


# ------------------------------------------------------------------ losses
def test_binary_hinge_by_hand():
    mu = torch.tensor([[[2.0, -0.5, 0.3, 5.0]]])
    target = torch.tensor([[[1, 1, 0, 255]]])
    # y mu = 2, -0.5, -0.3: max(0, 1 - y mu) = 0, 1.5, 1.3; last ignored
    assert BinaryHingeLoss()(mu, target).item() == pytest.approx(2.8 / 3)
    assert BinaryHingeLoss(loss_weight=2.0)(mu, target).item() == \
        pytest.approx(5.6 / 3)
    assert BinaryHingeLoss(reduction='sum')(mu, target).item() == \
        pytest.approx(2.8)
    assert BinaryHingeLoss(margin=0.5, reduction='none')(
        mu, target).flatten().tolist() == pytest.approx([0, 1.0, 0.8, 0])
    with pytest.raises(ValueError, match='margin'):
        BinaryHingeLoss(margin=0)


def test_mmd_by_hand():
    gen, real = torch.tensor([[0.0]]), torch.tensor([[1.0]])
    # k_v(0, 1) = exp(-1 / (2 v)); MMD^2 = 1 + 1 - 2 k
    mmd2 = 2 - 2 * math.exp(-0.5)
    assert MMDLoss(bandwidths=(1, ))(gen, real).item() == pytest.approx(
        math.sqrt(mmd2), rel=1e-6)
    mmd2 += 2 - 2 * math.exp(-0.25)
    assert MMDLoss(bandwidths=(1, 2))(gen, real).item() == pytest.approx(
        math.sqrt(mmd2), rel=1e-6)
    # M != N: weights 1/M for generated, -1/N for real samples
    gen2, real2 = torch.tensor([[0.0], [0.0]]), torch.tensor([[2.0]])
    expected = 1 + 1 - 2 * math.exp(-2.0)
    assert MMDLoss(bandwidths=(1, ), squared=True)(
        gen2, real2).item() == pytest.approx(expected, rel=1e-6)
    assert MMDLoss(bandwidths=(1, ), squared=True, loss_weight=3)(
        gen2, real2).item() == pytest.approx(3 * expected, rel=1e-6)


def test_mmd_of_equal_samples_is_zero_with_finite_gradient():
    # float32 distances leave ~1e-4 here after the square root (seed 0)
    x = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))
    x.requires_grad_()
    loss = MMDLoss()(x, x.detach().clone())
    loss.backward()
    assert loss.item() < 1e-5
    assert torch.isfinite(x.grad).all()
    with pytest.raises(ValueError, match='bandwidths'):
        MMDLoss(bandwidths=(0, 1))


# -------------------------------------------------------------- generator
def test_generator_maps_embedding_and_noise_to_features():
    gen = GMMNGenerator(embed_dim=4, feature_dim=6, hidden_channels=5).eval()
    emb, noise = torch.randn(3, 4), torch.randn(3, 4)
    out = gen(emb, noise)
    assert out.shape == (3, 6) and gen.noise_dim == 4
    assert torch.equal(out, gen(emb, noise))  # eval: no dropout
    assert not torch.allclose(out, gen(emb))  # fresh noise
    assert GMMNGenerator(4, 6, noise_dim=2)(emb).shape == (3, 6)


# ---------------------------------------------------------------- DeViSE
def test_devise_score_is_scaled_cosine():
    clf = DeViSEClassifier(in_channels=2, embed_dim=2, num_convs=0)
    with torch.no_grad():
        clf.project.weight.copy_(torch.eye(2)[:, :, None, None])
        clf.project.bias.zero_()
        clf.logit_bias.fill_(1.0)
    feats = torch.tensor([[[[3.0, 1.0]], [[4.0, 0.0]]]])  # pixels (3,4), (1,0)
    mu = clf(feats, torch.tensor([[0.0, 2.0]]))['mu']  # e ~ (0, 1)
    # 10 * cos + 1: cos((3,4), (0,1)) = 0.8, cos((1,0), (0,1)) = 0
    assert mu.flatten().tolist() == pytest.approx([9.0, 1.0])


def test_devise_all_classes_equal_per_class():
    torch.manual_seed(0)
    clf = DeViSEClassifier(in_channels=6, embed_dim=4, channels=5,
                           norm_cfg=NORM).eval()
    feats, emb = torch.randn(2, 6, 3, 4), torch.randn(5, 4)
    fast = clf.forward_all(feats, emb)['mu']
    assert fast.shape == (2, 5, 3, 4)
    torch.testing.assert_close(fast, clf.forward_per_class(feats, emb)['mu'])
    with pytest.raises(ConfigError, match='log_var'):
        DeViSEClassifier(6, 4, outputs=('mu', 'log_var'))


# ------------------------------------------------------------------- CBN
def test_cbn_modulation_by_hand():
    clf = CBNClassifier(in_channels=1, embed_dim=2, channels=1, num_convs=1,
                        mlp_channels=3).eval()
    with torch.no_grad():
        clf.convs[0].weight.fill_(1.0)
        clf.film[-1].bias.copy_(torch.tensor([1.0, 0.5]))  # dgamma, dbeta
        clf.conv_mu.weight.fill_(1.0)
        clf.conv_mu.bias.zero_()
    x = torch.tensor([[[[-1.0, 0.5]]]])
    mu = clf(x, torch.randn(1, 2))['mu']
    # BN (running mean 0, var 1) then relu((1 + 1) x + (0 + 0.5))
    scale = 1 / math.sqrt(1 + clf.norms[0].eps)
    assert mu.flatten().tolist() == pytest.approx(
        [0.0, 2 * 0.5 * scale + 0.5])
    assert clf.norms[0].weight is None  # gamma, beta live in the classifier


def test_cbn_starts_unconditioned_and_all_classes_equal_per_class():
    torch.manual_seed(0)
    clf = CBNClassifier(in_channels=6, embed_dim=4, channels=5, num_convs=2,
                        mlp_channels=7, norm_cfg=NORM)
    feats = torch.randn(2, 6, 3, 4)
    clf.train()
    for _ in range(3):  # running statistics
        clf(feats, torch.randn(2, 4))
    clf.eval()
    e1, e2 = torch.randn(1, 4).expand(2, -1), torch.randn(1, 4).expand(2, -1)
    torch.testing.assert_close(clf(feats, e1)['mu'], clf(feats, e2)['mu'])
    torch.nn.init.normal_(clf.film[-1].weight)  # now conditioned
    assert not torch.allclose(clf(feats, e1)['mu'], clf(feats, e2)['mu'])
    emb = torch.randn(5, 4)
    ref = clf.forward_per_class(feats, emb)['mu']
    for chunk in (None, 1, 2):
        torch.testing.assert_close(
            clf.forward_all(feats, emb, chunk_size=chunk)['mu'], ref)


# ------------------------------------------------------ Blank and Random
def samples(names, shape=(30, 40)):
    out = []
    for name in names:
        s = SegDataSample()
        s.set_metainfo(dict(img_path=f'/data/{name}.jpg', ori_shape=shape))
        out.append(s)
    return out


def test_blank_predicts_every_pixel_of_every_class():
    out = BlankPredictor(num_classes=3).predict(
        torch.zeros(1, 3, 8, 8), samples(['a']))[0]
    logits = out.seg_logits.data
    assert logits.shape == (3, 30, 40) and (logits > 0).all()
    assert torch.sigmoid(logits.float()).min() == 1.0
    assert logits.stride() == (0, 0, 0)  # one value, no (C, H, W) memory


def test_random_is_seeded_per_image_and_hits_p():
    pred = RandomPredictor(num_classes=3, foreground_prob=0.15, seed=0)
    a, b = pred.predict(torch.zeros(2, 3, 8, 8), samples(['a', 'b'],
                                                         (200, 200)))
    hit = a.seg_logits.data > 0
    assert set(a.seg_logits.data.unique().tolist()) == {-LOGIT, LOGIT}
    assert abs(hit.float().mean().item() - 0.15) < 0.005  # 120k draws
    # classes drawn independently
    assert not torch.equal(hit[0], hit[1])
    # same image, same mask, whatever else is in the batch
    b_alone = pred.predict(torch.zeros(1, 3, 8, 8),
                           samples(['b'], (200, 200)))[0]
    assert torch.equal(b.seg_logits.data, b_alone.seg_logits.data)
    assert not torch.equal(a.seg_logits.data, b.seg_logits.data)
    other = RandomPredictor(num_classes=3, seed=1).predict(
        torch.zeros(1, 3, 8, 8), samples(['a'], (200, 200)))[0]
    assert not torch.equal(other.seg_logits.data, a.seg_logits.data)
    assert a.pred_sem_seg.data.shape == (1, 200, 200)


def test_predictors_refuse_bad_settings_and_training():
    with pytest.raises(ConfigError, match='probability'):
        RandomPredictor(num_classes=3, foreground_prob=1.5)
    with pytest.raises(ConfigError, match='num_classes'):
        BlankPredictor(num_classes=0)
    with pytest.raises(ConfigError, match='tools/test.py'):
        BlankPredictor(num_classes=3).loss(torch.zeros(1, 3, 4, 4), [])


def test_expected_iou_by_hand():
    # image 1: 4 valid pixels, class 0 on 1, class 1 on 3; image 2: 2 valid
    # pixels of class 1 and one ignored
    maps = [np.array([[0, 1], [1, 1]]), np.array([[1, 255, 1]])]
    blank = expected_iou(maps, num_classes=3, foreground_prob=1.0)
    assert blank.tolist()[:2] == pytest.approx([1 / 4, 5 / 6])
    assert np.isnan(blank[2])  # in no image
    p = 0.2
    # E[I] = p |G|, E[U] = |G| + p (N - |G|), summed over the pairs
    rnd = expected_iou(maps, num_classes=3, foreground_prob=p)
    assert rnd[0] == pytest.approx(p * 1 / (1 + p * 3))
    assert rnd[1] == pytest.approx(p * 5 / (5 + p * (1 + 0)))


# -------------------------------------------------------------------- GMMN
def gmmn_head_cfg(emb_path, **overrides):
    cfg = head_cfg(emb_path, losses='baseline', num_classes=59)
    cfg.update(
        type='GMMNHead',
        generator=dict(type='GMMNGenerator', hidden_channels=8),
        unseen_split='pascal_context_59_unseen10', num_real=4,
        num_generated=3, num_unseen=2)
    cfg.update(overrides)
    return cfg


@pytest.fixture()
def gmmn(tmp_path):
    init_default_scope('mmseg')
    emb = write_embeddings(str(tmp_path / 'emb.npy'), num_classes=59)
    torch.manual_seed(0)
    model = MODELS.build(dict(
        segmentor_cfg(emb, losses='baseline', num_classes=59),
        decode_head=gmmn_head_cfg(emb)))
    model.init_weights()
    return model


def gmmn_batch():
    inputs, data = make_batch(batch=2, size=32, num_classes=59, seed=1,
                              target_classes=[0, 2])  # seen in unseen10
    return inputs, data


def test_gmmn_trains_generator_by_mmd_and_classifier_on_pairs(gmmn):
    head = gmmn.decode_head
    gmmn.train()
    assert not head.feature_head.training  # frozen, eval
    assert all(not p.requires_grad for p in head.feature_head.parameters())
    assert not any(m.training for m in head.classifier.modules()
                   if isinstance(m, torch.nn.BatchNorm2d))
    assert len(head.unseen_labels) == 10
    inputs, data = gmmn_batch()
    losses = gmmn.loss(inputs, data)
    assert {'decode.loss_img', 'decode.loss_pixel', 'decode.loss_mmd',
            'decode.loss_generated'} <= set(losses)

    def grads(loss, module):
        gmmn.zero_grad()
        loss.backward(retain_graph=True)
        return [p.grad for p in module.parameters()]

    assert all(g is not None and g.abs().sum() > 0
               for g in grads(losses['decode.loss_mmd'], head.generator))
    assert all(g is None for g in grads(losses['decode.loss_mmd'],
                                        head.classifier))
    assert all(g is None for g in grads(losses['decode.loss_generated'],
                                        head.generator))
    assert any(g is not None and g.abs().sum() > 0 for g in grads(
        losses['decode.loss_generated'], head.classifier))


class RecordingLoss(torch.nn.Module):
    """Stands in for the generated-pair loss and keeps its inputs."""

    loss_name = 'loss_generated'

    def forward(self, mu, target, ignore_index=255):
        self.mu, self.target = mu, target
        return mu.sum() * 0


def test_gmmn_generated_pairs(gmmn):
    head = gmmn.decode_head
    head.loss_generated = RecordingLoss()
    calls = []
    classifier_forward = head.classifier.forward

    def spy(feats, embeddings):
        calls.append(embeddings)
        return classifier_forward(feats, embeddings)

    head.classifier.forward = spy
    gmmn.train()
    gmmn.loss(*gmmn_batch())
    target = head.loss_generated.target.flatten()
    U, G = 2, 3
    # U*G positives, U*G (generated, other class) and <= U*G (real,
    # unseen) negatives
    assert int(target.sum()) == U * G
    assert 2 * U * G < len(target) <= 3 * U * G
    emb = calls[-1]  # the classifier's call on the pairs
    rows = [int(torch.nonzero((head.class_embeddings == e).all(1))[0])
            for e in emb]
    unseen = set(head.unseen_labels.tolist())
    assert all(rows[i] in unseen for i in range(U * G))  # positives
    # the same generated features against another class
    assert all(rows[U * G + i] != rows[i] for i in range(U * G))
    assert all(rows[i] in unseen for i in range(2 * U * G, len(rows)))


def test_gmmn_inference_is_the_zero_shot_head(gmmn):
    gmmn.eval()
    inputs, _ = gmmn_batch()
    logits = gmmn.decode_head.forward(gmmn.extract_feat(inputs))
    assert logits.shape[:2] == (2, 59)


def test_gmmn_bad_settings(tmp_path):
    init_default_scope('mmseg')
    emb59 = write_embeddings(str(tmp_path / 'e59.npy'), num_classes=59)
    emb5 = write_embeddings(str(tmp_path / 'e5.npy'), num_classes=5)
    cfg = gmmn_head_cfg(emb5, num_classes=5)
    with pytest.raises(ConfigError, match='num_classes=5'):
        MODELS.build(cfg)
    with pytest.raises(DatasetError, match='no_such_split'):
        MODELS.build(gmmn_head_cfg(emb59, unseen_split='no_such_split'))
    with pytest.raises(ConfigError, match='feature_dim'):
        MODELS.build(gmmn_head_cfg(emb59, generator=dict(
            type='GMMNGenerator', feature_dim=3)))
    with pytest.raises(ConfigError, match='num_unseen'):
        MODELS.build(gmmn_head_cfg(emb59, num_unseen=0))


def test_gmmn_losses_of_the_baseline_are_kept(gmmn):
    types = [type(loss).__name__ for loss in gmmn.decode_head.loss_decode]
    assert types == [DICE_L1['type'], BCE['type']]


def test_predictor_output_feeds_the_metric():
    from mmseg_zss.evaluation import ZeroShotIoUMetric
    metric = ZeroShotIoUMetric()
    metric.dataset_meta = dict(classes=('a', 'b', 'c'), unseen_classes=('c', ))
    gt = torch.tensor([[[0, 0, 1, 2]]])
    out = BlankPredictor(num_classes=3).predict(
        torch.zeros(1, 3, 1, 4), samples(['x'], (1, 4)))[0]
    out.gt_sem_seg = PixelData(data=gt)
    metric.process({}, [out.to_dict()])
    res = metric.compute_metrics(metric.results)
    # Blank: IoU = |gt_c| / N = 2/4, 1/4, 1/4
    assert res['mIoU_seen'] == pytest.approx(100 * (0.5 + 0.25) / 2)
    assert res['mIoU_unseen'] == pytest.approx(25.0)
