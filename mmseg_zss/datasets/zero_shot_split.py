"""Zero-shot splits: seen / unseen class sets stored as JSON data files.

A split is defined by class *names* (never indices), together with the rule
and seed that produced it, so that it can be audited and regenerated.
Shipped splits live in ``mmseg_zss/datasets/splits/<name>.json``; a split
computed from the user's data (Pascal-Context-215) is any JSON path.

File format (keys)::

    name            '<family>_<num_classes>_unseen<K>[_<variant>]'
    dataset         class-list key of ``class_names.get_classes`` whose
                    label order the split refers to
    seen_classes    names, in label order
    unseen_classes  names, in label order
    rule, seed      how the unseen classes were chosen
    groups          optional {group name: [unseen class names]} (IMN+/IMN-)
    ...             free provenance (generator, counts)

``seen_classes`` + ``unseen_classes`` are the split's *evaluated classes*;
for Pascal-Context-59 and ADE20K-150 they are the whole class list, for
Pascal-Context-215 a subset of the 459 full-label classes. Classes of the
dataset that are in neither set are never training targets and are not
evaluated (their pixels still count as "other labelled" pixels).
"""
import hashlib
import json
import os
import os.path as osp
import re
from dataclasses import dataclass, field
from typing import Dict, Optional, Sequence, Tuple

from ..errors import DatasetError
from ..utils.io import atomic_write
from .class_names import get_classes

SPLIT_DIR = osp.join(osp.dirname(osp.abspath(__file__)), 'splits')
_NAME_RE = re.compile(r'_(\d+)_unseen(\d+)(?:_[a-z0-9]+)?$')


@dataclass(frozen=True)
class ZeroShotSplit:
    """A validated seen/unseen partition of (part of) a dataset's classes."""

    name: str
    dataset: str
    seen_classes: Tuple[str, ...]
    unseen_classes: Tuple[str, ...]
    groups: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    path: Optional[str] = None

    @property
    def classes(self) -> Tuple[str, ...]:
        """The evaluated classes (seen + unseen) in the dataset's label order."""
        chosen = set(self.seen_classes) | set(self.unseen_classes)
        return tuple(c for c in get_classes(self.dataset) if c in chosen)

    def indices(self, names: Sequence[str]) -> Tuple[int, ...]:
        """Label values (indices into the dataset's class list) of ``names``."""
        order = {c: i for i, c in enumerate(get_classes(self.dataset))}
        return tuple(order[n] for n in names)

    def to_dict(self) -> dict:
        out = dict(name=self.name, dataset=self.dataset)
        out.update(self.info)
        out['seen_classes'] = list(self.seen_classes)
        out['unseen_classes'] = list(self.unseen_classes)
        if self.groups:
            out['groups'] = {k: list(v) for k, v in self.groups.items()}
        return out


def available_splits() -> Tuple[str, ...]:
    """Names of the splits shipped with the package."""
    return tuple(
        sorted(f[:-5] for f in os.listdir(SPLIT_DIR)
               if f.endswith('.json') and _NAME_RE.search(f[:-5])))


def resolve_split_path(split: str) -> str:
    """A shipped split name or a JSON path -> an existing file path."""
    if osp.isfile(split):
        return split
    shipped = osp.join(SPLIT_DIR, split + '.json')
    if osp.isfile(shipped):
        return shipped
    raise DatasetError(
        f'split {split!r} is neither a JSON file nor a shipped split; '
        f'shipped: {", ".join(available_splits())} (Pascal-Context-215 is '
        'made from your data by tools/make_splits.py pascal-context-215)')


def load_split(split: str, dataset: Optional[str] = None) -> ZeroShotSplit:
    """Load and validate a split by shipped name or path.

    Args:
        split: shipped split name (e.g. ``'pascal_context_59_unseen10'``) or
            the path of a split JSON file.
        dataset: class-list key the caller's dataset uses; a split made for
            another class list is refused.
    """
    path = resolve_split_path(split)
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise DatasetError(f'split file {path} is not valid JSON: {e}') from e
    missing = [k for k in ('name', 'dataset', 'seen_classes', 'unseen_classes')
               if k not in data]
    if missing:
        raise DatasetError(f'split file {path} lacks {", ".join(missing)}')
    info = {k: v for k, v in data.items() if k not in (
        'name', 'dataset', 'seen_classes', 'unseen_classes', 'groups')}
    result = ZeroShotSplit(
        name=data['name'],
        dataset=data['dataset'],
        seen_classes=tuple(data['seen_classes']),
        unseen_classes=tuple(data['unseen_classes']),
        groups={k: tuple(v) for k, v in data.get('groups', {}).items()},
        info=info,
        path=path)
    validate_split(result)
    if dataset is not None and result.dataset != dataset:
        raise DatasetError(
            f'split {result.name} ({path}) is for class list '
            f'{result.dataset!r}, but the dataset uses {dataset!r}')
    return result


def validate_split(split: ZeroShotSplit) -> None:
    """Raise :class:`DatasetError` naming the first inconsistency found."""
    where = f'split {split.name}' + (f' ({split.path})' if split.path else '')
    known = set(get_classes(split.dataset))
    for kind in ('seen_classes', 'unseen_classes'):
        names = getattr(split, kind)
        for name in names:
            if name not in known:
                raise DatasetError(
                    f'{where}: class {name!r} in {kind} is not a class of '
                    f'{split.dataset}; check its spelling against '
                    f'mmseg_zss.datasets.get_classes({split.dataset!r})')
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise DatasetError(f'{where}: {kind} lists {dup[0]!r} twice')
    both = sorted(set(split.seen_classes) & set(split.unseen_classes))
    if both:
        raise DatasetError(f'{where}: class {both[0]!r} is both seen and '
                           'unseen')
    m = _NAME_RE.search(split.name)
    if m is None:
        raise DatasetError(f'{where}: name must end in '
                           '_<num_classes>_unseen<K>[_<variant>]')
    num_classes, k = int(m.group(1)), int(m.group(2))
    if k != len(split.unseen_classes) or num_classes != len(split.classes):
        raise DatasetError(
            f'{where}: the name says {num_classes} classes with {k} unseen, '
            f'the file has {len(split.classes)} classes with '
            f'{len(split.unseen_classes)} unseen')
    for group, names in split.groups.items():
        outside = [n for n in names if n not in split.unseen_classes]
        if outside:
            raise DatasetError(f'{where}: group {group} names {outside[0]!r},'
                               ' which is not an unseen class')


def save_split(split: ZeroShotSplit, path: str) -> str:
    """Validate and write ``split`` as JSON, atomically; return the path."""
    validate_split(split)
    text = json.dumps(split.to_dict(), indent=2, ensure_ascii=False) + '\n'
    return atomic_write(path, text)


def seeded_order(names: Sequence[str], seed: int) -> Tuple[str, ...]:
    """A seeded random permutation of ``names`` that no library can change.

    Classes are sorted by SHA-256 of ``'<seed>:<name>'``: a pseudo-random
    order fixed by the seed alone (independent of numpy/Python RNG versions),
    so the first K of it is a random K-subset and smaller K are nested in
    larger ones, as in ZS3Net's splits.
    """
    def key(name):
        return hashlib.sha256(f'{seed}:{name}'.encode()).hexdigest()

    return tuple(sorted(names, key=key))


def make_seeded_split(dataset: str, family: str, k: int,
                      seed: int = 0) -> ZeroShotSplit:
    """K unseen classes drawn from the whole class list with ``seed``."""
    classes = get_classes(dataset)
    if not 0 < k < len(classes):
        raise DatasetError(f'K={k} unseen classes is not possible with '
                           f'{len(classes)} classes')
    unseen = set(seeded_order(classes, seed)[:k])
    return ZeroShotSplit(
        name=f'{family}_{len(classes)}_unseen{k}',
        dataset=dataset,
        seen_classes=tuple(c for c in classes if c not in unseen),
        unseen_classes=tuple(c for c in classes if c in unseen),
        info=dict(
            rule=f'the first {k} classes of {dataset} ordered by '
            f"sha256('<seed>:<class name>') (hex digest, ascending)",
            seed=seed,
            generator='tools/make_splits.py seeded'))
