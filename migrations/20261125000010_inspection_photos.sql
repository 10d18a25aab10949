-- A photo taken at an inspection (督查), kept with the inspected secretary's photos.
ALTER TABLE inspections ADD COLUMN photo text REFERENCES photos (hash);
