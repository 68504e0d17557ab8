"""Cleaning: one raw page (HTML in any Chinese encoding, or a text dump) into a clean Report.

rawfile.py reads a file (encoding.py, htmlpage.py for HTML); textpage.py runs the text
stages in order; cache.py keeps the clean corpus and re-cleans only changed pages.
"""
