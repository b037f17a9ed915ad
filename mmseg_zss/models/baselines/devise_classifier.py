"""DeViSE on pixels: project features into the embedding space, compare.

Shape key: B images, F feature channels, Ch hidden channels, D embedding
dimension, h x w feature resolution, K classes scored at once.

DeViSE (Frome et al. 2013), as used for zero-shot segmentation by SPNet
(Xian et al. 2019) and the paper's comparison (§4.2): a learned map M takes
each pixel feature f to the word-embedding space, and the score of class c is
the similarity of M f with the class embedding e_c. Here the similarity is
the cosine, times a learned scale plus a learned bias, so that the score is a
logit that the paper's losses and its 0.5 threshold apply to:

    mu_c(p) = s * cos(M f_p, e_c) + b.

Classes interact with the image only through this dot product, so scoring K
classes costs one projection of the image and one (D x K) product.
"""
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmseg.registry import MODELS
from torch import Tensor

from ..classifiers import BaseConditionalClassifier


@MODELS.register_module()
class DeViSEClassifier(BaseConditionalClassifier):
    """Visual-semantic embedding classifier (DeViSE) for pixels.

    Args:
        in_channels (int): F (``ZeroShotHead`` fills it in).
        embed_dim (int): D (``ZeroShotHead`` fills it in).
        channels (int): Ch, width of the hidden 1x1 convs. Default: 256.
        num_convs (int): hidden 1x1 ConvModules before the linear projection
            to D; 0 is DeViSE's single linear map M. Default: 1.
        init_scale (float): initial s; the cosine is in [-1, 1], so s sets
            how confident the logits can be. Default: 10.
        outputs (Sequence[str]): ``('mu',)``, the only output.
        norm_cfg (dict, optional): norm of the hidden convs.
        act_cfg (dict, optional): activation of the hidden convs.
            Default: ``dict(type='ReLU')``.
        init_cfg (dict, optional): mmengine initialisation config.
    """

    supported_outputs = ('mu', )

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 channels: int = 256,
                 num_convs: int = 1,
                 init_scale: float = 10.0,
                 outputs: Sequence[str] = ('mu', ),
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(in_channels, embed_dim, outputs, init_cfg)
        act_cfg = dict(type='ReLU') if act_cfg is None else act_cfg
        widths = [in_channels] + [channels] * num_convs
        self.convs = nn.Sequential(*[
            ConvModule(cin, cout, 1, norm_cfg=norm_cfg, act_cfg=act_cfg)
            for cin, cout in zip(widths[:-1], widths[1:])
        ])
        self.project = nn.Conv2d(widths[-1], embed_dim, 1)  # M
        self.logit_scale = nn.Parameter(torch.tensor(float(init_scale)))
        self.logit_bias = nn.Parameter(torch.zeros(()))

    def project_features(self, feats: Tensor) -> Tensor:
        """(B, F, h, w) features -> (B, D, h, w) unit vectors M f / |M f|."""
        return F.normalize(self.project(self.convs(feats)), dim=1)

    def forward(self, feats: Tensor, embeddings: Tensor) -> Dict[str, Tensor]:
        """Score each image against its own class.

        Args:
            feats (Tensor): (B, F, h, w) features.
            embeddings (Tensor): (B, D) one class embedding per image.

        Returns:
            dict[str, Tensor]: ``mu`` (B, h, w).
        """
        emb = F.normalize(embeddings, dim=1)
        cos = torch.einsum('bdhw,bd->bhw', self.project_features(feats), emb)
        return dict(mu=self.logit_scale * cos + self.logit_bias)

    def forward_all(self,
                    feats: Tensor,
                    embeddings: Tensor,
                    outputs: Optional[Sequence[str]] = None,
                    chunk_size: Optional[int] = None) -> Dict[str, Tensor]:
        """Score every image against all K classes (one projection).

        Args:
            feats (Tensor): (B, F, h, w) features.
            embeddings (Tensor): (K, D) class embeddings.
            outputs, chunk_size: unused (one output; the (B, K, h, w) result
                is the only K-sized tensor).

        Returns:
            dict[str, Tensor]: ``mu`` (B, K, h, w).
        """
        emb = F.normalize(embeddings, dim=1)
        cos = torch.einsum('bdhw,kd->bkhw', self.project_features(feats), emb)
        return dict(mu=self.logit_scale * cos + self.logit_bias)
