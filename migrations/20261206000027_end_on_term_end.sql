-- A posting may be ended on its term's last day (issue 14: at the term's end, with the
-- department's decision on open commitment items recorded), not only before it.
ALTER TABLE postings DROP CONSTRAINT postings_check1;
ALTER TABLE postings ADD CONSTRAINT postings_ended_within_term
    CHECK (ended_on IS NULL OR (ended_on >= term_start AND ended_on <= term_end));
COMMENT ON COLUMN postings.ended_on IS 'The last day served, when the posting was ended (early, or at its term''s end).';

-- Y6 of the end-of-term evaluation counts the items a posting itself finished.
UPDATE commitment_items SET done_by_posting = posting_id WHERE state = 'done' AND done_by_posting IS NULL;
