"""ZSS-Shapes: the embedded synthetic zero-shot benchmark (docs/benchmark.md).

Procedural, seeded images of coloured shapes whose class names are real
words (``'red circle'``), written on first use in mmseg's layout, with
optional label noise and outlying samples in the training split.
"""
from .blank_reference_metric import ZeroShotIoUBlankMetric
from .shapes_generator import (
                               ensure_shapes,
                               generate_shapes,
                               read_meta,
                               render_image,
)
from .shapes_spec import (
                          COLOUR_HUES,
                          SHAPES,
                          ShapesNoise,
                          ShapesSettings,
                          class_words,
                          shapes_classes,
)
from .zs_shapes import ZeroShotShapesDataset, shapes_split_path

__all__ = [
    'COLOUR_HUES', 'SHAPES', 'ShapesNoise', 'ShapesSettings', 'class_words',
    'shapes_classes', 'ensure_shapes', 'generate_shapes', 'read_meta',
    'render_image', 'ZeroShotShapesDataset', 'shapes_split_path',
    'ZeroShotIoUBlankMetric'
]
