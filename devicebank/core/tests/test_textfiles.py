"""Gzipped uploads unpack to no more than a limit, stopping there: a small file cannot fill memory."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devicebank.core.textfiles import TextFileError, decode_text, gunzip


def test_a_gzip_bomb_is_refused_once_its_output_passes_the_limit() -> None:
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros in about 20 KB
    assert len(bomb) < 100 * 1024

    with pytest.raises(TextFileError, match="unpacks to more than 1 MB"):
        gunzip(bomb, max_bytes=1024 * 1024)


def test_a_gzipped_csv_at_the_limit_is_read() -> None:
    text = "URN,EstablishmentName\n100000,Abbey School\n"

    assert decode_text(gzip.compress(text.encode()), max_unpacked=len(text)) == (text, "utf-8")


def test_a_gzip_cut_short_is_refused() -> None:
    data = gzip.compress(b"URN,Name\n" * 1000)

    with pytest.raises(TextFileError, match="cut short"):
        gunzip(data[: len(data) // 2])


@given(parts=st.lists(st.binary(max_size=2000), min_size=1, max_size=4))
def test_it_unpacks_what_gzip_packs_member_after_member(parts: list[bytes]) -> None:
    data = b"".join(gzip.compress(part) for part in parts)

    assert gunzip(data) == gzip.decompress(data) == b"".join(parts)
