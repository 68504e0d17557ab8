"""The Sphinx cluster's side of the domain: where its nodes are (layout), what its shards hold (schema),
a report as the rows it stores, and a connection to one node; the push writes them, the search core reads."""
