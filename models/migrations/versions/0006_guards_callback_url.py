"""guards: signed plaintext callback URLs already used (the replay guard's second line)

Revision ID: 0006_guards_callback_url
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006_guards_callback_url'
down_revision = '0001_core'
branch_labels = ('guards',)
depends_on = None


def upgrade() -> None:
    op.create_table('callback_url',
    sa.Column('url_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('body_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('url_key')
    )
    with op.batch_alter_table('callback_url', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_url_seen_at'), ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_table('callback_url')
