"""The spool cannot hurt: JSON in a private folder, applied once, bad batches moved aside, drained articles searchable.

A real second process holds the DuckDB file, as a user's `duckdb stancewatch.duckdb` would.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
import textwrap
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from alerts.outbox import _enqueue, _PrepareRequest
from storage._spool import decode_batch, encode_batch
from storage.articles import ArticleBatch, IngestBatch, save_articles, save_ingest_batch, search_articles
from storage.db import Archive, ArchiveBusy, Spooled
from storage.records import (
    Article,
    EvidenceStatement,
    FetchLogEntry,
    Shift,
    ShiftChanges,
    Source,
    StanceCue,
    StatedDate,
    Statement,
    Validators,
)
from storage.shifts import save_shift_changes
from storage.statements import StatementBatch, store_statements

NOW = datetime(2025, 8, 1, 9, 30, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[1]


def _hold_lock(path: Path, seconds: float = 60) -> subprocess.Popen:
    code = (f"import duckdb, time; con = duckdb.connect({str(path)!r}); print('held', flush=True); "
            f"time.sleep({seconds}); con.close()")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def _release(holder: subprocess.Popen) -> None:
    holder.kill()
    holder.wait()


def _article(n: int, text: str | None = None) -> Article:
    return Article(url=f"https://news.example/{n}", text=text or f"Article number {n} about the harbour.",
                   title=f"Title {n}", published_at=NOW)


def _ingest(n: int, text: str | None = None) -> IngestBatch:
    source = Source("Feed", "feed", "https://news.example/rss")
    fetch = FetchLogEntry(source.id, f"https://news.example/{n}", NOW, 200, None, 5, 100, Validators(f'"v{n}"', None))
    return IngestBatch((source,), (fetch,), (_article(n, text),), NOW)


@pytest.fixture()
def archive(tmp_path) -> Archive:
    archive = Archive(tmp_path / "a.duckdb", lock_wait=0.5, retry_every=0.1)
    archive.save(save_articles, ArticleBatch((), NOW))  # create and migrate
    return archive


def _spool_while_held(archive: Archive, *batches: IngestBatch) -> list[Spooled]:
    holder = _hold_lock(archive.path)
    try:
        return [archive.save(save_ingest_batch, batch) for batch in batches]
    finally:
        _release(holder)


def _count(archive: Archive, sql: str) -> int:
    with archive.connect(read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_a_busy_archive_spools_json_in_a_folder_only_its_owner_can_read(archive):
    archive.spool_dir.mkdir(mode=0o755)
    archive.spool_dir.chmod(0o755)  # as an older version left it
    [spooled] = _spool_while_held(archive, _ingest(1))
    assert isinstance(spooled, Spooled) and spooled.path.suffix == ".json"
    document = json.loads(spooled.path.read_text(encoding="utf-8"))
    assert document["op"] == "storage.articles:save_ingest_batch" and document["format"] == 1
    assert stat.S_IMODE(archive.spool_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(spooled.path.stat().st_mode) == 0o600
    assert archive.drain_spool() == 1
    assert archive.pending_spool() == [] and _count(archive, "SELECT count(*) FROM articles") == 1


def test_every_kind_of_batch_survives_the_json_round_trip():
    statement = Statement(
        entity_id="acme", speaker="Acme", text="we will keep the factories open", start=10, end=41, cue="said",
        kind="direct", stated_at=StatedDate(date(2025, 7, 30), "day", "on Wednesday"), attribution_confidence=0.9,
        topic_id="factories", stance=0.8, stance_label="pro", stance_confidence=0.7,
        stance_cues=(StanceCue("pro", "keep", 0.5),), article_id="a1", article_url="https://news.example/1")
    evidence = EvidenceStatement("s1", "acme", "factories", "Acme", "we will keep them open", 0.8, "pro", 0.9,
                                 "direct", date(2025, 7, 30), "day", "https://news.example/1")
    shift = Shift("acme", "factories", "pro->con", 0.8, -0.7, 0.9, NOW, (evidence,), (evidence,), reasons=("why",),
                  id="sh1")
    cases = [
        (save_ingest_batch, _ingest(1)),
        (store_statements, StatementBatch((_article(1),), (statement,), NOW)),
        (save_shift_changes, ShiftChanges(new=(shift,), renamed=(("old", "new"),), retracted=("gone",))),
        (_enqueue, _PrepareRequest(("sh1",), ("mailto://x #1",), NOW, 0.6, 8, None, True)),
    ]
    for op, payload in cases:
        decoded_op, decoded = decode_batch(encode_batch(op, payload))
        assert decoded_op is op and decoded == payload


def test_a_pickle_or_foreign_batch_never_runs_code_and_never_blocks_later_writes(archive, tmp_path):
    proof = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {proof}",))

    archive.spool_dir.mkdir(mode=0o700)
    (archive.spool_dir / "00000000000000000001-save_articles.batch").write_bytes(pickle.dumps(Exploit()))
    good = encode_batch(save_ingest_batch, _ingest(2))
    foreign = {
        "10-os.json": {"format": 1, "op": "os:system", "payload": f"touch {proof}"},
        "11-not-an-op.json": {"format": 1, "op": "storage.db:parse_location", "payload": "x"},
        "12-class.json": {"format": 1, "op": "storage.articles:save_articles",
                          "payload": {"$dataclass": "subprocess:Popen", "fields": {"args": ["touch", str(proof)]}}},
        "13-not-json.json": None,
    }
    for name, document in foreign.items():
        (archive.spool_dir / name).write_bytes(b"\x80not json" if document is None else json.dumps(document).encode())
    (archive.spool_dir / "20-good.json").write_bytes(good)
    archive.save(save_ingest_batch, _ingest(3))
    assert not proof.exists()
    assert archive.pending_spool() == []
    assert {p.name for p in archive.rejected_spool()} == {"00000000000000000001-save_articles.batch", *foreign}
    reasons = {p.name: p.read_text() for p in (archive.spool_dir / "rejected").glob("*.reason")}
    assert "pickle" in reasons["00000000000000000001-save_articles.batch.reason"]
    assert "outside the project" in reasons["10-os.json.reason"]
    assert "not a write operation" in reasons["11-not-an-op.json.reason"]
    assert "outside the project" in reasons["12-class.json.reason"]
    assert "not a JSON spool batch" in reasons["13-not-json.json.reason"]
    assert _count(archive, "SELECT count(*) FROM articles") == 2  # the good spooled batch, then the new one


def test_a_batch_the_archive_refuses_is_moved_aside_with_its_reason(archive, caplog):
    document = json.loads(encode_batch(save_ingest_batch, _ingest(1)))
    document["payload"]["fields"]["fetches"]["$tuple"][0]["fields"]["url"] = None  # fetch_log.url is NOT NULL
    archive.spool_dir.mkdir(mode=0o700)
    (archive.spool_dir / "1-bad.json").write_text(json.dumps(document), encoding="utf-8")
    summary = archive.save(save_ingest_batch, _ingest(2))
    assert summary.new == 1
    assert [p.name for p in archive.rejected_spool()] == ["1-bad.json"]
    assert "the archive refused it" in (archive.spool_dir / "rejected" / "1-bad.json.reason").read_text()
    assert "moved aside" in caplog.text
    assert _count(archive, "SELECT count(*) FROM articles") == 1  # the bad batch left nothing behind


def test_a_crash_between_commit_and_removal_applies_nothing_twice(archive):
    [spooled] = _spool_while_held(archive, _ingest(1))
    crash = textwrap.dedent(f"""
        import os, pathlib
        from storage.db import Archive
        pathlib.Path.unlink = lambda self, *a, **k: os._exit(9)  # die right after the commit
        Archive({str(archive.path)!r}).drain_spool()
    """)
    died = subprocess.run([sys.executable, "-c", crash], cwd=REPO, capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    assert spooled.path.exists()
    assert _count(archive, "SELECT count(*) FROM spool_applied") == 1
    assert Archive(archive.path).drain_spool() == 1
    assert archive.pending_spool() == []
    assert _count(archive, "SELECT count(*) FROM fetch_log") == 1  # fetch_log has no key: a replay would add a row
    assert _count(archive, "SELECT count(*) FROM articles") == 1
    assert _count(archive, "SELECT count(*) FROM spool_applied") == 0


def test_spooled_batches_apply_in_order_and_drained_articles_are_searchable(archive):
    first = _ingest(1, "The harbour authority approved the dredging plan.")
    changed = _ingest(1, "The harbour authority rejected the dredging plan.")  # same URL: version 2
    spooled = _spool_while_held(archive, first, changed)
    assert all(isinstance(s, Spooled) for s in spooled)
    archive.save(save_ingest_batch, _ingest(5))  # any later write drains first
    with archive.connect(read_only=True) as con:
        versions = con.execute("SELECT version, text FROM articles WHERE url = 'https://news.example/1' "
                               "ORDER BY version").fetchall()
    assert [v for v, _ in versions] == [1, 2] and "rejected" in versions[1][1]
    with archive.connect(read_only=True, fts=True) as con:
        assert {url for url, _, _ in search_articles(con, "dredging")} == {"https://news.example/1"}


def test_a_batch_that_cannot_even_be_spooled_is_a_clear_error(archive):
    archive.spool_dir.write_text("a file where the spool folder should be", encoding="utf-8")
    holder = _hold_lock(archive.path)
    try:
        with pytest.raises(ArchiveBusy, match="NOT saved"):
            archive.save(save_ingest_batch, _ingest(1))
    finally:
        _release(holder)


@pytest.mark.slow
def test_backfill_into_a_held_archive_ends_cleanly_and_the_next_one_finishes(tmp_path):
    config = tmp_path / "stancewatch.yaml"
    watchlist = (REPO / "seeds" / "watchlist.yaml").read_text(encoding="utf-8")
    config.write_text(watchlist + "\nlock_wait: 1\n", encoding="utf-8")
    db = tmp_path / "a.duckdb"
    Archive(db).save(save_articles, ArticleBatch((), NOW))
    seeds = REPO / "seeds" / "seeds.jsonl"
    command = [str(Path(sys.executable).with_name("stancewatch")), "--config", str(config), "--db", str(db),
               "backfill", str(seeds)]
    holder = _hold_lock(db, 300)
    try:
        held = subprocess.run(command, capture_output=True, text=True, timeout=300)
    finally:
        _release(holder)
    assert held.returncode == 0, held.stderr
    assert "Traceback" not in held.stderr
    assert "waiting in the spool" in held.stdout and "nothing lost" in held.stdout
    assert "analysis and shift detection finish on the next run" in held.stdout
    spooled = sorted((tmp_path / "a.duckdb.spool").glob("*.json"))
    assert spooled and _count(Archive(db), "SELECT count(*) FROM articles") == 0

    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "nothing lost" not in again.stdout
    archive = Archive(db)
    assert archive.pending_spool() == []
    seeded = sum(1 for line in seeds.read_text(encoding="utf-8").splitlines() if line.strip())
    assert _count(archive, "SELECT count(DISTINCT url) FROM articles") == seeded
    assert _count(archive, "SELECT count(*) FROM articles WHERE analyzed_at IS NULL") == 0
    assert _count(archive, "SELECT count(*) FROM shifts") >= 1
    with archive.connect(read_only=True, fts=True) as con:
        assert search_articles(con, "open source")
