-- Statements of watched companies, where each was reported, and the timeline view.
CREATE TABLE statements (
    id                      VARCHAR PRIMARY KEY,
    article_id              VARCHAR NOT NULL,
    entity_id               VARCHAR NOT NULL,
    topic_id                VARCHAR,
    speaker                 VARCHAR NOT NULL,
    speaker_resolved        VARCHAR,
    speaker_role            VARCHAR,
    text                    VARCHAR NOT NULL,
    kind                    VARCHAR NOT NULL,
    cue                     VARCHAR,
    start_offset            INTEGER,
    end_offset              INTEGER,
    stance                  DOUBLE,
    stance_label            VARCHAR,
    confidence              DOUBLE NOT NULL,
    attribution_confidence  DOUBLE NOT NULL,
    stance_confidence       DOUBLE,
    stance_cues             JSON,
    is_denial               BOOLEAN NOT NULL DEFAULT false,
    stated_at               DATE,
    stated_precision        VARCHAR,
    date_cue                VARCHAR,
    analyzed_at             TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE statements IS 'What a watched company or its people said (or were reported to plan), one row per quote and topic; stance in [-1, 1] toward the topic proposition (null when off-topic).';
CREATE INDEX statements_entity_topic ON statements(entity_id, topic_id);

CREATE TABLE statement_sources (
    statement_id  VARCHAR NOT NULL,
    article_id    VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    start_offset  INTEGER,
    end_offset    INTEGER,
    published_at  TIMESTAMPTZ,
    PRIMARY KEY (statement_id, article_id)
);
COMMENT ON TABLE statement_sources IS 'Every article that reported a statement: the same quote in several articles is one statement with several sources.';

CREATE VIEW statement_timeline AS
SELECT s.entity_id, s.topic_id, s.stated_at, s.stated_precision, s.speaker, s.speaker_resolved,
       s.kind, s.stance, s.stance_label, s.confidence, s.is_denial, s.text,
       a.url, a.title, count(ss.article_id) AS source_count, s.id AS statement_id
FROM statements s
JOIN articles a ON a.id = s.article_id
LEFT JOIN statement_sources ss ON ss.statement_id = s.id
GROUP BY ALL
ORDER BY s.entity_id, s.topic_id, s.stated_at;
COMMENT ON VIEW statement_timeline IS 'Statements per entity and topic in the order they were said, with how many articles reported each.';
