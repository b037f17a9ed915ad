"""ZS3Net's feature generator: class embedding + noise -> pixel feature.

Shape key: N samples, D embedding dimension, Z noise dimension, Ch hidden
channels, F feature channels.

ZS3Net (Bucher et al. 2019, §3.2) generates features of unseen classes from
their word embeddings with a generative moment-matching network: a two-layer
MLP on [e; z], z ~ N(0, I), LeakyReLU(0.2) and dropout between the layers
(their ``GMMNnetwork``). The noise makes one class embedding map to a
distribution of features, matched to the real features of the seen classes by
:class:`MMDLoss`.
"""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmengine.model.weight_init import xavier_init
from mmseg.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class GMMNGenerator(BaseModule):
    """MLP generator of pixel features conditioned on a class embedding.

    Args:
        embed_dim (int): D (``GMMNHead`` fills it in).
        feature_dim (int): F, channels of the generated features
            (``GMMNHead`` fills it in with its feature channels).
        noise_dim (int, optional): Z; None: Z = D (ZS3Net: 300 = 300).
        hidden_channels (int): Ch. Default: 256 (ZS3Net).
        dropout_ratio (float): dropout after the hidden layer. Default: 0.5.
        negative_slope (float): of the LeakyReLU. Default: 0.2.
        init_cfg (dict, optional): mmengine initialisation config.
    """

    def __init__(self,
                 embed_dim: int,
                 feature_dim: int,
                 noise_dim: Optional[int] = None,
                 hidden_channels: int = 256,
                 dropout_ratio: float = 0.5,
                 negative_slope: float = 0.2,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg)
        self.embed_dim = embed_dim
        self.feature_dim = feature_dim
        self.noise_dim = embed_dim if noise_dim is None else noise_dim
        self.mlp = nn.Sequential(
            nn.Linear(embed_dim + self.noise_dim, hidden_channels),
            nn.LeakyReLU(negative_slope), nn.Dropout(dropout_ratio),
            nn.Linear(hidden_channels, feature_dim))
        for layer in (self.mlp[0], self.mlp[3]):
            xavier_init(layer, distribution='uniform', bias=0.01)  # ZS3Net's

    def forward(self, embeddings: Tensor,
                noise: Optional[Tensor] = None) -> Tensor:
        """Features of the classes of ``embeddings``.

        Args:
            embeddings (Tensor): (N, D) one class embedding per sample.
            noise (Tensor, optional): (N, Z); default: drawn from N(0, I).

        Returns:
            Tensor: (N, F) generated features.
        """
        if noise is None:
            noise = torch.randn(len(embeddings), self.noise_dim,
                                device=embeddings.device,
                                dtype=embeddings.dtype)
        return self.mlp(torch.cat([embeddings, noise], dim=1))
