"""Split files: reload + validate every shipped one (acceptance 4), the
seeded rule, byte-identical regeneration, and the PC-215 rule."""
import json
import os.path as osp

import fixture_tools
import numpy as np
import pytest
from fixture_datasets import write_pascal_context_459

import mmseg_zss  # noqa: F401
from mmseg_zss.datasets import available_splits, get_classes, load_split
from mmseg_zss.datasets.full_label_split import (
    imagenet_matches,
    load_imagenet_synsets,
    make_pascal_context_215_split,
)
from mmseg_zss.datasets.pascal_context_labels import PC59_LABEL_IDS
from mmseg_zss.datasets.zero_shot_split import SPLIT_DIR, seeded_order
from mmseg_zss.errors import DatasetError

EXPECTED = {
    'pascal_context_59_unseen10', 'pascal_context_59_unseen20',
    'pascal_context_59_unseen30', 'pascal_context_59_unseen10_zs3net',
    'ade20k_150_unseen25', 'ade20k_150_unseen50', 'ade20k_150_unseen75'
}


def load_tool():
    return fixture_tools.load_tool('make_splits')


@pytest.mark.parametrize('name', sorted(EXPECTED | set(available_splits())))
def test_every_shipped_split(name):
    split = load_split(name)
    seen, unseen = set(split.seen_classes), set(split.unseen_classes)
    assert not seen & unseen
    assert seen | unseen == set(get_classes(split.dataset))
    k = int(name.split('_unseen')[1].split('_')[0])
    assert len(unseen) == k
    assert split.info['rule'] and split.info['generator']


def test_shipped_set_is_complete():
    assert EXPECTED <= set(available_splits())


def test_seeded_splits_nested_and_zs3net():
    u10, u20, u30 = (set(load_split(f'pascal_context_59_unseen{k}')
                         .unseen_classes) for k in (10, 20, 30))
    assert u10 < u20 < u30
    order = seeded_order(get_classes('pascal_context_59'), 0)
    assert u10 == set(order[:10])
    zs3 = load_split('pascal_context_59_unseen10_zs3net')
    assert set(zs3.unseen_classes) == {
        'cow', 'motorbike', 'sofa', 'cat', 'boat', 'fence', 'bird',
        'tvmonitor', 'keyboard', 'aeroplane'}


def test_regeneration_is_byte_identical(tmp_path, capsys):
    tool = load_tool()
    tool.main(['seeded', '--check'])  # exits 1 on any difference
    assert capsys.readouterr().out.count('same') == len(EXPECTED)
    tool.main(['seeded', '--out-dir', str(tmp_path)])
    for name in EXPECTED:
        fresh = (tmp_path / f'{name}.json').read_bytes()
        with open(osp.join(SPLIT_DIR, name + '.json'), 'rb') as f:
            assert fresh == f.read()


@pytest.mark.parametrize('change, message', [
    (dict(unseen_classes=['cat', 'cat']), "lists 'cat' twice"),
    (dict(seen_classes=['cat'], unseen_classes=['cat']),
     "'cat' is both seen and unseen"),
    (dict(name='pascal_context_59_unseen11'), 'with 11 unseen'),
    (dict(unseen_classes=['kitty']), "class 'kitty' in unseen_classes"),
])
def test_bad_split_files(tmp_path, change, message):
    data = load_split('pascal_context_59_unseen10').to_dict()
    if 'unseen_classes' in change and 'seen_classes' not in change:
        data['seen_classes'] = [c for c in data['seen_classes']
                                if c not in change['unseen_classes']]
    data.update(change)
    path = tmp_path / 'split.json'
    path.write_text(json.dumps(data))
    with pytest.raises(DatasetError, match=message):
        load_split(str(path))


def test_unknown_split_name():
    with pytest.raises(DatasetError, match='shipped: ade20k_150_unseen25'):
        load_split('pascal_context_59_unseen99')


def test_imagenet_list_and_matching():
    synsets = load_imagenet_synsets()
    assert len(synsets) == 1000 == len({w for w, _ in synsets})
    assert synsets[0] == ('n01440764', ('tench', 'Tinca tinca'))
    m = imagenet_matches(['accordion', 'mouse', 'airconditioner', 'Tench',
                          'computer-mouse'])
    assert m == {'accordion': 'n02672831', 'mouse': 'n03793489',
                 'airconditioner': None, 'Tench': 'n01440764',
                 'computer-mouse': 'n03793489'}


def test_pascal_context_215_rule():
    classes = get_classes('pascal_context_459')
    counts = np.zeros(459, np.int64)
    seen_ids = [i - 1 for i in PC59_LABEL_IDS]
    counts[seen_ids] = 1  # seen whatever their count
    counts[classes.index('accordion')] = 2  # ImageNet class -> IMN+
    counts[classes.index('airconditioner')] = 5  # -> IMN-
    counts[classes.index('monkey')] = 1  # one image only: left out
    split = make_pascal_context_215_split(counts)
    assert split.name == 'pascal_context_61_unseen2'
    assert split.unseen_classes == ('accordion', 'airconditioner')
    assert split.groups == {'IMN+': ('accordion',),
                            'IMN-': ('airconditioner',)}
    assert len(split.seen_classes) == 59
    assert split.info['val_image_counts']['airconditioner'] == 5


def test_pascal_context_215_tool(tmp_path, capsys):
    root = str(tmp_path)
    write_pascal_context_459(root, num_train=1, num_val=6, size=32)
    load_tool().main(['pascal-context-215', '--data-root', root])
    out = capsys.readouterr().out
    path = out.split('wrote ')[1].split(':')[0]
    split = load_split(path, 'pascal_context_459')
    assert split.info['data']['val_images'] == 6
    # id 401 (class 400) is in 3 of the 6 validation maps -> unseen
    assert get_classes('pascal_context_459')[400] in split.unseen_classes
    assert set(split.groups['IMN+']) | set(split.groups['IMN-']) == set(
        split.unseen_classes)
