-- A district may require a photo of the sign-in sheet with each meeting record (issue 13): a
-- forced function like roll calls, off unless the department turns it on with its basis.
ALTER TABLE district_mandates DROP CONSTRAINT district_mandates_mandate_check;
ALTER TABLE district_mandates ADD CONSTRAINT district_mandates_mandate_check
    CHECK (mandate IN ('roll_call', 'meeting_photo'));
