"""The company's own voice (issue 8, item 3): an article on a site of the company is the company
speaking. Sites come from the entity's `sites:` or, by default, from a host whose registered name is
the company's name or an alias; the on-topic sentences of such an article are statements of kind
"own", the company as speaker, stored and weighed like a direct quote."""

from __future__ import annotations

import textwrap
from datetime import datetime, timezone

import pytest

from extractors.attribution import load_nlp, site_owner
from extractors.shifts import evidence_weight
from extractors.statements import extract_statements
from flows.settings import ConfigError, load_settings
from storage.db import Archive
from storage.records import Article, Entity, EvidenceStatement, Person, Topic, Watchlist
from storage.statements import StatementBatch, store_statements
from tests.support import REPO

PUBLISHED = datetime(2025, 3, 4, tzinfo=timezone.utc)
ACME = Entity("acme", "Acme", people=(Person("Jane Roe", "CEO"),))
ACME_RAIL = Entity("acme-rail", "Acme Rail Ltd", aliases=("Acme Rail",))
BOLT = Entity("bolt", "Bolt", sites=("bolt-group.example/newsroom", "press.boltmedia.example"))
PG = Entity("pge", "P&G Power")
RECYCLING = Topic("recycling", "Recycling programme", proposition="Acme runs a recycling programme.",
                  keywords=("recycling programme", "recycling"), pro=("recycling",), con=("landfill",))
WATCHLIST = Watchlist(entities=(ACME, ACME_RAIL, BOLT, PG), topics=(RECYCLING,))


@pytest.mark.parametrize(
    ("url", "owner"),
    [
        ("https://blog.acme.com/2025/03/recycling", "acme"),
        ("https://www.acme.co.uk/news", "acme"),
        ("https://newsroom.acme.com.au/", "acme"),
        ("https://acmerail.com/policy", "acme-rail"),  # a multi-word name, run together
        ("https://www.acme-rail.co.uk/press/1", "acme-rail"),  # or hyphenated
        ("https://acmerailltd.com/", "acme-rail"),  # with its legal suffix
        ("https://blog.acme/recycling", "acme"),  # a brand top-level domain
        ("https://pandgpower.com/about", "pge"),  # "&" spelled out ...
        ("https://pgpower.com/about", "pge"),  # ... or dropped
        ("https://bolt-group.example/newsroom/2025/pledge", "bolt"),  # a listed site with its path
        ("https://www.press.boltmedia.example/x", "bolt"),  # a listed host covers its subdomains
        ("https://bolt-group.example/careers", None),  # outside the listed path
        ("https://notacme.com/a", None),
        ("https://acme.news.example.com/a", None),  # a label of someone else's domain
        ("https://news.example.com/acme", None),
        ((REPO / "acme.html").as_uri(), None),  # a local file is nobody's site
        (None, None),
    ],
)
def test_whose_site_an_address_is(url, owner):
    entity = site_owner(url, WATCHLIST)
    assert (entity.id if entity else None) == owner


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


BLOG = textwrap.dedent("""\
    Our recycling programme, ten years on
    Since 2015 we have run a recycling programme in every store, and we will keep it running.
    This spring we are also opening three new stores in Porto.
    “Recycling is what our customers ask for,” said Jane Roe, our chief executive.
    “I drop off my bottles every week,” said Ana Lima, a customer in Lisbon, about the recycling bins.
    We send nothing from our stores to landfill.""")


def own_statements(nlp, url="https://blog.acme.com/2025/03/recycling", title=None):
    article = Article(url=url, text=BLOG, title=title, published_at=PUBLISHED)
    return extract_statements(article, WATCHLIST, nlp=nlp)


def test_on_its_own_site_the_company_speaks(nlp):
    found = own_statements(nlp)
    own = [s for s in found if s.kind == "own"]
    assert [s.text for s in own] == [
        "Our recycling programme, ten years on",
        "Since 2015 we have run a recycling programme in every store, and we will keep it running",
        "We send nothing from our stores to landfill",
    ]
    for st in own:
        assert (st.entity_id, st.speaker, st.speaker_resolved, st.speaker_role) == ("acme", "Acme", "Acme", "company")
        assert st.topic_id == "recycling" and st.stance is not None
        assert st.cue == "published on blog.acme.com" and st.attribution_confidence == 0.9
    # the chief executive's quotation stays hers; a customer's words are nobody's we watch;
    # the sentence on new stores is on no watched topic and is not kept
    assert [(s.kind, s.speaker_resolved) for s in found if s.kind != "own"] == [("direct", "Jane Roe")]
    assert not any("Porto" in s.text or "bottles" in s.text for s in found)


def test_the_same_page_elsewhere_is_not_the_company_speaking(nlp):
    found = own_statements(nlp, url="https://news.example.com/acme-recycling")
    assert [s.kind for s in found] == ["direct"]


def test_a_separate_title_on_its_site_is_its_voice_too(nlp):
    found = own_statements(nlp, title="We are keeping recycling in every store")
    titles = [s for s in found if s.start == s.end == 0]
    assert [(s.kind, s.text, s.topic_id) for s in titles] == [
        ("own", "We are keeping recycling in every store", "recycling")]


def test_own_statements_are_stored_and_weighed_like_a_direct_quote(nlp, tmp_path):
    article = Article(url="https://blog.acme.com/2025/03/recycling", text=BLOG, published_at=PUBLISHED)
    found = extract_statements(article, WATCHLIST, nlp=nlp)
    archive = Archive(tmp_path / "archive.duckdb", lock_wait=5)
    from storage.articles import ArticleBatch, save_articles

    archive.save(save_articles, ArticleBatch((article,), PUBLISHED))
    archive.save(store_statements, StatementBatch((article,), tuple(found), PUBLISHED))
    with archive.connect(read_only=True) as con:
        kinds = con.execute("SELECT kind, count(*) FROM statements GROUP BY kind ORDER BY kind").fetchall()
    assert kinds == [("direct", 1), ("own", 3)]

    def weight(kind: str) -> float:
        return evidence_weight(EvidenceStatement("s", "acme", "recycling", "Acme", "t", 0.8, "pro", 0.8, kind,
                                                 PUBLISHED.date(), "day", None, speaker_role="company"))

    # at least as much as the company's own quotation; a narrated action a little less
    assert weight("own") >= weight("direct") and weight("own") > weight("action") > weight("report")


CONFIG = textwrap.dedent("""\
    entities:
      - id: acme
        name: Acme
        sites: [blog.acme-group.example, "https://www.Acme-Group.example/newsroom/", acme.example/policy]
    topics:
      - {id: recycling, name: Recycling, keywords: [recycling]}
""")


def test_sites_come_from_the_config(tmp_path):
    path = tmp_path / "stancewatch.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    acme = load_settings(path, environ={}).watchlist.entity("acme")
    assert acme.sites == ("blog.acme-group.example", "acme-group.example/newsroom", "acme.example/policy")
    assert site_owner("https://acme-group.example/newsroom/2025/x", Watchlist(entities=(acme,))) == acme


@pytest.mark.parametrize(
    ("sites", "line", "message"),
    [
        ("[not a host]", 4, "entities[0].sites[0]: expected a host such as blog.example.com, got 'not a host'"),
        ("[acme.example, localhost]", 4, "entities[0].sites[1]: expected a host"),
        ("acme.example", 4, "entities[0].sites: expected a list of strings"),
    ],
)
def test_a_bad_site_is_refused_with_file_and_line(tmp_path, sites, line, message):
    path = tmp_path / "stancewatch.yaml"
    path.write_text(CONFIG.replace(
        '[blog.acme-group.example, "https://www.Acme-Group.example/newsroom/", acme.example/policy]', sites),
        encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path, environ={})
    assert f"stancewatch.yaml:{line}: {message}" in str(error.value)
