"""The static HTML report: leaderboard, breakdowns, history and a per-clip viewer in one page.

Opens from the file system (no server, nothing fetched): styles, script, plots (inline SVG)
and data (inline JSON) are in ``index.html``; audio is referenced, never inlined.
"""

from uaap.report.write import write_report

__all__ = ["write_report"]
