from gan.report import figures
from gan.stats import evaluation
from gan.stats.distributions import Mixture

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from scipy import stats

N01 = Mixture((0.0,), (1.0,), (1.0,))


@pytest.fixture
def history():
    epochs = np.arange(0, 101, 10)
    return pd.DataFrame(
        {
            "loss_d": np.linspace(2, 1.39, 11),
            "loss_g": np.linspace(-2, -0.69, 11),
            "kl_divergence": np.geomspace(1, 0.01, 11),
        },
        index=pd.Index(epochs, name="epoch"),
    )


def test_loss_and_kl_history_plot_the_logged_values(history):
    fig = figures.loss_history(history)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    np.testing.assert_array_equal(lines["discriminator loss"].get_ydata(), history["loss_d"])
    np.testing.assert_array_equal(lines["generator loss"].get_xdata(), history.index)
    fig = figures.kl_history(history)
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_ydata(), history["kl_divergence"])
    assert fig.axes[0].get_yscale() == "log"


def test_final_state_draws_pdf_density_and_d(tmp_path):
    grid = np.linspace(-4, 4, 201)
    d_grid = 0.5 + 0.1 * np.sin(grid)
    fake = np.random.default_rng(0).normal(size=5000)
    fig = figures.final_state(fake, grid, d_grid, N01)
    ax, twin = fig.axes
    pdf = next(line for line in ax.get_lines() if "pdf" in line.get_label())
    np.testing.assert_allclose(pdf.get_ydata(), stats.norm.pdf(grid))
    np.testing.assert_array_equal(twin.get_lines()[0].get_ydata(), d_grid)
    heights = ax.patches[0].get_data().values
    width = 8 / 60
    assert np.sum(heights) * width == pytest.approx(1.0, rel=0.01)  # a density
    figures.save(fig, tmp_path / "f.png")
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"


def test_qq_plots_sorted_samples_against_normal_quantiles():
    fake = np.random.default_rng(1).normal(2.0, 0.5, size=400)
    points = figures.qq(fake, fake, Mixture((2.0,), (0.5,), (1.0,))).axes[0].get_lines()[0]
    np.testing.assert_array_equal(points.get_ydata(), np.sort(fake))
    assert np.corrcoef(points.get_xdata(), points.get_ydata())[0, 1] > 0.99


def test_animation_has_one_distinct_frame_per_snapshot(tmp_path):
    grid = np.linspace(-4, 4, 201, dtype=np.float32)
    rng = np.random.default_rng(2)
    frames = {
        "epoch": np.array([0, 10, 20]),
        "grid": grid,
        "fake": np.stack([rng.normal(m, 1, 300) for m in (-2, 0, 2)]),
        "d_grid": np.stack([np.full(201, v) for v in (0.2, 0.5, 0.8)]),
        "loss_d": np.array([2.0, 1.5, 1.39]),
        "loss_g": np.array([-2.0, -1.0, -0.69]),
    }
    images = figures.animation_frames(frames, N01)
    assert len(images) == 3 and len({im.shape for im in images}) == 1
    assert not np.array_equal(images[0], images[1])
    figures.save_gif(images, tmp_path / "a.gif")
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 3


def test_figures_survive_a_collapsed_or_broken_generator():
    real = np.random.default_rng(0).normal(size=100)
    for fake in (np.zeros(100), np.array([np.nan] * 10 + [0.0] * 10)):
        figures.density(real, fake, N01)
        figures.qq(fake, real, N01)


def test_the_verdict_and_flags_head_the_figures():
    good = {"indistinguishable": True, "p_value": 0.73}
    bad = {"indistinguishable": False, "p_value": 0.001, "discriminator_blind": True}
    assert figures.verdict(good) == (
        "verdict: indistinguishable from the real distribution (p = 0.730)",
        "tab:green",
    )
    text, colour = figures.verdict(bad)
    assert "DISTINGUISHABLE" in text and "BLIND D" in text and colour == "tab:red"
    fig = figures.stamp(figures.qq(np.zeros(10), np.linspace(-1, 1, 10), N01), bad)
    assert fig.get_suptitle().replace("\n", " ") == text  # on as many lines as it needs
    two = {**good, "modes": 2, "modes_captured": 1}
    assert "; modes 1 of 2" in figures.verdict(two)[0]


def test_a_mixtures_modes_are_drawn_as_bands():
    mixture = Mixture((-2.0, 2.0), (0.5, 0.5), (0.5, 0.5))
    fig = figures.density(mixture.sample(500, np.random.default_rng(0))[:, 0], np.zeros(10), mixture)
    spans = sorted(round(p.get_x(), 6) for p in fig.axes[0].patches if p.get_alpha() == 0.08)
    assert spans == [-3.5, 0.5]  # each mode's mean - 3 std


def cut_off(fig) -> bool:
    """Whether anything the figure draws (matplotlib's tight box of it, as saved) reaches
    beyond its edges."""
    fig.canvas.draw()
    drawn, edges = fig.get_tightbbox(fig.canvas.get_renderer()), fig.bbox_inches
    tolerance = 0.01  # inches
    return not (
        drawn.x0 >= edges.x0 - tolerance
        and drawn.y0 >= edges.y0 - tolerance
        and drawn.x1 <= edges.x1 + tolerance
        and drawn.y1 <= edges.y1 + tolerance
    )


def test_the_longest_verdict_fits_on_every_figure(history):
    """Every flag raised and the run distinguishable: the headline wraps inside even the
    5.5-inch Q-Q plot (550 px), and every other text stays inside too."""
    worst = {"indistinguishable": False, "p_value": 0.001, **dict.fromkeys(evaluation.FLAGS, True)}
    grid = np.linspace(-4, 4, 201)
    fake = np.random.default_rng(0).normal(size=1000)
    drawn = {
        "qq": figures.qq(fake, fake, N01),
        "density": figures.density(fake, fake, N01),
        "loss_history": figures.loss_history(history),
        "kl_history": figures.kl_history(history),
        "final_state": figures.final_state(fake, grid, np.full(201, 0.5), N01),
        "discriminator_outputs": figures.discriminator_outputs(
            fake, fake, grid, np.full(201, 0.5), fake, blind=True
        ),
    }
    for name, fig in drawn.items():
        stamped = figures.stamp(fig, worst)
        assert "COLLAPSE" in stamped.get_suptitle() and "OFF THE MODES" in stamped.get_suptitle(), name
        assert not cut_off(stamped), name


def test_a_blind_discriminator_is_drawn_as_one_and_d_is_shown_over_x():
    grid = np.linspace(-4, 4, 201)
    real = np.random.default_rng(0).normal(size=100)
    flat = np.full(201, 0.5)
    fig = figures.discriminator_outputs(flat[:100], flat[:100], grid, flat, real, blind=True)
    curve = fig.axes[1]
    assert curve.get_title().startswith("BLIND") and "1/2: D cannot tell" not in str(
        [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    )
    np.testing.assert_array_equal(curve.get_lines()[0].get_ydata(), flat)


def test_samples_beyond_the_axis_are_counted_not_hidden():
    grid = np.linspace(-4, 4, 201)
    fake = np.concatenate([np.random.default_rng(0).normal(size=900), np.full(100, 9.0)])
    title = figures.final_state(fake, grid, np.full(201, 0.5), N01).axes[0].get_title()
    assert "10.0% of the samples lie beyond the axis" in title
    inside = figures.final_state(fake[:900].clip(-3, 3), grid, np.full(201, 0.5), N01)
    assert "beyond" not in inside.axes[0].get_title()
