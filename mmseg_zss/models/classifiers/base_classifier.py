"""Interface of the conditional classifiers plugged into ``ZeroShotHead``.

Shape key: B images, F feature channels, h x w feature resolution,
D embedding dimension, K classes scored at once.

A conditional classifier scores (pixel, class) pairs from a visual feature map
and class embeddings. It produces a subset of the head outputs:

* ``mu``        pixel logit mu_p (paper §3.3), always;
* ``log_var``   pixel log-variance s_p = log sigma_p^2 (§3.3);
* ``log_sigma`` image-level log Laplacian scale log sigma_i (§3.4).

``ZeroShotHead`` asks only for the outputs its losses consume, so a model
trained without an uncertainty loss carries no parameters for it.
"""
from abc import ABCMeta, abstractmethod
from typing import Dict, Optional, Sequence

import torch
from mmengine.model import BaseModule
from torch import Tensor

from ...errors import ConfigError

#: every output a classifier may produce; pixel maps first
HEAD_OUTPUTS = ('mu', 'log_var', 'log_sigma')
#: the outputs that are (B, h, w) maps, resized with the logits
PIXEL_OUTPUTS = ('mu', 'log_var')


class BaseConditionalClassifier(BaseModule, metaclass=ABCMeta):
    """Base of the classifiers conditioned on a class embedding.

    Subclasses implement :meth:`forward` (one class per image, used in
    training) and may override :meth:`forward_all` with something faster than
    one :meth:`forward` per class.

    Args:
        in_channels (int): F, channels of the visual feature map.
        embed_dim (int): D, dimension of the class embeddings.
        outputs (Sequence[str]): outputs to build, a subset of
            :attr:`supported_outputs` containing ``'mu'``.
        init_cfg (dict, optional): mmengine initialisation config.
    """

    #: the outputs a subclass can produce
    supported_outputs = ('mu', )

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 outputs: Sequence[str] = ('mu', ),
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg)
        outputs = tuple(outputs)
        unsupported = [o for o in outputs if o not in self.supported_outputs]
        if 'mu' not in outputs or unsupported:
            raise ConfigError(
                f'{type(self).__name__} produces {self.supported_outputs}, '
                f'but the losses ask for {outputs}: pick losses this '
                'classifier supports (see docs/model.md)')
        self.in_channels = in_channels
        self.embed_dim = embed_dim
        self.outputs = outputs

    @abstractmethod
    def forward(self, feats: Tensor, embeddings: Tensor) -> Dict[str, Tensor]:
        """Score each image against its own class.

        Args:
            feats (Tensor): (B, F, h, w) visual features.
            embeddings (Tensor): (B, D) one class embedding per image.

        Returns:
            dict[str, Tensor]: every name in :attr:`outputs`; ``mu`` and
            ``log_var`` are (B, h, w), ``log_sigma`` is (B,).
        """

    def forward_all(self,
                    feats: Tensor,
                    embeddings: Tensor,
                    outputs: Optional[Sequence[str]] = None,
                    chunk_size: Optional[int] = None) -> Dict[str, Tensor]:
        """Score every image against every class.

        This default runs :meth:`forward` once per class; subclasses override
        it with a shared-computation version that must give the same values.

        Args:
            feats (Tensor): (B, F, h, w) visual features.
            embeddings (Tensor): (K, D) class embeddings.
            outputs (Sequence[str], optional): names wanted; those this
                classifier does not produce are left out. Default: all of
                :attr:`outputs`.
            chunk_size (int, optional): classes processed together (bounds
                memory); None lets the classifier choose.

        Returns:
            dict[str, Tensor]: ``mu`` / ``log_var`` (B, K, h, w),
            ``log_sigma`` (B, K).
        """
        return self.forward_per_class(feats, embeddings, outputs)

    def forward_per_class(self,
                          feats: Tensor,
                          embeddings: Tensor,
                          outputs: Optional[Sequence[str]] = None
                          ) -> Dict[str, Tensor]:
        """The reference all-class scoring: one :meth:`forward` per class.

        Same arguments and results as :meth:`forward_all`.
        """
        names = self.select_outputs(outputs)
        per_class = [
            self.forward(feats, emb.expand(feats.size(0), -1))
            for emb in embeddings
        ]
        return {
            name: torch.stack([res[name] for res in per_class], dim=1)
            for name in names
        }

    def select_outputs(self, outputs: Optional[Sequence[str]]) -> tuple:
        """The asked outputs that this classifier produces, in its order."""
        if outputs is None:
            return self.outputs
        return tuple(o for o in self.outputs if o in outputs)
