"""Segment an image by class *name*: masks and uncertainty for any words.

Shape key: B images, K class names, D embedding dimension, H x W the image's
original size, h x w feature resolution.

:func:`segment` reuses mmseg for everything but the scoring: the config's
test pipeline (without its annotation loader), the model's data
preprocessor, ``EncoderDecoder.inference`` (whole or slide, as ``test_cfg``
says) and ``postprocess_result`` (un-padding, un-flipping, resizing to the
original size). Inside the inference the zero-shot head scores the K asked
names through ``ZeroShotHead.forward_all``: one backbone pass per image (per
window in slide mode) for all names.

What is returned per name (paper §3.3-§3.4, Fig. 4):

* ``masks``: sigmoid(mu_p) > 0.5, the paper's test-time decision;
* ``sigma_p``: the pixel standard deviation exp(s_p / 2) of the logit, when
  the model has the pixel-variance branch (trained with ``StochasticBCELoss``),
  else None;
* ``sigma_i``: the Laplacian scale exp(log sigma_i) of the image's soft dice,
  when the model has the image-level branch (trained with
  ``BayesianDiceLoss``), else None. In slide mode it is the geometric mean
  over the windows.
"""
import contextlib
import copy
import os.path as osp
from dataclasses import dataclass
from typing import List, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmseg.apis import init_model
from mmseg.datasets.transforms import LoadAnnotations
from mmseg.registry import TRANSFORMS
from torch import Tensor

from ..errors import CheckpointError, ConfigError
from ..models import ZeroShotHead
from ..utils import check_checkpoint_matches, load_config
from .class_embeddings import (
    check_class_names,
    configured_class_names,
    embed_class_names,
)

ImageType = Union[str, np.ndarray]


@dataclass
class NamedSegmentation:
    """:func:`segment`'s result for one image; arrays at the image's size.

    Attributes:
        class_names (tuple[str]): the K names, in the order asked.
        logits (np.ndarray): float32 (K, H, W) pixel logits mu_p.
        masks (np.ndarray): bool (K, H, W), sigmoid(mu_p) > ``threshold``.
        sigma_p (np.ndarray | None): float32 (K, H, W) pixel uncertainty
            sigma_p = exp(s_p / 2) > 0; None if the model has no
            pixel-variance branch.
        sigma_i (np.ndarray | None): float32 (K,) image-level uncertainty
            sigma_i; None if the model has no image-level branch.
        img_path (str | None): the image file, if one was given.
    """
    class_names: tuple
    logits: np.ndarray
    masks: np.ndarray
    sigma_p: Optional[np.ndarray]
    sigma_i: Optional[np.ndarray]
    img_path: Optional[str] = None

    @property
    def probs(self) -> np.ndarray:
        """(K, H, W) sigmoid(mu_p)."""
        return 1 / (1 + np.exp(-self.logits))

    def __getitem__(self, name: str) -> dict:
        """``mask`` / ``logits`` / ``sigma_p`` (H, W) and ``sigma_i`` of one
        name (None where the model has no such branch)."""
        if name not in self.class_names:
            raise KeyError(f'{name!r} was not segmented; names: '
                           f'{list(self.class_names)}')
        k = self.class_names.index(name)
        return dict(
            mask=self.masks[k], logits=self.logits[k],
            sigma_p=None if self.sigma_p is None else self.sigma_p[k],
            sigma_i=None if self.sigma_i is None else float(self.sigma_i[k]))


def init_segmentor(config: Union[str, Config],
                   checkpoint: Optional[str] = None,
                   device: Optional[str] = None,
                   cfg_options: Optional[dict] = None) -> nn.Module:
    """Build a zero-shot segmentor and load its weights, ready for inference.

    mmseg's ``init_model`` with the checks this project promises: a missing
    file, or a checkpoint of another model, fails with one
    :class:`CheckpointError` line instead of silently keeping random weights
    (mmengine loads with ``strict=False``). The class names come from the
    checkpoint's ``dataset_meta``, else from the class-embedding file (never
    mmseg's guess by class count).

    Args:
        config (str | Config): config path or object.
        checkpoint (str, optional): weights; None keeps the initialisation.
        device (str, optional): e.g. ``'cpu'``, ``'cuda:0'``; default CUDA
            when available.
        cfg_options (dict, optional): overrides merged into the config.

    Returns:
        nn.Module: the model in eval mode, with ``.cfg`` and ``.dataset_meta``.
    """
    cfg = load_config(config, cfg_options) if isinstance(config, str) \
        else copy.deepcopy(config)
    if not isinstance(cfg, Config):
        raise ConfigError(f'config must be a path or an mmengine Config, got '
                          f'{type(config).__name__}')
    if cfg_options and not isinstance(config, str):
        cfg.merge_from_dict(cfg_options)
    if checkpoint is not None and not (isinstance(checkpoint, str)
                                       and osp.isfile(checkpoint)):
        raise CheckpointError(f'checkpoint {checkpoint} does not exist')
    device = device or ('cuda:0' if torch.cuda.is_available() else 'cpu')
    model = init_model(cfg, None, device='cpu')
    _zero_shot_head(model)
    meta = {}
    if checkpoint is not None:
        check_checkpoint_matches(model, checkpoint,
                                 config if isinstance(config, str) else '')
        meta = load_checkpoint(model, checkpoint, map_location='cpu',
                               logger='silent').get('meta', {})
    model.dataset_meta = meta.get('dataset_meta') or _meta_from_embeddings(cfg)
    return model.to(device).eval()


def _meta_from_embeddings(cfg: Config) -> dict:
    """Class names from the class-embedding provenance (no checkpoint meta)."""
    return dict(classes=tuple(configured_class_names(cfg)))


def segment(model: nn.Module,
            image: Union[ImageType, Sequence[ImageType]],
            class_names: Sequence[str],
            source: Optional[Union[str, Sequence[str]]] = None,
            threshold: float = 0.5,
            embeddings: Optional[np.ndarray] = None
            ) -> Union[NamedSegmentation, List[NamedSegmentation]]:
    """Segment every name in ``class_names`` in ``image``.

    Args:
        model (nn.Module): a zero-shot segmentor from :func:`init_segmentor`
            (or mmseg's ``init_model``); it needs ``model.cfg``.
        image (str | np.ndarray | list): an image file, or an (H, W, 3) uint8
            BGR array as ``mmcv.imread`` returns (mmseg's convention), or a
            list of them.
        class_names (Sequence[str]): any words or phrases of the model's
            word vectors (:func:`embed_class_names`).
        source (str | Sequence[str], optional): word vectors for names outside
            the model's class list; default: those its class embeddings were
            built from.
        threshold (float): mask = sigmoid(mu_p) > threshold. Default 0.5.
        embeddings (np.ndarray, optional): (K, D) embeddings of the names,
            if already computed by :func:`embed_class_names`.

    Returns:
        NamedSegmentation | list[NamedSegmentation]: one per image (a list
        if ``image`` is a list).
    """
    names = check_class_names(class_names)
    cfg = _model_cfg(model)
    if embeddings is None:
        embeddings = embed_class_names(cfg, names, source)
    pipeline = inference_pipeline(cfg, ndarray=False)
    ndarray_pipeline = None
    images = image if isinstance(image, (list, tuple)) else [image]
    results = []
    for img in images:  # one at a time: test-mode batches need equal sizes
        if isinstance(img, np.ndarray):
            ndarray_pipeline = ndarray_pipeline or inference_pipeline(
                cfg, ndarray=True)
            data = ndarray_pipeline(dict(img=img))
        else:
            data = pipeline(dict(img_path=img))
        results += segment_data(model, pseudo_collate([data]), names,
                                embeddings, threshold)
    return results if isinstance(image, (list, tuple)) else results[0]


def segment_data(model: nn.Module,
                 data: dict,
                 class_names: Sequence[str],
                 embeddings: Optional[Union[np.ndarray, Tensor]] = None,
                 threshold: float = 0.5) -> List[NamedSegmentation]:
    """:func:`segment` on a collated batch of test-pipeline outputs.

    Tools use it on dataset samples (whose pipeline also loads annotations).

    Args:
        model (nn.Module): the zero-shot segmentor.
        data (dict): ``inputs`` / ``data_samples`` lists, as
            ``pseudo_collate`` of pipeline outputs gives them.
        class_names (Sequence[str]): the K names.
        embeddings (np.ndarray | Tensor, optional): (K, D) their embeddings;
            default: :func:`embed_class_names`.
        threshold (float): mask threshold on sigmoid(mu_p).

    Returns:
        list[NamedSegmentation]: one per image of the batch.
    """
    names = check_class_names(class_names)
    head = _zero_shot_head(model)
    if embeddings is None:
        embeddings = embed_class_names(_model_cfg(model), names)
    embeddings = torch.as_tensor(embeddings).to(head.class_embeddings)
    if embeddings.dim() != 2 or embeddings.size(0) != len(names):
        raise ConfigError(f'{len(names)} class names but embeddings of '
                          f'shape {tuple(embeddings.shape)}; give one row '
                          'per name')
    with torch.no_grad():
        data = model.data_preprocessor(data, False)
        inputs, samples = data['inputs'], data['data_samples']
        with _scoring_names(model, embeddings) as named:
            maps = model.inference(inputs, [s.metainfo for s in samples])
        # postprocess_result treats a 1-channel map as a binary logit
        # (sigmoid + threshold); with >= 2 channels it only un-pads,
        # un-flips and resizes each channel to the original size
        channels = maps.size(1)
        if channels == 1:
            maps = maps.repeat(1, 2, 1, 1)
        samples = model.postprocess_result(maps, samples)
    log_sigma = named.log_sigma()
    return [
        _result(s.seg_logits.data[:channels], names,
                None if log_sigma is None else log_sigma[i], threshold,
                s.metainfo.get('img_path')) for i, s in enumerate(samples)
    ]


def _result(maps: Tensor, names: list, log_sigma: Optional[Tensor],
            threshold: float, img_path: Optional[str]) -> NamedSegmentation:
    """(K or 2K, H, W) mu [; s_p] maps at image size -> a result."""
    K = len(names)
    mu = maps[:K].float()
    sigma_p = torch.exp(maps[K:].float() / 2) if maps.size(0) > K else None
    return NamedSegmentation(
        class_names=tuple(names),
        logits=mu.cpu().numpy(),
        masks=(mu.sigmoid() > threshold).cpu().numpy(),
        sigma_p=None if sigma_p is None else sigma_p.cpu().numpy(),
        sigma_i=None if log_sigma is None else
        log_sigma.float().exp().cpu().numpy(),
        img_path=img_path)


class _NamedClassHead(nn.Module):
    """Stands in for the ``ZeroShotHead`` inside ``EncoderDecoder.inference``.

    mmseg calls ``decode_head.predict(feats, metas, test_cfg)`` once per
    image batch (whole) or window (slide). This scores the K names instead
    of the configured class list and returns mu (B, K) and, when the model
    has it, s_p (B, K) stacked as channels, so that mmseg's window
    averaging, resizing and un-padding treat them like logits. log sigma_i
    is image-level, kept aside per call.
    """

    def __init__(self, head: ZeroShotHead, embeddings: Tensor):
        super().__init__()
        self.head = head
        self.embeddings = embeddings
        self.align_corners = head.align_corners
        self.log_sigmas = []

    @property
    def out_channels(self) -> int:
        K = self.embeddings.size(0)
        return 2 * K if 'log_var' in self.head.outputs else K

    def predict(self, inputs, batch_img_metas, test_cfg) -> Tensor:
        out = self.head.forward_all(inputs, self.embeddings)
        if out['log_sigma'] is not None:
            self.log_sigmas.append(out['log_sigma'])
        maps = [m for m in (out['mu'], out['log_var']) if m is not None]
        return self.head.predict_by_feat(torch.cat(maps, dim=1),
                                         batch_img_metas)

    def log_sigma(self) -> Optional[Tensor]:
        """(B, K) log sigma_i, averaged over slide windows; None if absent."""
        if not self.log_sigmas:
            return None
        return torch.stack(self.log_sigmas).mean(dim=0)


@contextlib.contextmanager
def _scoring_names(model: nn.Module, embeddings: Tensor):
    """Temporarily let ``model.decode_head`` score ``embeddings`` (K, D).

    Not re-entrant: one model must not run two of these at once.
    """
    head, channels = model.decode_head, model.out_channels
    named = _NamedClassHead(head, embeddings)
    model.decode_head, model.out_channels = named, named.out_channels
    try:
        yield named
    finally:
        model.decode_head, model.out_channels = head, channels


def _zero_shot_head(model: nn.Module) -> ZeroShotHead:
    head = getattr(model, 'decode_head', None)
    if not isinstance(head, ZeroShotHead):
        raise ConfigError('the model has no ZeroShotHead decode head; '
                          'segmenting by class name needs a zero-shot model')
    return head


def _model_cfg(model: nn.Module) -> Config:
    """``model.cfg``, which holds the test pipeline and class embeddings."""
    cfg = getattr(model, 'cfg', None)
    if not isinstance(cfg, Config):
        raise ConfigError('the model has no .cfg (its test pipeline and class '
                          'embeddings are read from it); build it with '
                          'mmseg_zss.apis.init_segmentor(config, checkpoint)')
    _zero_shot_head(model)
    return cfg


def inference_pipeline(cfg: Config, ndarray: bool = False) -> Compose:
    """The config's test pipeline without annotation loading.

    ``cfg.test_pipeline`` (else the test dataloader's); every
    ``LoadAnnotations`` subclass (e.g. ``LoadZeroShotAnnotations``) is
    dropped, and with ``ndarray`` the image loader reads an array.
    """
    steps = cfg.get('test_pipeline') or cfg.get('test_dataloader', {}).get(
        'dataset', {}).get('pipeline')
    if not steps:
        raise ConfigError('the config has no test_pipeline (nor '
                          'test_dataloader.dataset.pipeline) to prepare '
                          'images with')
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    kept = []
    for step in copy.deepcopy(list(steps)):
        cls = TRANSFORMS.get(step['type']) if isinstance(step['type'],
                                                         str) else step['type']
        if isinstance(cls, type) and issubclass(cls, LoadAnnotations):
            continue
        kept.append(step)
    if ndarray:
        kept[0]['type'] = 'LoadImageFromNDArray'
    return Compose(kept)
