"""Metadata extraction and normalization: one contract for every source."""

from cleaners.metadata.extract import Metadata, extract_metadata

__all__ = ["Metadata", "extract_metadata"]
