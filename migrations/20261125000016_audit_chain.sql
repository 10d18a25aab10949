-- A tamper-evident audit log and an application role that cannot rewrite it.
--
-- Each entry carries seq (1, 2, …), the previous entry's hash and its own hash: sha256 of the
-- previous hash followed by the entry's canonical text (audit_entry_body). Entries are added
-- one transaction at a time (a transaction-scoped advisory lock), so each links to the last
-- committed one. `zhucun audit verify` recomputes the chain outside the database.

CREATE FUNCTION audit_entry_body(seq bigint, at timestamptz, actor_id bigint, action text, entity text,
                                 entity_id bigint, detail jsonb) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_array(seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                             actor_id, action, entity, entity_id, detail)::text
$$;

ALTER TABLE audit_log ADD COLUMN seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

-- The entries already there, chained in the order they were made.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
DO $$
DECLARE
    r    record;
    prev bytea := decode(repeat('00', 32), 'hex');
    n    bigint := 0;
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        n := n + 1;
        UPDATE audit_log
           SET seq = n, prev_hash = prev,
               hash = sha256(prev || convert_to(audit_entry_body(n, r.at, r.actor_id, r.action, r.entity,
                                                                 r.entity_id, r.detail), 'UTF8'))
         WHERE id = r.id
        RETURNING hash INTO prev;
    END LOOP;
END $$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;

ALTER TABLE audit_log ALTER seq SET NOT NULL, ALTER prev_hash SET NOT NULL, ALTER hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash bytea;
BEGIN
    -- Held until this transaction ends: the next writer then sees this entry (read committed).
    PERFORM pg_advisory_xact_lock(2765489186);
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    NEW.at := now();
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, decode(repeat('00', 32), 'hex'));
    NEW.hash := sha256(NEW.prev_hash || convert_to(audit_entry_body(NEW.seq, NEW.at, NEW.actor_id, NEW.action,
                                                                    NEW.entity, NEW.entity_id, NEW.detail), 'UTF8'));
    RETURN NEW;
END $$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- The application's role: rows of every table, but the audit log only read and appended to;
-- no schema changes, so no trigger can be disabled. Roles belong to the whole cluster: another
-- database may have made it already.
DO $$
BEGIN
    CREATE ROLE zhucun_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END $$;

GRANT USAGE ON SCHEMA public, tower_sessions TO zhucun_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, tower_sessions TO zhucun_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO zhucun_app;
-- Tables and sequences of later migrations (run by the same owner) too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO zhucun_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO zhucun_app;
REVOKE UPDATE, DELETE ON audit_log FROM zhucun_app;
REVOKE ALL ON _sqlx_migrations FROM zhucun_app;
