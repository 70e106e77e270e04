"""Reading published CSV files whatever their encoding or packaging: gzip, a UTF-8 byte-order mark, Windows-1252.

Official downloads come in every variant: the Indices of Deprivation start with a UTF-8 BOM, older GIAS extracts
are Windows-1252, the ONS postcode directory is a 1 GB file best kept gzipped. Two entry points:

- `decode_text(data)` for a file small enough to hold (a GIAS extract, tens of MB): the whole text and the
  encoding that read it.
- `open_text_stream(path)` for a file that must be streamed (the postcode directory): a text stream over the
  (possibly gzipped) file, never read whole.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from pathlib import Path
from typing import IO, cast

from devicebank.core.errors import DomainError

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 1024 * 1024
# A gzipped upload may unpack to no more than this: 50 MB of gzip can hold gigabytes (a "zip bomb"). England's
# whole GIAS extract is about 60 MB unpacked.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
WINDOWS_1252_NOTE = "The file is not UTF-8; it was read as Windows-1252."


class TextFileError(DomainError):
    """The file cannot be read as text (binary, damaged gzip, UTF-16 we were not told about)."""

    code = "text_file"


def _encoding_of(sample: bytes) -> str:
    """The encoding for bytes that start a file: a BOM's, else UTF-8 when the sample decodes, else Windows-1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample[:4096]:
        raise TextFileError("The file is not a text (CSV) file: save it as CSV and try again.")
    try:
        # An incremental decoder does not fail on a character cut off at the end of the sample.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8"


def gunzip(data: bytes, *, max_bytes: int = MAX_UNPACKED_BYTES) -> bytes:
    """Unpack gzip bytes (every member, as `gzip.decompress` does), stopping as soon as the output passes
    `max_bytes`, so a small file that unpacks to gigabytes never fills memory.

    Raises:
        TextFileError: damaged, or unpacks to more than `max_bytes`.
    """
    out = bytearray()
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # 16+: gzip header and trailer
            chunk = inflater.decompress(rest, max_bytes + 1 - len(out))
            out += chunk
            if len(out) > max_bytes:
                raise TextFileError(
                    f"The file unpacks to more than {max_bytes // (1024 * 1024)} MB, the limit for a gzipped "
                    "file. Upload the CSV itself, or a smaller extract."
                )
            if not inflater.eof:
                raise TextFileError("The file looks gzipped but could not be unpacked (it is cut short).")
            rest = inflater.unused_data.lstrip(b"\x00")  # members follow each other; padding is zeros
    except zlib.error as exc:
        raise TextFileError("The file looks gzipped but could not be unpacked.") from exc
    return bytes(out)


def decode_text(data: bytes, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> tuple[str, str]:
    """The text of a whole file and the codec that read it (gunzipped first when it is gzip, up to
    `max_unpacked` bytes).

    Raises:
        TextFileError: a damaged gzip, one that unpacks to more than `max_unpacked`, or bytes that are not text.
    """
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, max_bytes=max_unpacked)
    encoding = _encoding_of(data[:SNIFF_BYTES])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        # UTF-8 for the first megabyte, something else further on: Windows-1252 reads every byte.
        encoding = "windows-1252"
        text = data.decode(encoding, errors="replace")
    return text.lstrip("\ufeff"), encoding


def open_text_stream(path: Path) -> tuple[IO[str], str]:
    """A text stream over the file (gunzipped on the fly when it is gzip) and the encoding chosen.

    The encoding is chosen from the first megabyte. A byte further on that does not fit it becomes U+FFFD
    rather than stopping a long load part-way: the files streamed here are codes, not prose.
    """
    raw = path.open("rb")
    try:
        source: IO[bytes] = raw
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            source = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
        else:
            raw.seek(0)
        buffered = io.BufferedReader(cast(io.RawIOBase, source), buffer_size=SNIFF_BYTES)
        try:
            sample = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        except (OSError, EOFError) as exc:
            raise TextFileError(f"{path.name} looks gzipped but could not be unpacked.") from exc
        encoding = _encoding_of(sample)
        stream = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")
    except BaseException:
        raw.close()
        raise
    return stream, encoding
