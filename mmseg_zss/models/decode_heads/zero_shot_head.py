"""Zero-shot decode head: any mmseg decode head + a conditional classifier.

Shape key: B images, F feature channels, h x w feature resolution, H x W label
resolution, C classes of the configured class list, K classes asked for,
D embedding dimension.

Training (paper Fig. 2): each image comes with one target class
(``data_sample.metainfo['target_class']``) and a binary mask; the feature head
gives f, the classifier scores f against the embedding of that class, and the
losses of ``loss_decode`` are applied (Eq. 2: L = L_img + lambda * L_pixel,
lambda being the pixel loss's ``loss_weight``).

Testing: logits for all C classes at once, (B, C, h, w), so mmseg's
``EncoderDecoder`` whole / slide inference and its argmax work unchanged.
"""
import copy
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor

from ...embeddings import load_class_embeddings
from ...errors import ConfigError, EmbeddingError
from ..classifiers import HEAD_OUTPUTS, PIXEL_OUTPUTS


def loss_inputs(loss: nn.Module) -> tuple:
    """Head outputs a loss consumes, in the order of its ``forward``.

    Losses declare them in a ``head_outputs`` class attribute; a loss without
    one (e.g. mmseg's ``CrossEntropyLoss(use_sigmoid=True)``) takes the pixel
    logits ``mu`` like any mmseg loss takes ``seg_logits``.
    """
    return tuple(getattr(loss, 'head_outputs', ('mu', )))


@MODELS.register_module()
class ZeroShotHead(BaseDecodeHead):
    """Conditional segmentation head of the paper (§3.2-3.4).

    Args:
        feature_head (dict): config of any mmseg decode head (e.g.
            ``DepthwiseSeparableASPPHead``, ``PSPHead``). Its ``conv_seg`` is
            replaced by an identity, so its output is the F = ``channels``
            feature map (after its dropout) instead of class scores.
        classifier (dict): config of a conditional classifier (e.g.
            ``ConcatClassifier``); ``in_channels``, ``embed_dim`` and
            ``outputs`` are filled in here.
        num_classes (int): C, length of the class list (seen + unseen).
        embed_dim (int): D, dimension of the class embeddings.
        class_embeddings (str): ``.npy`` path or shipped name, read with
            :func:`mmseg_zss.embeddings.load_class_embeddings`; one row per
            class of the class list, in its order.
        loss_decode (dict | list[dict]): losses; each consumes the outputs
            named in its ``head_outputs`` (``mu`` if it has none), and the
            classifier builds only the outputs some loss consumes.
        class_chunk_size (int, optional): classes scored together at
            inference (bounds memory); None: the classifier picks a size
            that suits the device.
        ignore_index (int): label ignored by every loss. Default: 255.
        align_corners (bool): of the resize to label / image size.
        init_cfg (dict, optional): mmengine initialisation config.
    """

    def __init__(self,
                 feature_head: dict,
                 classifier: dict,
                 num_classes: int,
                 embed_dim: int,
                 class_embeddings: str,
                 loss_decode=(dict(
                     type='CrossEntropyLoss',
                     use_sigmoid=True,
                     avg_non_ignore=True,
                     loss_name='loss_bce'), ),
                 class_chunk_size: Optional[int] = None,
                 ignore_index: int = 255,
                 align_corners: bool = False,
                 init_cfg: Optional[dict] = None):
        features = MODELS.build(feature_head)
        # every mmseg head ends in cls_seg() = conv_seg(dropout(x)); with an
        # identity conv_seg its output is the feature map
        features.conv_seg = nn.Identity()
        super().__init__(
            in_channels=features.channels,
            channels=features.channels,
            num_classes=num_classes,
            dropout_ratio=0,
            loss_decode=loss_decode,
            ignore_index=ignore_index,
            align_corners=align_corners,
            init_cfg=init_cfg)
        # the classifier replaces conv_seg; keeping it would leave parameters
        # without gradients (DDP with find_unused_parameters=False fails)
        del self.conv_seg
        self.feature_head = features
        # the feature head selects its own inputs; mirror it for reprs
        self.in_channels = features.in_channels
        self.in_index = features.in_index
        self.input_transform = features.input_transform
        self.embed_dim = embed_dim
        self.class_chunk_size = class_chunk_size
        self.outputs = self._outputs_of_losses()
        self.classifier = MODELS.build(
            self._classifier_cfg(classifier, self.channels, embed_dim))
        # non-persistent: a checkpoint does not pin a class list, the config
        # (or forward_all's argument) says which classes are scored
        self.register_buffer(
            'class_embeddings',
            self._load_embeddings(class_embeddings, num_classes, embed_dim),
            persistent=False)

    # ----------------------------------------------------------- building
    def _losses(self) -> List[nn.Module]:
        if isinstance(self.loss_decode, nn.ModuleList):
            return list(self.loss_decode)
        return [self.loss_decode]

    def _outputs_of_losses(self) -> tuple:
        """The head outputs some loss consumes, in :data:`HEAD_OUTPUTS` order."""
        wanted = {'mu'}
        for loss in self._losses():
            unknown = set(loss_inputs(loss)) - set(HEAD_OUTPUTS)
            if unknown:
                raise ConfigError(
                    f'{type(loss).__name__}.head_outputs names {unknown}; '
                    f'ZeroShotHead produces {HEAD_OUTPUTS}')
            wanted.update(loss_inputs(loss))
        return tuple(o for o in HEAD_OUTPUTS if o in wanted)

    def _classifier_cfg(self, classifier: dict, in_channels: int,
                        embed_dim: int) -> dict:
        cfg = copy.deepcopy(classifier)
        for key, value in (('in_channels', in_channels),
                           ('embed_dim', embed_dim)):
            if cfg.get(key, value) != value:
                raise ConfigError(
                    f'decode_head.classifier.{key}={cfg[key]} but the head '
                    f'gives it {value}: remove {key} from the classifier '
                    'config (ZeroShotHead fills it in)')
            cfg[key] = value
        cfg['outputs'] = self.outputs
        return cfg

    @staticmethod
    def _load_embeddings(source: str, num_classes: int,
                         embed_dim: int) -> Tensor:
        try:
            emb = load_class_embeddings(
                source, num_classes=num_classes, dim=embed_dim)
        except EmbeddingError as err:
            raise EmbeddingError(
                f'decode_head (ZeroShotHead with num_classes={num_classes}, '
                f'embed_dim={embed_dim}): {err}') from err
        return torch.as_tensor(emb, dtype=torch.float32)

    # ------------------------------------------------------------ forward
    def extract_features(self, inputs: Sequence[Tensor]) -> Tensor:
        """Multi-level backbone features -> (B, F, h, w) feature map."""
        return self.feature_head(inputs)

    def forward(self, inputs: Sequence[Tensor]) -> Tensor:
        """All-class logits mu, (B, C, h, w) (what ``EncoderDecoder`` uses)."""
        return self.forward_all(inputs, outputs=('mu', ))['mu']

    def forward_all(self,
                    inputs: Sequence[Tensor],
                    embeddings: Optional[Tensor] = None,
                    outputs: Optional[Sequence[str]] = None
                    ) -> Dict[str, Optional[Tensor]]:
        """Score every image against many classes in one pass.

        Args:
            inputs (Sequence[Tensor]): multi-level backbone features.
            embeddings (Tensor, optional): (K, D) embeddings of the classes to
                score, e.g. of arbitrary words; default: the configured C.
            outputs (Sequence[str], optional): outputs wanted; default all
                the model has.

        Returns:
            dict: ``mu`` (B, K, h, w); ``log_var`` (B, K, h, w) and
            ``log_sigma`` (B, K), or None when the model has no such branch or
            they were not asked for. sigma_p = exp(log_var / 2),
            sigma_i = exp(log_sigma).
        """
        embeddings = self._check_embeddings(embeddings)
        results = self.classifier.forward_all(
            self.extract_features(inputs), embeddings,
            outputs=outputs, chunk_size=self.class_chunk_size)
        return {name: results.get(name) for name in HEAD_OUTPUTS}

    def forward_targets(self, inputs: Sequence[Tensor],
                        embeddings: Tensor) -> Dict[str, Tensor]:
        """Score each image against its own class (the training path).

        Args:
            inputs (Sequence[Tensor]): multi-level backbone features.
            embeddings (Tensor): (B, D) one class embedding per image.

        Returns:
            dict[str, Tensor]: ``mu`` / ``log_var`` (B, h, w), ``log_sigma``
            (B,), for the outputs this model has.
        """
        return self.classifier(self.extract_features(inputs), embeddings)

    def _check_embeddings(self, embeddings: Optional[Tensor]) -> Tensor:
        if embeddings is None:
            return self.class_embeddings
        if (embeddings.dim() != 2 or embeddings.size(1) != self.embed_dim
                or embeddings.size(0) == 0):
            raise EmbeddingError(
                f'embeddings of shape {tuple(embeddings.shape)} given; the '
                f'model needs (K, {self.embed_dim}) with K >= 1')
        return embeddings.to(self.class_embeddings)

    # --------------------------------------------------------------- loss
    def loss(self, inputs: Sequence[Tensor], batch_data_samples: SampleList,
             train_cfg: dict) -> Dict[str, Tensor]:
        """Losses of a batch of (image, target class, binary mask) samples."""
        classes = self._target_classes(batch_data_samples)
        outputs = self.forward_targets(inputs, self.class_embeddings[classes])
        return self.loss_by_feat(outputs, batch_data_samples)

    def _target_classes(self, batch_data_samples: SampleList) -> Tensor:
        """(B,) long indices of the target classes into the class list."""
        classes = []
        for sample in batch_data_samples:
            if 'target_class' not in sample.metainfo:
                raise ConfigError(
                    'ZeroShotHead trains on (image, class) pairs but a data '
                    "sample has no metainfo['target_class']: end the train "
                    "pipeline with dict(type='SampleZeroShotTarget') and "
                    "dict(type='PackZeroShotInputs') instead of "
                    'PackSegInputs')
            classes.append(int(sample.metainfo['target_class']))
        bad = [c for c in classes if not 0 <= c < self.num_classes]
        if bad:
            raise ConfigError(
                f'target_class {bad[0]} is outside the {self.num_classes} '
                'classes of decode_head.num_classes: the dataset and the '
                'model use different class lists')
        return torch.tensor(classes, device=self.class_embeddings.device)

    def loss_by_feat(self, outputs: Dict[str, Tensor],
                     batch_data_samples: SampleList) -> Dict[str, Tensor]:
        """Apply every loss of ``loss_decode`` to the outputs it declares.

        Args:
            outputs (dict[str, Tensor]): ``forward_targets`` results at
                feature resolution.
            batch_data_samples (list[SegDataSample]): with binary
                ``gt_sem_seg`` (1, H, W) in {0, 1, ignore_index}.

        Returns:
            dict[str, Tensor]: one entry per ``loss_name`` and ``acc_seg``.
        """
        seg_label = self._stack_batch_gt(batch_data_samples)[:, 0]
        # pixel maps to label resolution, as BaseDecodeHead does with logits
        outputs = {
            name: resize(value[:, None], size=seg_label.shape[1:],
                         mode='bilinear',
                         align_corners=self.align_corners)[:, 0]
            if name in PIXEL_OUTPUTS else value
            for name, value in outputs.items()
        }
        losses = dict()
        for loss in self._losses():
            args = [outputs[name] for name in loss_inputs(loss)]
            value = loss(*args, seg_label, ignore_index=self.ignore_index)
            losses[loss.loss_name] = losses.get(loss.loss_name, 0) + value
        losses['acc_seg'] = self._binary_accuracy(outputs['mu'], seg_label)
        return losses

    def _binary_accuracy(self, mu: Tensor, seg_label: Tensor) -> Tensor:
        """Percentage of valid pixels where sigmoid(mu) > 0.5 matches the mask."""
        valid = seg_label != self.ignore_index
        correct = ((mu > 0).long() == seg_label) & valid
        return 100 * correct.sum() / valid.sum().clamp_min(1)
