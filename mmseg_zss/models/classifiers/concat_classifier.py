"""The paper's classifier: class embedding tiled, concatenated, 1x1 convs.

Shape key: B images, F feature channels, D embedding dimension, Ch hidden
channels, h x w feature resolution, K classes scored at once, k classes of
one chunk.

Paper §3.3: the embedding e of the class is replicated over the feature map f
and concatenated, several 1x1 convs compare the two and end in the pixel
logit mu_p and (shared trunk, second output) the log-variance s_p. §3.4 and
Fig. 2: an image-level branch on the same concatenated features - global
average pooling and a small MLP - gives log sigma_i.

Speed. The first 1x1 conv acts on [f; e]: W [f; e] + b = W_f f + (W_e e + b).
Tiling e is never materialised, and when K classes are scored the image term
W_f f (the bulk of the first conv: F of its F + D inputs) is computed once
and each class only adds its bias-like term W_e e.
"""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, build_activation_layer, build_norm_layer
from mmengine.model.weight_init import kaiming_init, normal_init
from mmseg.registry import MODELS
from torch import Tensor

from .base_classifier import PIXEL_OUTPUTS, BaseConditionalClassifier


@MODELS.register_module()
class ConcatClassifier(BaseConditionalClassifier):
    """Concatenation classifier of the paper (Fig. 2), U-Loss branches optional.

    Args:
        in_channels (int): F, channels of the feature map (the feature head's
            ``channels``; ``ZeroShotHead`` fills it in).
        embed_dim (int): D, class-embedding dimension.
        channels (int): Ch, width of the 1x1-conv trunk. Default: 256.
        num_convs (int): 1x1 ConvModules in the trunk before the outputs,
            the first being the one on [f; e]. Default: 2.
        image_channels (int): hidden width of the image-level MLP. Default: 256.
        outputs (Sequence[str]): subset of ``('mu', 'log_var', 'log_sigma')``;
            ``ZeroShotHead`` sets it from its losses. Default: ``('mu',)``.
        norm_cfg (dict, optional): norm after each trunk conv. Default: None.
        act_cfg (dict, optional): activation of the trunk and the MLP.
            Default: ``dict(type='ReLU')``.
        init_cfg (dict, optional): mmengine initialisation config.
    """

    supported_outputs = ('mu', 'log_var', 'log_sigma')

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 channels: int = 256,
                 num_convs: int = 2,
                 image_channels: int = 256,
                 outputs: Sequence[str] = ('mu', ),
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(in_channels, embed_dim, outputs, init_cfg)
        act_cfg = dict(type='ReLU') if act_cfg is None else act_cfg
        if num_convs < 1:
            raise ValueError(f'num_convs must be >= 1, got {num_convs}')
        self.channels = channels
        # first trunk conv, on [f; e]; applied split (see module docstring)
        self.fuse_conv = nn.Conv2d(
            in_channels + embed_dim, channels, 1, bias=norm_cfg is None)
        self.fuse_norm = (build_norm_layer(norm_cfg, channels)[1]
                          if norm_cfg is not None else nn.Identity())
        self.fuse_act = build_activation_layer(act_cfg)
        self.convs = nn.Sequential(*[
            ConvModule(channels, channels, 1, norm_cfg=norm_cfg,
                       act_cfg=act_cfg) for _ in range(num_convs - 1)
        ])
        self.conv_mu = nn.Conv2d(channels, 1, 1)
        if 'log_var' in self.outputs:
            self.conv_log_var = nn.Conv2d(channels, 1, 1)
        if 'log_sigma' in self.outputs:
            self.image_mlp = nn.Sequential(
                nn.Linear(in_channels + embed_dim, image_channels),
                build_activation_layer(act_cfg),
                nn.Linear(image_channels, 1))
        self._init_layers()

    def _init_layers(self):
        kaiming_init(self.fuse_conv, nonlinearity='relu')
        # small outputs: logits near 0, sigma_p and sigma_i near 1 at start
        for name in ('conv_mu', 'conv_log_var'):
            if hasattr(self, name):
                normal_init(getattr(self, name), std=0.01, bias=0)
        if hasattr(self, 'image_mlp'):
            normal_init(self.image_mlp[-1], std=0.01, bias=0)

    def forward(self, feats: Tensor, embeddings: Tensor) -> Dict[str, Tensor]:
        """Score each image against its own class (training path).

        Args:
            feats (Tensor): (B, F, h, w) features.
            embeddings (Tensor): (B, D) one class embedding per image.

        Returns:
            dict[str, Tensor]: ``mu`` / ``log_var`` (B, h, w), ``log_sigma``
            (B,), for the names in :attr:`outputs`.
        """
        hidden = self._trunk(self._image_term(feats) +
                             self._class_term(embeddings)[:, :, None, None])
        results = self._pixel_outputs(hidden, self.outputs)
        results = {name: out[:, 0] for name, out in results.items()}
        if 'log_sigma' in self.outputs:
            results['log_sigma'] = self._log_sigma(
                feats.mean(dim=(2, 3)), embeddings)
        return results

    def forward_all(self,
                    feats: Tensor,
                    embeddings: Tensor,
                    outputs: Optional[Sequence[str]] = None,
                    chunk_size: int = 16) -> Dict[str, Tensor]:
        """Score every image against all K classes in one pass.

        W_f f is computed once; classes go through the rest of the trunk in
        chunks of ``chunk_size`` so memory stays bounded for any K.

        Args:
            feats (Tensor): (B, F, h, w) features.
            embeddings (Tensor): (K, D) class embeddings.
            outputs (Sequence[str], optional): names wanted (default: all).
            chunk_size (int): classes per chunk.

        Returns:
            dict[str, Tensor]: ``mu`` / ``log_var`` (B, K, h, w),
            ``log_sigma`` (B, K).
        """
        names = self.select_outputs(outputs)
        B, _, h, w = feats.shape
        image_term = self._image_term(feats)  # (B, Ch, h, w), once
        class_term = self._class_term(embeddings)  # (K, Ch)
        chunks = {name: [] for name in names if name in PIXEL_OUTPUTS}
        for part in class_term.split(chunk_size):
            k = part.size(0)
            fused = image_term[:, None] + part[None, :, :, None, None]
            hidden = self._trunk(fused.flatten(0, 1))  # (B * k, Ch, h, w)
            for name, out in self._pixel_outputs(hidden, names).items():
                chunks[name].append(out.view(B, k, h, w))
        results = {name: torch.cat(parts, dim=1)
                   for name, parts in chunks.items()}
        if 'log_sigma' in names:
            results['log_sigma'] = self._log_sigma(
                feats.mean(dim=(2, 3))[:, None], embeddings[None])
        return results

    def _image_term(self, feats: Tensor) -> Tensor:
        """W_f f: (B, F, h, w) -> (B, Ch, h, w)."""
        weight = self.fuse_conv.weight[:, :self.in_channels]
        return F.conv2d(feats, weight)

    def _class_term(self, embeddings: Tensor) -> Tensor:
        """W_e e + b: (K, D) -> (K, Ch)."""
        weight = self.fuse_conv.weight[:, self.in_channels:, 0, 0]
        return F.linear(embeddings, weight, self.fuse_conv.bias)

    def _trunk(self, fused: Tensor) -> Tensor:
        """Norm and activation of the first conv, then the other convs."""
        return self.convs(self.fuse_act(self.fuse_norm(fused)))

    def _pixel_outputs(self, hidden: Tensor, names) -> Dict[str, Tensor]:
        """(M, Ch, h, w) -> {name: (M, 1, h, w)} for the asked pixel maps."""
        results = {'mu': self.conv_mu(hidden)}
        if 'log_var' in names:
            results['log_var'] = self.conv_log_var(hidden)
        return results

    def _log_sigma(self, pooled: Tensor, embeddings: Tensor) -> Tensor:
        """log sigma_i from [avgpool(f); e] (= avgpool of the concatenation).

        Args:
            pooled (Tensor): (..., F) pooled features.
            embeddings (Tensor): (..., D), broadcastable against ``pooled``.

        Returns:
            Tensor: (...) log sigma_i.
        """
        shape = torch.broadcast_shapes(pooled.shape[:-1],
                                       embeddings.shape[:-1])
        joint = torch.cat(
            [pooled.expand(*shape, -1),
             embeddings.expand(*shape, -1)], dim=-1)
        return self.image_mlp(joint)[..., 0]
