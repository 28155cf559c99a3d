"""Imports as batches, undone as a whole

- import_batches: one import of a file by a colleague (all its leads written in one
  transaction), private to the importing company; `undone_at` once it was undone.
- import_batch_leads: the leads a batch created or whose empty fields it filled, with the
  versions it left them at (an undo leaves a lead someone worked since).
- assignment_history.reason gains 'imported' ("beim Import").
- PostgreSQL: both tables under row-level security for the own company; leadtui_user may
  delete exactly what an undo removes - leads, their company views, history and journal entries
  that an own import created - and nothing else (the policies name the batch's rows).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# Frozen when written: this revision's own SQL.
POSTGRES_UP = [
    "ALTER TABLE assignment_history DROP CONSTRAINT ck_assignment_history_reason_valid",
    "ALTER TABLE assignment_history ADD CONSTRAINT ck_assignment_history_reason_valid CHECK (reason IN "
    "('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo', 'imported'))",
    "ALTER TABLE import_batches OWNER TO leadtui_owner",
    "ALTER TABLE import_batch_leads OWNER TO leadtui_owner",
    "GRANT SELECT, INSERT, UPDATE ON import_batches, import_batch_leads TO leadtui_user",
    "GRANT DELETE ON leads, company_leads, assignment_history, journal_entries TO leadtui_user",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO leadtui_user",
    "ALTER TABLE import_batches ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE import_batches FORCE ROW LEVEL SECURITY",
    "CREATE POLICY owner_all ON import_batches USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT "
    "leadtui_is_owner()))",
    "CREATE POLICY company_1 ON import_batches FOR SELECT USING (company_id = (SELECT leadtui_company()))",
    "CREATE POLICY company_2 ON import_batches FOR INSERT WITH CHECK (company_id = (SELECT leadtui_company()))",
    "CREATE POLICY company_3 ON import_batches FOR UPDATE USING (company_id = (SELECT leadtui_company()))"
    " WITH CHECK (company_id = (SELECT leadtui_company()))",
    "ALTER TABLE import_batch_leads ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE import_batch_leads FORCE ROW LEVEL SECURITY",
    "CREATE POLICY owner_all ON import_batch_leads USING ((SELECT leadtui_is_owner())) WITH CHECK "
    "((SELECT leadtui_is_owner()))",
    "CREATE POLICY company_1 ON import_batch_leads FOR SELECT USING (company_id = (SELECT leadtui_company()))",
    "CREATE POLICY company_2 ON import_batch_leads FOR INSERT WITH CHECK (company_id = (SELECT leadtui_company()))",
    "CREATE POLICY company_3 ON import_batch_leads FOR UPDATE USING (company_id = (SELECT "
    "leadtui_company())) WITH CHECK (company_id = (SELECT leadtui_company()))",
    "CREATE POLICY company_4 ON leads FOR DELETE USING (owner_company_id = (SELECT leadtui_company()) AND"
    " EXISTS (SELECT 1 FROM import_batch_leads b WHERE b.lead_id = leads.id AND b.company_id = "
    "leads.owner_company_id AND b.created))",
    "CREATE POLICY company_4 ON company_leads FOR DELETE USING (company_id = (SELECT leadtui_company()) "
    "AND EXISTS (SELECT 1 FROM import_batch_leads b WHERE b.lead_id = company_leads.lead_id AND "
    "b.company_id = company_leads.company_id AND b.created))",
    "CREATE POLICY company_3 ON assignment_history FOR DELETE USING (company_id = (SELECT "
    "leadtui_company()) AND EXISTS (SELECT 1 FROM import_batch_leads b WHERE b.lead_id = "
    "assignment_history.lead_id AND b.company_id = assignment_history.company_id AND b.created))",
    "CREATE POLICY company_4 ON journal_entries FOR DELETE USING (company_id = (SELECT leadtui_company())"
    " AND EXISTS (SELECT 1 FROM import_batch_leads b WHERE b.lead_id = journal_entries.lead_id AND "
    "b.company_id = journal_entries.company_id AND b.created))",
]
POSTGRES_DOWN = [
    "DROP POLICY IF EXISTS company_4 ON journal_entries",
    "DROP POLICY IF EXISTS company_3 ON assignment_history",
    "DROP POLICY IF EXISTS company_4 ON company_leads",
    "DROP POLICY IF EXISTS company_4 ON leads",
    "REVOKE DELETE ON leads, company_leads, assignment_history, journal_entries FROM leadtui_user",
    "DELETE FROM assignment_history WHERE reason = 'imported'",
    "ALTER TABLE assignment_history DROP CONSTRAINT ck_assignment_history_reason_valid",
    "ALTER TABLE assignment_history ADD CONSTRAINT ck_assignment_history_reason_valid CHECK (reason IN "
    "('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo'))",
]
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS ck_assignment_history_insert_valid",
    "DROP TRIGGER IF EXISTS ck_assignment_history_update_valid",
    "CREATE TRIGGER ck_assignment_history_insert_valid BEFORE INSERT ON assignment_history WHEN NOT "
    "(NEW.reason IN ('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo', 'imported') AND "
    "(typeof(NEW.at) = 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND "
    "date(NEW.at, '+0 days') = substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < "
    "'2101-01-01')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: assignment_history'); END",
    "CREATE TRIGGER ck_assignment_history_update_valid BEFORE UPDATE ON assignment_history WHEN NOT "
    "(NEW.reason IN ('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo', 'imported') AND "
    "(typeof(NEW.at) = 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND "
    "date(NEW.at, '+0 days') = substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < "
    "'2101-01-01')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: assignment_history'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS ck_assignment_history_insert_valid",
    "DROP TRIGGER IF EXISTS ck_assignment_history_update_valid",
    "DELETE FROM assignment_history WHERE reason = 'imported'",
    "CREATE TRIGGER ck_assignment_history_insert_valid BEFORE INSERT ON assignment_history WHEN NOT "
    "(NEW.reason IN ('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo') AND "
    "(typeof(NEW.at) = 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND "
    "date(NEW.at, '+0 days') = substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < "
    "'2101-01-01')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: assignment_history'); END",
    "CREATE TRIGGER ck_assignment_history_update_valid BEFORE UPDATE ON assignment_history WHEN NOT "
    "(NEW.reason IN ('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo') AND "
    "(typeof(NEW.at) = 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND "
    "date(NEW.at, '+0 days') = substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < "
    "'2101-01-01')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: assignment_history'); END",
]


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("leads", sa.Integer(), nullable=False),
        sa.Column("filled", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_import_batches_colleague_same_company",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index("ix_import_batches_company", "import_batches", ["company_id", "id"])
    op.create_table(
        "import_batch_leads",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.Boolean(), nullable=False),
        sa.Column("filled", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name="fk_import_batch_leads_batch"),
        sa.PrimaryKeyConstraint("batch_id", "lead_id", name=op.f("pk_import_batch_leads")),
    )
    op.create_index("ix_import_batch_leads_lead", "import_batch_leads", ["lead_id"])
    for statement in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else _in_schema(POSTGRES_UP):
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else _in_schema(POSTGRES_DOWN):
        op.execute(statement)
    op.drop_index("ix_import_batch_leads_lead", table_name="import_batch_leads")
    op.drop_table("import_batch_leads")
    op.drop_index("ix_import_batches_company", table_name="import_batches")
    op.drop_table("import_batches")


def _in_schema(statements: list[str]) -> list[str]:
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    return [statement.replace("SCHEMA public", f"SCHEMA {schema}") for statement in statements]
