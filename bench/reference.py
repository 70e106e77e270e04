"""Reference-data figures: a 25,000-school GIAS import (rows/s, first load and re-import) and a postcode
directory load (rows/s) from generated files, plus a postcode lookup's latency. Run in a fresh database."""

from __future__ import annotations

import csv
import gzip
import io
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LA_CODES = [
    ("202", "Camden", "E09000007"),
    ("207", "Kensington and Chelsea", "E09000020"),
    ("886", "Kent", "E07000105"),
    ("800", "Bath and NE Somerset", "E06000022"),
]
# The first 49 columns of a real GIAS download, in its order; the import reads 25 of them.
GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (name)",
    "OpenDate",
    "ReasonEstablishmentClosed (name)",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Boarders (name)",
    "Gender (name)",
    "ReligiousCharacter (name)",
    "SchoolCapacity",
    "NumberOfPupils",
    "NumberOfBoys",
    "NumberOfGirls",
    "PercentageFSM",
    "TrustSchoolFlag (name)",
    "Trusts (code)",
    "Trusts (name)",
    "UKPRN",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "DistrictAdministrative (code)",
    "DistrictAdministrative (name)",
    "GOR (name)",
    "LSOA (code)",
    "LSOA (name)",
    "MSOA (code)",
    "MSOA (name)",
]
KINDS = [
    ("Community school", "Local authority maintained schools", "", ""),
    ("Academy converter", "Academies", "40{:02d}", "BENCH LEARNING TRUST {:02d}"),
    ("Voluntary aided school", "Local authority maintained schools", "", ""),
    ("Other independent school", "Independent schools", "", ""),
]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def gias_csv(rows: int, *, pupils_bump: int = 0) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(GIAS_HEADER)
    for i in range(rows):
        la_code, la_name, district = LA_CODES[i % len(LA_CODES)]
        type_name, group, trust_code, trust_name = KINDS[i % len(KINDS)]
        closed = i % 13 == 0
        cells = dict.fromkeys(GIAS_HEADER, "")
        cells.update(
            {
                "URN": str(100000 + i),
                "LA (code)": la_code,
                "LA (name)": la_name,
                "EstablishmentNumber": str(2000 + i % 7000),
                "EstablishmentName": f"St Mary's School {i}",
                "TypeOfEstablishment (name)": type_name,
                "EstablishmentTypeGroup (name)": group,
                "EstablishmentStatus (name)": "Closed" if closed else "Open",
                "OpenDate": f"{1 + i % 28:02d}-09-20{i % 20:02d}",
                "CloseDate": "31-08-2019" if closed else "",
                "PhaseOfEducation (name)": "Primary" if i % 2 else "Secondary",
                "StatutoryLowAge": "4",
                "StatutoryHighAge": "11",
                "NumberOfPupils": str(100 + i % 900 + pupils_bump),
                "PercentageFSM": f"{i % 60}.{i % 10}",
                "Trusts (code)": trust_code.format(i % 50),
                "Trusts (name)": trust_name.format(i % 50),
                "UKPRN": str(10000000 + i),
                "Street": f"{i} School Lane",
                "Town": "Northbridge",
                "Postcode": f"N{1 + i % 20} {i % 10}{LETTERS[i // 10 % 20]}{LETTERS[i // 200 % 20]}",
                "DistrictAdministrative (code)": district,
                "DistrictAdministrative (name)": la_name,
                "LSOA (code)": f"E01{i % 32844:06d}",
                "MSOA (code)": f"E02{i % 6791:06d}",
                "HeadFirstName": "Alex",
                "HeadLastName": "Example",
                "Gender (name)": "Mixed",
            }
        )
        writer.writerow(cells.values())
    return out.getvalue().encode("utf-8")


def measure_gias_import(rows: int, params: dict[str, Any]) -> list[dict[str, Any]]:
    from devicebank.recipients.models import School
    from devicebank.recipients.services import schools_import_file

    first = gias_csv(rows)
    start = time.perf_counter()
    result = schools_import_file(file_name="bench-gias.csv", data=first, by=None)
    created = time.perf_counter() - start
    assert result.counts.created == rows, result.counts
    start = time.perf_counter()
    result = schools_import_file(file_name="bench-gias.csv", data=first, by=None)
    unchanged = time.perf_counter() - start
    assert result.counts.unchanged == rows, result.counts
    start = time.perf_counter()
    result = schools_import_file(file_name="bench-gias-2.csv", data=gias_csv(rows, pupils_bump=1), by=None)
    updated = time.perf_counter() - start
    assert result.counts.updated == rows, result.counts
    assert School.objects.count() == rows
    p = {**params, "rows": rows}
    return [
        {
            "name": "recipients.gias_import.rows_per_s",
            "value": round(rows / created),
            "unit": "rows/s",
            "params": p,
        },
        {"name": "recipients.gias_import.seconds", "value": round(created, 2), "unit": "s", "params": p},
        {
            "name": "recipients.gias_reimport_unchanged.rows_per_s",
            "value": round(rows / unchanged),
            "unit": "rows/s",
            "params": p,
        },
        {
            "name": "recipients.gias_reimport_all_changed.rows_per_s",
            "value": round(rows / updated),
            "unit": "rows/s",
            "params": p,
        },
    ]


NSPL_HEADER = (
    "pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,oa11,cty,ced,laua,ward,hlthau,nhser,ctry,"
    "rgn,pcon,eer,teclec,ttwa,pct,itl,park,lsoa11,msoa11,wz11,ccg,bua11,buasd11,ru11ind,oac11,lat,long,lep1,"
    "lep2,pfa,imd,calncv,stp"
)


def write_directory(path: Path, rows: int) -> None:
    """An NSPL-shaped gzipped CSV: every column of the real one, a quarter of the postcodes terminated."""
    areas = ["AB", "BN", "CR", "DN", "EC", "HA", "KT", "LS", "ME", "NW", "SE", "TN", "WC", "YO"]
    with gzip.open(path, "wt", encoding="utf-8", newline="", compresslevel=1) as out:
        out.write(NSPL_HEADER + "\r\n")
        for i in range(rows):
            unit, block = i % 400, i // 400
            outward = f"{areas[block % len(areas)]}{block // len(areas) % 100}"
            inward = f"{unit % 10}{LETTERS[unit // 20]}{LETTERS[unit % 20]}"
            pcds = f"{outward} {inward}"
            doterm = "201506" if i % 4 == 0 else ""
            out.write(
                f"{outward:<4}{inward},{outward:<5}{inward},{pcds},198001,{doterm},0,529090,179645,1,E00000001,"
                f"E99999999,E99999999,E09{i % 33:06d},E05000001,E18000007,E40000003,E92000001,E12000007,"
                f"E14000001,E15000007,E15000007,E30000234,E16000001,E08000001,E99999999,E01{i % 32844:06d},"
                f"E02000001,E33000001,E38000001,E34000001,E35000001,A1,1A1,51.5,-0.1,E37000023,,E23000001,"
                f"{i % 32844 + 1},E56000001,E54000001\r\n"
            )


def measure_postcode_load(rows: int, params: dict[str, Any], repeat: int = 200) -> list[dict[str, Any]]:
    from devicebank.core.textfiles import open_text_stream
    from devicebank.places.selectors import place_for_postcode
    from devicebank.places.services import postcodes_load

    path = ROOT / "var" / "bench" / f"nspl-{rows}.csv.gz"
    if not path.exists():
        write_directory(path, rows)
    stream, _ = open_text_stream(path)
    start = time.perf_counter()
    with stream:
        result = postcodes_load(lines=stream, file_name=path.name, by=None)
    seconds = time.perf_counter() - start
    assert result.loaded == rows, (result.loaded, result.tally)
    samples = []
    for i in range(repeat):
        postcode = f"EC{i % 7} {i % 10}{LETTERS[i % 20]}{LETTERS[(i * 7) % 20]}"
        begin = time.perf_counter()
        place_for_postcode(postcode)
        samples.append((time.perf_counter() - begin) * 1000)
    p = {**params, "rows": rows}
    return [
        {
            "name": "places.postcode_load.rows_per_s",
            "value": round(rows / seconds),
            "unit": "rows/s",
            "params": p,
        },
        {"name": "places.postcode_load.seconds", "value": round(seconds, 1), "unit": "s", "params": p},
        {
            "name": "places.place_for_postcode.median",
            "value": round(statistics.median(samples), 2),
            "unit": "ms",
            "params": p,
        },
    ]
