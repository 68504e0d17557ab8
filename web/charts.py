"""Bar charts of a query's hits per report year and per province, as geometry for the SVG templates.

Charts are drawn at their real size in CSS pixels (never scaled by a viewBox), so their
text stays readable on a phone; the province chart comes in a wide and a compact width.
"""
import math

from .links import cleared_below
from .state import url

# The per-year column charts: two side by side on a desktop, one above the other on a phone.
COLUMN_SIZE = (320, 200)
COLUMN_MARGINS = {"top": 22, "right": 6, "bottom": 26, "left": 36}
# Pixels a year label needs; narrower slots label only every few years.
YEAR_LABEL_PX = 34
# Pixels a count above a column needs; narrower slots leave the count to the bar's tooltip.
VALUE_LABEL_PX = 18
# Share of a slot a column fills; the rest separates the columns.
COLUMN_FILL = 0.62
# Gridlines of a column chart, at most.
MAX_TICKS = 4

# The ranked province chart: one row per province, in two widths (desktop, phone).
RANK_WIDTHS = {"wide": 640, "compact": 320}
RANK_ROW_PX = 28
RANK_BAR_PX = 16
# Width of one CJK character at the chart's 13 px font, and the longest name given room (新疆维吾尔自治区).
CHAR_PX = 13
LONGEST_NAME = 8
# Room for the "1234 段 · 56 篇" text after a bar.
VALUE_TEXT_PX = 104


def nice_step(top, ticks=MAX_TICKS):
    """Return a round gridline step (1, 2 or 5 times a power of ten) giving at most `ticks` steps up to top."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return max(1, round(step))


def year_rows(year_facet, state, path):
    """Return one row per year from the first to the last year with hits, gaps as zero rows."""
    found = {int(row["value"]): row for row in year_facet}
    if not found:
        return []
    rows = []
    for year in range(min(found), max(found) + 1):
        row = found.get(year)
        rows.append({
            "label": str(year),
            "paragraphs": row["count"] if row else 0,
            "reports": row["reports"] if row else 0,
            "selected": bool(row and row["selected"]),
            "url": url(path, state.with_filter("year", [str(year)])) if row else None,
        })
    return rows


def column_chart(rows, measure, unit, size=COLUMN_SIZE, margins=COLUMN_MARGINS):
    """Return the geometry of a column chart of rows[measure] per row label: bars, gridlines, labels."""
    width, height = size
    plot_w = width - margins["left"] - margins["right"]
    plot_h = height - margins["top"] - margins["bottom"]
    baseline = margins["top"] + plot_h
    step = nice_step(max((row[measure] for row in rows), default=0))
    axis_max = max(step, math.ceil(max((row[measure] for row in rows), default=0) / step) * step)
    slot = plot_w / max(len(rows), 1)
    bar_w = max(2.0, slot * COLUMN_FILL)
    every = math.ceil(YEAR_LABEL_PX / slot)
    bars = []
    for i, row in enumerate(rows):
        h = row[measure] / axis_max * plot_h
        left = margins["left"] + i * slot
        bars.append({
            "x": round(left + (slot - bar_w) / 2, 1), "y": round(baseline - h, 1),
            "w": round(bar_w, 1), "h": round(h, 1), "cx": round(left + slot / 2, 1),
            "value": row[measure], "show_value": slot >= VALUE_LABEL_PX and row[measure] > 0,
            "label": row["label"], "show_label": i % every == 0,
            "url": row["url"], "selected": row["selected"],
            "title": f"{row['label']} 年：{row[measure]} {unit}",
        })
    ticks = [{"y": round(baseline - v / axis_max * plot_h, 1), "value": v} for v in range(0, axis_max + 1, step)]
    return {"width": width, "height": height, "left": margins["left"], "right": width - margins["right"],
            "baseline": baseline, "bars": bars, "ticks": ticks, "label_y": baseline + 18}


def province_rows(province_values, state, path):
    """Return the province facet values, most hits first, each linking to the search in that province."""
    return [{"label": row["value"], "paragraphs": row["count"], "reports": row["reports"],
             "selected": row["selected"],
             "url": url(path, state.changed(filters=cleared_below(state.filters, "province"))
                        .with_filter("province", [row["value"]]))}
            for row in province_values]


def rank_chart(rows, width):
    """Return the geometry of a ranked horizontal bar chart of paragraphs per row, at one width."""
    label_w = CHAR_PX * min(max((len(row["label"]) for row in rows), default=1), LONGEST_NAME) + 10
    bar_area = width - label_w - VALUE_TEXT_PX
    top = max((row["paragraphs"] for row in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        w = max(2.0, row["paragraphs"] / top * bar_area)
        y = i * RANK_ROW_PX
        bars.append(dict(row, y=y, bar_y=y + (RANK_ROW_PX - RANK_BAR_PX) / 2, w=round(w, 1),
                         text_y=y + RANK_ROW_PX / 2, value_x=round(label_w + w + 6, 1),
                         title=f"{row['label']}：{row['paragraphs']} 段，{row['reports']} 篇报告"))
    return {"width": width, "height": len(rows) * RANK_ROW_PX + 2, "label_w": label_w,
            "label_x": label_w - 8, "bar_h": RANK_BAR_PX, "bars": bars}


def trends(facets, state, path):
    """Return every chart of the trends page: per-year paragraphs and reports, provinces in two widths."""
    years = year_rows(facets["year"], state, path)
    provinces = province_rows(facets["region"]["levels"][0]["values"], state, path)
    return {
        "years": years,
        "year_paragraphs": column_chart(years, "paragraphs", "段") if years else None,
        "year_reports": column_chart(years, "reports", "篇报告") if years else None,
        "provinces": provinces,
        "province_charts": {name: rank_chart(provinces, width) for name, width in RANK_WIDTHS.items()}
        if provinces else None,
    }
