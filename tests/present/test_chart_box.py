"""A chart's PNG reuses the tight box its readability measurement found, only while it is valid.

The shortcut (issue 16) must give the very bytes IPython's own "tight" print
gives, and must notice any change made to the figure after the measurement.
"""

from __future__ import annotations

import base64

from IPython.core.pylabtools import print_figure

from trygghet.present import style


def _chart(width: float = 10):
    style.apply_style()
    fig, ax = style.new_figure((width, 4))
    ax.bar(["a", "b", "c"], [1, 3, 2], label="staplar")
    ax.set_title("Titel")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5))
    return fig


def _tight_png(fig) -> bytes:
    """What IPython prints without the shortcut (measures the box itself), same PNG options."""
    size = style.smallest_text_image_px(fig)
    return print_figure(
        fig, "png", metadata={style.TEXT_SIZE_KEY: f"{size:.2f}"}, pil_kwargs=style.PNG_OPTIONS
    )


def test_measured_box_gives_the_same_png():
    fig = style.finish(_chart(), "example")
    assert style._measured_box(fig) is not None, "finish measured the finished figure"
    assert base64.b64decode(style.chart_png(fig)) == _tight_png(fig)


def test_a_change_after_measuring_is_seen():
    fig = style.mark_example(_chart(), "real")
    assert style._measured_box(fig) is not None
    fig.axes[0].set_xlabel("En lång axeltext som gör bilden bredare än förut " * 3)
    assert style._measured_box(fig) is None, "the change made the figure stale"
    assert base64.b64decode(style.chart_png(fig)) == _tight_png(fig)


def test_a_raise_after_the_last_measurement_drops_the_box():
    fig = _chart(16)
    fig.axes[0].tick_params(labelsize=4)
    fig.axes[0].text(0, 1, "liten", fontsize=4)
    style.readable_text(fig)  # raises the text, measures again; a box only if nothing moved
    assert base64.b64decode(style.chart_png(fig)) == _tight_png(fig)


def test_an_equal_aspect_chart_after_tight_layout_gives_the_same_png():
    """Printed without matplotlib's extra draw, axes whose place depends on their aspect."""
    style.apply_style()
    fig, ax = style.new_figure((10, 4))
    ax.plot([0, 5], [0, 1])
    ax.set_aspect("equal")
    ax.set_title("Karta")
    fig = style.finish(fig, "real")
    assert style._measured_box(fig) is not None
    assert base64.b64decode(style.chart_png(fig)) == _tight_png(fig)


def test_finish_without_a_first_measurement_still_reaches_the_measured_floor():
    """A chart wider than the page column: the floor from its width alone is too low, the
    measurement after the layout raises the rest and the layout is tightened around it."""
    import io

    from PIL import Image

    fig = _chart(16)
    fig.axes[0].tick_params(labelsize=5)
    fig = style.finish(fig, "real")
    png = base64.b64decode(style.chart_png(fig))
    width = Image.open(io.BytesIO(png)).size[0]
    assert width > style.SHOWN_WIDTH_PX
    assert style.smallest_text_image_px(fig) >= style.min_text_image_px(width)
    assert png == _tight_png(fig)


def test_room_kept_above_the_axes_is_in_the_measured_box():
    fig, axes = style.new_figure((11, 6.5))
    fig.clear()
    grid = fig.subplots(2, 3, sharey=True)
    for ax in grid.ravel():
        ax.bar([0, 1, 2], [3, 1, 2])
        ax.set_title("Ordningsstörning")
    style.finish(fig, "example", top=0.9)
    assert style._measured_box(fig) is not None  # printed as measured, not measured again
    assert base64.b64decode(style.chart_png(fig)) == _tight_png(fig)
    assert max(ax.get_position().y1 for ax in grid.ravel()) <= 0.9 + 1e-9


def test_a_constrained_layout_chart_is_measured_once_and_printed_as_laid_out():
    """Its engine placed it at the measuring draw: printed without a new layout, same bytes."""
    import matplotlib.pyplot as plt

    style.apply_style()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained",
                             gridspec_kw={"width_ratios": [5, 1.4]})  # fmt: skip
    plt.close(fig)
    axes[0].barh(["en fråga", "en annan fråga"], [0.4, 0.7])
    axes[1].barh(["", ""], [0.1, 0.2])
    axes[1].legend(["vet ej"], loc="center left", bbox_to_anchor=(1.05, 0.5))
    measured = []
    original = style._image_width_px
    try:
        style._image_width_px = lambda f: measured.append(f) or original(f)
        fig = style.finish(fig, "example")
    finally:
        style._image_width_px = original
    assert len(measured) == 1  # text raised before, so one measurement was enough
    assert style._measured_box(fig) is not None
    ours = _pixels(base64.b64decode(style.chart_png(fig)))
    assert fig.get_layout_engine() is not None  # the engine is back after printing
    # IPython's print lays the figure out once more, which moves the axes by ~1e-6 of
    # the figure: a text can land on the other side of a pixel's rounding and its
    # antialiasing differ by a few levels. Anything more (a clipped or moved part)
    # would differ in many pixels or by much more.
    theirs = _pixels(_tight_png(fig))
    assert ours.shape == theirs.shape
    difference = abs(ours.astype(int) - theirs.astype(int)).max(axis=2)
    assert difference.max() <= 8 and (difference > 0).mean() < 0.001


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)))
