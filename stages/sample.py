"""Stage `sample`: draw the real N(mean, std) samples into data/real.npy."""

from gan import data, files, params
from stages.cli import PARAMS, run

OUT = "data/real.npy"


def main() -> None:
    p = params.load(PARAMS, "data")["data"]
    real = data.sample_normal(p.n_samples, p.mean, p.std, p.seed)
    files.write_npy(OUT, real)
    print(f"sample: {OUT}: {len(real)} draws of N({p.mean}, {p.std}), "
          f"sample mean {real.mean():.4f}, std {real.std():.4f}")


if __name__ == "__main__":
    run(main)
