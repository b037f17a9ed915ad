"""The paper's "Random" reference: every pixel foreground with probability p.

Shape key: B images, C classes of the class list, H x W original image size.

Table 1-2 (§4.2) report two predictors that look at nothing: "Blank" (every
pixel of every test pair foreground) and "Random" (each pixel foreground with
probability 0.15). They show how much of an mIoU comes for free under the
paper's protocol, where each test pair is a class present in the image.

The predictor is a parameter-free segmentor, so it runs through
``tools/test.py`` and the very metric of the trained models. Its logits are
+-``LOGIT`` (foreground / background): any sigmoid threshold in (0, 1) gives
the same masks. Each class gets its own independent mask (each test pair is
its own prediction), drawn from a generator seeded by ``seed`` and the image
file name, so the masks do not depend on batch size, order or the number of
processes.
"""
import hashlib
import os.path as osp
from typing import Iterable, Optional

import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.utils import OptSampleList, SampleList
from torch import Tensor

from ...errors import ConfigError

#: logit of a decided pixel: sigmoid(+-LOGIT) is 1 / 0 in float32, and the
#: value is finite in float16
LOGIT = 1e4
#: classes drawn together (bounds the float32 draws of one image)
DRAW_CLASSES = 16


def image_seed(seed: int, name: str) -> int:
    """A 63-bit generator seed from the predictor's seed and an image name."""
    digest = hashlib.sha256(f'{seed}/{name}'.encode()).digest()
    return int.from_bytes(digest[:8], 'little') >> 1


def expected_iou(label_maps: Iterable[np.ndarray],
                 num_classes: int,
                 foreground_prob: float,
                 ignore_index: int = 255) -> np.ndarray:
    """Per-class IoU that :class:`RandomPredictor` is expected to score.

    Under the paper's protocol a class c is scored on every image whose
    ground truth contains it: with N valid pixels, G of them c, and each
    pixel foreground with probability p, E[I] = p G and E[U] = G + p (N - G).
    The metric divides sums over all pairs, so the expected IoU is
    sum E[I] / sum E[U] up to a spread that shrinks like 1 / sqrt(pixels).
    With p = 1 (Blank) it is exact: sum G / sum N.

    Args:
        label_maps (Iterable[np.ndarray]): (H, W) dense ground truths.
        num_classes (int): C.
        foreground_prob (float): p.
        ignore_index (int): label of pixels that count nowhere.

    Returns:
        np.ndarray: (C,) IoUs in [0, 1], NaN for a class in no image.
    """
    inter, union = np.zeros(num_classes), np.zeros(num_classes)
    for label in label_maps:
        label = np.asarray(label)
        counts = np.bincount(label[label != ignore_index].ravel(),
                             minlength=num_classes)[:num_classes]
        present = counts > 0
        inter[present] += foreground_prob * counts[present]
        union[present] += counts[present] + foreground_prob * (
            counts.sum() - counts[present])
    with np.errstate(invalid='ignore', divide='ignore'):
        return np.where(union > 0, inter / union, np.nan)


@MODELS.register_module()
class RandomPredictor(BaseSegmentor):
    """Predicts each (pixel, class) foreground with probability ``p``.

    Args:
        num_classes (int): C, length of the dataset's class list (the metric
            expects one logit map per class).
        foreground_prob (float): p in [0, 1]. Default: 0.15 (paper).
        seed (int): seed of the per-image generators. Default: 0.
        data_preprocessor (dict, optional): mmseg's ``SegDataPreProcessor``
            by default (the images are not looked at).
        init_cfg (dict, optional): unused; no weights.
    """

    def __init__(self,
                 num_classes: int,
                 foreground_prob: float = 0.15,
                 seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(
            data_preprocessor=data_preprocessor or SegDataPreProcessor(),
            init_cfg=init_cfg)
        if not 0.0 <= foreground_prob <= 1.0:
            raise ConfigError(f'{type(self).__name__}: foreground_prob is a '
                              f'probability, got {foreground_prob}')
        if num_classes < 1:
            raise ConfigError(f'{type(self).__name__}: num_classes must be '
                              f'>= 1, got {num_classes}')
        self.num_classes = num_classes
        self.foreground_prob = foreground_prob
        self.seed = seed

    def image_logits(self, shape, name: str, device) -> Tensor:
        """(C, H, W) float16 logits of one image.

        Args:
            shape (tuple[int, int]): (H, W).
            name (str): image file name; with ``seed`` it seeds the draw.
            device: where the logits live.
        """
        if self.foreground_prob >= 1.0:  # Blank: one value, no memory
            return torch.full((1, 1, 1), LOGIT, dtype=torch.float16,
                              device=device).expand(self.num_classes, *shape)
        gen = torch.Generator(device=device)
        gen.manual_seed(image_seed(self.seed, name))
        logits = torch.empty((self.num_classes, *shape), dtype=torch.float16,
                             device=device)
        # a few classes at a time: the float32 draws of all C classes of a
        # large image would take C x H x W x 4 bytes at once
        for part in logits.split(DRAW_CLASSES):
            hit = torch.rand(part.shape, generator=gen, device=device) \
                < self.foreground_prob
            part.copy_(hit).mul_(2 * LOGIT).sub_(LOGIT)
        return logits

    def predict(self, inputs: Tensor,
                data_samples: OptSampleList = None) -> SampleList:
        """Masks at each image's original size, as ``EncoderDecoder`` does.

        Returns:
            list[SegDataSample]: with ``seg_logits`` (C, H, W) and
            ``pred_sem_seg`` (1, H, W) (argmax; class 0 where all tie).
        """
        if data_samples is None:
            raise ConfigError(f'{type(self).__name__} needs data samples '
                              '(their image names and original sizes)')
        for sample in data_samples:
            logits = self.image_logits(
                tuple(sample.metainfo['ori_shape'][:2]),
                osp.basename(sample.metainfo.get('img_path', '')),
                inputs.device)
            sample.set_data(dict(
                seg_logits=PixelData(data=logits),
                pred_sem_seg=PixelData(data=logits.argmax(0, keepdim=True))))
        return data_samples

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        raise ConfigError(
            f'{type(self).__name__} has nothing to train: evaluate it with '
            'tools/test.py CONFIG CHECKPOINT and an empty checkpoint '
            '(docs/reproduce.md)')

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """No features: the input is not looked at."""
        return inputs

    def encode_decode(self, inputs: Tensor,
                      batch_data_samples: OptSampleList) -> Tensor:
        """(B, C, H, W) logits at the input size."""
        names = [str(i) for i in range(len(inputs))] \
            if batch_data_samples is None else [
                osp.basename(s.metainfo.get('img_path', ''))
                for s in batch_data_samples]
        return torch.stack([
            self.image_logits(tuple(inputs.shape[2:]), name, inputs.device)
            for name in names])

    def _forward(self, inputs: Tensor,
                 data_samples: OptSampleList = None) -> Tensor:
        """Logits in tensor mode, at the input size."""
        return self.encode_decode(inputs, data_samples)
