/**
 * Migration 2, both backends: indexes for the console's dashboard, which pages the disclosure
 * index newest first (created_at, id), overall or within one kind or one recipient.
 */
export const DISCLOSURE_PAGE_INDEXES = `
CREATE INDEX IF NOT EXISTS disclosures_created ON disclosures (created_at, id);
CREATE INDEX IF NOT EXISTS disclosures_kind_created ON disclosures (kind, created_at, id);
CREATE INDEX IF NOT EXISTS disclosures_recipient_created ON disclosures (recipient_id, created_at, id);
`;
