"""Team mode: roles in a company, logins, and row-level security on PostgreSQL

- colleagues.role: "admin" may add, deactivate and reactivate colleagues and give them logins;
  the first colleague of each company becomes its admin.
- colleagues.login: the PostgreSQL login a colleague works under (team mode).
- PostgreSQL: the leadtui_owner and leadtui_user roles, table ownership, grants, the helper
  functions and forced row-level security on every table (see db/row_security.py). Creating
  the roles the first time needs a superuser; later upgrades need a member of leadtui_owner.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from leadtui.db.row_security import OWNER_ROLE, statements
from leadtui.domain import StorageError

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("colleagues", sa.Column("role", sa.String(length=10), nullable=False, server_default="member"))
    op.add_column("colleagues", sa.Column("login", sa.String(length=63), nullable=True))
    op.create_index("ix_colleagues_login", "colleagues", ["login"], unique=True)
    op.execute("UPDATE colleagues SET role = 'admin' WHERE id IN (SELECT min(id) FROM colleagues GROUP BY company_id)")
    if bind.dialect.name != "postgresql":
        return
    op.create_check_constraint("role", "colleagues", "role IN ('admin', 'member')")
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    superuser = bind.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar_one()
    has_owner = bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": OWNER_ROLE}).first()
    if not superuser and not has_owner:
        raise StorageError(
            f"Die Rolle {OWNER_ROLE} fehlt: ein Superuser legt sie an (siehe README: „A team: PostgreSQL“)."
        )
    for statement in statements(schema):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from leadtui.db.row_security import FUNCTION_SIGNATURES, POLICIES

        for table, policies in POLICIES.items():
            op.execute(f"DROP POLICY IF EXISTS owner_all ON {table}")
            for number in range(1, len(policies) + 1):
                op.execute(f"DROP POLICY IF EXISTS company_{number} ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP TRIGGER IF EXISTS colleagues_login ON colleagues")
        for signature in FUNCTION_SIGNATURES:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
        op.drop_constraint("role", "colleagues", type_="check")
    op.drop_index("ix_colleagues_login", table_name="colleagues")
    with op.batch_alter_table("colleagues") as batch:
        batch.drop_column("login")
        batch.drop_column("role")
