-- Photos' bytes move out of PostgreSQL into the file store (issue 16): a row keeps the
-- metadata (hash, owner, type, size, time). Rows written before keep their bytes until
-- `zhucun files move-out` has written them to the store and read them back by their hash.
ALTER TABLE photos ALTER COLUMN bytes DROP NOT NULL, ADD COLUMN size integer;
UPDATE photos SET size = octet_length(bytes);
ALTER TABLE photos ALTER COLUMN size SET NOT NULL,
    ADD CONSTRAINT photos_size CHECK (size > 0 AND size <= 8 * 1024 * 1024);
