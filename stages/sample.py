"""Stage `sample`: draw the real samples (N(mean, std) or a mixture) into data/real.npy."""

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run sample` or `dvc repro sample`")

from gan.infra import data, files, params
from gan.stats.distributions import Mixture

from stages import paths
from stages.cli import run


def main() -> None:
    p = params.load(paths.PARAMS, "data")["data"]
    dist = Mixture.from_params(p)
    real = data.sample_real(p)
    files.write_npy(paths.REAL, real)
    print(
        f"sample: {paths.REAL}: {len(real)} draws of {dist.label()}, "
        f"sample mean {real.mean():.4f}, std {real.std():.4f}"
    )


if __name__ == "__main__":
    run(main)
