"""Class lists of the supported datasets: one definition each, used everywhere.

SKELETON (foundation): the embeddings issue owns this file and completes it
(Pascal-Context-459 names, embedding phrases, documented phrase rules).

API (kept stable):
    get_classes(dataset) -> tuple of dataset class names, in label order
    get_phrases(dataset) -> tuple of phrases used for word embeddings
    DATASETS -> tuple of the known dataset keys
"""
from mmseg.datasets import ADE20KDataset, PascalContextDataset59

from ..errors import DatasetError

_CLASSES = {
    'pascal_context_59': tuple(PascalContextDataset59.METAINFO['classes']),
    'ade20k_150': tuple(c.strip() for c in ADE20KDataset.METAINFO['classes']),
}
DATASETS = tuple(_CLASSES)


def get_classes(dataset):
    try:
        return _CLASSES[dataset]
    except KeyError:
        raise DatasetError(f'unknown dataset class list {dataset!r}; known: '
                           f'{", ".join(DATASETS)}') from None


def get_phrases(dataset):
    return get_classes(dataset)
