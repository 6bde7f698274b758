"""Read the training history that dvclive wrote (one TSV per metric, indexed by epoch)."""

from __future__ import annotations

from pathlib import Path

from gan.infra.data import DataError

import pandas as pd


def read(log_dir: str | Path, names: tuple[str, ...]) -> pd.DataFrame:
    """A frame indexed by epoch with one column per metric name."""
    folder = Path(log_dir) / "plots" / "metrics"
    columns = {}
    for name in names:
        path = folder / f"{name}.tsv"
        if not path.exists():
            raise DataError(f"{path}: missing (run the 'train' stage first)")
        table = pd.read_csv(path, sep="\t")
        columns[name] = table.set_index("step")[name]
    frame = pd.DataFrame(columns)
    frame.index.name = "epoch"
    return frame
