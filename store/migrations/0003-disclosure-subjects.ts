/**
 * Migration 3: which customers each disclosure concerns, one row per pair, kept by a trigger on
 * the disclosure index, so the console's customer filter reads an index rather than every
 * disclosure's JSON list. Existing disclosures are filled in by the migration itself.
 */
export const SQLITE_0003_DISCLOSURE_SUBJECTS = `
CREATE TABLE IF NOT EXISTS disclosure_subjects (
  disclosure_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  PRIMARY KEY (subject_id, disclosure_id)
);
INSERT OR IGNORE INTO disclosure_subjects (disclosure_id, subject_id)
  SELECT d.id, j.value FROM disclosures d, json_each(d.subject_ids) j;
CREATE TRIGGER IF NOT EXISTS disclosures_subjects_insert AFTER INSERT ON disclosures
BEGIN
  INSERT OR IGNORE INTO disclosure_subjects (disclosure_id, subject_id) SELECT NEW.id, value FROM json_each(NEW.subject_ids);
END;
`;

export const POSTGRES_0003_DISCLOSURE_SUBJECTS = `
CREATE TABLE IF NOT EXISTS disclosure_subjects (
  disclosure_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  PRIMARY KEY (subject_id, disclosure_id)
);
INSERT INTO disclosure_subjects (disclosure_id, subject_id)
  SELECT d.id, s.value FROM disclosures d, jsonb_array_elements_text(d.subject_ids) s ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION disclosure_subjects_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO disclosure_subjects (disclosure_id, subject_id)
    SELECT NEW.id, s.value FROM jsonb_array_elements_text(NEW.subject_ids) s ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER disclosures_subjects_insert AFTER INSERT ON disclosures
  FOR EACH ROW EXECUTE FUNCTION disclosure_subjects_insert();
`;
