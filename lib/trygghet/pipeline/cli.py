"""The ``trygghet`` command line: run, ingest and list.

Errors meant for the user (bad configuration, bad data) are printed as one
clear Swedish message without a traceback, and the exit code is non-zero.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from trygghet.errors import TrygghetError
from trygghet.pipeline.swedish_args import SwedishArgumentParser, positive_int, year


def _cmd_run(args: argparse.Namespace) -> int:
    from trygghet.pipeline import runner

    with runner.stop_on_signals():  # SIGTERM and SIGHUP stop a run cleanly, as Ctrl-C does
        return _run_reports(args)


def _run_reports(args: argparse.Namespace) -> int:
    from trygghet.pipeline import batch, runner, validate

    kommuner = batch.resolve_kommuner(args.kommun)
    validate.check_kommuner(kommuner)  # every configuration problem at once, before any work
    if args.period is not None:
        _check_period(args.period, kommuner)
    options = {"outputs_root": _writable_folder(Path(args.outputs))} if args.outputs else {}
    if len(kommuner) > 1:
        options["progress"] = _BatchProgress()
    if len(kommuner) > 1:
        print(f"Kör rapporterna för {len(kommuner)} kommuner …")
        for code in batch.ensure_ingested(kommuner, jobs=args.jobs):
            print(
                f"  inläsningen gav fel för {code}; `trygghet ingest --kommun {code}` visar vilka",
                file=sys.stderr,
            )
    else:
        print(f"Kör rapporterna för kommun {kommuner[0]}, period {args.period or 'standard'} …")
    try:
        results = runner.run_many(
            kommuner,
            args.period,
            only=args.only,
            jobs=args.jobs,
            force=args.force or len(kommuner) == 1,
            scheduler=args.scheduler,
            overview=len(kommuner) > 1,  # the batch's national overview, as its last task
            **options,
        )
    finally:
        if "progress" in options:
            options.pop("progress").close()
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


def _check_period(period: int, kommuner: list[str]) -> None:
    """A period outside the years the ingested data cover is one clear error, before any run."""
    from trygghet.pipeline.ingest import covered_years

    covered = covered_years(kommuner[0] if len(kommuner) == 1 else None)
    if covered is not None and not covered[0] <= period <= covered[1]:
        raise TrygghetError(
            f"Perioden {period} ligger utanför åren som data täcker "
            f"({covered[0]}–{covered[1]}). Välj ett år i det intervallet med --period."
        )


#: Why a folder cannot be written, in Swedish (the operating system's words are English).
_OS_REASONS = {
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp",
    errno.EEXIST: "det finns redan en fil med det namnet",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
}


def _writable_folder(folder: Path) -> Path:
    """The outputs folder, created if needed; one clear error if it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".skrivtest-"):
            pass
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno, exc.strerror or str(exc))
        raise TrygghetError(
            f"Utdatamappen {folder} går inte att skriva till ({reason}). "
            "Välj en annan mapp med --outputs."
        ) from None
    return folder


class _BatchProgress:
    """A progress bar for batches: reports done of planned, elapsed and time left (rich)."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("Rapporter"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("· gått"),
            TimeElapsedColumn(),
            TextColumn("· kvar"),
            TimeRemainingColumn(),
            transient=False,
        )
        self._task = None

    def __call__(self, event: str, name: str) -> None:
        if event == "planned":
            self._bar.start()
            self._task = self._bar.add_task("rapporter", total=int(name))
        elif event in ("done", "failed") and self._task is not None:
            if event == "failed":
                self._bar.console.print(f"  [FEL] {name}")
            self._bar.advance(self._task)

    def close(self) -> None:
        self._bar.stop()


def _cmd_ingest(args: argparse.Namespace) -> int:
    from trygghet.pipeline import ingest, validate

    validate.check_kommun(args.kommun)
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


def _bra_years(args: argparse.Namespace, default_period: int) -> list[int]:
    """The Brå years to fetch: those asked for, else every known year up to the period."""
    from trygghet.pipeline import fetch

    if args.year:
        return sorted(set(args.year))
    return [y for y in sorted(fetch.BRA_KOMMUN_URLS) if y <= default_period]


def _check_bra_arguments(args: argparse.Namespace) -> str | None:
    """A Swedish message when --year/--url do not fit --source; None when they do."""
    if (args.year or args.url) and args.source not in ("bra", "all"):
        return "--year och --url gäller bara Brå (--source bra)."
    if args.url and (not args.year or len(args.year) != 1):
        return "--url behöver ett --year: året filen gäller (filen sparas som bra_kommun_<år>.csv)."
    return None


def _cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch public data into data/raw/fetched/; each source on its own, failures reported."""
    from trygghet import paths
    from trygghet.config import load_config
    from trygghet.kommuner import all_kommuner
    from trygghet.pipeline import fetch
    from trygghet.sources.kolada import CRIME_KPIS

    problem = _check_bra_arguments(args)
    if problem:
        print(f"trygghet fetch: fel: {problem}", file=sys.stderr)
        return 2
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
    for bra_year in _bra_years(args, config.default_period):
        # Brå's yearly kommun file, read before it is kept, where ingest reads the kommun's files.
        steps[f"bra {bra_year}"] = lambda y=bra_year: _fetch_bra_year(
            fetch, y, fetched / config.code, config.code, args.url
        )
    chosen = [name for name in steps if args.source == "all" or name.split()[0] == args.source]
    failures = 0
    for name in chosen:
        try:
            print(f"  {name}: {steps[name]()}")
        except TrygghetError as exc:
            failures += 1
            print(f"  {name}: misslyckades – {exc}", file=sys.stderr)
    return 1 if failures else 0


def _fetch_bra_year(fetch, year: int, folder: Path, kommun: str, url: str | None) -> str:  # noqa: ANN001
    """One Brå year: the file kept, how many kommuner it holds and the reader's notes."""
    from trygghet import paths

    kept = fetch.fetch_bra_year(year, folder, url=url, kommun=kommun)
    where = kept.path
    if kept.path.resolve().is_relative_to(paths.PROJECT_ROOT):
        where = kept.path.resolve().relative_to(paths.PROJECT_ROOT)
    text = f"{where} ({kept.kommuner} kommuner)"
    return " ".join([text, *kept.notes])


def _cmd_example_data(args: argparse.Namespace) -> int:
    from trygghet.config import load_config
    from trygghet.pipeline import ingest

    written = ingest.generate_examples(load_config(args.kommun), seed=args.seed, force=True)
    for path in written:
        print(f"  skrev {path}")
    return 0


def _cmd_templates(args: argparse.Namespace) -> int:
    """Write the Excel templates of the kommun's own sources (``trygghet mallar``)."""
    from trygghet import paths
    from trygghet.config import load_or_default
    from trygghet.sources.tabular import EXAMPLE_MARK
    from trygghet.sources.templates import write_templates

    def shown(path: Path) -> str:
        path = path.resolve()
        root = paths.PROJECT_ROOT.resolve()
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    config = load_or_default(args.kommun)
    raw_folder = paths.RAW_DIR / config.code
    out = Path(args.ut) if args.ut else raw_folder / "mallar"
    try:
        done = write_templates(
            out,
            areas=[area.name for area in config.areas],
            kommun=f"{config.name} ({config.code})",
            raw_folder=f"{shown(raw_folder)}/",
            overwrite=args.skriv_over,
        )
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno, exc.strerror or str(exc))
        raise TrygghetError(
            f"Mallarna kan inte skrivas i {out} ({reason}). Välj en annan mapp med --ut."
        ) from None
    print(f"Mallar för {config.name} ({config.code}) i {shown(out)}/:")
    for template, path, written in done:
        state = "" if written else "  (finns redan, lämnades orörd)"
        print(f"  {path.name:<28} {template.title}{state}")
    if not all(written for _, _, written in done):
        print("Använd --skriv-over för att ersätta mallar som redan finns.")
    print(
        f"\nFyll i en mall i Excel och spara den med samma namn i {shown(raw_folder)}/; "
        f"`trygghet ingest --kommun {config.code}` läser den. Exempelraden (första cellen "
        f"{EXAMPLE_MARK}) läses inte in."
    )
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    """The notebooks, the kommuner with a file (checked) and those on the generated default."""
    from trygghet import config, kommuner
    from trygghet.pipeline import runner, validate
    from trygghet.pipeline.scaffold import shown

    print("Notebooks:")
    for nb in runner.discover_notebooks():
        print(f"  {nb.stem}")
    statuses, folder_problems = validate.check_folder()
    problems = list(folder_problems)
    configured = {s.code for s in statuses}
    print(f"Kommuner med egen konfigurationsfil ({len(configured)}):")
    for status in statuses:
        name = kommuner.kommun_name(status.code)
        if status.config is not None:
            state = f"standardperiod {status.config.default_period}"
        else:
            state = f"FEL: {len(status.problems)} problem, se nedan"
        print(f"  {status.code}  {name:<16} {shown(status.path):<42} {state}")
        problems += status.problems
    others = [c for c in kommuner.all_kommuner()["kommun_code"] if c not in configured]
    print(
        f"Kommuner med genererad standardkonfiguration: {len(others)} av "
        f"{len(kommuner.all_kommuner())}"
        + (
            ""
            if args.alla
            else " (visa dem med --alla; skapa en egen fil med `trygghet ny-kommun KOD`)"
        )
    )
    if args.alla:
        for code in others:
            print(
                f"  {code}  {kommuner.kommun_name(code)} ({kommuner.lan_name(kommuner.lan_code_of(code))})"
            )
    print(f"Områdenas koordinater kontrolleras mot {config.boundary_check_label()}.")
    if problems:
        print(f"\n{config.render_problems(problems)}", file=sys.stderr)
        return 1
    return 0


def _cmd_new_kommun(args: argparse.Namespace) -> int:
    """Write a kommun's configuration file from SCB's data (``trygghet ny-kommun``)."""
    from trygghet import config
    from trygghet.pipeline import scaffold, validate

    path = scaffold.write_scaffold(args.kommun, force=args.force)
    written, problems = validate.check_file(path)
    if problems:  # cannot happen for SCB's own data; said clearly if it does
        raise config.ConfigErrors(problems)
    assert written is not None
    indicators = sum(len(p.indicators) for p in written.promises)
    _, areas_from = config.default_areas(written.code)
    print(f"Skrev {scaffold.shown(path)} för {written.name} kommun ({written.lan_name}):")
    print(f"  {len(written.areas)} områden från {areas_from}")
    print(f"  {len(written.promises)} standardlöften med {indicators} indikatorer")
    print(f"  områdenas koordinater kontrollerade mot {config.boundary_check_label()}")
    print(
        "\nGå igenom raderna märkta ÄNDRA: löftenas rubrik och text, indikatorernas mål och "
        "basår, och områdena. docs/config.md beskriver varje nyckel och indikatorfunktion."
    )
    print(f"Sedan: trygghet ingest --kommun {written.code} && trygghet run --kommun {written.code}")
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("trygghet")
    except PackageNotFoundError:
        return "okänd version"


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishArgumentParser(
        prog="trygghet",
        description="Uppföljning av medborgarlöften: rapporter, kartor och text för en kommun.",
        epilog="Skriv 'trygghet KOMMANDO --help' för hjälp om ett kommando.",
    )
    parser.add_argument(
        "--version", action="version", version=f"trygghet {_version()}", help="visa versionen"
    )
    sub = parser.add_subparsers(dest="command", title="kommandon", metavar="KOMMANDO")
    kommun_help = "kommunkod, t.ex. 1863 (standard 1863)"

    run = sub.add_parser("run", help="kör rapport-notebooks och skapa HTML-rapporter")
    run.add_argument(
        "--kommun",
        default="1863",
        help="kommunkod (standard 1863), en lista 1863,1864, en länskod (18) eller 'all'",
    )
    run.add_argument(
        "--period",
        type=year,
        default=None,
        help="år, inom åren som data täcker (standard: kommunens)",
    )
    run.add_argument(
        "--only", nargs="+", metavar="NOTEBOOK", help="kör bara dessa notebooks (t.ex. 03_platser)"
    )
    run.add_argument(
        "--jobs",
        type=positive_int,
        default=os.cpu_count() or 1,
        help="antal notebooks parallellt, minst 1 (standard: antal kärnor)",
    )
    run.add_argument("--outputs", default=None, metavar="MAPP", help="annan utdatamapp än outputs/")
    run.add_argument(
        "--force", action="store_true", help="kör om även rapporter som redan är aktuella"
    )
    run.add_argument(
        "--scheduler", default=None, metavar="ADRESS", help="kör på ett Dask-kluster (tcp://…)"
    )
    run.set_defaults(func=_cmd_run)

    ingest = sub.add_parser("ingest", help="läs rådata, validera och skriv Parquet")
    ingest.add_argument("--kommun", default="1863", help=kommun_help)
    ingest.add_argument(
        "--quarantine",
        action="store_true",
        help="lägg felaktiga rader åt sidan (med orsak) i stället för att avbryta källan",
    )
    ingest.set_defaults(func=_cmd_ingest)

    fetch = sub.add_parser(
        "fetch", help="hämta öppna data (Polisen, Kolada, SCB, Brå) till data/raw/fetched/"
    )
    fetch.add_argument("--kommun", default="1863", help=kommun_help)
    fetch.add_argument(
        "--source",
        choices=["all", "polisen", "kolada", "scb", "bra"],
        default="all",
        help="vilken källa som hämtas (standard: alla)",
    )
    fetch.add_argument(
        "--year",
        type=year,
        action="append",
        metavar="ÅR",
        help="Brå: året vars kommunfil hämtas (kan upprepas; utan: alla år med känd adress)",
    )
    fetch.add_argument(
        "--url",
        metavar="ADRESS",
        help="Brå: adressen till kommunfilen för ett år som saknas i tabellen över kända "
        "adresser (kräver ett --year)",
    )
    fetch.set_defaults(func=_cmd_fetch)

    example = sub.add_parser(
        "example-data", help="skriv exempeldata (deterministiskt) för en kommun"
    )
    example.add_argument("--kommun", default="1863", help=kommun_help)
    example.add_argument(
        "--seed", type=int, default=20261126, help="slumpfrö: samma frö ger samma exempeldata"
    )
    example.set_defaults(func=_cmd_example_data)

    templates = sub.add_parser(
        "mallar",
        help="skriv Excel-mallar för kommunens egna data (trygghetsvandringar, EST, "
        "orosanmälningar, brottsofferkontakter, trygghetsundersökning)",
    )
    templates.add_argument("--kommun", default="1863", help=kommun_help)
    templates.add_argument(
        "--ut",
        default=None,
        metavar="MAPP",
        help="mapp att skriva mallarna i (standard data/raw/<kommun>/mallar/)",
    )
    templates.add_argument(
        "--skriv-over",
        action="store_true",
        help="ersätt mallar som redan finns (annars lämnas de orörda)",
    )
    templates.set_defaults(func=_cmd_templates)

    new = sub.add_parser(
        "ny-kommun",
        help="skapa en konfigurationsfil för en kommun från SCB:s uppgifter "
        "(en startpunkt att redigera)",
    )
    new.add_argument("kommun", metavar="KOMMUNKOD", help="kommunkod, t.ex. 1860")
    new.add_argument(
        "--force", action="store_true", help="skriv över kommunens befintliga konfigurationsfil"
    )
    new.set_defaults(func=_cmd_new_kommun)

    listing = sub.add_parser(
        "list", help="visa notebooks och kommuner med egen eller genererad konfiguration"
    )
    listing.add_argument(
        "--alla",
        action="store_true",
        help="lista också varje kommun som kör på den genererade standardkonfigurationen",
    )
    listing.set_defaults(func=_cmd_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `trygghet` says what it can do
        parser.print_help()
        return 0
    try:
        return int(args.func(args))
    except TrygghetError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP during a run
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            print("Avbrutet; tidigare rapporter ligger kvar.", file=sys.stderr)
        return 128 + int(getattr(exc, "signum", signal.SIGINT))


if __name__ == "__main__":
    sys.exit(main())
