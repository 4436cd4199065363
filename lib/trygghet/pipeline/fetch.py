"""Fetchers of the public sources (``trygghet fetch``), standard library only.

Everything here talks to public services with ``urllib`` so that nothing extra
must be installed, identifies itself with a descriptive User-Agent, and writes
its result atomically (a temporary file renamed over the target), so a failed
or interrupted download leaves the previous file exactly as it was.

* :func:`fetch_police_events`: Polisen's ``/api/events`` (the ~500 newest
  events) appended to a local JSON-lines archive, deduplicated by event id.
  The API's rules ask for at most 60 calls an hour: the times of the calls are
  kept in a small state file beside the archive and a call over the limit is
  refused (:class:`FetchRefused`) before anything is sent.
* :func:`fetch_kolada` / :func:`fetch_kolada_groups`: Kolada API v2, following
  ``next_page`` links, saved as one ``kolada_<name>.json``.
* :func:`fetch_scb_population`: SCB's PxWeb API (POST of a JSON query).
* :func:`fetch_bra_year`: Brå has no API; its yearly kommun file ("Anmälda
  brott i kommunerna", all crimes per kommun) is downloaded from the address
  of that year (:data:`BRA_KOMMUN_URLS`, or one given), checked with the real
  reader (:func:`trygghet.sources.bra_crime.read_kommun_file`) and only then
  kept as ``bra_kommun_<year>.csv`` where ingest reads it.
* :func:`fetch_bra`: any other Brå export URL to a file (no reading check).

Fetched data is labelled ``origin="fetched"`` by the readers' callers.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trygghet.atomic import atomic_path
from trygghet.errors import DataError, TrygghetError

USER_AGENT = (
    "trygghet/0.1 (uppfoljning av medborgarloften for kommun och polis; "
    "Python urllib; oppen kallkod)"
)
POLISEN_URL = "https://polisen.se"
KOLADA_URL = "https://api.kolada.se/v2"
#: PxWeb v1 endpoint of SCB's population table. ASSUMPTION (not verified from
#: here): table BE0101/BE0101A/BefolkningNy "Folkmängd efter region, civilstånd,
#: ålder och kön. År 1968–", content code BE0101N1 = folkmängd 31 december.
#: Age, sex and civil status are left out of the query, which PxWeb answers with
#: their total (elimination). Note the reference date (31 Dec) differs from the
#: mirror's 1 November file.
SCB_POPULATION_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd/START/BE0101/BE0101A/BefolkningNy"
SCB_POPULATION_CONTENT = "BE0101N1"

CALLS_PER_HOUR = 60
TIMEOUT = 60.0
MAX_PAGES = 200

Opener = urllib.request.OpenerDirector


class FetchError(TrygghetError):
    """A download failed; the previous file is left untouched."""


class FetchRefused(TrygghetError):
    """A call was not made because it would break the service's rules (rate limit)."""


def _seconds(value: float) -> str:
    """Seconds the Swedish way: 60, 0,5."""
    return f"{value:g}".replace(".", ",")


def _open(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    opener: Opener | None = None,
    timeout: float = TIMEOUT,
    hint: str = "",
) -> bytes:
    """GET (or POST when ``data``) ``url`` and return the body; errors in Swedish.

    ``hint`` is added to an HTTP error's message (what to do about it).
    """
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    request.add_header("User-Agent", USER_AGENT)
    request.add_header("Accept", "application/json, text/csv;q=0.9, */*;q=0.5")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    opener = opener or urllib.request.build_opener()
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise FetchError(
            f"Hämtningen misslyckades: {url} svarade med HTTP {exc.code} ({exc.reason}). "
            + (f"{hint} " if hint else "")
            + "Den tidigare filen är orörd."
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError):
            raise FetchError(
                f"Hämtningen misslyckades: {url} svarade inte inom {_seconds(timeout)} sekunder "
                "(tidsgränsen). Försök igen senare; den tidigare filen är orörd."
            ) from None
        raise FetchError(
            f"Hämtningen misslyckades: kunde inte nå {url} ({reason}). "
            "Kontrollera nätverket; den tidigare filen är orörd."
        ) from None


def _json(url: str, body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(
            f"Svaret från {url} är inte giltig JSON ({exc}); den tidigare filen är orörd."
        ) from None


# --------------------------------------------------------------------------- Polisen


def rate_state_path(archive: Path) -> Path:
    """The small file beside the archive that remembers the times of the calls."""
    archive = Path(archive)
    return archive.with_name(archive.name + ".calls.json")


def _recent_calls(state: Path, now: float) -> list[float]:
    try:
        calls = json.loads(state.read_text(encoding="utf-8")).get("calls", [])
    except (OSError, ValueError, AttributeError):
        return []
    return sorted(float(t) for t in calls if now - float(t) < 3600.0)


def _read_archive(archive: Path) -> list[dict]:
    if not archive.exists():
        return []
    raw = archive.read_bytes()
    if archive.suffix == ".gz":
        raw = gzip.decompress(raw)
    events = []
    for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            raise FetchError(
                f"Arkivet {archive} är skadat på rad {number}; rätta eller flytta det "
                "innan nya händelser hämtas."
            ) from None
    return events


def _write_archive(archive: Path, events: Iterable[dict]) -> None:
    text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=False) + "\n" for e in events)
    data = text.encode("utf-8")
    if archive.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    with atomic_path(archive) as tmp:
        tmp.write_bytes(data)


def fetch_police_events(
    archive: Path,
    base_url: str = POLISEN_URL,
    opener: Opener | None = None,
    *,
    now: Callable[[], float] = time.time,
    timeout: float = TIMEOUT,
) -> int:
    """Fetch ``/api/events`` and add the events to ``archive``; returns the number of new ids.

    The archive is JSON lines (gzip when the name ends in ``.gz``), one event
    per line in the API's own shape. An id already archived is replaced by
    the newer version (Polisen updates events), but only new ids are counted.
    Refuses (:class:`FetchRefused`) when 60 calls were made in the last hour.
    """
    archive = Path(archive)
    state = rate_state_path(archive)
    moment = now()
    calls = _recent_calls(state, moment)
    if len(calls) >= CALLS_PER_HOUR:
        wait = int(3600 - (moment - calls[0])) + 1
        raise FetchRefused(
            f"Polisens API tillåter högst {CALLS_PER_HOUR} anrop i timmen och "
            f"{len(calls)} har redan gjorts. Försök igen om {wait // 60} min {wait % 60} s."
        )
    calls.append(moment)
    with atomic_path(state) as tmp:
        tmp.write_text(json.dumps({"calls": calls}), encoding="utf-8")

    url = base_url.rstrip("/") + "/api/events"
    payload = _json(url, _open(url, opener=opener, timeout=timeout))
    if not isinstance(payload, list) or not all(isinstance(e, dict) and "id" in e for e in payload):
        raise FetchError(
            f"Svaret från {url} har inte API:ets form (en lista av händelser med id); "
            "arkivet är orört."
        )
    existing = _read_archive(archive)
    position = {e.get("id"): i for i, e in enumerate(existing)}
    new = 0
    # The API lists newest first; the archive grows oldest first.
    for event in reversed(payload):
        if event["id"] in position:
            existing[position[event["id"]]] = event
        else:
            position[event["id"]] = len(existing)
            existing.append(event)
            new += 1
    _write_archive(archive, existing)
    return new


# --------------------------------------------------------------------------- Kolada


def _kolada_pages(url: str, opener: Opener | None, timeout: float) -> list:
    values: list = []
    seen: set[str] = set()
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise FetchError(f"Kolada: next_page leder i en slinga eller för många sidor ({url}).")
        seen.add(url)
        page = _json(url, _open(url, opener=opener, timeout=timeout))
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise FetchError(f"Svaret från {url} har inte Koladas form (objekt med 'values').")
        values.extend(page["values"])
        nxt = page.get("next_page")
        url = urllib.parse.urljoin(url, nxt) if nxt else ""
    return values


def _save_json(path: Path, values: list) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(
            json.dumps({"count": len(values), "values": values}, ensure_ascii=False, indent=1)
            + "\n",
            encoding="utf-8",
        )
    return path


def fetch_kolada(
    kpis: Sequence[str],
    municipalities: Sequence[str],
    years: Sequence[int],
    out_dir: Path,
    base_url: str = KOLADA_URL,
    opener: Opener | None = None,
    *,
    name: str = "brott",
    timeout: float = TIMEOUT,
) -> Path:
    """Fetch KPI values for the given areas and years, all pages, into ``kolada_<name>.json``.

    ``municipalities`` are Kolada ids: kommun codes, ``"0000"`` for Riket,
    ``"00"``+län code for a region, or group ids.
    """
    if not kpis or not municipalities or not years:
        raise FetchError("Ange minst ett nyckeltal, ett område och ett år.")
    path_part = "/".join(
        [
            "data/kpi",
            ",".join(map(str, kpis)),
            "municipality",
            ",".join(map(str, municipalities)),
            "year",
            ",".join(str(int(y)) for y in years),
        ]
    )
    url = base_url.rstrip("/") + "/" + path_part
    values = _kolada_pages(url, opener, timeout)
    return _save_json(Path(out_dir) / f"kolada_{name}.json", values)


def fetch_kolada_groups(
    out_dir: Path,
    base_url: str = KOLADA_URL,
    opener: Opener | None = None,
    *,
    title: str | None = None,
    timeout: float = TIMEOUT,
) -> Path:
    """Fetch Kolada's municipality groups (optionally filtered by title) into the groups file."""
    from trygghet.sources.kolada import GROUPS_FILE

    url = base_url.rstrip("/") + "/municipality_groups"
    if title:
        url += "?" + urllib.parse.urlencode({"title": title})
    values = _kolada_pages(url, opener, timeout)
    return _save_json(Path(out_dir) / GROUPS_FILE, values)


# --------------------------------------------------------------------------- SCB


def fetch_scb_population(
    kommun_codes: Sequence[str],
    years: Sequence[int],
    out_path: Path,
    url: str = SCB_POPULATION_URL,
    opener: Opener | None = None,
    *,
    timeout: float = TIMEOUT,
) -> Path:
    """POST a PxWeb query for population per kommun and year; write a long CSV.

    The CSV (``kommun_kod,year,population``, comma-separated, UTF-8) is what
    :func:`trygghet.sources.scb.read_population` reads. See
    :data:`SCB_POPULATION_URL` for the table assumption.
    """
    query = {
        "query": [
            {"code": "Region", "selection": {"filter": "item", "values": list(kommun_codes)}},
            {
                "code": "ContentsCode",
                "selection": {"filter": "item", "values": [SCB_POPULATION_CONTENT]},
            },
            {"code": "Tid", "selection": {"filter": "item", "values": [str(y) for y in years]}},
        ],
        "response": {"format": "json"},
    }
    body = _open(
        url,
        data=json.dumps(query).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        opener=opener,
        timeout=timeout,
    )
    answer = _json(url, body)
    try:
        columns = [c["code"] for c in answer["columns"]]
        region, tid = columns.index("Region"), columns.index("Tid")
        rows = [
            (item["key"][region], int(item["key"][tid]), int(float(item["values"][0])))
            for item in answer["data"]
        ]
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise FetchError(
            f"Svaret från SCB ({url}) har inte den väntade PxWeb-formen ({exc!r}); "
            "den tidigare filen är orörd."
        ) from None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kommun_kod", "year", "population"])
    writer.writerows(sorted(rows))
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
    return out_path


# --------------------------------------------------------------------------- Brå


def _refuse_empty_or_page(url: str, body: bytes) -> None:
    """An empty answer or an HTML page (a "not found" page served with 200) is no CSV file."""
    head = body.lstrip(b"\xef\xbb\xbf").lstrip()[:200].lower()
    if not head:
        raise FetchError(f"Svaret från {url} är tomt; den tidigare filen är orörd.")
    if head.startswith((b"<!doctype html", b"<html")):
        raise FetchError(
            f"Svaret från {url} är en webbsida, inte en CSV-fil (fel adress?); "
            "den tidigare filen är orörd."
        )


def fetch_bra(
    url: str, out_path: Path, opener: Opener | None = None, *, timeout: float = TIMEOUT
) -> Path:
    """Download a Brå export (CSV) from ``url`` to ``out_path``.

    An empty answer or an HTML page (a typical "not found" page served with
    status 200) is refused, and the previous file is kept. For Brå's yearly
    kommun file use :func:`fetch_bra_year`, which also reads the file first.
    """
    body = _open(url, opener=opener, timeout=timeout)
    _refuse_empty_or_page(url, body)
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        tmp.write_bytes(body)
    return out_path


#: The known addresses of Brå's yearly kommun file, "Anmälda brott i kommunerna"
#: (all reported crimes per kommun: ``Kommun;Antal;Per 100 000 inv.``), by year.
#: Brå has no API and gives each year's file a new download id, so the address
#: cannot be derived: a new year is fetched with ``--url`` and then added here.
#: ASSUMPTION (not verified from here, no network): the addresses were
#: collected from public code that downloads these files; 2022 and 2015–2020
#: are not published as such files (Brå's statistics database has them).
BRA_KOMMUN_URLS: dict[int, str] = {
    2021: "https://bra.se/download/18.2e6195c8190a64a78d4201c4/1723120294356/"
    "anmalda_brott_kommuner_2021.csv",
    2023: "https://bra.se/download/18.349839a519329944199b20/1731934941054/"
    "Anmalda%20brott%20i%20kommunerna%202023.csv",
    2024: "https://bra.se/download/18.41109aad195b25241f818dbf/1742982579590/"
    "Anm%C3%A4lda%20brott%20kommunerna%202024.csv",
    2025: "https://bra.se/download/18.3b6b697b19d24d83762a45f/1774625599791/"
    "Anm%C3%A4lda%20brott%20kommunerna%202025.csv",
}

#: Brå's kommun file names every kommun (290); a file with fewer than this many
#: is not that file (a län table, a cut download, another statistic).
BRA_MIN_KOMMUNER = 250

#: Added to an HTTP error from Brå: the addresses move.
BRA_URL_HINT = (
    'Brå byter adress till filerna; leta upp årets fil "Anmälda brott i kommunerna" på '
    "bra.se och ange adressen med --url."
)


@dataclass(frozen=True)
class BraFile:
    """A Brå kommun file that was downloaded, read and kept."""

    path: Path
    year: int
    url: str
    kommuner: int
    notes: list[str] = field(default_factory=list)


def bra_file_name(year: int) -> str:
    """The name ingest reads a yearly kommun file by (``bra_kommun_<year>.csv``)."""
    return f"bra_kommun_{int(year)}.csv"


def _not_a_bra_file(url: str, year: int, why: str) -> FetchError:
    return FetchError(
        f"Filen från {url} är inte Brås kommunfil för {year}: {why}. Den tidigare filen är orörd."
    )


def _check_bra_kommun_file(
    path: Path, url: str, year: int, kommun: str | None
) -> tuple[int, list[str]]:
    """Read the downloaded file with the real reader; (kommuner, notes) or a Swedish refusal."""
    from trygghet.sources import bra_crime

    try:
        result = bra_crime.read_kommun_file(path, year=year)
    except DataError as exc:
        where = f" (rad {exc.row})" if exc.row is not None else ""
        found = f"; hittade {exc.found!r}" if exc.found is not None else ""
        wanted = f"; väntat {exc.expected}" if exc.expected else ""
        raise _not_a_bra_file(url, year, f"{exc.detail}{where}{found}{wanted}") from None
    table = result.table
    codes = set(table.loc[table["area_level"] == "kommun", "kommun_code"].astype(str))
    if len(codes) < BRA_MIN_KOMMUNER:
        raise _not_a_bra_file(
            url,
            year,
            f"den har bara {len(codes)} kommuner, Brås fil har alla 290",
        )
    if kommun is not None and kommun not in codes:
        raise _not_a_bra_file(url, year, f"kommun {kommun} saknas i den")
    notes = list(getattr(result, "notes", []))
    return len(codes), notes


def fetch_bra_year(
    year: int,
    out_dir: Path,
    *,
    url: str | None = None,
    kommun: str | None = None,
    opener: Opener | None = None,
    timeout: float = TIMEOUT,
) -> BraFile:
    """Download Brå's yearly kommun file for ``year`` into ``out_dir/bra_kommun_<year>.csv``.

    The address is ``url``, else the year's in :data:`BRA_KOMMUN_URLS`. The
    answer is written to a temporary file beside the target and read with the
    real reader (:func:`trygghet.sources.bra_crime.read_kommun_file`: the 2021
    layout without a header and the 2023+ layout with one); it replaces the
    target only when it reads without error, names at least
    :data:`BRA_MIN_KOMMUNER` kommuner and (when given) ``kommun``. Otherwise,
    as after a 404, a timeout or a web page instead of a file, a
    :class:`FetchError` in Swedish says why and the previous file is untouched.
    """
    year = int(year)
    address = url or BRA_KOMMUN_URLS.get(year)
    if not address:
        known = ", ".join(str(y) for y in sorted(BRA_KOMMUN_URLS))
        raise FetchError(
            f"Ingen känd adress till Brås kommunfil för {year} (kända år: {known}). "
            f'Leta upp filen "Anmälda brott i kommunerna" på bra.se och ange adressen med '
            f"--url, t.ex. trygghet fetch --source bra --year {year} --url <adress>."
        )
    body = _open(address, opener=opener, timeout=timeout, hint=BRA_URL_HINT)
    _refuse_empty_or_page(address, body)
    target = Path(out_dir) / bra_file_name(year)
    with atomic_path(target) as tmp:
        tmp.write_bytes(body)
        count, notes = _check_bra_kommun_file(tmp, address, year, kommun)
    return BraFile(target, year, address, count, notes)


__all__ = [
    "BRA_KOMMUN_URLS",
    "BraFile",
    "FetchError",
    "FetchRefused",
    "bra_file_name",
    "fetch_bra",
    "fetch_bra_year",
    "fetch_kolada",
    "fetch_kolada_groups",
    "fetch_police_events",
    "fetch_scb_population",
    "rate_state_path",
]
