-- Attendance that cannot be faked (issue 11).

-- The phone's clock, bounded: a push more than a day off the server's clock is
-- refused (`domain::field::clock_skew`), and the table refuses what no push can store any more,
-- so no record can break a board. Records stored before the bound whose times make no sense
-- are moved aside, kept for review, and the attendance they made is counted again without them.

-- A check-in's day is the district day of its time by the server's clock (the phone's clock
-- corrected by its push's skew), and so is "received late": `first_device_time` is that time.
-- A day whose first verified check-in arrived more than the district's grace after the day
-- ended is 补报 (reported late): it counts, flagged, until the township confirms or strikes it.
ALTER TABLE attendance_days ADD COLUMN first_verified_received_at timestamptz;
ALTER TABLE districts ADD COLUMN late_grace_hours integer NOT NULL DEFAULT 48 CHECK (late_grace_hours BETWEEN 1 AND 720);
CREATE TABLE late_day_reviews (
    posting_id bigint NOT NULL REFERENCES postings,
    day        date NOT NULL,
    decision   text NOT NULL CHECK (decision IN ('confirmed', 'struck')),
    reason     text NOT NULL CHECK (reason <> ''),
    decided_by bigint NOT NULL REFERENCES accounts,
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (posting_id, day)
);
CREATE TRIGGER late_day_reviews_dashboard AFTER INSERT OR UPDATE OR DELETE ON late_day_reviews
    FOR EACH ROW EXECUTE FUNCTION dashboard_enqueue_row();

CREATE TABLE field_records_quarantine (
    LIKE field_records,
    reason         text NOT NULL,
    quarantined_at timestamptz NOT NULL DEFAULT now()
);

-- Moves the records with an impossible clock into the quarantine (their roll-call answers
-- released) and counts their postings' days again; returns how many it moved.
CREATE FUNCTION quarantine_bad_clocks() RETURNS integer LANGUAGE plpgsql AS $$
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
        SELECT r.*, 'clock out of bounds' FROM field_records r WHERE r.id IN (SELECT id FROM bad);
    DELETE FROM field_records WHERE id IN (SELECT id FROM bad);
    DELETE FROM attendance_days WHERE posting_id = ANY(postings);
    DELETE FROM attendance_outs WHERE posting_id = ANY(postings);
    -- As the sync push counts them (`db::attendance::record_check_ins`), all at once.
    INSERT INTO attendance_days (posting_id, day, verified, review, offline, first_device_time, first_received_at,
                                 first_verified_in, first_verified_received_at)
    SELECT r.posting_id, ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date,
           count(*) FILTER (WHERE r.verdict = 'verified'), count(*) FILTER (WHERE r.verdict = 'review'),
           count(*) FILTER (WHERE r.offline), min(r.device_time + r.clock_skew_s * interval '1 second'), min(r.received_at),
           min(r.device_time) FILTER (WHERE r.verdict = 'verified'), min(r.received_at) FILTER (WHERE r.verdict = 'verified')
      FROM field_records r JOIN postings p ON p.id = r.posting_id JOIN villages v ON v.id = p.village_id
      JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
     WHERE r.posting_id = ANY(postings) AND r.kind = 'check_in'
     GROUP BY 1, 2;
    INSERT INTO attendance_outs (posting_id, day, verified, last_verified_out)
    SELECT r.posting_id, ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date,
           count(*) FILTER (WHERE r.verdict = 'verified'), max(r.device_time) FILTER (WHERE r.verdict = 'verified')
      FROM field_records r JOIN postings p ON p.id = r.posting_id JOIN villages v ON v.id = p.village_id
      JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
     WHERE r.posting_id = ANY(postings) AND r.kind = 'check_out'
     GROUP BY 1, 2;
    PERFORM dashboard_enqueue(postings);
    DROP TABLE bad;
    RETURN moved;
END $$;

SELECT quarantine_bad_clocks();

-- The days already counted, in the terms above.
UPDATE attendance_days a SET
       first_device_time = x.first_made, first_verified_received_at = x.first_verified_received
  FROM (SELECT r.posting_id, ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date AS day,
               min(r.device_time + r.clock_skew_s * interval '1 second') AS first_made,
               min(r.received_at) FILTER (WHERE r.verdict = 'verified') AS first_verified_received
          FROM field_records r JOIN postings p ON p.id = r.posting_id JOIN villages v ON v.id = p.village_id
          JOIN townships t ON t.id = v.township_id JOIN districts d ON d.id = t.district_id
         WHERE r.kind = 'check_in' GROUP BY 1, 2) x
 WHERE a.posting_id = x.posting_id AND a.day = x.day;

ALTER TABLE field_records
    ADD CONSTRAINT field_records_clock_bounds
    CHECK (clock_skew_s BETWEEN -86400 AND 86400 AND device_time >= '2000-01-01' AND device_time < '2200-01-01');

-- A roll call is answered by a check-in received before its deadline; one made in time but
-- received after it (or made after it) is late, and shown as such.
ALTER TABLE roll_call_targets ADD COLUMN late_at timestamptz;

-- A photo belongs to every secretary who sent it (or was inspected with it): the same bytes
-- from two secretaries are stored once, and each one's supervisors see them.
CREATE TABLE photo_owners (
    hash         text NOT NULL REFERENCES photos,
    secretary_id bigint NOT NULL REFERENCES accounts,
    PRIMARY KEY (hash, secretary_id)
);
INSERT INTO photo_owners (hash, secretary_id) SELECT hash, secretary_id FROM photos;

-- Sessions logged in before this end (a password changed or reset): `db::auth::actor`.
ALTER TABLE accounts ADD COLUMN sessions_since timestamptz NOT NULL DEFAULT '-infinity';

-- A fix is credited its reported accuracy up to this (metres); a less accurate one is reviewed.
ALTER TABLE districts ADD COLUMN max_accuracy_m integer NOT NULL DEFAULT 100 CHECK (max_accuracy_m BETWEEN 10 AND 1000);
