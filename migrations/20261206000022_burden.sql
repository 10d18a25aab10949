-- The reporting burden, measured (issue 13): what a record cost on the phone, from opening its
-- form to saving it (seconds, across drafts) and the fields filled in; absent from phones that
-- do not measure. Metadata: not part of the record's content hash.
ALTER TABLE field_records
    ADD COLUMN effort_seconds integer CHECK (effort_seconds BETWEEN 0 AND 1800),
    ADD COLUMN effort_fields smallint CHECK (effort_fields BETWEEN 0 AND 64);

-- The department's budget: minutes a week a secretary should spend recording.
ALTER TABLE districts ADD COLUMN burden_budget_minutes integer NOT NULL DEFAULT 30
    CHECK (burden_budget_minutes BETWEEN 1 AND 600);

-- Per posting and record kind, the last 28 days (`domain::burden::WEEKS`), kept by the
-- dashboard's refresher with the posting's other figures.
CREATE TABLE posting_burden (
    posting_id bigint NOT NULL REFERENCES postings,
    kind       text NOT NULL,
    records    integer NOT NULL,
    measured   integer NOT NULL,
    seconds    bigint NOT NULL,
    fields     bigint NOT NULL,
    PRIMARY KEY (posting_id, kind)
);

-- The quarantine keeps what it moves, the new columns included (after its own, so the rows
-- are copied by name from here on).
ALTER TABLE field_records_quarantine
    ADD COLUMN effort_seconds integer,
    ADD COLUMN effort_fields smallint;

CREATE OR REPLACE FUNCTION quarantine_bad_clocks() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    moved integer;
    postings bigint[];
BEGIN
    CREATE TEMP TABLE bad ON COMMIT DROP AS
        SELECT id, posting_id FROM field_records
         WHERE abs(clock_skew_s) > 86400 OR device_time < '2000-01-01' OR device_time >= '2200-01-01';
    SELECT count(*), array_agg(DISTINCT posting_id) INTO moved, postings FROM bad;
    IF moved = 0 THEN
        DROP TABLE bad;
        RETURN 0;
    END IF;
    UPDATE roll_call_targets SET answer = NULL WHERE answer IN (SELECT id FROM bad);
    INSERT INTO field_records_quarantine
        SELECT r.id, r.secretary_id, r.posting_id, r.kind, r.body, r.content_hash, r.device_time, r.received_at,
               r.clock_skew_s, r.verdict, r.offline, 'clock out of bounds', now(), r.effort_seconds, r.effort_fields
          FROM field_records r WHERE r.id IN (SELECT id FROM bad);
    DELETE FROM field_records WHERE id IN (SELECT id FROM bad);
    DELETE FROM attendance_days WHERE posting_id = ANY(postings);
    DELETE FROM attendance_outs WHERE posting_id = ANY(postings);
    PERFORM count_attendance(ARRAY(SELECT id FROM field_records WHERE posting_id = ANY(postings)));
    PERFORM dashboard_enqueue(postings);
    DROP TABLE bad;
    RETURN moved;
END $$;
