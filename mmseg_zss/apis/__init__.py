"""Inference by class name: image + words -> masks + uncertainty maps.

Public API:

* :func:`init_segmentor` (``config, checkpoint=None, device=None``): build a
  zero-shot segmentor and load its weights (checked).
* :func:`segment` (``model, image, class_names``) -> :class:`NamedSegmentation`
  per image: masks, logits, sigma_p maps and sigma_i per name.
* :func:`segment_data`: the same on a collated batch of pipeline outputs.
* :func:`embed_class_names` (``cfg, class_names, source=None``): the (K, D)
  embeddings a model understands for any words.
"""
from .class_embeddings import embed_class_names, word_sources
from .inference import (
                        NamedSegmentation,
                        inference_pipeline,
                        init_segmentor,
                        segment,
                        segment_data,
)

__all__ = [
    'NamedSegmentation', 'embed_class_names', 'inference_pipeline',
    'init_segmentor', 'segment', 'segment_data', 'word_sources'
]
