"""`make show`: every experiment of HEAD with the params that differ between them and the
headline metrics (gan.report.experiments.columns), as one markdown table that fits a
terminal (`dvc exp show --md` prints every column, six digits).

    make show                           # experiments of the current commit
    make show ARGS="--num 5"            # of the last 5 commits too
"""

from __future__ import annotations

import argparse

from gan.report import experiments, tables


def main() -> None:
    import dvc.api

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--num", type=int, default=1, help="commits to show experiments of")
    args = parser.parse_args()
    table = experiments.rows(dvc.api.exp_show(num=args.num))
    print(tables.markdown(table, experiments.columns(table)), end="")


if __name__ == "__main__":
    main()
