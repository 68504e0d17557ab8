"""The site's routes, a blueprint per resource: search, report, reuse (with compare), corpus, api, exports."""
