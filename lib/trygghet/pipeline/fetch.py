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
* :func:`fetch_bra`: Brå has no API; download a given export URL to a file.

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
from pathlib import Path

from trygghet.atomic import atomic_path
from trygghet.errors import TrygghetError

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


def _open(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    opener: Opener | None = None,
    timeout: float = TIMEOUT,
) -> bytes:
    """GET (or POST when ``data``) ``url`` and return the body; errors in Swedish."""
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
            "Den tidigare filen är orörd."
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
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


def fetch_bra(
    url: str, out_path: Path, opener: Opener | None = None, *, timeout: float = TIMEOUT
) -> Path:
    """Download a Brå export (CSV) from ``url`` to ``out_path``.

    An empty answer or an HTML page (a typical "not found" page served with
    status 200) is refused, and the previous file is kept.
    """
    body = _open(url, opener=opener, timeout=timeout)
    head = body.lstrip(b"\xef\xbb\xbf").lstrip()[:200].lower()
    if not head:
        raise FetchError(f"Svaret från {url} är tomt; den tidigare filen är orörd.")
    if head.startswith((b"<!doctype html", b"<html")):
        raise FetchError(
            f"Svaret från {url} är en webbsida, inte en CSV-fil (fel adress?); "
            "den tidigare filen är orörd."
        )
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        tmp.write_bytes(body)
    return out_path


__all__ = [
    "FetchError",
    "FetchRefused",
    "fetch_bra",
    "fetch_kolada",
    "fetch_kolada_groups",
    "fetch_police_events",
    "fetch_scb_population",
    "rate_state_path",
]
