"""The search on a Sphinx (or Manticore) cluster: the same plans and results object as the embedded engine.

layout.py says where the nodes are; schema.py writes their configuration; documents.py turns a
clean report into the rows the shards hold; sphinxql.py talks to the nodes; match.py turns match
nodes into Sphinx's query syntax; execute.py runs a Plan on the front node; engine.py is the
engine over it; local.py starts a cluster on this machine for tests and demos.
"""
