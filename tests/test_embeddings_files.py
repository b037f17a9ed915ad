"""Embedding files: shipped files rebuild byte for byte, the loader's checks,
the build tool (class files, --allow-oov, one-line errors)."""
import json
import os
import os.path as osp
import re
import shlex

import numpy as np
import pytest
from fixture_embeddings import write_class_embeddings
from fixture_tools import load_tool

import mmseg_zss  # noqa: F401
from mmseg_zss.datasets import get_classes, get_phrases
from mmseg_zss.embeddings import (
    embed_phrases,
    load_class_embeddings,
    read_provenance,
    shipped_embeddings,
)
from mmseg_zss.errors import EmbeddingError

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def build_tool():
    return load_tool('build_class_embeddings')


def documented_commands():
    """The ``--out mmseg_zss/embeddings/data/...`` commands of the docs."""
    with open(osp.join(REPO, 'docs', 'embeddings.md')) as f:
        lines = re.findall(r'^python tools/build_class_embeddings\.py .*$',
                           f.read(), re.M)
    return [shlex.split(line)[2:] for line in lines
            if '--out mmseg_zss/embeddings/data/' in line]


def test_every_shipped_embedding_has_a_documented_command():
    outs = {argv[argv.index('--out') + 1] for argv in documented_commands()}
    assert {f'mmseg_zss/embeddings/data/{n}' for n in shipped_embeddings()} \
        == outs
    assert len(outs) >= 3


@pytest.mark.parametrize('argv', documented_commands(),
                         ids=lambda a: a[a.index('--out') + 1].split('/')[-1])
def test_documented_command_rebuilds_shipped_file_byte_for_byte(argv,
                                                                tmp_path):
    i = argv.index('--out') + 1
    committed = osp.join(REPO, argv[i])
    argv = argv[:i] + [str(tmp_path / 'rebuilt')] + argv[i + 1:]
    build_tool().main(argv)
    for ext in ('.npy', '.json'):
        with open(committed + ext, 'rb') as a, \
                open(str(tmp_path / 'rebuilt') + ext, 'rb') as b:
            assert a.read() == b.read(), f'{committed}{ext} differs'


@pytest.mark.parametrize('key', [n.split('/')[1] for n in shipped_embeddings()
                                 if n.startswith('glove50/')])
def test_shipped_files_load_and_match_their_class_list(key):
    names = get_classes(key)
    emb = load_class_embeddings(f'glove50/{key}', num_classes=len(names),
                                dim=50, class_names=names)
    assert emb.dtype == np.float32 and emb.shape == (len(names), 50)
    meta = read_provenance(osp.join(REPO, 'mmseg_zss', 'embeddings', 'data',
                                    'glove50', f'{key}.npy'))
    assert [c['phrase'] for c in meta['classes']] == list(get_phrases(key))
    assert meta['sources'][0]['spec'] == 'glove-6b-50d'
    # on-the-fly embedding composes exactly like the shipped file
    assert embed_phrases(get_phrases(key)).tobytes() == emb.tobytes()


def test_shipped_pascal_context_59_is_semantically_sane():
    emb = load_class_embeddings('glove50/pascal_context_59')
    names = get_classes('pascal_context_59')
    cat, dog, sky = (emb[names.index(n)] for n in ('cat', 'dog', 'sky'))
    assert float(cat @ dog) > float(cat @ sky)
    meta = read_provenance(osp.join(REPO, 'mmseg_zss', 'embeddings', 'data',
                                    'glove50', 'pascal_context_59.npy'))
    potted = meta['classes'][names.index('pottedplant')]
    assert potted['phrase'] == 'potted plant'
    assert potted['composition'][0]['how'] == 'mean'
    assert potted['composition'][0]['tokens'] == ['potted', 'plant']


@pytest.fixture
def good(tmp_path):
    emb = embed_phrases(['cat', 'dog', 'sky'])
    return write_class_embeddings(str(tmp_path / 'good'), emb,
                                  ['cat', 'dog', 'sky']), emb


def test_loader_accepts_a_good_file(good):
    path, emb = good
    out = load_class_embeddings(path, num_classes=3, dim=50,
                                class_names=['cat', 'dog', 'sky'])
    assert out.tobytes() == emb.tobytes()


def test_loader_rejects_wrong_row_count(good):
    with pytest.raises(EmbeddingError, match=r'good\.npy has 3 rows .* 4 '
                       'classes'):
        load_class_embeddings(good[0], num_classes=4)


def test_loader_rejects_wrong_dimension(good):
    with pytest.raises(EmbeddingError, match=r'good\.npy has dimension 50 '
                       'but the model expects 300'):
        load_class_embeddings(good[0], dim=300)


def test_loader_rejects_nan_rows(tmp_path, good):
    emb = good[1].copy()
    emb[1, 3] = np.nan
    path = write_class_embeddings(str(tmp_path / 'nan'), emb,
                                  ['cat', 'dog', 'sky'])
    with pytest.raises(EmbeddingError, match=r'nan\.npy: rows 1 contain NaN'):
        load_class_embeddings(path)


def test_loader_rejects_rows_that_are_not_unit(tmp_path, good):
    path = write_class_embeddings(str(tmp_path / 'long'), good[1] * 2,
                                  ['cat', 'dog', 'sky'])
    with pytest.raises(EmbeddingError, match=r'rows 0, 1, 2 have L2 norm 2, '
                       '2, 2 instead of 1'):
        load_class_embeddings(path)


def test_loader_rejects_other_class_names(good):
    with pytest.raises(EmbeddingError, match="class 2 is 'sky' in the file, "
                       "'tree' in the dataset"):
        load_class_embeddings(good[0], class_names=['cat', 'dog', 'tree'])


def test_loader_missing_file_says_how_to_build(tmp_path):
    with pytest.raises(EmbeddingError, match=r'missing\.npy does not exist; '
                       'build it with: python tools/build_class_embeddings'):
        load_class_embeddings(str(tmp_path / 'missing.npy'))
    with pytest.raises(EmbeddingError, match='--classes ade20k_847 .*shipped: '
                       'glove50/ade20k_150'):
        load_class_embeddings('glove50/ade20k_847')


def test_loader_rejects_a_file_that_is_not_npy(tmp_path):
    path = tmp_path / 'text.npy'
    path.write_text('not an array')
    with pytest.raises(EmbeddingError, match=r'text\.npy is not a \.npy'):
        load_class_embeddings(str(path))


def test_tool_all_missing_class_fails_then_allow_oov_records(tmp_path,
                                                           capsys):
    classes = tmp_path / 'classes.txt'
    classes.write_text('# name<TAB>phrase\ncat\nqwzx\tqwzx blrph\ntv\ttv set\n')
    out = str(tmp_path / 'emb')
    with pytest.raises(SystemExit) as e:
        build_tool().main(['--class-file', str(classes), '--out', out])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and err.startswith('error: ')
    assert "class qwzx (phrase 'qwzx blrph'): 'qwzx'" in err
    assert "'blrph'" in err
    assert os.listdir(tmp_path) == ['classes.txt']  # nothing half-written

    build_tool().main(['--class-file', str(classes), '--out', out,
                       '--allow-oov'])
    assert 'composed: 1 mean, 1 oov fallback, 1 word' in capsys.readouterr().out
    emb = load_class_embeddings(out + '.npy', class_names=['cat', 'qwzx', 'tv'])
    meta = read_provenance(out + '.npy')
    rec = meta['classes'][1]['composition'][0]
    assert rec['how'] == 'oov fallback'
    assert rec['missing'] == ['qwzx', 'blrph'] and meta['allow_oov'] is True
    assert meta['class_list'].startswith('file classes.txt sha256:')
    assert emb.shape == (3, 50)
    assert sorted(os.listdir(tmp_path)) == ['classes.txt', 'emb.json',
                                            'emb.npy']


def test_tool_concat_and_bad_source(tmp_path, capsys):
    out = str(tmp_path / 'cat')
    build_tool().main(['--classes', 'pascal_context_59', '--out', out,
                       '--concat', 'glove-6b-50d', '--limit', '200000'])
    emb = load_class_embeddings(out + '.npy', num_classes=59, dim=100)
    np.testing.assert_allclose(emb[:, :50], emb[:, 50:], atol=1e-7)
    with open(out + '.json') as f:
        assert [s['limit'] for s in json.load(f)['sources']] == [200000] * 2
    with pytest.raises(SystemExit):  # 'bedclothes' is word 176371
        build_tool().main(['--classes', 'pascal_context_59', '--out', out,
                           '--limit', '100000'])
    assert "1 class(es) have words missing" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_tool().main(['--classes', 'pascal_context_59', '--out', out,
                           '--source', 'nope.bin'])
    assert "error: word-vector source 'nope.bin' is neither" in \
        capsys.readouterr().err
