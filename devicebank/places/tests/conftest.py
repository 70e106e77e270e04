"""Small reference files in the official formats, written here (the real ones are read in place when present)."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[3]


def _shared_samples() -> Path:
    """../shared/samples beside the repository (a worktree sits one level deeper), when it is there at all."""
    candidates = [
        os.environ.get("DEVICEBANK_SHARED_SAMPLES", ""),
        ROOT.parent / "shared" / "samples",
        ROOT.parent.parent / "shared" / "samples",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return ROOT.parent / "shared" / "samples"


SAMPLES = _shared_samples() / "reference"
REAL_LAS = SAMPLES / "english-local-authorities.csv"
REAL_IMD = SAMPLES / "IMD2019_File_1_Index_of_Multiple_Deprivation.csv.gz"

IMD_HEADER = (
    "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),"
    "Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile"
)
IMD_ROWS = [
    'E01000001,City of London 001A,E09000001,City of London,"29,199",9',
    'E01000907,Camden 001A,E09000007,Camden,"12,345",4',
    "E01002843,Kensington and Chelsea 010A,E09000020,Kensington and Chelsea,212,1",
    'E01024031,Ashford 001A,E07000105,Ashford,"20,001",7',
]


def imd_bytes(rows: list[str] | None = None) -> bytes:
    """An IoD2019 File 1 as published: UTF-8 with a byte-order mark, CRLF line ends, ranks with thousands commas."""
    text = "\r\n".join([IMD_HEADER, *(IMD_ROWS if rows is None else rows)]) + "\r\n"
    return codecs.BOM_UTF8 + text.encode("utf-8")


NSPL_HEADER = (
    "pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,oa11,cty,ced,laua,ward,hlthau,nhser,ctry,"
    "rgn,pcon,eer,teclec,ttwa,pct,itl,park,lsoa11,msoa11,wz11,ccg,bua11,buasd11,ru11ind,oac11,lat,long,lep1,"
    "lep2,pfa,imd,calncv,stp"
)


def nspl_line(pcds: str, laua: str, lsoa11: str, doterm: str = "") -> str:
    """One NSPL row with the columns that matter filled and the rest plausible."""
    fixed = pcds.replace(" ", "").upper()
    pcd7 = f"{fixed[:-3]:<4}{fixed[-3:]}"
    cells = {
        "pcd": pcd7,
        "pcd2": f"{fixed[:-3]:<5}{fixed[-3:]}",
        "pcds": pcds,
        "dointr": "198001",
        "doterm": doterm,
        "usertype": "0",
        "oseast1m": "529090",
        "osnrth1m": "179645",
        "osgrdind": "1",
        "oa11": "E00000001",
        "cty": "E99999999",
        "laua": laua,
        "ctry": "E92000001",
        "rgn": "E12000007",
        "lsoa11": lsoa11,
        "msoa11": "E02000001",
        "lat": "51.5",
        "long": "-0.1",
        "imd": "100",
    }
    return ",".join(cells.get(name, "") for name in NSPL_HEADER.split(","))


@pytest.fixture
def la_file() -> Path:
    return FIXTURES / "local-authorities.csv"
