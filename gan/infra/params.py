"""Typed, validated view of params.yaml: one schema, so every stage rejects bad input
the same way and before it touches any output.

Numbers may arrive as strings (PyYAML reads `5e-4` as a string; `dvc exp run -S`
writes what the user typed), so fields are parsed in pydantic's lax mode. Errors name
the full key (`train.lr`) and, for unknown keys, the closest valid one.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Annotated, Any, Literal

from gan.infra import cpu_pin
from gan.infra.data import Noise

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class ParamsError(ValueError):
    """A params.yaml problem, phrased for the person who wrote the file."""


class _Inconsistent(ValueError):
    """A check across keys of a section, failed: it names the key to change (a model
    validator's error has no key of its own, and pydantic would quote the whole
    section as the value it got)."""

    def __init__(self, key: str, message: str, got: Any):
        super().__init__(message)
        self.key, self.got = key, got


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _finite(cls, value: Any) -> Any:
        items = value if isinstance(value, list) else [value]
        if any(isinstance(v, float) and not math.isfinite(v) for v in items):
            raise ValueError(
                "must be finite numbers" if isinstance(value, list) else "must be a finite number"
            )
        return value


class DataParams(_Section):
    distribution: Literal["normal", "mixture", "file"]
    path: str  # the user's data (distribution: file), a dependency of check_params and sample
    holdout: float = Field(gt=0, lt=1)  # share of its rows held out for the verdict
    n_samples: int = Field(ge=2)
    mean: float = Field(ge=-1e6, le=1e6)
    std: float = Field(gt=0, le=1e6)
    mixture_means: list[Annotated[float, Field(ge=-1e6, le=1e6)]] = Field(min_length=1)
    mixture_stds: list[Annotated[float, Field(le=1e6)]] = Field(min_length=1)
    mixture_weights: list[Annotated[float, Field(le=1e6)]] = Field(min_length=1)
    seed: int = Field(ge=0)

    @field_validator("path")
    @classmethod
    def _csv_or_npy(cls, value: str) -> str:
        if not value.lower().endswith((".csv", ".npy")):
            raise ValueError("must name a .csv file (one column of numbers) or a .npy array")
        return value

    @model_validator(mode="after")
    def _mixture_is_consistent(self) -> DataParams:
        components = len(self.mixture_means)
        for key in ("mixture_stds", "mixture_weights"):
            if len(getattr(self, key)) != components:
                raise _Inconsistent(
                    key,
                    f"must have the same length as data.mixture_means ({components} components)",
                    getattr(self, key),
                )
        if any(s <= 0 for s in self.mixture_stds):
            raise _Inconsistent("mixture_stds", "must all be > 0", self.mixture_stds)
        if any(w <= 0 for w in self.mixture_weights):
            raise _Inconsistent(
                "mixture_weights", "must all be > 0 (a mode of weight 0 is no mode)", self.mixture_weights
            )
        return self


class ModelParams(_Section):
    d_hidden: int = Field(ge=1, le=4096)
    g_input: int = Field(ge=1, le=4096)
    g_hidden: int = Field(ge=1, le=4096)
    g_layers: int = Field(ge=1, le=16)
    noise: Noise
    g_init: Literal["normal", "linear", "linear_he"]
    g_init_margin: float = Field(ge=0, le=100)


class TrainParams(_Section):
    loss: Literal["minimax", "non_saturating"]
    ema_decay: float = Field(ge=0, lt=1)
    d_steps: int = Field(ge=1, le=100)
    lr: float = Field(gt=0, le=10)
    d_lr_ratio: float = Field(gt=0, le=1000)
    beta_1: float = Field(ge=0, lt=1)
    lr_decay: float = Field(ge=0, le=1)
    r1_gamma: float = Field(ge=0, le=1e6)
    lookahead_k: int = Field(ge=0, le=100_000)
    lookahead_alpha: float = Field(gt=0, le=1)
    xla: bool
    batch_size: int = Field(ge=1)
    epochs: int = Field(ge=1, le=1_000_000)
    seed: int = Field(ge=0)
    log_every: int = Field(ge=1)
    snapshot_every: int = Field(ge=1)
    checkpoint_every: int = Field(ge=1)
    keep_checkpoints: int = Field(ge=1)


class MetricsParams(_Section):
    bins: int = Field(ge=2, le=10_000)
    range_std: float = Field(gt=0)
    pseudocount: float = Field(gt=0)


class EvaluateParams(_Section):
    n_samples: int = Field(ge=2)
    seed: int = Field(ge=0)
    null_repeats: int = Field(ge=99, le=100_000)
    level: float = Field(gt=0, lt=0.5)
    collapse_ratio: float = Field(gt=0, lt=1)
    collapse_atom: float = Field(gt=0, lt=1)
    off_modes_share: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _test_can_reject(self) -> EvaluateParams:
        # A generator off on one metric ties with the null samples that top each of the
        # five metrics, so its joint p-value is at least 5 / (null_repeats + 1).
        if (self.null_repeats + 1) * self.level < 5:
            raise _Inconsistent(
                "null_repeats",
                f"too small for evaluate.level ({self.level}): a generator off on one metric "
                f"could never be rejected; use at least {math.ceil(5 / self.level) - 1}",
                self.null_repeats,
            )
        return self


def parse_seeds(text: str) -> tuple[int, ...]:
    """'100-119', '1,5,9' or a mix, in the order given; ValueError if malformed."""
    out: list[int] = []
    for part in str(text).split(","):
        lo, dash, hi = part.strip().partition("-")
        if not lo.isdigit() or (dash and not hi.isdigit()):
            raise ValueError("seeds must look like '100-119' or '1,5,9'")
        if dash and int(hi) < int(lo):
            raise ValueError(f"seed range {part.strip()!r} runs backwards")
        out.extend(range(int(lo), int(hi or lo) + 1))
    if len(set(out)) != len(out):
        raise ValueError("lists a seed twice")
    if len(out) > 10_000:
        raise ValueError(f"{len(out)} seeds: at most 10000")
    return tuple(out)


class PopulationParams(_Section):
    seeds: tuple[int, ...]  # parsed here, once, from the text params.yaml holds
    block: int = Field(ge=1, le=1000)  # seeds trained together in one compiled program
    workers: Annotated[int | str, Field(union_mode="left_to_right")]

    @field_validator("seeds", mode="before")
    @classmethod
    def _seeds_parse(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError("seeds must look like '100-119' or '1,5,9'")
        return parse_seeds(str(value))

    @field_validator("workers", mode="before")
    @classmethod
    def _workers(cls, value: Any) -> int | str:
        if value == "auto":
            return value
        if isinstance(value, bool) or not str(value).isdigit() or not 1 <= int(value) <= 1024:
            raise ValueError("must be 'auto' (one per core) or a count of 1-1024")
        return int(value)

    def worker_count(self) -> int:
        """Local worker processes: `workers`, or one per core this process may use."""
        return cpu_pin.usable_cores() if self.workers == "auto" else int(self.workers)


# The tutorial's own setup (`make tutorial`): its network, loss, batch size, epochs and
# learning rate, and every option this project added switched off. All pinned, so the
# tutorial is the tutorial whatever the workspace's params.yaml says.
TUTORIAL_SETUP: dict[str, Any] = {
    "model.d_hidden": 8,
    "model.g_input": 8,
    "model.g_hidden": 4,
    "model.g_layers": 1,
    "model.noise": "uniform",
    "model.g_init": "normal",
    "train.loss": "minimax",
    "train.lr": 5.0e-4,
    "train.batch_size": 300,
    "train.epochs": 3000,
    "train.d_steps": 1,
    "train.ema_decay": 0.0,
    "train.d_lr_ratio": 1.0,
    "train.beta_1": 0.9,
    "train.lr_decay": 0.0,
    "train.r1_gamma": 0.0,
    "train.lookahead_k": 0,
}


# A configuration that learns the two-mode mixture (`make preset NAME=mixture`; how it was
# found, and what it passes on held-out seeds: docs/mixtures.md).
MIXTURE_SETUP: dict[str, Any] = {
    "data.distribution": "mixture",
    "model.d_hidden": 64,
    "model.g_input": 2,
    "model.g_hidden": 32,
    "model.g_init_margin": 0.0,
    "train.loss": "non_saturating",
    "train.lr": 2.0e-3,
    "train.beta_1": 0.5,
    "train.d_steps": 10,
    "train.ema_decay": 0.999,
    "train.epochs": 6000,
    "train.lr_decay": 0.3,  # the defaults' when it was chosen (now 0.1): pinned, as measured
}
# The named presets `make preset NAME=...` runs as experiments (tools/preset.py).
PRESETS: dict[str, dict[str, Any]] = {"tutorial": TUTORIAL_SETUP, "mixture": MIXTURE_SETUP}


def preset_overrides(name: str) -> list[str]:
    """A preset as `dvc exp run -S` assignments."""
    return [f"{key}={value}" for key, value in PRESETS[name].items()]


# Keys that say how a run is saved or where it runs, never what it computes: a change of
# them keeps checkpoints resumable and re-runs no population (dvc.yaml lists the
# population's params without them: tests/test_dvc_deps.py).
BOOKKEEPING: dict[str, tuple[str, ...]] = {
    "train": ("checkpoint_every", "keep_checkpoints"),
    "population": ("block", "workers"),
}


def results_settings(sections: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Validated sections as plain values, without BOOKKEEPING: what a run's results
    depend on (a checkpoint's fingerprint)."""
    return {
        name: section.model_dump(mode="json", exclude=set(BOOKKEEPING.get(name, ())))
        for name, section in sections.items()
    }


SECTIONS: dict[str, type[_Section]] = {
    "data": DataParams,
    "model": ModelParams,
    "train": TrainParams,
    "metrics": MetricsParams,
    "evaluate": EvaluateParams,
    "population": PopulationParams,
}


def _closest(name: str, options: list[str], section: str = "") -> str:
    """' (did you mean 'train.lr'?)', the full key of the closest valid name, or ''."""
    match = difflib.get_close_matches(name, options, n=1, cutoff=0.5)
    return f" (did you mean '{section}{match[0]}'?)" if match else ""


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read the whole params file as a mapping, or raise ParamsError naming the file."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ParamsError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: expected a mapping of sections at the top level")
    return raw


def parse_section(raw: dict[str, Any], name: str, source: str = "params.yaml") -> _Section:
    """Validate one section of an already-read params mapping."""
    schema = SECTIONS[name]
    if name not in raw:
        raise ParamsError(f"{source}: section '{name}' is missing{_closest(name, list(raw))}")
    values = raw[name]
    if not isinstance(values, dict):
        raise ParamsError(f"{source}: '{name}' must be a mapping of keys, got {values!r}")
    known = list(schema.model_fields)
    for key in values:
        if key not in known:
            raise ParamsError(f"{source}: unknown key '{name}.{key}'{_closest(str(key), known, f'{name}.')}")
    try:
        return schema(**values)
    except ValidationError as exc:
        raise ParamsError(f"{source}: {problems(exc, name)}") from None


def problems(exc: ValidationError, prefix: str = "") -> str:
    """pydantic's errors as one line, each naming its full key (`train.lr`) and, unless the
    key is missing, the value it got; a check across keys names the key it blames."""
    found = []
    for err in exc.errors():
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, _Inconsistent):
            found.append(f"{prefix}.{cause.key}: {cause} (got {cause.got!r})")
            continue
        key = ".".join(filter(None, [prefix, *map(str, err["loc"])])) or "rules"
        got = f" (got {err['input']!r})" if err["type"] != "missing" else ""
        found.append(f"{key}: {err['msg']}{got}")
    return "; ".join(found)


def load(path: str | Path, *names: str) -> dict[str, _Section]:
    """Read `path` and validate the named sections (all of them if none are named)."""
    raw = read_yaml(path)
    return {name: parse_section(raw, name, str(path)) for name in (names or SECTIONS)}


class GateRules(BaseModel):
    """metrics_gate.yaml: the rules of the metrics gate (gan/stats/gate.py)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    file: str  # the population's runs, as committed
    min_runs: int = Field(ge=1)  # fewer runs cannot be judged (the seeds are params)
    min_pass_rate: float = Field(ge=0, le=1)  # absolute floor
    level: float = Field(gt=0, lt=1)  # the rank test's level

    @classmethod
    def parse(cls, raw: Any, source: str) -> GateRules:
        """The rules, or a ParamsError naming the file, the key and what is wrong."""
        if not isinstance(raw, dict):
            raise ParamsError(f"{source}: expected a mapping of rules, got {type(raw).__name__}")
        try:
            return cls(**raw)
        except ValidationError as exc:
            raise ParamsError(f"{source}: {problems(exc)}") from None
