"""members: registration (报到), projects, co-building units, points; the queue's indexes

Revision ID: 0002_members
Revises: 0001_core
Create Date: 2026-11-24 09:53:30.662407
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002_members'
down_revision = '0001_core'
branch_labels = ('members',)
depends_on = None


def upgrade() -> None:
    op.create_table('coop_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('contact_user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['org_unit.id'], ),
    sa.ForeignKeyConstraint(['contact_user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('coop_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coop_unit_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coop_unit_contact_user_id'), ['contact_user_id'], unique=False)

    op.create_table('member_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('applied_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['org_unit.id'], ),
    sa.ForeignKeyConstraint(['decided_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id')
    )
    with op.batch_alter_table('member_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_profile_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_profile_status'), ['status'], unique=False)

    op.create_table('point_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['org_unit.id'], ),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'ticket_id', 'reason', name='uq_point_entry_award')
    )
    with op.batch_alter_table('point_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_point_entry_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_point_entry_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_point_entry_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_point_entry_user_id'), ['user_id'], unique=False)

    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('deadline', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('coop_unit_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['org_unit.id'], ),
    sa.ForeignKeyConstraint(['coop_unit_id'], ['coop_unit.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_unit_id'), ['unit_id'], unique=False)

    op.create_table('project_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('coop_unit_id', sa.Integer(), nullable=True),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['coop_unit_id'], ['coop_unit.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id', 'user_id', name='uq_project_claim_user')
    )
    with op.batch_alter_table('project_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_claim_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_claim_user_id'), ['user_id'], unique=False)

    # Partial indexes: only queued tickets, in the order `任务` reads them (see models/tasks.py).
    queued = sa.text("status = 'queued'")
    for name, column in (("ix_ticket_queue_grid", "grid_id"), ("ix_ticket_queue_community", "community_id")):
        op.create_index(name, "ticket", [column, sa.literal_column("urgent DESC"), "created_at", "id"],
                        unique=False, postgresql_where=queued, sqlite_where=queued)



def downgrade() -> None:
    op.drop_index("ix_ticket_queue_grid", table_name="ticket")
    op.drop_index("ix_ticket_queue_community", table_name="ticket")

    with op.batch_alter_table('project_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_claim_user_id'))
        batch_op.drop_index(batch_op.f('ix_project_claim_project_id'))

    op.drop_table('project_claim')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_unit_id'))
        batch_op.drop_index(batch_op.f('ix_project_status'))
        batch_op.drop_index(batch_op.f('ix_project_community_id'))

    op.drop_table('project')
    with op.batch_alter_table('point_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_point_entry_user_id'))
        batch_op.drop_index(batch_op.f('ix_point_entry_month'))
        batch_op.drop_index(batch_op.f('ix_point_entry_grid_id'))
        batch_op.drop_index(batch_op.f('ix_point_entry_community_id'))

    op.drop_table('point_entry')
    with op.batch_alter_table('member_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_profile_status'))
        batch_op.drop_index(batch_op.f('ix_member_profile_community_id'))

    op.drop_table('member_profile')
    with op.batch_alter_table('coop_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coop_unit_contact_user_id'))
        batch_op.drop_index(batch_op.f('ix_coop_unit_community_id'))

    op.drop_table('coop_unit')
