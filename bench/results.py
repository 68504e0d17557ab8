"""Render benchmark results: the side-by-side table per corpus size and bench/RESULTS.md."""

# The targets, stated for a 100,000-paragraph corpus: judged there, shown at every size.
TARGET_SIZE = 100_000
MIN_THROUGHPUT_RATIO = 2.0  # full rebuild, cleaning included, against the usual setup
MAX_CHANGED_ONE_S = 3.0  # one report changed: index updated
MAX_NOTHING_CHANGED_S = 1.0
MAX_P95_MS = 50.0  # query mix with all facets and snippets through GET /api/search
MIN_QUERY_SPEEDUP = 10.0  # p95 against the usual setup with facets
MAX_SERVER_MB = 500.0
MAX_FIRST_QUERY_S = 3.0


def seconds(value):
    """Format a duration in seconds."""
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def run_seconds(run):
    """Format the time of a measured run, saying when it was stopped at its bound."""
    if run["timed_out"]:
        return f"> {run['seconds']:.0f} s (stopped)"
    return seconds(run["seconds"])


def ms(value):
    """Format a latency in milliseconds."""
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def mb(value):
    """Format a memory size in MB."""
    return f"{value:.0f} MB"


def speed(ours, usual):
    """Say how much faster ours is, from two durations (or how much slower)."""
    if not ours or not usual:
        return ""
    return f"{usual / ours:.1f}× faster" if usual >= ours else f"{ours / usual:.1f}× slower"


def verdict(met, judged=True):
    """Return the met / not met cell, or say that this size is not the one the targets are for."""
    if not judged:
        return f"(at {TARGET_SIZE:,})"
    return "**met**" if met else "**not met**"


def latency_triple(summary):
    """Format p50 / p95 / max of a latency summary."""
    return " / ".join(ms(summary[key]) for key in ("p50", "p95", "max"))


def size_rows(result):
    """Return the table rows (measure, ours, usual, comparison, target, met) of one corpus size."""
    ours, usual = result["ours"], result["usual"]
    full, usual_build = ours["full"], usual["build"]
    ours_rate = result["chars"] / full["seconds"]
    usual_rate = result["chars"] / usual_build["seconds"]
    mix, facets, plain = ours["mix"], usual["facets"]["mix"], usual["plain"]["mix"]
    changed, again, stale = ours["changed_one"], ours["nothing_changed"], ours["if_stale"]
    rss, pss = ours["server_rss_mb"], ours["server_pss_mb"]
    judged = result["size"] == TARGET_SIZE
    return [
        ("Full rebuild from raw: wall time", seconds(full["seconds"]), seconds(usual_build["seconds"]),
         speed(full["seconds"], usual_build["seconds"]), "", ""),
        ("Full rebuild: throughput (characters of raw pages / s)", f"{ours_rate:,.0f}",
         f"{usual_rate:,.0f}", f"{ours_rate / usual_rate:.2f}×",
         f"≥ {MIN_THROUGHPUT_RATIO:g}× the usual",
         verdict(ours_rate >= MIN_THROUGHPUT_RATIO * usual_rate, judged)),
        ("Full rebuild: peak memory", mb(full["peak_mb"]), mb(usual_build["peak_mb"]), "", "", ""),
        ("Rebuild after changing one report (`rebuild`)", run_seconds(changed), "—", "",
         f"< {MAX_CHANGED_ONE_S:g} s",
         verdict(not changed["timed_out"] and changed["seconds"] < MAX_CHANGED_ONE_S, judged)),
        ("Rebuild with nothing changed (`rebuild`)", run_seconds(again), "—", "",
         f"< {MAX_NOTHING_CHANGED_S:g} s",
         verdict(not again["timed_out"] and again["seconds"] < MAX_NOTHING_CHANGED_S, judged)),
        ("Rebuild with nothing changed (`rebuild --if-stale`)", run_seconds(stale), "—", "",
         f"< {MAX_NOTHING_CHANGED_S:g} s",
         verdict(not stale["timed_out"] and stale["seconds"] < MAX_NOTHING_CHANGED_S, judged)),
        ("Query mix p50 (usual: facets + highlights)", ms(mix["p50"]), ms(facets["p50"]),
         speed(mix["p50"], facets["p50"]), "", ""),
        ("Query mix p95, near-identical hits folded (usual: facets + highlights)", ms(mix["p95"]), ms(facets["p95"]),
         speed(mix["p95"], facets["p95"]),
         f"≤ {MAX_P95_MS:g} ms and ≥ {MIN_QUERY_SPEEDUP:g}× faster",
         verdict(mix["p95"] <= MAX_P95_MS and facets["p95"] >= MIN_QUERY_SPEEDUP * mix["p95"], judged)),
        ("Query mix max (usual: facets + highlights)", ms(mix["max"]), ms(facets["max"]),
         speed(mix["max"], facets["max"]), "", ""),
        ("Query mix p50 / p95 / max (usual: highlights, no facets)", latency_triple(mix),
         latency_triple(plain), speed(mix["p95"], plain["p95"]) + " (p95)", "", ""),
        # PSS counts a page the master and its workers share once, as the machine holds it;
        # the RSS sum counts it in every process (jieba's dictionary three times over).
        ("Server memory after the mix: PSS sum (RSS sum)", f"{mb(pss)} ({mb(rss)})",
         mb(usual["facets"]["rss_mb"]), "", f"≤ {MAX_SERVER_MB:g} MB", verdict(pss <= MAX_SERVER_MB, judged)),
    ] + reuse_rows(ours) + [
        ("First query answered after start", seconds(ours["first_query_s"]),
         seconds(usual["facets"]["first_query_s"]), speed(ours["first_query_s"],
                                                          usual["facets"]["first_query_s"]),
         f"≤ {MAX_FIRST_QUERY_S:g} s", verdict(ours["first_query_s"] <= MAX_FIRST_QUERY_S, judged)),
    ]


def reuse_rows(ours):
    """Return the rows of what reuse detection adds: its stage in the rebuilds, and folding in the query mix."""
    rows = []
    for name, label in (("full", "full rebuild"), ("changed_one", "rebuild after changing one report")):
        stage, run = (ours.get("reuse") or {}).get(name), ours[name]
        if stage and not run["timed_out"]:
            without = run["seconds"] - stage["seconds"]
            rows.append((f"Reuse stage of the {label}: added time ({stage['pairs']:,} near-identical pairs,"
                         f" {stage['compared']:,} of {stage['texts']:,} texts compared)", seconds(stage["seconds"]),
                         "—", f"{run['seconds'] / without:.2f}× the time without it ({seconds(without)})", "", ""))
    unfolded = ours.get("mix_unfolded")
    if unfolded:
        mix = ours["mix"]
        rows.append(("Query mix p50 / p95 / max, near-identical hits folded (above) vs not (`fold=0`)",
                     f"{latency_triple(mix)} vs {latency_triple(unfolded)}", "—",
                     f"folded: {mix['p50'] / unfolded['p50']:.2f}× the median unfolded", "", ""))
    return rows


def markdown_table(header, rows):
    """Return a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def totals_table(result):
    """Return the table of how many paragraphs each query of the mix found in each setup."""
    rows = []
    ours, usual = result["ours"]["totals"], result["usual"]["facets"]["totals"]
    for query in result["mix"]:
        key = query["q"] + repr(tuple(map(tuple, query["filters"])))
        filters = ", ".join(f"{name}={value}" for name, value in query["filters"]) or "—"
        rows.append((query["label"], f"`{query['q']}`", filters, query["page"],
                     ours.get(key, "?"), usual.get(key, "?")))
    return markdown_table(("query kind", "q", "filters", "page", "ours: total", "usual: total"), rows)


def size_section(result):
    """Return the Markdown section of one corpus size."""
    ours, usual = result["ours"], result["usual"]
    intro = (f"{result['reports']:,} synthetic reports, {result['chars']:,} characters of raw pages. "
             f"Ours indexed {ours['paragraphs']:,} paragraphs; the usual setup indexed "
             f"{usual['paragraphs']:,} lines (its line splitting keeps chrome and signature lines). "
             f"Query mix: {len(result['mix'])} queries × {ours['repeat']} rounds for ours, "
             f"× {usual['repeat']} rounds for the usual setup.")
    header = ("measure", "ours", "usual setup", "ours vs usual", f"target (at {TARGET_SIZE:,})", "met?")
    return "\n\n".join([f"## {result['size']:,} paragraphs", intro,
                        markdown_table(header, size_rows(result)),
                        "Paragraphs found by each query (the same in every round):",
                        totals_table(result)])


def console_table(result):
    """Return the side-by-side table of one size as plain text for the terminal."""
    rows = [("measure", "ours", "usual", "ours vs usual", "target", "met?")] + size_rows(result)
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = [f"{result['size']:,} paragraphs"]
    lines += ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
              for row in rows]
    return "\n".join(lines)


def results_markdown(results, context, notes):
    """Return bench/RESULTS.md: when, where and how it ran, a section per size, then notes."""
    host = context["machine"]
    before, after = context["load"]
    busy = (f" (above the {host['cores']} cores: other work shared the machine, so times may "
            "be inflated)" if max(before, after) > host["cores"] else "")
    head = [
        "# Benchmark results",
        "All numbers below come from a **synthetic** corpus (`bench/synth.py`): sentences of the "
        "five seed pages recombined, real region names from the gazetteer, years 2016–2025, the "
        "seeds' page chrome. No page is a real report.",
        f"- Date: {context['date']}\n"
        f"- Machine: {host['cpu']}, {host['cores']} cores, {host['memory_gb']:.1f} GB memory; "
        f"{host['system']}; Python {host['python']}\n"
        f"- Load average (1 min) at the start and the end of the run: "
        f"{before:.1f} and {after:.1f}{busy}\n"
        f"- Code measured: commit {context['commit']}\n"
        f"- Command: `{context['command']}`"
        f"{' (what `make bench` runs)' if context['default_run'] else ''}\n"
        f"- Wall time of the whole run: {context['elapsed_min']:.1f} min",
    ]
    sections = [size_section(result) for result in results]
    return "\n\n".join(head + sections + ["## How it was measured", notes]) + "\n"
