"""Conditional batch normalisation classifier (de Vries et al. 2017).

Shape key: B images, F feature channels, Ch hidden channels, L modulated
layers, D embedding dimension, Hm hidden width of the modulation MLP,
h x w feature resolution, K classes scored at once, k classes of one chunk.

"Modulating early visual processing by language" (de Vries et al., NeurIPS
2017; the paper's CBN comparison, §4.2): the word embedding does not enter the
visual stream as an input but predicts, through an MLP, per-channel changes of
the batch-norm scale and shift,

    y = (gamma + dgamma(e)) * (x - E[x]) / sqrt(Var[x] + eps)
        + (beta + dbeta(e)),

so the class decides which visual channels are amplified or silenced. Here
the ImageNet backbone is frozen (paper §4.1), so the modulated layers are the
L 1x1 convs of the classifier on top of the feature map; a 1x1 conv then gives
the pixel logit mu_p. The MLP's last layer starts at zero: the classifier
starts as an unconditioned BN network, as in de Vries et al.

The first conv sees only the image, so at inference its normalised output is
computed once and shared by every class; only the modulation and the later
layers run per class.
"""
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model.weight_init import constant_init, kaiming_init
from mmseg.registry import MODELS
from torch import Tensor

from ..classifiers import BaseConditionalClassifier
from ..classifiers.concat_classifier import CHUNK_ELEMENTS


@MODELS.register_module()
class CBNClassifier(BaseConditionalClassifier):
    """Classifier whose batch norms are modulated by the class embedding.

    Args:
        in_channels (int): F (``ZeroShotHead`` fills it in).
        embed_dim (int): D (``ZeroShotHead`` fills it in).
        channels (int): Ch, width of the modulated 1x1 convs. Default: 256.
        num_convs (int): L, modulated conv + CBN + activation layers.
            Default: 2.
        mlp_channels (int): Hm, hidden width of the MLP that predicts
            (dgamma, dbeta) of all L layers. Default: 256.
        outputs (Sequence[str]): ``('mu',)``, the only output.
        norm_cfg (dict): the batch norm to condition; built without its own
            affine parameters (gamma, beta live here). Default:
            ``dict(type='BN')``.
        act_cfg (dict, optional): activation after each CBN and in the MLP.
            Default: ``dict(type='ReLU')``.
        init_cfg (dict, optional): mmengine initialisation config.
    """

    supported_outputs = ('mu', )

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 channels: int = 256,
                 num_convs: int = 2,
                 mlp_channels: int = 256,
                 outputs: Sequence[str] = ('mu', ),
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(in_channels, embed_dim, outputs, init_cfg)
        if num_convs < 1:
            raise ValueError(f'num_convs must be >= 1, got {num_convs}')
        norm_cfg = dict(norm_cfg or dict(type='BN'), affine=False)
        act_cfg = dict(type='ReLU') if act_cfg is None else act_cfg
        self.channels = channels
        self.num_convs = num_convs
        widths = [in_channels] + [channels] * num_convs
        self.convs = nn.ModuleList(
            nn.Conv2d(cin, cout, 1, bias=False)  # BN removes any bias
            for cin, cout in zip(widths[:-1], widths[1:]))
        self.norms = nn.ModuleList(
            build_norm_layer(norm_cfg, channels)[1] for _ in range(num_convs))
        self.gamma = nn.Parameter(torch.ones(num_convs, channels))
        self.beta = nn.Parameter(torch.zeros(num_convs, channels))
        self.film = nn.Sequential(
            nn.Linear(embed_dim, mlp_channels), build_activation_layer(act_cfg),
            nn.Linear(mlp_channels, 2 * num_convs * channels))
        self.act = build_activation_layer(act_cfg)
        self.conv_mu = nn.Conv2d(channels, 1, 1)
        for conv in self.convs:
            kaiming_init(conv, nonlinearity='relu')
        constant_init(self.film[-1], 0)  # dgamma = dbeta = 0 at start

    def modulation(self, embeddings: Tensor) -> Tuple[Tensor, Tensor]:
        """Per-class scale and shift of every modulated layer.

        Args:
            embeddings (Tensor): (N, D) class embeddings.

        Returns:
            tuple[Tensor, Tensor]: gamma + dgamma(e), beta + dbeta(e), each
            (N, L, Ch).
        """
        delta = self.film(embeddings).view(-1, 2, self.num_convs,
                                           self.channels)
        return self.gamma + delta[:, 0], self.beta + delta[:, 1]

    def _modulate(self, x: Tensor, layer: int, gamma: Tensor,
                  beta: Tensor) -> Tensor:
        """act(gamma_l * x + beta_l) for a normalised (N, Ch, h, w) ``x``."""
        scale = gamma[:, layer, :, None, None]
        shift = beta[:, layer, :, None, None]
        return self.act(torch.addcmul(shift, x, scale))

    def _rest(self, x: Tensor, gamma: Tensor, beta: Tensor) -> Tensor:
        """Layers 2..L and the logit conv: (N, Ch, h, w) -> mu (N, h, w)."""
        for layer in range(1, self.num_convs):
            x = self.norms[layer](self.convs[layer](x))
            x = self._modulate(x, layer, gamma, beta)
        return self.conv_mu(x)[:, 0]

    def forward(self, feats: Tensor, embeddings: Tensor) -> Dict[str, Tensor]:
        """Score each image against its own class.

        Args:
            feats (Tensor): (B, F, h, w) features.
            embeddings (Tensor): (B, D) one class embedding per image.

        Returns:
            dict[str, Tensor]: ``mu`` (B, h, w).
        """
        gamma, beta = self.modulation(embeddings)
        x = self._modulate(self.norms[0](self.convs[0](feats)), 0, gamma,
                           beta)
        return dict(mu=self._rest(x, gamma, beta))

    def forward_all(self,
                    feats: Tensor,
                    embeddings: Tensor,
                    outputs: Optional[Sequence[str]] = None,
                    chunk_size: Optional[int] = None) -> Dict[str, Tensor]:
        """Score every image against all K classes.

        The first conv + norm runs once; classes go through the modulated
        layers in chunks so that memory stays bounded for any K. Equal to
        one :meth:`forward` per class in eval mode (running BN statistics).

        Args:
            feats (Tensor): (B, F, h, w) features.
            embeddings (Tensor): (K, D) class embeddings.
            outputs (Sequence[str], optional): unused (one output).
            chunk_size (int, optional): classes per chunk; default: as many
                as keep a chunk's activations within ``CHUNK_ELEMENTS``.

        Returns:
            dict[str, Tensor]: ``mu`` (B, K, h, w).
        """
        B, _, h, w = feats.shape
        first = self.norms[0](self.convs[0](feats))[:, None]  # (B, 1, Ch,h,w)
        gamma, beta = self.modulation(embeddings)  # (K, L, Ch)
        if chunk_size is None:
            budget = CHUNK_ELEMENTS['cuda' if feats.is_cuda else 'cpu']
            chunk_size = max(1, budget // (B * h * w * self.channels))
        pieces = []
        for g, b in zip(gamma.split(chunk_size), beta.split(chunk_size)):
            k = len(g)
            # (B * k, L, Ch): the modulation of each (image, class) pair
            g_pairs = g[None].expand(B, -1, -1, -1).flatten(0, 1)
            b_pairs = b[None].expand(B, -1, -1, -1).flatten(0, 1)
            x = first.expand(-1, k, -1, -1, -1).flatten(0, 1)
            x = self._modulate(x, 0, g_pairs, b_pairs)
            pieces.append(self._rest(x, g_pairs, b_pairs).view(B, k, h, w))
        return dict(mu=torch.cat(pieces, dim=1))
