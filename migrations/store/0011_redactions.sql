-- A redacted copy of an evidence item is an item of its own; this column says which original it
-- was made from (by SHA-256), by whom, when, why and how (JSON, see model::Redaction). NULL for
-- every item that is not a redacted copy. The original is never changed.
ALTER TABLE evidence ADD COLUMN redaction TEXT;
