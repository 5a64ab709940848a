"""index candidates.updated_at (cache freshness), consent withdrawals, lower(email)

The officer's search and the matching pool ask for the latest update on every
request to know whether their per-process copy is still current.

Revision ID: bb471ce7d46d
Revises: 3fb408af9be4
Create Date: 2026-11-26 18:00:15.756577

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bb471ce7d46d'
down_revision = '3fb408af9be4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidates_updated_at'), ['updated_at'], unique=False)
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_withdrawn_at'), ['withdrawn_at'], unique=False)
    # Duplicate checks compare lower(email): an expression index serves them.
    op.create_index('ix_candidates_email_lower', 'candidates', [sa.text('lower(email)')])


def downgrade():
    op.drop_index('ix_candidates_email_lower', table_name='candidates')
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_withdrawn_at'))
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_updated_at'))
