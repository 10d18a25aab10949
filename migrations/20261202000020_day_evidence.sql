-- Presence from the work itself (issue 13): a record made inside the village with the phone's
-- position (a visit, a meeting, a diary …) is evidence of the day there, unless the district
-- counts check-ins only.
ALTER TABLE districts ADD COLUMN day_evidence text NOT NULL DEFAULT 'any_located'
    CHECK (day_evidence IN ('any_located', 'check_in'));

-- Per posting and district day, beside its check-ins: how many other records were made inside
-- the village, the first one's time and when it reached the server. A day may now have such
-- records and no check-in, so the first check-in's times may be missing.
ALTER TABLE attendance_days
    ALTER COLUMN first_device_time DROP NOT NULL,
    ALTER COLUMN first_received_at DROP NOT NULL,
    ADD COLUMN located integer NOT NULL DEFAULT 0,
    ADD COLUMN first_located timestamptz,
    ADD COLUMN first_located_received_at timestamptz;

-- Counts stored records into `attendance_days` and `attendance_outs`: check-ins (inside or
-- outside), check-outs, and other records judged inside the village. The one place they are
-- counted, by the sync push (`db::attendance::record_presence`) and when days are counted
-- again; returns the rows written.
CREATE FUNCTION count_attendance(ids uuid[]) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    days bigint;
    outs bigint;
BEGIN
    INSERT INTO attendance_days (posting_id, day, verified, review, offline, first_device_time, first_received_at,
                                 first_verified_in, first_verified_received_at, located, first_located,
                                 first_located_received_at)
    SELECT r.posting_id, ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date,
           count(*) FILTER (WHERE k.check_in AND r.verdict = 'verified'),
           count(*) FILTER (WHERE k.check_in AND r.verdict = 'review'),
           count(*) FILTER (WHERE k.check_in AND r.offline),
           min(r.device_time + r.clock_skew_s * interval '1 second') FILTER (WHERE k.check_in),
           min(r.received_at) FILTER (WHERE k.check_in),
           min(r.device_time) FILTER (WHERE k.check_in AND r.verdict = 'verified'),
           min(r.received_at) FILTER (WHERE k.check_in AND r.verdict = 'verified'),
           count(*) FILTER (WHERE NOT k.check_in),
           min(r.device_time) FILTER (WHERE NOT k.check_in),
           min(r.received_at) FILTER (WHERE NOT k.check_in)
      FROM field_records r
      CROSS JOIN LATERAL (SELECT r.kind = 'check_in' AS check_in) k
      JOIN postings p ON p.id = r.posting_id
      JOIN villages v ON v.id = p.village_id
      JOIN townships t ON t.id = v.township_id
      JOIN districts d ON d.id = t.district_id
     WHERE r.id = ANY(ids) AND (r.kind = 'check_in' OR (r.kind <> 'check_out' AND r.verdict = 'verified'))
     GROUP BY 1, 2
    ON CONFLICT (posting_id, day) DO UPDATE SET
           verified = attendance_days.verified + EXCLUDED.verified,
           review = attendance_days.review + EXCLUDED.review,
           offline = attendance_days.offline + EXCLUDED.offline,
           first_device_time = least(attendance_days.first_device_time, EXCLUDED.first_device_time),
           first_received_at = least(attendance_days.first_received_at, EXCLUDED.first_received_at),
           first_verified_in = least(attendance_days.first_verified_in, EXCLUDED.first_verified_in),
           first_verified_received_at = least(attendance_days.first_verified_received_at,
                                              EXCLUDED.first_verified_received_at),
           located = attendance_days.located + EXCLUDED.located,
           first_located = least(attendance_days.first_located, EXCLUDED.first_located),
           first_located_received_at = least(attendance_days.first_located_received_at,
                                             EXCLUDED.first_located_received_at);
    GET DIAGNOSTICS days = ROW_COUNT;
    INSERT INTO attendance_outs (posting_id, day, verified, last_verified_out)
    SELECT r.posting_id, ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date,
           count(*) FILTER (WHERE r.verdict = 'verified'), max(r.device_time) FILTER (WHERE r.verdict = 'verified')
      FROM field_records r
      JOIN postings p ON p.id = r.posting_id
      JOIN villages v ON v.id = p.village_id
      JOIN townships t ON t.id = v.township_id
      JOIN districts d ON d.id = t.district_id
     WHERE r.id = ANY(ids) AND r.kind = 'check_out'
     GROUP BY 1, 2
    ON CONFLICT (posting_id, day) DO UPDATE SET
           verified = attendance_outs.verified + EXCLUDED.verified,
           last_verified_out = greatest(attendance_outs.last_verified_out, EXCLUDED.last_verified_out);
    GET DIAGNOSTICS outs = ROW_COUNT;
    RETURN days + outs;
END $$;

-- As before (20261125000015), counting the postings' days again by the function above.
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
        SELECT r.*, 'clock out of bounds' FROM field_records r WHERE r.id IN (SELECT id FROM bad);
    DELETE FROM field_records WHERE id IN (SELECT id FROM bad);
    DELETE FROM attendance_days WHERE posting_id = ANY(postings);
    DELETE FROM attendance_outs WHERE posting_id = ANY(postings);
    PERFORM count_attendance(ARRAY(SELECT id FROM field_records WHERE posting_id = ANY(postings)));
    PERFORM dashboard_enqueue(postings);
    DROP TABLE bad;
    RETURN moved;
END $$;
