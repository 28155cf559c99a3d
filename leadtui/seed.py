"""Deterministic, realistic German sample data: the demo database and the bulk generator.

Both write with set-based inserts in chunks (no ORM objects, no query per lead), so a million
leads take well under two minutes on SQLite. The same random seed and clock give the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, literal, select, text

from leadtui.db.models import (
    AssignmentHistoryModel as History,
)
from leadtui.db.models import (
    ColleagueModel as Col,
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
from leadtui.domain import AssignmentReason, LeadStatus, ShareStatus
from leadtui.repository import PASSED_ON_SLOT, search_text, view_sort_keys

DEMO_NOW = datetime(2026, 11, 2, 9, 0)
PRINCIPAL = "Sonnenstrom Energie GmbH"
PARTNERS = ("Nordlicht Vertrieb GmbH", "Alpenland Solar KG")
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
STATUS_WEIGHTS = ((LeadStatus.NEW, 45), (LeadStatus.IN_PROGRESS, 30), (LeadStatus.WON, 15), (LeadStatus.LOST, 10))

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


def ensure_structure(engine: Engine) -> Structure:
    """Create the sample companies, colleagues and partnerships unless they exist."""
    with engine.begin() as conn:
        ids: dict[str, int] = {}
        for name in (PRINCIPAL, *PARTNERS, UNRELATED):
            company_id = conn.execute(select(Co.id).where(Co.name == name)).scalar()
            if company_id is None:
                company_id = conn.execute(insert(Co).values(name=name).returning(Co.id)).scalar_one()
            ids[name] = company_id
        for partner in PARTNERS:
            known = conn.execute(
                select(Partnership).where(
                    Partnership.principal_id == ids[PRINCIPAL], Partnership.partner_id == ids[partner]
                )
            ).first()
            if not known:
                conn.execute(insert(Partnership).values(principal_id=ids[PRINCIPAL], partner_id=ids[partner]))
        active: dict[int, list[int]] = {company_id: [] for company_id in ids.values()}
        inactive: dict[int, list[int]] = {company_id: [] for company_id in ids.values()}
        names: dict[int, str] = {}
        for company, name, email, is_active in COLLEAGUES:
            row = conn.execute(select(Col.id, Col.active).where(Col.email == email)).first()
            if row is None:
                colleague_id = conn.execute(
                    insert(Col)
                    .values(company_id=ids[company], name=name, email=email, active=is_active)
                    .returning(Col.id)
                ).scalar_one()
                row_active = is_active
            else:
                colleague_id, row_active = row
            (active if row_active else inactive)[ids[company]].append(colleague_id)
            names[colleague_id] = name
    return Structure(ids[PRINCIPAL], [ids[p] for p in PARTNERS], ids[UNRELATED], active, inactive, names)


def _chunks(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


BULK_TABLES = ("leads", "company_leads", "lead_shares", "assignment_history")


@contextmanager
def bulk_load(engine: Engine) -> Iterator[None]:
    """Set the lead tables' secondary indexes and search triggers aside during a bulk insert and
    build them afresh after: a million random-order index inserts take minutes, a build seconds.
    Meant for seeding, not for a database colleagues are working in at the same moment."""
    tables = ", ".join(f"'{t}'" for t in BULK_TABLES)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            aside = conn.execute(
                text(
                    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                    f"AND tbl_name IN ({tables}) AND sql IS NOT NULL ORDER BY type"
                )
            ).all()
        elif engine.dialect.name == "postgresql":
            aside = conn.execute(
                text(
                    "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                    f"AND tablename IN ({tables}) AND indexname NOT IN (SELECT conname FROM pg_constraint)"
                )
            ).all()
        else:
            aside = []
        for kind, name, _ in aside:
            conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    try:
        yield
    finally:
        with engine.begin() as conn:
            for _, _, sql in aside:
                conn.exec_driver_sql(sql)
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("INSERT INTO leads_fts(leads_fts) VALUES ('rebuild')")
                conn.exec_driver_sql("ANALYZE")
        if engine.dialect.name == "postgresql":
            # Fresh statistics, and a visibility map so index-only scans need not visit the heap.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")


def generate(
    engine: Engine,
    leads: int,
    *,
    seed: int = 42,
    now: datetime = DEMO_NOW,
    history: bool = False,
) -> int:
    """Add `leads` generated leads with shares and assignments in realistic proportions;
    returns how many were written."""
    structure = ensure_structure(engine)
    rng = random.Random(seed)
    with engine.begin() as conn:
        next_lead = (conn.execute(select(func.max(Lead.id))).scalar() or 0) + 1
        next_share = (conn.execute(select(func.max(Share.id))).scalar() or 0) + 1
    with bulk_load(engine):
        written = _write_leads(engine, structure, rng, leads, next_lead, next_share, now, history)
    recount(engine)
    return written


def _write_leads(
    engine: Engine,
    structure: Structure,
    rng: random.Random,
    leads: int,
    next_lead: int,
    next_share: int,
    now: datetime,
    history: bool,
) -> int:
    owners = [structure.principal] * 7 + structure.partners + [structure.unrelated]
    statuses = [s.value for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    written = 0
    remaining = leads
    while remaining > 0:
        batch = min(CHUNK, remaining)
        lead_rows, view_rows, share_rows, history_rows = [], [], [], []
        for _ in range(batch):
            lead_id = next_lead
            next_lead += 1
            owner = owners[rng.randrange(len(owners))]
            created = now - timedelta(minutes=rng.randrange(60, 60 * 24 * 365))
            first, last = rng.choice(FIRST), rng.choice(LAST)
            trade = rng.choice(TRADES)
            prospect = f"{trade} {rng.choice(LAST)}{rng.choice(LEGAL)}"
            title = rng.choice(TITLES).format(n=rng.randrange(5, 120))
            city = rng.choice(CITIES)
            contact = f"{first} {last}"
            lead_rows.append(
                dict(
                    id=lead_id,
                    owner_company_id=owner,
                    title=title,
                    prospect=prospect,
                    contact=contact,
                    email=f"{first[0]}.{last}@{trade}-{city.split()[0]}.example".lower().translate(ASCII),
                    phone=f"+49 {rng.randrange(30, 999)} {rng.randrange(100000, 9999999)}",
                    city=city,
                    status=rng.choices(statuses, weights)[0],
                    value=rng.randrange(20, 2500) * 100 if rng.random() < 0.9 else None,
                    source=rng.choice(SOURCES),
                    search_text=search_text(title, prospect, contact, city),
                    created_at=created,
                    updated_at=created,
                )
            )
            view_rows.append(_view(rng, structure, owner, lead_rows[-1], "own", 0.7))
            if owner == structure.principal and rng.random() < 0.2:
                partner = rng.choice(structure.partners)
                roll = rng.random()
                status = (
                    ShareStatus.ACCEPTED if roll < 0.6 else ShareStatus.OFFERED if roll < 0.85 else ShareStatus.DECLINED
                )
                offered_at = created + timedelta(hours=rng.randrange(1, 72))
                decider = rng.choice(structure.active[partner]) if status is not ShareStatus.OFFERED else None
                share_rows.append(
                    dict(
                        id=next_share,
                        lead_id=lead_id,
                        principal_company_id=owner,
                        partner_company_id=partner,
                        status=status.value,
                        offered_by_id=rng.choice(structure.active[owner]),
                        offered_at=offered_at,
                        decided_by_id=decider,
                        decided_at=offered_at + timedelta(hours=5) if decider else None,
                    )
                )
                next_share += 1
                if status is ShareStatus.ACCEPTED:
                    view_rows.append(_view(rng, structure, partner, lead_rows[-1], "accepted", 0.75, decider))
        if history:
            for view, lead in zip(view_rows, _lead_for_views(lead_rows, view_rows), strict=False):
                if view["colleague_id"] is not None:
                    reason = AssignmentReason.CREATED if view["via"] == "own" else AssignmentReason.OFFER_ACCEPTED
                    history_rows.append(
                        dict(
                            company_id=view["company_id"],
                            lead_id=view["lead_id"],
                            from_id=None,
                            to_id=view["colleague_id"],
                            by_id=view["colleague_id"],
                            at=lead["created_at"],
                            reason=reason.value,
                        )
                    )
        with engine.begin() as conn:
            conn.execute(insert(Lead), lead_rows)
            conn.execute(insert(CL), view_rows)
            if share_rows:
                conn.execute(insert(Share), share_rows)
            if history_rows:
                conn.execute(insert(History), history_rows)
        written += batch
        remaining -= batch
    return written


def recount(engine: Engine) -> None:
    """Rebuild the per-assignee lead counters from the company views (after bulk writes)."""
    with engine.begin() as conn:
        conn.execute(delete(LeadCount))
        slot = func.coalesce(CL.colleague_id, 0)
        conn.execute(
            insert(LeadCount).from_select(
                ["company_id", "slot", "n"],
                select(CL.company_id, slot, func.count()).group_by(CL.company_id, slot),
            )
        )
        conn.execute(
            insert(LeadCount).from_select(
                ["company_id", "slot", "n"],
                select(
                    Share.principal_company_id, literal(PASSED_ON_SLOT), func.count(Share.lead_id.distinct())
                ).group_by(Share.principal_company_id),
            )
        )


def _view(
    rng: random.Random,
    structure: Structure,
    company: int,
    lead: dict,
    via: str,
    assigned_share: float,
    preferred: int | None = None,
) -> dict:
    """A company's view of a lead: mostly assigned, some to an inactive colleague, some not."""
    roll = rng.random()
    colleague = None
    if roll < assigned_share:
        colleague = preferred if preferred and rng.random() < 0.5 else rng.choice(structure.active[company])
    elif roll < assigned_share + 0.05 and structure.inactive[company]:
        colleague = rng.choice(structure.inactive[company])
    return dict(
        company_id=company,
        lead_id=lead["id"],
        colleague_id=colleague,
        version=1,
        via=via,
        **view_sort_keys(lead, structure.names.get(colleague)),
    )


def _lead_for_views(lead_rows: list[dict], view_rows: list[dict]) -> Iterator[dict]:
    by_id = {row["id"]: row for row in lead_rows}
    for view in view_rows:
        yield by_id[view["lead_id"]]


def build_demo(engine: Engine) -> None:
    """The demo database: about 300 leads across four companies, as of a fixed day."""
    generate(engine, 320, seed=2026, now=DEMO_NOW, history=True)
