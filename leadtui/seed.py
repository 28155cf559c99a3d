"""Deterministic, realistic German sample data: the demo database and the bulk generator.

Every lead is generated as a short story that follows the announcement's rules, and its history
says so: a lead created by hand ("manuell") is assigned to its creator at creation; a lead that
arrived another way starts unassigned until a colleague triages it; an accepted lead offer is
assigned to the colleague who accepted it, when they accepted it; later reassignments follow as
history entries. A new user learns the rules from the demo, so the demo must keep them.

Leads are written with set-based inserts in chunks (no ORM objects, no query per lead), each
chunk with its counters in one transaction, inside a crash-safe bulk load (see
db/maintenance.py). The same random seed and clock give the same data.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from leadtui.db import read_model
from leadtui.db.errors import storage_error
from leadtui.db.maintenance import bulk_load
from leadtui.db.models import AssignmentHistoryModel as History
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import LeadModel as Lead
from leadtui.db.models import LeadShareModel as Share
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.domain import AssignmentReason, DeclineReason, LeadStatus, ListKind, ListQuery, ShareStatus
from leadtui.domain.windows import remind_at

DEMO_NOW = datetime(2026, 11, 2, 9, 0)
PRINCIPAL = "Sonnenstrom Energie GmbH"
PARTNERS = ("Nordlicht Vertrieb GmbH", "Alpenland Solar KG")
SEED_REASONS = [reason.value for reason in DeclineReason if reason is not DeclineReason.OTHER]
# The response window the principal's offers get by default (rule 24); Alpenland has none.
WINDOW_HOURS = {PARTNERS[0]: 48}
UNRELATED = "Rheinwerk Handel AG"

# (company, name, e-mail, active)
COLLEAGUES = (
    (PRINCIPAL, "Anna Becker", "anna.becker@sonnenstrom.example", True),
    (PRINCIPAL, "Jonas Weber", "jonas.weber@sonnenstrom.example", True),
    (PRINCIPAL, "Lena Hoffmann", "lena.hoffmann@sonnenstrom.example", True),
    (PRINCIPAL, "Sophie Wagner", "sophie.wagner@sonnenstrom.example", True),
    (PRINCIPAL, "Markus Schulz", "markus.schulz@sonnenstrom.example", False),
    (PARTNERS[0], "Tim Krüger", "tim.krueger@nordlicht.example", True),
    (PARTNERS[0], "Julia Neumann", "julia.neumann@nordlicht.example", True),
    (PARTNERS[0], "Felix Braun", "felix.braun@nordlicht.example", True),
    (PARTNERS[1], "Maria Huber", "maria.huber@alpenland.example", True),
    (PARTNERS[1], "Stefan Gruber", "stefan.gruber@alpenland.example", True),
    (UNRELATED, "Paul Richter", "paul.richter@rheinwerk.example", True),
    (UNRELATED, "Laura Klein", "laura.klein@rheinwerk.example", True),
)
DEMO_USER = COLLEAGUES[0][2]

TITLES = (
    "PV-Anlage {n} kWp Einfamilienhaus",
    "Wärmepumpe Neubau",
    "Stromspeicher Nachrüstung",
    "Wallbox für Firmenparkplatz",
    "Gewerbedach-Photovoltaik {n} kWp",
    "Energieberatung Bestandsgebäude",
    "Balkonkraftwerk Mehrfamilienhaus",
    "Ladeinfrastruktur Fuhrpark",
    "Heizungstausch Gas auf Wärmepumpe",
    "Solarcarport {n} Stellplätze",
)
TRADES = (
    "Bäckerei",
    "Schreinerei",
    "Autohaus",
    "Zahnarztpraxis",
    "Hotel",
    "Landgasthof",
    "Metallbau",
    "Spedition",
    "Steuerkanzlei",
    "Gärtnerei",
    "Elektro",
    "Brauerei",
    "Physiotherapie",
    "Druckerei",
)
LEGAL = ("", " GmbH", " KG", " GmbH & Co. KG", " e.K.", " AG")
FIRST = (
    "Thomas",
    "Sabine",
    "Michael",
    "Claudia",
    "Andreas",
    "Petra",
    "Stefan",
    "Monika",
    "Frank",
    "Birgit",
    "Uwe",
    "Katrin",
    "Jürgen",
    "Sandra",
    "Klaus",
    "Nicole",
    "Ralf",
    "Heike",
    "Tobias",
    "Miriam",
)
LAST = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Meyer",
    "Bauer",
    "Koch",
    "Richter",
    "Wolf",
    "Schröder",
    "Zimmermann",
    "Krause",
    "Lehmann",
    "Köhler",
    "Maier",
    "Huber",
    "Vogel",
    "Frank",
    "Berger",
    "Kaiser",
)
CITIES = (
    "München",
    "Augsburg",
    "Regensburg",
    "Nürnberg",
    "Würzburg",
    "Stuttgart",
    "Ulm",
    "Freiburg",
    "Karlsruhe",
    "Mannheim",
    "Frankfurt am Main",
    "Kassel",
    "Köln",
    "Düsseldorf",
    "Münster",
    "Hamburg",
    "Bremen",
    "Hannover",
    "Leipzig",
    "Dresden",
    "Erfurt",
    "Rosenheim",
    "Passau",
    "Ingolstadt",
)
SOURCES = ("Website", "Messe", "Empfehlung", "Telefonakquise", "Partnerportal", "Newsletter", "manuell")
MANUAL = "manuell"
STATUS_WEIGHTS = ((LeadStatus.NEW, 45), (LeadStatus.IN_PROGRESS, 30), (LeadStatus.WON, 15), (LeadStatus.LOST, 10))
# How a lead's story goes: triaged after arriving, reassigned later, left with someone who has
# left the company since (Verwaist), offered on by the principal, and how offers end.
TRIAGED = 0.75
REASSIGNED = 0.2
UNASSIGNED_LATER = 0.04
TO_INACTIVE = 0.1
OFFERED = 0.2

CHUNK = 20_000
ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})


@dataclass
class Structure:
    principal: int
    partners: list[int]
    unrelated: int
    active: dict[int, list[int]]  # company -> active colleague ids
    inactive: dict[int, list[int]]  # company -> inactive colleague ids
    names: dict[int, str]  # colleague id -> name
    windows: dict[int, int]  # partner company id -> its default response window in hours


def ensure_structure(engine: Engine) -> Structure:
    """Create the sample companies, colleagues and partnerships unless they exist."""
    with engine.begin() as conn:
        ids: dict[str, int] = {}
        for name in (PRINCIPAL, *PARTNERS, UNRELATED):
            company_id = conn.execute(select(Co.id).where(Co.name == name)).scalar()
            if company_id is None:
                company_id = conn.execute(insert(Co).values(name=name).returning(Co.id)).scalar_one()
                read_model.add_change_row(conn, company_id)
            ids[name] = company_id
        for partner in PARTNERS:
            known = conn.execute(
                select(Partnership).where(
                    Partnership.principal_id == ids[PRINCIPAL], Partnership.partner_id == ids[partner]
                )
            ).first()
            if not known:
                conn.execute(
                    insert(Partnership).values(
                        principal_id=ids[PRINCIPAL], partner_id=ids[partner], window_hours=WINDOW_HOURS.get(partner)
                    )
                )
        active: dict[int, list[int]] = {company_id: [] for company_id in ids.values()}
        inactive: dict[int, list[int]] = {company_id: [] for company_id in ids.values()}
        names: dict[int, str] = {}
        admins: set[str] = set()
        for company, name, email, is_active in COLLEAGUES:
            row = conn.execute(select(Col.id, Col.active).where(Col.email == email)).first()
            role = "member" if company in admins else "admin"  # the first of a company is its admin
            admins.add(company)
            if row is None:
                colleague_id = conn.execute(
                    insert(Col)
                    .values(company_id=ids[company], name=name, email=email, active=is_active, role=role)
                    .returning(Col.id)
                ).scalar_one()
                row_active = is_active
            else:
                colleague_id, row_active = row
            (active if row_active else inactive)[ids[company]].append(colleague_id)
            names[colleague_id] = name
    windows = {ids[partner]: hours for partner, hours in WINDOW_HOURS.items()}
    return Structure(ids[PRINCIPAL], [ids[p] for p in PARTNERS], ids[UNRELATED], active, inactive, names, windows)


@dataclass
class Batch:
    """One chunk of generated rows, and how it moves each company's counters."""

    leads: list[dict[str, Any]] = field(default_factory=list)
    views: list[dict[str, Any]] = field(default_factory=list)
    shares: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[int, dict[int | None, read_model.Tally]] = field(default_factory=dict)

    def count(self, company: int, slot: int | None, moved: read_model.Tally) -> None:
        slots = self.counts.setdefault(company, {})
        slots[slot] = slots.get(slot, read_model.Tally()) + moved

    def write(self, engine: Engine) -> None:
        """All rows of the chunk and their counters in one transaction: a killed run leaves
        whole chunks behind, never a lead without its counter."""
        with engine.begin() as conn:
            conn.execute(insert(Lead), self.leads)
            conn.execute(insert(CL), self.views)
            if self.shares:
                conn.execute(insert(Share), self.shares)
            if self.history:
                conn.execute(insert(History), self.history)
            for company, deltas in sorted(self.counts.items()):
                read_model.change_counts(conn, company, deltas)
            read_model.touch(conn, self.counts)  # open apps show the new leads


class Story:
    """What happens to leads, told by the rules: who had each when, and why."""

    def __init__(self, rng: random.Random, structure: Structure, batch: Batch, now: datetime):
        self.rng, self.s, self.batch, self.now = rng, structure, batch, now
        self.owners = [structure.principal] * 7 + structure.partners + [structure.unrelated]
        self.statuses = [s.value for s, _ in STATUS_WEIGHTS]
        self.weights = [w for _, w in STATUS_WEIGHTS]

    def person(self, company: int, inactive_share: float = 0.0) -> int:
        """A colleague of `company`; with `inactive_share`, sometimes one who has left since."""
        left = self.s.inactive[company]
        if left and self.rng.random() < inactive_share:
            return self.rng.choice(left)
        return self.rng.choice(self.s.active[company])

    def later(self, at: datetime, low_hours: int, high_hours: int) -> datetime | None:
        moment = at + timedelta(hours=self.rng.randrange(low_hours, high_hours))
        return moment if moment < self.now else None

    def lead(self, lead_id: int, share_id: int) -> int:
        """Tell one lead's story into the batch; returns the next free offer id."""
        rng = self.rng
        owner = self.owners[rng.randrange(len(self.owners))]
        created = self.now - timedelta(minutes=rng.randrange(60, 60 * 24 * 365))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        trade, city = rng.choice(TRADES), rng.choice(CITIES)
        lead: dict[str, Any] = dict(
            id=lead_id,
            owner_company_id=owner,
            title=rng.choice(TITLES).format(n=rng.randrange(5, 120)),
            prospect=f"{trade} {rng.choice(LAST)}{rng.choice(LEGAL)}",
            contact=f"{first} {last}",
            email=f"{first[0]}.{last}@{trade}-{city.split()[0]}.example".lower().translate(ASCII),
            phone=f"+49 {rng.randrange(30, 999)} {rng.randrange(100000, 9999999)}",
            city=city,
            status=rng.choices(self.statuses, self.weights)[0],
            value=rng.randrange(20, 2500) * 100 if rng.random() < 0.9 else None,
            source=rng.choice(SOURCES),
            created_at=created,
            updated_at=created,
        )
        lead.update(read_model.derived(lead))
        self.batch.leads.append(lead)
        history = LeadHistory(self.batch, owner, lead_id)
        if lead["source"] == MANUAL:  # rule 5: created by hand, assigned to its creator
            creator = self.person(owner, TO_INACTIVE)
            history.add(created, creator, creator, AssignmentReason.CREATED)
        elif rng.random() < TRIAGED and (moment := self.later(created, 1, 48)):
            history.add(moment, self.person(owner, TO_INACTIVE), self.person(owner), AssignmentReason.MANUAL)
        self.afterwards(history)
        self.view(history, lead, "own")
        if owner == self.s.principal and rng.random() < OFFERED:
            share_id = self.offer(lead, share_id)
        return share_id

    def offer(self, lead: dict[str, Any], share_id: int) -> int:
        rng = self.rng
        partner = rng.choice(self.s.partners)
        offered_at = self.later(lead["created_at"], 1, 72)
        if offered_at is None:
            return share_id
        roll = rng.random()
        status = ShareStatus.ACCEPTED if roll < 0.6 else ShareStatus.OFFERED if roll < 0.85 else ShareStatus.DECLINED
        decided_at = self.later(offered_at, 1, 48) if status is not ShareStatus.OFFERED else None
        if decided_at is None:
            status = ShareStatus.OFFERED
        decider = self.person(partner) if decided_at else None
        deadline = remind = None
        hours = self.s.windows.get(partner) if status is ShareStatus.OFFERED else None
        if hours and offered_at > self.now - timedelta(hours=hours):  # still open: offered within its window
            deadline = offered_at + timedelta(hours=hours)
            remind = remind_at(offered_at, deadline)
            remind = remind if remind and remind > self.now else None  # else reminded already
        self.batch.shares.append(
            dict(
                id=share_id,
                lead_id=lead["id"],
                principal_company_id=self.s.principal,
                partner_company_id=partner,
                status=status.value,
                offered_by_id=self.person(self.s.principal),
                offered_at=offered_at,
                decided_by_id=decider,
                decided_at=decided_at,
                deadline=deadline,
                remind_at=remind,
                # a reason as a partner gives one (rule 23), the same for the same offer: not drawn,
                # so the rest of the generated data stays as it was
                decline_reason=SEED_REASONS[share_id % len(SEED_REASONS)] if status is ShareStatus.DECLINED else None,
            )
        )
        self.batch.count(self.s.principal, read_model.PASSED_ON_SLOT, read_model.Tally(n=1))
        if status is ShareStatus.ACCEPTED and decider is not None and decided_at is not None:
            history = LeadHistory(self.batch, partner, lead["id"])
            history.add(decided_at, decider, decider, AssignmentReason.OFFER_ACCEPTED)  # rule 6
            self.afterwards(history)
            self.view(history, lead, "accepted")
        return share_id + 1

    def afterwards(self, history: LeadHistory) -> None:
        """Later reassignments and removals, each a history entry after the ones before."""
        company = history.company
        while history.at is not None and self.rng.random() < REASSIGNED + UNASSIGNED_LATER:
            moment = self.later(history.at, 24, 24 * 30)
            if moment is None:
                return
            removed = self.rng.random() < UNASSIGNED_LATER / (REASSIGNED + UNASSIGNED_LATER)
            new = None if removed else self.person(company, TO_INACTIVE)
            if new == history.assignee:
                return
            history.add(moment, new, self.person(company), AssignmentReason.MANUAL)

    def view(self, history: LeadHistory, lead: dict[str, Any], via: str) -> None:
        assignee = history.assignee
        self.batch.views.append(
            dict(
                company_id=history.company,
                lead_id=lead["id"],
                colleague_id=assignee,
                version=1 + history.changes,
                via=via,
                **read_model.view_sort_keys(lead, self.s.names[assignee] if assignee else None),
            )
        )
        self.batch.count(history.company, assignee, read_model.tally(lead["status"]))


class LeadHistory:
    """One company's assignment history of one lead, as it is being told."""

    def __init__(self, batch: Batch, company: int, lead_id: int):
        self.batch, self.company, self.lead_id = batch, company, lead_id
        self.assignee: int | None = None
        self.at: datetime | None = None
        self.changes = 0

    def add(self, at: datetime, new: int | None, by: int, reason: AssignmentReason) -> None:
        self.batch.history.append(
            dict(
                company_id=self.company,
                lead_id=self.lead_id,
                from_id=self.assignee,
                to_id=new,
                by_id=by,
                at=at,
                reason=reason.value,
            )
        )
        self.assignee, self.at = new, at
        self.changes += 1


def generate(
    engine: Engine,
    leads: int,
    *,
    seed: int = 42,
    now: datetime = DEMO_NOW,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `leads` generated leads with offers and assignments in realistic proportions;
    returns how many were written."""
    try:
        return _generate(engine, leads, seed, now, progress)
    except SQLAlchemyError as error:
        raise storage_error(error) from None


def _generate(engine: Engine, leads: int, seed: int, now: datetime, progress: Callable[[int], None] | None) -> int:
    structure = ensure_structure(engine)
    rng = random.Random(seed)
    with engine.begin() as conn:
        next_lead = (conn.execute(select(func.max(Lead.id))).scalar() or 0) + 1
        next_share = (conn.execute(select(func.max(Share.id))).scalar() or 0) + 1
    written = 0
    with bulk_load(engine):
        for size in _chunk_sizes(leads):
            batch = Batch()
            story = Story(rng, structure, batch, now)
            for lead_id in range(next_lead, next_lead + size):
                next_share = story.lead(lead_id, next_share)
            batch.write(engine)
            next_lead += size
            written += size
            if progress is not None:
                progress(written)
    _advance_sequences(engine)
    return written


def _advance_sequences(engine: Engine) -> None:
    """The seed writes lead and offer ids itself; PostgreSQL's sequences must then start past
    them, or the next lead typed in (or imported) would take an id the seed already gave."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        conn.execute(text(ADVANCE_LEADS))
        conn.execute(text(ADVANCE_SHARES))


ADVANCE_LEADS = "SELECT setval(pg_get_serial_sequence('leads', 'id'), coalesce(max(id), 0) + 1, false) FROM leads"
ADVANCE_SHARES = (
    "SELECT setval(pg_get_serial_sequence('lead_shares', 'id'), coalesce(max(id), 0) + 1, false) FROM lead_shares"
)


def _chunk_sizes(total: int) -> Iterator[int]:
    while total > 0:
        yield min(CHUNK, total)
        total -= CHUNK


def build_demo(engine: Engine) -> None:
    """The demo database: about 300 leads across four companies, as of a fixed day, and the
    last morning's work on Anna Becker's leads - done through the repository, by the rules, so
    her journal and inbox have something to show."""
    generate(engine, 320, seed=2026, now=DEMO_NOW)
    demo_morning(engine)


def demo_morning(engine: Engine) -> None:
    from leadtui.repository import Repository  # the seed writes rows itself; the morning acts

    ticks = itertools.count()

    def clock() -> datetime:  # the morning's two hours before the demo's moment, three minutes a step
        return DEMO_NOW - timedelta(hours=2) + timedelta(minutes=3 * next(ticks))

    def acting(email: str) -> Repository:
        return Repository.for_email(engine, email, clock=clock)

    anna, jonas, lena = (
        acting(f"{name}@sonnenstrom.example") for name in ("anna.becker", "jonas.weber", "lena.hoffmann")
    )
    tim = acting("tim.krueger@nordlicht.example")
    mine = anna.rows(ListQuery(kind=ListKind.MINE), 0, 6)
    open_leads = [row for row in mine if row.status in (LeadStatus.NEW, LeadStatus.IN_PROGRESS)]
    first, second = open_leads[0], open_leads[1]
    anna.add_note(first.id, "Telefonat mit dem Kunden: Angebot bis Freitag gewünscht.\nDachfläche ca. 180 m².")
    anna.add_task(first.id, "Angebot schicken", DEMO_NOW.date())
    lena.add_note(second.id, "Kunde hat zurückgerufen – bitte Termin vor Ort vereinbaren.")
    for row in jonas.rows(ListQuery(kind=ListKind.UNASSIGNED), 0, 2):
        jonas.assign(row.id, anna.me.id, row.version)
    shared = [
        row
        for row in anna.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 200)
        if row.share_status is ShareStatus.ACCEPTED and row.partner_name == "Nordlicht Vertrieb GmbH"
    ]
    if shared:
        lead = shared[0]
        if lead.assignee is None or lead.assignee.id != anna.me.id:
            jonas.assign(lead.id, anna.me.id, anna.assignment(lead.id).version)
        tim.add_task(lead.id, "Vor-Ort-Termin mit dem Kunden", (DEMO_NOW + timedelta(days=3)).date())
    # Lena passes two fresh leads on to Nordlicht in one step: Tim, its admin, finds one
    # notification for both in his inbox (rule 21).
    nordlicht = next(p for p in lena.partners() if p.name == "Nordlicht Vertrieb GmbH")
    fresh = [row.id for row in lena.rows(ListQuery(kind=ListKind.UNASSIGNED), 0, 2)]
    if fresh:
        lena.offer_many(tuple(fresh), nordlicht.id)
