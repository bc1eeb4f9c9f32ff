-- An article whose analysis raised is recorded and skipped, never blocking the queue.
ALTER TABLE articles ADD COLUMN analysis_error VARCHAR;
COMMENT ON COLUMN articles.analysis_error IS 'Why analysis of this article failed (null when it did not); such articles are skipped until re-analysed.';
