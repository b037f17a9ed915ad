"""Reading dense label maps (8- or 16-bit PNG) and scanning class presence.

mmseg's ``LoadAnnotations`` casts every map to uint8, which destroys the
Pascal-Context full labels (ids up to 459). :func:`load_label_map` keeps the
bit depth, applies ``reduce_zero_label`` and a ``label_map`` as mmseg does,
and refuses values that are not a class of the dataset.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmengine.utils import ProgressBar

from ..errors import DatasetError
from ..utils.io import atomic_write


def _smallest_dtype(max_value: int):
    if max_value <= np.iinfo(np.uint8).max:
        return np.uint8
    if max_value <= np.iinfo(np.uint16).max:
        return np.uint16
    return np.int32


def load_label_map(path: str,
                   reduce_zero_label: bool = False,
                   ignore_index: int = 255,
                   label_map: Optional[Dict[int, int]] = None,
                   num_classes: Optional[int] = None,
                   backend_args: Optional[dict] = None,
                   imdecode_backend: str = 'pillow') -> np.ndarray:
    """Load a (H, W) label map: class ``i`` is value ``i``, ignore elsewhere.

    Args:
        path: label PNG (8- or 16-bit, one channel).
        reduce_zero_label: 0 (unlabelled) -> ``ignore_index``, ``v`` -> ``v-1``.
        ignore_index: the value for unlabelled pixels; a stored value equal
            to it stays ignored.
        label_map: optional {old value: new value} (mmseg's class subsets).
        num_classes: if given, any value that is neither a class
            (``0..num_classes-1``) nor ``ignore_index`` raises.

    Returns:
        (H, W) uint8 when ignore and classes fit in 8 bits, else uint16.
    """
    try:
        data = fileio.get(path, backend_args=backend_args)
    except FileNotFoundError:
        raise DatasetError(f'label map {path} does not exist') from None
    seg = mmcv.imfrombytes(data, flag='unchanged', backend=imdecode_backend)
    one_channel = seg is not None and (
        seg.ndim == 2 or seg.ndim == 3 and seg.shape[2] == 1)
    if not one_channel:
        raise DatasetError(f'label map {path} is not a one-channel image '
                           f'(shape {getattr(seg, "shape", None)})')
    seg = seg.reshape(seg.shape[:2]).astype(np.int64)
    if reduce_zero_label:
        unlabelled = (seg == 0) | (seg == ignore_index)
        seg = seg - 1
        seg[unlabelled] = ignore_index
    if label_map:
        old = seg.copy()
        for old_id, new_id in label_map.items():
            seg[old == old_id] = new_id
    if num_classes is not None:
        values = np.unique(seg)
        bad = values[(values >= num_classes) & (values != ignore_index)]
        bad = np.concatenate([values[values < 0], bad])
        if bad.size:
            raise DatasetError(
                f'label map {path} holds value {int(bad[0])}, but the dataset '
                f'has {num_classes} classes (0..{num_classes - 1}, '
                f'{ignore_index} = ignore, after reduce_zero_label='
                f'{reduce_zero_label}); is it the right dataset/converter?')
    top = max(ignore_index, num_classes or int(seg.max(initial=0)))
    return seg.astype(_smallest_dtype(top))


def _stamp(path: str) -> List[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns]


def scan_class_presence(seg_map_paths: Sequence[str],
                        load_kwargs: dict,
                        cache_file: Optional[str] = None,
                        ) -> List[np.ndarray]:
    """For each label map, the sorted class values present in it.

    Reads every map once (progress bar). With ``cache_file`` the result is
    kept as JSON keyed by path, size and mtime, and an entry is re-read only
    when its file changed; the cache is written atomically.
    """
    ignore = load_kwargs.get('ignore_index', 255)
    key = json.dumps({k: v for k, v in sorted(load_kwargs.items())
                      if k in ('reduce_zero_label', 'ignore_index',
                               'label_map')}, default=str)
    cache = _read_cache(cache_file, key)
    out, changed = [], False
    progress = ProgressBar(len(seg_map_paths))
    for path in seg_map_paths:
        stamp = _stamp(path) if osp.exists(path) else None
        hit = cache.get(path)
        if hit is not None and hit[0] == stamp:
            values = np.asarray(hit[1], dtype=np.int64)
        else:
            seg = load_label_map(path, **load_kwargs)
            values = np.unique(seg).astype(np.int64)
            values = values[values != ignore]
            cache[path] = [stamp, values.tolist()]
            changed = True
        out.append(values)
        progress.update()
    if cache_file and changed:
        _write_cache(cache_file, key, cache)
    return out


def _read_cache(cache_file, key):
    if not cache_file or not osp.isfile(cache_file):
        return {}
    try:
        with open(cache_file, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data.get('entries', {}) if data.get('key') == key else {}


def _write_cache(cache_file, key, entries):
    atomic_write(cache_file, json.dumps(dict(key=key, entries=entries)))
