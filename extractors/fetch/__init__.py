"""Fetching: the httpx client, the SSRF-checking transport, capped bodies, robots.txt, polling sources."""

from extractors.fetch._body import BodyTooLarge, read_capped
from extractors.fetch._client import Fetcher, FetchSettings
from extractors.fetch._polling import (
    MAX_CHILD_SITEMAPS,
    MAX_NEW_PER_POLL,
    ExtractedBatch,
    SourcePoll,
    extract_documents,
    poll_source,
    poll_sources,
)
from extractors.fetch._session import FetchSession
from extractors.fetch._transport import (
    AddressRefused,
    GuardedTransport,
    public_address_problem,
)

__all__ = [
    "MAX_CHILD_SITEMAPS",
    "MAX_NEW_PER_POLL",
    "AddressRefused",
    "BodyTooLarge",
    "ExtractedBatch",
    "FetchSession",
    "FetchSettings",
    "Fetcher",
    "GuardedTransport",
    "SourcePoll",
    "extract_documents",
    "poll_source",
    "poll_sources",
    "public_address_problem",
    "read_capped",
]
