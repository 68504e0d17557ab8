"""What the shards hold and how every node is configured: the real-time indexes and the distributed ones.

Each shard is three real-time indexes: one row per paragraph (its text as tokens, its facet
values as integer attributes, its text as a string to show), one per report (its metadata,
for hits and the report page, and the digest a push compares) and one per facet value (the
name behind each integer code). The front node's distributed indexes of the same names join
the shards, each shard's replicas as mirrors of one agent. The front node holds one real-time
index of its own, pushes: one row, the stamp of the last push (model/cluster/stamp.py).

Every letter and digit is a token of its own (documents.py spells each character in ASCII),
so a phrase is exactly the characters in a row, as in the embedded index; the text is indexed
twice, once as it runs and once with its sentences ended (index_sp), because a sentence end
breaks a phrase in Sphinx while the embedded engine reads phrases across punctuation.
"""
from model.registry import FACETS

PARAGRAPHS, REPORTS, VALUES = "paragraphs", "reports", "values"
KINDS = (PARAGRAPHS, REPORTS, VALUES)
# The front node's own index: which push the cluster holds (model/cluster/stamp.py).
PUSHES = "pushes"

# A facet of open names, searched by what its names are, start with or hold (region:, issuer:,
# 文号), has its names as a field of character tokens; closed lists, years and dates are terms in
# field tags (model/kinds.py: terms).
NAMED = tuple(facet for facet in FACETS if facet.open_names)
# The facets counted by integer attribute (a date also by its year: tally_column).
CODED = tuple(facet for facet in FACETS if facet.counted)
# The attribute a facet whose counts group apart (a date, by year) is counted by: its name and this.
TALLY_SUFFIX = "_year"


def name_field(facet_name):
    """Return the full-text field holding a facet's names as character tokens."""
    return f"name_{facet_name}"


def tally_column(facet):
    """Return the attribute a facet's counts group by: its own, or (a date) its tally code's (the year)."""
    return facet.name + TALLY_SUFFIX if facet.tallied_apart else facet.name


PARAGRAPH_FIELDS = ("text", "sent", "title", *(name_field(facet.name) for facet in NAMED), "tags")
PARAGRAPH_ATTRS = (
    ("report", "bigint"), ("n", "uint"), ("heading", "uint"), ("shard", "uint"),
    # A facet of several names per report (cited documents) is a set of codes (a multi-valued attribute).
    *((facet.name, "multi_64" if facet.several else "bigint") for facet in CODED),
    *((tally_column(facet), "uint") for facet in CODED if facet.tallied_apart),
    # What the date sorts order by (search/execute.py's page_of): newest first, oldest first.
    ("newest", "bigint"), ("oldest", "bigint"),
    # Which version of its report a paragraph is (its push digest as a number, model/cluster/rows.py's
    # version_of): a push compares it, so paragraphs a killed push left are known whatever their report row says.
    ("version", "bigint"),
    ("report_id", "string"), ("body", "string"), ("path", "string"),
)
REPORT_FIELDS = ("title",)
REPORT_ATTRS = (("shard", "uint"), ("paragraphs", "uint"), ("last_n", "uint"), ("report_id", "string"), ("digest", "string"),
                ("meta", "string"))
VALUE_FIELDS = ("name",)
VALUE_ATTRS = (("facet_name", "string"), ("facet_value", "string"))
# A real-time index needs a field: the stamp's row leaves it empty.
PUSH_FIELDS, PUSH_ATTRS = ("note",), (("stamp", "bigint"),)
SCHEMAS = {PARAGRAPHS: (PARAGRAPH_FIELDS, PARAGRAPH_ATTRS), REPORTS: (REPORT_FIELDS, REPORT_ATTRS),
           VALUES: (VALUE_FIELDS, VALUE_ATTRS), PUSHES: (PUSH_FIELDS, PUSH_ATTRS)}

# Real-time index memory before a chunk goes to disk, per index: half a million paragraphs fit in one.
RT_MEM_LIMIT = "1024M"
# Front node: how long to wait for an agent, and how often dead ones are pinged (ms).
AGENT_CONNECT_TIMEOUT_MS = 500
AGENT_QUERY_TIMEOUT_MS = 20_000
HA_PING_INTERVAL_MS = 100
# A batch of rows sent in one statement stays under the default 8 MB packet.
MAX_PACKET = "32M"


def shard_index(kind, number):
    """Return the name of one shard's real-time index of a kind (paragraphs_s0)."""
    return f"{kind}_s{number}"


def columns(kind):
    """Return the column names of a kind of row, as an INSERT names them (id first)."""
    fields, attrs = SCHEMAS[kind]
    return ("id", *fields, *(name for name, _type in attrs))


def rt_index(kind, name, data_dir):
    """Return the configuration of one real-time index of a kind (a shard's, or the front node's pushes), by its name."""
    fields, attrs = SCHEMAS[kind]
    lines = [f"index {name}", "{", "    type = rt", f"    path = {data_dir}/{name}",
             f"    rt_mem_limit = {RT_MEM_LIMIT}", "    dict = keywords", "    min_word_len = 1"]
    if kind == PARAGRAPHS:
        lines.append("    index_sp = 1")  # sentence ends ('!' between sentences in field sent) for SENTENCE
    lines += [f"    rt_field = {name}" for name in fields]
    lines += [f"    rt_attr_{kind_of} = {name}" for name, kind_of in attrs]
    return "\n".join(lines + ["}", ""])


def distributed_index(kind, layout):
    """Return the configuration of the front node's distributed index of a kind: one agent per shard, its replicas as mirrors."""
    lines = [f"index {kind}", "{", "    type = distributed"]
    for number, replicas in enumerate(layout.shards):
        lines.append("    agent = " + "|".join(f"{r.agent}:{shard_index(kind, number)}" for r in replicas))
    lines += [f"    ha_strategy = {layout.ha_strategy}", f"    agent_connect_timeout = {AGENT_CONNECT_TIMEOUT_MS}",
              f"    agent_query_timeout = {AGENT_QUERY_TIMEOUT_MS}", "}", ""]
    return "\n".join(lines)


def searchd_section(listen, data_dir):
    """Return the searchd section of a node listening on the given host:port[:protocol] addresses."""
    lines = ["searchd", "{"] + [f"    listen = {address}" for address in listen]
    lines += [f"    log = {data_dir}/searchd.log", f"    query_log = {data_dir}/query.log",
              f"    pid_file = {data_dir}/searchd.pid", f"    binlog_path = {data_dir}",
              "    workers = threads", "    watchdog = 0",
              # Report ids sort byte by byte, as the embedded engine sorts them.
              "    collation_server = binary",
              f"    max_packet_size = {MAX_PACKET}", f"    ha_ping_interval = {HA_PING_INTERVAL_MS}", "}", ""]
    return "\n".join(lines)


def node_config(layout, node, data_dir):
    """Return the sphinx.conf of one node: its shards' real-time indexes, or (the front) the distributed ones."""
    if node == layout.front.node:
        body = "".join(distributed_index(kind, layout) for kind in KINDS) + rt_index(PUSHES, PUSHES, data_dir)
        return body + searchd_section([f"{layout.front.host}:{layout.front.sql_port}:mysql41"], data_dir)
    held = layout.nodes()[node]
    body = "".join(rt_index(kind, shard_index(kind, number), data_dir) for number, _replica in held for kind in KINDS)
    first = held[0][1]
    listen = [f"{first.host}:{first.sql_port}:mysql41"] + [replica.agent for _number, replica in held]
    return body + searchd_section(listen, data_dir)


def node_names(layout):
    """Return every node of a layout: the shard nodes, then the front."""
    return [*layout.nodes(), layout.front.node]
