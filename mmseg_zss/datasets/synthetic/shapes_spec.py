"""ZSS-Shapes: what the classes are, and what the generator can be asked for.

A class is ``'<colour> <shape>'``: six colours x five shapes, all words of
GloVe's vocabulary, so a class embedding is the composition of two real word
vectors (``glove50/zss_shapes``). Label 0 is ``background``. The shipped
split (``splits/zss_shapes_30_unseen6.json``) holds out one shape per colour,
on a diagonal so that every shape is held out at least once; every word of an
unseen class is a word of some seen class, so zero-shot transfer is possible
by composing what was learnt about the colour and about the shape.
"""
from dataclasses import asdict, dataclass, fields
from typing import Dict, Tuple

from ...errors import ConfigError

#: colour word -> hue in degrees (HSV); the renderer jitters around it
COLOUR_HUES: Dict[str, float] = {
    'red': 0.0,
    'orange': 28.0,
    'yellow': 55.0,
    'green': 120.0,
    'blue': 220.0,
    'purple': 285.0,
}
SHAPES: Tuple[str, ...] = ('circle', 'square', 'triangle', 'cross', 'ring')
BACKGROUND = 'background'


def shapes_classes() -> Tuple[str, ...]:
    """The class list in label order: background, then colour-major."""
    return (BACKGROUND, ) + tuple(f'{colour} {shape}'
                                  for colour in COLOUR_HUES
                                  for shape in SHAPES)


def class_words(name: str) -> Tuple[str, str]:
    """``'red circle'`` -> ``('red', 'circle')``."""
    colour, shape = name.split(' ')
    return colour, shape


@dataclass(frozen=True)
class ShapesNoise:
    """Corruptions of the *training* split; validation is always clean.

    Each applies to a fraction of the seen-class objects of the training
    images (unseen-class objects only ever serve as negatives and are left
    alone). The three label corruptions are exclusive per object
    (``jitter + drop + swap <= 1``); an outlier can also be mislabelled.

    Args:
        jitter: the object's label mask is dilated or eroded by 1-2 pixels
            (sloppy boundaries).
        drop: the object is drawn but labelled background (missed object).
        swap: the object is labelled as another seen class that shares its
            colour or its shape (confusable label).
        outlier: the object is atypical: an off-hue, washed-out shade, a
            striped texture, tiny, or mostly hidden behind clutter.
    """

    jitter: float = 0.0
    drop: float = 0.0
    swap: float = 0.0
    outlier: float = 0.0

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f'ZSS-Shapes noise {f.name}={value} must be a '
                                  'fraction in [0, 1]')
        if self.jitter + self.drop + self.swap > 1.0:
            raise ConfigError('ZSS-Shapes noise: jitter + drop + swap must be '
                              f'<= 1, got {self.jitter + self.drop + self.swap}')

    @property
    def is_clean(self) -> bool:
        return not any(asdict(self).values())


@dataclass(frozen=True)
class ShapesSettings:
    """Everything that determines the generated files (and nothing else).

    Args:
        seed: the dataset seed; same settings -> identical files.
        num_train / num_val: number of images per split.
        image_size: side of the square images, pixels.
        objects: (min, max) objects per image, inclusive; classes are distinct
            within an image.
        radius: (min, max) object radius, as a fraction of ``image_size``.
        confusers: probability that each object after the first shares its
            colour or its shape with an object already in the image (else
            its class is uniform). Without such confusers, "segment the red
            circle" is mostly answered by colour alone, because another red
            object is rarely in the same image (docs/benchmark.md).
        noise: :class:`ShapesNoise` (or a dict of its fields).
    """

    seed: int = 0
    num_train: int = 2000
    num_val: int = 300
    image_size: int = 64
    objects: Tuple[int, int] = (2, 4)
    radius: Tuple[float, float] = (0.09, 0.22)
    confusers: float = 0.5
    noise: ShapesNoise = ShapesNoise()

    def __post_init__(self):
        if isinstance(self.noise, dict):
            object.__setattr__(self, 'noise', ShapesNoise(**self.noise))
        object.__setattr__(self, 'objects', tuple(self.objects))
        object.__setattr__(self, 'radius', tuple(self.radius))
        lo, hi = self.objects
        if not 1 <= lo <= hi <= len(shapes_classes()) - 1:
            raise ConfigError(f'ZSS-Shapes objects={self.objects}: need '
                              f'1 <= min <= max <= {len(shapes_classes()) - 1}')
        if not 0 < self.radius[0] <= self.radius[1] < 0.5:
            raise ConfigError(f'ZSS-Shapes radius={self.radius}: need '
                              '0 < min <= max < 0.5 (fractions of the side)')
        if not 0.0 <= self.confusers <= 1.0:
            raise ConfigError(f'ZSS-Shapes confusers={self.confusers} must be '
                              'a probability in [0, 1]')
        if self.image_size < 16:
            raise ConfigError(f'ZSS-Shapes image_size={self.image_size} is '
                              'too small; use >= 16')
        if self.num_train < 1 or self.num_val < 1:
            raise ConfigError('ZSS-Shapes needs num_train >= 1 and '
                              f'num_val >= 1, got {self.num_train}, '
                              f'{self.num_val}')

    def to_dict(self) -> dict:
        out = asdict(self)
        out['objects'] = list(self.objects)
        out['radius'] = list(self.radius)
        return out
