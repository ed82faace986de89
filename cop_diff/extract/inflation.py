"""How far a PDF's compressed streams may inflate: the guard against decompression bombs (#8);
and how many characters one page may draw (#16).

pdfminer.six decodes each stream whole and keeps it while the document is open, so a
megabyte of FlateDecode can ask for a gigabyte, and a chain of filters for far more.
While a draft is extracted, ``pdfminer.pdftypes`` decodes Flate, LZW and RunLength (the
filters that expand; pypdf bounds the same three) through the stand-ins here: they decode
in steps and raise ``LimitError`` once one stream, or all of the draft's streams together,
pass their limit, before the memory is taken. Checking a decoded result would come too
late, and a memory rlimit ends in a MemoryError, per process, not on every platform.

Why stand-ins for these names: ``PDFStream.decode`` decodes every stream (contents,
fonts, object and cross-reference streams) and looks them up in its module at each call.
pdfminer's ``decompress_corrupted`` is replaced as well: it inflates one byte at a time
into a growing bytes object, quadratic in the output (pdfminer.six issue #1163).

The stand-ins are installed while at least one extraction runs in the process, and the
originals put back when the last one ends; each reads its budget from a context variable,
so any other thread gets pdfminer's own decoding. ``compare`` extracts in worker
processes, each with its own pdfminer.
"""

from __future__ import annotations

import io
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, NoReturn

from cop_diff.errors import LimitError

MIB = 1 << 20
MAX_STREAM_BYTES = 256 * MIB
"""The default limit of one stream's decoded bytes (``ExtractSettings``)."""
MAX_TOTAL_BYTES = 512 * MIB
"""The default limit of all of a draft's decoded bytes (``ExtractSettings``)."""
INFLATE_STEP = MIB
"""Inflate this much at a time: a bomb is stopped within one step of its limit."""
CHECKSUM_TAIL = 3
"""A Flate stream damaged only in its last bytes (the checksum) keeps what inflates, as in
pdfminer; damage before them is an error."""

_PATCHED_NAMES = ("zlib", "decompress_corrupted", "lzwdecode", "rldecode")


@dataclass
class InflationBudget:
    """How many bytes one draft's compressed streams may decode to, each and in all."""

    source: str
    max_stream_bytes: int
    max_total_bytes: int
    spent: int = 0
    """Bytes decoded so far by the streams that finished."""
    refusal: LimitError | None = None
    """The error once a limit was passed: every later decode raises it again."""
    damaged: int = 0
    """Flate streams damaged before their checksum: pdfminer reads them as empty."""

    def __post_init__(self) -> None:
        if self.max_stream_bytes < 1 or self.max_total_bytes < 1:
            raise ValueError("inflation limits must be positive")

    def check(self, stream_bytes: int) -> None:
        """Raise ``LimitError`` if a stream that has decoded ``stream_bytes`` so far is too big."""
        if self.refusal is not None:
            raise self.refusal
        if stream_bytes > self.max_stream_bytes:
            self._refuse(f"a compressed stream inflates beyond {_size(self.max_stream_bytes)}")
        if self.spent + stream_bytes > self.max_total_bytes:
            self._refuse(
                f"the compressed streams inflate beyond {_size(self.max_total_bytes)} in all"
            )

    def _refuse(self, what: str) -> NoReturn:
        self.refusal = LimitError(f"{what}; the file may be a decompression bomb", path=self.source)
        raise self.refusal

    def inflate(self, data: bytes) -> bytes:
        """``zlib.decompress(data)``, within the budget."""
        inflater = zlib.decompressobj()
        output = _Output(self)
        _inflate_into(output, inflater, data)
        if not inflater.eof:
            # As zlib.decompress: pdfminer then tries ``decompress_corrupted``.
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return output.result()

    def inflate_damaged(self, data: bytes) -> bytes:
        """pdfminer's ``decompress_corrupted``, in linear time and within the budget.

        Keeps what inflates of a truncated stream or of one whose checksum is wrong;
        damage before the last ``CHECKSUM_TAIL`` bytes raises ``zlib.error``, as there.
        """
        inflater = zlib.decompressobj()
        output = _Output(self)
        body, tail = data[:-CHECKSUM_TAIL], data[-CHECKSUM_TAIL:]
        try:
            _inflate_into(output, inflater, body)
        except zlib.error:
            self.damaged += 1
            raise
        try:
            for byte in tail:
                _inflate_into(output, inflater, bytes((byte,)))
        except zlib.error:
            pass
        return output.result()

    def lzw(self, data: bytes) -> bytes:
        """pdfminer's ``lzwdecode``, within the budget."""
        from pdfminer.lzw import LZWDecoder

        output = _Output(self)
        for piece in LZWDecoder(io.BytesIO(data)).run():
            output.add(piece)
        return output.result()

    def run_length(self, data: bytes) -> bytes:
        """pdfminer's ``rldecode`` (ISO 32000-1, 7.4.5), within the budget.

        Built from slices: pdfminer's keeps a list of ints, eight bytes per byte decoded.
        """
        output = _Output(self)
        at = 0
        while at < len(data) and data[at] != 128:  # 128 is the end of data
            length = data[at]
            if length < 128:  # the next length + 1 bytes, as they are
                literal = data[at + 1 : at + 2 + length]
                if len(literal) < length + 1:
                    raise ValueError("RunLength data ends inside a literal run")
                output.add(literal)
                at += 2 + length
            else:  # the next byte, 257 - length times
                repeated = data[at + 1 : at + 2]
                if not repeated:
                    raise ValueError("RunLength data ends inside a repeated run")
                output.add(repeated * (257 - length))
                at += 2
        return output.result()


class _Output:
    """One stream's decoded bytes, checked against the budget as they grow."""

    def __init__(self, budget: InflationBudget) -> None:
        budget.check(0)
        self._budget = budget
        self._data = bytearray()

    def add(self, piece: bytes) -> None:
        self._data += piece
        self._budget.check(len(self._data))

    def result(self) -> bytes:
        self._budget.spent += len(self._data)
        return bytes(self._data)


def _inflate_into(output: _Output, inflater: Any, data: bytes) -> None:
    """Feed ``data`` to ``inflater``, taking at most ``INFLATE_STEP`` bytes out at a time."""
    pending = data
    while True:
        piece = inflater.decompress(pending, INFLATE_STEP)
        pending = inflater.unconsumed_tail
        output.add(piece)
        # No output means all input was taken: zlib fills any room it is given.
        if inflater.eof or not piece:
            return


def _size(count: int) -> str:
    return f"{count // MIB} MB" if count % MIB == 0 else f"{count:,} bytes"


# --- the stand-ins inside pdfminer.pdftypes ---------------------------------------------------

_active_budget: ContextVar[InflationBudget | None] = ContextVar(
    "cop_diff_inflation_budget", default=None
)
_install_lock = threading.Lock()
_extractions_running = 0
_pdfminer_originals: dict[str, Any] = {}


class _ZlibWithinBudget:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``."""

    error = zlib.error

    def decompress(self, data: bytes) -> bytes:
        budget = _active_budget.get()
        return zlib.decompress(data) if budget is None else budget.inflate(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _within_budget(
    name: str, bounded: Callable[[InflationBudget, bytes], bytes]
) -> Callable[[bytes], bytes]:
    """A stand-in for pdfminer's decoder ``name``: ``bounded`` while a budget is active."""

    def decode(data: bytes) -> bytes:
        budget = _active_budget.get()
        if budget is None:
            original: Callable[[bytes], bytes] = _pdfminer_originals[name]
            return original(data)
        return bounded(budget, data)

    return decode


_STAND_INS: dict[str, Any] = {
    "zlib": _ZlibWithinBudget(),
    "decompress_corrupted": _within_budget("decompress_corrupted", InflationBudget.inflate_damaged),
    "lzwdecode": _within_budget("lzwdecode", InflationBudget.lzw),
    "rldecode": _within_budget("rldecode", InflationBudget.run_length),
}


def _install() -> None:
    global _extractions_running
    from pdfminer import pdftypes

    with _install_lock:
        if _extractions_running == 0:
            for name in _PATCHED_NAMES:
                _pdfminer_originals[name] = getattr(pdftypes, name)
                setattr(pdftypes, name, _STAND_INS[name])
        _extractions_running += 1


def _uninstall() -> None:
    global _extractions_running
    from pdfminer import pdftypes

    with _install_lock:
        _extractions_running -= 1
        if _extractions_running == 0:
            for name in _PATCHED_NAMES:
                setattr(pdftypes, name, _pdfminer_originals[name])


def damaged_streams() -> int:
    """How many damaged Flate streams the extraction running in this thread has met."""
    budget = _active_budget.get()
    return 0 if budget is None else budget.damaged


@contextmanager
def bounded_inflation(budget: InflationBudget) -> Iterator[None]:
    """pdfminer decodes streams within ``budget`` inside this block (in this thread).

    The refusal is raised even if pdfminer caught it, or turned it into another error.
    """
    token = _active_budget.set(budget)
    _install()
    try:
        yield
    except Exception as error:
        if budget.refusal is not None and error is not budget.refusal:
            raise budget.refusal from error
        raise
    finally:
        _uninstall()
        _active_budget.reset(token)
    if budget.refusal is not None:
        raise budget.refusal


# --- characters per page ----------------------------------------------------------------------

MAX_PAGE_GLYPHS = 100_000
"""Characters one PDF page may draw (the real drafts' fullest pages: 3,749 to 6,332). pdfminer
keeps a layout object of about 1 KB for each until the page is read, so 60 MB of tiny text
operations in a 180 KB file took 1.75 GB and two minutes, within every other limit."""


def too_many_glyphs(source: str) -> LimitError:
    return LimitError(
        f"a page draws more than {MAX_PAGE_GLYPHS:,} characters (a draft's pages have a "
        "few thousand); the file may be built to exhaust memory",
        path=source,
    )


def glyph_bounded_aggregator(manager: Any, laparams: Any, source: str) -> Any:
    """pdfminer's ``PDFPageAggregator``, raising ``LimitError`` once a page draws more
    than ``MAX_PAGE_GLYPHS`` characters."""
    from pdfminer.converter import PDFPageAggregator

    class GlyphBoundedAggregator(PDFPageAggregator):
        glyphs = 0

        def begin_page(self, page: Any, ctm: Any) -> None:
            self.glyphs = 0
            super().begin_page(page, ctm)

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.glyphs += 1
            if self.glyphs > MAX_PAGE_GLYPHS:
                raise too_many_glyphs(source)
            advance: float = super().render_char(*args, **kwargs)
            return advance

    return GlyphBoundedAggregator(manager, laparams=laparams)
