"""Stage `sample`: the real samples into data/real.npy (what `train` learns from) and the
rows the verdict scores against into data/scored.npy. For N(mean, std) or a mixture they
are the same draws; for `file`, the rows of data.path shuffled with data.seed and split:
data.holdout of them held out for the verdict, the rest for training."""

if not __package__:  # run as a file, where `gan` cannot be imported
    raise SystemExit("run a stage the way DVC does: `sh stages/run sample` or `dvc repro sample`")

from gan.infra import data, files, params
from gan.stats.distributions import real_distribution

from stages import paths
from stages.cli import run


def main() -> None:
    p = params.load(paths.PARAMS, "data")["data"]
    real, scored = data.real_and_scored(p)
    files.write_npy(paths.REAL, real)
    files.write_npy(paths.SCORED, scored)
    if p.distribution == "file":
        what = f"{len(real)} training rows of {p.path} ({len(scored)} held out in {paths.SCORED})"
    else:
        what = f"{len(real)} draws of {real_distribution(p, real).label()}"
    print(f"sample: {paths.REAL}: {what}, sample mean {real.mean():.4f}, std {real.std():.4f}")


if __name__ == "__main__":
    run(main)
