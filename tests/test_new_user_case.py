"""A new user's case: a company and topic the code has never seen, through the real pipeline.

Eleven short articles (tests/data/new_user_articles.jsonl, backfill JSONL format) about
Halden Rail and the four-day work week: support restated in new words, for a new country
and after bad news, then rumours with a denial, then a real reversal by the CEO and the COO.
A second company, Corvane Energy, only restates its support.

articles -> extract_statements (extractors.statements) -> store_statements -> detect_shifts
-> the outbox, to a webhook sink on 127.0.0.1.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

import extractors.statements as statements_module  # noqa: E402
import storage.statements as storage_statements  # noqa: E402
from alerts.deliver import AlertSettings
from alerts.outbox import process_outbox
from extractors.shifts import detect_shifts
from storage.articles import ArticleBatch, save_articles
from storage.db import Archive
from storage.records import ShiftChanges
from storage.shifts import load_evidence, load_shifts, save_shift_changes, watched_pairs
from tests.support import NEW_USER_ARTICLES, NEW_USER_NOW, NEW_USER_WATCHLIST, http_sink, load_new_user_articles

NOW, WATCHLIST, load_articles = NEW_USER_NOW, NEW_USER_WATCHLIST, load_new_user_articles

ARTICLES = NEW_USER_ARTICLES


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    archive = Archive(tmp_path_factory.mktemp("new-user") / "archive.duckdb", lock_wait=5)
    articles = load_articles()
    archive.save(save_articles, ArticleBatch(tuple(articles), NOW))
    statements = tuple(st for article in articles for st in statements_module.extract_statements(article, WATCHLIST))
    archive.save(storage_statements.store_statements,
                 storage_statements.StatementBatch(tuple(articles), statements, NOW))
    with archive.connect() as con:
        changes = ShiftChanges.combine([
            detect_shifts(load_evidence(con, e, t), load_shifts(con, e, t), now=NOW) for e, t in watched_pairs(con)
        ])
    archive.save(save_shift_changes, changes)
    return archive


def shifts_of(archive: Archive, entity_id: str):
    with archive.connect(read_only=True) as con:
        return load_shifts(con, entity_id, "four-day-week")


def test_the_reversal_is_one_shift_with_its_evidence(archive):
    [shift] = shifts_of(archive, "halden-rail")
    assert shift.direction == "pro->con"
    assert shift.from_stance > 0.3 and shift.to_stance < -0.3
    assert shift.confidence >= 0.6
    first = min(shift.after, key=lambda s: s.stated_at)
    assert date(2025, 5, 1) <= first.stated_at <= date(2025, 6, 3), (
        f"the change is anchored at {first.stated_at}: {first.text!r} scored {first.stance:+.2f} "
        f"({', '.join(f'{s.stated_at} {s.stance:+.2f} {s.text[:50]!r}' for s in shift.after[:3])})")
    assert all(s.stated_at < date(2025, 5, 1) for s in shift.before)
    before_text = " ".join(s.text for s in shift.before)
    after_text = " ".join(s.text for s in shift.after)
    assert "best thing we have done for our drivers" in before_text
    assert "Our results do not change our support" in before_text  # restated after bad news: still 'before'
    assert "return to a five-day week in September" in after_text
    assert any("Sollie" in s.speaker or s.speaker_role == "CEO" for s in shift.after)
    quote = next(s for s in shift.after if "return to a five-day week in September" in s.text)
    assert quote.source_count >= 2  # the same quote on two sites counts as two independent sources


def test_the_denial_is_attached_not_counted(archive):
    [shift] = shifts_of(archive, "halden-rail")
    assert any("position on the four-day week is unchanged" in d.text for d in shift.denials)
    assert not any("unchanged" in s.text for s in (*shift.before, *shift.after))


def test_a_company_that_only_restates_has_no_shift(archive):
    with archive.connect(read_only=True) as con:
        evidence = load_evidence(con, "corvane", "four-day-week")
    assert len(evidence) >= 2 and all(s.stance > 0 for s in evidence if not s.is_denial)
    assert shifts_of(archive, "corvane") == []


def test_the_alert_reaches_a_webhook_with_both_sides(archive):
    [shift] = shifts_of(archive, "halden-rail")
    with http_sink() as sink:
        settings = AlertSettings(urls=(f"json://{sink.host}:{sink.port}/desk",))
        report = process_outbox(archive, settings, shift_ids=[shift.id], now=NOW, watchlist=WATCHLIST)
        assert [d.shift_id for d in report.sent] == [shift.id]
        again = process_outbox(archive, settings, shift_ids=[shift.id], now=NOW, watchlist=WATCHLIST)
        assert again.sent == () and len(sink.posted) == 1
        message = json.loads(sink.posted[0].body)
    assert message["title"] == "Halden Rail: from support to opposition on Four-day work week"
    assert "Halden Rail moved from supporting to opposing" in message["message"]
    assert "return to a five-day week in September" in message["message"]
    assert "Denied by the company" in message["message"]
