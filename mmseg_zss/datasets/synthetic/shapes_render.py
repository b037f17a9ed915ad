"""Drawing one ZSS-Shapes scene: pure numpy, analytic shapes, no font/raster
library, so the pixels depend only on the seed (not on a Pillow version).

Shape key: H x W image (H = W = ``image_size``), S supersampling factor,
K objects in the scene.

A scene is a smooth low-saturation background with grey clutter, then K
objects of distinct classes painted back to front (later objects occlude
earlier ones), then Gaussian pixel noise. Each object's coverage is the mean
of S x S sub-pixel inside/outside tests, so edges are anti-aliased in the
image, and the label takes a pixel when the object covers at least half of it.

Two independent random streams drive a scene: ``scene`` draws the layout and
appearance, ``noise`` draws every corruption decision for every object (always
the same number of draws). The same seed therefore gives the same layout with
and without noise, and an object corrupted at noise fraction f stays
corrupted at any larger f: clean and noisy variants differ only where noise
was asked for.
"""
import colorsys
import math
from typing import List, Sequence, Tuple

import numpy as np

from .shapes_spec import COLOUR_HUES, ShapesNoise, class_words

CLEAN = ShapesNoise()

SUPERSAMPLE = 4
PIXEL_NOISE = 6.0  # std of the Gaussian pixel noise, grey levels
HUE_JITTER = 3.0  # std of a typical object's hue, degrees (clipped at 2.5 std)
OUTLIER_KINDS = ('shade', 'texture', 'tiny', 'occluded')
LABEL_NOISE_KINDS = ('jitter', 'drop', 'swap')


def _inside(shape: str, u: np.ndarray, v: np.ndarray, r: float) -> np.ndarray:
    """Sub-pixel hits of ``shape`` of radius ``r``; (u, v) in its own frame.

    Sizes are chosen so that the shapes look about equally big for one r.
    """
    if shape == 'circle':
        return u * u + v * v <= r * r
    if shape == 'ring':
        d2 = u * u + v * v
        return (d2 <= (1.05 * r)**2) & (d2 >= (0.55 * 1.05 * r)**2)
    if shape == 'square':  # same area as the circle: half side sqrt(pi)/2 r
        a = 0.886 * r
        return (np.abs(u) <= a) & (np.abs(v) <= a)
    if shape == 'triangle':  # equilateral, circumradius R, inradius R / 2
        big_r = 1.3 * r
        hit = np.ones(u.shape, dtype=bool)
        for deg in (270.0, 30.0, 150.0):  # outward normals of its three edges
            a = math.radians(deg)
            hit &= u * math.cos(a) + v * math.sin(a) <= big_r / 2
        return hit
    if shape == 'cross':
        arm, half = 1.1 * r, 0.36 * 1.1 * r
        au, av = np.abs(u), np.abs(v)
        return ((au <= arm) & (av <= half)) | ((au <= half) & (av <= arm))
    if shape == 'ellipse':  # clutter only: u, v already scaled to a unit disc
        return u * u + v * v <= 1.0
    raise ValueError(f'unknown shape {shape!r}')


def coverage(shape: str, size: int, cx: float, cy: float, r: float,
             angle: float = 0.0, scale: Tuple[float, float] = (1.0, 1.0)
             ) -> np.ndarray:
    """(H, W) float32 fraction of each pixel covered by the shape.

    (cx, cy) and r are in pixels; ``angle`` rotates the shape (radians);
    ``scale`` stretches u and v (ellipses).
    """
    out = np.zeros((size, size), np.float32)
    reach = 1.6 * r * max(scale) + 1  # no shape reaches beyond 1.6 r
    x0, x1 = max(int(cx - reach), 0), min(int(cx + reach) + 1, size)
    y0, y1 = max(int(cy - reach), 0), min(int(cy + reach) + 1, size)
    if x0 >= x1 or y0 >= y1:
        return out
    sub = (np.arange(SUPERSAMPLE, dtype=np.float64) + 0.5) / SUPERSAMPLE
    xs = (np.arange(x0, x1)[:, None] + sub[None]).reshape(-1) - cx
    ys = (np.arange(y0, y1)[:, None] + sub[None]).reshape(-1) - cy
    dx, dy = np.meshgrid(xs, ys)
    c, s = math.cos(angle), math.sin(angle)
    u = (c * dx + s * dy) / scale[0]
    v = (-s * dx + c * dy) / scale[1]
    hits = _inside(shape, u, v, r).astype(np.float32)
    hits = hits.reshape(y1 - y0, SUPERSAMPLE, x1 - x0, SUPERSAMPLE)
    out[y0:y1, x0:x1] = hits.mean(axis=(1, 3))
    return out


def hsv_to_rgb(hue_deg: float, sat: float, val: float) -> np.ndarray:
    """(3,) float64 RGB in [0, 255]."""
    rgb = colorsys.hsv_to_rgb((hue_deg % 360.0) / 360.0, sat, val)
    return np.asarray(rgb, dtype=np.float64) * 255.0


def _morph(mask: np.ndarray, steps: int, grow: bool) -> np.ndarray:
    """Dilate (``grow``) or erode a bool mask by ``steps`` 4-neighbour steps."""
    out = mask.copy()
    for _ in range(steps):
        pad = np.pad(out, 1, constant_values=not grow)
        stack = (pad[1:-1, 1:-1], pad[:-2, 1:-1], pad[2:, 1:-1],
                 pad[1:-1, :-2], pad[1:-1, 2:])
        out = np.logical_or.reduce(stack) if grow else np.logical_and.reduce(
            stack)
    return out


def _background(rng: np.random.Generator, size: int) -> np.ndarray:
    """(H, W, 3) float64: a grey-ish gradient with 0-3 grey clutter blobs."""
    lo = hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0, 0.25),
                    rng.uniform(0.25, 0.85))
    hi = hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0, 0.25),
                    rng.uniform(0.25, 0.85))
    angle = rng.uniform(0, 2 * math.pi)
    y, x = np.mgrid[0:size, 0:size] / max(size - 1, 1)
    t = (x * math.cos(angle) + y * math.sin(angle))
    t = (t - t.min()) / max(t.max() - t.min(), 1e-6)
    canvas = lo * (1 - t[..., None]) + hi * t[..., None]
    for _ in range(int(rng.integers(0, 4))):
        blob = coverage('ellipse', size, rng.uniform(0, size),
                        rng.uniform(0, size), 1.0, rng.uniform(0, math.pi),
                        (rng.uniform(2, 0.2 * size), rng.uniform(1, 0.1 * size)))
        grey = hsv_to_rgb(rng.uniform(0, 360), rng.uniform(0, 0.12),
                          rng.uniform(0.15, 0.95))
        canvas = canvas * (1 - blob[..., None]) + grey * blob[..., None]
    return canvas


def _object_draws(scene: np.random.Generator, noise: np.random.Generator,
                  size: int, radius: Sequence[float]) -> Tuple[dict, dict]:
    """Everything random about one object, from both streams, in fixed order."""
    r = scene.uniform(radius[0], radius[1]) * size
    obj = dict(
        r=r,
        cx=scene.uniform(0.5 * r, size - 0.5 * r),
        cy=scene.uniform(0.5 * r, size - 0.5 * r),
        angle=scene.uniform(0, 2 * math.pi),
        hue=float(np.clip(scene.normal(0, HUE_JITTER), -2.5 * HUE_JITTER,
                          2.5 * HUE_JITTER)),
        sat=scene.uniform(0.6, 1.0),
        val=scene.uniform(0.55, 1.0))
    draws = dict(
        u_label=noise.uniform(), u_outlier=noise.uniform(),
        outlier_kind=OUTLIER_KINDS[int(noise.integers(len(OUTLIER_KINDS)))],
        jitter_steps=int(noise.integers(1, 3)), jitter_grow=noise.uniform() < .5,
        swap_pick=noise.uniform(),
        shade_hue=noise.choice((-1.0, 1.0)) * noise.uniform(18, 28),
        shade_sat=noise.uniform(0.3, 0.55),
        stripe_angle=noise.uniform(0, math.pi), stripe_period=noise.uniform(3, 5),
        tiny=noise.uniform(0.3, 0.45),
        occluder_dir=noise.uniform(0, 2 * math.pi),
        occluder_grey=noise.uniform(0.2, 0.9))
    return obj, draws


def _label_noise(draws: dict, noise: ShapesNoise) -> str:
    """Which label corruption (or '') the object gets at these fractions."""
    edges = np.cumsum([noise.jitter, noise.drop, noise.swap])
    for kind, edge in zip(LABEL_NOISE_KINDS, edges):
        if draws['u_label'] < edge:
            return kind
    return ''


def _swap_label(label: int, classes: Sequence[str], seen: Sequence[bool],
                pick: float) -> int:
    """Another seen class sharing the colour or the shape of ``label``."""
    colour, shape = class_words(classes[label])
    others = [i for i, name in enumerate(classes)
              if i != label and seen[i] and ' ' in name
              and set(class_words(name)) & {colour, shape}]
    return others[min(int(pick * len(others)), len(others) - 1)]


def _choose_classes(rng: np.random.Generator, classes: Sequence[str], k: int,
                    confusers: float) -> List[int]:
    """k distinct class indices (not background); with probability
    ``confusers`` each one after the first shares a word with an earlier one."""
    chosen = [int(rng.integers(1, len(classes)))]
    for _ in range(k - 1):
        free = [i for i in range(1, len(classes)) if i not in chosen]
        words = {w for i in chosen for w in class_words(classes[i])}
        near = [i for i in free if set(class_words(classes[i])) & words]
        pool = near if rng.uniform() < confusers and near else free
        chosen.append(pool[int(rng.integers(len(pool)))])
    return chosen


def _paint(canvas: np.ndarray, cover: np.ndarray, colour: np.ndarray) -> None:
    """Alpha-composite ``colour`` ((3,) or (H, W, 3)) with ``cover`` in place."""
    a = cover[..., None]
    canvas *= 1 - a
    canvas += a * colour


def render_scene(scene: np.random.Generator,
                 noise: np.random.Generator,
                 size: int,
                 num_objects: Tuple[int, int],
                 radius: Tuple[float, float],
                 classes: Sequence[str],
                 seen: Sequence[bool],
                 confusers: float = 0.0,
                 corruption: ShapesNoise = CLEAN,
                 ) -> Tuple[np.ndarray, np.ndarray, List[dict]]:
    """Draw one image and its label map.

    Args:
        scene, noise: the two random streams (module docstring).
        size: H = W.
        num_objects: (min, max) objects, inclusive.
        radius: (min, max) radius as a fraction of ``size``.
        classes: the class list; index 0 is background.
        confusers: probability that an object shares its colour or shape
            with an earlier object of the image.
        seen: per class, whether it is a seen class (corruptions touch seen
            objects only).
        corruption: :class:`ShapesNoise`; all zero for validation images.

    Returns:
        image (H, W, 3) uint8 RGB, label (H, W) uint8 (class index per pixel),
        and one record per object (class, what was done to it).
    """
    canvas = _background(scene, size)
    label = np.zeros((size, size), np.uint8)
    k = int(scene.integers(num_objects[0], num_objects[1] + 1))
    chosen = _choose_classes(scene, classes, k, confusers)
    records = []
    for cls in chosen:
        obj, draws = _object_draws(scene, noise, size, radius)
        colour, shape = class_words(classes[cls])
        hue, sat, r = COLOUR_HUES[colour] + obj['hue'], obj['sat'], obj['r']
        corrupt = bool(seen[cls])
        outlier = (draws['outlier_kind']
                   if corrupt and draws['u_outlier'] < corruption.outlier else '')
        if outlier == 'shade':  # off-hue and washed out: atypical of its colour
            hue, sat = hue + draws['shade_hue'], sat * draws['shade_sat']
        elif outlier == 'tiny':
            r = max(r * draws['tiny'], 1.5)
        cover = coverage(shape, size, obj['cx'], obj['cy'], r, obj['angle'])
        rgb = hsv_to_rgb(hue, sat, obj['val'])
        if outlier == 'texture':  # dark stripes across the object
            y, x = np.mgrid[0:size, 0:size]
            phase = (x * math.cos(draws['stripe_angle']) +
                     y * math.sin(draws['stripe_angle'])) / draws['stripe_period']
            rgb = rgb * np.where((phase % 1.0) < 0.5, 1.0, 0.35)[..., None]
        _paint(canvas, cover, rgb)
        mask = cover >= 0.5
        kind = _label_noise(draws, corruption) if corrupt else ''
        value = cls
        if kind == 'jitter':
            mask = _morph(mask, draws['jitter_steps'], draws['jitter_grow'])
        elif kind == 'drop':
            value = 0
        elif kind == 'swap':
            value = _swap_label(cls, classes, seen, draws['swap_pick'])
        label[mask] = value
        if outlier == 'occluded':  # a grey blob hides about half of it
            d = draws['occluder_dir']
            blob = coverage('ellipse', size, obj['cx'] + 0.45 * r * math.cos(d),
                            obj['cy'] + 0.45 * r * math.sin(d), 1.0, d,
                            (0.95 * r, 0.95 * r))
            _paint(canvas, blob, hsv_to_rgb(0, 0, draws['occluder_grey']))
            label[blob >= 0.5] = 0
        records.append(dict(label=cls, given=value, label_noise=kind,
                            outlier=outlier))
    image = canvas + scene.normal(0, PIXEL_NOISE, canvas.shape)
    image = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    return image, label, records
