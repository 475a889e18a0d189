"""Initial schema: vocabularies, organizations, activities and the links between them.

Revision ID: 0001
Revises: 
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activity_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_bg', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_types')),
    sa.UniqueConstraint('code', name=op.f('uq_activity_types_code'))
    )
    op.create_table('focus_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_bg', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focus_areas')),
    sa.UniqueConstraint('code', name=op.f('uq_focus_areas_code'))
    )
    op.create_table('partner_kinds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_bg', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_kinds')),
    sa.UniqueConstraint('code', name=op.f('uq_partner_kinds_code'))
    )
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('pupils_reached', sa.Integer(), nullable=True),
    sa.Column('news_url', sa.String(length=500), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'held', 'cancelled')", name=op.f('ck_activities_status')),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_activities_end_after_start')),
    sa.CheckConstraint('participants IS NULL OR participants >= 0', name=op.f('ck_activities_participants')),
    sa.CheckConstraint('pupils_reached IS NULL OR pupils_reached >= 0', name=op.f('ck_activities_pupils_reached')),
    sa.ForeignKeyConstraint(['type_id'], ['activity_types.id'], name=op.f('fk_activities_type_id_activity_types'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_school_year_start', ['school_year', 'start_date'], unique=False)
        batch_op.create_index('ix_activities_start_date', ['start_date'], unique=False)
        batch_op.create_index('ix_activities_type_start', ['type_id', 'start_date'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('mission', sa.Text(), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('contact_person', sa.String(length=200), nullable=False),
    sa.Column('partner_since', sa.Date(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['kind_id'], ['partner_kinds.id'], name=op.f('fk_organizations_kind_id_partner_kinds'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('name_key', name=op.f('uq_organizations_name_key')),
    sa.UniqueConstraint('slug', name=op.f('uq_organizations_slug'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_kind_id'), ['kind_id'], unique=False)

    op.create_table('activity_organizations',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.CheckConstraint("role IN ('organizer', 'partner', 'funder', 'guest')", name=op.f('ck_activity_organizations_role')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_organizations_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_activity_organizations_organization_id_organizations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('activity_id', 'organization_id', name=op.f('pk_activity_organizations'))
    )
    with op.batch_alter_table('activity_organizations', schema=None) as batch_op:
        batch_op.create_index('ix_activity_organizations_organization', ['organization_id', 'activity_id'], unique=False)

    op.create_table('organization_focus_areas',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('focus_area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['focus_area_id'], ['focus_areas.id'], name=op.f('fk_organization_focus_areas_focus_area_id_focus_areas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_organization_focus_areas_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organization_id', 'focus_area_id', name=op.f('pk_organization_focus_areas'))
    )


def downgrade() -> None:
    op.drop_table('organization_focus_areas')
    with op.batch_alter_table('activity_organizations', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_organizations_organization')

    op.drop_table('activity_organizations')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_kind_id'))

    op.drop_table('organizations')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_type_start')
        batch_op.drop_index('ix_activities_start_date')
        batch_op.drop_index('ix_activities_school_year_start')

    op.drop_table('activities')
    op.drop_table('partner_kinds')
    op.drop_table('focus_areas')
    op.drop_table('activity_types')
