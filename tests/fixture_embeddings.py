"""Writers of word-vector files in the real on-disk formats (tests only).

Real GloVe 6B 50-d vectors (the bundled package) are written with gensim's own
writers, so the loaders are tested on the formats users have on disk.
"""
import gzip
import shutil

import numpy as np

# words the tests embed, plus the most frequent ones up to a few hundred
TEST_WORDS = ('cat', 'dog', 'sky', 'potted', 'plant', 'tv', 'monitor', 'chest',
              'drawers', 'of', 'horse-drawn', 'carriage', 'building',
              'edifice')


def glove_subset(num_frequent=300, extra=TEST_WORDS):
    """``(words, vectors (N, 50) float32)``: the ``num_frequent`` most frequent
    GloVe 6B words plus ``extra``, from the bundled package."""
    from mmseg_zss.embeddings import load_word_vectors
    kv = load_word_vectors('glove-6b-50d').kv
    words = list(dict.fromkeys(kv.index_to_key[:num_frequent] + list(extra)))
    return words, np.stack([kv.get_vector(w) for w in words])


def keyed_vectors(words, vectors):
    from gensim.models import KeyedVectors
    kv = KeyedVectors(vectors.shape[1], count=0, dtype=np.float32)
    kv.add_vectors(list(words), np.asarray(vectors, dtype=np.float32))
    for i, word in enumerate(kv.index_to_key):  # keeps the order on save
        kv.set_vecattr(word, 'count', len(kv) - i)
    return kv


def write_word2vec(path, words, vectors, binary):
    """word2vec C format (``N D`` header), binary or text, via gensim."""
    keyed_vectors(words, vectors).save_word2vec_format(path, binary=binary)
    return path


def write_glove_text(path, words, vectors):
    """GloVe text: ``word v1 ... vD`` per line, no header."""
    keyed_vectors(words, vectors).save_word2vec_format(
        path, binary=False, write_header=False)
    return path


def write_gzip(src, dst):
    with open(src, 'rb') as f, gzip.open(dst, 'wb') as g:
        shutil.copyfileobj(f, g)
    return dst


FASTTEXT_CORPUS = [
    'the cat sat on the mat with another cat'.split(),
    'a dog and a cat played in the garden'.split(),
    'the kitten and the puppy slept on the sofa'.split(),
    'a bird flew over the house and the tree'.split(),
    'the boat sailed on the water under the sky'.split(),
] * 20


def write_fasttext_bin(path, vector_size=16, seed=0):
    """A tiny gensim FastText model saved in Facebook's ``.bin`` format."""
    from gensim.models.fasttext import FastText, save_facebook_model
    model = FastText(vector_size=vector_size, window=3, min_count=1, min_n=3,
                     max_n=5, bucket=2000, epochs=5, seed=seed, workers=1)
    model.build_vocab(corpus_iterable=FASTTEXT_CORPUS)
    model.train(corpus_iterable=FASTTEXT_CORPUS,
                total_examples=len(FASTTEXT_CORPUS), epochs=model.epochs)
    save_facebook_model(model, path)
    return path


def write_class_embeddings(stem, emb, names):
    """``stem.npy`` + a minimal ``stem.json`` naming the classes."""
    import json
    np.save(stem + '.npy', emb)
    meta = dict(classes=[dict(index=i, name=n) for i, n in enumerate(names)],
                num_classes=len(names), dim=int(emb.shape[1]))
    with open(stem + '.json', 'w') as f:
        json.dump(meta, f)
    return stem + '.npy'
