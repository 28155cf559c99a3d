"""Offers per principal, read model by casefold, maintenance notes

- An offer is a relation of one principal and one partner: the unique key of lead_shares becomes
  (lead, principal, partner), so a forwarding chain never overwrites another company's offer.
- Sort keys and search text are recomputed with the read model (Python casefold): migration 0002
  used SQL lower(), which folds only ASCII on SQLite.
- search_text becomes TEXT on PostgreSQL: folding can make it longer than the fields it joins.
- A `maintenance` table notes work that leaves the read model incomplete while it runs.

Revision ID: 0003
Revises: 0002
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

# Frozen when written (issue 18): the recomputation as this revision knew it - its own copy of
# the read model's folding and its own table definitions, never the live code's.
BATCH = 5_000
SORT_TEXT_LIMIT = 200
SORT_CITY_LIMIT = 100
NO_VALUE = -1
SORT_KEYS = ("sort_title", "sort_prospect", "sort_city", "sort_status", "sort_value", "sort_assignee")
LEADS = sa.table(
    "leads",
    *(sa.column(name) for name in ("id", "title", "prospect", "contact", "city", "status", "value", "search_text")),
)
VIEWS = sa.table("company_leads", *(sa.column(name) for name in ("lead_id", "company_id", "colleague_id", *SORT_KEYS)))
COLLEAGUES = sa.table("colleagues", sa.column("id"), sa.column("company_id"), sa.column("name"))


def _search_text(lead: Any) -> str:
    parts = (lead.title, lead.prospect, lead.contact, lead.city)
    return " ".join(part.strip().casefold() for part in parts if part and part.strip())


def _sort_keys(view: Any) -> dict[str, Any]:
    return dict(
        sort_title=view.title.casefold()[:SORT_TEXT_LIMIT],
        sort_prospect=view.prospect.casefold()[:SORT_TEXT_LIMIT],
        sort_city=view.city.casefold()[:SORT_CITY_LIMIT],
        sort_status=view.status,
        sort_value=NO_VALUE if view.value is None else view.value,
        sort_assignee=(view.assignee_name or "").casefold()[:SORT_TEXT_LIMIT],
    )


def _recompute(bind: sa.Connection) -> int:
    """Every lead's search text and every company view's sort keys, folded by Python; returns
    how many rows changed."""
    changed = 0
    last = 0
    while leads := bind.execute(sa.select(LEADS).where(LEADS.c.id > last).order_by(LEADS.c.id).limit(BATCH)).all():
        last = leads[-1].id
        stale = [{"b_id": r.id, "b_text": text} for r in leads if (text := _search_text(r)) != r.search_text]
        if stale:
            bind.execute(
                LEADS.update().where(LEADS.c.id == sa.bindparam("b_id")).values(search_text=sa.bindparam("b_text")),
                stale,
            )
        changed += len(stale)
    views = (
        sa.select(VIEWS, LEADS.c.title, LEADS.c.prospect, LEADS.c.city, LEADS.c.status, LEADS.c.value)
        .add_columns(COLLEAGUES.c.name.label("assignee_name"))
        .join(LEADS, LEADS.c.id == VIEWS.c.lead_id)
        .outerjoin(
            COLLEAGUES,
            sa.and_(COLLEAGUES.c.id == VIEWS.c.colleague_id, COLLEAGUES.c.company_id == VIEWS.c.company_id),
        )
        .order_by(VIEWS.c.lead_id, VIEWS.c.company_id)
    )
    key = (0, 0)
    while rows := bind.execute(
        views.where(
            sa.or_(VIEWS.c.lead_id > key[0], sa.and_(VIEWS.c.lead_id == key[0], VIEWS.c.company_id > key[1]))
        ).limit(BATCH)
    ).all():
        key = (rows[-1].lead_id, rows[-1].company_id)
        stale = []
        for r in rows:
            wanted = _sort_keys(r)
            if any(wanted[name] != getattr(r, name) for name in SORT_KEYS):
                stale.append(
                    {"b_lead": r.lead_id, "b_company": r.company_id, **{f"b_{k}": wanted[k] for k in SORT_KEYS}}
                )
        if stale:
            bind.execute(
                VIEWS.update()
                .where(VIEWS.c.lead_id == sa.bindparam("b_lead"), VIEWS.c.company_id == sa.bindparam("b_company"))
                .values({name: sa.bindparam(f"b_{name}") for name in SORT_KEYS}),
                stale,
            )
        changed += len(stale)
    return changed


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "maintenance",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_maintenance")),
    )
    with op.batch_alter_table("lead_shares") as batch:
        batch.drop_constraint("uq_lead_shares_lead_id_partner_company_id", type_="unique")
        batch.create_unique_constraint(
            op.f("uq_lead_shares_lead_id_principal_company_id_partner_company_id"),
            ["lead_id", "principal_company_id", "partner_company_id"],
        )
    if bind.dialect.name == "postgresql":
        op.alter_column("leads", "search_text", type_=sa.Text(), existing_nullable=False)
    if _recompute(bind) and bind.dialect.name == "sqlite":
        op.execute("INSERT INTO leads_fts(leads_fts) VALUES ('rebuild')")  # the index of the new text


def downgrade() -> None:
    with op.batch_alter_table("lead_shares") as batch:
        batch.drop_constraint("uq_lead_shares_lead_id_principal_company_id_partner_company_id", type_="unique")
        batch.create_unique_constraint(
            op.f("uq_lead_shares_lead_id_partner_company_id"), ["lead_id", "partner_company_id"]
        )
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("leads", "search_text", type_=sa.String(length=800), existing_nullable=False)
    op.drop_table("maintenance")
