"""Charts drawn as SVG at build time: no JavaScript, no third-party charting service."""

from __future__ import annotations

import datetime as dt
from html import escape

from socialmission.render.shaping import number as num

WIDTH = 640  # px
HEIGHT = 240  # px
MARGIN = 36  # px around the plot, for the axes' labels


def signatories_over_time(dates: list[dt.date], colour: str = "#1f7a3f") -> str:
    """A step line of the number of active signatories, from the first signature on."""
    title = "Signatories over time"
    if not dates:
        return _frame(title, '<text x="50%" y="50%" text-anchor="middle">No signatories '
                             'yet</text>')
    ordered = sorted(dates)
    start, end = ordered[0], max(ordered[-1], ordered[0] + dt.timedelta(days=1))
    span = (end - start).days
    top = len(ordered)
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def x(day: dt.date) -> str:
        return num(MARGIN + plot_w * (day - start).days / span)

    def y(count: int) -> str:
        return num(HEIGHT - MARGIN - plot_h * count / top)

    points = [f"M{x(start)} {y(0)}"]
    for count, day in enumerate(ordered, start=1):
        points.append(f"H{x(day)}V{y(count)}")
    points.append(f"H{x(end)}")
    axes = (f'<path d="M{MARGIN} {MARGIN}V{HEIGHT - MARGIN}H{WIDTH - MARGIN}" fill="none" '
            f'stroke="currentColor" stroke-opacity="0.5"/>')
    labels = (
        f'<text x="{MARGIN}" y="{HEIGHT - 12}">{start.isoformat()}</text>'
        f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 12}" text-anchor="end">'
        f'{end.isoformat()}</text>'
        f'<text x="{MARGIN - 6}" y="{MARGIN + 4}" text-anchor="end">{top}</text>'
        f'<text x="{MARGIN - 6}" y="{HEIGHT - MARGIN}" text-anchor="end">0</text>'
    )
    line = f'<path d="{"".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
    return _frame(f"{title}: {top} by {end.isoformat()}", axes + line + labels)


def bars(title: str, counts: list[tuple[str, int]], colour: str = "#1f7a3f") -> str:
    """Horizontal bars, largest first; labels are escaped text."""
    rows = counts[:15]
    row_h = 22
    height = MARGIN + row_h * max(len(rows), 1)
    top = max((n for _, n in rows), default=1)
    label_w = 180
    parts = []
    for index, (label, count) in enumerate(rows):
        y = 12 + index * row_h
        width = (WIDTH - label_w - 60) * count / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{num(width)}" height="15" '
            f'fill="{colour}"/>'
            f'<text x="{num(label_w + width + 6)}" y="{y + 15}">{count}</text>')
    return _frame(title, "".join(parts), height)


def _frame(title: str, body: str, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}" '
            f'font-family="system-ui,sans-serif" font-size="12" fill="currentColor">'
            f"<title>{escape(title)}</title>{body}</svg>\n")
