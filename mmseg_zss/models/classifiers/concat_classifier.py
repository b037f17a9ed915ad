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
and each class only adds its bias-like term W_e e. In eval mode BatchNorm is
folded into the 1x1 convs, which run as matrix products over channels-last
pixels (same values, fewer passes over the (pixel, class) activations).
"""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, build_activation_layer, build_norm_layer
from mmengine.model.weight_init import kaiming_init, normal_init
from mmseg.registry import MODELS
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from .base_classifier import PIXEL_OUTPUTS, BaseConditionalClassifier

#: elements of one chunk's (B, k, h, w, Ch) hidden activations at inference.
#: CPU: ~4 MB keeps them in cache (larger chunks measured slower, being
#: bound by memory traffic and page faults); CUDA: 256 MB keeps kernels large.
CHUNK_ELEMENTS = {'cpu': 2**20, 'cuda': 2**26}


def _pool(feats: Tensor) -> Tensor:
    """Global average pooling (B, F, h, w) -> (B, F).

    Written as a sum scaled afterwards: the backward of ``sum`` is a
    broadcast view, while ``mean``'s materialises a (B, F, h, w) gradient
    that autograd would then add to the trunk's (+2 feature maps at peak).
    """
    return feats.sum(dim=(2, 3)) / (feats.size(2) * feats.size(3))


def _norm_affine(norm: nn.Module, like: Tensor):
    """(scale, shift), each (Ch,), of an eval-mode norm; None if unknown.

    BatchNorm with running statistics is y = s x + t with
    s = gamma / sqrt(var + eps), t = beta - mean * s; identity is s = 1, t = 0.
    """
    channels = like.size(0)
    if isinstance(norm, nn.Identity):
        return like.new_ones(channels), like.new_zeros(channels)
    if not isinstance(norm, _BatchNorm) or norm.running_mean is None:
        return None
    scale = torch.rsqrt(norm.running_var + norm.eps)
    shift = -norm.running_mean * scale
    if norm.affine:
        scale = scale * norm.weight
        shift = shift * norm.weight + norm.bias
    return scale, shift


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
        results = {}
        # image branch first: autograd then runs its backward last and adds
        # its (broadcast) gradient into the trunk's in place (see _pool)
        if 'log_sigma' in self.outputs:
            results['log_sigma'] = self._log_sigma(_pool(feats), embeddings)
        plan = self._folded_trunk()
        image = self._trunk_input(self._image_term(feats), plan)
        maps = self._pixel_maps(image, self._class_term(embeddings)[:, None],
                                self.outputs, plan)
        results.update({name: value[:, 0] for name, value in maps.items()})
        return results

    def forward_all(self,
                    feats: Tensor,
                    embeddings: Tensor,
                    outputs: Optional[Sequence[str]] = None,
                    chunk_size: Optional[int] = None) -> Dict[str, Tensor]:
        """Score every image against all K classes in one pass.

        W_f f is computed once; classes go through the rest of the trunk in
        chunks so memory stays bounded for any K.

        Args:
            feats (Tensor): (B, F, h, w) features.
            embeddings (Tensor): (K, D) class embeddings, K >= 1.
            outputs (Sequence[str], optional): names wanted (default: all).
            chunk_size (int, optional): classes per chunk; default: as many
                as keep a chunk's hidden activations within
                :data:`CHUNK_ELEMENTS` for the device.

        Returns:
            dict[str, Tensor]: ``mu`` / ``log_var`` (B, K, h, w),
            ``log_sigma`` (B, K).
        """
        names = self.select_outputs(outputs)
        plan = self._folded_trunk()
        image = self._trunk_input(self._image_term(feats), plan)  # once
        class_term = self._class_term(embeddings)  # (K, Ch)
        if chunk_size is None:
            pixels = feats.size(0) * feats.size(2) * feats.size(3)
            budget = CHUNK_ELEMENTS['cuda' if feats.is_cuda else 'cpu']
            chunk_size = max(1, budget // (pixels * self.channels))
        pieces = [
            self._pixel_maps(image, part.expand(feats.size(0), -1, -1),
                             names, plan)
            for part in class_term[None].split(chunk_size, dim=1)
        ]
        results = {name: torch.cat([p[name] for p in pieces], dim=1)
                   for name in pieces[0]}
        if 'log_sigma' in names:
            results['log_sigma'] = self._log_sigma(
                _pool(feats)[:, None], embeddings[None])
        return results

    def _image_term(self, feats: Tensor) -> Tensor:
        """W_f f: (B, F, h, w) -> (B, Ch, h, w)."""
        weight = self.fuse_conv.weight[:, :self.in_channels]
        return F.conv2d(feats, weight)

    def _class_term(self, embeddings: Tensor) -> Tensor:
        """W_e e + b: (..., D) -> (..., Ch)."""
        weight = self.fuse_conv.weight[:, self.in_channels:, 0, 0]
        return F.linear(embeddings, weight, self.fuse_conv.bias)

    def _trunk_input(self, image: Tensor, plan) -> Tensor:
        """The image term as the trunk wants it: (B, Ch, h, w) for the
        module path, normalised and channels-last (B, h, w, Ch) if folded."""
        if plan is None:
            return image
        scale, shift = plan[0]
        # contiguous channels-last, so that every chunk's pixels x channels
        # view below is free (permute alone keeps the NCHW memory order)
        return (image.permute(0, 2, 3, 1) * scale + shift).contiguous()

    def _pixel_maps(self, image: Tensor, class_term: Tensor, names,
                    plan) -> Dict[str, Tensor]:
        """Trunk and pixel outputs of every (image, class) pair.

        Args:
            image (Tensor): :meth:`_trunk_input` of the B images.
            class_term (Tensor): (B, k, Ch) W_e e + b of the k classes scored
                on each image.
            names (Sequence[str]): outputs wanted.
            plan: :meth:`_folded_trunk` result.

        Returns:
            dict[str, Tensor]: ``mu`` (and ``log_var``) of shape (B, k, h, w).
        """
        # the output convs as one (mu and log_var share the trunk): a single
        # gradient for the trunk output, not one per head summed afterwards
        heads = [self.conv_mu]
        if 'log_var' in names:
            heads.append(self.conv_log_var)
        weight = torch.cat([head.weight[:, :, 0, 0] for head in heads])
        bias = torch.cat([head.bias for head in heads])
        if plan is None:
            B, k = class_term.shape[:2]
            fused = image[:, None] + class_term[..., None, None]
            hidden = self.convs(self.fuse_act(self.fuse_norm(
                fused.flatten(0, 1))))  # (B * k, Ch, h, w)
            out = F.conv2d(hidden, weight[..., None, None], bias)
            maps = out.view(B, k, len(heads), *hidden.shape[2:]).unbind(2)
        else:
            # (B, k, h, w, Ch): BN(a + b) = (s a + t) + s b, then the 1x1
            # convs as matrix products over channels-last pixels
            fused = image[:, None] + (class_term * plan[0][0])[:, :, None,
                                                               None]
            hidden = fused.relu_().flatten(0, 3)
            for layer_weight, layer_bias in plan[1]:
                hidden = torch.addmm(layer_bias, hidden,
                                     layer_weight.t()).relu_()
            out = torch.addmm(bias, hidden, weight.t())
            maps = out.view(*fused.shape[:4], len(heads)).unbind(dim=-1)
        return dict(zip(PIXEL_OUTPUTS, maps))

    def _folded_trunk(self):
        """The eval-mode trunk with BatchNorm folded into affine maps.

        Returns None (use the modules) in training mode or when a layer is
        not a 1x1 conv + BatchNorm/none + ReLU. Otherwise ``((scale, shift),
        [(W, b), ...])``: the first norm as a per-channel affine map, and each
        later ConvModule as one affine map W x + b with its BN folded in.
        Folding changes nothing mathematically; it saves the separate norm
        passes over every (pixel, class) pair at inference.
        """
        if self.training or not isinstance(self.fuse_act, nn.ReLU):
            return None
        first = _norm_affine(self.fuse_norm, self.fuse_conv.weight)
        layers = []
        for module in self.convs:
            norm = module.norm if module.with_norm else nn.Identity()
            affine = _norm_affine(norm, module.conv.weight)
            if (affine is None or module.order != ('conv', 'norm', 'act')
                    or not isinstance(getattr(module, 'activate', None),
                                      nn.ReLU)):
                return None
            scale, shift = affine
            weight = module.conv.weight[:, :, 0, 0] * scale[:, None]
            bias = shift if module.conv.bias is None else (
                module.conv.bias * scale + shift)
            layers.append((weight, bias))
        return None if first is None else (first, layers)

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
