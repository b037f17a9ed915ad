"""The Pascal-Context-215 split (paper §4.1, PAPER_NOTES 10) from the data.

Rule (deterministic): count, for every full-label class, the validation
images whose 459-class label map contains at least one of its pixels.
Seen = the 59 standard classes. Unseen = every other class counted in at
least ``min_val_images`` (2) validation images. Unseen classes are split
into ``IMN+`` (the class name matches an ImageNet-1K class) and ``IMN-``.

ImageNet match: a name matches when, after :func:`normalize_name`, it
equals any WordNet lemma (synonym) of any of the 1000 ILSVRC-2012 synsets
(``splits/imagenet1k_synsets.json``, with its source). E.g. ``accordion``
matches ``accordion, piano accordion, squeeze box``; ``mouse`` matches
``mouse, computer mouse``.
"""
import hashlib
import json
import os.path as osp
import re
from typing import Dict, Optional, Sequence, Tuple

from .class_names import get_classes
from .pascal_context_labels import PC59_LABEL_IDS
from .zero_shot_split import SPLIT_DIR, ZeroShotSplit, validate_split

IMAGENET_FILE = osp.join(SPLIT_DIR, 'imagenet1k_synsets.json')
FULL_LIST = 'pascal_context_459'


def normalize_name(name: str) -> str:
    """Lower case; ``_`` and ``-`` become spaces; runs of spaces collapse."""
    return re.sub(r'\s+', ' ', re.sub(r'[_-]', ' ', name.lower())).strip()


def load_imagenet_synsets() -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """The 1000 ImageNet-1K synsets: ``(wnid, lemmas)`` in class order."""
    with open(IMAGENET_FILE, encoding='utf-8') as f:
        data = json.load(f)
    return tuple((wnid, tuple(s.strip() for s in lemmas.split(',')))
                 for wnid, lemmas in data['synsets'])


def imagenet_matches(names: Sequence[str]) -> Dict[str, Optional[str]]:
    """Map each name to the wnid of the first ImageNet-1K synset it matches
    (class-index order), or None."""
    lemma_to_wnid = {}
    for wnid, lemmas in load_imagenet_synsets():
        for lemma in lemmas:
            lemma_to_wnid.setdefault(normalize_name(lemma), wnid)
    return {n: lemma_to_wnid.get(normalize_name(n)) for n in names}


def make_pascal_context_215_split(val_image_counts: Sequence[int],
                                  min_val_images: int = 2,
                                  provenance: Optional[dict] = None
                                  ) -> ZeroShotSplit:
    """Build the split from per-class validation image counts.

    Args:
        val_image_counts: (459,) number of validation images containing each
            full-label class (label order of ``get_classes('pascal_context_459')``).
        min_val_images: an unseen class needs at least this many images.
        provenance: extra fields recorded in the file (data, lists, tool).
    """
    classes = get_classes(FULL_LIST)
    assert len(val_image_counts) == len(classes)
    seen_idx = {i - 1 for i in PC59_LABEL_IDS}
    unseen_idx = [i for i, n in enumerate(val_image_counts)
                  if i not in seen_idx and n >= min_val_images]
    unseen = tuple(classes[i] for i in unseen_idx)
    matches = imagenet_matches(unseen)
    info = dict(
        rule='seen: the 59 standard Pascal-Context classes; unseen: every '
        f'other full-label class present in >= {min_val_images} validation '
        'images (pixel count > 0 in its 459-class label map); IMN+: unseen '
        'classes whose name equals a WordNet lemma of an ImageNet-1K class '
        '(lower case, "_"/"-" read as spaces), IMN-: the rest',
        min_val_images=min_val_images,
        generator='tools/make_splits.py pascal-context-215')
    info.update(provenance or {})
    info['val_image_counts'] = {classes[i]: int(val_image_counts[i])
                                for i in sorted(seen_idx | set(unseen_idx))}
    info['imagenet_wnids'] = {n: w for n, w in matches.items() if w}
    total = len(seen_idx) + len(unseen)
    split = ZeroShotSplit(
        name=f'pascal_context_{total}_unseen{len(unseen)}',
        dataset=FULL_LIST,
        seen_classes=tuple(classes[i] for i in sorted(seen_idx)),
        unseen_classes=unseen,
        groups={'IMN+': tuple(n for n in unseen if matches[n]),
                'IMN-': tuple(n for n in unseen if not matches[n])},
        info=info)
    validate_split(split)
    return split


def file_sha256(path: str) -> str:
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()
