"""Every command of the README (and of docs/get_started.md,
docs/model_zoo.md) refers to things that exist and that accept it.

For each shell command of a fenced block: `pip install` extras and pins are
the ones setup.py / CI use; a `python tools/X.py ...` command names an
existing tool whose argument parser accepts the command's options (usage
brackets and placeholders filled in); every repository path it names exists;
a path it expects to have been produced (`work_dirs/<config>/iter_<N>.pth`,
`data/<root>/...`) is what the named config produces. The README's Python
example runs on the model the tests train. The commands themselves run in
other tests (tools/train.py on the main job: test_shapes_train.py; demo,
figures, --show-dir, publish: test_demo.py, test_visualization.py,
test_metafile.py; dist_test.sh: here) and in CI (install, ruff, pytest);
slurm_train.sh needs a cluster and is checked statically.
"""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import functools
import glob
import os.path as osp
import re
import shlex
import subprocess

import pytest
from fixture_apis import (  # noqa: F401  (autouse fixture)
    data_options,
    load_tool,
    single_torch_thread,
    tiny_checkpoint,
    write_image,
)
from fixture_shapes import MAIN_CONFIG, REPO
from mmengine.config import Config

DOCS = ('README.md', 'docs/get_started.md', 'docs/model_zoo.md')
PRODUCED = ('work_dirs/', 'data/', 'outputs/', 'checkpoints/')
SECTIONS = ('Installation', 'Quick start', 'Data preparation',
            'Training, testing, inference', 'Model zoo', 'Benchmark',
            'Documentation', 'Tests', 'Citation')


def read(doc):
    with open(osp.join(REPO, doc), encoding='utf-8') as f:
        return f.read()


def blocks(doc, language):
    return re.findall(rf'```{language}\n(.*?)```', read(doc), flags=re.S)


def commands(doc):
    """Shell commands of the ``shell`` blocks, continuation lines joined,
    comments dropped."""
    found = []
    for block in blocks(doc, 'shell'):
        for line in block.replace('\\\n', ' ').splitlines():
            words = shlex.split(line, comments=True)
            if words:
                found.append(words)
    return found


def fill_usage(words):
    """A usage line as arguments: brackets dropped, ``...`` removed."""
    out = []
    for word in words:
        word = word.replace('[', '').replace(']', '')
        if word and word != '...':
            out.append(word)
    return out


def strip_env(words):
    while words and re.fullmatch(r'[A-Z_]+=\S*', words[0]):
        words = words[1:]
    return words


@functools.lru_cache(maxsize=None)
def config_of(path):
    return Config.fromfile(osp.join(REPO, path))


def check_path(token, configs):
    """A repository path exists; a produced one is what a config makes."""
    if token.startswith('work_dirs/'):
        stem, name = (token.split('/') + [''])[1:3]
        matches = [c for c in configs if osp.basename(c)[:-3] == stem]
        assert matches, f'{token}: no config {stem} in the commands'
        iters = config_of(matches[0]).train_cfg.max_iters
        assert name in ('', f'iter_{iters}.pth'), token
    elif token.startswith('data/'):
        roots = {config_of(c).val_dataloader.dataset.data_root
                 for c in configs}
        assert any(token.startswith(r + '/') for r in roots), token
    elif not token.startswith(PRODUCED):
        assert osp.exists(osp.join(REPO, token)), f'{token} does not exist'


def repo_paths(words):
    return [w for w in words if re.fullmatch(r'[\w.-]+(/[\w.<>-]*)+', w)
            and not w.startswith(('/', 'http'))]


@pytest.mark.parametrize('doc', DOCS)
def test_commands_name_existing_tools_configs_and_options(doc):
    configs, checked = [], 0
    for words in map(strip_env, commands(doc)):
        configs += [w for w in words if w.startswith('configs/')
                    and w.endswith('.py')]
        if words[:2] == ['pip', 'install']:
            check_pip(words[2:])
        elif words[:3] == ['python', '-m', 'pytest']:
            assert osp.isdir(osp.join(REPO, words[3]))
        elif words[0] == 'bash':
            check_launcher(words[1])
        else:
            assert words[0] == 'python' and words[1].startswith('tools/'), \
                f'{doc}: unknown command {words}'
            tool = words[1][len('tools/'):-len('.py')]
            load_tool(tool).parse_args(fill_usage(words[2:]))
        for token in repo_paths(words):
            check_path(token, configs)
        checked += 1
    assert checked >= 3


def check_launcher(script):
    """A launcher script exists and starts an existing tool with a
    launcher (dist_test.sh also runs in test_dist_test_script_runs_on_cpu,
    dist_train.sh in test_tools.py; slurm needs a cluster)."""
    text = read(script)
    tools = re.findall(r'"\$\(dirname "\$0"\)/(\w+\.py)"', text)
    assert tools and all(osp.isfile(osp.join(REPO, 'tools', t))
                         for t in tools), script
    assert '--launcher' in text, script


#: what compiling full mmcv needs beside pinned packages
BUILD_TOOLS = {'wheel', 'ninja'}


def check_pip(args):
    setup = read('setup.py')
    ci = read('.ci/run')
    for arg in args:
        extras = re.fullmatch(r'-e|\.|"?\.\[([\w,]+)\]"?', arg)
        if arg.startswith('-') or arg == '.':
            continue
        if extras and extras.group(1):
            for extra in extras.group(1).split(','):
                assert f"'{extra}':" in setup, f'no extra {extra} in setup.py'
            continue
        if arg in BUILD_TOOLS:
            continue
        pin = re.fullmatch(r"['\"]?([\w-]+)(==|<)([\w.]+)['\"]?", arg)
        assert pin, f'unexpected pip argument {arg}'
        name, op, version = pin.groups()
        if name == 'torch':
            assert f'torch=={version}' in ci, 'CI installs another torch'
        elif name.startswith('mmcv'):
            assert f"'{name}=={version}'" in setup, f'{arg} not in setup.py'


def test_readme_sections_links_and_model_zoo():
    text = read('README.md')
    for section in SECTIONS:
        assert re.search(rf'^## {re.escape(section)}', text, re.M), section
    for target in re.findall(r'\]\(([^)#]+)(?:#[^)]*)?\)', text):
        if not target.startswith('http'):
            assert osp.exists(osp.join(REPO, target)), target
    for doc in DOCS[1:]:
        for target in re.findall(r'\]\(([^)#]+)(?:#[^)]*)?\)', read(doc)):
            if not target.startswith('http'):
                assert osp.exists(osp.join(REPO, 'docs', target)), target
    listed = set(re.findall(r'\((configs/zss/[\w-]+\.py)\)', text))
    assert listed == {osp.relpath(p, REPO) for p in glob.glob(
        osp.join(REPO, 'configs', 'zss', '*.py'))}


def test_quick_start_is_the_main_job():
    main = osp.relpath(MAIN_CONFIG, REPO)
    train = [w for w in commands('README.md') if w[:2] == [
        'python', 'tools/train.py'] and w[2].startswith('configs/')]
    assert train and train[0][2] == main


def test_readme_python_example_runs(tmp_path, monkeypatch):
    """The example, with the tests' 3-iteration checkpoint and a generated
    image in place of the ones the quick start produces."""
    _, checkpoint, _ = tiny_checkpoint()
    (example, ) = blocks('README.md', 'python')
    produced = re.findall(r"'((?:work_dirs|data)/[^']+)'", example)
    assert len(produced) == 2
    image = write_image(tmp_path / 'val.png')
    code = example.replace(produced[0], checkpoint).replace(produced[1],
                                                            image)
    monkeypatch.chdir(REPO)
    scope = {}
    exec(compile(code, 'README.md', 'exec'), scope)
    result = scope['result']
    assert result.masks.shape == (3, 40, 72)
    assert (result.sigma_p > 0).all() and result.sigma_i.shape == (3, )


def test_dist_test_script_runs_on_cpu(tmp_path, launcher_env):
    """``bash tools/dist_test.sh CONFIG CHECKPOINT 2``: two gloo processes
    evaluate the tests' checkpoint (one OpenMP thread each)."""
    config, checkpoint, data = tiny_checkpoint()
    env = launcher_env
    proc = subprocess.run(
        ['bash', osp.join(REPO, 'tools', 'dist_test.sh'), config, checkpoint,
         '2', '--work-dir', str(tmp_path / 'work'), '--cfg-options',
         *data_options(data)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert re.search(r'Iter\(test\) \[\d+/\d+\].*mIoU_unseen', out), out[-3000:]


def test_readme_quotes_only_measured_figures():
    """Every decimal figure of the README (versions aside) is one that
    docs/benchmark.md (ZSS-Shapes) or docs/model.md (speed and memory of the
    head) reports with the command that measured it."""
    benchmark = read('docs/benchmark.md') + read('docs/model.md')
    text = read('README.md')
    figures = [m.group() for m in re.finditer(
        r'(?<![\d.])\d+\.\d+(?![\d.])', text)
        if '>=' not in text[max(0, m.start() - 3):m.start()]]  # versions
    assert figures  # the quick start quotes the main job's measured run
    missing = [f for f in figures if f not in benchmark]
    assert not missing, ('figures not measured in docs/benchmark.md or '
                         f'docs/model.md: {missing}')
