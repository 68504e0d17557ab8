"""The orders a search lists its hits in, written once for every backend.

Each order is its keys, the first deciding and each next one breaking the ties left: score
(relevance, higher first), newest (report year, then publication date: model/values.py's
when_key), oldest (model/values.py's oldest_key: a report without a date after the dated ones
of its year, one without a year last), then report id and paragraph number, which no two hits
share. The embedded engine computes each key over its arrays (search/execute.py), the cluster
orders by the column holding it (search/cluster/execute.py).
"""
ASCENDING, DESCENDING = "ASC", "DESC"
# What decides between hits every key before left tied: report id, then paragraph number.
TIES = (("report", ASCENDING), ("n", ASCENDING))
ORDERS = {
    "relevance": (("score", DESCENDING), ("newest", DESCENDING), *TIES),
    "newest": (("newest", DESCENDING), *TIES),
    "oldest": (("oldest", ASCENDING), *TIES),
}
SORTS = tuple(ORDERS)
