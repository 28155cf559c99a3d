"""Signing in to a leadtui server: passwords, access tokens and invitations

- passwords: a colleague's Argon2 hash, set when they redeem an invitation.
- access_tokens: the SHA-256 of each signed-in session's opaque token, with its expiry and
  sign-out.
- invitations: the SHA-256 of each invitation code an admin gave, valid once, until it expires.
- PostgreSQL: owned by leadtui_owner with row-level security forced and no grant to
  leadtui_user, so no colleague's own database login ever reads a hash or a token (only the
  server, which connects as the owner, signs anyone in).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

# Frozen when written: this revision's own SQL.
STATEMENTS = [
    "ALTER TABLE passwords OWNER TO leadtui_owner",
    "ALTER TABLE passwords ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE passwords FORCE ROW LEVEL SECURITY",
    "CREATE POLICY owner_all ON passwords USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER TABLE access_tokens OWNER TO leadtui_owner",
    "ALTER TABLE access_tokens ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE access_tokens FORCE ROW LEVEL SECURITY",
    "CREATE POLICY owner_all ON access_tokens USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER TABLE invitations OWNER TO leadtui_owner",
    "ALTER TABLE invitations ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE invitations FORCE ROW LEVEL SECURITY",
    "CREATE POLICY owner_all ON invitations USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
]

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _same_company(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["colleague_id", "company_id"],
        ["colleagues.id", "colleagues.company_id"],
        name=f"fk_{table}_colleague_same_company",
    )


def upgrade() -> None:
    op.create_table(
        "passwords",
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        _same_company("passwords"),
        sa.PrimaryKeyConstraint("colleague_id", name=op.f("pk_passwords")),
    )
    op.create_table(
        "access_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        _same_company("access_tokens"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_tokens_token_hash")),
    )
    op.create_index("ix_access_tokens_colleague", "access_tokens", ["colleague_id"])
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        _same_company("invitations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invitations_code_hash")),
    )
    op.create_index("ix_invitations_colleague", "invitations", ["colleague_id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in STATEMENTS:
            op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_invitations_colleague", table_name="invitations")
    op.drop_table("invitations")
    op.drop_index("ix_access_tokens_colleague", table_name="access_tokens")
    op.drop_table("access_tokens")
    op.drop_table("passwords")
