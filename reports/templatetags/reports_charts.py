"""Accessible, server-rendered SVG charts drawn from report tables.

Hand-written rather than a charting library: the charts are two simple shapes, must work with
no JavaScript under a strict CSP, and must print in WeasyPrint, which rules out the JS ones.
Each chart has role="img", a <title> and <desc>, and the page shows its data table with it.
"""

from django import template

register = template.Library()

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 22, 8, 300, 680
LABEL_CHARS = 38  # what fits in LABEL_WIDTH at 14px


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


@register.inclusion_tag("reports/includes/bar_chart.html")
def bar_chart(table, label_columns, value_column, chart_id, title, maximum=None, unit=""):
    """Horizontal bars, one per row of ``table`` with a numeric ``value_column``."""
    labels = [c.strip() for c in label_columns.split(",")]
    labels = [table.columns[int(c)] if c.isdigit() else c for c in labels]
    bars, top = [], GAP
    values = [_number(v) for v in table.column(value_column)]
    scale_max = float(maximum) if maximum else max([v for v in values if v] or [1])
    plot = CHART_WIDTH - LABEL_WIDTH - 70
    for row, value in zip(table.rows, values, strict=True):
        parts = [str(row[table.columns.index(c)]) for c in labels]
        parts = [p for p in parts if p not in ("", "Whole course")]
        # Under a course's bar, its modules read as indented items; otherwise "Group: Module".
        label = f"– {parts[-1]}" if labels[0] == "Course" and len(parts) > 1 else ": ".join(parts)
        label = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        width = 0 if value is None else max(plot * value / scale_max, 1 if value else 0)
        bars.append(
            {
                "label": label,
                "y": top,
                "text_y": top + BAR_HEIGHT * 0.7,
                "width": round(width, 1),
                "value": "n/a" if value is None else f"{value:g}{unit}",
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
        top += BAR_HEIGHT + GAP
    return {
        "chart_id": chart_id,
        "title": title,
        "desc": f"Bar chart of {value_column.lower()} by {', '.join(labels).lower()}; "
        "the same figures are in the table that follows.",
        "bars": bars,
        "width": CHART_WIDTH,
        "height": top + GAP,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
    }


@register.inclusion_tag("reports/includes/column_chart.html")
def column_chart(table, label_column, value_columns, chart_id, title):
    """Grouped columns per row (e.g. per month) for one or two numeric series."""
    series = [c.strip() for c in value_columns.split(",")]
    count = max(len(table.rows), 1)
    height, bottom, left = 220, 190, 40
    slot = (CHART_WIDTH - left - 10) / count
    width = max(slot / (len(series) + 1), 2)
    peak = max([v for s in series for v in table.column(s) if isinstance(v, int | float)] or [1])
    peak = peak or 1
    columns, labels = [], []
    for n, row in enumerate(table.rows):
        x = left + n * slot
        for m, name in enumerate(series):
            value = row[table.columns.index(name)]
            h = (bottom - 20) * (value or 0) / peak
            columns.append(
                {
                    "x": round(x + m * width + width / 2, 1),
                    "y": round(bottom - h, 1),
                    "width": round(width, 1),
                    "height": round(h, 1),
                    "series": m,
                    "label": f"{row[table.columns.index(label_column)]}: {value} {name.lower()}",
                }
            )
        month = str(row[table.columns.index(label_column)])
        labels.append({"x": round(x + slot / 2, 1), "text": month[:3]})
    return {
        "chart_id": chart_id,
        "title": title,
        "desc": f"Column chart of {' and '.join(s.lower() for s in series)} by "
        f"{label_column.lower()}, highest {peak}; the same figures are in the table that follows.",
        "columns": columns,
        "labels": labels,
        "legend": [
            {"name": name, "series": m, "x": left + m * 180} for m, name in enumerate(series)
        ],
        "width": CHART_WIDTH,
        "height": height + 20,
        "bottom": bottom,
        "left": left,
        "peak": peak,
    }
