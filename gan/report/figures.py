"""The figures, drawn from arrays (no TensorFlow). Each function returns a Figure;
`save` writes it atomically with no date or version metadata, so the PNG bytes depend
only on the data (and the matplotlib build)."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from gan.infra import files
from gan.stats.distributions import Distribution, Empirical, Mixture
from gan.stats.evaluation import FLAGS, REASONS, view_grid

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

REAL, FAKE, DISC = "tab:blue", "tab:red", "tab:green"
LN4, LN_HALF = math.log(4.0), math.log(0.5)


def save(fig: plt.Figure, path: str | Path, dpi: int = 100) -> None:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    files.write_bytes(path, buffer.getvalue())


def loss_history(history: pd.DataFrame) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.plot(history.index, history["loss_d"], color=FAKE, label="discriminator loss")
    ax.plot(history.index, history["loss_g"], color=REAL, label="generator loss")
    ax.axhline(LN4, color="grey", ls="--", lw=0.8, label="equilibrium ln 4, ln 0.5")
    ax.axhline(LN_HALF, color="grey", ls="--", lw=0.8)
    ax.set(title="Loss history", xlabel="epoch", ylabel="loss")
    ax.legend(loc="best")
    ax.grid(alpha=0.3)
    return fig


def kl_history(history: pd.DataFrame) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.plot(history.index, history["kl_divergence"], color=DISC, label="KL(real || fake)")
    ax.set(
        title="KL divergence during training (shared bins)",
        xlabel="epoch",
        ylabel="KL divergence (nats)",
        yscale="log",
    )
    ax.legend(loc="best")
    ax.grid(alpha=0.3, which="both")
    return fig


def _true_pdf(ax: plt.Axes, x: np.ndarray, dist: Distribution) -> None:
    """The real pdf (a KDE for a data file), and for a mixture each mode's high-quality
    band (mean +- 3 std)."""
    label = f"KDE of {dist.label()}" if isinstance(dist, Empirical) else f"true {dist.label()} pdf"
    ax.plot(x, dist.pdf(x), color="black", ls="--", lw=1.2, label=label)
    if isinstance(dist, Mixture) and len(dist.means) > 1:
        for i, (m, s) in enumerate(zip(dist.means, dist.stds, strict=True)):
            ax.axvspan(
                m - 3 * s,
                m + 3 * s,
                color="grey",
                alpha=0.08,
                lw=0,
                label="modes +- 3 std" if not i else None,
            )


def density(real: np.ndarray, fake: np.ndarray, dist: Distribution) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
    x = view_grid(real, 400)[:, 0]
    if np.all(np.isfinite(fake)) and np.std(fake) > 0:
        sns.kdeplot(x=fake, ax=ax, color=FAKE, fill=True, alpha=0.25, label="generated (KDE)")
    sns.kdeplot(x=real, ax=ax, color=REAL, label="real samples (KDE)")
    _true_pdf(ax, x, dist)
    ax.set(title="Real vs generated distribution", xlabel="x", ylabel="density", xlim=(x[0], x[-1]))
    ax.legend(loc="upper right")
    return fig


def verdict(metrics: dict) -> tuple[str, str]:
    """The run's verdict and flags (or, failing without one, what the verdict saw: its
    `failure`) as a figure's headline, and its colour: the losses and D's outputs can sit
    at their equilibrium values while the generator is wrong."""
    flags = [REASONS[key].upper() for key in FLAGS if metrics.get(key)]  # the words of `failure`
    if not flags and metrics.get("failure"):
        flags = [metrics["failure"].upper()]
    ok = bool(metrics.get("indistinguishable")) and not flags
    text = (
        f"verdict: {'indistinguishable from' if metrics.get('indistinguishable') else 'DISTINGUISHABLE from'}"
        f" the real distribution (p = {metrics.get('p_value', float('nan')):.3f})"
    )
    if metrics.get("modes", 1) > 1:
        text += f"; modes {metrics['modes_captured']} of {metrics['modes']}"
    return text + "".join(f"; {flag}" for flag in flags), ("tab:green" if ok else "tab:red")


def stamp(fig: plt.Figure, metrics: dict) -> plt.Figure:
    """Put the run's verdict (and flags) above a figure, on as many lines as the figure's
    width needs (the 5.5-inch Q-Q plot cannot hold a verdict with a flag on one)."""
    text, colour = verdict(metrics)
    title = fig.suptitle(text, color=colour, fontsize=10)
    renderer = fig.canvas.get_renderer()
    room = 0.96 * fig.bbox.width

    def fits(line: str) -> bool:
        title.set_text(line)
        return title.get_window_extent(renderer).width <= room

    # broken between words, never inside the p-value or a flag, a ';' ending its line
    head, *flags = text.split("; ")
    pieces = [(" ", word) for word in re.findall(r"\(p = [^)]*\)|\S+", head)] + [("; ", f) for f in flags]
    lines: list[str] = []
    for separator, piece in pieces:
        if lines and fits(lines[-1] + separator + piece):
            lines[-1] += separator + piece
        else:
            if lines:
                lines[-1] += separator.rstrip()
            lines.append(piece)
    title.set_text("\n".join(lines))
    return fig


def discriminator_outputs(
    d_real: np.ndarray,
    d_fake: np.ndarray,
    grid: np.ndarray,
    d_grid: np.ndarray,
    real: np.ndarray,
    blind: bool = False,
    n: int = 1000,
) -> plt.Figure:
    """D on the samples (left) and as a function of x (right): a D that sees the
    distribution bends inside the real data's range; a blind one is a featureless curve
    there (its logit affine), whatever its outputs average to."""
    fig, (ax, curve) = plt.subplots(
        1, 2, figsize=(12, 5), layout="constrained", gridspec_kw={"width_ratios": [3, 2]}
    )
    ax.plot(d_real[:n], color=REAL, lw=0.8, label=f"D(x), real (mean {np.mean(d_real):.3f})")
    ax.plot(
        d_fake[:n], color=FAKE, lw=0.8, alpha=0.8, label=f"D(G(z)), generated (mean {np.mean(d_fake):.3f})"
    )
    ax.axhline(0.5, color="black", ls="--", lw=1, label="1/2")
    ax.set(title="Discriminator outputs", xlabel="sample index", ylabel="D output", ylim=(0, 1))
    ax.legend(loc="upper right")
    curve.axvspan(
        float(np.min(real)), float(np.max(real)), color=REAL, alpha=0.1, label="range of the real data"
    )
    curve.plot(grid, d_grid, color=DISC, lw=1.6, label="D(x)")
    curve.axhline(0.5, color="black", ls="--", lw=1)
    curve.set(
        xlabel="x",
        ylabel="D(x)",
        ylim=(0, 1),
        xlim=(float(grid[0]), float(grid[-1])),
        title=(
            "BLIND: D's logit is affine over the data,\nit sees G's mean at most"
            if blind
            else "D(x) as a function of x"
        ),
    )
    curve.legend(loc="upper right")
    return fig


class _StateChart:
    """Real pdf, generated density (histogram) and D(x) on a twin axis. Built once; each
    `show` only changes bar heights, the D curve and the title, so an animation does not
    lay out and draw a new figure per frame."""

    def __init__(self, ax: plt.Axes, grid: np.ndarray, dist: Distribution):
        lo, hi = float(grid[0]), float(grid[-1])
        self.edges = np.linspace(lo, hi, 61)
        self.bars = ax.stairs(np.zeros(60), self.edges, fill=True, color=FAKE, alpha=0.35, label="generated")
        _true_pdf(ax, grid, dist)
        ax.set(xlabel="x", ylabel="density", xlim=(lo, hi), ylim=(0, 1.6 * dist.pdf(grid).max()))
        twin = ax.twinx()
        (self.d_line,) = twin.plot(grid, np.full_like(grid, 0.5), color=DISC, lw=1.6, label="D(x)")
        twin.axhline(0.5, color=DISC, ls=":", lw=1)
        twin.set(ylim=(0, 1), ylabel="D(x)")
        handles, labels = ax.get_legend_handles_labels()
        twin_handles, twin_labels = twin.get_legend_handles_labels()
        ax.legend(handles + twin_handles, labels + twin_labels, loc="upper left")
        self.title = ax.set_title("")

    def show(self, fake: np.ndarray, d_grid: np.ndarray, title: str) -> None:
        finite = fake[np.isfinite(fake)]
        heights, _ = np.histogram(
            np.clip(finite, self.edges[0], self.edges[-1]), bins=self.edges, density=len(finite) > 0
        )
        self.bars.set_data(heights)
        self.d_line.set_ydata(d_grid)
        outside = np.mean((finite < self.edges[0]) | (finite > self.edges[-1])) if len(finite) else 0.0
        # samples beyond the axis are counted in the edge bins: say so, or they read as a spike
        self.title.set_text(
            title
            + (
                f"\n{100 * outside:.1f}% of the samples lie beyond the axis and are counted in the edge bins"
                if outside
                else ""
            )
        )


def final_state(fake: np.ndarray, grid: np.ndarray, d_grid: np.ndarray, dist: Distribution) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
    _StateChart(ax, grid, dist).show(fake, d_grid, "After training: real pdf, generated density, D(x)")
    return fig


def qq(fake: np.ndarray, real: np.ndarray, dist: Distribution) -> plt.Figure:
    """Sorted generated samples against the quantiles of the real distribution: a
    straight diagonal means G maps the noise onto the right distribution."""
    fig, ax = plt.subplots(figsize=(5.5, 5.5), layout="constrained")
    x = np.sort(fake[np.isfinite(fake)])
    probs = (np.arange(1, len(x) + 1) - 0.5) / max(len(x), 1)
    theory = dist.ppf(probs)
    ax.plot(theory, x, ".", ms=2, color=FAKE, label="generated samples")
    span = view_grid(real, 2)[:, 0]
    lim = (float(span[0]), float(span[1]))
    ax.plot(lim, lim, color="black", ls="--", lw=1, label="y = x (perfect)")
    ax.set(
        title=f"Q-Q plot: generator vs {dist.label()}",
        xlabel="quantile of the real distribution",
        ylabel="generated sample quantile",
        xlim=lim,
        ylim=lim,
    )
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return fig


def animation_frames(frames: dict[str, np.ndarray], dist: Distribution) -> list[np.ndarray]:
    """One RGB image per snapshot: the final-state chart at that epoch, with the losses.
    The static parts are drawn once; each frame redraws only what changes (blitting)."""
    fig, ax = plt.subplots(figsize=(6.4, 4), dpi=80)
    fig.subplots_adjust(left=0.1, right=0.89, bottom=0.12, top=0.92)
    chart = _StateChart(ax, frames["grid"], dist)
    moving = [chart.bars, chart.d_line, chart.title]
    for artist in moving:
        artist.set_animated(True)
    fig.canvas.draw()
    background = fig.canvas.copy_from_bbox(fig.bbox)
    images = []
    for i, epoch in enumerate(frames["epoch"]):
        chart.show(
            frames["fake"][i],
            frames["d_grid"][i],
            f"epoch {int(epoch)}   loss_D {frames['loss_d'][i]:.3f}   loss_G {frames['loss_g'][i]:.3f}",
        )
        fig.canvas.restore_region(background)
        for artist in moving:
            fig.draw_artist(artist)
        images.append(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy())
    plt.close(fig)
    return images


def save_gif(images: list[np.ndarray], path: str | Path, ms_per_frame: int = 200) -> None:
    from PIL import Image

    pictures = [
        Image.fromarray(image).quantize(colors=64, method=Image.Quantize.MEDIANCUT) for image in images
    ]
    buffer = io.BytesIO()
    durations = [ms_per_frame] * (len(pictures) - 1) + [ms_per_frame * 8]
    pictures[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=durations,
        loop=0,
        optimize=False,
    )
    files.write_bytes(path, buffer.getvalue())
