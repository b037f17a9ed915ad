"""ZS3Net's generative baseline on the zero-shot head (its second stage).

Shape key: B images, F feature channels, D embedding dimension, h x w feature
resolution, H x W label resolution, P real positive features, G generated
features per class, U unseen classes drawn per iteration, N pairs.

ZS3Net (Bucher et al., NeurIPS 2019; "GMMN" in the paper's Tables 1-2)
trains in two stages:

1. the segmentation network on the seen classes - here the paper's Baseline
   with this very head (``configs/baselines/gmmn-stage1_*.py``);
2. with the visual network frozen, a generator G(e, z) learns, by moment
   matching (:class:`MMDLoss`), to produce the pixel features of a class from
   its word embedding, matching the real features of the seen classes; the
   classifier is then retrained on real seen features and *generated unseen*
   features, so that unseen classes are no longer absent from its training.

ZS3Net's classifier is a softmax over all classes. The paper's classifier is
conditioned on one class and binary (§3.1), so here the generated features
enter as (feature, class, label) pairs, laid out as one (1, N, 1) "image" so
that any pixel loss applies:

* (G(e_u, z), e_u) -> 1: generated features of a drawn unseen class u;
* (G(e_u, z), e_v) -> 0: the same features against another drawn class v
  (unseen, or a seen target class of the batch);
* (f_p, e_u) -> 0: real features of a seen target class against u (a pixel
  of the target class cannot be u; 0-labelled pixels are not used, since an
  unseen class may hide among them).

The real (image, seen class) samples keep the losses of stage 1
(``loss_decode``). Generator and classifier train in the same iterations; the
classifier sees generated features detached, so only the MMD trains G.
"""
import os.path as osp
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from ...datasets.class_names import get_classes
from ...datasets.synthetic.zs_shapes import shapes_split_path
from ...datasets.zero_shot_split import load_split
from ...errors import ConfigError
from ..decode_heads import ZeroShotHead

#: ZS3Net's generator loss
DEFAULT_LOSS_MMD = dict(type='MMDLoss', loss_name='loss_mmd')
#: plain BCE (Eq. 3) on the generated pairs
DEFAULT_LOSS_GENERATED = dict(
    type='CrossEntropyLoss', use_sigmoid=True, avg_non_ignore=True,
    loss_name='loss_generated')


@MODELS.register_module()
class GMMNHead(ZeroShotHead):
    """:class:`ZeroShotHead` + ZS3Net's feature generator (stage 2).

    At inference it is exactly its :class:`ZeroShotHead`: the generator only
    adds training data.

    Args:
        generator (dict): config of a feature generator (e.g.
            :class:`GMMNGenerator`); ``embed_dim`` and ``feature_dim`` are
            filled in here.
        unseen_split (str): split name or JSON path (absolute, relative to
            the working directory or to ``split_root``) whose unseen classes
            get generated features; the dataset's split.
        split_root (str, optional): folder of a data-root-relative split
            (the dataset's ``data_root``).
        loss_mmd (dict, optional): generator loss. Default:
            :data:`DEFAULT_LOSS_MMD`, ZS3Net's MMD.
        loss_generated (dict, optional): classifier loss on the generated
            pairs; any pixel loss. Default: :data:`DEFAULT_LOSS_GENERATED`,
            BCE (Eq. 3).
        num_real (int): real positive features per seen class and batch
            used by the MMD (drawn at random). Default: 128.
        num_generated (int): G, features generated per drawn unseen class.
            Default: 128.
        num_unseen (int): U, unseen classes drawn per iteration. Default: 8.
        freeze_feature_head (bool): keep the feature head fixed and in eval
            mode (ZS3Net's stage 2: the visual network is frozen).
            Default: True.
        classifier_norm_eval (bool): keep the classifier's batch norms in
            eval mode, so that the generated pairs do not shift the
            statistics learned on real features. Default: True.
        **kwargs: :class:`ZeroShotHead` arguments.
    """

    def __init__(self,
                 generator: dict,
                 unseen_split: str,
                 split_root: Optional[str] = None,
                 loss_mmd: Optional[dict] = None,
                 loss_generated: Optional[dict] = None,
                 num_real: int = 128,
                 num_generated: int = 128,
                 num_unseen: int = 8,
                 freeze_feature_head: bool = True,
                 classifier_norm_eval: bool = True,
                 **kwargs):
        super().__init__(**kwargs)
        for name, value in (('num_real', num_real), ('num_generated',
                            num_generated), ('num_unseen', num_unseen)):
            if value < 1:
                raise ConfigError(f'GMMNHead.{name} must be >= 1, got {value}')
        self.register_buffer(
            'unseen_labels', self._unseen_labels(unseen_split, split_root),
            persistent=False)
        self.generator = MODELS.build(
            self._filled(generator, embed_dim=self.embed_dim,
                         feature_dim=self.channels))
        self.loss_mmd = MODELS.build(loss_mmd or DEFAULT_LOSS_MMD)
        self.loss_generated = MODELS.build(loss_generated
                                           or DEFAULT_LOSS_GENERATED)
        self.num_real = num_real
        self.num_generated = num_generated
        self.num_unseen = num_unseen
        self.freeze_feature_head = freeze_feature_head
        self.classifier_norm_eval = classifier_norm_eval
        if freeze_feature_head:
            self.feature_head.requires_grad_(False)

    # ----------------------------------------------------------- building
    @staticmethod
    def _filled(cfg: dict, **values) -> dict:
        cfg = dict(cfg)
        for key, value in values.items():
            if cfg.get(key, value) != value:
                raise ConfigError(
                    f'decode_head.generator.{key}={cfg[key]} but the head '
                    f'gives it {value}: remove {key} from the generator '
                    'config (GMMNHead fills it in)')
            cfg[key] = value
        return cfg

    def _unseen_labels(self, split: str, split_root: Optional[str]) -> Tensor:
        """(U_all,) long label values of the split's unseen classes."""
        if split_root and not osp.isfile(split) and osp.isfile(
                osp.join(split_root, split)):
            split = osp.join(split_root, split)
        # a shipped name: ZSS-Shapes keeps its splits beside its generator,
        # the real datasets in mmseg_zss/datasets/splits (load_split's)
        zs_split = load_split(shapes_split_path(split))
        classes = get_classes(zs_split.dataset)
        if len(classes) != self.num_classes:
            raise ConfigError(
                f'GMMNHead.unseen_split {zs_split.name} is for the '
                f'{len(classes)} classes of {zs_split.dataset}, but the head '
                f'has num_classes={self.num_classes}: use the split of the '
                'dataset the model is trained on')
        if not zs_split.unseen_classes:
            raise ConfigError(f'split {zs_split.name} has no unseen class to '
                              'generate features for')
        return torch.tensor(zs_split.indices(zs_split.unseen_classes))

    def train(self, mode: bool = True):
        """Train mode, except the frozen parts (see the arguments)."""
        super().train(mode)
        if mode and self.freeze_feature_head:
            self.feature_head.eval()
        if mode and self.classifier_norm_eval:
            for module in self.classifier.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self

    # --------------------------------------------------------------- loss
    def extract_features(self, inputs: Sequence[Tensor]) -> Tensor:
        """Features; without autograd when the feature head is frozen."""
        with torch.set_grad_enabled(torch.is_grad_enabled()
                                    and not self.freeze_feature_head):
            return super().extract_features(inputs)

    def loss(self, inputs: Sequence[Tensor], batch_data_samples: SampleList,
             train_cfg: dict) -> Dict[str, Tensor]:
        """Stage-1 losses on the real samples + MMD + generated-pair loss."""
        classes = self._target_classes(batch_data_samples)
        feats = self.extract_features(inputs)
        losses = self.loss_by_feat(
            self.classifier(feats, self.class_embeddings[classes]),
            batch_data_samples)
        real, real_classes = self._real_positives(feats, batch_data_samples,
                                                  classes)
        losses[self.loss_mmd.loss_name] = self._mmd(real, real_classes)
        losses[self.loss_generated.loss_name] = self._generated_pairs_loss(
            real, real_classes)
        return losses

    def _real_positives(self, feats: Tensor, batch_data_samples: SampleList,
                        classes: Tensor) -> Tuple[Tensor, Tensor]:
        """Features of target-class pixels, at most ``num_real`` per class.

        Args:
            feats (Tensor): (B, F, h, w) features.
            batch_data_samples (list[SegDataSample]): binary masks (1, H, W).
            classes (Tensor): (B,) target class of each image.

        Returns:
            tuple[Tensor, Tensor]: features (P, F), detached (the MMD's
            target), and their classes (P,).
        """
        labels = self._stack_batch_gt(batch_data_samples).float()
        # the mask at feature resolution: a feature is a positive when the
        # label pixel nearest to its centre is
        small = F.interpolate(labels, size=feats.shape[2:], mode='nearest')
        b, y, x = torch.nonzero(small[:, 0] == 1, as_tuple=True)
        pos_feats, pos_classes = feats[b, :, y, x].detach(), classes[b]
        keep = []
        for c in pos_classes.unique():
            idx = torch.nonzero(pos_classes == c)[:, 0]
            perm = torch.randperm(len(idx), device=idx.device)
            keep.append(idx[perm[:self.num_real]])
        keep = torch.cat(keep) if keep else pos_classes.new_zeros(0)
        return pos_feats[keep], pos_classes[keep]

    def _mmd(self, real: Tensor, real_classes: Tensor) -> Tensor:
        """Mean over the batch's seen target classes of MMD(G(e_c), real_c)."""
        emb = self.class_embeddings
        losses = [
            self.loss_mmd(
                self.generator(emb[c].expand(int((real_classes == c).sum()),
                                             -1)),
                real[real_classes == c]) for c in real_classes.unique()
        ]
        if not losses:  # no positive feature: keep G in the graph (DDP)
            return 0 * self.generator(emb[:1]).sum()
        return torch.stack(losses).mean()

    def _generated_pairs_loss(self, real: Tensor,
                              real_classes: Tensor) -> Tensor:
        """Classifier loss on generated unseen positives and their negatives
        (see the module docstring)."""
        emb = self.class_embeddings
        perm = torch.randperm(len(self.unseen_labels),
                              device=self.unseen_labels.device)
        unseen = self.unseen_labels[perm[:self.num_unseen]]  # (U,)
        drawn = torch.cat([unseen, real_classes.unique()])
        slot = torch.arange(len(unseen), device=unseen.device)
        slot = slot.repeat_interleave(self.num_generated)  # (U * G,)
        fake = self.generator(emb[unseen[slot]]).detach()
        pairs = [(fake, unseen[slot], torch.ones_like(slot))]
        if len(drawn) > 1:  # another drawn class for every generated feature
            shift = torch.randint_like(slot, 1, len(drawn))
            pairs.append((fake, drawn[(slot + shift) % len(drawn)],
                          torch.zeros_like(slot)))
        if len(real):
            pick = torch.randperm(len(real), device=real.device)[:len(fake)]
            wrong = unseen[torch.randint_like(pick, 0, len(unseen))]
            pairs.append((real[pick], wrong, torch.zeros_like(pick)))
        feats, labels, target = (torch.cat(t) for t in zip(*pairs))
        mu = self.classifier(feats[:, :, None, None], emb[labels])['mu']
        # N pairs as the pixels of one (1, N, 1) map, like loss_decode's
        return self.loss_generated(
            mu.view(1, -1, 1), target.view(1, -1, 1),
            ignore_index=self.ignore_index)
