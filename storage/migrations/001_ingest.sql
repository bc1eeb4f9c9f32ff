-- Sources, the fetch log, the HTTP validators cache and the article archive.
CREATE TABLE sources (
    id          VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE sources IS 'Every source named in the config: feeds, sitemaps, single URLs and local paths.';

CREATE SEQUENCE fetch_log_seq;
CREATE TABLE fetch_log (
    id            BIGINT PRIMARY KEY DEFAULT nextval('fetch_log_seq'),
    source_id     VARCHAR,
    url           VARCHAR NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    status        INTEGER,
    error         VARCHAR,
    elapsed_ms    INTEGER,
    bytes         BIGINT,
    etag          VARCHAR,
    last_modified VARCHAR
);
COMMENT ON TABLE fetch_log IS 'One row per fetch attempt or local read: HTTP status (null when none), error (null when fine).';

CREATE TABLE http_validators (
    url           VARCHAR PRIMARY KEY,
    etag          VARCHAR,
    last_modified VARCHAR,
    updated_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE http_validators IS 'Latest ETag/Last-Modified per URL, for conditional GETs.';

CREATE TABLE articles (
    id            VARCHAR PRIMARY KEY,
    url           VARCHAR NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    title         VARCHAR,
    published_at  TIMESTAMPTZ,
    text          VARCHAR NOT NULL,
    author        VARCHAR,
    site_name     VARCHAR,
    source_id     VARCHAR,
    original_url  VARCHAR,
    content_hash  VARCHAR NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    analyzed_at   TIMESTAMPTZ
);
COMMENT ON TABLE articles IS 'One row per article version: canonical URL, text (trafilatura), metadata. A changed text at the same URL is a new version.';
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_hash ON articles(content_hash);
