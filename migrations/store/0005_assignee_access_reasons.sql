-- Casebook vault schema, version 5: who leads a case (a name from the team; empty: nobody yet),
-- and the reason given for each reveal of non-public material.
ALTER TABLE cases ADD COLUMN assignee TEXT NOT NULL DEFAULT '';

-- Why someone looked at non-public or restricted material, asked at the moment of the reveal.
-- The audit row's payload hash covers the reason (the JSON {"reason": ...}), so an edited reason
-- no longer matches the chain.
CREATE TABLE access_reasons (
    audit_seq INTEGER PRIMARY KEY REFERENCES audit(seq),
    reason    TEXT NOT NULL
) STRICT;
