"""notices, subscriptions, and the delivery columns on outbound_message

Revision ID: 0003_notices
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003_notices"
down_revision = "0001_core"
branch_labels = ("notices",)
depends_on = None

_when = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tags", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("send_at", _when(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("fanned_out_at", _when(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notice") as batch_op:
        batch_op.create_index("ix_notice_unit_id", ["unit_id"])
        batch_op.create_index("ix_notice_status", ["status"])
        batch_op.create_index("ix_notice_send_at", ["send_at"])

    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "unit_id", "topic", name="uq_subscription"),
    )
    with op.batch_alter_table("subscription") as batch_op:
        batch_op.create_index("ix_subscription_user_id", ["user_id"])
        batch_op.create_index("ix_subscription_unit_id", ["unit_id"])

    op.create_table(
        "subscription_choice",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("chosen_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )

    with op.batch_alter_table("outbound_message") as batch_op:
        batch_op.add_column(sa.Column("notice_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("next_attempt_at", _when(), nullable=False,
                                      server_default=sa.text("CURRENT_TIMESTAMP")))
        batch_op.create_foreign_key("fk_outbound_message_notice_id", "notice", ["notice_id"], ["id"])
        batch_op.create_index("ix_outbound_message_notice_id", ["notice_id"])
        batch_op.create_index("ix_outbound_message_due", ["status", "next_attempt_at"])


def downgrade() -> None:
    with op.batch_alter_table("outbound_message") as batch_op:
        batch_op.drop_index("ix_outbound_message_due")
        batch_op.drop_index("ix_outbound_message_notice_id")
        batch_op.drop_constraint("fk_outbound_message_notice_id", type_="foreignkey")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("urgent")
        batch_op.drop_column("notice_id")
    op.drop_table("subscription_choice")
    op.drop_table("subscription")
    op.drop_table("notice")
