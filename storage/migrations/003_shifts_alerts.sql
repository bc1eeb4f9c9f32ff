-- Shifts in a company's stance on a topic, the statements that evidence them, and alert deliveries.
CREATE TABLE shifts (
    id           VARCHAR PRIMARY KEY,
    entity_id    VARCHAR NOT NULL,
    topic_id     VARCHAR NOT NULL,
    direction    VARCHAR NOT NULL,
    from_stance  DOUBLE NOT NULL,
    to_stance    DOUBLE NOT NULL,
    confidence   DOUBLE NOT NULL,
    changed_on   DATE,
    detected_at  TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    reasons      JSON NOT NULL
);
COMMENT ON TABLE shifts IS 'A company''s stance on a topic moved: direction (e.g. pro->con), the weighted stance before and after, confidence in [0, 1], changed_on = when the first statement of the new position was made, reasons in words. Later evidence updates a shift in place (updated_at); it never alerts twice.';
CREATE INDEX shifts_entity_topic ON shifts(entity_id, topic_id);

-- No foreign keys: re-analysis may replace statements, and a shift keeps its evidence links meanwhile.
CREATE TABLE shift_statements (
    shift_id      VARCHAR NOT NULL,
    statement_id  VARCHAR NOT NULL,
    role          VARCHAR NOT NULL CHECK (role IN ('before', 'after', 'denial')),
    weight        DOUBLE,
    PRIMARY KEY (shift_id, statement_id, role)
);
COMMENT ON TABLE shift_statements IS 'The evidence of each shift: statements of the earlier position (before), of the new one (after), and denials of a change; weight = how much the statement counted (confidence x kind x speaker seniority x independent sources).';

CREATE TABLE deliveries (
    shift_id         VARCHAR NOT NULL,
    channel          VARCHAR NOT NULL,
    status           VARCHAR NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       VARCHAR,
    created_at       TIMESTAMPTZ NOT NULL,
    next_attempt_at  TIMESTAMPTZ,
    sent_at          TIMESTAMPTZ,
    PRIMARY KEY (shift_id, channel)
);
COMMENT ON TABLE deliveries IS 'The alert outbox: one row per shift and channel (a redacted label such as "mailto://smtp.example.com #1a2b3c", never the secret URL). pending -> sent, or failed and retried with exponential backoff at next_attempt_at; last_error has secrets removed.';

CREATE VIEW latest_shifts AS
WITH evidence AS (
    SELECT ss.shift_id, ss.role, st.speaker, st.text, st.stated_at, st.stance,
           row_number() OVER (PARTITION BY ss.shift_id, ss.role
                              ORDER BY ss.weight DESC NULLS LAST, st.stated_at, st.id) AS strength_rank
    FROM shift_statements ss
    JOIN statements st ON st.id = ss.statement_id
),
counts AS (
    SELECT shift_id,
           count(*) FILTER (WHERE role = 'before') AS before_count,
           count(*) FILTER (WHERE role = 'after') AS after_count,
           count(*) FILTER (WHERE role = 'denial') AS denial_count
    FROM shift_statements
    GROUP BY shift_id
)
SELECT sh.entity_id AS entity, sh.topic_id AS topic, sh.direction, sh.confidence,
       sh.from_stance, sh.to_stance, sh.changed_on, sh.detected_at,
       b.speaker AS before_speaker, b.text AS before_quote, b.stated_at AS before_stated_at,
       a.speaker AS after_speaker, a.text AS after_quote, a.stated_at AS after_stated_at,
       coalesce(c.before_count, 0) AS before_count, coalesce(c.after_count, 0) AS after_count,
       coalesce(c.denial_count, 0) AS denial_count,
       sh.id AS shift_id
FROM shifts sh
LEFT JOIN evidence b ON b.shift_id = sh.id AND b.role = 'before' AND b.strength_rank = 1
LEFT JOIN evidence a ON a.shift_id = sh.id AND a.role = 'after' AND a.strength_rank = 1
LEFT JOIN counts c ON c.shift_id = sh.id
ORDER BY sh.detected_at DESC, sh.changed_on DESC, sh.id;
COMMENT ON VIEW latest_shifts IS 'Shifts newest first, readable: entity, topic, direction, confidence, when it changed, and the strongest quote of the position before and after.';
