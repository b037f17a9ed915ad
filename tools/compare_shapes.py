"""Compare zero-shot methods on ZSS-Shapes: clean vs noisy labels, several seeds.

    python tools/compare_shapes.py                     # the full matrix
    python tools/compare_shapes.py --seeds 0 --methods baseline uloss
    python tools/compare_shapes.py --mc-samples 1 4 8 16   # + U-Loss N sweep

Each run is ``tools/train.py <config> --cfg-options randomness.seed=<s>`` in
its own work dir (``<work-dir>/<method>/<labels>/seed<s>``), one after the
other. A finished run leaves ``result.json`` there and is skipped next time,
so an interrupted comparison resumes where it stopped. At the end the tool
rewrites the generated part of ``docs/benchmark.md`` (between the
``compare_shapes`` markers; the rest of the file is left alone) and draws
``docs/benchmark_shapes.png``.

Adding a method is one entry of :data:`METHODS`: a key, a label and its
config for clean and noisy labels. Two kinds of method are not one training
run: a second stage (GMMN, ``stage_of='baseline'``) trains from the last
checkpoint of another method's run with the same labels and seed, which the
tool trains first when it is missing; a predictor without weights (Blank,
Random, ``test_only=True``) is ``tools/test.py <config>`` (no checkpoint)
with its seed given as ``seed_option``.
"""
import argparse
import glob
import importlib.util
import json
import os
import os.path as osp
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402

from mmseg_zss.utils.io import atomic_open  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG_DIR = 'configs/zss_shapes'
LABELS = ('clean', 'noisy')
BEGIN, END = '<!-- compare_shapes:begin -->', '<!-- compare_shapes:end -->'
PROTOCOLS = (('', 'paper protocol (one binary mask per class present)'),
             ('gzsl.', 'generalized (argmax over the 30 classes)'))


@dataclass(frozen=True)
class Method:
    """One row of the comparison: a label and a config per label quality."""

    key: str
    label: str
    clean: str
    noisy: str
    options: tuple = ()  # extra --cfg-options
    #: key of the method whose run (same labels and seed) this one starts
    #: from (``load_from`` = that run's last checkpoint)
    stage_of: Optional[str] = None
    #: no training: ``tools/test.py <config>``, the model has no weights
    test_only: bool = False
    #: the --cfg-options key that takes the seed; None: the method draws
    #: nothing, one run (the first seed) stands for every seed
    seed_option: Optional[str] = 'randomness.seed'

    def config(self, labels: str) -> str:
        return self.clean if labels == 'clean' else self.noisy


def _table3(key: str, tag: str, label: str) -> Method:
    stem = f'{CONFIG_DIR}/deeplabv3plus_r18s_{tag}_1xb16-1k_shapes'
    return Method(key, label, f'{stem}-64x64.py', f'{stem}-noisy-64x64.py')


#: the methods compared, in table order (Table 3 rows, PAPER_NOTES item 1)
METHODS = (
    _table3('bce_only', 'bce-only', 'BCE only (no image branch)'),
    _table3('baseline', 'baseline', 'Baseline (BCE + L1 dice)'),
    _table3('stochastic_bce', 'sbce', 'stochastic BCE + L1 dice'),
    _table3('bayesian_dice', 'bdice', 'BCE + Bayesian dice'),
    _table3('uloss', 'uloss', 'U-Loss (stochastic BCE + Bayesian dice)'),
    # the paper's comparison methods (§4.2) on the same model and losses as
    # the Baseline, configs/zss_shapes/baselines (docs/reproduce.md)
    Method('devise', 'DeViSE',
           f'{CONFIG_DIR}/baselines/deeplabv3plus_r18s_devise_1xb16-1k_'
           'shapes-64x64.py',
           f'{CONFIG_DIR}/baselines/deeplabv3plus_r18s_devise_1xb16-1k_'
           'shapes-noisy-64x64.py'),
    Method('cbn', 'Conditional batch norm',
           f'{CONFIG_DIR}/baselines/deeplabv3plus_r18s_cbn_1xb16-1k_'
           'shapes-64x64.py',
           f'{CONFIG_DIR}/baselines/deeplabv3plus_r18s_cbn_1xb16-1k_'
           'shapes-noisy-64x64.py'),
    # ZS3Net's two stages: stage 1 is the Baseline (the identical config
    # gmmn-stage1_*), stage 2 trains the generator and the classifier
    Method('gmmn', 'GMMN (stage 2 from the Baseline run)',
           f'{CONFIG_DIR}/baselines/deeplabv3plus_r18s_gmmn-stage2_1xb16-300_'
           'shapes-64x64.py',
           f'{CONFIG_DIR}/baselines/deeplabv3plus_r18s_gmmn-stage2_1xb16-300_'
           'shapes-noisy-64x64.py', stage_of='baseline'),
    Method('blank', 'Blank (every pixel foreground)',
           f'{CONFIG_DIR}/baselines/blank_shapes-64x64.py',
           f'{CONFIG_DIR}/baselines/blank_shapes-noisy-64x64.py',
           test_only=True, seed_option=None),
    Method('random', 'Random (foreground with p = 0.15)',
           f'{CONFIG_DIR}/baselines/random_shapes-64x64.py',
           f'{CONFIG_DIR}/baselines/random_shapes-noisy-64x64.py',
           test_only=True, seed_option='model.seed'),
)
MC_METHOD = 'uloss'  # the method whose Monte-Carlo sample count is swept


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Train and compare methods on ZSS-Shapes (clean and '
        'noisy labels, several seeds); writes docs/benchmark.md + plot.')
    keys = [m.key for m in METHODS]
    parser.add_argument('--methods', nargs='+', choices=keys, default=keys)
    parser.add_argument('--labels', nargs='+', choices=LABELS,
                        default=list(LABELS))
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument(
        '--mc-samples', nargs='*', type=int, default=[],
        help='also train U-Loss on noisy labels, first seed, with these '
        'numbers N of Monte-Carlo samples of the stochastic BCE')
    parser.add_argument('--work-dir', default='work_dirs/compare_shapes')
    parser.add_argument('--doc', default='docs/benchmark.md')
    parser.add_argument('--plot', default='docs/benchmark_shapes.png')
    parser.add_argument('--dry-run', action='store_true',
                        help='list the runs and what is done; train nothing')
    parser.add_argument('--report-only', action='store_true',
                        help='write the table and plot from finished runs')
    return parser.parse_args(argv)


# -- runs ---------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    method: Method
    labels: str
    seed: int
    mc_samples: Optional[int] = None

    @property
    def name(self) -> str:
        mc = f'_mc{self.mc_samples}' if self.mc_samples else ''
        return f'{self.method.key}{mc}/{self.labels}/seed{self.seed}'

    def options(self) -> List[str]:
        opts = list(self.method.options)
        if self.method.seed_option:
            opts.insert(0, f'{self.method.seed_option}={self.seed}')
        if self.mc_samples:
            opts.append(f'model.decode_head.loss_decode.{mc_loss_index()}'
                        f'.num_samples={self.mc_samples}')
        return opts


@lru_cache(maxsize=None)
def _mc_losses() -> list:
    """``loss_decode`` of the config whose Monte-Carlo samples are swept."""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(REPO, method(MC_METHOD).noisy))
    return list(cfg.model.decode_head.loss_decode)


def mc_loss_index() -> int:
    """Position of the StochasticBCELoss in the U-Loss config's loss list."""
    return [loss['type'] for loss in _mc_losses()].index('StochasticBCELoss')


def method(key: str) -> Method:
    return next(m for m in METHODS if m.key == key)


def plan(args) -> List[Run]:
    """The runs to report, each after the run it starts from (if any)."""
    chosen = [m for m in METHODS if m.key in args.methods]
    runs: List[Run] = []
    for m in chosen:
        seeds = args.seeds if m.seed_option else args.seeds[:1]
        for labels in args.labels:
            for seed in seeds:
                first = Run(method(m.stage_of), labels, seed) \
                    if m.stage_of else None
                if first is not None and first not in runs:
                    runs.append(first)
                run = Run(m, labels, seed)
                if run not in runs:
                    runs.append(run)
    uloss = method(MC_METHOD)
    for n in args.mc_samples:
        if n != default_mc_samples():
            runs.append(Run(uloss, 'noisy', args.seeds[0], n))
    return runs


def default_mc_samples() -> int:
    return int(_mc_losses()[mc_loss_index()]['num_samples'])


def result_path(work_dir: str, run: Run) -> str:
    return osp.join(work_dir, run.name, 'result.json')


def final_metrics(run_dir: str) -> dict:
    """The last validation metrics mmengine logged in ``run_dir`` (the test
    metrics ``<timestamp>/<timestamp>.json`` of a test-only run)."""
    metrics = None
    for path in sorted(glob.glob(osp.join(run_dir, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path, encoding='utf-8') as f:
            for line in f:
                entry = json.loads(line)
                if 'mIoU_unseen' in entry:
                    metrics = entry
    for path in sorted(glob.glob(osp.join(run_dir, '*', '*.json'))):
        with open(path, encoding='utf-8') as f:
            entry = json.load(f)
        if isinstance(entry, dict) and 'mIoU_unseen' in entry:
            metrics = entry
    if metrics is None:
        raise RuntimeError(f'no validation metrics in {run_dir}')
    return metrics


def last_checkpoint(run_dir: str) -> str:
    """The checkpoint mmengine recorded last in ``run_dir``."""
    path = osp.join(run_dir, 'last_checkpoint')
    if not osp.isfile(path):
        raise RuntimeError(f'no checkpoint in {run_dir} (its run did not '
                           'finish)')
    with open(path, encoding='utf-8') as f:
        return f.read().strip()


def command(run: Run, work_dir: str, run_dir: str) -> List[str]:
    """The ``tools/train.py`` (or ``tools/test.py``) command of ``run``."""
    config = run.method.config(run.labels)
    options = run.options()
    if run.method.test_only:
        cmd = [sys.executable, osp.join(REPO, 'tools', 'test.py'), config]
    else:
        cmd = [sys.executable, osp.join(REPO, 'tools', 'train.py'), config]
    if run.method.stage_of:
        first = Run(method(run.method.stage_of), run.labels, run.seed)
        options.append('load_from=' + last_checkpoint(
            osp.join(work_dir, first.name)))
    cmd += ['--work-dir', run_dir]
    return cmd + (['--cfg-options', *options] if options else [])


def train(run: Run, work_dir: str) -> dict:
    """Train (or test) one run in its own work dir, log in ``train.log``;
    its result."""
    run_dir = osp.join(work_dir, run.name)
    cmd = command(run, work_dir, run_dir)
    if osp.isdir(run_dir):  # an interrupted attempt: start it again
        shutil.rmtree(run_dir)
    os.makedirs(run_dir)
    config = run.method.config(run.labels)
    load_before, start = os.getloadavg()[0], time.time()
    with open(osp.join(run_dir, 'train.log'), 'w', encoding='utf-8') as log:
        code = subprocess.call(cmd, cwd=REPO, stdout=log,
                               stderr=subprocess.STDOUT)
    seconds = time.time() - start
    if code != 0:
        raise RuntimeError(f'{run.name} failed (exit {code}); see '
                           f'{osp.join(run_dir, "train.log")}')
    result = dict(
        method=run.method.key, labels=run.labels, seed=run.seed,
        mc_samples=run.mc_samples, config=config, command=' '.join(cmd[1:]),
        seconds=round(seconds, 1),
        load_avg_1min=[round(load_before, 2), round(os.getloadavg()[0], 2)],
        metrics=final_metrics(run_dir))
    _write_json(result_path(work_dir, run), result)
    return result


def _write_json(path: str, data: dict) -> None:
    with atomic_open(path, 'w') as f:
        json.dump(data, f, indent=2)


def load_results(work_dir: str, runs: List[Run]) -> Dict[Run, dict]:
    out = {}
    for run in runs:
        path = result_path(work_dir, run)
        if osp.isfile(path):
            with open(path, encoding='utf-8') as f:
                out[run] = json.load(f)
    return out


# -- report -------------------------------------------------------------------
def mean_std(values: List[float]) -> str:
    if not values:
        return '-'
    if len(values) == 1:
        return f'{values[0]:.1f}'
    return f'{np.mean(values):.1f} ± {np.std(values, ddof=1):.1f}'


def summary(results: Dict[Run, dict], key: str) -> Dict[tuple, List[float]]:
    """{(method key, labels): [metric over seeds]} of the main runs."""
    out: Dict[tuple, List[float]] = {}
    for run, res in sorted(results.items(), key=lambda kv: kv[0].seed):
        if run.mc_samples is None:
            out.setdefault((run.method.key, run.labels), []).append(
                float(res['metrics'][key]))
    return out


def markdown(results: Dict[Run, dict], args, command: str) -> str:
    methods = [m for m in METHODS if m.key in args.methods]
    seeds = sorted({r.seed for r in results if r.mc_samples is None})
    seconds = sum(res['seconds'] for res in results.values())
    loads = [x for res in results.values() for x in res['load_avg_1min']]
    lines = [
        f'Produced by `{command}` ({len(results)} runs, seeds '
        f'{", ".join(map(str, seeds))}; training + validation time '
        f'{seconds / 3600:.2f} h in total, {seconds / max(len(results), 1) / 60:.1f}'
        f' min per run, on {platform.machine()} with {os.cpu_count()} CPU '
        f'cores; 1-minute load average at run starts/ends '
        f'{min(loads, default=0):.1f}-{max(loads, default=0):.1f}).',
        'mIoU in %, mean ± standard deviation over the seeds (the training '
        'seed changes; the dataset is fixed, seed 0). Validation labels are '
        'clean in both columns.', '']
    if any(m.stage_of for m in methods):
        lines += ['GMMN: the time of a run is its stage 2 (300 iterations) '
                  'only; its stage 1 is the Baseline run of the same labels '
                  'and seed. Blank and Random are not trained (test only); '
                  'Blank draws nothing: one run stands for every seed.', '']
    for prefix, title in PROTOCOLS:
        lines += [f'**{title.capitalize()}**', '',
                  '| method | labels | seen | unseen | h |',
                  '| --- | --- | --- | --- | --- |']
        for m in methods:
            for labels in args.labels:
                row = [mean_std(summary(results, prefix + k).get(
                    (m.key, labels), [])) for k in
                    ('mIoU_seen', 'mIoU_unseen', 'hIoU')]
                lines.append(f'| {m.label} | {labels} | ' + ' | '.join(row) +
                             ' |')
        lines.append('')
    blank = next(iter(summary(results, 'blank.mIoU_unseen').values()), [])
    blank_seen = next(iter(summary(results, 'blank.mIoU_seen').values()), [])
    if blank and 'blank' not in args.methods:
        lines += [
            f'Blank (every pixel foreground, paper protocol, same validation '
            f'pairs): seen {blank_seen[0]:.1f}, unseen {blank[0]:.1f}.', '']
    mc = {r.mc_samples: res for r, res in results.items() if r.mc_samples}
    if mc:
        base = next((res for r, res in results.items()
                     if r.mc_samples is None and r.method.key == MC_METHOD
                     and r.labels == 'noisy' and r.seed == min(seeds)), None)
        if base is not None:
            mc[default_mc_samples()] = base
        lines += [f'**Monte-Carlo samples N of the stochastic BCE** (U-Loss, '
                  f'noisy labels, seed {min(seeds)}, paper protocol)', '',
                  '| N | seen | unseen | h | minutes |',
                  '| --- | --- | --- | --- | --- |']
        for n in sorted(mc):
            met = mc[n]['metrics']
            lines.append(f'| {n} | {met["mIoU_seen"]:.1f} | '
                         f'{met["mIoU_unseen"]:.1f} | {met["hIoU"]:.1f} | '
                         f'{mc[n]["seconds"] / 60:.1f} |')
        lines.append('')
    lines.append(f'![ZSS-Shapes comparison]({osp.basename(args.plot)})')
    return '\n'.join(lines)


def write_doc(path: str, body: str) -> None:
    """Replace the generated block of ``path`` (append it if absent)."""
    text = open(path, encoding='utf-8').read() if osp.isfile(path) else ''
    block = f'{BEGIN}\n{body}\n{END}'
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text + ('\n' if text else '') + block + '\n'
    with atomic_open(path, 'w') as f:
        f.write(text)


def plot(results: Dict[Run, dict], args) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    methods = [m for m in METHODS if m.key in args.methods]
    fig, axes = plt.subplots(1, len(args.labels), figsize=(
        max(5.5, 0.7 * len(methods)) * len(args.labels), 4.3), sharey=True,
        squeeze=False)
    keys = (('mIoU_seen', 'seen'), ('mIoU_unseen', 'unseen'), ('hIoU', 'h'))
    x = np.arange(len(methods))
    for ax, labels in zip(axes[0], args.labels):
        for j, (key, name) in enumerate(keys):
            values = [summary(results, key).get((m.key, labels), [])
                      for m in methods]
            ax.bar(x + (j - 1) * 0.27, [np.mean(v) if v else 0
                                         for v in values], 0.27,
                   yerr=[np.std(v, ddof=1) if len(v) > 1 else 0
                         for v in values], capsize=2, label=name)
        blank = summary(results, 'blank.mIoU_unseen').get(
            (methods[0].key, labels), [])
        if blank:
            ax.axhline(blank[0], color='k', ls='--', lw=1,
                       label='Blank (unseen)')
        ax.set_xticks(x, [m.key.replace('_', ' ') for m in methods],
                      fontsize=8, rotation=30, ha='right')
        ax.set_title(f'ZSS-Shapes, {labels} training labels')
        ax.grid(axis='y', alpha=0.3)
    axes[0][0].set_ylabel('mIoU % (paper protocol), mean ± std over seeds')
    axes[0][-1].legend(fontsize=8)
    fig.tight_layout()
    with atomic_open(args.plot, 'wb') as f:
        fig.savefig(f, format='png', dpi=110)
    plt.close(fig)


def expected_seconds(runs: List[Run], done: Dict[Run, dict]) -> float:
    """Time the ``runs`` should take: per run, the mean of the finished runs
    of its method (a test-only run takes seconds, a training run minutes),
    else of all finished runs; 0 when nothing has finished."""
    if not done:
        return 0.0
    overall = np.mean([d['seconds'] for d in done.values()])
    total = 0.0
    for run in runs:
        same = [d['seconds'] for r, d in done.items()
                if r.method.key == run.method.key]
        total += np.mean(same) if same else overall
    return float(total)


def main(argv=None):
    args = parse_args(argv)
    os.chdir(REPO)
    runs = plan(args)
    done = load_results(args.work_dir, runs)
    todo = [r for r in runs if r not in done]
    print(f'{len(runs)} runs: {len(done)} finished, {len(todo)} to train')
    if args.dry_run:
        for run in runs:
            print(('done  ' if run in done else 'todo  ') + run.name)
        return
    if not args.report_only:
        for i, run in enumerate(todo, 1):
            left = expected_seconds(todo[i - 1:], done)
            eta = f' (about {left / 60:.0f} min left)' if left else ''
            print(f'[{i}/{len(todo)}] {run.name}{eta}', flush=True)
            try:
                done[run] = train(run, args.work_dir)
            except RuntimeError as e:  # report it, keep comparing the rest
                print(f'    FAILED: {e}', flush=True)
                continue
            met = done[run]['metrics']
            print(f'    seen {met["mIoU_seen"]} unseen {met["mIoU_unseen"]} '
                  f'h {met["hIoU"]} (Blank unseen '
                  f'{met["blank.mIoU_unseen"]}), {done[run]["seconds"]:.0f} s',
                  flush=True)
    if not done:
        print('nothing finished yet: no report written')
        return
    given = sys.argv[1:] if argv is None else list(argv)
    command = 'python tools/compare_shapes.py ' + ' '.join(
        a for a in given if a != '--report-only')
    write_doc(args.doc, markdown(done, args, command.strip()))
    plot(done, args)
    print(f'wrote {args.doc} and {args.plot}')


if __name__ == '__main__':
    main()
