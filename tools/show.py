"""`make show`: every experiment's knobs and headline metrics, as one markdown table that
fits a terminal. (`dvc exp show --md --precision 3` prints six digits regardless, with
DVC 3.67, and every column; this reads `dvc exp show --json` and rounds to 4 digits.)

    make show                           # experiments of the current commit
    make show ARGS="-A"                 # of every commit (any `dvc exp show` option)
"""

from __future__ import annotations

import json
import sys

from gan import experiments
from tools.sweep_remote import dvc

COLUMNS = [("name", "experiment"), ("train.seed", "seed"), ("train.lr", "lr"),
           ("train.d_steps", "d_steps"), ("train.lookahead_k", "lookahead"),
           ("model.noise", "noise"), ("wasserstein_1", "W1"), ("ks_statistic", "KS"),
           ("kl_divergence", "KL"), ("fake_std", "std"), ("p_value", "p"),
           ("indistinguishable", "indist."), ("mode_collapse", "collapse"),
           ("discriminator_blind", "blind D"), ("diverged", "diverged"), ("isa", "isa")]


def main() -> None:
    shown = json.loads(dvc("exp", "show", "--json", *sys.argv[1:]))
    print(experiments.markdown(experiments.rows(shown), COLUMNS), end="")


if __name__ == "__main__":
    main()
