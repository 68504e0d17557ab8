"""The open generation's reuse data by document number: each paragraph's text, group and near-identical ones.

indexer/reuse/ finds, at build time, the near-identical texts of the corpus and groups them under
their earliest; indexer/index/format.py reads them. Here they meet the document numbers of the
generation: every live sketched paragraph gets its text's row, its group (the row of the text
leading it, -1 for none) and its order of publication, so that a search folds a page of hits in
a few array operations and a report page lists each paragraph's near-identical ones.
"""
from dataclasses import dataclass

import numpy as np

from indexer.index.derive import changes
from indexer.index.format import REUSE_FOLDER, IndexUnusable, read_reuse, read_sketches
from indexer.reuse.groups import PARAGRAPH_SPAN, distinct_pairs, paragraph_ranks, report_ranks
from indexer.reuse.settings import REUSE_SETTINGS, SETTINGS

NONE = -1
# fold() takes documents from this share of the generation on (1 / DENSE_FOLD) from the order of every grouped
# document (a pass over them all) rather than sorting them.
DENSE_FOLD = 32


def offsets_by(keys, count):
    """Return, for keys sorted ascending, where the run of each key 0..count-1 starts (and the end)."""
    return np.searchsorted(keys, np.arange(count + 1))


@dataclass
class Folding:
    """A set of documents folded: one kept per group (its earliest), the others under it."""

    kept: np.ndarray        # the documents shown, ascending: every ungrouped one and each group's earliest
    members: np.ndarray     # the grouped documents, by group then publication order
    starts: np.ndarray      # where each group's run starts in members (its first is the one kept)
    firsts: np.ndarray      # the kept document of each run, ascending, with runs ordered alike
    run_of: np.ndarray      # the run of each entry of firsts

    @property
    def distinct(self):
        """Return how many distinct texts the documents hold: the kept ones."""
        return len(self.kept)

    def folded(self, doc):
        """Return the documents folded under a kept document, earliest first (empty when none)."""
        place = np.searchsorted(self.firsts, doc)
        if place >= len(self.firsts) or self.firsts[place] != doc:
            return self.members[:0]
        run = self.run_of[place]
        end = self.starts[run + 1] if run + 1 < len(self.starts) else len(self.members)
        return self.members[self.starts[run] + 1:end]


class ReuseIndex:
    """A generation's reuse data by document number (see the module docstring)."""

    def __init__(self, folder, segments, count, live, columns):
        """Read the reuse data and each segment's sketches; segments are (id, paragraphs, docnum offset)."""
        data = read_reuse(folder, REUSE_SETTINGS)
        self.texts = np.asarray(data.texts)
        self.doc_text = np.full(count, NONE, np.int64)
        for segment_id, paragraphs, offset in segments:
            sketches = read_sketches(folder, segment_id, paragraphs, SETTINGS)
            docs = offset + np.asarray(sketches.docs, np.int64)
            rows = np.minimum(np.searchsorted(self.texts, sketches.text_hashes), max(len(self.texts) - 1, 0))
            found = self.texts[rows] == sketches.text_hashes if len(self.texts) else np.zeros(len(rows), bool)
            # Deleted documents (a report's version before an update) were not compared.
            alive = live[docs] if live is not None else np.ones(len(docs), bool)
            if np.any(alive & ~found):
                raise IndexUnusable(folder / REUSE_FOLDER, f"a text of segment {segment_id} is missing from it")
            self.doc_text[docs[alive]] = rows[alive]
        self.leader = np.asarray(data.leader, np.int64)
        grouped = self.doc_text >= 0
        self.doc_group = np.full(count, NONE, np.int64)
        self.doc_group[grouped] = self.leader[self.doc_text[grouped]]
        self.report_codes = columns.report.codes
        self.rank = paragraph_ranks(report_ranks(columns.reports)[columns.report.codes], columns.n)
        # Each text's live documents, earliest first.
        docs = np.flatnonzero(grouped)
        docs = docs[np.lexsort((self.rank[docs], self.doc_text[docs]))]
        self.text_docs, self.text_offsets = docs, offsets_by(self.doc_text[docs], len(self.texts))
        # Every document of a group by group, then earliest first: what fold() orders a common phrase's matches by.
        members = np.flatnonzero(self.doc_group >= 0)
        self.by_group = members[np.lexsort((self.rank[members], self.doc_group[members]))]
        # Each text's near-identical texts, both ways.
        first, second = np.asarray(data.pair_first, np.int64), np.asarray(data.pair_second, np.int64)
        ends, others = np.concatenate([first, second]), np.concatenate([second, first])
        similarity = np.tile(np.asarray(data.pair_similarity, np.float64), 2)
        order = np.argsort(ends, kind="stable")
        self.neighbours, self.neighbour_similarity = others[order], similarity[order]
        self.neighbour_offsets = offsets_by(ends[order], len(self.texts))

    def report_rank(self, doc):
        """Return the publication rank of a document's report (0 = first published)."""
        return int(self.rank[doc] // PARAGRAPH_SPAN)

    def sources(self):
        """Return per text the earliest document holding it or a text near-identical to it (computed once)."""
        if getattr(self, "_sources", None) is None:
            texts = np.arange(len(self.texts))
            held = self.text_offsets[1:] > self.text_offsets[:-1]
            first = np.full(len(texts), -1, np.int64)
            first[held] = self.text_docs[self.text_offsets[:-1][held]]
            best = np.where(held, self.rank[np.maximum(first, 0)], np.iinfo(np.int64).max)
            ends = np.repeat(texts, np.diff(self.neighbour_offsets))
            np.minimum.at(best, ends, best[self.neighbours])
            by_rank = np.argsort(self.rank)
            found = by_rank[np.minimum(np.searchsorted(self.rank[by_rank], best), len(by_rank) - 1)]
            self._sources = np.where(held, found, -1)
        return self._sources

    def group_reports(self):
        """Return per text row how many reports its group's paragraphs lie in (0 for a row leading no group; computed once)."""
        if getattr(self, "_group_reports", None) is None:
            docs = np.flatnonzero(self.doc_group >= 0)
            groups, _reports = distinct_pairs(self.doc_group[docs], self.report_codes[docs])
            self._group_reports = np.bincount(groups, minlength=len(self.texts))
        return self._group_reports

    def docs_of_text(self, text):
        """Return the live documents holding a text (a row), earliest first."""
        return self.text_docs[self.text_offsets[text]:self.text_offsets[text + 1]]

    def group_of(self, doc):
        """Return the group (the leading text's row) of a document, or -1."""
        return int(self.doc_group[doc])

    def group_id(self, group):
        """Return the name of a group as pages and exports show it: its leading text's hash, in hex."""
        return f"{int(self.texts[group]):016x}"

    def group_by_id(self, name):
        """Return the group (a text row) named by group_id, or -1 when no group has that name."""
        try:
            value = np.uint64(int(name, 16))
        except (TypeError, ValueError, OverflowError):
            return NONE
        row = int(np.searchsorted(self.texts, value))
        leads = row < len(self.texts) and self.texts[row] == value and self.leader[row] == row
        return row if leads and len(self.docs_of_text(row)) else NONE

    def earliest(self, group):
        """Return the document where a group first appeared: its leading text's earliest paragraph."""
        return int(self.docs_of_text(group)[0])

    def group_docs(self, group):
        """Return the live documents of a group, earliest first."""
        docs = np.flatnonzero(self.doc_group == group)
        return docs[np.argsort(self.rank[docs], kind="stable")]

    def fold(self, docs):
        """Return the Folding of a set of documents: each group's earliest kept, the rest under it."""
        docs = np.asarray(docs, np.int64)
        if len(docs) * DENSE_FOLD < len(self.doc_group):
            groups = self.doc_group[docs]
            grouped = groups >= 0
            members, member_groups = docs[grouped], groups[grouped]
            order = np.lexsort((self.rank[members], member_groups))
            members, member_groups = members[order], member_groups[order]
            starts = np.flatnonzero(changes(member_groups))
            firsts = members[starts]
            kept = np.sort(np.concatenate([docs[~grouped], firsts]))
        else:
            # Many documents (a common phrase's 300,000 in 10^6): taken from the generation's own order of
            # grouped documents instead of sorted, in a pass over every document.
            taken = np.zeros(len(self.doc_group), bool)
            taken[docs] = True
            members = self.by_group[taken[self.by_group]]
            starts = np.flatnonzero(changes(self.doc_group[members]))
            firsts = members[starts]
            taken[members] = False
            taken[firsts] = True
            kept = np.flatnonzero(taken)
        by_doc = np.argsort(firsts, kind="stable")
        return Folding(kept=kept, members=members, starts=starts, firsts=firsts[by_doc], run_of=by_doc)

    def similar(self, doc):
        """Return [(document, similarity)] of the live paragraphs of other reports near-identical to doc, earliest first."""
        text = int(self.doc_text[doc])
        if text < 0:
            return []
        found = [(int(other), 1.0) for other in self.docs_of_text(text)]
        low, high = self.neighbour_offsets[text:text + 2]
        for neighbour, similarity in zip(self.neighbours[low:high].tolist(), self.neighbour_similarity[low:high].tolist()):
            found += [(int(other), similarity) for other in self.docs_of_text(neighbour)]
        report = self.report_codes[doc]
        return sorted(((other, similarity) for other, similarity in found if self.report_codes[other] != report),
                      key=lambda pair: self.rank[pair[0]])
