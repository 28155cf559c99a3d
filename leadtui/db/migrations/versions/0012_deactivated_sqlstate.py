"""A deactivated colleague's session fails with a SQLSTATE of our own

PostgreSQL only: `leadtui_me()` and `leadtui_company()` raise "Ihr Zugang ist deaktiviert." with
SQLSTATE LTD01 instead of 42501 (insufficient privilege), so the app recognises a deactivated
colleague by the state, never by matching the German words. SQLite checks in Python.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

# Frozen when written: this revision's own SQL. SCHEMA stands for the database's schema.
SCHEMA = "__SCHEMA__"
UPGRADE = [
    "CREATE OR REPLACE FUNCTION leadtui_me() RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE acting colleagues;\n            BEGIN\n              SELECT * INTO acting FROM colleagues WHERE login = session_user;\n              IF NOT FOUND THEN RETURN NULL; END IF;\n              IF NOT acting.active THEN\n                RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = 'LTD01';\n              END IF;\n              RETURN acting.id;\n            END $$",
    "CREATE OR REPLACE FUNCTION leadtui_company() RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE acting colleagues;\n            BEGIN\n              SELECT * INTO acting FROM colleagues WHERE login = session_user;\n              IF NOT FOUND THEN RETURN NULL; END IF;\n              IF NOT acting.active THEN\n                RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = 'LTD01';\n              END IF;\n              RETURN acting.company_id;\n            END $$",
]
DOWNGRADE = [
    "CREATE OR REPLACE FUNCTION leadtui_me() RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE acting colleagues;\n            BEGIN\n              SELECT * INTO acting FROM colleagues WHERE login = session_user;\n              IF NOT FOUND THEN RETURN NULL; END IF;\n              IF NOT acting.active THEN\n                RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = '42501';\n              END IF;\n              RETURN acting.id;\n            END $$",
    "CREATE OR REPLACE FUNCTION leadtui_company() RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE acting colleagues;\n            BEGIN\n              SELECT * INTO acting FROM colleagues WHERE login = session_user;\n              IF NOT FOUND THEN RETURN NULL; END IF;\n              IF NOT acting.active THEN\n                RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = '42501';\n              END IF;\n              RETURN acting.company_id;\n            END $$",
]

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _run(statements: list[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in statements:
        op.execute(statement.replace(SCHEMA, schema))


def upgrade() -> None:
    _run(UPGRADE)


def downgrade() -> None:
    _run(DOWNGRADE)
