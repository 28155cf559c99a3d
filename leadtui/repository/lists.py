"""Lead lists as windowed queries: the kinds of the navigation, search, colleague filter, sort,
counts. Every sorted window is a walk along one index of the company views; a list is never
read whole.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    String,
    and_,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from leadtui.db import read_model
from leadtui.db.models import OFFERED_LEADS as OFFERED
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import LeadCountModel as LeadCount
from leadtui.db.models import LeadModel as Lead
from leadtui.db.models import LeadShareModel as Share
from leadtui.db.models import status_rank
from leadtui.db.search_index import like_pattern
from leadtui.domain import (
    Assignee,
    LeadRow,
    LeadStatus,
    ListKind,
    ListQuery,
    ListWindow,
    NotFound,
    ShareStatus,
    SortKey,
    decoded,
    stored_decline,
)
from leadtui.domain.interface import MAX_WINDOW
from leadtui.repository.assignments import ASSIGNEE, NOT_OURS
from leadtui.repository.journal import next_due, open_tasks_due
from leadtui.repository.session import Session
from leadtui.repository.sharing import is_open, shown_status

OTHER_COMPANY = aliased(Co, name="other_company")
# Below this many search matches, a window sorts the matches; above, it walks the sort index.
FEW_MATCHES = 5_000
MATCH_CACHE = 64
NAMES_FRESH_S = 10.0  # how long the own colleagues' names are trusted for search

# Lists of leads we see sort along the company view's own indexes; offers (not ours yet) have
# no company view, and are few, so they sort by the lead's columns.
VIEW_SORT: dict[SortKey, Any] = {
    SortKey.TITLE: CL.sort_title,
    SortKey.PROSPECT: CL.sort_prospect,
    SortKey.CITY: CL.sort_city,
    SortKey.STATUS: status_rank(CL.sort_status),  # in the order of the work
    SortKey.VALUE: CL.sort_value,
    SortKey.CREATED: CL.sort_created,
    SortKey.COLLEAGUE: CL.sort_assignee,
    SortKey.ARRIVED: CL.sort_created,  # only offers have an arrival: the other lists sort by creation
    SortKey.DEADLINE: CL.sort_created,  # passed-on leads show their offers' deadlines, one lead per row
    SortKey.DUE: CL.sort_created,  # read per row: only Fällige Aufgaben, which is short, sorts by it
}
OFFER_SORT: dict[SortKey, Any] = {
    SortKey.TITLE: OFFERED.c.title,
    SortKey.PROSPECT: OFFERED.c.prospect,
    SortKey.CITY: OFFERED.c.city,
    SortKey.STATUS: status_rank(OFFERED.c.status),
    SortKey.VALUE: func.coalesce(OFFERED.c.value, read_model.NO_VALUE),
    SortKey.CREATED: OFFERED.c.created_at,
    SortKey.COLLEAGUE: OFFERED.c.id,
    SortKey.ARRIVED: Share.offered_at,
    # no deadline sorts last, ascending: the offers that run out first come first
    SortKey.DEADLINE: func.coalesce(Share.deadline, datetime(2100, 12, 31)),
}


class Lists:
    """The lead lists of the navigation, one window at a time."""

    def __init__(self, session: Session):
        self._session = session
        # Small caches shared with the UI's worker threads, guarded by one lock.
        self._lists_lock = threading.Lock()
        self._match_counts: dict[str, int] = {}
        self._own_colleagues: set[int] = set()
        self._names: tuple[float, list[tuple[int, str]]] = (-NAMES_FRESH_S, [])

    def _colleague_names(self) -> list[tuple[int, str]]:
        """The own colleagues (id, case-folded name), read at most every few seconds: whether a
        search word names a colleague decides how the search is written."""
        with self._lists_lock:
            read_at, names = self._names
        if time.monotonic() - read_at < NAMES_FRESH_S:
            return names
        with self._session.read() as conn:
            stmt = select(Col.id, Col.name).where(Col.company_id == self._session.company_id)
            names = [(int(i), read_model.fold(n)) for i, n in conn.execute(stmt)]
        with self._lists_lock:
            self._names = (time.monotonic(), names)
        return names

    def _words(self, query: ListQuery) -> tuple[list[str], list[tuple[str, list[int]]]]:
        """A search's words: those only lead text can match, and those that also name own
        colleagues, with their ids (a lead matches those by its text or by its Kollege). Offers
        have no Kollege of ours."""
        words = read_model.search_words(query.search)
        if not words or query.kind is ListKind.OFFERS:
            return words, []
        names = self._colleague_names()
        plain: list[str] = []
        named: list[tuple[str, list[int]]] = []
        for word in words:
            ids = [i for i, name in names if word in name]
            if ids:
                named.append((word, ids))
            else:
                plain.append(word)
        return plain, named

    def _few_matches(self, query: ListQuery) -> bool:
        """Whether few enough leads can match to sort them, rather than walk the sort index
        looking for them (SQLite plans by rules, not by counts; we count once). A word naming
        colleagues matches at most its text matches plus their leads (from the counters).
        Offers are few, and matched by their ids (`_offers_matching`)."""
        if query.kind is ListKind.OFFERS:
            return False
        plain, named = self._words(query)
        estimates = []
        if plain and (known := self._match_count(plain)) is not None:
            estimates.append(known)
        for word, ids in named:
            if (known := self._match_count([word])) is not None:
                estimates.append(known + self._assigned(ids))
        return bool(estimates) and min(estimates) < FEW_MATCHES

    def _assigned(self, colleague_ids: list[int]) -> int:
        with self._session.read() as conn:
            return int(
                conn.execute(
                    select(func.coalesce(func.sum(LeadCount.n), 0)).where(
                        LeadCount.company_id == self._session.company_id, LeadCount.slot.in_(colleague_ids)
                    )
                ).scalar_one()
            )

    def _match_count(self, words: list[str]) -> int | None:
        """How many leads contain all `words`, where the backend counts them to plan a search
        (None where the database plans by itself, or the index cannot answer these words)."""
        key = "\0".join(words)
        with self._lists_lock:
            known = self._match_counts.get(key)
        if known is None:
            stmt = self._session.backend.match_count(words)
            if stmt is None:
                return None
            with self._session.read() as conn:
                known = int(conn.execute(stmt).scalar_one())
            with self._lists_lock:
                if len(self._match_counts) >= MATCH_CACHE:
                    self._match_counts.clear()
                self._match_counts[key] = known
        return known

    def _check_filter(self, conn: Connection, colleague_id: int) -> None:
        """A colleague filter names a colleague of the own company, or is refused like an
        unknown id (ids never move between companies, so a checked one stays good)."""
        with self._lists_lock:
            if colleague_id in self._own_colleagues:
                return
        found = conn.execute(
            select(Col.id).where(Col.id == colleague_id, Col.company_id == self._session.company_id)
        ).first()
        if found is None:
            raise NotFound(NOT_OURS)
        with self._lists_lock:
            self._own_colleagues.add(colleague_id)

    def _search(self, stmt: Any, words: list[str], lead_joined: bool, walk: bool) -> Any:
        """Narrow `stmt` to leads whose title, prospect, contact or city contain every word: the
        backend's search index answers what it can, LIKE the rest. With `walk`, the index must
        not drive the query (the sort index does; see the backends)."""
        target = Lead.id if lead_joined else CL.lead_id
        conditions, words = self._session.backend.text_matches(target, words, walk)
        stmt = stmt.where(*conditions)
        if words and not lead_joined:
            stmt = stmt.join(Lead, Lead.id == CL.lead_id)
        for word in words:
            stmt = stmt.where(Lead.search_text.like(like_pattern(word), escape="\\"))
        return stmt

    def _by_text_or_kollege(self, stmt: Any, word: str, colleague_ids: list[int], lead_joined: bool, walk: bool) -> Any:
        """Narrow `stmt` to leads whose text contains `word` or whose Kollege is one of
        `colleague_ids` (the own company's assignment only). SQLite answers the OR from two
        indexes when matches are few; with `walk` it may not (see `_search`)."""
        target: Any = Lead.id if lead_joined else CL.lead_id
        kollege: Any = CL.colleague_id
        if walk:
            target, kollege = target + 0, kollege + 0
        by_text, unanswered = self._session.backend.text_matches(target, [word], walk=False)
        if unanswered:  # the search index cannot answer this word: LIKE does
            by_text = [target.in_(select(Lead.id).where(Lead.search_text.like(like_pattern(word), escape="\\")))]
        return stmt.where(or_(*by_text, kollege.in_(colleague_ids)))

    def _filtered(self, query: ListQuery, stmt: Any, lead_joined: bool, walk: bool) -> Any:
        """The WHERE of a list: kind, colleague filter and search."""
        if query.kind is ListKind.MINE:
            stmt = stmt.where(CL.colleague_id == self._session.me.id)
        elif query.kind is ListKind.UNASSIGNED:
            stmt = stmt.where(CL.colleague_id.is_(None))
        elif query.kind is ListKind.DUE:
            stmt = stmt.where(
                CL.colleague_id == self._session.me.id,
                CL.lead_id.in_(open_tasks_due(self._session.company_id, self._session.today())),
            )
        elif query.kind is ListKind.ORPHANED:
            inactive = select(Col.id).where(Col.company_id == self._session.company_id, Col.active.is_(False))
            stmt = stmt.where(CL.colleague_id.in_(inactive))
        if query.colleague_id is not None:
            stmt = stmt.where(CL.colleague_id == query.colleague_id)
        plain, named = self._words(query)
        for word, colleague_ids in named:
            stmt = self._by_text_or_kollege(stmt, word, colleague_ids, lead_joined, walk)
        return self._search(stmt, plain, lead_joined, walk)

    def _list_select(self, query: ListQuery, column: Any, walk: bool = False) -> tuple[Any, Any, tuple[Any, ...]]:
        """SELECT `column` FROM a lead list (its kind, filter and search), unsorted; returns
        (statement, sort column, tiebreak columns). Offers are rows of lead_shares, every other
        list rows of the company view, so keys are share ids or lead ids."""
        c = self._session.company_id
        if query.kind is ListKind.OFFERS:
            stmt = (
                select(column)
                .select_from(Share)
                .join(OFFERED, OFFERED.c.id == Share.lead_id)
                .where(Share.partner_company_id == c, is_open(self._session.now_sql))
            )
            words = read_model.search_words(query.search)
            if words:
                stmt = stmt.where(Share.id.in_(self._offers_matching(words)))
            return stmt, OFFER_SORT[query.sort], (Share.id,)
        stmt = select(column).select_from(CL).where(CL.company_id == c)
        if query.kind is ListKind.PASSED_ON:
            stmt = stmt.where(exists().where(Share.lead_id == CL.lead_id, Share.principal_company_id == c))
        sort = VIEW_SORT[query.sort]
        if query.sort is SortKey.DUE and query.kind is ListKind.DUE:
            sort = next_due(c, CL.lead_id)
        return self._filtered(query, stmt, False, walk), sort, (CL.lead_id,)

    def _offers_matching(self, words: list[str]) -> list[int]:
        """The open offers to the own company whose title, firm or city contain every word -
        never matched on the contact data a partner may not read before it accepts (rule 26),
        which the leads' search text holds. Offers are few: matched here, not by the index."""
        stmt = (
            select(Share.id, OFFERED.c.title, OFFERED.c.prospect, OFFERED.c.city)
            .join(OFFERED, OFFERED.c.id == Share.lead_id)
            .where(Share.partner_company_id == self._session.company_id, is_open(self._session.now_sql))
        )
        with self._session.read() as conn:
            rows = conn.execute(stmt).all()
        return [
            int(r.id)
            for r in rows
            if all(word in read_model.search_text(r.title, r.prospect, r.city) for word in words)
        ]

    def _details(self, kind: ListKind, keys: Any, order: list[Any]) -> Any:
        """The statement of the shown columns of one window's rows (`keys`: the window's key
        query), in `order`."""
        c = self._session.company_id
        assignee_join = and_(ASSIGNEE.id == CL.colleague_id, ASSIGNEE.company_id == CL.company_id)
        if kind is ListKind.OFFERS:
            stmt = (
                select(
                    Share.id.label("row_key"),
                    *_shown(OFFERED.c, c),
                    Share.id.label("share_id"),
                    OTHER_COMPANY.name.label("other_company"),
                    Share.status.label("share_status"),
                    Share.offered_at.label("offered_at"),
                    literal(None).label("decline_reason"),  # the reason is the principal's to read
                    literal(None).label("decline_text"),
                    Share.deadline.label("deadline"),
                )
                .select_from(Share)
                .join(OFFERED, OFFERED.c.id == Share.lead_id)
                .join(OTHER_COMPANY, OTHER_COMPANY.id == Share.principal_company_id)
                .outerjoin(CL, and_(CL.lead_id == OFFERED.c.id, CL.company_id == c))
                .outerjoin(ASSIGNEE, assignee_join)
                .where(Share.partner_company_id == c, Share.id.in_(keys))
                .order_by(*order)
            )
        else:
            share_columns: tuple[ColumnElement[Any], ...] = (literal(None),) * 7
            if kind is ListKind.PASSED_ON:
                share_columns = (
                    Share.id.expression,
                    OTHER_COMPANY.name.expression,
                    shown_status(self._session.now_sql),
                    Share.offered_at.expression,
                    Share.decline_reason.expression,
                    Share.decline_text.expression,
                    Share.deadline.expression,
                )
            names = (
                "share_id",
                "other_company",
                "share_status",
                "offered_at",
                "decline_reason",
                "decline_text",
                "deadline",
            )
            labelled = tuple(column.label(name) for column, name in zip(share_columns, names, strict=True))
            stmt = (
                select(CL.lead_id.label("row_key"), *_shown(Lead.__table__.c, c), *labelled)
                .select_from(CL)
                .join(Lead, Lead.id == CL.lead_id)
                .outerjoin(ASSIGNEE, assignee_join)
                .where(CL.company_id == c, CL.lead_id.in_(keys))
                .order_by(*order)
            )
            if kind is ListKind.PASSED_ON:
                stmt = (
                    stmt.join(Share, and_(Share.lead_id == CL.lead_id, Share.principal_company_id == c))
                    .join(OTHER_COMPANY, OTHER_COMPANY.id == Share.partner_company_id)
                    .order_by(Share.id)
                )
        return stmt

    @staticmethod
    def _read_rows(conn: Connection, stmt: Any) -> list[LeadRow]:
        rows: dict[int, LeadRow] = {}
        for r in conn.execute(stmt):
            row = _row(r)
            earlier = rows.get(r.row_key)
            if earlier is not None:  # passed on to several partners: one row naming them all
                deadlines = [d for d in (earlier.deadline, row.deadline) if d is not None]
                row = replace(
                    earlier,
                    partner_name=f"{earlier.partner_name}, {row.partner_name}",
                    deadline=min(deadlines, default=None),  # the first of its pending offers to run out
                )
            rows[r.row_key] = row
        return list(rows.values())

    def count(self, query: ListQuery) -> int:
        if not query.search and query.colleague_id is None:
            return self.counts()[query.kind]
        if read_model.unmatchable(query.search):
            return 0
        stmt, _, _ = self._list_select(query, func.count())
        with self._session.read() as conn:
            if query.colleague_id is not None:
                self._check_filter(conn, query.colleague_id)
                if query.kind is ListKind.OFFERS:
                    return 0  # an offer is not ours yet: no colleague of ours has it
            return int(conn.execute(stmt).scalar_one())

    def counts(self) -> dict[ListKind, int]:
        """The number of leads in every list, for the navigation: read from the counters kept
        with every change, plus an index-only count of lead offers - one statement, so one
        round trip to a distant server."""
        per_slot: dict[int, int] = {}
        inactive: set[int] = set()
        offers = due = 0
        today = self._session.today()
        stmt = self._session.built(("counts", today), lambda: self._counts_select(today))
        with self._session.read() as conn:
            for kind, key, n in conn.execute(stmt):
                if kind == 0:
                    per_slot[int(key)] = int(n)
                elif kind == 1:
                    inactive.add(int(key))
                elif kind == 2:
                    offers = int(n)
                else:
                    due = int(n)
        passed_on = per_slot.pop(read_model.PASSED_ON_SLOT, 0)
        return {
            ListKind.ALL: sum(per_slot.values()),
            ListKind.MINE: per_slot.get(self._session.me.id, 0),
            ListKind.UNASSIGNED: per_slot.get(read_model.UNASSIGNED_SLOT, 0),
            ListKind.ORPHANED: sum(n for slot, n in per_slot.items() if slot in inactive),
            ListKind.PASSED_ON: passed_on,
            ListKind.OFFERS: offers,
            ListKind.DUE: due,
        }

    def _counts_select(self, today: date) -> Any:
        """What `counts` runs: the due tasks count from `today`."""
        c = self._session.company_id

        def tag(n: int) -> ColumnElement[int]:
            return literal_column(str(n), Integer)

        stmt = union_all(
            select(tag(0), LeadCount.slot, LeadCount.n).where(LeadCount.company_id == c),
            select(tag(1), Col.id, tag(0)).where(Col.company_id == c, Col.active.is_(False)),
            select(tag(2), tag(0), func.count())
            .select_from(Share)
            .where(Share.partner_company_id == c, is_open(self._session.now_sql)),
            select(tag(3), tag(0), func.count())
            .select_from(CL)
            .where(
                CL.company_id == c,
                CL.colleague_id == self._session.me.id,
                CL.lead_id.in_(open_tasks_due(c, today)),
            ),
        )
        return stmt

    def first_window(self, query: ListQuery, limit: int) -> ListWindow:
        """A list as it is first shown: every list's count and the first `limit` rows. A list
        with a counter (no search, no colleague filter) gets its total at once, and its rows
        read as a window of a known length; the others are counted afterwards (`count`),
        unless their first rows are all there is."""
        counts = self.counts()
        if query.search or query.colleague_id is not None:
            first = self.rows(query, 0, limit)
            return ListWindow(counts, len(first) if len(first) < limit else None, first)
        total = counts[query.kind]
        return ListWindow(counts, total, self.rows(query, 0, limit, total))

    def rows(self, query: ListQuery, offset: int, limit: int, total: int | None = None) -> list[LeadRow]:
        """One window of a lead list, in the query's order.

        One statement in two steps: the window's keys come from the sort index alone (so
        skipping rows is cheap), then the shown columns for just those keys, in the same order
        (one round trip across a network). With `total` (the list's count), a window past the
        middle is read backwards from the end, so the last rows cost what the first do."""
        if read_model.unmatchable(query.search):
            return []
        stmt, backwards = self._window(query, offset, max(min(limit, MAX_WINDOW), 0), total)
        with self._session.read() as conn:
            if query.colleague_id is not None:
                self._check_filter(conn, query.colleague_id)
                if query.kind is ListKind.OFFERS:
                    return []  # an offer is not ours yet: no colleague of ours has it
            ordered = self._read_rows(conn, stmt)
        return ordered[::-1] if backwards else ordered

    def _window(self, query: ListQuery, offset: int, limit: int, total: int | None) -> tuple[Any, bool]:
        """The statement of one window and whether it reads backwards; built once per session
        for a list without a search (whose words, names and match counts change)."""
        if query.search:
            return self._build_window(query, offset, limit, total)
        day = self._session.today() if query.kind is ListKind.DUE else None  # due tasks count from today
        memo = ("window", query, offset, limit, total, day)
        return self._session.built(memo, lambda: self._build_window(query, offset, limit, total))

    def _build_window(self, query: ListQuery, offset: int, limit: int, total: int | None) -> tuple[Any, bool]:
        key = Share.id if query.kind is ListKind.OFFERS else CL.lead_id
        fixed_assignee = (
            query.kind in (ListKind.MINE, ListKind.UNASSIGNED, ListKind.DUE) or query.colleague_id is not None
        )
        if query.sort is SortKey.COLLEAGUE and fixed_assignee:
            query = replace(query, sort=SortKey.CREATED)  # one assignee: any order sorts by Kollege
        few = self._few_matches(query)
        keys_stmt, column, tiebreak = self._list_select(query, key, walk=bool(query.search) and not few)
        if few:
            # Same order for these case-folded keys, but SQLite can no longer walk the sort index.
            column = type_coerce(column, String()).collate("NOCASE")
        descending = query.descending
        backwards = total is not None and total // 2 < offset < total
        if backwards and total is not None:
            descending = not descending
            offset, limit = max(total - offset - limit, 0), min(limit, total - offset)
        order = [c.desc() if descending else c.asc() for c in (column, *tiebreak)]
        # Not correlated with the outer query, which reads the same tables: a window of its own.
        window = keys_stmt.order_by(*order).offset(offset).limit(limit).correlate(None)
        return self._details(query.kind, window, order), backwards


def _shown(lead: Any, company_id: int) -> tuple[Any, ...]:
    """A list row's columns of the lead, from `lead`: the leads table's columns, or for offers
    the view of what a partner may read before it accepts (rule 26)."""
    return (
        lead.id,
        lead.title,
        lead.prospect,
        lead.city,
        lead.status,
        lead.value,
        lead.created_at,
        CL.version,
        ASSIGNEE.id.label("assignee_id"),
        ASSIGNEE.name.label("assignee_name"),
        ASSIGNEE.active.label("assignee_active"),
        next_due(company_id, lead.id).label("next_due"),
    )


def _row(r: Any) -> LeadRow:
    assignee = Assignee(r.assignee_id, r.assignee_name, r.assignee_active) if r.assignee_id is not None else None
    return LeadRow(
        key=r.row_key,
        id=r.id,
        title=r.title,
        prospect=r.prospect,
        city=r.city,
        status=decoded(LeadStatus, r.status),
        value=r.value,
        created_at=r.created_at,
        assignee=assignee,
        version=r.version or 0,
        share_id=r.share_id,
        partner_name=r.other_company,
        share_status=decoded(ShareStatus, r.share_status) if r.share_status else None,
        next_due=r.next_due,
        offered_at=r.offered_at,
        declined_because=stored_decline(r.decline_reason, r.decline_text),
        deadline=r.deadline if r.share_status == ShareStatus.OFFERED.value else None,  # counts down while pending
    )
