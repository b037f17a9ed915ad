"""Phrases -> unit vectors: one rule for the shipped files and for new words.

Shape key: K phrases, D embedding dimension (sum over concatenated sources).

The rule (docs/embeddings.md shows examples):

1. A phrase ``'a, b, c'`` is a synonym list: the normalised mean of the
   vectors of its synonyms, each composed by rules 2-3.
2. A multi-word phrase the vocabulary holds as one token (word2vec's
   ``potted_plant``) is used whole.
3. Otherwise the phrase is the mean of the L2-normalised vectors of its words,
   so that frequent words with long vectors do not dominate. Function words
   (``of``, ``the``, ...) are skipped when the phrase has other words (word2vec
   has no vector for several of them). A hyphenated word missing from the
   vocabulary is composed from its parts; with a fastText model, a missing word
   gets its subword (character n-gram) vector.
4. The row is L2-normalised. With several sources each source's unit vector
   is concatenated and the result normalised again, so each source weighs the
   same (word2vec + fastText = 600-d, as in SPNet and JoEm).

A word is looked up as written, then lower-case, Capitalised and UPPER-case
(word2vec is case-sensitive, GloVe lower-case). The maths runs in float64 with
numpy's own reductions (no BLAS), so the same inputs give the same bytes.
"""
import difflib
import hashlib

import numpy as np

from ..errors import EmbeddingError
from .sources import DEFAULT_SOURCE, load_word_vectors

STOP_WORDS = frozenset(
    ('a', 'an', 'and', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to',
     'with'))
OOV_FALLBACK = 'random unit vector seeded by the sha256 of the phrase'


def _unit(vector):
    """``vector`` / its L2 norm in float64, or None for a zero vector."""
    vector = np.asarray(vector, dtype=np.float64)
    norm = np.sqrt(np.sum(vector * vector))
    return vector / norm if norm > 0 and np.isfinite(norm) else None


def _lookup(kv, word):
    """The vocabulary token spelling ``word``, or None."""
    for token in dict.fromkeys(
            (word, word.lower(), word.capitalize(), word.upper())):
        if token in kv.key_to_index:
            return token
    return None


def _word_vectors(wv, word):
    """``[(token, unit vector, from_subwords)]`` for one word; [] if missing."""
    token = _lookup(wv.kv, word)
    if token is not None:
        vector = _unit(wv.kv.get_vector(token))
        return [] if vector is None else [(token, vector, False)]
    parts = [p for p in word.split('-') if p]
    if len(parts) > 1:
        hits = [_word_vectors(wv, p) for p in parts]
        if all(hits):
            return [h for hit in hits for h in hit]
    if wv.subwords:  # fastText: mean of the word's character n-gram vectors
        vector = _unit(wv.kv.get_vector(word))
        if vector is not None:
            return [(word, vector, True)]
    return []


def _compose_words(wv, phrase):
    """``(unit vector or None, record, missing words)`` by rules 2-3."""
    words = phrase.split()
    if len(words) > 1:
        token = _lookup(wv.kv, '_'.join(words))
        if token is not None:
            vector = _unit(wv.kv.get_vector(token))
            if vector is not None:
                return vector, dict(how='phrase token', tokens=[token]), []
    content = [w for w in words if w.lower() not in STOP_WORDS] or words
    hits, missing = [], []
    for word in content:
        found = _word_vectors(wv, word)
        hits.extend(found)
        if not found:
            missing.append(word)
    record = dict(how='word', tokens=[t for t, _, _ in hits])
    if len(hits) > 1:
        record['how'] = 'mean'
    subwords = [t for t, _, sub in hits if sub]
    if subwords:
        record.update(how='subwords', subwords=subwords)
    if not hits:
        return None, record, missing
    return _unit(np.mean([v for _, v, _ in hits], axis=0)), record, missing


def compose_phrase(wv, phrase):
    """``(unit vector (D,) or None, record, missing words)`` of one phrase.

    ``record`` says how the vector was made: ``how`` is one of ``word``,
    ``phrase token``, ``mean``, ``subwords``, ``synonym mean``; ``tokens`` are
    the vocabulary entries used.
    """
    synonyms = [s.strip() for s in phrase.split(',') if s.strip()]
    if len(synonyms) <= 1:
        return _compose_words(wv, phrase.replace(',', ' '))
    parts = [_compose_words(wv, s) for s in synonyms]
    found = [v for v, _, _ in parts if v is not None]
    record = dict(how='synonym mean',
                  tokens=[t for _, r, _ in parts for t in r['tokens']],
                  synonyms=[r for _, r, _ in parts])
    missing = [w for _, _, m in parts for w in m]
    vector = _unit(np.mean(found, axis=0)) if found else None
    return vector, record, missing


def oov_fallback(phrase, dim):
    """A fixed random unit vector for a phrase none of whose words is known.

    Seeded by the phrase so rebuilding gives the same bytes; random directions
    in D dimensions are nearly orthogonal to every real class. RandomState's
    stream is frozen by numpy's compatibility policy.
    """
    seed = int.from_bytes(hashlib.sha256(phrase.encode()).digest()[:4], 'little')
    return _unit(np.random.RandomState(seed).standard_normal(dim))


def compose_embeddings(phrases, sources=(DEFAULT_SOURCE, ), names=None,
                       allow_oov=False, limit=None):
    """Embed K phrases: ``(emb (K, D) float32, per-phrase records)``.

    ``sources`` are source specs (:mod:`.sources`), concatenated in order;
    ``names`` (default: the phrases) name the classes in messages. Missing
    words raise one :class:`EmbeddingError` listing every missing word with
    its class, unless ``allow_oov``: then the known words are used, a phrase
    with none gets :func:`oov_fallback`, and the record says so.
    """
    if isinstance(sources, str):
        sources = (sources, )
    as_classes = names is not None
    names = list(names) if as_classes else list(phrases)
    vectors = [load_word_vectors(s, limit=limit) for s in sources]
    rows, records, problems = [], [], []
    for name, phrase in zip(names, phrases):
        parts, record = [], []
        for wv in vectors:
            vector, rec, missing = compose_phrase(wv, phrase)
            if missing:
                rec['missing'] = missing
                problems.append((wv, name, phrase, missing))
            if vector is None:
                vector = oov_fallback(phrase, wv.dim)
                rec.update(how='oov fallback', fallback=OOV_FALLBACK)
            parts.append(vector)
            record.append(dict(source=wv.spec, **rec))
        rows.append(_unit(np.concatenate(parts)))
        records.append(record)
    if problems and not allow_oov:
        raise EmbeddingError(_missing_message(problems, as_classes))
    return np.stack(rows).astype(np.float32), records


def embed_phrases(phrases, source=DEFAULT_SOURCE, allow_oov=False):
    """``(K, D)`` float32 unit rows for any phrases, composed exactly like the
    shipped class embeddings of the same source, so a model trained on those
    can score new words. ``source`` may be a list to concatenate sources.

    An unknown word raises :class:`EmbeddingError` naming it and the closest
    vocabulary words.
    """
    if isinstance(phrases, str):
        phrases = [phrases]
    return compose_embeddings(list(phrases), source, allow_oov=allow_oov)[0]


def closest_words(kv, word, n=3):
    """Vocabulary words spelled most like ``word`` (difflib ratio)."""
    word = word.lower()
    pool = [w for w in kv.index_to_key
            if abs(len(w) - len(word)) <= 2 and w[:1].lower() == word[:1]]
    return difflib.get_close_matches(word, pool, n=n, cutoff=0.75)


def _missing_message(problems, as_classes, max_listed=20):
    """Every missing word, with its class and the closest vocabulary words."""
    lines = []
    for wv, name, phrase, missing in problems[:max_listed]:
        hints = [f'{w!r} (closest: {", ".join(closest_words(wv.kv, w)) or "-"})'
                 for w in missing]
        label = name if name == phrase else f'{name} (phrase {phrase!r})'
        where = f'class {label}' if as_classes else f'phrase {phrase!r}'
        limit = f' (first {wv.limit} words)' if wv.limit else ''
        lines.append(f'{where}: {", ".join(hints)} not in {wv.spec}{limit}')
    if len(problems) > max_listed:
        lines.append(f'... and {len(problems) - max_listed} more')
    if not as_classes:
        return ('; '.join(lines) + '; use another word, or a fastText .bin '
                'source, which embeds any word through its subwords')
    classes = len({name for _, name, _, _ in problems})
    return (f'{classes} class(es) have words missing from the word '
            f'vectors: ' + '; '.join(lines) + '. Change the phrase (a class '
            'file line "name<TAB>phrase"), use a fastText .bin (subwords), or '
            'pass --allow-oov to record a fallback')
