"""The one way in and out of lead data, bound to one acting colleague.

Every query is scoped to the acting colleague's company by construction: the repository cannot
be built without an acting colleague, and every statement filters on `self.company_id`. Reads
return frozen domain values, never ORM objects. Writes are short transactions; assignments carry
a version so a stale write becomes a `Conflict` instead of a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import (
    Connection,
    Engine,
    String,
    and_,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import aliased

from leadtui.db.engine import describe_error
from leadtui.db.models import (
    AssignmentHistoryModel as History,
)
from leadtui.db.models import (
    ColleagueModel as Col,
)
from leadtui.db.models import (
    ColleagueSettingModel as Setting,
)
from leadtui.db.models import (
    CompanyLeadModel as CL,
)
from leadtui.db.models import (
    CompanyModel as Co,
)
from leadtui.db.models import (
    LeadCountModel as LeadCount,
)
from leadtui.db.models import (
    LeadModel as Lead,
)
from leadtui.db.models import (
    LeadShareModel as Share,
)
from leadtui.db.models import (
    PartnershipModel as Partnership,
)
from leadtui.domain import (
    AccessDenied,
    AlreadyDecided,
    Assignee,
    Assignment,
    AssignmentReason,
    BulkResult,
    Colleague,
    Company,
    Conflict,
    HistoryEntry,
    InvalidInput,
    LeadDetail,
    LeadRow,
    LeadStatus,
    ListKind,
    ListQuery,
    NewLead,
    NotAssignable,
    NotFound,
    ShareInfo,
    ShareStatus,
    SortKey,
    StorageError,
)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def search_text(*parts: str) -> str:
    return " ".join(part.strip().lower() for part in parts if part and part.strip())


def _fts_phrase(words: list[str]) -> str:
    """An FTS5 query that all indexable words must match (quoted: user text is no syntax)."""
    indexed = [w for w in words if len(w) >= MIN_INDEXED_WORD]
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in indexed)


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_ASSIGNEE = aliased(Col, name="assignee")
_PARTNER = aliased(Co, name="other_company")

# Lists of leads we see sort along the company view's own indexes; offers (not ours yet) have
# no company view, and are few, so they sort by the lead's columns.
_VIEW_SORT = {
    SortKey.TITLE: CL.sort_title,
    SortKey.PROSPECT: CL.sort_prospect,
    SortKey.CITY: CL.sort_city,
    SortKey.STATUS: CL.sort_status,
    SortKey.VALUE: CL.sort_value,
    SortKey.CREATED: CL.sort_created,
    SortKey.COLLEAGUE: CL.sort_assignee,
}
_OFFER_SORT = {
    SortKey.TITLE: Lead.title,
    SortKey.PROSPECT: Lead.prospect,
    SortKey.CITY: Lead.city,
    SortKey.STATUS: Lead.status,
    SortKey.VALUE: func.coalesce(Lead.value, -1),
    SortKey.CREATED: Lead.created_at,
    SortKey.COLLEAGUE: Lead.id,
}
MIN_INDEXED_WORD = 3  # the trigram indexes answer words of three characters or more
PASSED_ON_SLOT = -1  # the lead counter slot of leads a company passed on
# Below this many search matches, a window sorts the matches; above, it walks the sort index.
FEW_MATCHES = 5_000


def view_sort_keys(lead: dict, assignee_name: str | None) -> dict:
    """The sort_* columns of a company view of `lead` (a dict of lead columns)."""
    return dict(
        sort_created=lead["created_at"],
        sort_title=lead["title"].casefold(),
        sort_prospect=lead["prospect"].casefold(),
        sort_city=lead["city"].casefold(),
        sort_status=lead["status"],
        sort_value=-1 if lead["value"] is None else lead["value"],
        sort_assignee=(assignee_name or "").casefold(),
    )


class Repository:
    """Lead data as one colleague of one company sees and changes it."""

    def __init__(self, engine: Engine, colleague_id: int, clock: Callable[[], datetime] = utcnow):
        self._engine = engine
        self._match_counts: dict[str, int] = {}
        self._writer = engine.execution_options(immediate=True)
        self._clock = clock
        with self._read() as conn:
            row = conn.execute(
                select(Col, Co.name.label("company_name"))
                .join(Co, Co.id == Col.company_id)
                .where(Col.id == colleague_id)
            ).first()
        if row is None:
            raise AccessDenied("Unbekannter Kollege.")
        self.me = Colleague(row.id, row.company_id, row.name, row.email, row.active)
        if not self.me.active:
            raise AccessDenied(f"{self.me.name} ist deaktiviert und kann leadtui nicht nutzen.")
        self.company = Company(row.company_id, row.company_name)

    @classmethod
    def for_email(cls, engine: Engine, email: str, clock: Callable[[], datetime] = utcnow) -> Repository:
        with engine.connect() as conn:
            colleague_id = conn.execute(select(Col.id).where(func.lower(Col.email) == email.strip().lower())).scalar()
        if colleague_id is None:
            raise AccessDenied(f"Unbekannter Benutzer: {email}")
        return cls(engine, colleague_id, clock)

    @property
    def company_id(self) -> int:
        return self.company.id

    # --- transactions -------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as error:
            raise StorageError(f"Datenbankfehler: {describe_error(error)}") from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A short write transaction that first re-checks that the actor is still active."""
        try:
            with self._writer.begin() as conn:
                active = conn.execute(
                    select(Col.active).where(Col.id == self.me.id, Col.company_id == self.company_id)
                ).scalar()
                if not active:
                    raise AccessDenied("Ihr Zugang ist deaktiviert.")
                yield conn
        except IntegrityError as error:
            raise StorageError(f"Abgelehnt von der Datenbank: {describe_error(error)}") from None
        except SQLAlchemyError as error:
            raise StorageError(f"Datenbankfehler: {describe_error(error)}") from None

    # --- colleagues and partners ----------------------------------------------------------------

    def colleagues(self, include_inactive: bool = False) -> list[Colleague]:
        """Colleagues of the own company, by name; the choices of the colleague picker."""
        stmt = select(Col).where(Col.company_id == self.company_id).order_by(Col.name, Col.id)
        if not include_inactive:
            stmt = stmt.where(Col.active.is_(True))
        with self._read() as conn:
            return [Colleague(r.id, r.company_id, r.name, r.email, r.active) for r in conn.execute(stmt)]

    def partners(self) -> list[Company]:
        """Partner companies we may pass leads on to."""
        stmt = (
            select(Co.id, Co.name)
            .join(Partnership, Partnership.partner_id == Co.id)
            .where(Partnership.principal_id == self.company_id)
            .order_by(Co.name)
        )
        with self._read() as conn:
            return [Company(r.id, r.name) for r in conn.execute(stmt)]

    def deactivate(self, colleague_id: int) -> None:
        """Deactivate a colleague of the own company; their assignments stay (and show inactive)."""
        if colleague_id == self.me.id:
            raise NotAssignable("Sie können sich nicht selbst deaktivieren.")
        self._set_active(colleague_id, False)

    def activate(self, colleague_id: int) -> None:
        self._set_active(colleague_id, True)

    def _set_active(self, colleague_id: int, active: bool) -> None:
        with self._write() as conn:
            result = conn.execute(
                update(Col).where(Col.id == colleague_id, Col.company_id == self.company_id).values(active=active)
            )
            if result.rowcount != 1:
                raise NotFound("Kollege nicht gefunden.")

    # --- lists -----------------------------------------------------------------------------------

    def _few_matches(self, query: ListQuery) -> bool:
        """Whether the search index finds few enough leads to sort them, rather than walk the
        sort index looking for them (SQLite plans by rules, not by counts; we count once)."""
        phrase = _fts_phrase(query.search.lower().split())
        if self._engine.dialect.name != "sqlite" or not phrase:
            return False
        if phrase not in self._match_counts:
            if len(self._match_counts) > 64:
                self._match_counts.clear()
            with self._read() as conn:
                self._match_counts[phrase] = conn.execute(
                    text("SELECT count(*) FROM leads_fts WHERE leads_fts MATCH :phrase"), {"phrase": phrase}
                ).scalar_one()
        return self._match_counts[phrase] < FEW_MATCHES

    def _search(self, stmt, words: list[str], dialect: str, lead_joined: bool, walk: bool = False):
        """Narrow `stmt` to leads whose title, prospect, contact or city contain every word.

        With `walk`, the match test is written so SQLite cannot drive the query from the matches
        (`lead_id + 0`): it walks the sort index and probes the matches instead - the fast plan
        when matches are many, as SQLite would otherwise sort them all."""
        phrase = _fts_phrase(words)
        if dialect == "sqlite" and phrase:
            matches = (
                text("SELECT rowid FROM leads_fts WHERE leads_fts MATCH :phrase")
                .bindparams(phrase=phrase)
                .columns(literal_column("rowid"))
            )
            target = Lead.id if lead_joined else CL.lead_id
            stmt = stmt.where(((target + 0) if walk else target).in_(matches))
            words = [w for w in words if len(w) < MIN_INDEXED_WORD]
        if words and not lead_joined:
            stmt = stmt.join(Lead, Lead.id == CL.lead_id)
        for word in words:
            stmt = stmt.where(Lead.search_text.like(_like_pattern(word), escape="\\"))
        return stmt

    def _filtered(self, query: ListQuery, stmt, dialect: str, lead_joined: bool, walk: bool = False):
        """The WHERE of a list: kind, colleague filter and search."""
        c = self.company_id
        if query.kind is ListKind.MINE:
            stmt = stmt.where(CL.colleague_id == self.me.id)
        elif query.kind is ListKind.UNASSIGNED:
            stmt = stmt.where(CL.colleague_id.is_(None))
        elif query.kind is ListKind.ORPHANED:
            inactive = select(Col.id).where(Col.company_id == c, Col.active.is_(False))
            stmt = stmt.where(CL.colleague_id.in_(inactive))
        if query.colleague_id is not None:
            stmt = stmt.where(CL.colleague_id == query.colleague_id)
        return self._search(stmt, query.search.lower().split(), dialect, lead_joined, walk)

    def _list_select(self, query: ListQuery, dialect: str, column, walk: bool = False):
        """SELECT `column` FROM a lead list (its kind, filter and search), unsorted; returns
        (statement, sort column, tiebreak columns). Offers are rows of lead_shares, every other
        list rows of the company view, so keys are share ids or lead ids."""
        c = self.company_id
        if query.kind is ListKind.OFFERS:
            stmt = (
                select(column)
                .select_from(Share)
                .join(Lead, Lead.id == Share.lead_id)
                .where(Share.partner_company_id == c, Share.status == ShareStatus.OFFERED.value)
            )
            return self._filtered(query, stmt, dialect, True, walk), _OFFER_SORT[query.sort], (Share.id,)
        stmt = select(column).select_from(CL).where(CL.company_id == c)
        if query.kind is ListKind.PASSED_ON:
            stmt = stmt.where(exists().where(Share.lead_id == CL.lead_id, Share.principal_company_id == c))
        return self._filtered(query, stmt, dialect, False, walk), _VIEW_SORT[query.sort], (CL.lead_id,)

    def _details(self, conn: Connection, kind: ListKind, keys: list[int]) -> dict[int, LeadRow]:
        """The shown columns of one window's rows, by key."""
        c = self.company_id
        columns = (
            Lead.id,
            Lead.title,
            Lead.prospect,
            Lead.city,
            Lead.status,
            Lead.value,
            Lead.created_at,
            CL.version,
            _ASSIGNEE.id.label("assignee_id"),
            _ASSIGNEE.name.label("assignee_name"),
            _ASSIGNEE.active.label("assignee_active"),
        )
        if kind is ListKind.OFFERS:
            stmt = (
                select(
                    Share.id.label("row_key"),
                    *columns,
                    Share.id.label("share_id"),
                    _PARTNER.name.label("other_company"),
                    Share.status.label("share_status"),
                )
                .select_from(Share)
                .join(Lead, Lead.id == Share.lead_id)
                .join(_PARTNER, _PARTNER.id == Share.principal_company_id)
                .outerjoin(CL, and_(CL.lead_id == Lead.id, CL.company_id == c))
                .outerjoin(_ASSIGNEE, _ASSIGNEE.id == CL.colleague_id)
                .where(Share.partner_company_id == c, Share.id.in_(keys))
            )
        else:
            share_columns = (literal(None), literal(None), literal(None))
            if kind is ListKind.PASSED_ON:
                share_columns = (Share.id, _PARTNER.name, Share.status)
            share_columns = tuple(
                c.label(name)
                for c, name in zip(share_columns, ("share_id", "other_company", "share_status"), strict=False)
            )
            stmt = (
                select(CL.lead_id.label("row_key"), *columns, *share_columns)
                .select_from(CL)
                .join(Lead, Lead.id == CL.lead_id)
                .outerjoin(_ASSIGNEE, _ASSIGNEE.id == CL.colleague_id)
                .where(CL.company_id == c, CL.lead_id.in_(keys))
            )
            if kind is ListKind.PASSED_ON:
                stmt = (
                    stmt.join(Share, and_(Share.lead_id == CL.lead_id, Share.principal_company_id == c))
                    .join(_PARTNER, _PARTNER.id == Share.partner_company_id)
                    .order_by(Share.id)
                )
        rows: dict[int, LeadRow] = {}
        for r in conn.execute(stmt):
            row = self._row(r)
            earlier = rows.get(r.row_key)
            if earlier is not None:  # passed on to several partners: one row naming them all
                row = replace(earlier, partner_name=f"{earlier.partner_name}, {row.partner_name}")
            rows[r.row_key] = row
        return rows

    def count(self, query: ListQuery) -> int:
        if not query.search and query.colleague_id is None:
            return self.counts()[query.kind]
        dialect = self._engine.dialect.name
        stmt, _, _ = self._list_select(query, dialect, func.count())
        with self._read() as conn:
            return conn.execute(stmt).scalar_one()

    def counts(self) -> dict[ListKind, int]:
        """The number of leads in every list, for the navigation: read from the counters kept
        with every change, plus two index-only counts of lead offers."""
        c = self.company_id
        with self._read() as conn:
            per_slot = dict(conn.execute(select(LeadCount.slot, LeadCount.n).where(LeadCount.company_id == c)).all())
            inactive = set(conn.execute(select(Col.id).where(Col.company_id == c, Col.active.is_(False))).scalars())
            offers = conn.execute(
                select(func.count())
                .select_from(Share)
                .where(Share.partner_company_id == c, Share.status == ShareStatus.OFFERED.value)
            ).scalar_one()
        passed_on = per_slot.pop(PASSED_ON_SLOT, 0)
        return {
            ListKind.ALL: sum(per_slot.values()),
            ListKind.MINE: per_slot.get(self.me.id, 0),
            ListKind.UNASSIGNED: per_slot.get(0, 0),
            ListKind.ORPHANED: sum(n for slot, n in per_slot.items() if slot in inactive),
            ListKind.PASSED_ON: passed_on,
            ListKind.OFFERS: offers,
        }

    def rows(self, query: ListQuery, offset: int, limit: int, total: int | None = None) -> list[LeadRow]:
        """One window of a lead list, in the query's order.

        Two steps: the window's keys come from the sort index alone (so skipping rows is cheap),
        then the shown columns for just those keys. With `total` (the list's count), a window
        past the middle is read backwards from the end, so the last rows cost what the first do."""
        dialect = self._engine.dialect.name
        key = Share.id if query.kind is ListKind.OFFERS else CL.lead_id
        fixed_assignee = query.kind in (ListKind.MINE, ListKind.UNASSIGNED) or query.colleague_id is not None
        if query.sort is SortKey.COLLEAGUE and fixed_assignee:
            query = replace(query, sort=SortKey.CREATED)  # one assignee: any order sorts by Kollege
        few = self._few_matches(query)
        keys_stmt, column, tiebreak = self._list_select(query, dialect, key, walk=bool(query.search) and not few)
        if few:
            # Same order for these case-folded keys, but SQLite can no longer walk the sort index.
            column = type_coerce(column, String()).collate("NOCASE")
        descending = query.descending
        backwards = total is not None and total // 2 < offset < total
        if backwards:
            descending = not descending
            offset, limit = max(total - offset - limit, 0), min(limit, total - offset)
        order = [column, *tiebreak]
        keys_stmt = keys_stmt.order_by(*(c.desc() if descending else c.asc() for c in order))
        with self._read() as conn:
            keys = list(conn.execute(keys_stmt.offset(offset).limit(limit)).scalars())
            by_key = self._details(conn, query.kind, keys) if keys else {}
        ordered = [by_key[k] for k in keys if k in by_key]
        return ordered[::-1] if backwards else ordered

    @staticmethod
    def _row(r) -> LeadRow:
        assignee = Assignee(r.assignee_id, r.assignee_name, r.assignee_active) if r.assignee_id is not None else None
        return LeadRow(
            id=r.id,
            title=r.title,
            prospect=r.prospect,
            city=r.city,
            status=LeadStatus(r.status),
            value=r.value,
            created_at=r.created_at,
            assignee=assignee,
            version=r.version or 0,
            share_id=r.share_id,
            partner_name=r.other_company,
            share_status=ShareStatus(r.share_status) if r.share_status else None,
        )

    # --- one lead ---------------------------------------------------------------------------------

    def _assignment(self, conn: Connection, lead_id: int, lock: bool = False) -> Assignment | None:
        stmt = (
            select(CL.version, _ASSIGNEE.id, _ASSIGNEE.name, _ASSIGNEE.active)
            .select_from(CL)
            .outerjoin(_ASSIGNEE, _ASSIGNEE.id == CL.colleague_id)
            .where(CL.company_id == self.company_id, CL.lead_id == lead_id)
        )
        if lock:
            stmt = stmt.with_for_update(of=CL)
        row = conn.execute(stmt).first()
        if row is None:
            return None
        assignee = Assignee(row.id, row.name, row.active) if row.id is not None else None
        return Assignment(lead_id, assignee, row.version)

    def assignment(self, lead_id: int) -> Assignment:
        with self._read() as conn:
            current = self._assignment(conn, lead_id)
        if current is None:
            raise NotFound("Lead nicht gefunden.")
        return current

    def lead(self, lead_id: int) -> LeadDetail:
        """A lead as the own company sees it; a lead only offered to us shows without assignment."""
        with self._read() as conn:
            lead = conn.execute(
                select(Lead, Co.name.label("owner_name"))
                .join(Co, Co.id == Lead.owner_company_id)
                .where(Lead.id == lead_id)
            ).first()
            assignment = self._assignment(conn, lead_id) if lead else None
            pending_offer = None
            if lead is not None and assignment is None:
                pending_offer = conn.execute(
                    select(Share.id).where(
                        Share.lead_id == lead_id,
                        Share.partner_company_id == self.company_id,
                        Share.status == ShareStatus.OFFERED.value,
                    )
                ).scalar()
            if lead is None or (assignment is None and pending_offer is None):
                raise NotFound("Lead nicht gefunden oder nicht sichtbar.")
            shares = self._shares(conn, lead_id) if assignment else ()
            history = self._history(conn, lead_id) if assignment else ()
        return LeadDetail(
            id=lead.id,
            title=lead.title,
            prospect=lead.prospect,
            contact=lead.contact,
            email=lead.email,
            phone=lead.phone,
            city=lead.city,
            status=LeadStatus(lead.status),
            value=lead.value,
            source=lead.source,
            created_at=lead.created_at,
            updated_at=lead.updated_at,
            owner_name=lead.owner_name,
            visible=assignment is not None,
            assignment=assignment,
            shares=shares,
            history=history,
            pending_offer_id=pending_offer,
        )

    def _shares(self, conn: Connection, lead_id: int) -> tuple[ShareInfo, ...]:
        principal = aliased(Co, name="principal")
        partner = aliased(Co, name="partner")
        stmt = (
            select(Share.id, Share.status, Share.principal_company_id, principal.name, partner.name)
            .join(principal, principal.id == Share.principal_company_id)
            .join(partner, partner.id == Share.partner_company_id)
            .where(
                Share.lead_id == lead_id,
                or_(
                    Share.principal_company_id == self.company_id,
                    and_(
                        Share.partner_company_id == self.company_id,
                        Share.status == ShareStatus.ACCEPTED.value,
                    ),
                ),
            )
            .order_by(Share.id)
        )
        return tuple(
            ShareInfo(r[0], r[3], r[4], ShareStatus(r[1]), outgoing=r[2] == self.company_id) for r in conn.execute(stmt)
        )

    def _history(self, conn: Connection, lead_id: int) -> tuple[HistoryEntry, ...]:
        frm, to, by = aliased(Col), aliased(Col), aliased(Col)
        stmt = (
            select(History.at, frm.name, to.name, by.name, History.reason)
            .outerjoin(frm, frm.id == History.from_id)
            .outerjoin(to, to.id == History.to_id)
            .join(by, by.id == History.by_id)
            .where(History.company_id == self.company_id, History.lead_id == lead_id)
            .order_by(History.at.desc(), History.id.desc())
        )
        return tuple(HistoryEntry(r[0], r[1], r[2], r[3], AssignmentReason(r[4])) for r in conn.execute(stmt))

    # --- writes -----------------------------------------------------------------------------------

    def create_lead(self, new: NewLead) -> LeadDetail:
        """Create a lead owned by the own company, assigned to its creator at once."""
        errors = new.validate()
        if errors:
            raise InvalidInput(errors)
        now = self._clock()
        lead = dict(
            owner_company_id=self.company_id,
            title=new.title.strip(),
            prospect=new.prospect.strip(),
            contact=new.contact.strip(),
            email=new.email.strip(),
            phone=new.phone.strip(),
            city=new.city.strip(),
            status=new.status.value,
            value=new.value,
            source=new.source.strip(),
            search_text=search_text(new.title, new.prospect, new.contact, new.city),
            created_at=now,
            updated_at=now,
        )
        with self._write() as conn:
            lead_id = conn.execute(insert(Lead).values(**lead).returning(Lead.id)).scalar_one()
            self._take_on(conn, dict(lead, id=lead_id), "own", AssignmentReason.CREATED, now)
        return self.lead(lead_id)

    def _take_on(self, conn: Connection, lead: dict, via: str, reason: AssignmentReason, now: datetime) -> None:
        """The lead enters the own company's lists, assigned to the acting colleague (rules 5 and
        6: who creates a lead or accepts an offer has it)."""
        conn.execute(
            insert(CL).values(
                company_id=self.company_id,
                lead_id=lead["id"],
                colleague_id=self.me.id,
                version=1,
                via=via,
                **view_sort_keys(lead, self.me.name),
            )
        )
        self._count_changes(conn, {self.me.id: 1})
        self._record(conn, [lead["id"]], None, self.me.id, reason, now)

    def _record(
        self,
        conn: Connection,
        lead_ids: list[int],
        from_id: int | None,
        to_id: int | None,
        reason: AssignmentReason,
        now: datetime,
    ) -> None:
        if lead_ids:
            conn.execute(
                insert(History),
                [
                    dict(
                        company_id=self.company_id,
                        lead_id=lead_id,
                        from_id=from_id,
                        to_id=to_id,
                        by_id=self.me.id,
                        at=now,
                        reason=reason.value,
                    )
                    for lead_id in lead_ids
                ],
            )

    def _count_changes(self, conn: Connection, deltas: dict[int | None, int]) -> None:
        """Move the per-assignee lead counters (None: unassigned) in the write's transaction;
        always in slot order, so concurrent writers lock the same rows in the same order."""
        dialect = conn.dialect.name
        for slot, delta in sorted((0 if s is None else s, d) for s, d in deltas.items() if d):
            values = dict(company_id=self.company_id, slot=slot, n=delta)
            if dialect in ("sqlite", "postgresql"):
                upsert = (sqlite_insert if dialect == "sqlite" else pg_insert)(LeadCount).values(**values)
                conn.execute(
                    upsert.on_conflict_do_update(
                        index_elements=[LeadCount.company_id, LeadCount.slot], set_={"n": LeadCount.n + delta}
                    )
                )
                continue
            changed = conn.execute(
                update(LeadCount)
                .where(LeadCount.company_id == self.company_id, LeadCount.slot == slot)
                .values(n=LeadCount.n + delta)
            )
            if changed.rowcount == 0:
                conn.execute(insert(LeadCount).values(**values))

    def _check_assignable(self, conn: Connection, colleague_id: int) -> str:
        """Refuse anyone but an active colleague of the own company, locking them against a
        concurrent deactivation until the write commits; returns their name."""
        row = conn.execute(
            select(Col.company_id, Col.active, Col.name).where(Col.id == colleague_id).with_for_update(read=True)
        ).first()
        if row is None:
            raise NotAssignable("Diesen Kollegen gibt es nicht.")
        if row.company_id != self.company_id:
            raise NotAssignable("Zuweisen geht nur an Kollegen Ihrer eigenen Firma.")
        if not row.active:
            raise NotAssignable(f"{row.name} ist inaktiv und kann nicht zugewiesen werden.")
        return row.name

    def assign(
        self,
        lead_id: int,
        colleague_id: int | None,
        expected_version: int,
        reason: AssignmentReason = AssignmentReason.MANUAL,
    ) -> Assignment:
        """Assign (or with None unassign) a lead for the own company, if nobody changed it since
        `expected_version`; otherwise raise Conflict naming the current assignee."""
        now = self._clock()
        with self._write() as conn:
            current = self._assignment(conn, lead_id, lock=True)
            if current is None:
                raise NotFound("Lead nicht gefunden oder nicht sichtbar.")
            name = self._check_assignable(conn, colleague_id) if colleague_id is not None else ""
            if current.version != expected_version:
                raise Conflict(current)
            from_id = current.assignee.id if current.assignee else None
            if from_id == colleague_id:
                return current
            result = conn.execute(
                update(CL)
                .where(CL.company_id == self.company_id, CL.lead_id == lead_id, CL.version == expected_version)
                .values(colleague_id=colleague_id, version=CL.version + 1, sort_assignee=name.casefold())
            )
            if result.rowcount != 1:
                raise Conflict(self._assignment(conn, lead_id))
            self._count_changes(conn, {from_id: -1, colleague_id: 1} if from_id != colleague_id else {})
            self._record(conn, [lead_id], from_id, colleague_id, reason, now)
            conn.execute(update(Lead).where(Lead.id == lead_id).values(updated_at=now))
            return self._assignment(conn, lead_id)

    def assign_many(self, versions: dict[int, int], colleague_id: int | None) -> BulkResult:
        """Assign several leads in one transaction; leads changed meanwhile are skipped and
        reported as conflicts, never overwritten."""
        now = self._clock()
        conflicts: list[int] = []
        changed: dict[int | None, list[int]] = {}
        with self._write() as conn:
            name = self._check_assignable(conn, colleague_id) if colleague_id is not None else ""
            for lead_id, version in versions.items():
                current = self._assignment(conn, lead_id, lock=True)
                if current is None or current.version != version:
                    conflicts.append(lead_id)
                    continue
                from_id = current.assignee.id if current.assignee else None
                if from_id == colleague_id:
                    continue
                conn.execute(
                    update(CL)
                    .where(CL.company_id == self.company_id, CL.lead_id == lead_id, CL.version == version)
                    .values(colleague_id=colleague_id, version=CL.version + 1, sort_assignee=name.casefold())
                )
                changed.setdefault(from_id, []).append(lead_id)
            moved = sum(len(ids) for ids in changed.values())
            deltas = {from_id: -len(ids) for from_id, ids in changed.items()}
            deltas[colleague_id] = deltas.get(colleague_id, 0) + moved
            self._count_changes(conn, deltas)
            for from_id, lead_ids in changed.items():
                self._record(conn, lead_ids, from_id, colleague_id, AssignmentReason.BULK, now)
        return BulkResult(sum(len(ids) for ids in changed.values()), tuple(conflicts))

    def orphaned_count(self, colleague_id: int) -> int:
        with self._read() as conn:
            return conn.execute(
                select(func.count())
                .select_from(CL)
                .where(CL.company_id == self.company_id, CL.colleague_id == colleague_id)
            ).scalar_one()

    def hand_over(self, from_colleague_id: int, to_colleague_id: int) -> int:
        """Reassign every lead of an inactive colleague to an active one, in one step."""
        now = self._clock()
        with self._write() as conn:
            source = conn.execute(
                select(Col.active).where(Col.id == from_colleague_id, Col.company_id == self.company_id)
            ).first()
            if source is None:
                raise NotFound("Kollege nicht gefunden.")
            if source.active:
                raise NotAssignable("Übergabe gibt es nur für deaktivierte Kollegen.")
            name = self._check_assignable(conn, to_colleague_id)
            lead_ids = list(
                conn.execute(
                    select(CL.lead_id)
                    .where(CL.company_id == self.company_id, CL.colleague_id == from_colleague_id)
                    .with_for_update()
                ).scalars()
            )
            if not lead_ids:
                return 0
            conn.execute(
                update(CL)
                .where(CL.company_id == self.company_id, CL.colleague_id == from_colleague_id)
                .values(colleague_id=to_colleague_id, version=CL.version + 1, sort_assignee=name.casefold())
            )
            self._count_changes(conn, {from_colleague_id: -len(lead_ids), to_colleague_id: len(lead_ids)})
            self._record(conn, lead_ids, from_colleague_id, to_colleague_id, AssignmentReason.HANDOVER, now)
            return len(lead_ids)

    # --- lead offers --------------------------------------------------------------------------

    def offer(self, lead_id: int, partner_company_id: int) -> ShareInfo:
        """Pass a lead we see on to one of our partner companies as a lead offer."""
        now = self._clock()
        with self._write() as conn:
            if self._assignment(conn, lead_id) is None:
                raise NotFound("Lead nicht gefunden oder nicht sichtbar.")
            partner = conn.execute(
                select(Co.name)
                .join(Partnership, Partnership.partner_id == Co.id)
                .where(Partnership.principal_id == self.company_id, Co.id == partner_company_id)
            ).scalar()
            if partner is None:
                raise AccessDenied("Das ist keine Partnerfirma Ihrer Firma.")
            sees_it = conn.execute(
                select(exists().where(CL.company_id == partner_company_id, CL.lead_id == lead_id))
            ).scalar()
            previous = conn.execute(
                select(Share.id, Share.status).where(
                    Share.lead_id == lead_id, Share.partner_company_id == partner_company_id
                )
            ).first()
            if sees_it or (previous and previous.status != ShareStatus.DECLINED.value):
                raise AlreadyDecided(f"Der Lead ist bereits an {partner} weitergegeben.")
            values = dict(
                principal_company_id=self.company_id,
                status=ShareStatus.OFFERED.value,
                offered_by_id=self.me.id,
                offered_at=now,
                decided_by_id=None,
                decided_at=None,
            )
            passed_before = conn.execute(
                select(exists().where(Share.lead_id == lead_id, Share.principal_company_id == self.company_id))
            ).scalar()
            if previous:
                conn.execute(update(Share).where(Share.id == previous.id).values(**values))
                share_id = previous.id
            else:
                share_id = conn.execute(
                    insert(Share)
                    .values(lead_id=lead_id, partner_company_id=partner_company_id, **values)
                    .returning(Share.id)
                ).scalar_one()
                if not passed_before:
                    self._count_changes(conn, {PASSED_ON_SLOT: 1})
        return ShareInfo(share_id, self.company.name, partner, ShareStatus.OFFERED, outgoing=True)

    def accept_offer(self, share_id: int) -> Assignment:
        """Accept a lead offer for the own company; the lead is assigned to the acting colleague
        in the same transaction. Of two colleagues accepting at once, one wins; the other gets
        AlreadyDecided."""
        now = self._clock()
        with self._write() as conn:
            result = conn.execute(
                update(Share)
                .where(
                    Share.id == share_id,
                    Share.partner_company_id == self.company_id,
                    Share.status == ShareStatus.OFFERED.value,
                )
                .values(status=ShareStatus.ACCEPTED.value, decided_by_id=self.me.id, decided_at=now)
            )
            if result.rowcount != 1:
                self._raise_decided(conn, share_id)
            lead = (
                conn.execute(select(Lead).join(Share, Share.lead_id == Lead.id).where(Share.id == share_id))
                .one()
                ._asdict()
            )
            self._take_on(conn, lead, "accepted", AssignmentReason.OFFER_ACCEPTED, now)
            return self._assignment(conn, lead["id"])

    def decline_offer(self, share_id: int) -> None:
        now = self._clock()
        with self._write() as conn:
            result = conn.execute(
                update(Share)
                .where(
                    Share.id == share_id,
                    Share.partner_company_id == self.company_id,
                    Share.status == ShareStatus.OFFERED.value,
                )
                .values(status=ShareStatus.DECLINED.value, decided_by_id=self.me.id, decided_at=now)
            )
            if result.rowcount != 1:
                self._raise_decided(conn, share_id)

    def _raise_decided(self, conn: Connection, share_id: int) -> None:
        row = conn.execute(
            select(Share.status, Col.name)
            .outerjoin(Col, Col.id == Share.decided_by_id)
            .where(Share.id == share_id, Share.partner_company_id == self.company_id)
        ).first()
        if row is None:
            raise NotFound("Leadangebot nicht gefunden.")
        verb = "angenommen" if row.status == ShareStatus.ACCEPTED.value else "abgelehnt"
        raise AlreadyDecided(f"Dieses Leadangebot wurde bereits von Ihrer Firma {verb} ({row.name}).")

    # --- preferences --------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self._read() as conn:
            value = conn.execute(
                select(Setting.value).where(Setting.colleague_id == self.me.id, Setting.key == key)
            ).scalar()
        return default if value is None else value

    def save_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            result = conn.execute(
                update(Setting).where(Setting.colleague_id == self.me.id, Setting.key == key).values(value=value)
            )
            if result.rowcount == 0:
                conn.execute(insert(Setting).values(colleague_id=self.me.id, key=key, value=value))
