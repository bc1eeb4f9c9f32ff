"""What tests and benches share: real local servers, shared paths, fixture data. No test module imports another.

    from tests.support import LocalHTTPServer, shared_path, smtp_sink, archive_with

| module | holds |
|---|---|
| ``paths`` | ``REPO``, ``SHARED`` (../shared beside the repo), ``REPO_SEEDS``, ``SHARED_SEEDS``, ``TEST_DATA``, ``DEVSET``, ``shared_path`` |
| ``httpserver`` | ``LocalHTTPServer``: static files with ETag/Last-Modified, the fetcher's failure modes (``MALFORMED_FEED``) |
| ``sinks`` | ``smtp_sink`` (aiosmtpd) and ``http_sink`` (records POSTs, scripted answers) for alerts; ``post_to_slack`` |
| ``evidence`` | a company's history on a topic (``SUPPORT``, ``REVERSAL``, ``DENIAL``, ``ev``) and archives holding it |
| ``seeds`` | ``seed_watchlist``: the bundled seeds/watchlist.yaml as a Watchlist |
| ``benchmark`` | the 181-page extraction benchmark: ``load_benchmark``, ``token_f1``, ``write_articles_jsonl`` |
| ``polling`` | many small feeds on one local host (``serve_many_feeds``, ``write_poll_config``) for polling at scale |
| ``seedfeed`` | the bundled seeds as a local news site: ``seed_pages`` (one page each), ``seed_feed`` (RSS) |
| ``topics`` | invented topics several stance tests share (``RECYCLING``) |
| ``extraction`` | article extraction scored against ground truth, ours and bare trafilatura's (``score``, ``shared_pages``) |
| ``processes`` | ``alive``: whether a pid still runs (not gone, not a zombie), read from /proc |
| ``newuser`` | the new-user case: its watchlist, its articles and the time it is read at |
"""

from __future__ import annotations

import importlib

_HOME = {
    "paths": ["DEVSET", "REPO", "REPO_SEEDS", "SHARED", "SHARED_SEEDS", "TEST_DATA", "TESTS", "shared_path"],
    "httpserver": ["MALFORMED_FEED", "LocalHTTPServer", "RecordedRequest"],
    "sinks": ["SLACK_URL", "HttpSink", "Posted", "SmtpSink", "http_sink", "post_to_slack", "smtp_sink"],
    "evidence": ["DENIAL", "ENTITY", "NOW", "REVERSAL", "SUPPORT", "TOPIC", "archive_with", "detect_and_save", "ev",
                 "insert_statements", "with_sources"],
    "seeds": ["seed_watchlist"],
    "benchmark": ["BenchmarkPage", "load_benchmark", "token_f1", "write_articles_jsonl"],
    "extraction": ["EXTRACTORS", "Extraction", "Score", "ScoredPage", "bare_trafilatura", "newspaper4k_pages", "score",
                   "shared_pages", "stancewatch"],
    "polling": ["HostConcurrencyServer", "serve_many_feeds", "write_poll_config"],
    "seedfeed": ["SeedPage", "seed_feed", "seed_pages"],
    "topics": ["RECYCLING"],
    "processes": ["alive"],
    "newuser": ["NEW_USER_ARTICLES", "NEW_USER_NOW", "NEW_USER_WATCHLIST", "load_new_user_articles"],
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> object:
    # Imported on first use, so a test of the fetcher does not load shift detection or aiosmtpd (and a
    # half-edited room breaks only the tests that use it).
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'tests.support' has no attribute {name!r}")
    return getattr(importlib.import_module(f"tests.support.{_MODULE_OF[name]}"), name)
