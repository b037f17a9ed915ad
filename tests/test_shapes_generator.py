"""ZSS-Shapes generator: determinism, atomic writing, noise knobs, geometry."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import json
import math
import os
import os.path as osp

import numpy as np
import pytest
from fixture_shapes import NOISY, SPLIT, tiny_settings, write_tiny_shapes
from PIL import Image

from mmseg_zss.datasets import get_classes
from mmseg_zss.datasets.synthetic import (
                                          ShapesNoise,
                                          ShapesSettings,
                                          class_words,
                                          ensure_shapes,
                                          render_image,
                                          shapes_classes,
)
from mmseg_zss.datasets.synthetic import shapes_generator as generator
from mmseg_zss.datasets.synthetic.shapes_render import coverage
from mmseg_zss.embeddings import load_class_embeddings, read_provenance
from mmseg_zss.embeddings.files import resolve_path
from mmseg_zss.errors import ConfigError, DatasetError

UNSEEN = SPLIT.unseen_classes
CLASSES = shapes_classes()


def files_of(root):
    """{relative path: bytes} of every file under ``root``."""
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = osp.join(folder, name)
            with open(path, 'rb') as f:
                out[osp.relpath(path, root)] = f.read()
    return out


def labels_of(root, split):
    folder = osp.join(root, 'ann_dir', split)
    return [np.array(Image.open(osp.join(folder, n)))
            for n in sorted(os.listdir(folder))]


# -- acceptance 2: determinism ------------------------------------------------
def test_same_seed_gives_identical_files_and_other_seeds_differ(tmp_path):
    write_tiny_shapes(tmp_path / 'a', seed=3, noise=NOISY)
    write_tiny_shapes(tmp_path / 'b', seed=3, noise=NOISY)
    write_tiny_shapes(tmp_path / 'c', seed=4, noise=NOISY)
    a, b, c = (files_of(tmp_path / n) for n in 'abc')
    assert len(a) == 2 * (8 + 4) + 1  # images + labels + meta.json
    assert a == b
    images = [k for k in a if k.startswith('img_dir')]
    assert sum(a[k] != c[k] for k in images) == len(images)


def test_validation_set_does_not_depend_on_training_noise(tmp_path):
    """Clean and noisy variants share their validation files byte for byte,
    and label-only noise leaves the training images untouched."""
    write_tiny_shapes(tmp_path / 'clean')
    write_tiny_shapes(tmp_path / 'noisy', noise=NOISY)
    write_tiny_shapes(tmp_path / 'labels', noise=dict(jitter=0.4, drop=0.3))
    clean, noisy, labels = (files_of(tmp_path / n)
                            for n in ('clean', 'noisy', 'labels'))
    for key in clean:
        if '/val/' in key:
            assert clean[key] == noisy[key], key
        if key.startswith('img_dir'):
            assert clean[key] == labels[key], key
    train_labels = [k for k in clean if k.startswith('ann_dir/train')]
    assert any(clean[k] != labels[k] for k in train_labels)


# -- acceptance 3: the zero-shot split, checked on generated data --------------
def test_unseen_words_all_occur_in_seen_classes_of_the_generated_data(tmp_path):
    meta = write_tiny_shapes(tmp_path / 'd', num_train=40, num_val=40)
    on_disk = json.loads((tmp_path / 'd' / 'meta.json').read_text())
    assert on_disk['classes'] == meta['classes'] == list(CLASSES)
    unseen = on_disk['unseen_classes']
    seen = [c for c in on_disk['classes'][1:] if c not in unseen]
    assert len(unseen) == 6 and len(seen) == 24
    seen_words = {w for c in seen for w in class_words(c)}
    for name in unseen:
        for word in class_words(name):
            assert word in seen_words, (name, word)
    # and the unseen classes really occur, in both splits
    for split in ('train', 'val'):
        values = set(np.unique(np.concatenate(
            [m.ravel() for m in labels_of(tmp_path / 'd', split)])).tolist())
        assert {CLASSES.index(u) for u in unseen} <= values, split


def test_label_noise_never_creates_an_unseen_label(tmp_path):
    """A swapped label is another *seen* class sharing a word; dropped
    objects become background; unseen objects are never corrupted."""
    settings = tiny_settings(noise=dict(swap=1.0, outlier=1.0))
    unseen_ids = {CLASSES.index(u) for u in UNSEEN}
    swapped = 0
    for index in range(30):
        _, label, records = render_image(settings, 'train', index, UNSEEN)
        for rec in records:
            if rec['label'] in unseen_ids:
                assert rec['given'] == rec['label']
                assert rec['label_noise'] == rec['outlier'] == ''
                continue
            assert rec['given'] not in unseen_ids and rec['given'] != 0
            assert rec['given'] != rec['label']
            assert set(class_words(CLASSES[rec['given']])) & set(
                class_words(CLASSES[rec['label']]))
            assert rec['outlier']
            swapped += 1
        present_unseen = set(np.unique(label).tolist()) & unseen_ids
        assert present_unseen <= {r['label'] for r in records}
    assert swapped > 20


def test_drop_labels_every_seen_object_background():
    settings = tiny_settings(noise=dict(drop=1.0))
    clean = tiny_settings()
    unseen_ids = {CLASSES.index(u) for u in UNSEEN}
    for index in range(10):
        image, label, _ = render_image(settings, 'train', index, UNSEEN)
        clean_image, clean_label, _ = render_image(clean, 'train', index,
                                                   UNSEEN)
        assert np.array_equal(image, clean_image)
        assert set(np.unique(label).tolist()) <= unseen_ids | {0}
        kept = np.isin(clean_label, list(unseen_ids))
        assert np.array_equal(label[kept], clean_label[kept])


def test_jitter_moves_labels_only_near_object_boundaries():
    jittered, clean = tiny_settings(noise=dict(jitter=1.0)), tiny_settings()
    changed = 0
    for index in range(10):
        _, label, _ = render_image(jittered, 'train', index, UNSEEN)
        _, ref, _ = render_image(clean, 'train', index, UNSEEN)
        diff = label != ref
        changed += int(diff.sum())
        # a pixel 3+ steps away from any label change of the clean map
        # cannot move (jitter is at most 2 steps)
        edge = np.zeros_like(diff)
        edge[:, 1:] |= ref[:, 1:] != ref[:, :-1]
        edge[:, :-1] |= ref[:, 1:] != ref[:, :-1]
        edge[1:] |= ref[1:] != ref[:-1]
        edge[:-1] |= ref[1:] != ref[:-1]
        near = edge.copy()
        for _ in range(2):
            grown = near.copy()
            grown[1:] |= near[:-1]
            grown[:-1] |= near[1:]
            grown[:, 1:] |= near[:, :-1]
            grown[:, :-1] |= near[:, 1:]
            near = grown
        assert not (diff & ~near).any(), index
    assert changed > 0


def test_validation_images_are_always_clean():
    noisy = tiny_settings(noise=dict(drop=1.0, outlier=1.0))
    for index in range(5):
        a = render_image(noisy, 'val', index, UNSEEN)
        b = render_image(tiny_settings(), 'val', index, UNSEEN)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
        assert all(r['label_noise'] == r['outlier'] == '' for r in a[2])


@pytest.mark.parametrize('confusers', [0.0, 1.0])
def test_confusers_make_objects_share_a_word(confusers):
    settings = tiny_settings(confusers=confusers, objects=(4, 4))
    sharing = []
    for index in range(40):
        _, _, records = render_image(settings, 'val', index, UNSEEN)
        names = [CLASSES[r['label']] for r in records]
        assert len(set(names)) == 4  # distinct classes per image
        for j in range(1, 4):
            earlier = {w for n in names[:j] for w in class_words(n)}
            sharing.append(bool(set(class_words(names[j])) & earlier))
    if confusers == 1.0:
        assert all(sharing)
    else:  # uniform draws: a later object shares a word far less often
        assert 0.2 < np.mean(sharing) < 0.8


# -- geometry ---------------------------------------------------------------
@pytest.mark.parametrize('shape,area', [
    ('circle', math.pi * 100),
    ('square', (2 * 0.886 * 10)**2),
    ('ring', math.pi * (10.5**2 - (0.55 * 10.5)**2)),
    ('triangle', 3 * math.sqrt(3) / 4 * 13**2),
    ('cross', 2 * (2 * 11) * (2 * 0.36 * 11) - (2 * 0.36 * 11)**2),
])
def test_shape_coverage_has_the_analytic_area(shape, area):
    cover = coverage(shape, 64, 31.3, 32.6, 10.0, angle=0.7)
    assert cover.min() >= 0 and cover.max() == 1
    assert cover.sum() == pytest.approx(area, rel=0.01)


def test_shapes_near_the_border_are_clipped():
    cover = coverage('circle', 32, 0.0, 0.0, 8.0)
    assert cover.sum() == pytest.approx(math.pi * 64 / 4, rel=0.02)
    assert coverage('circle', 32, -40.0, 10.0, 4.0).sum() == 0


# -- atomic writing and reuse ---------------------------------------------------
def test_interrupted_generation_leaves_nothing_behind(tmp_path, monkeypatch):
    real, calls = generator.render_image, []

    def flaky(*args):
        calls.append(args)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(generator, 'render_image', flaky)
    with pytest.raises(KeyboardInterrupt):
        write_tiny_shapes(tmp_path / 'data')
    assert os.listdir(tmp_path) == []


def test_ensure_reuses_matching_data_and_refuses_other_settings(
        tmp_path, monkeypatch):
    root = str(tmp_path / 'data')
    ensure_shapes(root, tiny_settings(), UNSEEN, progress=False)
    before = files_of(root)

    def fail(*args, **kwargs):
        raise AssertionError('regenerated')

    monkeypatch.setattr(generator, 'generate_shapes', fail)
    ensure_shapes(root, tiny_settings(), UNSEEN, progress=False)
    assert files_of(root) == before
    with pytest.raises(DatasetError, match=r'settings\.seed: 0 on disk, 1'):
        ensure_shapes(root, tiny_settings(seed=1), UNSEEN)
    with pytest.raises(DatasetError, match='unseen_classes'):
        ensure_shapes(root, tiny_settings(), UNSEEN[:3])
    os.remove(osp.join(root, 'meta.json'))
    with pytest.raises(DatasetError, match='not a ZSS-Shapes data root'):
        ensure_shapes(root, tiny_settings(), UNSEEN)


def test_existing_root_is_never_overwritten(tmp_path):
    (tmp_path / 'data').mkdir()
    with pytest.raises(DatasetError, match='already exists'):
        write_tiny_shapes(tmp_path / 'data')


@pytest.mark.parametrize('kwargs,match', [
    (dict(noise=dict(jitter=0.6, drop=0.3, swap=0.2)), 'jitter \\+ drop'),
    (dict(noise=dict(outlier=-0.1)), 'outlier=-0.1'),
    (dict(objects=(0, 2)), 'objects'),
    (dict(radius=(0.3, 0.6)), 'radius'),
    (dict(image_size=8), 'image_size'),
    (dict(num_val=0), 'num_val'),
])
def test_bad_settings_are_refused(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        ShapesSettings(**kwargs)


def test_unknown_unseen_class_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="no class 'pink circle'"):
        generator.generate_shapes(str(tmp_path / 'x'), tiny_settings(),
                                  ['pink circle'])


# -- class list and embeddings ------------------------------------------------
def test_class_list_and_shipped_embeddings_match_the_generator():
    assert get_classes('zss_shapes') == CLASSES
    assert CLASSES[0] == 'background' and len(CLASSES) == 31
    emb = load_class_embeddings('glove50/zss_shapes', num_classes=31, dim=50)
    assert np.allclose(np.linalg.norm(emb, axis=1), 1, atol=1e-5)
    provenance = read_provenance(resolve_path('glove50/zss_shapes'))
    assert [c['name'] for c in provenance['classes']] == list(CLASSES)


def test_noise_is_clean_by_default():
    assert ShapesSettings().noise == ShapesNoise() and ShapesNoise().is_clean
