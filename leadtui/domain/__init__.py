"""Plain values, errors and text rules shared by every layer.

Nothing here knows about SQLAlchemy or Textual: the repository returns these values, the UI and
the CLI show them. The names most code needs are importable from `leadtui.domain` directly.
"""

from leadtui.domain.errors import (
    AccessDenied,
    AlreadyDecided,
    Busy,
    Conflict,
    Deactivated,
    InvalidInput,
    LeadtuiError,
    NotAssignable,
    NotFound,
    NotUndoable,
    StorageError,
    Unreachable,
)
from leadtui.domain.money import format_euro, parse_euro
from leadtui.domain.values import (
    Assignee,
    Assignment,
    AssignmentReason,
    BulkResult,
    Colleague,
    Company,
    HistoryEntry,
    LeadDetail,
    LeadRow,
    LeadStatus,
    ListKind,
    ListQuery,
    NewLead,
    ShareInfo,
    ShareStatus,
    SortKey,
    Workload,
)

__all__ = [
    "AccessDenied",
    "AlreadyDecided",
    "Assignee",
    "Assignment",
    "AssignmentReason",
    "BulkResult",
    "Busy",
    "Colleague",
    "Company",
    "Conflict",
    "Deactivated",
    "HistoryEntry",
    "InvalidInput",
    "LeadDetail",
    "LeadRow",
    "LeadStatus",
    "LeadtuiError",
    "ListKind",
    "ListQuery",
    "NewLead",
    "NotAssignable",
    "NotFound",
    "NotUndoable",
    "ShareInfo",
    "ShareStatus",
    "SortKey",
    "StorageError",
    "Unreachable",
    "Workload",
    "format_euro",
    "parse_euro",
]
