-- Evidence content moves out of the database into encrypted chunk files (vault/chunks.rs): a
-- row keeps the chunk's hash and size, and `in_file = 1` says its bytes are in `chunks/`. Rows
-- of an older vault stay inline (`in_file = 0`, bytes in `data`) until the unlock that migrated
-- the schema moves them out, a batch per transaction.
ALTER TABLE blob_chunks ADD COLUMN in_file INTEGER NOT NULL DEFAULT 0 CHECK (in_file IN (0, 1));
ALTER TABLE blob_chunks ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
UPDATE blob_chunks SET size = length(data);
