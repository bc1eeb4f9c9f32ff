"""What each CLI command does: read settings, call a flow or the library, print."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime
from pathlib import Path

from flows.common import archive_for, settings_for
from flows.settings import SEEDS_DIR, Settings, load_settings

__all__ = ["UsageError"] + [f"cmd_{name}" for name in
                            ("demo", "run", "serve", "backfill", "extract", "shifts", "timeline", "sql", "status",
                             "compact", "alerts", "evaluate")]


class UsageError(ValueError):
    """A command was given something it cannot use; the message says what."""


def _settings(args: argparse.Namespace) -> Settings:
    return settings_for(args.config, args.db)


_archive = archive_for


# --- pipeline commands (Prefect flows) ---------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.pipeline import demo_flow

    settings = _demo_settings(args)
    print(f"Stancewatch demo: the bundled founding articles -> {settings.database}")
    result = demo_flow(config=str(settings.config_path), database=str(settings.database), seeds=str(SEEDS_DIR / "seeds.jsonl"))
    print(f"\n{result.ingest.line()}\n{result.analyze.line()}\n{result.alerts.line()}\n")
    shown = _print_shifts(settings, entity=None, topic=None)
    if not shown:
        print("No shift detected.")
        return 1
    first = shown[0]
    out = Path(args.html)
    out.write_text(_timeline_html(settings, first.entity_id, first.topic_id), encoding="utf-8")
    print(f"Timeline written to {out.resolve()}")
    return 0


def _demo_settings(args: argparse.Namespace) -> Settings:
    """The bundled watchlist unless a config is named explicitly (./stancewatch.yaml is not used here)."""
    return load_settings(args.config or SEEDS_DIR / "watchlist.yaml", database=args.db)


def cmd_run(args: argparse.Namespace) -> int:
    from flows.pipeline import cycle_flow

    settings = _settings(args)
    if not settings.sources:
        raise UsageError(f"{settings.config_path} names no sources: add feeds, sitemaps, URLs or paths under `sources:`")
    result = cycle_flow(config=str(settings.config_path), database=str(settings.database))
    # a stopped cycle (a signal) has no analysis or alert step
    print("\n".join(step.line() for step in (result.ingest, result.analyze, result.alerts) if step is not None))
    for error in result.ingest.errors[:20]:
        print(f"  failed: {error}")
    _print_what_waits(settings, result)
    if result.ingest.every_source_failed:
        print(f"every source failed ({result.ingest.sources_failed} of {result.ingest.sources})", file=sys.stderr)
        return 1
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from flows.pipeline import backfill_pipeline_flow

    settings = _settings(args)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    result = backfill_pipeline_flow(
        paths=[str(Path(p).resolve()) for p in args.paths], config=str(settings.config_path),
        database=str(settings.database), analyze=not args.no_analyze, alert=args.alert, progress=sys.stderr.isatty(),
    )
    print(f"backfill: {result.ingest.line()}")
    for error in result.ingest.errors[:20]:
        print(f"  failed: {error}")
    if len(result.ingest.errors) > 20:
        print(f"  … and {len(result.ingest.errors) - 20} more (see the fetch_log table)")
    if result.analyze:
        print(result.analyze.line())
    if result.alerts:
        print(result.alerts.line())
    _print_what_waits(settings, result)
    return 0


def _print_what_waits(settings: Settings, result) -> None:
    """A held archive loses nothing: say what waits and where (the exit code stays 0; a batch that could
    not even be spooled raises ArchiveBusy, which exits 1)."""
    waiting = []
    if result.ingest.spooled:
        waiting.append(f"{result.ingest.spooled} articles are safe in the spool {_archive(settings).spool_dir}, "
                       "written to the archive by the next run or backfill")
    if result.analyze and (result.analyze.busy or result.analyze.spooled):
        waiting.append("analysis and shift detection finish on the next run")
    if waiting:
        print(f"archive busy (held by another process, or its catalog unreachable), nothing lost: {'; '.join(waiting)}.")


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.serve import prefect_yaml, serve_forever

    settings = _settings(args)
    if args.write_prefect_yaml:
        Path(args.write_prefect_yaml).write_text(prefect_yaml(settings), encoding="utf-8")
        print(f"Deployments written to {args.write_prefect_yaml}")
        return 0
    return serve_forever(settings, api_url=args.api_url, port=args.port)


# --- library commands (no Prefect) --------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    from extractors.documents import ExtractionError
    from flows.explain import extract_target

    settings = _settings(args)
    try:
        report = extract_target(args.target, settings.watchlist, settings.fetch)
    except ExtractionError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=_json_default) if args.json else report.to_text())
    return 0


def cmd_shifts(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.json:
        entity_id = _resolve_entity(settings, args.entity) if args.entity else None
        topic_id = _resolve_topic(settings, args.topic) if args.topic else None
        with _archive(settings).connect(read_only=True) as con:
            _stream_shifts_json(con, entity_id, topic_id)
        return 0
    shown = _print_shifts(settings, entity=args.entity, topic=args.topic)
    if not shown:
        print("No shifts recorded" + (" for that selection." if args.entity or args.topic else "."))
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    settings = _settings(args)
    entity_id, topic_id = _resolve_pair(settings, args.entity, args.topic)
    if args.html:
        Path(args.html).write_text(_timeline_html(settings, entity_id, topic_id), encoding="utf-8")
        print(f"Timeline written to {Path(args.html).resolve()}")
        return 0
    from storage.shifts import load_evidence

    with _archive(settings).connect(read_only=True) as con:
        evidence = load_evidence(con, entity_id, topic_id)
    if not evidence:
        print(f"No statements by {entity_id} on {topic_id} yet.")
    for st in evidence:
        print(f"{st.stated_at} ({st.stated_precision})  {st.stance:+.2f} {st.stance_label:<8} {st.speaker}: "
              f"“{_clip(st.text, 140)}”  [{st.url}]")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from storage.query import ReadOnlyViolation, run_readonly

    settings = _settings(args)
    try:
        result = run_readonly(_archive(settings), args.query)
    except ReadOnlyViolation as exc:
        raise UsageError(str(exc)) from None
    except (ValueError, duckdb.Error) as exc:  # the user's query is wrong (parser, binder, catalog)
        raise UsageError(f"SQL error: {exc}") from None
    _print_rows(result.columns, result.rows, args.format)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from flows.status import status_json, status_text
    from storage.status import archive_status

    settings = _settings(args)
    with _archive(settings).connect(read_only=True) as con:
        status = archive_status(con)
    print(status_json(status) if args.json else status_text(status))
    return 0


def cmd_compact(args: argparse.Namespace) -> int:
    import time

    from storage.compact import CompactUnsupported, compact_archive

    settings = _settings(args)
    started = time.monotonic()
    try:
        summary = compact_archive(_archive(settings))
    except CompactUnsupported as exc:
        raise UsageError(str(exc)) from None
    tables = ", ".join(f"{table} ({rows:,} rows)" for table, rows in summary.tables)
    print(f"Rewrote {tables} in company/topic order in {time.monotonic() - started:.1f} s")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from alerts.deliver import redact, send_test

    settings = _settings(args)
    if not settings.alerts.urls:
        raise UsageError("no alert channels configured: add apprise URLs under `alerts: urls:` in the config")
    failed = 0
    for url, result in zip(settings.alerts.urls, send_test(settings.alerts.urls)):
        print(f"{redact(url)}: {'sent' if result.ok else 'FAILED: ' + (result.error or 'unknown error')}")
        failed += not result.ok
    return 1 if failed else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    if args.stories:
        return _evaluate_stories(args)
    if not args.devset:
        raise UsageError("name labelled JSONL files (tests/devset/*.jsonl) or a story folder with --stories DIR")
    from flows.evaluation import main as evaluation_main

    return evaluation_main([*args.devset, *(["--json"] if args.json else [])])


def _evaluate_stories(args: argparse.Namespace) -> int:
    from flows.stories import evaluate_stories_flow, load_stories

    try:
        load_stories(args.stories)  # refuse a bad path or file before Prefect starts
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    threshold = args.min_confidence
    if threshold is None:
        threshold = _settings(args).alerts.min_confidence
    report = evaluate_stories_flow(paths=[str(Path(p).resolve()) for p in args.stories], min_confidence=threshold)
    print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else report.format_report())
    return 0


# --- printing helpers ----------------------------------------------------------

_SHIFTS_PER_READ = 200  # `shifts --json` loads this many shifts (each with bounded evidence) at a time


def _stream_shifts_json(con, entity_id: str | None, topic_id: str | None) -> None:
    """The JSON list of shifts, written as it is read, a page of shifts at a time: memory stays bounded
    however many there are; the text is what `json.dumps(list, indent=2)` would print."""
    from alerts.shift_json import shift_to_json
    from storage.shifts import load_shifts, shift_ids

    ids = shift_ids(con, entity_id, topic_id)
    if not ids:
        print("[]")
        return
    out = sys.stdout
    out.write("[")
    for page in range(0, len(ids), _SHIFTS_PER_READ):
        for i, shift in enumerate(load_shifts(con, ids=ids[page:page + _SHIFTS_PER_READ])):
            item = json.dumps(shift_to_json(shift), indent=2, ensure_ascii=False, default=_json_default)
            out.write(("\n" if page == i == 0 else ",\n") + "\n".join("  " + line for line in item.splitlines()))
    out.write("\n]\n")
    out.flush()



def _print_shifts(settings: Settings, entity: str | None, topic: str | None):
    from alerts.render import render_alert
    from storage.shifts import load_shifts

    entity_id = _resolve_entity(settings, entity) if entity else None
    topic_id = _resolve_topic(settings, topic) if topic else None
    with _archive(settings).connect(read_only=True) as con:
        shifts = load_shifts(con, entity_id, topic_id)
    for shift in shifts:
        rendered = render_alert(shift, settings.watchlist.entity_name(shift.entity_id), settings.watchlist.topic_name(shift.topic_id))
        print("=" * 78)
        print(rendered.title)
        print("-" * 78)
        print(rendered.text)
    return shifts


def _timeline_html(settings: Settings, entity_id: str, topic_id: str) -> str:
    from alerts.timeline import render_timeline_html
    from extractors.shifts import weigh
    from storage.shifts import load_evidence, load_shifts

    with _archive(settings).connect(read_only=True) as con:
        evidence = list(weigh(load_evidence(con, entity_id, topic_id)))
        shifts = load_shifts(con, entity_id, topic_id)
    return render_timeline_html(settings.watchlist.entity_name(entity_id), settings.watchlist.topic_name(topic_id), evidence, shifts)


def _resolve_pair(settings: Settings, entity: str, topic: str) -> tuple[str, str]:
    return _resolve_entity(settings, entity), _resolve_topic(settings, topic)


def _resolve_entity(settings: Settings, text: str) -> str:
    entity = settings.watchlist.find_entity(text)
    if entity is None:
        known = ", ".join(e.id for e in settings.watchlist.entities)
        raise UsageError(f"unknown company {text!r}; the watchlist has: {known}")
    return entity.id


def _resolve_topic(settings: Settings, text: str) -> str:
    topic = settings.watchlist.find_topic(text)
    if topic is None:
        known = ", ".join(t.id for t in settings.watchlist.topics)
        raise UsageError(f"unknown topic {text!r}; the watchlist has: {known}")
    return topic.id


def _print_rows(columns: tuple[str, ...], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([dict(zip(columns, row)) for row in rows], indent=2, ensure_ascii=False, default=_json_default))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    cells = [[_clip("" if v is None else str(v), 60) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
