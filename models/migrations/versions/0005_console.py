"""staff console logins

Revision ID: 0005_console
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0005_console"
down_revision = "0001_core"
branch_labels = ("console",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_login_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id"),
    )
    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_account_username"), ["username"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_account_username"))
    op.drop_table("staff_account")
