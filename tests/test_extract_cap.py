"""`stancewatch extract` analyses an article up to the same length cap as backfill and run, and says when it cuts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.analyze import MAX_ANALYZED_CHARS
from flows.cli import main
from flows.explain import extract_target
from flows.settings import SEEDS_DIR, load_settings
from tests.support import SHARED_SEEDS

WATCHLIST = SEEDS_DIR / "watchlist.yaml"
FILLER = ("The weather stayed mild through the week and the harbour was quiet; nothing here names anyone "
          "the watchlist follows, so this paragraph is only length.\n\n")


@pytest.fixture(scope="module")
def long_article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A founding article, filler past the cap, then another one (statements on both sides of the cap)."""
    first, second = (next(SHARED_SEEDS.glob(f"{n}_*.txt")).read_text(encoding="utf-8") for n in ("001", "000"))
    filler = FILLER * (MAX_ANALYZED_CHARS // len(FILLER) + 1)
    path = tmp_path_factory.mktemp("extract") / "long.txt"
    path.write_text(f"{first}\n\n{filler}{second}", encoding="utf-8")
    assert len(path.read_text(encoding="utf-8")) > MAX_ANALYZED_CHARS + len(second)
    return path


def _extract_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["--config", str(WATCHLIST), "extract", "--json", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def test_extract_analyses_only_up_to_the_cap_and_says_so(long_article: Path, capsys) -> None:
    report = _extract_json(long_article, capsys)
    article = report["article"]
    assert article["characters"] > MAX_ANALYZED_CHARS and article["analysis_cap"] == MAX_ANALYZED_CHARS
    assert MAX_ANALYZED_CHARS // 2 < article["analysed_characters"] <= MAX_ANALYZED_CHARS
    assert report["statements"], "the article's first copy, before the cap, has statements"
    assert all(st["end"] <= article["analysed_characters"] for st in report["statements"])
    text = report["text"]
    assert all(text[st["start"]:st["end"]] == st["text"] for st in report["statements"])  # offsets in the full text

    assert main(["--config", str(WATCHLIST), "extract", str(long_article)]) == 0
    out = capsys.readouterr().out
    assert f"the first {article['analysed_characters']} characters only" in out
    assert f"the analysis cap is {MAX_ANALYZED_CHARS} characters" in out


def test_without_the_cap_the_copy_past_it_would_have_statements(long_article: Path) -> None:
    """The premise of the test above: what the cap leaves out is there to be found."""
    settings = load_settings(WATCHLIST)
    capped = extract_target(str(long_article), settings.watchlist, settings.fetch)
    whole = extract_target(str(long_article), settings.watchlist, settings.fetch, max_chars=10 * MAX_ANALYZED_CHARS)
    assert whole.analysed_chars is None and capped.analysed_chars is not None
    assert any(st.start >= capped.analysed_chars for st in whole.statements)
    assert not any(st.start >= capped.analysed_chars for st in capped.statements)


def test_a_short_article_is_not_cut(tmp_path: Path, capsys) -> None:
    path = tmp_path / "short.txt"
    path.write_text(next(SHARED_SEEDS.glob("001_*.txt")).read_text(encoding="utf-8"), encoding="utf-8")
    report = _extract_json(path, capsys)
    assert report["article"]["analysed_characters"] == report["article"]["characters"]
    assert main(["--config", str(WATCHLIST), "extract", str(path)]) == 0
    assert "cut:" not in capsys.readouterr().out
