"""Topic relevance and stance: one table of rules, and the cues that explain a score."""

from extractors.stance._score import (
    CON_THRESHOLD,
    PRO_THRESHOLD,
    StanceResult,
    reports_change,
    score_stance,
)
from extractors.stance._table import RULES, Kind, Rule
from extractors.stance._topics import TopicMatch, match_topics

__all__ = [
    "CON_THRESHOLD",
    "PRO_THRESHOLD",
    "RULES",
    "Kind",
    "Rule",
    "StanceResult",
    "TopicMatch",
    "match_topics",
    "reports_change",
    "score_stance",
]
