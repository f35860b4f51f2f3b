"""Exactly one active host per active circle, as a database rule on PostgreSQL.

The partial unique index `circle_one_active_host` (migration 0001, every database) allows at most
one. This deferred constraint trigger adds "at least one": checked at COMMIT, so a service can
demote the old host and promote the new one in either order inside its transaction, but no
transaction can commit an ACTIVE circle without an ACTIVE HOST, whatever code path wrote it.
SQLite has no deferred triggers; there the services (which lock the circle) are the guard.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION circles_require_active_host() RETURNS trigger AS $$
DECLARE
    circle_ids bigint[];
    missing bigint;
BEGIN
    IF TG_TABLE_NAME = 'circles_circle' THEN
        circle_ids := ARRAY[NEW.id];
    ELSIF TG_OP = 'INSERT' THEN
        circle_ids := ARRAY[NEW.circle_id];
    ELSIF TG_OP = 'DELETE' THEN
        circle_ids := ARRAY[OLD.circle_id];
    ELSE
        circle_ids := ARRAY[OLD.circle_id, NEW.circle_id];
    END IF;
    SELECT c.id INTO missing
      FROM circles_circle c
     WHERE c.id = ANY(circle_ids)
       AND c.status = 'ACTIVE'
       AND NOT EXISTS (
           SELECT 1 FROM circles_membership m
            WHERE m.circle_id = c.id AND m.role = 'HOST' AND m.status = 'ACTIVE'
       )
     LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'circle % is active but has no active host', missing
            USING ERRCODE = 'check_violation', CONSTRAINT = 'circle_active_has_host';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER circle_active_has_host_membership
    AFTER INSERT OR UPDATE OR DELETE ON circles_membership
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION circles_require_active_host();

CREATE CONSTRAINT TRIGGER circle_active_has_host_circle
    AFTER INSERT OR UPDATE OF status ON circles_circle
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION circles_require_active_host();
"""

REVERSE = """
DROP TRIGGER IF EXISTS circle_active_has_host_circle ON circles_circle;
DROP TRIGGER IF EXISTS circle_active_has_host_membership ON circles_membership;
DROP FUNCTION IF EXISTS circles_require_active_host();
"""


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite in development and the fast tests)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("circles", "0001_initial"),
    ]

    operations = [
        PostgreSQLOnly(FUNCTION, REVERSE),
    ]
