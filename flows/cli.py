"""The `stancewatch` command: a thin layer over the flows and the library."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

__all__ = ["main", "build_parser"]

COMMAND_HELP = {
    "demo": "whole pipeline on the bundled seeds, offline; prints shifts and the alert text",
    "run": "one cycle: poll sources -> analyze -> detect -> alert",
    "serve": "the scheduled service: Prefect deployments with a cron schedule and event triggers",
    "backfill": "ingest local .html/.htm/.txt/.jsonl files or folders, then analyze and detect",
    "extract": "one article: text, metadata, statements, topics, stances, dates",
    "shifts": "list detected shifts",
    "timeline": "a company's statements on a topic over time (text, or --html for a page with a plot)",
    "sql": "run a read-only SQL query on the archive",
    "status": "the service's health: sources, analysis queue, recent statements and shifts, the outbox",
    "compact": "rewrite the statement tables in company/topic order: faster timelines on a large archive"
               " (a DuckDB file; run after a large backfill)",
    "alerts": "alert channels: `alerts test` sends a test message to every configured channel",
    "evaluate": "score statement extraction against a labelled set (tests/devset/*.jsonl), "
                "or, with --stories DIR, shift detection on real stories (tests/stories/dev)",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stancewatch",
        description="Watch the news for what companies say about your topics, archive every statement in DuckDB, "
                    "and alert when a position shifts.",
    )
    parser.add_argument("--config", help="config YAML (default: ./stancewatch.yaml, else the bundled seeds/watchlist.yaml)")
    parser.add_argument("--db", help="DuckDB archive path (overrides the config's `database`)")
    parser.add_argument("-v", "--verbose", action="store_true", help="more log output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=COMMAND_HELP[name], description=COMMAND_HELP[name])

    demo = add("demo")
    demo.add_argument("--html", default="stancewatch-timeline.html", help="where to write the timeline page")
    add("run")
    serve = add("serve")
    serve.add_argument("--api-url", help="a running Prefect server (default: $PREFECT_API_URL, else start one on 127.0.0.1:4200)")
    serve.add_argument("--port", type=int, default=4200, help="port of the local Prefect server it starts (default 4200)")
    serve.add_argument("--write-prefect-yaml", metavar="FILE",
                       help="write the deployments it would serve as a prefect.yaml for a work-pool setup, then exit")
    backfill = add("backfill")
    backfill.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (.html, .htm, .txt, .jsonl)")
    backfill.add_argument("--alert", action="store_true", help="also send alerts for new shifts")
    backfill.add_argument("--no-analyze", action="store_true", help="only archive the articles")
    extract = add("extract")
    extract.add_argument("target", metavar="FILE|URL")
    extract.add_argument("--json", action="store_true", help="JSON output with the cues behind every stance")
    shifts = add("shifts")
    shifts.add_argument("--entity")
    shifts.add_argument("--topic")
    shifts.add_argument("--json", action="store_true")
    timeline = add("timeline")
    timeline.add_argument("entity")
    timeline.add_argument("topic")
    timeline.add_argument("--html", metavar="OUT", help="write a self-contained HTML page with a plot")
    sql = add("sql")
    sql.add_argument("query")
    sql.add_argument("--format", choices=["table", "csv", "json"], default="table")
    status = add("status")
    status.add_argument("--json", action="store_true")
    add("compact")
    alerts = add("alerts")
    alerts.add_argument("action", choices=["test"])
    evaluate = add("evaluate")
    evaluate.add_argument("devset", nargs="*", help="labelled JSONL files")
    evaluate.add_argument("--stories", action="append", metavar="DIR",
                          help="story YAML files or folders: backfill each into a fresh archive and score its shifts")
    evaluate.add_argument("--min-confidence", type=float, metavar="X",
                          help="with --stories: the alert threshold a shift must reach to count "
                               "(default: the config's alerts.min_confidence)")
    evaluate.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect configures its own loggers from its settings: quiet unless asked (-v), before it is imported
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if args.verbose else "WARNING")
    from flows import commands
    from flows.lifecycle import stop_signal
    from flows.settings import ConfigError
    from storage.db import ArchiveBusy, ArchiveMissing

    handler: Callable[[argparse.Namespace], int] = getattr(commands, f"cmd_{args.command}")
    try:
        with _flow_process(args):
            code = handler(args)
    except ConfigError as exc:
        print(f"stancewatch: config error: {exc}", file=sys.stderr)
        return 2
    except (ArchiveMissing, ArchiveBusy) as exc:
        print(f"stancewatch: {exc}", file=sys.stderr)
        return 1
    except commands.UsageError as exc:
        print(f"stancewatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if not _runs_flows(args):
            print("stancewatch: interrupted", file=sys.stderr)
            return 130
        print("stancewatch: interrupted before the batch in hand was saved; everything saved before it is in the "
              "archive (or its spool), the rest is read again by the next run", file=sys.stderr)
        return 128 + (stop_signal() or signal.SIGINT)
    stopped = stop_signal() if _runs_flows(args) else None
    if stopped:
        print(f"stancewatch: stopped by {signal.Signals(stopped).name}; what was read or fetched is saved, "
              "the rest waits for the next run", file=sys.stderr)
        return 128 + stopped
    return code


_FLOW_COMMANDS = frozenset({"demo", "run", "backfill"})  # `serve` runs its own server; `evaluate` with --stories
HISTORY_ENV = "STANCEWATCH_PREFECT_HISTORY_DAYS"  # flow runs older than this many days are deleted (default 7)


def _history_days(default: float) -> float:
    raw = os.environ.get(HISTORY_ENV)
    try:
        return float(raw) if raw else default
    except ValueError:
        logging.getLogger("stancewatch").warning("$%s=%r is not a number of days; keeping %g", HISTORY_ENV, raw,
                                                 default)
        return default


def _runs_flows(args: argparse.Namespace) -> bool:
    return args.command in _FLOW_COMMANDS or (args.command == "evaluate" and bool(args.stories))


@contextmanager
def _flow_process(args: argparse.Namespace) -> Iterator[None]:
    """For a command that runs flows: a temporary Prefect server of its own and signals that stop it cleanly."""
    if not _runs_flows(args):
        yield
        return
    from prefect.exceptions import TerminationSignal

    from flows.lifecycle import HISTORY_DAYS, stop_on_signals, temporary_prefect_server

    history_days = _history_days(HISTORY_DAYS)
    # signals first: one that comes while the server starts stops that too
    with stop_on_signals(), temporary_prefect_server(os.environ, history_days=history_days):
        try:
            yield
        except TerminationSignal:  # a SIGTERM that Prefect's flow engine caught before our handlers were back
            raise KeyboardInterrupt from None


if __name__ == "__main__":
    sys.exit(main())
