"""Statements: attribution, topic, stance and date put together for one article."""

from extractors.statements._assemble import (
    explain,
    extract_statements,
    extract_statements_many,
)

__all__ = ["explain", "extract_statements", "extract_statements_many"]
