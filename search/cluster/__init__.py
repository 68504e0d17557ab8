"""The cluster backend: search/backend.py's interface answered by a Sphinx (or Manticore) cluster.

model/cluster/ says where the nodes are (layout.py), how they are configured (schema.py) and
what rows the shards hold (rows.py); here sphinxql.py talks to the nodes, match.py turns match
nodes into Sphinx's query syntax, execute.py matches a Plan on the front node (its counts,
facets and pages), backend.py is the backend over it, local.py starts a cluster on this
machine for tests and demos.
"""
