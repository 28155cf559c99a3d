"""The keys an import finds duplicates by, stored with each lead and indexed

- leads.match_email, match_phone, match_firm: the normalised e-mail, the phone number in E.164
  and firm with city (domain/imports.py, rule 19), NULL where a lead has none; an index each,
  so that a 100,000-row import looks its rows up instead of reading every lead its company
  holds.
- Filled for the leads there are, by the rule as it was when this revision was written (frozen
  below, like every revision's SQL; the live rule is `leadtui.domain.imports.match_keys`, and
  `leadtui db check --repair` recomputes the keys by it).

Revision ID: 0016
Revises: 0015
"""

import phonenumbers
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

RULES = ("email", "phone", "firm")
SQLITE_DROP = [
    "ALTER TABLE leads DROP COLUMN match_email",
    "ALTER TABLE leads DROP COLUMN match_phone",
    "ALTER TABLE leads DROP COLUMN match_firm",
]
BATCH = 5000


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a"})


def _name(text: str) -> str:
    return "".join(ch for ch in text.casefold().translate(_UMLAUTS) if ch.isalnum())


def _phone(phone: str) -> str:
    if sum(ch.isdigit() for ch in phone) < 5:
        return ""
    try:
        number = phonenumbers.parse(phone, "DE")
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def match_keys(email: str, phone: str, prospect: str, city: str) -> dict[str, str]:
    firm, place = _name(prospect), _name(city.lstrip("0123456789 "))
    keys = {
        "email": email.strip().casefold(),
        "phone": _phone(phone),
        "firm": f"{firm}|{place}" if firm and place else "",
    }
    return {rule: key for rule, key in keys.items() if key}


def upgrade() -> None:
    for rule in RULES:
        op.add_column("leads", sa.Column(f"match_{rule}", sa.String(length=700), nullable=True))
    conn = op.get_bind()
    leads = sa.table(
        "leads",
        sa.column("id", sa.Integer),
        *(sa.column(name, sa.String) for name in ("email", "phone", "prospect", "city")),
        *(sa.column(f"match_{rule}", sa.String) for rule in RULES),
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(leads.c.id, leads.c.email, leads.c.phone, leads.c.prospect, leads.c.city)
            .where(leads.c.id > last)
            .order_by(leads.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        keyed = []
        for row in rows:
            keys = match_keys(row.email or "", row.phone or "", row.prospect or "", row.city or "")
            if keys:
                keyed.append({"b_id": row.id, **{f"b_{rule}": keys.get(rule) for rule in RULES}})
        if keyed:
            conn.execute(
                leads.update()
                .where(leads.c.id == sa.bindparam("b_id"))
                .values({f"match_{rule}": sa.bindparam(f"b_{rule}") for rule in RULES}),
                keyed,
            )
    for rule in RULES:
        op.create_index(f"ix_leads_match_{rule}", "leads", [f"match_{rule}"])


def downgrade() -> None:
    for rule in RULES:
        op.drop_index(f"ix_leads_match_{rule}", table_name="leads")
    if op.get_bind().dialect.name == "sqlite":
        # In place (SQLite 3.35+): a batch copy of the table would trip the foreign keys on it.
        for statement in SQLITE_DROP:
            op.execute(statement)
        return
    for rule in RULES:
        op.drop_column("leads", f"match_{rule}")
