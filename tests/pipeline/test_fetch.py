"""The fetchers against a local HTTP server: these tests never touch the network."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from trygghet import kommuner, paths
from trygghet.pipeline import cli, fetch, ingest
from trygghet.sources import bra_crime, kolada, scb

INLINE_EVENTS = [
    {
        "id": 900003,
        "datetime": "2026-08-22 9:48:12 +02:00",
        "name": "22 augusti 08.57, Trafikolycka, Hällefors",
        "summary": "Två bilar i kollision (inspelat testsvar).",
        "url": "/aktuellt/handelser/2026/augusti/22/test-3/",
        "type": "Trafikolycka",
        "location": {"name": "Hällefors", "gps": "59.78,14.52"},
    },
    {
        "id": 900002,
        "datetime": "2026-08-22 8:10:00 +02:00",
        "name": "22 augusti 07.30, Skadegörelse, Hällefors",
        "summary": "Klotter på en skola (inspelat testsvar).",
        "url": "/aktuellt/handelser/2026/augusti/22/test-2/",
        "type": "Skadegörelse",
        "location": {"name": "Hällefors", "gps": "59.78,14.52"},
    },
    {
        "id": 900001,
        "datetime": "2026-08-21 23:01:00 +02:00",
        "name": "21 augusti 22.40, Rattfylleri, Örebro",
        "summary": "En bilförare misstänks (inspelat testsvar).",
        "url": "/aktuellt/handelser/2026/augusti/21/test-1/",
        "type": "Rattfylleri",
        "location": {"name": "Örebro län", "gps": "59.27,15.21"},
    },
]


def api_window() -> list[dict]:
    """The mirror's recorded API answer when present, else the small inline one."""
    sample = paths.shared_data_dir() / "polisen" / "api_window_sample.json"
    if paths.has_shared_data() and sample.exists():
        return json.loads(sample.read_text(encoding="utf-8"))
    return INLINE_EVENTS


class Server:
    """A tiny recorded-answer server: ``routes[path] = (status, body bytes)``."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.delays: dict[str, float] = {}  # path -> seconds to wait before answering
        self.requests: list[dict] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                    }
                )
                time.sleep(outer.delays.get(self.path, 0.0))
                status, payload = outer.routes.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A client that gave up (a timeout test) makes the late answer fail: not news.
        self.httpd.handle_error = lambda request, client_address: None
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture
def opener() -> urllib.request.OpenerDirector:
    # No proxies: a proxy from the environment must not intercept 127.0.0.1.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _serve_events(server: Server, events: list[dict]) -> None:
    server.routes["/api/events"] = (200, json.dumps(events, ensure_ascii=False).encode("utf-8"))


def _archived_ids(archive: Path) -> list[int]:
    lines = gzip.decompress(archive.read_bytes()).decode("utf-8").splitlines()
    return [json.loads(line)["id"] for line in lines]


def test_user_agent_is_sent(server, opener, tmp_path):
    _serve_events(server, api_window())
    fetch.fetch_police_events(tmp_path / "events.jsonl.gz", server.url, opener)
    agent = server.requests[-1]["headers"]["User-Agent"]
    assert agent.startswith("trygghet/")
    assert "Python-urllib" not in agent


def test_dedup_by_id_across_two_fetches(server, opener, tmp_path):
    window = api_window()
    archive = tmp_path / "events.jsonl.gz"
    first = window[len(window) // 2 :]  # the older half
    _serve_events(server, first)
    assert fetch.fetch_police_events(archive, server.url, opener) == len({e["id"] for e in first})
    _serve_events(server, window)  # overlaps the first answer
    added = fetch.fetch_police_events(archive, server.url, opener)
    assert added == len(window) - len(first)
    ids = _archived_ids(archive)
    assert len(ids) == len(set(ids)) == len({e["id"] for e in window})


def test_rate_limit_refuses_the_61st_call_in_an_hour(server, opener, tmp_path):
    _serve_events(server, INLINE_EVENTS)
    archive = tmp_path / "events.jsonl.gz"
    now = time.time()
    # 59 calls in the last hour and some older ones that no longer count.
    earlier = [now - 3500 + i for i in range(59)] + [now - 4000, now - 7200]
    fetch.rate_state_path(archive).write_text(json.dumps({"calls": earlier}), encoding="utf-8")
    fetch.fetch_police_events(archive, server.url, opener, now=lambda: now)  # the 60th
    sent = len(server.requests)
    with pytest.raises(fetch.FetchRefused, match="60 anrop i timmen"):
        fetch.fetch_police_events(archive, server.url, opener, now=lambda: now + 1)
    assert len(server.requests) == sent  # nothing was sent
    # An hour after the oldest counted call, calling is allowed again.
    fetch.fetch_police_events(archive, server.url, opener, now=lambda: now + 200)


def test_failed_download_leaves_previous_archive_intact(server, opener, tmp_path):
    archive = tmp_path / "events.jsonl.gz"
    _serve_events(server, INLINE_EVENTS)
    fetch.fetch_police_events(archive, server.url, opener)
    before = archive.read_bytes()
    server.routes["/api/events"] = (500, b"Internal Server Error")
    with pytest.raises(fetch.FetchError, match="HTTP 500"):
        fetch.fetch_police_events(archive, server.url, opener)
    assert archive.read_bytes() == before
    server.routes["/api/events"] = (200, b'[{"id": 1, "name": "avkort')  # cut mid-answer
    with pytest.raises(fetch.FetchError, match="inte giltig JSON"):
        fetch.fetch_police_events(archive, server.url, opener)
    assert archive.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_unreachable_server_is_a_clear_error(opener, tmp_path):
    with pytest.raises(fetch.FetchError, match="kunde inte nå"):
        fetch.fetch_police_events(tmp_path / "a.jsonl", "http://127.0.0.1:9", opener, timeout=2)


def _kolada_entry(municipality: str, period: int, value: float) -> dict:
    return {
        "kpi": "N07403",
        "municipality": municipality,
        "period": period,
        "values": [{"count": 1, "gender": "T", "status": "", "value": value}],
    }


def test_kolada_follows_next_page(server, opener, tmp_path):
    first_path = "/v2/data/kpi/N07403/municipality/1863,0000/year/2023,2024"
    page1 = {
        "count": 4,
        "values": [_kolada_entry("1863", 2023, 1100.5), _kolada_entry("1863", 2024, 1200.0)],
        "next_page": f"{server.url}/v2/data/kpi/N07403/municipality/1863,0000/year/2023,2024?page=2",
    }
    page2 = {
        "count": 4,
        "values": [_kolada_entry("0000", 2023, 1000.0), _kolada_entry("0000", 2024, 1010.0)],
    }
    server.routes[first_path] = (200, json.dumps(page1).encode())
    server.routes[first_path + "?page=2"] = (200, json.dumps(page2).encode())
    out = fetch.fetch_kolada(
        ["N07403"], ["1863", "0000"], [2023, 2024], tmp_path, server.url + "/v2", opener
    )
    assert out.name == "kolada_brott.json"
    assert [r["path"] for r in server.requests] == [first_path, first_path + "?page=2"]
    assert server.requests[0]["headers"]["User-Agent"].startswith("trygghet/")
    table = kolada.read(out, origin="fetched").table
    assert len(table) == 4
    assert set(table["municipality"]) == {"1863", "0000"}


def test_kolada_page_loop_is_stopped(server, opener, tmp_path):
    path = "/v2/data/kpi/X/municipality/1863/year/2024"
    loop = {"values": [], "next_page": server.url + path}
    server.routes[path] = (200, json.dumps(loop).encode())
    with pytest.raises(fetch.FetchError, match="slinga"):
        fetch.fetch_kolada(["X"], ["1863"], [2024], tmp_path, server.url + "/v2", opener)
    assert not (tmp_path / "kolada_brott.json").exists()


def test_scb_population_post(server, opener, tmp_path):
    answer = {
        "columns": [
            {"code": "Region", "text": "region", "type": "d"},
            {"code": "Tid", "text": "år", "type": "t"},
            {"code": "BE0101N1", "text": "Folkmängd", "type": "c"},
        ],
        "data": [
            {"key": ["1863", "2023"], "values": ["6400"]},
            {"key": ["1863", "2024"], "values": ["6335"]},
        ],
    }
    server.routes["/pxweb/BefolkningNy"] = (200, json.dumps(answer).encode())
    out = fetch.fetch_scb_population(
        ["1863"],
        [2023, 2024],
        tmp_path / "population_scb.csv",
        server.url + "/pxweb/BefolkningNy",
        opener,
    )
    request = server.requests[-1]
    assert request["method"] == "POST"
    assert json.loads(request["body"])["query"][0]["selection"]["values"] == ["1863"]
    table = scb.read_population(out).table
    assert table[["kommun_code", "year", "population"]].values.tolist() == [
        ["1863", 2023, 6400],
        ["1863", 2024, 6335],
    ]


def test_fetch_bra_refuses_html_and_keeps_previous(server, opener, tmp_path):
    target = tmp_path / "bra_kommun_2024.csv"
    server.routes["/export.csv"] = (200, "\ufeffKommun;Antal;Per 100 000 inv.\n".encode())
    fetch.fetch_bra(server.url + "/export.csv", target, opener)
    before = target.read_bytes()
    server.routes["/export.csv"] = (200, b"<!DOCTYPE html><html>Sidan finns inte</html>")
    with pytest.raises(fetch.FetchError, match="webbsida"):
        fetch.fetch_bra(server.url + "/export.csv", target, opener)
    server.routes["/export.csv"] = (404, b"")
    with pytest.raises(fetch.FetchError, match="HTTP 404"):
        fetch.fetch_bra(server.url + "/export.csv", target, opener)
    assert target.read_bytes() == before


# --------------------------------------------------------------------------- Brå's yearly file


def _bra_2024_layout(drop: set[str] = frozenset(), only: int | None = None) -> bytes:
    """Brå's 2023+ layout: BOM, header, SCB's short names, CRLF; counts from the code."""
    table = kommuner.all_kommuner()
    table = table[~table["kommun_code"].isin(drop)].head(only)
    lines = ["Kommun;Antal;Per 100 000 inv."]
    for row in table.itertuples(index=False):
        count = int(row.kommun_code) % 997 + 100
        lines.append(f"{row.kommun_name};{count:,};{count * 3}".replace(",", " "))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _bra_2021_layout() -> bytes:
    """Brå's 2021 layout: no header, "X kommun" with genitive s, an en dash, stadsdelar."""
    lines = []
    for row in kommuner.all_kommuner().itertuples(index=False):
        name = row.kommun_name.replace("-", "\u2013")
        genitive = name if name[-1].lower() in "aeiouyåäösxz" else name + "s"
        count = int(row.kommun_code) % 997 + 100
        lines.append(f"{genitive} kommun;{count};{count * 3}")
    lines += ["Rinkeby\u2013Kista;5 321;10 200", "Spånga-Tensta;3 001;7 900"]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def test_bra_year_is_read_before_it_is_kept(server, opener, tmp_path):
    server.routes["/download/2024.csv"] = (200, _bra_2024_layout())
    kept = fetch.fetch_bra_year(
        2024, tmp_path, url=server.url + "/download/2024.csv", kommun="1863", opener=opener
    )
    assert kept.path == tmp_path / "bra_kommun_2024.csv" and kept.kommuner == 290
    assert kept.path.read_bytes() == _bra_2024_layout()  # kept as Brå wrote it
    table = bra_crime.read_kommun_file(kept.path).table  # the year from the name ingest uses
    own = table[table["kommun_code"] == "1863"].iloc[0]
    assert int(own["count"]) == 1863 % 997 + 100 and int(own["year"]) == 2024
    assert server.requests[-1]["headers"]["User-Agent"] == fetch.USER_AGENT
    assert not list(tmp_path.glob(".*.tmp"))


def test_bra_2021_layout_with_stadsdelar_is_kept_with_a_note(server, opener, tmp_path):
    server.routes["/2021.csv"] = (200, _bra_2021_layout())
    kept = fetch.fetch_bra_year(2021, tmp_path, url=server.url + "/2021.csv", opener=opener)
    assert kept.kommuner == 290
    assert any("Stockholms stadsdelsområden" in note for note in kept.notes)
    table = bra_crime.read_kommun_file(kept.path).table
    assert "2023" in set(table["kommun_code"])  # Malung–Sälens kommun, with an en dash


def test_bra_known_address_of_the_year_is_used(server, opener, tmp_path, monkeypatch):
    server.routes["/known/2023.csv"] = (200, _bra_2024_layout())
    monkeypatch.setitem(fetch.BRA_KOMMUN_URLS, 2023, server.url + "/known/2023.csv")
    kept = fetch.fetch_bra_year(2023, tmp_path, opener=opener)
    assert kept.url.endswith("/known/2023.csv") and kept.path.name == "bra_kommun_2023.csv"
    assert server.requests[-1]["path"] == "/known/2023.csv"


def test_bra_table_of_known_addresses():
    assert {2021, 2023, 2024, 2025} <= set(fetch.BRA_KOMMUN_URLS)
    for year, url in fetch.BRA_KOMMUN_URLS.items():
        assert url.startswith("https://bra.se/download/") and url.endswith(f"{year}.csv")


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (404, b"", ["HTTP 404", "--url", "orörd"]),
        (200, b"", ["tomt", "orörd"]),
        (200, b"<!DOCTYPE html><html>Sidan finns inte</html>", ["webbsida", "orörd"]),
        (200, b'{"values": []}', ["inte Brås kommunfil för 2024", "orörd"]),
        (200, "Län;Antal;Andel\nÖrebro län;1;2\n".encode(), ["inte Brås kommunfil", "rubrikraden"]),
        (200, b"\x89PNG\r\n\x1a\n\x00\x00", ["inte Brås kommunfil"]),
        (200, _bra_2024_layout(only=12), ["bara 12 kommuner"]),
        (200, _bra_2024_layout(drop={"1863"}), ["kommun 1863 saknas"]),
    ],
    ids=["404", "empty", "html", "json", "other-table", "binary", "few-kommuner", "no-kommun"],
)
def test_bra_refusals_are_swedish_and_keep_the_previous_file(
    server, opener, tmp_path, status, body, words
):
    server.routes["/ok.csv"] = (200, _bra_2024_layout())
    fetch.fetch_bra_year(2024, tmp_path, url=server.url + "/ok.csv", opener=opener)
    target = tmp_path / "bra_kommun_2024.csv"
    before = target.read_bytes()
    server.routes["/bad.csv"] = (status, body)
    with pytest.raises(fetch.FetchError) as err:
        fetch.fetch_bra_year(
            2024, tmp_path, url=server.url + "/bad.csv", kommun="1863", opener=opener
        )
    for word in words:
        assert word in str(err.value)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_bra_timeout_is_a_swedish_error(server, opener, tmp_path):
    server.routes["/slow.csv"] = (200, _bra_2024_layout())
    server.delays["/slow.csv"] = 1.5
    with pytest.raises(fetch.FetchError, match="svarade inte inom 0,3 sekunder"):
        fetch.fetch_bra_year(
            2024, tmp_path, url=server.url + "/slow.csv", opener=opener, timeout=0.3
        )
    assert not (tmp_path / "bra_kommun_2024.csv").exists()


def test_bra_year_without_a_known_address_asks_for_url(tmp_path):
    with pytest.raises(fetch.FetchError, match="Ingen känd adress.*2022.*--url") as err:
        fetch.fetch_bra_year(2022, tmp_path)
    assert "2021, 2023, 2024, 2025" in str(err.value)


def test_fetch_command_puts_the_file_where_ingest_reads_it(server, tmp_path, monkeypatch, capsys):
    server.routes["/k/2024.csv"] = (200, _bra_2024_layout())
    monkeypatch.setitem(fetch.BRA_KOMMUN_URLS, 2024, server.url + "/k/2024.csv")
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setenv("no_proxy", "*")  # the local server, never a proxy
    assert cli.main(["fetch", "--source", "bra", "--year", "2024", "--kommun", "1863"]) == 0
    out = capsys.readouterr().out
    assert "bra 2024:" in out and "bra_kommun_2024.csv (290 kommuner)" in out
    source = next(s for s in ingest.LOCAL_SOURCES if s.table == "bra_crime")
    folder, origin = ingest.find_raw_file(source, "1863")
    assert folder == tmp_path / "raw" / "fetched" / "1863" and origin == "fetched"
    table = bra_crime.read_folder(folder, origin=origin).table
    assert set(table["year"]) == {2024} and set(table["origin"]) == {"fetched"}
    # A new year at an address of one's own, and the refusals of wrong flags.
    server.routes["/new.csv"] = (200, _bra_2024_layout())
    argv = ["fetch", "--source", "bra", "--year", "2025", "--url", server.url + "/new.csv"]
    assert cli.main(argv) == 0
    assert (folder / "bra_kommun_2025.csv").is_file()
    assert cli.main(["fetch", "--source", "bra", "--url", server.url + "/new.csv"]) == 2
    assert cli.main(["fetch", "--source", "scb", "--year", "2024"]) == 2
    assert "gäller bara Brå" in capsys.readouterr().err
