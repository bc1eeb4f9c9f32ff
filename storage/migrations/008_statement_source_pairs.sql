-- Each source carries its statement's (entity, topic), so a pair's query reads only that pair's sources
-- (with the tables in pair order, `stancewatch compact`, it skips every other row group).
ALTER TABLE statement_sources ADD COLUMN entity_id VARCHAR;
ALTER TABLE statement_sources ADD COLUMN topic_id VARCHAR;
UPDATE statement_sources SET entity_id = s.entity_id, topic_id = s.topic_id
FROM statements s WHERE s.id = statement_sources.statement_id;
COMMENT ON COLUMN statement_sources.entity_id IS 'The statement''s entity_id (a copy, so one pair''s sources are found without the statements table).';
COMMENT ON COLUMN statement_sources.topic_id IS 'The statement''s topic_id (a copy; null when off-topic).';
