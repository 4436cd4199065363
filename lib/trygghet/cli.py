"""The ``trygghet`` command line: run, ingest and list.

Errors meant for the user (bad configuration, bad data) are printed as one
clear Swedish message without a traceback, and the exit code is non-zero.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from trygghet.errors import TrygghetError


def _cmd_run(args: argparse.Namespace) -> int:
    from trygghet import runner

    print(f"Kör rapporterna för kommun {args.kommun}, period {args.period or 'standard'} …")
    options = {"outputs_root": Path(args.outputs)} if args.outputs else {}
    result = runner.run(args.kommun, args.period, only=args.only, jobs=args.jobs, **options)
    for item in result.results:
        mark = "✔" if item.status == "ok" else "✘"
        print(f"  {mark} {item.name}  ({item.seconds:.1f} s)")
    for item in result.failed:
        cell = (
            f"i kodcell {item.cell} ({item.cell_source!r})"
            if item.cell is not None
            else "innan någon cell kördes"
        )
        print(f"\nMISSLYCKADES: {item.name} {cell}:\n  {item.error}", file=sys.stderr)
    print(f"\nIndexsida: {result.output_dir / 'index.html'}")
    if result.failed:
        print(
            f"{len(result.failed)} av {len(result.results)} rapporter misslyckades; "
            "tidigare lyckade versioner ligger kvar.",
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from trygghet import ingest

    records = ingest.ingest_all(args.kommun, quarantine=args.quarantine)
    for line in ingest.summary_lines(records):
        print(line)
    if any(r.origin == "example" for r in records if not r.error):
        print("\nEXEMPEL = påhittade exempeldata; rapporter som bygger på dem säger det tydligt.")
    failed = [r for r in records if r.error]
    if failed:
        print(
            f"\n{len(failed)} källa/källor kunde inte läsas; deras tidigare tabeller ligger kvar. "
            "Rätta filen, eller kör med --quarantine för att lägga felaktiga rader åt sidan.",
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch public data into data/raw/fetched/; each source on its own, failures reported."""
    from trygghet import fetch, paths
    from trygghet.config import load_config
    from trygghet.kommuner import all_kommuner
    from trygghet.sources.kolada import CRIME_KPIS

    config = load_config(args.kommun)
    fetched = paths.RAW_DIR / "fetched"
    years = list(range(2015, config.default_period + 1))
    steps = {
        "polisen": lambda: fetch.fetch_police_events(fetched / "polisen" / "events.jsonl.gz"),
        "kolada": lambda: fetch.fetch_kolada(
            list(CRIME_KPIS.values()),
            [config.code, "00" + config.lan_code, "0000"],
            years,
            fetched / config.code,
        ),
        "scb": lambda: fetch.fetch_scb_population(
            list(all_kommuner()["kommun_code"]), years, fetched / "scb" / "population_scb.csv"
        ),
    }
    chosen = list(steps) if args.source == "all" else [args.source]
    failures = 0
    for name in chosen:
        try:
            print(f"  {name}: {steps[name]()}")
        except TrygghetError as exc:
            failures += 1
            print(f"  {name}: misslyckades – {exc}", file=sys.stderr)
    return 1 if failures else 0


def _cmd_example_data(args: argparse.Namespace) -> int:
    from trygghet import ingest
    from trygghet.config import load_config

    written = ingest.generate_examples(load_config(args.kommun), seed=args.seed, force=True)
    for path in written:
        print(f"  skrev {path}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from trygghet import runner
    from trygghet.config import config_files, load_config

    print("Notebooks:")
    for nb in runner.discover_notebooks():
        print(f"  {nb.stem}")
    print("Konfigurerade kommuner:")
    for code in config_files():
        config = load_config(code)
        print(f"  {code}  {config.name} (standardperiod {config.default_period})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trygghet", description="Uppföljning av medborgarlöften: rapporter för en kommun."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="kör rapport-notebooks och skapa HTML-rapporter")
    run.add_argument("--kommun", default="1863", help="kommunkod (standard 1863, Hällefors)")
    run.add_argument("--period", type=int, default=None, help="år (standard: kommunens)")
    run.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="kör bara dessa notebooks")
    run.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="antal notebooks parallellt"
    )
    run.add_argument("--outputs", default=None, help="annan utdatamapp än outputs/")
    run.set_defaults(func=_cmd_run)

    ingest = sub.add_parser("ingest", help="läs rådata, validera och skriv Parquet")
    ingest.add_argument("--kommun", default="1863")
    ingest.add_argument(
        "--quarantine",
        action="store_true",
        help="lägg felaktiga rader åt sidan (med orsak) i stället för att avbryta källan",
    )
    ingest.set_defaults(func=_cmd_ingest)

    fetch = sub.add_parser(
        "fetch", help="hämta öppna data (Polisen, Kolada, SCB) till data/raw/fetched/"
    )
    fetch.add_argument("--kommun", default="1863")
    fetch.add_argument("--source", choices=["all", "polisen", "kolada", "scb"], default="all")
    fetch.set_defaults(func=_cmd_fetch)

    example = sub.add_parser(
        "example-data", help="skriv exempeldata (deterministiskt) för en kommun"
    )
    example.add_argument("--kommun", default="1863")
    example.add_argument("--seed", type=int, default=20261126)
    example.set_defaults(func=_cmd_example_data)

    listing = sub.add_parser("list", help="visa notebooks och konfigurerade kommuner")
    listing.set_defaults(func=_cmd_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except TrygghetError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Avbrutet; tidigare rapporter ligger kvar.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
