-- Vault schema, version 9: what a queued transition declares to the server beside its decision
-- (the case's kind at submission, an office action's parties as keyed hashes, an appeal's
-- appellant), and the rationale this vault wrote into the sealed decision, kept for its own
-- view of the review chain.
ALTER TABLE outbox ADD COLUMN declared TEXT NOT NULL DEFAULT '{}';
ALTER TABLE outbox ADD COLUMN rationale TEXT NOT NULL DEFAULT '';
