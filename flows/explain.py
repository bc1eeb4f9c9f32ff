"""`stancewatch extract`: one article, everything found in it, and why."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, replace
from pathlib import Path

from extractors.documents import (
    ExtractionError,
    LocalError,
    extract_article,
    iter_local_documents,
)
from extractors.fetch import Fetcher, FetchSettings
from extractors.statements import explain, extract_statements
from flows.analyze import MAX_ANALYZED_CHARS, analyzed_part
from storage.records import Article, RawDocument, Statement, Watchlist

__all__ = ["ExtractReport", "extract_target", "load_target"]


@dataclass(frozen=True)
class ExtractReport:
    article: Article
    statements: tuple[Statement, ...]
    watchlist: Watchlist
    analysed_chars: int | None = None  # when the text is longer than the analysis cap: the part analysed

    def to_dict(self) -> dict:
        a = self.article
        return {
            "article": {"id": a.id, "url": a.url, "title": a.title, "author": a.author, "site_name": a.site_name,
                        "published_at": a.published_at, "characters": len(a.text),
                        "analysed_characters": self.analysed_chars or len(a.text),
                        "analysis_cap": MAX_ANALYZED_CHARS},
            "statements": [_statement_dict(st) for st in self.statements],
            "text": a.text,
        }

    def to_text(self) -> str:
        a = self.article
        lines = [f"{a.title or '(no title)'}", f"{a.url}", f"published: {a.published_at or 'unknown'}",
                 f"{len(a.text)} characters, {len(self.statements)} statements", ""]
        if self.analysed_chars is not None:
            lines[-1:-1] = [f"cut: statements from the first {self.analysed_chars} characters only (the analysis cap "
                            f"is {MAX_ANALYZED_CHARS} characters, as in backfill and run)"]
        for st in self.statements:
            stance = f"{st.stance_label} {st.stance:+.2f}" if st.stance is not None else "off-topic"
            when = f"{st.stated_at.value} ({st.stated_at.precision})" if st.stated_at else "undated"
            lines.append(f"- [{st.entity_id} / {st.topic_id or '-'}] {stance}, {st.kind}, {when}")
            lines.append(f"  {st.speaker} ({st.cue}): “{' '.join(st.text.split())}”")
            lines.append(f"  why: {explain(st)}")
        return "\n".join(lines)


def _statement_dict(st: Statement) -> dict:
    return {
        "entity": st.entity_id, "topic": st.topic_id, "speaker": st.speaker, "speaker_resolved": st.speaker_resolved,
        "speaker_role": st.speaker_role, "text": st.text, "start": st.start, "end": st.end, "cue": st.cue,
        "kind": st.kind, "stance": st.stance, "stance_label": st.stance_label, "confidence": st.confidence,
        "attribution_confidence": st.attribution_confidence, "stance_confidence": st.stance_confidence,
        "is_denial": st.is_denial,
        "stated_at": st.stated_at.value if st.stated_at else None,
        "stated_precision": st.stated_at.precision if st.stated_at else None,
        "date_cue": st.stated_at.cue if st.stated_at else None,
        "cues": [{"kind": c.kind, "text": c.text, "weight": c.weight} for c in st.stance_cues],
        "why": explain(st),
    }


def load_target(target: str, fetch: FetchSettings) -> RawDocument:
    """A local file (first document of a JSONL) or an http(s) URL."""
    if re.match(r"^https?://", target):
        async def fetch_one():
            async with Fetcher(fetch) as fetcher:
                return await fetcher.fetch(target)

        result = asyncio.run(fetch_one())
        if not result.ok:
            raise ExtractionError(f"could not fetch {target}: {result.error or f'HTTP {result.status}'}")
        return RawDocument(url=result.final_url or target, body=result.body)
    path = Path(target)
    if not path.exists():
        raise ExtractionError(f"no such file: {target} (give a file path or an http(s) URL)")
    for item in iter_local_documents([path]):
        if isinstance(item, LocalError):
            raise ExtractionError(f"{item.path}:{item.line or ''} {item.reason}")
        return item
    raise ExtractionError(f"{target}: no article in it (expected .html, .htm, .txt or .jsonl)")


def extract_target(target: str, watchlist: Watchlist, fetch: FetchSettings,
                   max_chars: int = MAX_ANALYZED_CHARS) -> ExtractReport:
    """The article and its statements, found (like the flows) in its first `max_chars` characters only."""
    article = extract_article(load_target(target, fetch))
    part = analyzed_part(article, max_chars)
    found = extract_statements(part, watchlist)
    if part is not article:
        found = [replace(st, article_id=article.id) for st in found]
    unique = {st.id: st for st in reversed(found)}  # a repeated quote once, first place
    return ExtractReport(article, tuple(sorted(unique.values(), key=lambda st: st.start)), watchlist,
                         analysed_chars=None if part is article else len(part.text))
