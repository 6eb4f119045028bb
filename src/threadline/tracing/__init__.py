"""Missing-person tracing: reports matched against ads, manifests, raids and records.

Built on the linkage model for person records and on ad evidence (names
mentioned, stated age, shared photos). See docs/tracing.md.
"""

from threadline.tracing.service import (
    LEAD,
    TraceRunResult,
    list_leads,
    run_tracing,
    show_report,
)

__all__ = ["LEAD", "TraceRunResult", "list_leads", "run_tracing", "show_report"]
