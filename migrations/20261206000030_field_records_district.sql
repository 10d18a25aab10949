-- The district on the biggest table (issue 16, docs/scaling.md): the distribution column a
-- distributed PostgreSQL (Citus) needs, written by every insert from the record's posting, so
-- that the move needs no rewrite of the records; district-wide reads can filter on it directly.
-- Existing rows take their posting's (a rewrite of the table: on a province's year, minutes).
ALTER TABLE field_records ADD COLUMN district_id bigint REFERENCES districts;
UPDATE field_records r SET district_id = pd.district_id FROM posting_districts pd WHERE pd.posting_id = r.posting_id;
ALTER TABLE field_records ALTER COLUMN district_id SET NOT NULL;
