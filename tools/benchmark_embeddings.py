"""Time building the 459 Pascal-Context class embeddings from the bundled GloVe.

    python tools/benchmark_embeddings.py [--repeat 3]

Prints, measured in one run: the whole command
``tools/build_class_embeddings.py --classes pascal_context_459`` in a fresh
process (Python start, imports, loading GloVe 6B 50-d, composing 459 classes,
writing the files); the same steps inside this process; warm builds (vectors
cached); and each as a ratio of the 10 s budget of the embeddings issue.
"""
import argparse
import importlib.util
import os.path as osp
import subprocess
import sys
import tempfile
import time

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

BUDGET_S = 10.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=3,
                        help='warm builds to time after the cold one')
    args = parser.parse_args(argv)

    tool = osp.join(osp.dirname(osp.abspath(__file__)),
                    'build_class_embeddings.py')
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, '-W', 'ignore', tool, '--classes',
                        'pascal_context_459', '--source', 'glove-6b-50d',
                        '--out', osp.join(tmp, 'pc459')], check=True,
                       stdout=subprocess.DEVNULL)
        t_tool = time.perf_counter() - t0

    t0 = time.perf_counter()
    import mmseg_zss  # noqa: F401
    from mmseg_zss.embeddings import build_class_embeddings, load_word_vectors
    t_import = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        out = osp.join(tmp, 'pascal_context_459')
        t0 = time.perf_counter()
        load_word_vectors('glove-6b-50d')
        t_load = time.perf_counter() - t0
        emb, _ = build_class_embeddings('pascal_context_459', out=out)
        t_cold = time.perf_counter() - t0
        warm = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            build_class_embeddings('pascal_context_459', out=out)
            warm.append(time.perf_counter() - t0)

    print(f'classes: {emb.shape[0]}, dim: {emb.shape[1]}')
    print(f'whole command, fresh process:  {t_tool:6.2f} s  '
          f'= {t_tool / BUDGET_S:.2f} x the {BUDGET_S:.0f} s budget')
    print(f'import mmseg_zss:              {t_import:6.2f} s')
    print(f'load GloVe 6B 50-d (400k):     {t_load:6.2f} s')
    print(f'cold build (load + 459 + save): {t_cold:5.2f} s  '
          f'= {t_cold / BUDGET_S:.2f} x budget')
    if warm:
        print(f'warm build (vectors cached):   {min(warm):6.2f} s  '
              f'(best of {len(warm)})')
    print(f'cold build incl. import:       {t_import + t_cold:6.2f} s  '
          f'= {(t_import + t_cold) / BUDGET_S:.2f} x budget')


if __name__ == '__main__':
    main()
