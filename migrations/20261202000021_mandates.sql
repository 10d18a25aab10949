-- Forced functions (issue 13): off unless a district turns them on, with the basis the rules
-- allow (国办函〔2026〕12号: forced check-ins only for security and emergencies, or the district's
-- own decision on record), the reason, who and when. Turning one off deletes its row; both are
-- in the audit log.
CREATE TABLE district_mandates (
    district_id bigint NOT NULL REFERENCES districts,
    mandate     text NOT NULL CHECK (mandate IN ('roll_call')),
    basis       text NOT NULL CHECK (basis IN ('security', 'emergency', 'district_decision')),
    reason      text NOT NULL CHECK (reason <> '' AND char_length(reason) <= 500),
    enabled_by  bigint NOT NULL REFERENCES accounts,
    enabled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (district_id, mandate)
);
