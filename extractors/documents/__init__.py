"""Documents: feeds, sitemaps, local files, JSONL, article text and metadata, canonical URLs, timestamps."""

from extractors.documents._articles import (
    ExtractionError,
    canonical_url,
    extract_article,
)
from extractors.documents._feeds import (
    FeedError,
    Sitemap,
    detect_kind,
    parse_feed,
    parse_sitemap,
)
from extractors.documents._local import (
    LocalError,
    count_local_documents,
    iter_local_documents,
)
from extractors.documents._streams import (
    DECODABLE_CODINGS,
    CappedDecoder,
    TooLarge,
    inflate_capped,
    read_file_capped,
)
from extractors.documents._timestamps import parse_timestamp, to_utc

__all__ = [
    "DECODABLE_CODINGS",
    "CappedDecoder",
    "ExtractionError",
    "FeedError",
    "LocalError",
    "Sitemap",
    "TooLarge",
    "canonical_url",
    "count_local_documents",
    "detect_kind",
    "inflate_capped",
    "extract_article",
    "iter_local_documents",
    "parse_feed",
    "parse_sitemap",
    "parse_timestamp",
    "read_file_capped",
    "to_utc",
]
