"""The bench's figures as a few human-readable lines."""

from __future__ import annotations


def format_report(report: dict) -> str:
    """Return the report as a few human-readable lines."""
    lines = [f"{report['articles']} articles: build {report['build_s']} s, index "
             f"{report['index_mb']} MB, peak RSS {report['peak_rss_mb']} MB "
             f"(analysis workers {report['peak_rss_children_mb']} MB); a fresh serving "
             f"process: {report['serving_opened_rss_mb']} MB RSS once open, "
             f"{report['serving_rss_mb']} MB after the queries"]
    for name in ("search", "suggest"):
        figures = report[name]
        lines.append(f"  {name:8} p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  "
                     f"p99 {figures['p99_ms']} ms")
    if "refresh" in report:
        figures = report["refresh"]
        lines.append(f"  refresh  one article searchable in {figures['saving_process_s']} s in "
                     f"the saving process, {figures['other_process_s']} s in another "
                     f"(slowest {figures['other_process_max_s']} s; its reopening search "
                     f"{figures['other_first_search_s']} s; median of {figures['rounds']})")
    for name, figures in report["baselines"].items():
        lines.append(f"  baseline {name}: p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms"
                     f"  p99 {figures['p99_ms']} ms  build {figures['build_s']} s; our p50 is "
                     f"{figures['our_p50_ratio']}× its p50")
    return "\n".join(lines)
