"""Charts drawn at build time: no JavaScript, no third-party charting service.

Every label is HTML text beside the drawing, never SVG text inside it: an SVG scaled down
to a phone's width scales its text with it (12 px labels in a 640 px chart were 6 px at
390 px), while HTML text keeps the page's size. Only the lines and bars are SVG, drawn in
a coordinate box that stretches to the width it is given; their strokes keep their width
(`vector-effect`). Every label is escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from itertools import accumulate

from socialmission.render.shaping import number as num

PLOT_W = 1000  # user units across the timeline's plot: it is stretched to any width
PLOT_H = 200  # user units down the plot; shown 12rem high (registry.css)
PAD = 4  # user units above the top gridline and below zero, so a 2.5 px line is not cut
# User units right of the last day: the last level's run. At 20 (2 %) a step on the last
# day showed one dash of the dashed line at a phone's width, as if it were cut off.
END_PAD = 60
BAR_ROWS = 15  # bars drawn; the rest are counted in a note under them
GRID_INTERVALS = 5  # at most this many intervals between the gridlines, 0 to the top
GRID_MANTISSAS = (1, 2, 5)  # a gridline step is one of these times a power of ten


def grid_step(top: int) -> int:
    """The gridlines' step for counts up to `top`: the smallest of 1, 2, 5, 10, 20, 50,
    100, ... (1, 2 or 5 times a power of ten) that takes at most GRID_INTERVALS steps
    from 0 to `top` or past it."""
    power = 1
    while True:
        for mantissa in GRID_MANTISSAS:
            step = mantissa * power
            if step * GRID_INTERVALS >= top:
                return step
        power *= 10


def gridlines(top: int) -> list[int]:
    """The gridlines' values, 0 first: every grid_step(top) up to the first one at or
    above `top` (which is the plot's top)."""
    step = grid_step(top)
    return list(range(0, -(-max(top, 1) // step) * step + 1, step))


def _steps(days: list[dt.date], deltas: list[int]) -> list[tuple[dt.date, int]]:
    """(day, count from that day on) for counts that change by `deltas` on `days`."""
    events = sorted(zip(days, deltas, strict=True))
    merged: dict[dt.date, int] = {}
    for day, delta in events:
        merged[day] = merged.get(day, 0) + delta
    return list(zip(merged, accumulate(merged.values()), strict=True))


def signatories_over_time(signed: list[dt.date], withdrawn: list[dt.date]) -> str:
    """Two step lines from the first signature on: how many have signed (withdrawn ones
    included), and how many of them are still active (signed and not withdrawn)."""
    if not signed:
        return '<p class="sm-chart-empty">No signatories yet.</p>'
    start = min(signed)
    end = max(*signed, *withdrawn, start + dt.timedelta(days=1))
    span = (end - start).days
    signed_count = len(signed)
    grid = gridlines(signed_count)
    top = grid[-1]  # the plot's top: the highest gridline, at or above every count
    every = _steps(signed, [1] * len(signed))
    active = _steps(signed + withdrawn, [1] * len(signed) + [-1] * len(withdrawn))

    def x(day: dt.date) -> str:
        return num((PLOT_W - END_PAD) * (day - start).days / span)

    def y(count: int) -> str:
        return num(PLOT_H - PAD - (PLOT_H - 2 * PAD) * count / top)

    def line(steps: list[tuple[dt.date, int]], css: str) -> str:
        points = [f"M0 {y(0)}"] + [f"H{x(day)}V{y(count)}" for day, count in steps]
        return (f'<path class="{css}" d="{"".join(points)}H{PLOT_W}" fill="none" '
                f'vector-effect="non-scaling-stroke"/>')

    still = active[-1][1]
    summary = (f"Signatories over time, {start.isoformat()} to {end.isoformat()}: "
               f"{signed_count} signed, {still} still active")
    rules = "".join(f"M0 {y(value)}H{PLOT_W}" for value in grid[1:])
    # the labels, top first, each centred on its gridline (registry.css)
    labels = "".join(f"<span>{value}</span>" for value in reversed(grid))
    plot = (f'<svg class="sm-timeline__plot" viewBox="0 0 {PLOT_W} {PLOT_H}" '
            f'preserveAspectRatio="none" role="img" aria-label="{escape(summary)}">'
            f"<title>{escape(summary)}</title>"
            f'<path class="sm-grid" d="{rules}" fill="none" '
            f'vector-effect="non-scaling-stroke"/>'
            f'<path class="sm-axis" d="M0 0V{PLOT_H}H{PLOT_W}" fill="none" '
            f'vector-effect="non-scaling-stroke"/>'
            # the dashed line on top: where the two are equal, both show
            f'{line(active, "sm-line sm-line--active")}{line(every, "sm-line sm-line--signed")}'
            f"</svg>")
    return (f'<div class="sm-timeline">'
            f'<div class="sm-timeline__y" aria-hidden="true">{labels}</div>{plot}'
            f'<div class="sm-timeline__x" aria-hidden="true">'
            f'<span>{start.isoformat()}</span><span>{end.isoformat()}</span></div></div>'
            f'<ul class="sm-legend">'
            f'<li><span class="sm-swatch sm-swatch--signed"></span>Signed: every signature '
            f"so far, withdrawn ones included ({signed_count})</li>"
            f'<li><span class="sm-swatch sm-swatch--active"></span>Still active: signed '
            f"and not withdrawn ({still})</li></ul>")


def bars(title: str, counts: list[tuple[str, int]], what: str) -> str:
    """Horizontal bars, in the order given (largest first), the first BAR_ROWS of them;
    `what` names the rows in the note on those left out ("countries")."""
    if not counts:
        return '<p class="sm-chart-empty">None yet.</p>'
    rows = counts[:BAR_ROWS]
    top = max(n for _, n in rows)
    items = "".join(
        f'<li><span class="sm-bars__label" dir="auto">{escape(label)}</span>'
        f'<svg class="sm-bars__bar" width="100%" height="16" aria-hidden="true" '
        f'focusable="false"><rect class="sm-bar" width="{num(100 * count / top)}%" '
        f'height="16"/></svg><span class="sm-bars__count">{count}</span></li>'
        for label, count in rows)
    rest = counts[BAR_ROWS:]
    note = "" if not rest else (
        f'<p class="sm-bars__rest">{len(rest)} more {escape(what)}, with '
        f"{sum(n for _, n in rest)} between them, are not drawn.</p>")
    return f'<ol class="sm-bars" aria-label="{escape(title)}">{items}</ol>{note}'
