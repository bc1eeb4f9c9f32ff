-- Spooled batches already applied: the name is recorded in the same transaction as the batch,
-- so a crash between the commit and the removal of the spool file never applies it twice.
CREATE TABLE spool_applied (
    batch       VARCHAR PRIMARY KEY,
    applied_at  TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE spool_applied IS 'Names of spooled batches (written while the archive was busy) applied but whose spool file may not be removed yet; a row lives only between the commit and the removal.';
