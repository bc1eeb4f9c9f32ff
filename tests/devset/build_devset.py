"""Rebuild tests/devset/dev.jsonl and heldout.jsonl from the label files in tests/devset/labels/.

The labels (labels/dev.yaml, labels/heldout.yaml) were written by reading each
text (see README.md for the rules); this script only attaches the article texts
from ../shared and checks every quote is an exact substring (curly and straight
quotes are treated alike while searching; the stored quote is the exact text).
Rerun it after editing a label:

    .venv/bin/python tests/devset/build_devset.py [--shared DIR] [--labels DIR] [--out DIR]

The .jsonl files are what the scorer reads; the label files are where a label is corrected.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.paths import DEVSET, REPO_SEEDS, SHARED  # noqa: E402

LABELS = DEVSET / "labels"
SPLITS = ("dev", "heldout")  # labels/<split>.yaml -> <split>.jsonl

_DOCUMENT_KEYS = {"id", "seed", "article", "quotes", "published", "published_precision", "watchlist", "statements"}
_REQUIRED_STATEMENT_KEYS = {"quote", "speaker", "entity", "topic", "stance", "kind"}
_OPTIONAL_STATEMENT_KEYS = {"person", "speaker_alternatives", "is_denial", "date", "precision", "date_cue",
                            "occurrence"}
UNKNOWN_DATE = "unknown"  # a statement date not determinable from the text
_QUOTE_CLASS = {"'": "['’‘`]", "’": "['’‘`]", "‘": "['’‘`]", '"': "[\"“”]", "“": "[\"“”]", "”": "[\"“”]"}


class LabelError(SystemExit):
    """A label that cannot be built; the message names the document and statement."""


# --- quotes and dates ---------------------------------------------------------


def _pattern(quote: str) -> re.Pattern[str]:
    parts = []
    for ch in quote:
        if ch in _QUOTE_CLASS:
            parts.append(_QUOTE_CLASS[ch])
        elif ch.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts).replace(r"\s+\s+", r"\s+"))


def _exact(text: str, quote: str, occurrence: int | None, where: str) -> str:
    found = [m.group(0) for m in _pattern(quote).finditer(text)]
    if not found:
        raise LabelError(f"{where}: quote not found: {quote[:70]!r}")
    if occurrence is None and len(found) > 1:
        raise LabelError(f"{where}: quote occurs {len(found)} times, give occurrence: {quote[:70]!r}")
    return found[occurrence or 0]


def _resolve_date(raw: str | None, precision: str | None, published: str | None,
                  published_precision: str | None) -> tuple[str | None, str | None]:
    if raw == UNKNOWN_DATE:
        return None, None
    if raw is None:
        return (published, published_precision) if published is not None else (None, None)
    precision = precision or "day"
    full = {"year": raw[:4] + "-01-01", "month": raw[:7] + "-01", "day": raw}[precision]
    return full, precision


# --- labels -------------------------------------------------------------------


def _check_keys(label: dict, required: set[str], optional: set[str], where: str) -> None:
    missing, unknown = required - set(label), set(label) - required - optional
    if missing or unknown:
        raise LabelError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")


def _check_strings(where: str, **values: object) -> None:
    """Dates and quotes must be YAML strings: an unquoted 2019-11-18 or 2025 would load as a date or a number."""
    for name, value in values.items():
        if value is not None and not isinstance(value, str):
            raise LabelError(f"{where}: {name} must be a quoted string, not {value!r}")


def _statement(label: dict, text: str, published: str | None, published_precision: str | None,
               where: str) -> dict:
    _check_keys(label, _REQUIRED_STATEMENT_KEYS, _OPTIONAL_STATEMENT_KEYS, where)
    _check_strings(where, quote=label["quote"], date=label.get("date"))
    if (label["topic"] is None) != (label["stance"] is None):
        raise LabelError(f"{where}: stance must be null exactly when topic is null")
    stated_at, precision = _resolve_date(label.get("date"), label.get("precision"), published, published_precision)
    row = {
        "quote": _exact(text, label["quote"], label.get("occurrence"), where),
        "speaker": label["speaker"],
        "entity": label["entity"],
        "topic": label["topic"],
        "stance": label["stance"],
        "stated_at": stated_at,
        "precision": precision,
        "kind": label["kind"],
        "is_denial": label.get("is_denial", False),
        "person": label.get("person"),
        "speaker_alternatives": label.get("speaker_alternatives", []),
        "date_cue": label.get("date_cue"),
    }
    if label.get("occurrence") is not None:
        row["occurrence"] = label["occurrence"]
    return row


def _check_watched(document_id: str, statements: list[dict], watchlist: dict) -> None:
    entity_ids = {e["id"] for e in watchlist["entities"]}
    topic_ids = {t["id"] for t in watchlist["topics"]}
    for number, row in enumerate(statements):
        if row["entity"] not in entity_ids or (row["topic"] is not None and row["topic"] not in topic_ids):
            raise LabelError(f"{document_id}#{number}: entity or topic not in the watchlist: "
                             f"{row['entity']!r}, {row['topic']!r}")


# --- texts --------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    url: str
    title: str | None


def _without_userinfo(url: str) -> str:
    """The quotes corpus has user:password@ in some URLs; the development set never stores them."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


class Sources:
    """The texts the labels point at: ../shared seeds, benchmark articles and quotes corpus (read on first use)."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared

    @cached_property
    def _truth(self) -> dict:
        return json.loads((self.shared / "data" / "articles" / "ground-truth.json").read_text(encoding="utf-8"))

    @cached_property
    def _quote_rows(self) -> list[dict]:
        return _read_jsonl(self.shared / "data" / "quotes" / "quotes.jsonl")

    @cached_property
    def _bundled_seeds(self) -> list[dict]:
        return _read_jsonl(REPO_SEEDS / "seeds.jsonl")

    def text_of(self, label: dict) -> Text:
        if "seed" in label:
            return self._seed(label)
        if "article" in label:
            key = next(k for k in self._truth if k.startswith(label["article"]))
            return Text(self._truth[key]["articleBody"], self._truth[key]["url"], None)
        if "quotes" in label:
            row = self._quote_rows[label["quotes"]]
            return Text(row["text"], _without_userinfo(row["url"]), None)
        raise LabelError(f"{label['id']}: give one of seed, article, quotes")

    def _seed(self, label: dict) -> Text:
        text = (self.shared / "seeds" / f"{label['seed']}.txt").read_text(encoding="utf-8")
        bundled = next(row for row in self._bundled_seeds if row["url"].endswith(label["seed"]))
        if bundled["text"] != text:
            raise LabelError(f"{label['id']}: bundled seed text differs from ../shared/seeds")
        return Text(text, bundled["url"], bundled.get("title"))


# --- documents ----------------------------------------------------------------


def build_document(label: dict, watchlists: dict[str, dict], sources: Sources) -> dict:
    """One development-set document: the label with its text attached and every quote checked."""
    _check_keys(label, {"id", "published", "watchlist", "statements"}, _DOCUMENT_KEYS, label.get("id", "?"))
    _check_strings(label["id"], published=label["published"])
    watchlist = watchlists[label["watchlist"]]
    source = sources.text_of(label)
    published = label["published"]
    published_precision = label.get("published_precision", "day") if published else None
    statements = [
        _statement(s, source.text, published, published_precision, f"{label['id']}#{number}")
        for number, s in enumerate(label["statements"])
    ]
    _check_watched(label["id"], statements, watchlist)
    return {
        "id": label["id"],
        "url": source.url,
        "published": published,
        "published_precision": published_precision,
        "title": source.title,
        "text": source.text,
        "watchlist": watchlist,
        "statements": statements,
    }


def build_split(labels_path: Path, sources: Sources) -> list[dict]:
    labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    return [build_document(label, labels["watchlists"], sources) for label in labels["documents"]]


def write_jsonl(path: Path, documents: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
    total = sum(len(d["statements"]) for d in documents)
    print(f"{path.name}: {len(documents)} documents, {total} gold statements")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default ../shared)")
    parser.add_argument("--labels", type=Path, default=LABELS, help="where the label files are")
    parser.add_argument("--out", type=Path, default=DEVSET, help="where to write the .jsonl files")
    args = parser.parse_args(argv)
    sources = Sources(args.shared)
    built = {split: build_split(args.labels / f"{split}.yaml", sources) for split in SPLITS}  # all checked first
    args.out.mkdir(parents=True, exist_ok=True)
    for split, documents in built.items():
        write_jsonl(args.out / f"{split}.jsonl", documents)


if __name__ == "__main__":
    main()
