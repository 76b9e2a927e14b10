"""staff corrections of a request's department, kind and urgency

Revision ID: 0006_guardsdata_corrections
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0006_guardsdata_corrections"
down_revision = "0001_core"
branch_labels = ("corrections",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ticket_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("department_before", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind_before", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("urgent_before", sa.Boolean(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ticket_correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_correction_ticket_id"), ["ticket_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_correction_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_correction_at"))
        batch_op.drop_index(batch_op.f("ix_ticket_correction_ticket_id"))
    op.drop_table("ticket_correction")
