"""Class lists: sources, label order, phrases, errors."""
import pytest

import mmseg_zss  # noqa: F401  (before mmseg: mmcv.ops stand-in)
from mmseg_zss.datasets import class_names as cn
from mmseg_zss.errors import DatasetError


def test_lists_match_mmseg():
    from mmseg.datasets import ADE20KDataset, PascalContextDataset59
    assert cn.get_classes('pascal_context_59') == tuple(
        PascalContextDataset59.METAINFO['classes'])
    assert cn.get_classes('ade20k_150') == tuple(
        c.strip() for c in ADE20KDataset.METAINFO['classes'])


def test_pascal_context_459_labels_txt_order():
    names = cn.get_classes('pascal_context_459')
    assert len(names) == len(set(names)) == 459
    # labels.txt: 1: accordion, 2: aeroplane, ..., 459: wool
    assert names[:3] == ('accordion', 'aeroplane', 'airconditioner')
    assert names[-1] == 'wool'
    assert names[names.index('horse') + 1] == 'horse-drawncarriage'
    # the 59 classes are a subset of the full labels, spelled the same
    assert set(cn.get_classes('pascal_context_59')) <= set(names)


def test_phrases_split_compounds_and_keep_order():
    names = cn.get_classes('pascal_context_459')
    phrases = dict(zip(names, cn.get_phrases('pascal_context_459')))
    assert phrases['pottedplant'] == 'potted plant'
    assert phrases['harddiskdrive'] == 'hard disk drive'
    assert phrases['casetterecorder'] == 'cassette recorder'
    assert phrases['bathtub'] == 'bathtub'
    pc59 = dict(zip(cn.get_classes('pascal_context_59'),
                    cn.get_phrases('pascal_context_59')))
    assert pc59['tvmonitor'] == 'tv monitor'
    assert pc59['cat'] == 'cat'
    # no override for a name that is not in the list (typo guard)
    assert set(cn._PASCAL_CONTEXT_459_PHRASES) <= set(names)


def test_ade20k_synonyms_and_first_synonym_rule():
    syn = cn.get_synonyms('ade20k_150')
    assert len(syn) == 150
    assert syn[1] == ('building', 'edifice')
    assert cn.get_phrases('ade20k_150')[1] == 'building'
    assert cn.get_classes('ade20k_150')[89] == 'television receiver'
    assert 'television receiver' in syn[89]
    for name, synonyms in zip(cn.get_classes('ade20k_150'), syn):
        assert name in synonyms


def test_every_list_is_consistent():
    for key in cn.DATASETS:
        names, phrases = cn.get_classes(key), cn.get_phrases(key)
        assert len(names) == len(phrases) == len(set(names)) > 0
        assert all(p and p == p.strip() for p in phrases)


def test_adding_a_list_is_one_entry(monkeypatch):
    monkeypatch.setitem(cn.CLASS_LISTS, 'toy', ('cat', ('tvmonitor', 'tv')))
    assert cn.get_classes('toy') == ('cat', 'tvmonitor')
    assert cn.get_phrases('toy') == ('cat', 'tv')


def test_unknown_list_names_the_known_ones():
    with pytest.raises(DatasetError, match="'nope'.*pascal_context_59"):
        cn.get_classes('nope')
