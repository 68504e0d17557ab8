"""Benchmark of the indexer and the search server against the usual Whoosh + jieba setup."""
