"""Invented topics more than one stance test scores against."""

from __future__ import annotations

from storage.records import Topic

__all__ = ["RECYCLING"]

RECYCLING = Topic(
    id="recycling",
    name="Recycling programme",
    proposition="Acme runs a recycling programme.",
    keywords=("recycling programme", "recycling"),
    pro=("recycling programme",),
    con=("landfill",),
)
