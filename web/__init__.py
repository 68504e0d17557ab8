"""Helpers of the web pages: search state and links, facets as plain dicts, charts, report views, exports. No Flask."""
