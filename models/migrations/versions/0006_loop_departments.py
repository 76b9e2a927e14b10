"""loop: departments for 大事, department roles, the ticket's department and alert clocks

Revision ID: 0006_loop_departments
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0006_loop_departments"
down_revision = "0001_core"
branch_labels = ("loop",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", "unit_id", name="uq_department_name_unit"),
    )
    op.create_index("ix_department_name", "department", ["name"])
    # Server defaults too, so statements that name only the older columns still insert.
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("forwarded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("complex", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("alert_level", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default="wechat"))
        batch_op.create_foreign_key("fk_ticket_department", "department", ["department_id"], ["id"])
        batch_op.create_index("ix_ticket_department_id", ["department_id"])
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_user_role_department", "department", ["department_id"], ["id"])
        batch_op.drop_constraint("uq_user_role_unit", type_="unique")
        batch_op.create_unique_constraint("uq_user_role_unit", ["user_id", "role", "unit_id", "department_id"])


def downgrade() -> None:
    with op.batch_alter_table("user_role", schema=None) as batch_op:
        batch_op.drop_constraint("uq_user_role_unit", type_="unique")
        batch_op.create_unique_constraint("uq_user_role_unit", ["user_id", "role", "unit_id"])
        batch_op.drop_constraint("fk_user_role_department", type_="foreignkey")
        batch_op.drop_column("department_id")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_department_id")
        batch_op.drop_constraint("fk_ticket_department", type_="foreignkey")
        for column in ("channel", "alert_level", "complex", "acknowledged_at", "forwarded_at", "department_id"):
            batch_op.drop_column(column)
    op.drop_index("ix_department_name", "department")
    op.drop_table("department")
