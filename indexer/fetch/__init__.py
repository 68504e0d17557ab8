"""Fetching: report pages from government websites into corpus/raw/, each with its provenance."""
