-- The district on the other big tables (issue 16, docs/scaling.md), as field_records got it in
-- migration 30: attendance days and outs (a row per posting and day) and the photos' metadata
-- (a row per photo and per owner). A photo's district is its uploader's (a secretary belongs
-- to one: accounts_scope_check).
ALTER TABLE attendance_days ADD COLUMN district_id bigint REFERENCES districts;
UPDATE attendance_days a SET district_id = pd.district_id FROM posting_districts pd WHERE pd.posting_id = a.posting_id;
ALTER TABLE attendance_days ALTER COLUMN district_id SET NOT NULL;

ALTER TABLE attendance_outs ADD COLUMN district_id bigint REFERENCES districts;
UPDATE attendance_outs a SET district_id = pd.district_id FROM posting_districts pd WHERE pd.posting_id = a.posting_id;
ALTER TABLE attendance_outs ALTER COLUMN district_id SET NOT NULL;

ALTER TABLE photos ADD COLUMN district_id bigint REFERENCES districts;
UPDATE photos p SET district_id = a.district_id FROM accounts a WHERE a.id = p.secretary_id;
ALTER TABLE photos ALTER COLUMN district_id SET NOT NULL;

ALTER TABLE photo_owners ADD COLUMN district_id bigint REFERENCES districts;
UPDATE photo_owners o SET district_id = a.district_id FROM accounts a WHERE a.id = o.secretary_id;
ALTER TABLE photo_owners ALTER COLUMN district_id SET NOT NULL;

-- As before (20261202000020), with each day's district from its records.
CREATE OR REPLACE FUNCTION count_attendance(ids uuid[]) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    days bigint;
    outs bigint;
BEGIN
    INSERT INTO attendance_days (posting_id, day, district_id, verified, review, offline, first_device_time,
                                 first_received_at, first_verified_in, first_verified_received_at, located,
                                 first_located, first_located_received_at)
    SELECT r.posting_id, ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date,
           r.district_id,
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
      JOIN districts d ON d.id = r.district_id
     WHERE r.id = ANY(ids) AND (r.kind = 'check_in' OR (r.kind <> 'check_out' AND r.verdict = 'verified'))
     GROUP BY 1, 2, 3
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
    INSERT INTO attendance_outs (posting_id, day, district_id, verified, last_verified_out)
    SELECT r.posting_id, ((r.device_time + r.clock_skew_s * interval '1 second') AT TIME ZONE d.time_zone)::date,
           r.district_id, count(*) FILTER (WHERE r.verdict = 'verified'),
           max(r.device_time) FILTER (WHERE r.verdict = 'verified')
      FROM field_records r
      JOIN districts d ON d.id = r.district_id
     WHERE r.id = ANY(ids) AND r.kind = 'check_out'
     GROUP BY 1, 2, 3
    ON CONFLICT (posting_id, day) DO UPDATE SET
           verified = attendance_outs.verified + EXCLUDED.verified,
           last_verified_out = greatest(attendance_outs.last_verified_out, EXCLUDED.last_verified_out);
    GET DIAGNOSTICS outs = ROW_COUNT;
    RETURN days + outs;
END $$;
