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
    from trygghet.pipeline import batch, runner

    kommuner = batch.resolve_kommuner(args.kommun)
    options = {"outputs_root": Path(args.outputs)} if args.outputs else {}
    if len(kommuner) > 1:
        print(f"Kör rapporterna för {len(kommuner)} kommuner …")
        for code in batch.ensure_ingested(kommuner, jobs=args.jobs):
            print(
                f"  inläsningen gav fel för {code}; `trygghet ingest --kommun {code}` visar vilka",
                file=sys.stderr,
            )
    else:
        print(f"Kör rapporterna för kommun {kommuner[0]}, period {args.period or 'standard'} …")
    results = runner.run_many(
        kommuner,
        args.period,
        only=args.only,
        jobs=args.jobs,
        force=args.force or len(kommuner) == 1,
        scheduler=args.scheduler,
        **options,
    )
    if len(kommuner) > 1:
        overview = runner.run_overview(kommuner, args.period or results[0].period, **options)
        if overview is not None:
            results.append(overview)
    failed = [(r, item) for r in results for item in r.failed]
    for result in results if len(results) == 1 else []:
        for item in result.results:
            mark = "✔" if item.status == "ok" else "✘"
            print(f"  {mark} {item.name}  ({item.seconds:.1f} s)")
    for result, item in failed:
        cell = (
            f"i kodcell {item.cell} ({item.cell_source!r})"
            if item.cell is not None
            else "innan någon cell kördes"
        )
        print(
            f"\nMISSLYCKADES: {result.kommun}/{item.name} {cell}:\n  {item.error}", file=sys.stderr
        )
    if len(results) == 1:
        print(f"\nIndexsida: {results[0].output_dir / 'index.html'}")
    else:
        skipped = sum(1 for r in results for i in r.results if i.seconds == 0.0)
        print(f"\n{len(results)} kommuner klara ({skipped} rapporter var redan aktuella).")
        print(
            f"Översikt: {(Path(args.outputs) if args.outputs else runner.paths.OUTPUTS_DIR) / 'index.html'}"
        )
    if failed:
        total = sum(len(r.results) for r in results)
        print(
            f"{len(failed)} av {total} rapporter misslyckades; tidigare lyckade versioner ligger kvar.",
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from trygghet.pipeline import ingest

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
    from trygghet import paths
    from trygghet.config import load_config
    from trygghet.kommuner import all_kommuner
    from trygghet.pipeline import fetch
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
    from trygghet.config import load_config
    from trygghet.pipeline import ingest

    written = ingest.generate_examples(load_config(args.kommun), seed=args.seed, force=True)
    for path in written:
        print(f"  skrev {path}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from trygghet.config import config_files, load_config
    from trygghet.pipeline import runner

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
    run.add_argument(
        "--kommun",
        default="1863",
        help="kommunkod (standard 1863), en lista 1863,1864, en länskod (18) eller 'all'",
    )
    run.add_argument("--period", type=int, default=None, help="år (standard: kommunens)")
    run.add_argument("--only", nargs="+", metavar="NOTEBOOK", help="kör bara dessa notebooks")
    run.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="antal notebooks parallellt"
    )
    run.add_argument("--outputs", default=None, help="annan utdatamapp än outputs/")
    run.add_argument(
        "--force", action="store_true", help="kör om även rapporter som redan är aktuella"
    )
    run.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="kör på ett Dask-kluster (tcp://…)"
    )
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
