"""The on-disk index: Whoosh as the index of record, in immutable generations behind a pointer.

This is the only module that imports Whoosh (2.7 public API only, so ``Whoosh==2.7.4`` stays a
fallback for ``whoosh3``). Layout under ``DATA_DIR/index/``::

    CURRENT                  the name of the live generation (replaced atomically)
    <generation>/whoosh/     Whoosh index: filters, stored fields, the short fields' views
    <generation>/terms/      the same analysed terms as sparse matrices (``search.postings``)
    <generation>/tfidf/      the TF-IDF weights scikit-learn fitted on them (``search.similarity``)
    <generation>/manifest.json   corpus digest and document order

A generation is never modified after ``CURRENT`` points at it: a rebuild or a one-article
refresh writes a new generation and then swaps the pointer (write temp + ``os.replace``), so a
reader in any process sees either the old index or the new one, never half of one. A refreshed
generation's manifest names its base generation and the documents it added or replaced, so a
reader holding the base (or an ancestor a few refreshes back) reads only those documents.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.query import Term
from whoosh.scoring import BM25F

from search.documents import SearchDocument, field_texts
from search.errors import IndexStateError
from search.postings import MatrixBuilder, TermMatrix
from search.similarity import TfidfWeights
from search.snippets import Sentences, split_sentences
from search.terms import analyze

POINTER = "CURRENT"
INDEXED_FIELDS = ("title", "questions", "keywords")
"""Fields Whoosh indexes (both views); the body is stored whole and its terms live only in
``terms/``: at 1,000 synthetic articles Whoosh's posting writer spent 60 % of the build on
body postings, which the query path never reads from Whoosh."""
KEEP_GENERATIONS = 3
"""Older generations are deleted; a few are kept for readers that have not reopened yet."""


class ViewTokenizer(Tokenizer):
    """Tokenize text with ``search.analysis.analyze`` in one view ("morph", "bigram", "word").

    The writer passes pre-analysed terms (a list of strings) so that every document is analysed
    once for Whoosh and the matrices alike; text is analysed here.  Whoosh pickles this object
    into the index schema, so it must stay importable as ``search.index.ViewTokenizer``.

    >>> [t.text for t in ViewTokenizer("bigram")("결제")]
    ['결제']
    """

    def __init__(self, view: str = "morph") -> None:
        self.view = view

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.view == self.view

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.view))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        if isinstance(value, (list, tuple)):  # pre-analysed terms
            tokens = [(term, 0, 0) for term in value]
        else:
            tokens = analyze(value, self.view)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, (text, start, end) in enumerate(tokens):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def make_schema() -> fields.Schema:
    """Return the Whoosh schema: ID filters, stored display fields, two views per text field."""
    schema = fields.Schema(
        key=fields.ID(stored=True, unique=True),
        slug=fields.ID(stored=True),
        locale=fields.ID(stored=True),
        category=fields.ID(stored=True),
        digest=fields.STORED(),
        text=fields.STORED(),
        sentences=fields.STORED(),
        related=fields.STORED(),
    )
    for name in INDEXED_FIELDS:
        schema.add(f"{name}_m", fields.TEXT(analyzer=ViewTokenizer("morph"), phrase=False,
                                            stored=True))
        schema.add(f"{name}_b", fields.TEXT(analyzer=ViewTokenizer("bigram"), phrase=False))
    return schema


def _whoosh_fields(doc: SearchDocument, streams: Mapping[str, Mapping[str, int]]) -> dict:
    texts = field_texts(doc)
    record = {"key": f"{doc.locale}/{doc.slug}", "slug": doc.slug, "locale": doc.locale,
              "category": doc.category, "digest": doc.digest, "text": doc.text,
              "sentences": split_sentences(doc.text).pack(), "related": list(doc.related)}
    for name in INDEXED_FIELDS:
        record[f"{name}_m"] = _terms_list(streams.get(f"{name}.m", {}))
        record[f"{name}_b"] = _terms_list(streams.get(f"{name}.b", {}))
        record[f"_stored_{name}_m"] = texts[name]
    return record


def _terms_list(counts: Mapping[str, int]) -> list[str]:
    return [term for term, count in counts.items() for _ in range(count)]


class StoredDocuments(NamedTuple):
    """Documents read back from a generation, with what the index stored beside each."""

    docs: list[SearchDocument]
    digests: list[str]
    sentences: list[Sentences | None]
    """None for a document of a generation written before sentences were stored."""

    @classmethod
    def of(cls, rows: Iterable[tuple[SearchDocument, str, Sentences | None]]) -> StoredDocuments:
        """Return the columns of ``(document, digest, sentences)`` rows (none: empty lists)."""
        docs, digests, sentences = [], [], []
        for doc, digest, sentence in rows:
            docs.append(doc)
            digests.append(digest)
            sentences.append(sentence)
        return cls(docs, digests, sentences)


@dataclass(frozen=True)
class Generation:
    """One immutable, complete index generation on disk."""

    path: Path
    digest: str
    keys: tuple[tuple[str, str], ...]
    base: str | None = None
    """The generation this one was refreshed from (None for a full build)."""
    changed: tuple[tuple[str, str], ...] = ()
    """The documents added or replaced since ``base``."""

    @property
    def name(self) -> str:
        return self.path.name

    def terms(self) -> TermMatrix:
        """Load the term matrices of this generation."""
        return TermMatrix.load(self.path / "terms")

    def tfidf(self) -> TfidfWeights:
        """Load the TF-IDF weights of this generation."""
        return TfidfWeights.load(self.path / "tfidf")

    def whoosh(self):
        """Open the Whoosh index of this generation (the index of record)."""
        return whoosh_index.open_dir(str(self.path / "whoosh"))

    def documents(self) -> list[SearchDocument]:
        """Read every document back from the Whoosh index, in the generation's row order."""
        return self.read_documents().docs

    def read_documents(self, keys: Sequence[tuple[str, str]] | None = None) -> StoredDocuments:
        """Return the documents (row order, or only those of ``keys`` in that order), their
        stored content digests and their sentences (for snippets)."""
        by_key = {}
        with self.whoosh().searcher() as searcher:
            if keys is None:
                records = searcher.reader().all_stored_fields()
            else:  # the live copy of each key: a replaced one is deleted in an older segment
                records = (stored for locale, slug in keys
                           for stored in searcher.documents(key=f"{locale}/{slug}"))
            for stored in records:
                doc = _stored_document(stored)
                packed = stored.get("sentences")  # absent from generations before it
                by_key[doc.key] = (doc, stored.get("digest", ""),
                                   Sentences.unpack(packed) if packed else None)
        try:
            rows = [by_key[key] for key in (self.keys if keys is None else keys)]
        except KeyError as error:
            raise IndexStateError(f"index generation {self.path} lacks document {error}; "
                                  "run `deflect index` to rebuild it") from error
        return StoredDocuments.of(rows)


def _stored_document(stored: Mapping) -> SearchDocument:
    return SearchDocument(
        slug=stored["slug"], locale=stored["locale"], category=stored["category"],
        title=stored.get("title_m", ""),
        questions=tuple(filter(None, stored.get("questions_m", "").split("\n"))),
        keywords=tuple(filter(None, stored.get("keywords_m", "").split("\n"))),
        text=stored.get("text", ""), related=tuple(stored.get("related", ())))


class IndexStore:
    """The generations under ``root`` (``DATA_DIR/index``) and the pointer to the live one."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        # every search and suggestion stats the pointer: a ready string spares building the
        # path each time (6.4 → 2.5 µs a stamp)
        self._pointer_name = os.fspath(self.root / POINTER)

    @property
    def pointer(self) -> Path:
        return self.root / POINTER

    def pointer_stamp(self) -> tuple[int, int] | None:
        """Return a cheap identity of the pointer file (changes on every swap), or None."""
        try:
            stat = os.stat(self._pointer_name)
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns)

    def current(self) -> Generation | None:
        """Return the live generation, or None when no index was ever built."""
        try:
            name = self.pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return self.open(self.root / name)

    def open(self, path: Path) -> Generation:
        """Open a generation folder; raise ``IndexStateError`` if it is incomplete."""
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError) as error:
            raise IndexStateError(f"index generation {path} is incomplete ({error}); "
                                  "run `deflect index` to rebuild it") from error
        return Generation(path, manifest["digest"],
                          tuple(tuple(key) for key in manifest["keys"]),
                          manifest.get("base"),
                          tuple(tuple(key) for key in manifest.get("changed", ())))

    def changes_since(self, generation: Generation, name: str
                      ) -> set[tuple[str, str]] | None:
        """Return the keys added or replaced between generation ``name`` and ``generation``
        by refreshes, or None when ``generation`` does not descend from it that way (a
        rebuild, or a base already pruned): then every document must be read."""
        changed: set[tuple[str, str]] = set()
        if generation.name == name:
            return changed
        for _ in range(KEEP_GENERATIONS):  # older generations are pruned anyway
            if generation.base is None:
                return None
            changed.update(generation.changed)
            if generation.base == name:
                return changed
            try:
                generation = self.open(self.root / generation.base)
            except IndexStateError:
                return None
        return None

    def build(self, docs: Sequence[SearchDocument],
              analysed: Iterable[Mapping[str, Mapping[str, int]]], *, digest: str,
              progress: Callable[[int], None] | None = None) -> Generation:
        """Write a complete new generation from analysed documents, then make it live.

        ``analysed`` may be a lazy iterator (one item per document, in order): each document
        goes to Whoosh and the matrices as it arrives.
        """
        path = self._new_folder()
        (path / "whoosh").mkdir()
        index = whoosh_index.create_in(str(path / "whoosh"), make_schema())
        writer = index.writer(limitmb=128)
        builder = MatrixBuilder()
        for doc, streams in zip(docs, analysed, strict=True):
            writer.add_document(**_whoosh_fields(doc, streams))
            builder.add(streams)
            if progress:
                progress(1)
        writer.commit()
        return self._finish(path, builder.finish(), [doc.key for doc in docs], digest)

    def refresh(self, base: Generation, matrix: TermMatrix, doc: SearchDocument,
                streams: Mapping[str, Mapping[str, int]], *, digest: str
                ) -> tuple[Generation, TermMatrix]:
        """Write a new generation equal to ``base`` with one document added or replaced.

        The Whoosh segment files of ``base`` are hard-linked (Whoosh never rewrites a segment),
        one small segment is added, and the matrices get the document's new row.
        """
        path = self._new_folder()
        target = path / "whoosh"
        target.mkdir()
        for source in (base.path / "whoosh").iterdir():
            if source.suffix != ".lock":
                _link_or_copy(source, target / source.name)
        index = whoosh_index.open_dir(str(target))
        writer = index.writer()
        writer.update_document(**_whoosh_fields(doc, streams))
        writer.commit(merge=False)
        keys = list(base.keys)
        if doc.key in keys:
            matrix = matrix.with_rows({keys.index(doc.key): streams})
        else:
            keys.append(doc.key)
            matrix = matrix.with_rows({}, [streams])
        return self._finish(path, matrix, keys, digest, base=base.name,
                            changed=[doc.key]), matrix

    def _new_folder(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path = self.root / name
        path.mkdir()
        return path

    def _finish(self, path: Path, matrix: TermMatrix, keys: Sequence[tuple[str, str]],
                digest: str, *, base: str | None = None,
                changed: Sequence[tuple[str, str]] = ()) -> Generation:
        matrix.save(path / "terms")
        TfidfWeights.fit(matrix).save(path / "tfidf")
        manifest = {"digest": digest, "keys": [list(k) for k in keys], "created": time.time()}
        if base is not None:
            manifest.update(base=base, changed=[list(k) for k in changed])
        (path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                            encoding="utf-8")
        temporary = self.root / f".{POINTER}.{uuid.uuid4().hex}"
        temporary.write_text(path.name, encoding="utf-8")
        os.replace(temporary, self.pointer)
        self._prune(keep=path.name)
        return Generation(path, digest, tuple(tuple(k) for k in keys), base,
                          tuple(tuple(k) for k in changed))

    def _prune(self, keep: str) -> None:
        folders = sorted((p for p in self.root.iterdir() if p.is_dir() and p.name != keep),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in folders[KEEP_GENERATIONS - 1:]:
            shutil.rmtree(old, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def plain_whoosh(docs: Sequence[SearchDocument], folder: Path):
    """Build Whoosh with its default analyzer over title + body (the benchmark's baseline).

    Returns the build seconds and a ``search(text, locale)`` function: the default query
    parser over both fields with an OR group, BM25F, one long-lived searcher, top 10.
    """
    from whoosh.qparser import MultifieldParser, OrGroup

    folder.mkdir(parents=True, exist_ok=True)
    schema = fields.Schema(key=fields.ID(stored=True), locale=fields.ID(),
                           title=fields.TEXT(), body=fields.TEXT())
    started = time.perf_counter()
    index = whoosh_index.create_in(str(folder), schema)
    writer = index.writer(limitmb=256)
    for doc in docs:
        writer.add_document(key=f"{doc.locale}/{doc.slug}", locale=doc.locale, title=doc.title,
                            body=doc.text)
    writer.commit()
    build_s = time.perf_counter() - started
    searcher = index.searcher(weighting=BM25F())
    parser = MultifieldParser(["title", "body"], schema, group=OrGroup)

    def search(text: str, locale: str) -> list[str]:
        results = searcher.search(parser.parse(text), limit=10, filter=Term("locale", locale))
        return [hit["key"] for hit in results]

    return build_s, search
