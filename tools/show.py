"""`make show`: every experiment of HEAD with its knobs and headline metrics, as one
markdown table that fits a terminal (`dvc exp show --md` prints every column, six digits).

    make show                           # experiments of the current commit
    make show ARGS="--num 5"            # of the last 5 commits too
"""

from __future__ import annotations

import argparse

from gan.report import experiments

COLUMNS = [
    ("name", "experiment"),
    ("train.seed", "seed"),
    ("train.lr", "lr"),
    ("train.d_steps", "d_steps"),
    ("model.noise", "noise"),
    ("pass_rate", "pass rate"),
    ("pass_rate_low", "low"),
    ("pass_rate_high", "high"),
    ("p_value", "p"),
    ("indistinguishable", "indist."),
    ("wasserstein_1", "W1"),
    ("ks_statistic", "KS"),
    ("kl_divergence", "KL"),
    ("mean_error", "mean err"),
    ("std_error", "std err"),
    ("mode_collapse", "collapse"),
    ("discriminator_blind", "blind D"),
    ("diverged", "diverged"),
]


def main() -> None:
    import dvc.api

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--num", type=int, default=1, help="commits to show experiments of")
    args = parser.parse_args()
    table = experiments.rows(dvc.api.exp_show(num=args.num))
    print(experiments.markdown(table, COLUMNS), end="")


if __name__ == "__main__":
    main()
