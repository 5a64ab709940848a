"""Index candidates.completed_at for the dashboard funnel

The funnel counts complete profiles on every dashboard view: without the index
PostgreSQL reads all 50,000 rows of the benchmark set (about 20 ms of the page).

Revision ID: e23b3e13ad3a
Revises: 12ff6e6ddeb7
Create Date: 2026-11-26 19:52:07.150559

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e23b3e13ad3a'
down_revision = '12ff6e6ddeb7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidates_completed_at'), ['completed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_completed_at'))
