"""Read model for lead lists at a million leads: sort keys per company view, counters, search index

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

# Frozen when written (issue 18): this revision's own SQL, never the live code's.
SQLITE_FTS_TABLE = (
    "CREATE VIRTUAL TABLE leads_fts USING fts5(search_text, content='leads', content_rowid='id', tokenize='trigram')"
)
SQLITE_FTS_TRIGGERS = {
    "leads_fts_insert": "CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN INSERT INTO leads_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "leads_fts_delete": "CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN INSERT INTO leads_fts(leads_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "leads_fts_update": "CREATE TRIGGER leads_fts_update AFTER UPDATE OF search_text ON leads BEGIN INSERT INTO leads_fts(leads_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO leads_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
}
PG_TRGM_INDEX = "CREATE INDEX ix_leads_search_trgm ON leads USING gin (search_text gin_trgm_ops)"

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SORT_COLUMNS = (
    ("sort_created", sa.DateTime(), "'1970-01-01 00:00:00'", "(SELECT created_at FROM leads WHERE leads.id = lead_id)"),
    ("sort_title", sa.String(200), "''", "(SELECT lower(title) FROM leads WHERE leads.id = lead_id)"),
    ("sort_prospect", sa.String(200), "''", "(SELECT lower(prospect) FROM leads WHERE leads.id = lead_id)"),
    ("sort_city", sa.String(100), "''", "(SELECT lower(city) FROM leads WHERE leads.id = lead_id)"),
    ("sort_status", sa.String(20), "''", "(SELECT status FROM leads WHERE leads.id = lead_id)"),
    ("sort_value", sa.Integer(), "-1", "(SELECT coalesce(value, -1) FROM leads WHERE leads.id = lead_id)"),
    (
        "sort_assignee",
        sa.String(200),
        "''",
        "coalesce((SELECT lower(name) FROM colleagues WHERE colleagues.id = colleague_id), '')",
    ),
)
SORT_KEYS = ("created", "title", "prospect", "city", "status", "value", "assignee")

SQLITE_FTS = (
    SQLITE_FTS_TABLE,
    *SQLITE_FTS_TRIGGERS.values(),
    "INSERT INTO leads_fts(leads_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    bind = op.get_bind()
    for name, type_, default, _ in SORT_COLUMNS:
        op.add_column("company_leads", sa.Column(name, type_, nullable=False, server_default=sa.text(default)))
    op.execute("UPDATE company_leads SET " + ", ".join(f"{name} = {source}" for name, _, _, source in SORT_COLUMNS))
    op.drop_index("ix_company_leads_company_colleague", table_name="company_leads")
    op.create_index(
        "ix_company_leads_company_colleague",
        "company_leads",
        ["company_id", "colleague_id", "sort_created", "lead_id"],
    )
    for key in SORT_KEYS:
        op.create_index(
            f"ix_company_leads_sort_{key}", "company_leads", ["company_id", f"sort_{key}", "lead_id", "colleague_id"]
        )

    op.create_table(
        "company_lead_counts",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_company_lead_counts_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("company_id", "slot", name=op.f("pk_company_lead_counts")),
    )
    op.execute(
        "INSERT INTO company_lead_counts (company_id, slot, n) "
        "SELECT company_id, coalesce(colleague_id, 0), count(*) FROM company_leads "
        "GROUP BY company_id, coalesce(colleague_id, 0)"
    )
    op.execute(
        "INSERT INTO company_lead_counts (company_id, slot, n) "
        "SELECT principal_company_id, -1, count(DISTINCT lead_id) FROM lead_shares GROUP BY principal_company_id"
    )

    if bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        # pg_trgm makes "/" search an index lookup; without the right to create the extension,
        # search still works, only slower.
        try:
            with bind.begin_nested():
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:
            return
        op.execute(PG_TRGM_INDEX)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("leads_fts_insert", "leads_fts_delete", "leads_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS leads_fts")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_leads_search_trgm")
    op.drop_table("company_lead_counts")
    for key in SORT_KEYS:
        op.drop_index(f"ix_company_leads_sort_{key}", table_name="company_leads")
    op.drop_index("ix_company_leads_company_colleague", table_name="company_leads")
    op.create_index("ix_company_leads_company_colleague", "company_leads", ["company_id", "colleague_id"])
    with op.batch_alter_table("company_leads") as batch:
        for name, *_ in SORT_COLUMNS:
            batch.drop_column(name)
