-- Shift detection runs only on the (entity, topic) pairs whose statements changed since it last ran on them.
CREATE TABLE detection_queue (
    entity_id  VARCHAR NOT NULL,
    topic_id   VARCHAR NOT NULL,
    queued_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entity_id, topic_id)
);
COMMENT ON TABLE detection_queue IS '(entity, topic) pairs whose statements changed since shift detection last ran on them: written with the statements, cleared with the shifts detected.';

-- an archive made before the queue: every pair is detected once more
INSERT INTO detection_queue
SELECT entity_id, topic_id, now() FROM statements WHERE topic_id IS NOT NULL
UNION SELECT entity_id, topic_id, now() FROM shifts;
