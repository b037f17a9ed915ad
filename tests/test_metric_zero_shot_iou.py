"""ZeroShotIoUMetric: hand-computed IoUs, equality with mmseg's IoUMetric on
the argmax, absent classes (acceptance 3)."""
import math
import os.path as osp

import numpy as np
import pytest
import torch
from PIL import Image

import mmseg_zss  # noqa: F401  (before mmseg: mmcv.ops stand-in)
from mmseg_zss.errors import ConfigError, DatasetError
from mmseg_zss.evaluation import ZeroShotIoUMetric, harmonic_mean


def sample(logits, gt, name='img', **meta):
    logits = torch.as_tensor(logits, dtype=torch.float32)
    gt = torch.as_tensor(gt, dtype=torch.int64)[None]
    return dict(seg_logits=dict(data=logits), gt_sem_seg=dict(data=gt),
                pred_sem_seg=dict(data=logits.argmax(0)[None]),
                img_path=f'{name}.jpg', seg_map_path=f'{name}.png', **meta)


def run(metric, samples, classes, unseen=(), **meta):
    metric.dataset_meta = dict(classes=classes, unseen_classes=unseen,
                               seen_classes=[c for c in classes
                                             if c not in unseen], **meta)
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def pixels(*rows):
    """(C, H, W) logits from rows of per-pixel (c0, c1, c2) tuples."""
    return np.array(rows, dtype=np.float32).transpose(2, 0, 1)


def hand_samples():
    # image 1: gt [[a, a, b], [b, ignore, c]]
    img1 = pixels([(2, -1, -3), (-1, 1, -2), (-1, 3, -2)],
                  [(1, -1, -2), (5, -1, 1), (-1, -1, 2)])
    gt1 = [[0, 0, 1], [1, 255, 2]]
    # image 2: all c; class a scores positive everywhere (but a is absent
    # from this image, so the paper protocol has no (image 2, a) pair)
    img2 = pixels([(3, -1, 2), (1, -1, -1)], [(1, -1, -1), (1, -1, -1)])
    gt2 = [[2, 2], [2, 2]]
    return [sample(img1, gt1, 'one'), sample(img2, gt2, 'two')]


def test_hand_computed_ious():
    # paper protocol (logit > 0, valid pixels only), summed over pairs:
    #   a: img1 I=1 U=3 -> 1/3;  b: img1 I=1 U=3 -> 1/3
    #   c: img1 I=1 U=1 (the ignored pixel scores 1 but does not count),
    #      img2 I=1 U=4 -> 2/5
    # argmax protocol: a: I=1, pred=2+4, gt=2 -> 1/7; b: I=1 P=2 G=2 -> 1/3;
    #   c: I=1 P=1 G=5 -> 1/5
    res = run(ZeroShotIoUMetric(), hand_samples(), ('a', 'b', 'c'), ('c',))
    s, u = (1 / 3 + 1 / 3) / 2, 2 / 5
    gs, gu = (1 / 7 + 1 / 3) / 2, 1 / 5
    expected = {
        'mIoU': (2 / 3 + 2 / 5) / 3, 'mIoU_seen': s, 'mIoU_unseen': u,
        'hIoU': 2 * s * u / (s + u),
        'gzsl.mIoU': (1 / 7 + 1 / 3 + 1 / 5) / 3, 'gzsl.mIoU_seen': gs,
        'gzsl.mIoU_unseen': gu, 'gzsl.hIoU': 2 * gs * gu / (gs + gu)}
    assert set(res) == set(expected)
    for key, value in expected.items():
        assert res[key] == round(value * 100, 2), key
    assert res['mIoU'] == 35.56 and res['gzsl.hIoU'] == 21.74


def test_threshold_is_a_probability():
    # at threshold 0.95 (logit > 2.944) only logit 3 pixels count:
    # a: pred none -> I=0 U=2; b: pred (0,2) -> I=1 U=2; c: img2 pred (0,0)?
    # logit 2 < 2.944 -> I=0 U=1+4
    res = run(ZeroShotIoUMetric(threshold=0.95), hand_samples(),
              ('a', 'b', 'c'), ('c',))
    assert res['mIoU_seen'] == 25.0 and res['mIoU_unseen'] == 0.0
    assert res['hIoU'] == 0.0


def test_absent_class_is_nan_not_zero():
    # class b never appears in the ground truth but is predicted everywhere
    logits = np.stack([np.zeros((2, 2)) + 1, np.zeros((2, 2)) + 3])
    res = run(ZeroShotIoUMetric(), [sample(logits, [[0, 0], [0, 255]])],
              ('a', 'b'), ('b',))
    assert res['mIoU'] == 100.0 and res['mIoU_seen'] == 100.0
    assert math.isnan(res['mIoU_unseen']) and math.isnan(res['hIoU'])
    # generalized: b wins every pixel -> a gets 0; b is absent -> nan, and
    # the mean is over a only (mmseg's IoUMetric would average a 0 for b)
    assert res['gzsl.mIoU'] == 0.0 and math.isnan(res['gzsl.mIoU_unseen'])


@pytest.mark.parametrize('seed', [0, 1])
def test_generalized_equals_mmseg_iou_metric(seed):
    from mmseg.evaluation import IoUMetric
    gen = torch.Generator().manual_seed(seed)
    classes = tuple('abcdef')
    unseen = ('b', 'e')
    samples = []
    for i in range(5):
        gt = torch.randint(0, 6, (12, 10), generator=gen)
        gt[torch.rand(12, 10, generator=gen) < 0.1] = 255
        gt[0, :6] = torch.arange(6)  # every class in the test set
        logits = torch.randn(6, 12, 10, generator=gen)
        samples.append(sample(logits, gt, f'im{i}'))
    ours = run(ZeroShotIoUMetric(), samples, classes, unseen)

    mm = IoUMetric()
    mm.dataset_meta = dict(classes=classes)
    mm.process({}, samples)
    assert ours['gzsl.mIoU'] == mm.evaluate(5)['mIoU']
    inter, union, pred, label = (sum(x) for x in zip(*[
        IoUMetric.intersect_and_union(s['pred_sem_seg']['data'].squeeze(),
                                      s['gt_sem_seg']['data'].squeeze(), 6,
                                      255) for s in samples]))
    iou = IoUMetric.total_area_to_metrics(inter, union, pred, label)['IoU']
    seen_iou = np.mean([iou[i] for i, c in enumerate(classes)
                        if c not in unseen])
    unseen_iou = np.mean([iou[1], iou[4]])
    assert ours['gzsl.mIoU_seen'] == round(seen_iou * 100, 2)
    assert ours['gzsl.mIoU_unseen'] == round(unseen_iou * 100, 2)
    assert ours['gzsl.hIoU'] == round(
        harmonic_mean(seen_iou, unseen_iou) * 100, 2)


def test_subset_split_groups_and_dataset_ignore():
    # 4 dataset classes; the split evaluates a, b, d (c is outside it), the
    # dataset's ignore value is 65535; group G = {d}
    logits = pixels([(1, -1, 9, -1), (-1, 2, 9, -1)],
                    [(-1, -1, 9, 3), (-1, -1, 9, 3)])
    gt = [[0, 1], [2, 65535]]
    metric = ZeroShotIoUMetric(class_groups={'G': ['b']})
    metric.dataset_meta = dict(classes=('a', 'b', 'c', 'd'),
                               seen_classes=('a', 'b'), unseen_classes=('d',),
                               ignore_index=65535)
    metric.process({}, [sample(logits, gt)])
    # per-image state: only the classes the image involves
    assert metric.results[0]['present'].tolist() == [0, 1]
    res = metric.evaluate(1)
    # a: pred (0,0) -> 1/1; b: pred (0,1) -> 1/1; c's pixel is labelled but
    # not evaluated, a negative for both; d absent -> nan
    assert res['mIoU'] == 100.0 and math.isnan(res['mIoU_unseen'])
    assert res['mIoU_G'] == 100.0
    # argmax over a, b, d only: (1,0) would be c (9) but c is excluded, so it
    # is not scored; (0,0)->a, (0,1)->b
    assert res['gzsl.mIoU_seen'] == 100.0 and res['gzsl.mIoU_G'] == 100.0


def test_output_dir_and_format_only(tmp_path):
    out = str(tmp_path / 'preds')
    metric = ZeroShotIoUMetric(output_dir=out, keep_results=True,
                               format_only=True)
    metric.dataset_meta = dict(classes=('a', 'b', 'c'))
    s = hand_samples()[0]
    s['reduce_zero_label'] = True
    metric.process({}, [s])
    assert metric.evaluate(1) == {}
    png = np.array(Image.open(osp.join(out, 'one.png')))
    # argmax [[a, b, b], [a, a, c]] + 1 (reduce_zero_label)
    assert png.tolist() == [[1, 2, 2], [1, 1, 3]]


def test_bad_inputs_name_the_problem():
    metric = ZeroShotIoUMetric()
    metric.dataset_meta = dict(classes=('a', 'b', 'c', 'd'))
    with pytest.raises(ConfigError, match='expected \\(C=4'):
        metric.process({}, hand_samples()[:1])
    metric.dataset_meta = dict(classes=('a', 'b', 'c'))
    bad = sample(np.zeros((3, 1, 2)), [[0, 7]], 'broken')
    with pytest.raises(DatasetError, match='broken.png holds value 7'):
        metric.process({}, [bad])
    with pytest.raises(ConfigError, match='output_dir'):
        ZeroShotIoUMetric(format_only=True)
