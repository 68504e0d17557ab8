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
# Room for the "20.7%（12/58 篇 · 30 段）" text after a bar.
VALUE_TEXT_PX = 176


def nice_step(top, ticks=MAX_TICKS):
    """Return a round gridline step (1, 2 or 5 times a power of ten) giving at most `ticks` steps up to top."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return max(1, round(step))


def share(part, whole):
    """Return part of whole in percent, one decimal (0 when whole is 0)."""
    return round(100 * part / whole, 1) if whole else 0.0


def year_rows(year_facet, totals, state, path, other=None):
    """Return one row per year from the first to the last year with hits, gaps as zero rows.

    totals maps each year to how many reports of it the corpus holds under the same filters;
    other is a second query's year facet, compared with the first.
    """
    found = {int(row["value"]): row for row in year_facet}
    compared = {int(row["value"]): row for row in other or ()}
    if not found and not compared:
        return []
    rows = []
    for year in range(min({**found, **compared}), max({**found, **compared}) + 1):
        row, second, total = found.get(year), compared.get(year), totals.get(str(year), 0)
        reports = row["reports"] if row else 0
        rows.append({
            "label": str(year),
            "paragraphs": row["count"] if row else 0,
            "reports": reports, "total": total, "share": share(reports, total),
            "other_reports": second["reports"] if second else 0,
            "other_paragraphs": second["count"] if second else 0,
            "other_share": share(second["reports"] if second else 0, total),
            "selected": bool(row and row["selected"]),
            "url": url(path, state.with_filter("year", [str(year)])) if row else None,
        })
    return rows


def column_chart(rows, series, size=COLUMN_SIZE, margins=COLUMN_MARGINS):
    """Return the geometry of a column chart: per row label one column per series, gridlines and labels.

    series are (measure, css class, title of a bar given its row, how a value is printed), one
    after the other within a row's slot.
    """
    width, height = size
    plot_w = width - margins["left"] - margins["right"]
    plot_h = height - margins["top"] - margins["bottom"]
    baseline = margins["top"] + plot_h
    top = max((row[measure] for row in rows for measure, *_ in series), default=0)
    step = nice_step(top)
    axis_max = max(step, math.ceil(top / step) * step)
    slot = plot_w / max(len(rows), 1)
    bar_w = max(2.0, slot * COLUMN_FILL / len(series))
    every = math.ceil(YEAR_LABEL_PX / slot)
    bars = []
    for i, row in enumerate(rows):
        left = margins["left"] + i * slot + (slot - bar_w * len(series)) / 2
        for place, (measure, css, title, printed) in enumerate(series):
            h = row[measure] / axis_max * plot_h
            x = left + place * bar_w
            bars.append({
                "x": round(x, 1), "y": round(baseline - h, 1), "w": round(bar_w, 1), "h": round(h, 1),
                "cx": round(x + bar_w / 2, 1), "css": css,
                "value": printed(row[measure]),
                "show_value": len(series) == 1 and slot >= VALUE_LABEL_PX and row[measure] > 0,
                "label": row["label"], "label_x": round(margins["left"] + i * slot + slot / 2, 1),
                "show_label": place == 0 and i % every == 0,
                "url": row["url"], "selected": row["selected"], "title": title(row),
            })
    ticks = [{"y": round(baseline - v / axis_max * plot_h, 1), "value": v} for v in range(0, axis_max + 1, step)]
    return {"width": width, "height": height, "left": margins["left"], "right": width - margins["right"],
            "baseline": baseline, "bars": bars, "ticks": ticks, "label_y": baseline + 18}


def percent(value):
    """Return a share as printed above its column: 20.7 → 21%."""
    return f"{round(value)}%"


def province_rows(province_values, totals, state, path, other_values=None):
    """Return the provinces either query finds, largest share of their reports first, each linking to the search there.

    other_values are a second query's province facet values, compared with the first.
    """
    found = {row["value"]: row for row in province_values}
    compared = {row["value"]: row for row in other_values or ()}
    rows = []
    for name in {**found, **compared}:
        row, second, total = found.get(name), compared.get(name), totals.get(name, 0)
        rows.append({"label": name, "paragraphs": row["count"] if row else 0, "reports": row["reports"] if row else 0,
                     "total": total, "share": share(row["reports"] if row else 0, total),
                     "other_reports": second["reports"] if second else 0,
                     "other_paragraphs": second["count"] if second else 0,
                     "other_share": share(second["reports"] if second else 0, total),
                     "selected": bool(row and row["selected"]),
                     "url": url(path, state.changed(filters=cleared_below(state.filters, "province"))
                                .with_filter("province", [name]))})
    return sorted(rows, key=lambda row: (-row["share"], -row["other_share"], -row["reports"], row["label"]))


def rank_text(row, second):
    """Return what a province's row says after its bars, and its tooltip (with the second query's share when
    compared, second being its text)."""
    if not second:
        return (f"{row['share']:g}%（{row['reports']}/{row['total']} 篇 · {row['paragraphs']} 段）",
                f"{row['label']}：{row['reports']} / {row['total']} 篇报告提及（{row['share']:g}%），{row['paragraphs']} 段")
    return (f"{row['share']:g}% / {row['other_share']:g}%（{row['total']} 篇）",
            f"{row['label']}：{row['reports']} / {row['total']} 篇报告提及前一个检索词（{row['share']:g}%），"
            f"{row['other_reports']} 篇提及“{second}”（{row['other_share']:g}%）")


def rank_chart(rows, width, second=""):
    """Return the geometry of a ranked horizontal bar chart of each row's share of its reports, at one width;
    with second (the compared query), each row's second bar is that query's share."""
    label_w = CHAR_PX * min(max((len(row["label"]) for row in rows), default=1), LONGEST_NAME) + 10
    bar_area = width - label_w - VALUE_TEXT_PX
    measures = (("share", "series-1"), ("other_share", "series-2")) if second else (("share", "series-1"),)
    top = max((row[measure] for row in rows for measure, _css in measures), default=0) or 1
    bar_h = RANK_BAR_PX / len(measures)
    bars = []
    for i, row in enumerate(rows):
        y = i * RANK_ROW_PX
        first_y = y + (RANK_ROW_PX - RANK_BAR_PX) / 2
        segments = [{"y": round(first_y + place * bar_h, 1), "w": round(max(2.0, row[measure] / top * bar_area), 1),
                     "css": css} for place, (measure, css) in enumerate(measures)]
        text, title = rank_text(row, second)
        bars.append(dict(row, y=y, segments=segments, text_y=y + RANK_ROW_PX / 2, text=text, title=title,
                         value_x=round(label_w + max(segment["w"] for segment in segments) + 6, 1)))
    return {"width": width, "height": len(rows) * RANK_ROW_PX + 2, "label_w": label_w,
            "label_x": label_w - 8, "bar_h": round(bar_h, 1), "row_h": RANK_BAR_PX, "bars": bars}


def counts_by(facet_rows):
    """Return {value: reports} of a facet's rows: how many reports each value holds."""
    return {row["value"]: row["reports"] for row in facet_rows}


def trends(facets, totals, state, path, other=None):
    """Return every chart of the trends page: per-year shares and paragraphs, provinces in two widths.

    totals is the facets object of every report under the same filters (the denominators);
    other, a second query's results object for the comparison, with its query text.
    """
    years = year_rows(facets["year"], counts_by(totals["year"]), state, path,
                      other["facets"]["year"] if other else None)
    provinces = province_rows(facets["region"]["levels"][0]["values"], counts_by(totals["region"]["levels"][0]["values"]),
                              state, path, other["facets"]["region"]["levels"][0]["values"] if other else None)
    first = state.q or "检索"
    shares = [("share", "series-1", lambda row: f"{row['label']} 年：{row['reports']} / {row['total']} 篇报告提及"
                                                f"{'“' + first + '”' if other else ''}（{row['share']:g}%）", percent)]
    if other:
        second = other["query"]
        shares.append(("other_share", "series-2",
                       lambda row: f"{row['label']} 年：{row['other_reports']} / {row['total']} 篇报告提及“{second}”"
                                   f"（{row['other_share']:g}%）", percent))
    return {
        "years": years,
        "year_shares": column_chart(years, shares) if years else None,
        "year_paragraphs": column_chart(years, [("paragraphs", "series-1", lambda row: f"{row['label']} 年：{row['paragraphs']} 段", str)])
        if years and not other else None,
        "provinces": provinces,
        "province_charts": {name: rank_chart(provinces, width, other["query"] if other else "")
                            for name, width in RANK_WIDTHS.items()} if provinces else None,
        "compared": other["query"] if other else "",
    }
