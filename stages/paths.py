"""Every file the stages read or write, named once here (dvc.yaml names them for DVC;
tests/test_dvc_deps.py checks that it does)."""

PARAMS = "params.yaml"
PARAMS_CHECKED = "reports/params_checked.txt"
REAL = "data/real.npy"  # what `train` learns from
SCORED = "data/scored.npy"  # what the verdict scores against (held-out rows of a data file)
CHECKPOINTS = "models/checkpoints"  # not a DVC output: it must survive DVC's cleanup
GENERATOR = "models/generator"
RAW_GENERATOR = "models/generator_raw"
DISCRIMINATOR = "models/discriminator"
TRAIN_LOG = "reports/train"
TRAIN_SUMMARY = "reports/train/metrics.json"
FRAMES = "reports/frames.npz"
METRICS = "reports/metrics.json"
DETAILS = "reports/evaluation.json"
EVAL = "reports/eval.npz"
FIGURES = "reports/figures"
POPULATION = "reports/population.json"
RUNS = "reports/population/runs.csv"
P_VALUES = "reports/population/p_values.csv"
