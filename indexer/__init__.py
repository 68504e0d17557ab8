"""Scraper-cleaner and indexer: raw report pages in, a Whoosh index of paragraphs out."""
