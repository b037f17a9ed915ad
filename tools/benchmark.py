"""Speed and memory of the zero-shot model, measured in one run.

1. All-class inference: the one-pass path (W_f f computed once per image,
   classes in chunks) against running the model once per class, for
   C = 59, 150, 459 classes; (a) the classifier alone on a 512-channel
   feature map, (b) the whole decode head (feature head + classifier).
2. Training step (forward, backward, SGD update) of U-Loss (Bayesian dice +
   stochastic BCE) against the plain baseline (L1 dice + BCE) on the same
   model: time and peak memory.

Times are the best of ``--repeats`` runs, the variants interleaved (the
median is printed too): on a shared machine the minimum is the least noisy
estimate of the undisturbed time. On CPU the clock is the process's CPU time
and PyTorch uses one thread by default (``--threads``): on a machine shared
with other jobs, wall time and multi-threaded runs (threads waiting for a
descheduled peer) were measured to swing several-fold from run to run, one
thread's CPU time by a few percent. On CUDA the clock is wall time after
``torch.cuda.synchronize()``.

Peak memory is the largest total size of the tensors allocated during a step
and still alive at one moment (activations, saved tensors, gradients,
temporaries; parameters and inputs that existed before the step are not
counted). On CUDA it is ``torch.cuda.max_memory_allocated()`` minus what was
allocated before the step. On CPU PyTorch keeps no such counter, so every
operator's outputs are recorded through a ``TorchDispatchMode`` and freed
through weak references to their storages: the same quantity, without
allocator caching; scratch buffers inside a kernel are not seen.

Example::

    python tools/benchmark.py                      # the default, short run
    python tools/benchmark.py --head-loop-classes 0 --repeats 5   # full loops
"""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import argparse
import copy
import os.path as osp
import statistics
import tempfile
import time
import weakref

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
MODEL_CONFIGS = {
    'deeplabv3plus': 'configs/_base_/models/zss_deeplabv3plus_r50-d8.py',
    'pspnet': 'configs/_base_/models/zss_pspnet_r50-d8.py',
}
#: Table 3 rows compared (docs/PAPER_NOTES.md item 1)
LOSSES = {
    'baseline': [
        dict(type='DiceL1Loss', loss_weight=1.0, loss_name='loss_img'),
        dict(type='CrossEntropyLoss', use_sigmoid=True, avg_non_ignore=True,
             loss_weight=0.05, loss_name='loss_pixel')],
    'U-Loss': [
        dict(type='BayesianDiceLoss', loss_weight=1.0, loss_name='loss_img'),
        dict(type='StochasticBCELoss', num_samples=8, loss_weight=0.05,
             loss_name='loss_pixel')],
}
NORM = dict(type='BN', requires_grad=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--device', default=None,
                        help='cpu or cuda (default: cuda when available)')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=1,
                        help='CPU threads for PyTorch (0: its default)')
    parser.add_argument('--parts', nargs='+',
                        default=['classifier', 'head', 'train'],
                        choices=['classifier', 'head', 'train'])
    parser.add_argument('--arch', default='deeplabv3plus',
                        choices=sorted(MODEL_CONFIGS))
    parser.add_argument('--classes', type=int, nargs='+',
                        default=[59, 150, 459])
    parser.add_argument('--feat-size', type=int, default=64,
                        help='side of the classifier input map')
    parser.add_argument('--feat-channels', type=int, default=512)
    parser.add_argument('--embed-dim', type=int, default=300)
    parser.add_argument('--head-loop-classes', type=int, default=8,
                        help='classes the whole-head loop is timed on, '
                        'scaled to C (the loop does the same work for every '
                        'class); 0 = all C')
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--crop', type=int, default=128)
    parser.add_argument('--depth', type=int, default=50)
    return parser.parse_args()


# ------------------------------------------------------------------ tools
def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def timed(fn, device):
    """Seconds of one call of ``fn``: CPU time of the process on CPU, wall
    time on CUDA (see the module docstring)."""
    clock = time.process_time if device.type == 'cpu' else time.perf_counter
    sync(device)
    start = clock()
    fn()
    sync(device)
    return clock() - start


def interleaved_times(fns, device, repeats, warm_up=True):
    """{name: [seconds] * repeats}, names interleaved; a first untimed call
    each (allocator, oneDNN primitives) when ``warm_up``."""
    for fn in fns.values() if warm_up else ():
        fn()
    times = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            times[name].append(timed(fn, device))
    return times


class LiveTensorBytes(TorchDispatchMode):
    """Peak total size of the tensors created under this mode (CPU)."""

    def __init__(self):
        super().__init__()
        self.sizes, self.live, self.peak = {}, 0, 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for value in tree_flatten(out)[0]:
            if isinstance(value, torch.Tensor):
                self._record(value.untyped_storage())
        return out

    def _record(self, storage):
        key = storage._cdata  # the StorageImpl, shared by views
        if key not in self.sizes:
            self.sizes[key] = storage.nbytes()
            self.live += self.sizes[key]
            self.peak = max(self.peak, self.live)
            weakref.finalize(storage, self._free, key)

    def _free(self, key):
        self.live -= self.sizes.pop(key)


def peak_bytes(fn, device):
    """Peak memory allocated while ``fn`` runs (see module docstring)."""
    if device.type == 'cuda':
        sync(device)
        torch.cuda.reset_peak_memory_stats(device)
        base = torch.cuda.memory_allocated(device)
        fn()
        sync(device)
        return torch.cuda.max_memory_allocated(device) - base
    with LiveTensorBytes() as tracker:
        fn()
    return tracker.peak


def unit_embeddings(num, dim, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return F.normalize(torch.randn(num, dim, generator=gen), dim=1)


def write_embeddings(path, num, dim):
    np.save(path, unit_embeddings(num, dim).numpy())
    return path


# -------------------------------------------------------------- inference
def bench_classifier(args, device):
    """The default ConcatClassifier alone: one pass vs once per class."""
    torch.manual_seed(0)
    clf = MODELS.build(dict(
        type='ConcatClassifier', in_channels=args.feat_channels,
        embed_dim=args.embed_dim, norm_cfg=NORM)).to(device).eval()
    feats = torch.randn(1, args.feat_channels, args.feat_size, args.feat_size,
                        device=device)
    rows = []
    for num in args.classes:
        emb = unit_embeddings(num, args.embed_dim).to(device)
        times = interleaved_times({
            'one-pass': lambda e=emb: clf.forward_all(feats, e, ('mu', )),
            'loop': lambda e=emb: clf.forward_per_class(feats, e, ('mu', )),
        }, device, args.repeats, warm_up=not rows)
        rows.append((num, times['one-pass'], times['loop'], 1))
    print_inference(
        f'classifier alone (ConcatClassifier defaults, {args.feat_channels}'
        f'x{args.feat_size}x{args.feat_size} features, D={args.embed_dim})',
        rows)


def build_head(args, device, emb_path, num_classes):
    cfg = Config.fromfile(osp.join(REPO, MODEL_CONFIGS[args.arch]))
    head = copy.deepcopy(cfg.model.decode_head)
    head.feature_head.norm_cfg = NORM
    head.classifier.norm_cfg = NORM
    head.update(num_classes=num_classes, embed_dim=args.embed_dim,
                class_embeddings=emb_path, loss_decode=LOSSES['baseline'])
    torch.manual_seed(0)
    return MODELS.build(head).to(device).eval()


def backbone_features(args, device):
    """ResNet-50-D8 outputs for an image whose classifier map is feat-size
    (DeepLabV3+ decodes at stride 4, PSPNet at stride 8)."""
    side = args.feat_size if args.arch == 'deeplabv3plus' else 2 * args.feat_size
    shapes = [(256, side), (512, side // 2), (1024, side // 2),
              (2048, side // 2)]
    gen = torch.Generator().manual_seed(0)
    return [torch.randn(1, c, s, s, generator=gen).to(device)
            for c, s in shapes]


def bench_head(args, device):
    """Feature head + classifier: one pass vs the whole head per class."""
    init_default_scope('mmseg')
    with tempfile.TemporaryDirectory() as tmp:
        top = max(args.classes)
        path = write_embeddings(osp.join(tmp, 'classes.npy'), top,
                                args.embed_dim)
        head = build_head(args, device, path, top)
    inputs = backbone_features(args, device)
    rows = []
    for num in args.classes:
        emb = head.class_embeddings[:num]
        looped = emb[:args.head_loop_classes or num]
        times = interleaved_times({
            'one-pass': lambda e=emb: head.forward_all(inputs, e, ('mu', )),
            'loop': lambda e=looped: [head.forward_targets(inputs, row[None])
                                      for row in e],
        }, device, args.repeats, warm_up=not rows)
        rows.append((num, times['one-pass'], times['loop'],
                     num / len(looped)))
    with torch.no_grad():
        side = head.extract_features(inputs).shape[-1]
    note = (f'; loop timed on {args.head_loop_classes} classes, x C/'
            f'{args.head_loop_classes}' if args.head_loop_classes else '')
    print_inference(
        f'whole decode head ({type(head.feature_head).__name__} + '
        f'ConcatClassifier, {side}x{side} output, D={args.embed_dim}{note})',
        rows)


def print_inference(title, rows):
    print(f'\n== all-class inference: {title}')
    print(f'{"C":>5} {"one-pass s":>12} {"per-class loop s":>17} '
          f'{"speed-up":>9}   (best of runs; median speed-up)')
    for num, fast, loop, scale in rows:
        best = min(loop) * scale / min(fast)
        median = statistics.median(loop) * scale / statistics.median(fast)
        print(f'{num:>5} {min(fast):>12.3f} {min(loop) * scale:>17.3f} '
              f'{best:>8.1f}x   ({median:.1f}x)')


# --------------------------------------------------------------- training
def build_trainee(args, device, losses):
    cfg = Config.fromfile(osp.join(REPO, MODEL_CONFIGS[args.arch]))
    model = copy.deepcopy(cfg.model)
    model.pretrained = None  # no download; frozen either way
    model.backbone.depth = args.depth
    model.decode_head.loss_decode = losses
    model.data_preprocessor.size = (args.crop, args.crop)
    torch.manual_seed(0)
    # default PyTorch init: the values do not change the cost of a step
    net = revert_sync_batchnorm(MODELS.build(model)).to(device)
    optim = build_optim_wrapper(net, dict(
        type='OptimWrapper', optimizer=dict(
            type='SGD', lr=5e-4, momentum=0.9, weight_decay=5e-4)))
    return net.train(), optim


def train_batch(args, num_classes):
    """Images (uint8, as from the pipeline) and binary-mask samples."""
    gen = torch.Generator().manual_seed(0)
    size = (args.crop, args.crop)
    inputs, samples = [], []
    for i in range(args.batch):
        inputs.append(torch.randint(0, 256, (3, *size), generator=gen,
                                    dtype=torch.uint8))
        mask = torch.randint(0, 2, (1, *size), generator=gen)
        mask[:, :8] = 255
        sample = SegDataSample(gt_sem_seg=PixelData(data=mask))
        sample.set_metainfo(dict(target_class=i % num_classes,
                                 img_shape=size, ori_shape=size,
                                 pad_shape=size))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def bench_train(args, device):
    init_default_scope('mmseg')
    steps, memory = {}, {}
    for name, losses in LOSSES.items():
        net, optim = build_trainee(args, device, copy.deepcopy(losses))
        data = train_batch(args, net.decode_head.num_classes)
        steps[name] = lambda net=net, optim=optim, data=data: \
            net.train_step(data, optim)
        steps[name]()  # warm-up: momentum buffers, allocator
        memory[name] = peak_bytes(steps[name], device)
    times = interleaved_times(steps, device, args.repeats)
    print(f'\n== training step: {args.arch} ResNet-{args.depth}-D8 (frozen), '
          f'batch {args.batch}, {args.crop}x{args.crop}, SGD')
    print(f'{"variant":>9} {"step s (best)":>14} {"(median)":>9} '
          f'{"peak MiB":>9}')
    for name in LOSSES:
        print(f'{name:>9} {min(times[name]):>14.3f} '
              f'{statistics.median(times[name]):>9.3f} '
              f'{memory[name] / 2**20:>9.1f}')
    print(f'{"ratio":>9} {min(times["U-Loss"]) / min(times["baseline"]):>13.3f}x'
          f' {statistics.median(times["U-Loss"]) / statistics.median(times["baseline"]):>8.3f}x'  # noqa: E501
          f' {memory["U-Loss"] / memory["baseline"]:>8.3f}x   (U-Loss / baseline)')


def main():
    args = parse_args()
    device = torch.device(args.device or (
        'cuda' if torch.cuda.is_available() else 'cpu'))
    if args.threads:
        torch.set_num_threads(args.threads)
    clock = 'CPU time' if device.type == 'cpu' else 'wall time'
    print(f'device: {device}, {torch.get_num_threads()} CPU thread(s), '
          f'torch {torch.__version__}, clock: {clock}, '
          f'repeats: {args.repeats}')
    init_default_scope('mmseg')
    with torch.no_grad():
        if 'classifier' in args.parts:
            bench_classifier(args, device)
        if 'head' in args.parts:
            bench_head(args, device)
    if 'train' in args.parts:
        bench_train(args, device)


if __name__ == '__main__':
    main()
