"""One settings object, built once from the YAML config and passed down.

A bad file is refused with the file, the line and what is wrong, e.g.
``stancewatch.yaml:12: topics[0].pro: expected a list of strings``.
Secrets stay out of files: ``${VAR}`` is read from the environment.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from alerts.deliver import AlertSettings
from extractors.fetch import FetchSettings
from storage.db import DuckLakeLocation, parse_location
from storage.records import Entity, Person, Source, Topic, Watchlist

__all__ = ["ConfigError", "Settings", "ScheduleSettings", "load_settings", "default_config_path", "SEEDS_DIR"]

log = logging.getLogger("stancewatch.settings")

REPO_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_DIR / "seeds"
ALERT_URLS_ENV = "STANCEWATCH_ALERT_URLS"
_ENV_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SECRET_BLOCK = re.compile(r"\$\{prefect-secret:([a-z0-9][a-z0-9-]*)\}")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class ConfigError(ValueError):
    """The config file cannot be used; the message names the file, the line and the reason."""


@dataclass(frozen=True)
class ScheduleSettings:
    poll: str = "*/15 * * * *"


@dataclass(frozen=True)
class Settings:
    database: Path | DuckLakeLocation  # a DuckDB file, or a DuckLake catalog and data path
    watchlist: Watchlist
    sources: tuple[Source, ...] = ()
    alerts: AlertSettings = field(default_factory=AlertSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    lock_wait: float = 60.0
    config_path: Path | None = None


def default_config_path(cwd: Path | None = None) -> Path:
    """`./stancewatch.yaml` when present, else the bundled seeds watchlist."""
    local = (cwd or Path.cwd()) / "stancewatch.yaml"
    return local if local.exists() else SEEDS_DIR / "watchlist.yaml"


def _line_of_byte(path: Path, offset: int) -> int:
    """The 1-based line of byte `offset` in a file."""
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1


def load_settings(
    path: str | Path | None = None,
    *,
    database: str | Path | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Read, expand and validate a config file into `Settings`."""
    config_path = Path(path) if path else default_config_path()
    try:
        raw_text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{config_path}: no such config file") from None
    except UnicodeDecodeError as exc:
        line = _line_of_byte(config_path, exc.start)
        raise ConfigError(f"{config_path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{config_path}: cannot read: {exc.strerror}") from None
    try:
        root = yaml.compose(raw_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f"{config_path}:{line + 1}" if line is not None else str(config_path)
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    reader = _Reader(config_path, environ if environ is not None else dict(os.environ))
    return reader.settings(root, database_override=database)


# --- the validating reader ---------------------------------------------------


class _Reader:
    """Walks the YAML node tree so every error can name its line."""

    def __init__(self, path: Path, environ: dict[str, str]):
        self.path = path
        self.environ = environ

    def fail(self, node: yaml.Node | None, where: str, reason: str) -> ConfigError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return ConfigError(f"{self.path}{line}: {where}: {reason}" if where else f"{self.path}{line}: {reason}")

    # scalars and containers

    def mapping(self, node: yaml.Node, where: str, allowed: set[str] | None = None) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, where, "expected a mapping (key: value)")
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                raise self.fail(key_node, where, "keys must be plain words")
            if key in out:
                raise self.fail(key_node, where, f"'{key}' appears twice")
            if allowed is not None and key not in allowed:
                raise self.fail(key_node, _join(where, key), f"unknown key; expected one of: {', '.join(sorted(allowed))}")
            out[key] = value_node
        return out

    def sequence(self, node: yaml.Node, where: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, where, "expected a list")
        return list(node.value)

    def string(self, node: yaml.Node, where: str, *, allow_unset: bool = False) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            raise self.fail(node, where, "expected a string")
        return self.expand(node, where, node.value, allow_unset=allow_unset)

    def strings(self, node: yaml.Node, where: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, where, "expected a list of strings")
        values = []
        for i, item in enumerate(node.value):
            value = self.string(item, f"{where}[{i}]")
            if not value.strip():
                raise self.fail(item, f"{where}[{i}]", "empty string")
            values.append(value.strip())
        return tuple(values)

    def number(self, node: yaml.Node, where: str, *, minimum: float, maximum: float, integer: bool = False) -> float:
        text = self.string(node, where)
        try:
            value = int(text) if integer else float(text)
        except (TypeError, ValueError):
            raise self.fail(node, where, f"expected {'a whole number' if integer else 'a number'}, got {text!r}") from None
        if not minimum <= value <= maximum:
            raise self.fail(node, where, f"must be between {minimum:g} and {maximum:g}, got {value:g}")
        return value

    def boolean(self, node: yaml.Node, where: str) -> bool:
        text = (self.string(node, where) or "").lower()
        if text in {"true", "yes", "on"}:
            return True
        if text in {"false", "no", "off"}:
            return False
        raise self.fail(node, where, f"expected true or false, got {text!r}")

    def expand(self, node: yaml.Node, where: str, text: str, *, allow_unset: bool) -> str | None:
        missing = [name for name in _ENV_VAR.findall(text) if name not in self.environ]
        if missing:
            if allow_unset:
                return None
            raise self.fail(node, where, f"environment variable {missing[0]} is not set")
        return _ENV_VAR.sub(lambda m: self.environ[m.group(1)], text)

    # sections

    def settings(self, root: yaml.Node | None, *, database_override: str | Path | None) -> Settings:
        if root is None:
            raise self.fail(None, "", "the file is empty")
        top = self.mapping(root, "", {"database", "sources", "entities", "topics", "alerts", "schedule", "fetch", "lock_wait"})
        for required in ("entities", "topics"):
            if required not in top:
                raise self.fail(root, "", f"missing '{required}': name at least one company and one topic")
        database = self.database(top.get("database"), database_override)
        entities = self.entities(top["entities"])
        topics = self.topics(top["topics"])
        return Settings(
            database=database,
            watchlist=Watchlist(entities=entities, topics=topics),
            sources=self.sources(top["sources"]) if "sources" in top else (),
            alerts=self.alerts(top["alerts"]) if "alerts" in top else AlertSettings(urls=self.env_alert_urls()),
            fetch=self.fetch(top["fetch"]) if "fetch" in top else FetchSettings(),
            schedule=self.schedule(top["schedule"]) if "schedule" in top else ScheduleSettings(),
            lock_wait=self.number(top["lock_wait"], "lock_wait", minimum=0, maximum=86400) if "lock_wait" in top else 60.0,
            config_path=self.path,
        )

    def database(self, node: yaml.Node | None, override: str | Path | None) -> Path | DuckLakeLocation:
        """A DuckDB file, or a DuckLake archive: `ducklake:postgres:dbname=NAME host=... data_path=DIR`."""
        text = str(override) if override else self.string(node, "database") if node is not None else "stancewatch.duckdb"
        try:
            return parse_location(text)
        except ValueError as exc:
            raise self.fail(None if override else node, "database", str(exc)) from None

    def sources(self, node: yaml.Node) -> tuple[Source, ...]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return ()
        sources = []
        for i, item in enumerate(self.sequence(node, "sources")):
            where = f"sources[{i}]"
            fields = self.mapping(item, where, {"name", "feed", "sitemap", "url", "path"})
            kinds = [k for k in ("feed", "sitemap", "url", "path") if k in fields]
            if len(kinds) != 1:
                raise self.fail(item, where, "give exactly one of feed, sitemap, url or path")
            kind = kinds[0]
            target = self.string(fields[kind], f"{where}.{kind}")
            if kind == "path":
                target = str((self.path.parent / Path(target).expanduser()).resolve())
            elif not re.match(r"^https?://[^\s/]+", target):
                raise self.fail(fields[kind], f"{where}.{kind}", f"expected an http(s) URL, got {target!r}")
            name = self.string(fields["name"], f"{where}.name") if "name" in fields else target
            sources.append(Source(name=name, kind=kind, url=target))
        return tuple(sources)

    def entities(self, node: yaml.Node) -> tuple[Entity, ...]:
        entities, seen = [], set()
        for i, item in enumerate(self.sequence(node, "entities")):
            where = f"entities[{i}]"
            fields = self.mapping(item, where, {"id", "name", "aliases", "people", "sites"})
            name = self._required_string(item, fields, where, "name")
            entity_id = self._id(item, fields, where, default=name)
            if entity_id in seen:
                raise self.fail(item, f"{where}.id", f"'{entity_id}' is used twice")
            seen.add(entity_id)
            people = ()
            if "people" in fields:
                people = tuple(
                    Person(name=person.strip(), role=self._optional(role, f"{where}.people.{person}"))
                    for person, role in self.mapping(fields["people"], f"{where}.people").items()
                )
            aliases = self.strings(fields["aliases"], f"{where}.aliases") if "aliases" in fields else ()
            sites = self.sites(fields["sites"], f"{where}.sites") if "sites" in fields else ()
            entities.append(Entity(id=entity_id, name=name, aliases=aliases, people=people, sites=sites))
        if not entities:
            raise self.fail(node, "entities", "name at least one company")
        return tuple(entities)

    def sites(self, node: yaml.Node, where: str) -> tuple[str, ...]:
        """Hosts of a company's own sites, each as host[/path] ("blog.acme.com", "acme.com/newsroom")."""
        sites = []
        values = self.strings(node, where)
        for i, (item, raw) in enumerate(zip(node.value, values)):
            site = _site(raw)
            if site is None:
                raise self.fail(item, f"{where}[{i}]", f"expected a host such as blog.example.com, got {raw!r}")
            sites.append(site)
        return tuple(sites)

    def topics(self, node: yaml.Node) -> tuple[Topic, ...]:
        topics, seen = [], set()
        for i, item in enumerate(self.sequence(node, "topics")):
            where = f"topics[{i}]"
            fields = self.mapping(item, where, {"id", "name", "proposition", "keywords", "pro", "con"})
            name = self._required_string(item, fields, where, "name")
            topic_id = self._id(item, fields, where, default=name)
            if topic_id in seen:
                raise self.fail(item, f"{where}.id", f"'{topic_id}' is used twice")
            seen.add(topic_id)
            lists = {key: self.strings(fields[key], f"{where}.{key}") if key in fields else () for key in ("keywords", "pro", "con")}
            if not lists["keywords"] and not lists["pro"] and not lists["con"]:
                raise self.fail(item, where, "give keywords (and pro/con terms) so statements can be matched to the topic")
            proposition = self.string(fields["proposition"], f"{where}.proposition") if "proposition" in fields else name
            topics.append(Topic(id=topic_id, name=name, proposition=proposition, **lists))
        if not topics:
            raise self.fail(node, "topics", "name at least one topic")
        return tuple(topics)

    def alerts(self, node: yaml.Node) -> AlertSettings:
        fields = self.mapping(node, "alerts", {"urls", "min_confidence", "max_attempts", "backoff_seconds", "throttle_per_hour", "digest"})
        urls = []
        if "urls" in fields and not (isinstance(fields["urls"], yaml.ScalarNode) and fields["urls"].tag.endswith(":null")):
            for i, item in enumerate(self.sequence(fields["urls"], "alerts.urls")):
                url = self.string(item, f"alerts.urls[{i}]", allow_unset=True)
                url = _expand_secret_blocks(url) if url else url
                if url is None:
                    log.warning("%s:%d: alerts.urls[%d] names an environment variable that is not set; that channel is off",
                                self.path, item.start_mark.line + 1, i)
                    continue
                if "://" not in url:
                    raise self.fail(item, f"alerts.urls[{i}]", "expected an apprise URL such as mailto://… or slack://…")
                urls.append(url)
        kwargs: dict[str, Any] = {"urls": tuple(urls) + self.env_alert_urls()}
        if "min_confidence" in fields:
            kwargs["min_confidence"] = self.number(fields["min_confidence"], "alerts.min_confidence", minimum=0, maximum=1)
        if "max_attempts" in fields:
            kwargs["max_attempts"] = int(self.number(fields["max_attempts"], "alerts.max_attempts", minimum=1, maximum=100, integer=True))
        if "backoff_seconds" in fields:
            kwargs["backoff_seconds"] = self.number(fields["backoff_seconds"], "alerts.backoff_seconds", minimum=0, maximum=86400)
        if "throttle_per_hour" in fields:
            kwargs["throttle_per_hour"] = int(self.number(fields["throttle_per_hour"], "alerts.throttle_per_hour", minimum=1, maximum=10000, integer=True))
        if "digest" in fields:
            kwargs["digest"] = self.boolean(fields["digest"], "alerts.digest")
        return AlertSettings(**kwargs)

    def env_alert_urls(self) -> tuple[str, ...]:
        """Extra apprise URLs from $STANCEWATCH_ALERT_URLS (whitespace- or comma-separated): secrets stay out of files."""
        raw = self.environ.get(ALERT_URLS_ENV, "")
        return tuple(u for u in re.split(r"[\s,]+", raw) if u)

    def fetch(self, node: yaml.Node) -> FetchSettings:
        fields = self.mapping(node, "fetch", {"per_host", "timeout", "max_bytes", "robots", "allow_private", "user_agent", "max_redirects"})
        kwargs: dict[str, Any] = {}
        if "per_host" in fields:
            kwargs["per_host"] = int(self.number(fields["per_host"], "fetch.per_host", minimum=1, maximum=64, integer=True))
        if "timeout" in fields:
            kwargs["timeout"] = self.number(fields["timeout"], "fetch.timeout", minimum=0.1, maximum=3600)
        if "max_bytes" in fields:
            kwargs["max_bytes"] = int(self.number(fields["max_bytes"], "fetch.max_bytes", minimum=1024, maximum=1_000_000_000, integer=True))
        if "max_redirects" in fields:
            kwargs["max_redirects"] = int(self.number(fields["max_redirects"], "fetch.max_redirects", minimum=0, maximum=20, integer=True))
        if "robots" in fields:
            kwargs["robots"] = self.boolean(fields["robots"], "fetch.robots")
        if "allow_private" in fields:
            kwargs["allow_private"] = self.boolean(fields["allow_private"], "fetch.allow_private")
        if "user_agent" in fields:
            kwargs["user_agent"] = self.string(fields["user_agent"], "fetch.user_agent")
        return FetchSettings(**kwargs)

    def schedule(self, node: yaml.Node) -> ScheduleSettings:
        fields = self.mapping(node, "schedule", {"poll"})
        if "poll" not in fields:
            return ScheduleSettings()
        cron = self.string(fields["poll"], "schedule.poll")
        try:
            from cronsim import CronSim

            CronSim(cron, datetime.now())
        except Exception as exc:  # cronsim raises CronSimError, ValueError…
            raise self.fail(fields["poll"], "schedule.poll", f"not a cron expression ({exc})") from None
        return ScheduleSettings(poll=cron)

    # small helpers

    def _required_string(self, node: yaml.Node, fields: dict[str, yaml.Node], where: str, key: str) -> str:
        if key not in fields:
            raise self.fail(node, where, f"missing '{key}'")
        value = (self.string(fields[key], f"{where}.{key}") or "").strip()
        if not value:
            raise self.fail(fields[key], f"{where}.{key}", "must not be empty")
        return value

    def _id(self, node: yaml.Node, fields: dict[str, yaml.Node], where: str, *, default: str) -> str:
        if "id" not in fields:
            derived = re.sub(r"[^a-z0-9]+", "-", default.lower()).strip("-")
            if not derived:
                raise self.fail(node, f"{where}.id", f"cannot make an id from the name {default!r}: give an `id:`")
            return derived
        value = (self.string(fields["id"], f"{where}.id") or "").strip()
        if not _ID.match(value):
            raise self.fail(fields["id"], f"{where}.id", f"use lowercase letters, digits, '-', '_' or '.', got {value!r}")
        return value

    def _optional(self, node: yaml.Node, where: str) -> str:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return ""
        return self.string(node, where) or ""


def _expand_secret_blocks(url: str) -> str | None:
    """`${prefect-secret:NAME}` is the value of the Prefect Secret block NAME; None when it cannot be read."""
    names = _SECRET_BLOCK.findall(url)
    if not names:
        return url
    from prefect.blocks.system import Secret

    values = {}
    for name in names:
        try:
            values[name] = str(Secret.load(name).get())
        except Exception as exc:  # no server, no such block: that channel is off, the run goes on
            log.warning("Prefect Secret block %r cannot be read (%s); that alert channel is off", name, type(exc).__name__)
            return None
    return _SECRET_BLOCK.sub(lambda m: values[m.group(1)], url)


_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$")


def _site(raw: str) -> str | None:
    """'https://Blog.Acme.com/news/' -> 'blog.acme.com/news'; None when it names no host."""
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", raw.strip(), flags=re.IGNORECASE)
    host, _, path = value.partition("/")
    host = host.lower().removeprefix("www.")
    if not _HOST.match(host):
        return None
    path = path.split("?", 1)[0].split("#", 1)[0].strip("/")
    return f"{host}/{path}" if path else host


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
