"""Build class embeddings: ``<out>.npy`` (float32, C x D) + ``<out>.json``.

Examples (docs/embeddings.md has the commands of every shipped file)::

    python tools/build_class_embeddings.py --classes pascal_context_59 \\
        --source glove-6b-50d --out mmseg_zss/embeddings/data/glove50/pascal_context_59
    python tools/build_class_embeddings.py --classes pascal_context_59 \\
        --source GoogleNews-vectors-negative300.bin --concat cc.en.300.bin \\
        --out work_dirs/emb/w2v_ft_pc59

Sources: ``glove-6b-50d`` (bundled, offline), a gensim-data name, a vector
file (word2vec .bin/.txt, GloVe .txt, fastText .bin; format sniffed) or
``FORMAT:PATH``. Errors are printed in one line (exit status 2).
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmseg_zss  # noqa: E402,F401
from mmseg_zss.datasets.class_names import DATASETS  # noqa: E402
from mmseg_zss.embeddings import build_class_embeddings  # noqa: E402
from mmseg_zss.embeddings.sources import (  # noqa: E402
    DEFAULT_SOURCE,
    GENSIM_DATA_NAMES,
    VECTOR_FORMATS,
)
from mmseg_zss.utils import run_tool  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Embed class names with word vectors (gensim).')
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument('--classes', choices=DATASETS,
                       help='a class list of the package')
    which.add_argument('--class-file',
                       help='your own list: one class per line, "name" or '
                       '"name<TAB>phrase"')
    parser.add_argument(
        '--source', default=DEFAULT_SOURCE,
        help=f'word vectors: {DEFAULT_SOURCE} (bundled, default), a '
        f'gensim-data name ({", ".join(GENSIM_DATA_NAMES[:3])}, ...), a vector '
        f'file, or FORMAT:PATH with FORMAT in {", ".join(sorted(VECTOR_FORMATS))}')
    parser.add_argument('--concat', metavar='SOURCE',
                        help='a second source concatenated after --source '
                        '(e.g. word2vec + fastText = 600-d)')
    parser.add_argument('--out', required=True,
                        help='output path without extension: writes OUT.npy '
                        'and OUT.json')
    parser.add_argument('--allow-oov', action='store_true',
                        help='do not fail on words missing from the vectors; '
                        'the JSON records the fallback per class')
    parser.add_argument('--limit', type=int,
                        help='read only the first LIMIT (most frequent) words '
                        'of word2vec/GloVe files')
    return parser.parse_args(argv)


@run_tool
def main(argv=None):
    args = parse_args(argv)
    sources = [args.source] + ([args.concat] if args.concat else [])
    emb, meta = build_class_embeddings(
        args.classes or args.class_file, sources, out=args.out,
        allow_oov=args.allow_oov, limit=args.limit)
    stem = args.out[:-4] if args.out.endswith('.npy') else args.out
    counts = {}
    for c in meta['classes']:
        for part in c['composition']:
            counts[part['how']] = counts.get(part['how'], 0) + 1
    how = ', '.join(f'{n} {k}' for k, n in sorted(counts.items()))
    print(f'wrote {stem}.npy ({emb.shape[0]} x {emb.shape[1]} float32) and '
          f'{stem}.json; composed: {how}')


if __name__ == '__main__':
    main()
