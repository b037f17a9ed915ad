"""Composition of phrases into class vectors, with hand-computed values."""
import numpy as np
import pytest
from fixture_embeddings import write_word2vec

import mmseg_zss  # noqa: F401
from mmseg_zss.embeddings import build_class_embeddings, embed_phrases
from mmseg_zss.embeddings.compose import oov_fallback
from mmseg_zss.errors import EmbeddingError

# a word2vec-style vocabulary: case-sensitive, with a phrase token
VOCAB = {
    'potted': [3, 4, 0], 'plant': [0, 0, 2], 'potted_plant': [0, 5, 0],
    'TV': [0, 0, 7], 'monitor': [1, 0, 0], 'chest': [0, 3, 0],
    'of': [9, 9, 9], 'drawers': [0, 0, 1], 'horse': [2, 0, 0],
    'drawn': [0, 2, 0], 'carriage': [0, 0, 2], 'cat': [1, 1, 0],
    'feline': [1, -1, 0],
}


@pytest.fixture(scope='module')
def toy(tmp_path_factory):
    """The toy vocabulary, and the same without the phrase token."""
    root = tmp_path_factory.mktemp('toy')
    words = list(VOCAB)
    vectors = np.array([VOCAB[w] for w in words], np.float32)
    plain = [w for w in words if w != 'potted_plant']
    return dict(
        full=write_word2vec(str(root / 'toy.txt'), words, vectors, False),
        plain=write_word2vec(str(root / 'plain.txt'), plain,
                             vectors[[words.index(w) for w in plain]], False))


def meta_of(toy, phrases, key='full', **kwargs):
    emb, meta = build_class_embeddings(
        [(p, p) for p in phrases], toy[key], **kwargs)
    return emb, [c['composition'][0] for c in meta['classes']]


def test_phrase_token_is_used_whole(toy):
    emb, rec = meta_of(toy, ['potted plant'])
    np.testing.assert_allclose(emb[0], [0, 1, 0])
    assert rec[0]['how'] == 'phrase token'
    assert rec[0]['tokens'] == ['potted_plant']


def test_mean_of_normalised_word_vectors(toy):
    # unit(3,4,0) = (.6,.8,0); unit(0,0,2) = (0,0,1); mean (.3,.4,.5),
    # norm sqrt(.5): (.3,.4,.5)/.70711 = (.42426,.56569,.70711)
    emb, rec = meta_of(toy, ['potted plant'], key='plain')
    np.testing.assert_allclose(emb[0], [0.42426407, 0.56568542, 0.70710678],
                               rtol=1e-6)
    assert rec[0] == dict(source=toy['plain'], how='mean',
                          tokens=['potted', 'plant'])


def test_case_stop_words_and_hyphens(toy):
    emb, rec = meta_of(toy, ['tv monitor', 'chest of drawers',
                             'horse-drawn carriage'])
    h = np.sqrt(0.5)
    np.testing.assert_allclose(emb[0], [h, 0, h], rtol=1e-6)  # TV + monitor
    assert rec[0]['tokens'] == ['TV', 'monitor']
    np.testing.assert_allclose(emb[1], [0, h, h], rtol=1e-6)  # 'of' skipped
    assert rec[1]['tokens'] == ['chest', 'drawers']
    s = 1 / np.sqrt(3)  # horse-drawn -> horse + drawn; + carriage
    np.testing.assert_allclose(emb[2], [s, s, s], rtol=1e-6)
    assert rec[2]['tokens'] == ['horse', 'drawn', 'carriage']


def test_synonym_list_is_the_mean_of_synonyms(toy):
    # unit(1,1,0) and unit(1,-1,0) average to (.70711, 0, 0) -> (1, 0, 0)
    emb, rec = meta_of(toy, ['cat, feline'])
    np.testing.assert_allclose(emb[0], [1, 0, 0], atol=1e-7)
    assert rec[0]['how'] == 'synonym mean'
    assert rec[0]['tokens'] == ['cat', 'feline']


def test_concatenation_weighs_each_source_equally(toy):
    emb = embed_phrases(['cat', 'tv monitor'], [toy['full'], 'glove-6b-50d'])
    assert emb.shape == (2, 53) and emb.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(emb[:, :3], axis=1),
                               np.sqrt(0.5), rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(emb[:, 3:], axis=1),
                               np.sqrt(0.5), rtol=1e-6)
    glove = embed_phrases(['cat', 'tv monitor'])
    np.testing.assert_allclose(emb[:, 3:] * np.sqrt(2), glove, atol=1e-6)


def test_missing_words_listed_with_their_classes(toy):
    with pytest.raises(EmbeddingError) as e:
        build_class_embeddings([('zebra', 'zebra'), ('cat', 'cat'),
                                ('giraffe', 'tall giraffe')], toy['full'])
    msg = str(e.value)
    assert '2 class(es)' in msg
    assert "class zebra: 'zebra'" in msg
    assert "class giraffe (phrase 'tall giraffe'): 'tall' (closest: -), " \
        "'giraffe'" in msg
    assert '--allow-oov' in msg


def test_allow_oov_records_the_fallback(toy):
    emb, rec = meta_of(toy, ['zebra', 'potted zebra'], key='plain',
                       allow_oov=True)
    assert rec[0]['how'] == 'oov fallback' and rec[0]['missing'] == ['zebra']
    assert 'sha256 of the phrase' in rec[0]['fallback']
    np.testing.assert_allclose(emb[0], oov_fallback('zebra', 3), rtol=1e-6)
    # a fixed vector: the same phrase gives the same bytes
    assert oov_fallback('zebra', 3).tobytes() == \
        oov_fallback('zebra', 3).tobytes()
    # partly known: the known words are used and the missing one recorded
    assert rec[1]['how'] == 'word' and rec[1]['tokens'] == ['potted']
    assert rec[1]['missing'] == ['zebra']
    np.testing.assert_allclose(emb[1], [0.6, 0.8, 0], rtol=1e-6)


def test_embed_phrases_suggests_close_words():
    with pytest.raises(EmbeddingError) as e:
        embed_phrases(['giraffee'])
    assert "'giraffee' (closest: giraffe, giraffes" in str(e.value)
    emb = embed_phrases('giraffe')
    assert emb.shape == (1, 50)
