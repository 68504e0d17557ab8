"""The domain every layer shares: the clean report and its vocabularies, text folding, the facet registry
and its kinds, the values sorts order by, and the cluster's row format. It imports no other package of the
project: indexer/, search/ and web/ all stand on it."""
