"""Coordinated operations: definitions, per-country outcome revisions, consolidated reports.

Public surface: :func:`create_operation`, :func:`submit_outcome`, :func:`confirm_outcome`,
:func:`outcome_history`, :func:`consolidate`, :func:`write_report`.
"""

from threadline.operations import tables as tables  # registers the tables in the metadata
from threadline.operations.consolidate import Consolidated, consolidate
from threadline.operations.metrics import read_figures, validate_figures
from threadline.operations.records import (
    Operation,
    OutcomeRevision,
    confirm_outcome,
    create_operation,
    get_operation,
    list_operations,
    outcome_history,
    submit_outcome,
)
from threadline.operations.reports import build_report, write_report
from threadline.operations.spec import OperationSpec, build_spec, read_spec

__all__ = [
    "Consolidated",
    "Operation",
    "OperationSpec",
    "OutcomeRevision",
    "build_report",
    "build_spec",
    "confirm_outcome",
    "consolidate",
    "create_operation",
    "get_operation",
    "list_operations",
    "outcome_history",
    "read_figures",
    "read_spec",
    "submit_outcome",
    "validate_figures",
    "write_report",
]
