"""Where a cluster's nodes are: the front node that answers searches, and each shard's replicas.

A cluster is described by one JSON file (its layout), written by `make cluster` or by hand:

    {"front": {"node": "front", "host": "127.0.0.1", "sql_port": 9306},
     "shards": [[{"node": "node0", "host": "127.0.0.1", "sql_port": 9307, "api_port": 9312},
                 {"node": "mirror", "host": "127.0.0.1", "sql_port": 9309, "api_port": 9314}],
                [...]],
     "ha_strategy": "nodeads"}

Each replica of a shard has an API port of its own (a node holding two shards listens on two),
so that a failing agent named by the front node tells exactly which shard it served.
"""
import json
from dataclasses import dataclass
from pathlib import Path

# Beside the layout, written by each push: how many reports and paragraphs each shard holds,
# which a partial answer names when a shard does not answer.
SHARDS_FILE = "shards.json"
# How the front node picks a shard's replica: nodeads leaves out a replica whose last
# queries failed (found by its pings too), so a dead node's shard is read from its mirror.
HA_STRATEGY = "nodeads"


class BadLayout(ValueError):
    """A cluster layout file that cannot be used; the message names the file and the reason."""


@dataclass(frozen=True)
class Replica:
    """One copy of one shard: the node holding it, its SphinxQL port and the API port the front node queries."""

    node: str
    host: str
    sql_port: int
    api_port: int

    @property
    def agent(self):
        """Return the host:port the front node names this replica by."""
        return f"{self.host}:{self.api_port}"


@dataclass(frozen=True)
class Front:
    """The node holding the distributed indexes: where searches go."""

    node: str
    host: str
    sql_port: int


@dataclass(frozen=True)
class Layout:
    """A cluster: its front node, its shards (each a tuple of replicas) and its mirror strategy."""

    path: Path
    front: Front
    shards: tuple
    ha_strategy: str = HA_STRATEGY

    def nodes(self):
        """Return {node name: [(shard number, replica)]} of every shard node, in layout order."""
        found = {}
        for number, replicas in enumerate(self.shards):
            for replica in replicas:
                found.setdefault(replica.node, []).append((number, replica))
        return found

    @property
    def sizes_path(self):
        """Return the file recording how much of the corpus each shard holds."""
        return Path(self.path).parent / SHARDS_FILE

    def shard_of_agent(self, agent):
        """Return the shard a replica's host:port serves, or None."""
        for number, replicas in enumerate(self.shards):
            if any(replica.agent == agent for replica in replicas):
                return number
        return None

    def to_dict(self):
        """Return the layout as the JSON data it is written as."""
        return {"front": vars(self.front), "shards": [[vars(r) for r in replicas] for replicas in self.shards],
                "ha_strategy": self.ha_strategy}


def parse_layout(data, path):
    """Return the Layout of parsed JSON data; raises BadLayout naming what is wrong."""
    try:
        front = Front(str(data["front"]["node"]), str(data["front"]["host"]), int(data["front"]["sql_port"]))
        shards = tuple(tuple(Replica(str(r["node"]), str(r["host"]), int(r["sql_port"]), int(r["api_port"]))
                             for r in replicas) for replicas in data["shards"])
        strategy = str(data.get("ha_strategy", HA_STRATEGY))
    except (KeyError, TypeError, ValueError) as error:
        raise BadLayout(f"{path}: not a cluster layout ({type(error).__name__}: {error})") from None
    if not shards or any(not replicas for replicas in shards):
        raise BadLayout(f"{path}: a cluster needs at least one shard, each with at least one replica")
    agents = [replica.agent for replicas in shards for replica in replicas]
    if len(set(agents)) != len(agents):
        raise BadLayout(f"{path}: each replica needs an API port of its own (host:port used twice)")
    return Layout(Path(path), front, shards, strategy)


def read_layout(path):
    """Return the Layout in a JSON file; raises BadLayout naming the file and the reason."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadLayout(f"{path}: no cluster layout there (start one with `make cluster`)") from None
    except (OSError, ValueError) as error:
        raise BadLayout(f"{path}: unreadable cluster layout ({error})") from None
    return parse_layout(data, path)


def write_layout(layout):
    """Write a layout to its path as JSON."""
    Path(layout.path).parent.mkdir(parents=True, exist_ok=True)
    Path(layout.path).write_text(json.dumps(layout.to_dict(), indent=1) + "\n", encoding="utf-8")
