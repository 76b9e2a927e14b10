"""media: photos attached to requests from the mini program

Revision ID: 0004_media
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004_media'
down_revision = '0001_core'
branch_labels = ('media',)
depends_on = None


def upgrade() -> None:
    op.create_table('ticket_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('mime', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ticket_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_photo_ticket_id'), ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_table('ticket_photo')
