"""Indexing: clean reports into a Whoosh index generation and the arrays the search core reads."""
