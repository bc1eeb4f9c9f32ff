-- Incremental shift detection: per (entity, topic), what full detection settled, so one batch re-examines only the recent tail.
CREATE TABLE detection_summaries (
    entity_id    VARCHAR NOT NULL,
    topic_id     VARCHAR NOT NULL,
    cut_off      DATE NOT NULL,
    fingerprint  VARCHAR NOT NULL,
    state        BLOB NOT NULL,
    made_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (entity_id, topic_id)
);
COMMENT ON TABLE detection_summaries IS 'Shift detection''s settled summary of a pair: statements said before cut_off as the detector derived them (state, its own encoding); fingerprint = the count and checksum of those statements and their sources when it was made (a summary whose statements changed since is not used). Derived data: deleting a row only makes the next detection of that pair a full one.';
