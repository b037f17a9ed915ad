"""tools/compare_shapes.py without training: plan, resume, report, doc block."""
import json
import os
import os.path as osp

import pytest
from fixture_tools import load_tool

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='module')
def tool():
    return load_tool('compare_shapes')


def test_every_method_config_exists(tool):
    for method in tool.METHODS:
        for labels in tool.LABELS:
            assert osp.isfile(osp.join(REPO, method.config(labels))), method


def test_plan_covers_the_matrix_and_reuses_the_default_mc_run(tool):
    args = tool.parse_args(['--seeds', '0', '1', '--mc-samples', '1', '8'])
    runs = tool.plan(args)
    main = [r for r in runs if r.mc_samples is None]
    # every method x 2 labels x 2 seeds; one seed of a method that draws
    # nothing (Blank)
    assert len(main) == sum(2 * (2 if m.seed_option else 1)
                            for m in tool.METHODS)
    assert len(main) < len(tool.METHODS) * 2 * 2
    assert [r.mc_samples for r in runs if r.mc_samples] == [1]  # 8 = default
    mc = next(r for r in runs if r.mc_samples)
    assert mc.name == 'uloss_mc1/noisy/seed0'
    assert f'model.decode_head.loss_decode.{tool.mc_loss_index()}' \
        '.num_samples=1' in mc.options()


def fake_result(run, unseen):
    return dict(seconds=60.0, load_avg_1min=[1.0, 2.0], metrics={
        'mIoU_seen': 50.0, 'mIoU_unseen': unseen, 'hIoU': 40.0,
        'gzsl.mIoU_seen': 10.0, 'gzsl.mIoU_unseen': 5.0, 'gzsl.hIoU': 6.0,
        'blank.mIoU_seen': 6.2, 'blank.mIoU_unseen': 6.5})


def test_finished_runs_are_found_and_reported_with_mean_and_std(
        tool, tmp_path):
    args = tool.parse_args(['--methods', 'uloss', '--labels', 'noisy',
                            '--work-dir', str(tmp_path)])
    runs = tool.plan(args)
    for run, unseen in zip(runs, (40.0, 50.0)):  # seed 2 not finished
        path = tool.result_path(str(tmp_path), run)
        os.makedirs(osp.dirname(path))
        with open(path, 'w') as f:
            json.dump(fake_result(run, unseen), f)
    done = tool.load_results(str(tmp_path), runs)
    assert [r.seed for r in done] == [0, 1]
    text = tool.markdown(done, args, 'python tools/compare_shapes.py')
    row = next(line for line in text.splitlines()
               if line.startswith('| U-Loss'))
    # mean 45, sample std sqrt(50) = 7.07
    assert row == '| U-Loss (stochastic BCE + Bayesian dice) | noisy | ' \
        '50.0 ± 0.0 | 45.0 ± 7.1 | 40.0 ± 0.0 |'
    assert 'seen 6.2, unseen 6.5' in text and '2 runs' in text


def test_final_metrics_takes_the_last_validation(tool, tmp_path):
    folder = tmp_path / '20260101_000000' / 'vis_data'
    folder.mkdir(parents=True)
    lines = [{'loss': 1.0, 'step': 1}, {'mIoU_unseen': 10.0, 'step': 2},
             {'loss': 0.5, 'step': 3}, {'mIoU_unseen': 20.0, 'step': 4}]
    (folder / 'scalars.json').write_text(
        '\n'.join(json.dumps(x) for x in lines) + '\n')
    assert tool.final_metrics(str(tmp_path))['mIoU_unseen'] == 20.0
    with pytest.raises(RuntimeError, match='no validation metrics'):
        tool.final_metrics(str(tmp_path / 'nothing'))


def test_write_doc_replaces_only_the_generated_block(tool, tmp_path):
    doc = tmp_path / 'b.md'
    tool.write_doc(str(doc), 'first')
    assert doc.read_text() == f'{tool.BEGIN}\nfirst\n{tool.END}\n'
    doc.write_text(f'# hand\n\n{tool.BEGIN}\nold\n{tool.END}\n\ntail\n')
    tool.write_doc(str(doc), 'new')
    assert doc.read_text() == f'# hand\n\n{tool.BEGIN}\nnew\n{tool.END}\n\ntail\n'


def test_a_second_stage_runs_after_the_run_it_starts_from(tool, tmp_path):
    args = tool.parse_args(['--methods', 'gmmn', '--labels', 'clean',
                            '--seeds', '1'])
    runs = tool.plan(args)
    assert [r.name for r in runs] == ['baseline/clean/seed1',
                                      'gmmn/clean/seed1']
    work = str(tmp_path)
    gmmn_dir = osp.join(work, runs[1].name)
    with pytest.raises(RuntimeError, match='baseline/clean/seed1'):
        tool.command(runs[1], work, gmmn_dir)  # stage 1 not finished
    first = tmp_path / 'baseline' / 'clean' / 'seed1'
    first.mkdir(parents=True)
    (first / 'last_checkpoint').write_text(str(first / 'iter_1000.pth'))
    cmd = tool.command(runs[1], work, gmmn_dir)
    assert cmd[1].endswith(osp.join('tools', 'train.py'))
    assert 'gmmn-stage2' in cmd[2]
    assert f'load_from={first / "iter_1000.pth"}' in cmd
    assert 'randomness.seed=1' in cmd


def test_a_predictor_without_weights_is_only_tested(tool, tmp_path):
    args = tool.parse_args(['--methods', 'random', '--labels', 'noisy',
                            '--seeds', '2'])
    (run,) = tool.plan(args)
    cmd = tool.command(run, str(tmp_path), str(tmp_path / run.name))
    assert cmd[1].endswith(osp.join('tools', 'test.py'))
    assert cmd[2].endswith('random_shapes-noisy-64x64.py')
    assert cmd[3] == '--work-dir'  # no checkpoint: the model has no weights
    assert 'model.seed=2' in cmd and 'randomness.seed=2' not in cmd
    # tools/test.py writes its metrics to <timestamp>/<timestamp>.json
    out = tmp_path / 'run' / '20260101_000000'
    out.mkdir(parents=True)
    (out / '20260101_000000.json').write_text(json.dumps(
        {'mIoU_unseen': 4.8, 'mIoU_seen': 4.6}))
    assert tool.final_metrics(str(tmp_path / 'run'))['mIoU_unseen'] == 4.8


def test_the_report_has_a_row_for_every_method(tool, tmp_path):
    args = tool.parse_args(['--labels', 'clean', '--seeds', '0',
                            '--work-dir', str(tmp_path)])
    runs = tool.plan(args)
    done = {run: fake_result(run, 30.0) for run in runs}
    text = tool.markdown(done, args, 'python tools/compare_shapes.py')
    for m in tool.METHODS:
        assert f'| {m.label} | clean |' in text, m.key
    assert 'stage 2 (300 iterations)' in text


def test_a_method_that_draws_nothing_runs_once(tool, tmp_path):
    args = tool.parse_args(['--methods', 'blank', '--seeds', '0', '1', '2'])
    runs = tool.plan(args)
    assert [r.name for r in runs] == ['blank/clean/seed0', 'blank/noisy/seed0']
    cmd = tool.command(runs[0], str(tmp_path), str(tmp_path / runs[0].name))
    assert '--cfg-options' not in cmd  # BlankPredictor takes no seed


def test_time_left_is_estimated_per_method(tool):
    args = tool.parse_args(['--methods', 'baseline', 'random',
                            '--labels', 'clean'])
    runs = tool.plan(args)
    baseline = [r for r in runs if r.method.key == 'baseline']
    random = [r for r in runs if r.method.key == 'random']
    done = {baseline[0]: dict(seconds=120.0), random[0]: dict(seconds=6.0)}
    assert tool.expected_seconds(baseline[1:] + random[1:], done) == \
        2 * 120.0 + 2 * 6.0
    assert tool.expected_seconds(runs, {}) == 0.0
