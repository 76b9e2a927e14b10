"""centres: bookable rooms of the service centres (阵地) and their bookings

Revision ID: 0004_centres
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004_centres'
down_revision = '0001_core'
branch_labels = ('centres',)
depends_on = None


def upgrade() -> None:
    op.create_table('centre_room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('facilities', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['service_centre.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('centre_id', 'name', name='uq_centre_room_name'),
    )
    with op.batch_alter_table('centre_room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_centre_room_centre_id'), ['centre_id'], unique=False)

    op.create_table('room_booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('cancelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name='ck_room_booking_order'),
    sa.ForeignKeyConstraint(['room_id'], ['centre_room.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('room_booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_booking_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_booking_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_booking_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_booking_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('room_booking')
    op.drop_table('centre_room')
