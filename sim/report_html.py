"""``sim report`` (kept for ``from sim.report_html import write_report``): see :mod:`sim.report`."""
from .report import render, report_path, write_report

__all__ = ["render", "report_path", "write_report"]
