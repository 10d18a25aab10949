-- 投诉建议: complaints and suggestions sent to a district's organisation department. A message
-- is never changed or deleted once sent, and answered once (the trigger below); an anonymous
-- one keeps no sender. `lookup_hash` is the keyed hash of the follow-up code (查询码) the
-- sender was shown, which finds the message and its answer again.
CREATE TABLE feedback (
    id          bigserial PRIMARY KEY,
    district_id bigint NOT NULL REFERENCES districts,
    kind        text NOT NULL CHECK (kind IN ('complaint', 'suggestion')),
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    sender_id   bigint REFERENCES accounts,
    villager    boolean NOT NULL DEFAULT false,
    lookup_hash bytea NOT NULL UNIQUE,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    answer      text CHECK (length(answer) BETWEEN 1 AND 2000),
    answered_by bigint REFERENCES accounts,
    answered_at timestamptz,
    CONSTRAINT feedback_answered CHECK (num_nulls(answer, answered_by, answered_at) IN (0, 3)),
    CONSTRAINT feedback_villager_anonymous CHECK (NOT villager OR sender_id IS NULL)
);
CREATE INDEX feedback_district ON feedback (district_id, sent_at DESC);
CREATE INDEX feedback_sender ON feedback (sender_id) WHERE sender_id IS NOT NULL;

CREATE FUNCTION feedback_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'feedback is never deleted';
    END IF;
    IF OLD.answer IS NOT NULL
       OR (NEW.district_id, NEW.kind, NEW.body, NEW.villager, NEW.lookup_hash, NEW.sent_at)
          IS DISTINCT FROM (OLD.district_id, OLD.kind, OLD.body, OLD.villager, OLD.lookup_hash, OLD.sent_at)
       OR NEW.sender_id IS DISTINCT FROM OLD.sender_id THEN
        RAISE EXCEPTION 'feedback is sent once and answered once';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER feedback_sealed BEFORE UPDATE OR DELETE ON feedback
    FOR EACH ROW EXECUTE FUNCTION feedback_sealed();
