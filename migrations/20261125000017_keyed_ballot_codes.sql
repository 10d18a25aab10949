-- Ballot codes are stored as an HMAC with the server's secret (kept outside the database).
-- Codes already issued keep their bare SHA-256 and are accepted until their survey closes or
-- its codes are issued again; every new code says it is keyed.
ALTER TABLE ballot_codes ADD COLUMN keyed boolean NOT NULL DEFAULT false;
ALTER TABLE ballot_codes ALTER keyed DROP DEFAULT;
