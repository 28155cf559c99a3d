"""The read model: data derived from leads and assignments so that lists stay fast at a million
leads. One module computes it for every writer (repository, seed, migrations, `db check`).

- Every company view (`company_leads`) carries case-folded copies of what lists sort by.
- Every lead carries `search_text`: the case-folded words "/" searches (title, prospect, contact,
  city), indexed by FTS5 trigram on SQLite and pg_trgm on PostgreSQL.
- `company_lead_counts` holds per-company counters: leads per assignee (slot 0: unassigned) and
  the leads a company passed on (slot -1), moved in the same transaction as every change; per
  assignee also how many are open (neu or in Bearbeitung) and new, for the workload.
- `company_changes` holds each company's change counter, which open apps watch to refresh.

Folding is Python's `casefold()` everywhere (SQL's `lower()` folds only ASCII on SQLite), so
"Straße", "Öko" and "Ärztehaus" sort and match the same whichever path wrote the row.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, func, insert, literal, select, update

from leadtui.db import backends
from leadtui.db.models import CompanyChangeModel as CompanyChange
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import LeadCountModel as LeadCount
from leadtui.db.models import LeadShareModel as Share
from leadtui.domain.imports import match_keys
from leadtui.domain.text import has_control

UNASSIGNED_SLOT = 0
PASSED_ON_SLOT = -1
# Sort keys are cut to their column's size: folding can lengthen a text ("ß" -> "ss"), and the
# first 200 characters decide any order a person can see.
SORT_TEXT_LIMIT = 200
SORT_CITY_LIMIT = 100
NO_VALUE = -1  # the sort value of a lead without a value: below every real one
OPEN_STATUSES = ("neu", "in Bearbeitung")  # not yet won or lost: work to do
NEW_STATUS = "neu"
COUNTERS = ("n", "open_n", "new_n")  # the columns a Tally moves


@dataclass(frozen=True)
class Tally:
    """How a change moves one counter row: leads, open leads, new leads."""

    n: int = 0
    open: int = 0
    new: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.n + other.n, self.open + other.open, self.new + other.new)

    def __neg__(self) -> Tally:
        return Tally(-self.n, -self.open, -self.new)

    def __sub__(self, other: Tally) -> Tally:
        return self + -other

    def __bool__(self) -> bool:
        return bool(self.n or self.open or self.new)


def tally(status: str) -> Tally:
    """One lead of `status`."""
    return Tally(1, int(status in OPEN_STATUSES), int(status == NEW_STATUS))


def tallies(statuses: Iterable[str]) -> Tally:
    total = Tally()
    for status in statuses:
        total += tally(status)
    return total


def fold(text: str) -> str:
    return text.casefold()


def search_text(*parts: str) -> str:
    return " ".join(fold(part.strip()) for part in parts if part and part.strip())


def lead_search_text(lead: Mapping[Any, Any]) -> str:
    return search_text(lead["title"], lead["prospect"], lead["contact"], lead["city"])


MATCHED = ("email", "phone", "firm")  # the rules' keys, stored as match_<rule>


def derived(lead: Mapping[Any, Any], keys: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The columns of a lead row computed from its fields (a mapping of lead columns): the
    search text, and the keys an import finds it by as a duplicate (`keys`: those already
    computed from the same fields)."""
    if keys is None:
        keys = match_keys(lead["email"], lead["phone"], lead["prospect"], lead["city"])
    return dict(search_text=lead_search_text(lead), **{f"match_{rule}": keys.get(rule) for rule in MATCHED})


MAX_SEARCH_WORDS = 8  # more words narrow nothing a person means, and each costs a scan
MAX_SEARCH_WORD = 100  # longer than any field a word could be found in


def search_words(query: str) -> list[str]:
    """The words of a search as the index holds them: the first few, each of bounded length,
    so a pasted page of text cannot keep the database busy for seconds."""
    return [word[:MAX_SEARCH_WORD] for word in fold(query).split()[:MAX_SEARCH_WORDS]]


def unmatchable(query: str) -> bool:
    """A search holding a control character (a NUL, say) finds nothing: stored text has none,
    and PostgreSQL would refuse a NUL in the statement."""
    return has_control(query)


def assignee_key(name: str | None) -> str:
    """The Kollege sort key: '' for none, so unassigned leads form one block."""
    return fold(name or "")[:SORT_TEXT_LIMIT]


def view_sort_keys(lead: Mapping[Any, Any], assignee_name: str | None) -> dict[str, Any]:
    """The sort_* columns of a company view of `lead` (a mapping of lead columns)."""
    created: datetime = lead["created_at"]
    return dict(
        sort_created=created,
        sort_title=fold(lead["title"])[:SORT_TEXT_LIMIT],
        sort_prospect=fold(lead["prospect"])[:SORT_TEXT_LIMIT],
        sort_city=fold(lead["city"])[:SORT_CITY_LIMIT],
        sort_status=lead["status"],
        sort_value=NO_VALUE if lead["value"] is None else lead["value"],
        sort_assignee=assignee_key(assignee_name),
    )


def change_counts(
    conn: Connection, company_id: int, deltas: Mapping[int | None, Tally], options: Mapping[str, Any] | None = None
) -> None:
    """Move a company's counters (None: unassigned) in the caller's transaction; always in slot
    order, so concurrent writers lock the same rows in the same order. `options`: execution
    options of the statements (an edit moves other holders' counters)."""
    options = options or {}
    slots = sorted((UNASSIGNED_SLOT if s is None else s, d) for s, d in deltas.items() if d)
    if not slots:
        return
    rows = [dict(company_id=company_id, slot=slot, n=d.n, open_n=d.open, new_n=d.new) for slot, d in slots]
    # Growing slots in one upsert; a slot that shrinks exists already and is updated: the
    # database checks an upsert's proposed row, and a counter is never below zero. Runs of
    # either kind follow each other in slot order.
    for shrinks, run in itertools.groupby(rows, key=lambda row: min(row[name] for name in COUNTERS) < 0):
        _move_counts(conn, list(run), shrinks, options)


def _move_counts(conn: Connection, rows: list[dict[str, int]], shrinks: bool, options: Mapping[str, Any]) -> None:
    if shrinks:
        conn.execute(
            update(LeadCount)
            .where(LeadCount.company_id == rows[0]["company_id"], LeadCount.slot == bindparam("b_slot"))
            .values({name: getattr(LeadCount, name) + bindparam(f"b_{name}") for name in COUNTERS})
            .execution_options(**options),
            [{"b_slot": row["slot"], **{f"b_{n}": row[n] for n in COUNTERS}} for row in rows],
        )
        return
    upsert = backends.for_engine(conn).insert(LeadCount).values(rows)
    moved = {name: getattr(LeadCount, name) + getattr(upsert.excluded, name) for name in COUNTERS}
    conn.execute(
        upsert.on_conflict_do_update(
            index_elements=[LeadCount.company_id, LeadCount.slot], set_=moved
        ).execution_options(**options)
    )


def counted_select() -> Any:
    """What the counters must hold, computed from the views and offers:
    (company, slot, n, open_n, new_n)."""
    slot = func.coalesce(CL.colleague_id, UNASSIGNED_SLOT)
    is_open = func.sum(case((CL.sort_status.in_(OPEN_STATUSES), 1), else_=0))
    is_new = func.sum(case((CL.sort_status == NEW_STATUS, 1), else_=0))
    per_assignee = select(
        CL.company_id, slot.label("slot"), func.count().label("n"), is_open.label("open_n"), is_new.label("new_n")
    ).group_by(CL.company_id, slot)
    passed_on = select(
        Share.principal_company_id,
        literal(PASSED_ON_SLOT).label("slot"),
        func.count(Share.lead_id.distinct()),
        literal(0),
        literal(0),
    ).group_by(Share.principal_company_id)
    return per_assignee.union_all(passed_on)


def recount(conn: Connection) -> None:
    """Rebuild every counter from the data (after a bulk load, or as a repair)."""
    conn.execute(delete(LeadCount))
    conn.execute(insert(LeadCount).from_select(["company_id", "slot", *COUNTERS], counted_select()))


def new_channel() -> str:
    """A company's private notification channel: unguessable, since any login may LISTEN."""
    return f"leadtui_{secrets.token_hex(16)}"


def add_change_row(conn: Connection, company_id: int) -> None:
    conn.execute(insert(CompanyChange).values(company_id=company_id, seq=0, channel=new_channel()))


def touch(conn: Connection, company_ids: Iterable[int]) -> None:
    """Move the change counters of these companies (in the caller's transaction, always in id
    order)."""
    ids = sorted(set(company_ids))
    if ids:
        backends.for_engine(conn).touch(conn, ids)
