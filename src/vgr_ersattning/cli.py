"""Kommandoraden `ersattning` (Typer). Tolkar argument, anropar `kommandon` och lämnar resultatet
till en renderare (`visning`). Tunga moduler (pydantic, yaml, rich) importeras först i kommandot
som behöver dem. Ingen regel och inget standardvärde för en regel står här.

Slutkoder (regelboken §12): 0 klart och allt stämmer, 1 en kontroll fallerar, 2 felaktig indata
eller användning, 141 bruten pipe, 130 avbrutet.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, List, Optional

import typer

from vgr_ersattning.klick import Grupp, Kommando, formatval, versaler, versionsval

ANTAGANDEN_HJALP = ("Där dokumenten är tysta följer verktyget antaganden som står i uppdragsfilen "
                    "(`antaganden` och `antagande: An` där de verkar). `ersattning antaganden` listar dem.")


class _MedAntaganden:
    """Hjälpen avslutas med antagandena, lästa ur uppdragsfilen när hjälpen visas (den i
    VGR_ERSATTNING_DATA, annars den medföljande; de står bara i datan och att läsa dem kostar bara
    när --help faktiskt visas)."""

    def format_epilog(self, ctx, formatter) -> None:
        super().format_epilog(ctx, formatter)
        rader = _antaganden_i_data()
        if rader:
            with formatter.section("Antaganden"):
                for i, rad in enumerate(rader):
                    if i:
                        formatter.write_paragraph()
                    formatter.write_text(rad)


class _Kommando(_MedAntaganden, Kommando):
    pass


class _Grupp(_MedAntaganden, Grupp):
    pass


def _antaganden_i_data() -> list[str]:
    try:
        from vgr_ersattning.datakatalog import uppdragsfil_for_hjalp
        from vgr_ersattning.laddning import las_yaml

        data, _ = las_yaml(uppdragsfil_for_hjalp())
        return [f"{a}: {v['text']}" for a, v in data.get("antaganden", {}).items()]
    except Exception:   # hjälpen visas även om datafilen är trasig; kommandona säger då vad som är fel
        return []


app = typer.Typer(
    cls=_Grupp,
    name="ersattning",
    help=(
        "Beräknar vad en nämnd inom Västra Götalandsregionens hälso- och sjukvård får betalt enligt sitt "
        "uppdrag, och kontrollerar att uppdragets siffror hänger ihop.\n\n"
        "Exempel: ersattning berakna   (planen för Sjukhusen i väster 2026)"
    ),
    epilog=ANTAGANDEN_HJALP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _huvud(version: bool = versionsval()) -> None:
    """Beräknar och kontrollerar ersättningen enligt uppdraget."""


UppdragOpt = typer.Option(None, "--uppdrag", metavar="FIL", help="Uppdragsfil (standard: uppdrag_2026.yaml i "
                          "datakatalogen, --data eller VGR_ERSATTNING_DATA, annars medföljande "
                          "data/uppdrag_2026.yaml).")
PriserOpt = typer.Option(None, "--priser", metavar="FIL", help="Prisfil (standard: priser_2026.yaml i "
                         "datakatalogen, --data eller VGR_ERSATTNING_DATA, annars medföljande data/priser_2026.yaml).")
DataOpt = typer.Option(None, "--data", metavar="KATALOG", help="Datakatalog med uppdrag_2026.yaml och "
                       "priser_2026.yaml, t.ex. en kopia från `ersattning init` (standard: miljövariabeln "
                       "VGR_ERSATTNING_DATA, annars de medföljande filerna). --uppdrag och --priser går före.")
FormatOpt = formatval("tabell", "json", "csv", "xlsx",
                      hjalp="Utdataformat. xlsx (en Excel-arbetsbok) kräver --ut FIL.xlsx.")
CsvDialektOpt = formatval("maskin", "excel", flaggor=("--csv-dialekt",),
                          hjalp="CSV för maskiner (komma, decimalpunkt) eller för svenska Excel (semikolon, "
                                "decimalkomma, UTF-8 med BOM, CRLF).")
UtOpt = typer.Option(None, "--ut", metavar="FIL", help="Skriv resultatet till en ny fil i stället för skärmen "
                     "(skrivs till en temporär fil och döps om; en befintlig fil skrivs aldrig över).")
UtforareOpt = typer.Option(None, "--utforare", "-u", metavar="ID", callback=versaler,
                           help="Utförarens id, t.ex. SV eller RH (standard: den enda utföraren med data för "
                                "kommandot; felraden listar vilka som har det).")
UtfallOpt = typer.Option(None, "--utfall", metavar="FIL", help="Utfallsfil: CSV (utforare,rad,manad,antal; komma "
                         "eller semikolon, som svenska Excel sparar), xlsx med samma kolumner eller YAML; formatet "
                         "känns igen på innehållet; - läser standard in. Kan anges flera gånger.")
BladOpt = typer.Option(None, "--blad", metavar="NAMN",
                       help="Bladet att läsa i utfallsfiler i xlsx (standard: det första bladet).")
BeslutOpt = typer.Option(None, "--beslut", metavar="FIL", help="Beslut under året (YAML, regelboken §18): varje "
                         "månad räknas med värdena som gäller då. Kan anges flera gånger.")


def _beslut(filer, d):
    """Besluten ur `--beslut`, lästa och granskade mot underlaget, eller None."""
    if not filer:
        return None
    from vgr_ersattning.beslutsfil import las_beslut

    return las_beslut(list(filer), d.uppdrag.modell, d.priser.modell)


TillOchMedOpt = typer.Option(None, "--till-och-med", "-t", metavar="ÅÅÅÅ-MM",
                             help="Sista månad som räknas (standard: sista månaden med utfall).")


# --- gemensamt -------------------------------------------------------------------------------


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")


def _framstegsfabrik():
    """En förloppsindikator på stderr för stora filer, bara i en terminal."""
    if not sys.stderr.isatty():
        return None

    def for_fil(sokvag: Path):
        try:
            storlek = os.stat(sokvag).st_size
        except (OSError, ValueError):
            return None
        if storlek < 8 * 1024 * 1024:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn(f"Läser {Path(sokvag).name}"), BarColumn(), DownloadColumn(),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        uppgift = progress.add_task("läser", total=storlek)
        progress.start()

        def rapport(klart: int, totalt: int) -> None:
            progress.update(uppgift, completed=klart)
            if klart >= totalt:
                progress.stop()
        return rapport
    return for_fil


def _bredd(ut: Optional[str]) -> int:
    """Tabellens bredd: terminalens (eller COLUMNS), 160 i en fil, 120 i en pipe."""
    if ut is not None:
        return 160
    import shutil

    return shutil.get_terminal_size((120, 24)).columns


def _kor(kommando: str, format: str, ut: Optional[str], berakning: Callable, *,
         uppdrag: Optional[Path] = None, priser: Optional[Path] = None, data: Optional[Path] = None,
         utfall: Optional[List[Path]] = None, slutkod: Callable = lambda resultat: 0,
         csv_dialekt: str = "maskin", blad: Optional[str] = None) -> None:
    """Läs underlaget (och utfallet) → kör kommandot → rendera → skriv. Felen blir rader på stderr
    och slutkoder: indata och användning 2, en kontroll som siffrorna bygger på 1."""
    from vgr_ersattning.laddning import Inlasningsfel
    from vgr_ersattning.underlag import Anvandningsfel, Kontrollfel, las_underlag
    from vgr_ersattning.utskrift import Utskriftsfel, kontrollera_mal, skriv
    from vgr_ersattning.visning import Rapport, Visningsfel, kontrollera_val, rendera

    try:
        kontrollera_val(format, ut, csv_dialekt)
        if ut is not None:
            kontrollera_mal(ut)
        underlag = las_underlag(uppdrag, priser, data)
        uf = None
        if utfall:
            from vgr_ersattning.utfall import las_utfall

            uf = las_utfall(utfall, underlag.uppdrag.modell, _framstegsfabrik(), blad=blad)
        korning = berakning(underlag, uf)
    except Inlasningsfel as e:
        for f in e.fel:
            _stderr(str(f))
        raise typer.Exit(2)
    except Anvandningsfel as e:
        _stderr(f"ersattning: {e}")
        raise typer.Exit(2)
    except Kontrollfel as e:
        _stderr(f"ersattning {kommando}: räknar inte: underlaget fallerar {len(e.kontroller)} "
                "kontroll(er) som siffrorna bygger på (se `ersattning kontrollera`):")
        for k in e.kontroller:
            _stderr(f"{k.plats}: {k.meddelande}")
        raise typer.Exit(1)
    except (Utskriftsfel, Visningsfel) as e:
        _stderr(f"ersattning: {e}")
        raise typer.Exit(2)
    for k in korning.varningar:
        _stderr(f"varning: {k.plats}: {k.meddelande} (rör inte siffrorna här)")
    if getattr(korning.resultat, "skriven", False):
        return      # skrevs medan det räknades (scenariobatchar, kommandon.scenario_strommat)
    farg = ut is None and format == "tabell" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    try:
        text = rendera(format, kommando, Rapport(korning.resultat, korning.kalla, _bredd(ut), farg, csv_dialekt,
                                                 korning.underlag))
        skriv(text, ut)
    except (Utskriftsfel, Visningsfel) as e:
        _stderr(f"ersattning: {e}")
        raise typer.Exit(2)
    kod = slutkod(korning.resultat)
    if kod:
        raise typer.Exit(kod)


# --- berakna ---------------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def berakna(
    utforare: Optional[str] = UtforareOpt,
    utfall: Optional[List[Path]] = UtfallOpt,
    till_och_med: Optional[str] = TillOchMedOpt,
    beslut: Optional[List[Path]] = BeslutOpt,
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Tilläggsersättning, anslag och utbetalning per månad – planen eller utfallet hittills i år.

    Utan --utfall räknas planen: produktionen är uppdraget på varje rad, så hela tillägget betalas.

    \b
    Exempel:
      ersattning berakna
      ersattning berakna --utfall examples/produktion_2026.csv --till-och-med 2026-08 --format json
    """
    from vgr_ersattning import kommandon

    _kor("berakna", format, ut, lambda d, uf: kommandon.berakna(d, utforare, uf, till_och_med, _beslut(beslut, d)),
         uppdrag=uppdrag, priser=priser, data=data, utfall=utfall, csv_dialekt=csv_dialekt, blad=blad)


# --- kontrollera -----------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def kontrollera(
    journal: Optional[Path] = typer.Option(None, "--journal", metavar="FIL",
                                           help="Kontrollera också en utbetalningsjournal (ordning, luckor, summor)."),
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Kör alla konsistenskontroller av uppdrags- och prisfilen (för CI).

    Slutkod 0 när allt stämmer, 1 när en kontroll fallerar, 2 vid felaktig indata. Varje underkänd
    kontroll skrivs också som en rad fil:rad:kolumn på stderr.

    \b
    Exempel:
      ersattning kontrollera --format json
    """
    from vgr_ersattning import kommandon

    def slutkod(r) -> int:
        for k in r.kontroller:
            if not k.ok:
                _stderr(f"{k.plats}: {k.meddelande}")
        return 0 if r.ok else 1

    _kor("kontrollera", format, ut, lambda d, uf: kommandon.kontrollera(d, journal), uppdrag=uppdrag, priser=priser,
         data=data,
         slutkod=slutkod, csv_dialekt=csv_dialekt)


# --- avrakning, brygga, malrelaterad ---------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def avrakning(
    utfall: List[Path] = typer.Option(..., "--utfall", metavar="FIL", help="YAML-utfall med avsnittet avrakning."),
    utforare: Optional[str] = UtforareOpt,
    till_och_med: Optional[str] = TillOchMedOpt,
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Avräkning av posterna med avräkning i april, augusti och december (regelboken §7).

    \b
    Exempel:
      ersattning avrakning --utfall examples/utfall_2026.yaml
    """
    from vgr_ersattning import kommandon

    _kor("avrakning", format, ut, lambda d, uf: kommandon.avrakning(d, utforare, uf, till_och_med),
         uppdrag=uppdrag, priser=priser, data=data, utfall=utfall, csv_dialekt=csv_dialekt, blad=blad)


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def brygga(
    utforare: Optional[str] = UtforareOpt,
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Budgetbryggan från föregående års ram till årets (regelboken §8). Slutkod 1 om den inte stämmer.

    \b
    Exempel:
      ersattning brygga --format json
    """
    from vgr_ersattning import kommandon

    _kor("brygga", format, ut, lambda d, uf: kommandon.brygga(d, utforare), uppdrag=uppdrag, priser=priser, data=data,
         slutkod=lambda r: 0 if r.resultat.stammer else 1, csv_dialekt=csv_dialekt)


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def malrelaterad(
    utfall: List[Path] = typer.Option(..., "--utfall", metavar="FIL", help="YAML-utfall med avsnittet malrelaterad_1177."),
    utforare: Optional[str] = UtforareOpt,
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """1177:s målrelaterade ersättning per kvartal (regelboken §9).

    \b
    Exempel:
      ersattning malrelaterad --utfall examples/rh_2026.yaml
    """
    from vgr_ersattning import kommandon

    _kor("malrelaterad", format, ut, lambda d, uf: kommandon.malrelaterad(d, utforare, uf),
         uppdrag=uppdrag, priser=priser, data=data, utfall=utfall, csv_dialekt=csv_dialekt, blad=blad)


# --- uppfoljning -----------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def uppfoljning(
    utfall: Optional[List[Path]] = UtfallOpt,
    utforare: Optional[str] = UtforareOpt,
    period: Optional[str] = typer.Option(None, "--period", "-p", metavar="PERIOD",
                                         help="ÅÅÅÅ-MM, ÅÅÅÅ-T1…T3 eller ÅÅÅÅ (standard: senaste perioden med utfall)."),
    kalender: bool = typer.Option(False, "--kalender", help="Lista per tillfälle vad som ska rapporteras och av vem."),
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Indikatorer och målvärden, bedömda vid ett uppföljningstillfälle (regelboken §10).

    \b
    Exempel:
      ersattning uppfoljning --utfall examples/utfall_2026.yaml --period 2026-08
      ersattning uppfoljning --kalender -u SV
    """
    from vgr_ersattning import kommandon
    from vgr_ersattning.underlag import Anvandningsfel

    if kalender:
        _kor("kalender", format, ut, lambda d, uf: kommandon.kalender(d, utforare), uppdrag=uppdrag, priser=priser,
             data=data, csv_dialekt=csv_dialekt)
        return

    def kor(d, uf):
        if uf is None:
            raise Anvandningsfel("ange --utfall FIL (eller --kalender)")
        return kommandon.uppfoljning(d, utforare, uf, period)

    _kor("uppfoljning", format, ut, kor, uppdrag=uppdrag, priser=priser, data=data, utfall=utfall,
         csv_dialekt=csv_dialekt, blad=blad)


# --- scenario --------------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def scenario(
    satt: Optional[List[str]] = typer.Option(None, "--satt", metavar="ID.FALT=VÄRDE", help="Sätt bas eller tillagg på en rad."),
    andra: Optional[List[str]] = typer.Option(None, "--andra", metavar="ID.FALT=±N", help="Ändra bas eller tillagg med ±N."),
    pris: Optional[List[str]] = typer.Option(None, "--pris", metavar="KATEGORI=KR",
                                             help="Sätt ett pris, t.ex. besok=2600 eller kologastro.SV=4500."),
    scenariofil: Optional[Path] = typer.Option(None, "--scenariofil", metavar="FIL",
                                               help="Många namngivna scenarier: YAML, JSON eller CSV (namn,id,falt,satt,andra)."),
    utforare: Optional[str] = UtforareOpt,
    utfall: Optional[List[Path]] = UtfallOpt,
    som_beslut: Optional[str] = typer.Option(None, "--som-beslut", metavar="FIL",
                                             help="Skriv scenariot som ett utkast till beslut (ny fil), med organ ur "
                                                  "delegationskontrollen; kräver --fran."),
    fran: Optional[str] = typer.Option(None, "--fran", metavar="ÅÅÅÅ-MM",
                                       help="Första månaden utkastets beslut gäller (med --som-beslut)."),
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Vad händer om: ändrade volymer och priser, och om ändringen ryms i delegationen (regelboken §11).

    Med --som-beslut blir scenariot ett utkast till beslut som kan ges till berakna och utbetala med
    --beslut: vad händer om → beslut → utbetalning i ett flöde.

    \b
    Exempel:
      ersattning scenario --andra somatik.operation.allman_kirurgi.tillagg=+100
      ersattning scenario --scenariofil examples/scenarier.csv --format json
      ersattning scenario --andra somatik.operation.allman_kirurgi.tillagg=+80 --som-beslut utkast.yaml --fran 2026-09
    """
    from vgr_ersattning import kommandon
    from vgr_ersattning.laddning import Inlasningsfel
    from vgr_ersattning.scenariofil import las_scenariofil, tolka_argument
    from vgr_ersattning.underlag import Anvandningsfel

    def argumenten():
        if satt or andra or pris:
            return [tolka_argument(satt or [], andra or [], pris or [])]
        return []

    def kor(d, uf):
        scenarier, fel = [], []
        try:
            scenarier += argumenten()
        except Inlasningsfel as e:
            fel += e.fel
        try:
            if scenariofil is not None:
                scenarier += las_scenariofil(scenariofil)
        except Inlasningsfel as e:
            fel += e.fel
        if fel:
            raise Inlasningsfel(fel)
        if not scenarier:
            raise Anvandningsfel("ange minst en ändring (--satt, --andra, --pris) eller --scenariofil")
        k = kommandon.scenario(d, utforare, scenarier, uf, _scenarieframsteg(len(scenarier)))
        if som_beslut is not None:
            kommandon.scenario_som_beslut(d, k, scenarier, som_beslut, fran)
        return k

    if format in ("json", "csv") and som_beslut is None:
        # JSON och CSV strömmas (issue 17): varje resultat skrivs när det är räknat, och blir synligt
        # först när hela filen är granskad och allt är räknat. Tabellen, arbetsboken och
        # --som-beslut behöver alla resultat och håller dem.
        _kor("scenario", format, ut, lambda d, uf: kommandon.scenario_strommat(
            d, utforare, argumenten, scenariofil, uf, format, csv_dialekt, ut, _scenarieframsteg),
            uppdrag=uppdrag, priser=priser, data=data, utfall=utfall, csv_dialekt=csv_dialekt, blad=blad)
        return
    _kor("scenario", format, ut, kor, uppdrag=uppdrag, priser=priser, data=data, utfall=utfall,
         csv_dialekt=csv_dialekt, blad=blad)


def _scenarieframsteg(antal: int, byte: bool = False):
    """En förloppsindikator på stderr, bara i en terminal: `antal` scenarier (från 20 000), eller med
    `byte` en strömmande scenariofil på `antal` byte (från 2 MiB, ungefär 20 000 scenarier)."""
    if not sys.stderr.isatty() or antal < (2 * 1024 * 1024 if byte else 20000):
        return None
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    if byte:
        progress = Progress(TextColumn("Scenarier"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
    else:
        progress = Progress(console=Console(stderr=True), transient=True)
    uppgift = progress.add_task("Scenarier", total=antal)
    progress.start()
    stoppad = False

    def rapport(klart: int, totalt: int) -> None:
        nonlocal stoppad
        if stoppad:
            return
        if byte or klart % 2000 == 0 or klart >= totalt:
            progress.update(uppgift, completed=klart)
        if klart >= totalt:
            stoppad = True
            progress.stop()
    return rapport


# --- utbetala ---------------------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def utbetala(
    manad: str = typer.Option(..., "--manad", "-m", metavar="ÅÅÅÅ-MM", help="Månaden som ska betalas."),
    utfall: List[Path] = typer.Option(..., "--utfall", metavar="FIL", help="Månadens uttag (produktion och avräkning)."),
    beslut: Optional[List[Path]] = BeslutOpt,
    journal: Optional[Path] = typer.Option(None, "--journal", metavar="FIL",
                                           help="Utbetalningsjournalen: det som betalats för månaderna före."),
    bokfor: bool = typer.Option(False, "--bokfor", help="Bokför månaden i journalen (skapar den om den saknas)."),
    utforare: Optional[str] = UtforareOpt,
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Månadens utbetalning mot det som betalats (regelboken §19): per komponent rätten hittills t.o.m.
    månaden minus det som betalats för månaderna före; negativ (kreditering) när en revision sänkt
    rätten. Med --bokfor bokförs månaden i journalen, atomiskt och bara i ordning.

    \b
    Exempel:
      ersattning utbetala --manad 2026-08 --utfall examples/produktion_2026.csv
      ersattning utbetala --manad 2026-09 --utfall examples/produktion_2026_september.csv --journal journal.txt --bokfor
    """
    from vgr_ersattning import kommandon

    filer = list(utfall) + list(beslut or [])

    def kor(d, uf):
        return kommandon.utbetala(d, utforare, uf, manad, _beslut(beslut, d), journal, bokfor, filer)

    _kor("utbetala", format, ut, kor, uppdrag=uppdrag, priser=priser, data=data, utfall=utfall,
         csv_dialekt=csv_dialekt, blad=blad)


# --- prognos och jamfor ----------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def prognos(
    utfall: List[Path] = typer.Option(..., "--utfall", metavar="FIL", help="Utfallsfil(er) med produktionen hittills."),
    utforare: Optional[str] = UtforareOpt,
    till_och_med: Optional[str] = typer.Option(None, "--till-och-med", "-t", metavar="ÅÅÅÅ-MM",
                                               help="Sista månaden med utfall (standard: den sista i filen); "
                                                    "månaderna efter är prognos."),
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Prognos för året: utfallet hittills och planen för resten av året i radens takt (regelboken §16,
    antagande A7), värderad med tilläggsersättningens regel. Listar rader som inte når basen, rader
    som når taket före december och produktion som inte ersätts.

    \b
    Exempel:
      ersattning prognos --utfall examples/produktion_2026.csv
      ersattning prognos --utfall examples/produktion_2026.csv --format json
    """
    from vgr_ersattning import kommandon

    _kor("prognos", format, ut, lambda d, uf: kommandon.prognos(d, utforare, uf, till_och_med),
         uppdrag=uppdrag, priser=priser, data=data, utfall=utfall, csv_dialekt=csv_dialekt, blad=blad)


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def jamfor(
    fore: List[Path] = typer.Option(..., "--fore", metavar="FIL", help="Det tidigare uttaget (kan anges flera gånger)."),
    efter: List[Path] = typer.Option(..., "--efter", metavar="FIL", help="Det senare uttaget (kan anges flera gånger)."),
    utforare: Optional[str] = UtforareOpt,
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Vad ändrades mellan två uttag: förändringen i tilläggsersättning hittills per rad, delad i
    revision av månader båda täcker och månader bara det senare täcker (regelboken §17).

    \b
    Exempel:
      ersattning jamfor --fore examples/produktion_2026_juli.csv --efter examples/produktion_2026.csv
    """
    from vgr_ersattning import kommandon
    from vgr_ersattning.utfall import las_utfall

    def kor(d, uf):
        f = las_utfall(fore, d.uppdrag.modell, _framstegsfabrik(), blad=blad)
        e = las_utfall(efter, d.uppdrag.modell, _framstegsfabrik(), blad=blad)
        return kommandon.jamfor(d, utforare, f, e)

    _kor("jamfor", format, ut, kor, uppdrag=uppdrag, priser=priser, data=data, csv_dialekt=csv_dialekt)


# --- forklara och antaganden -----------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
def forklara(
    figur: Optional[str] = typer.Argument(None, metavar="FIGUR", help="Siffran: ett rad-id, tillagg, anslag, "
                                          "anslag.ÅÅÅÅ-MM, utbetalning.ÅÅÅÅ-MM, summa, avrakning.POST.ÅÅÅÅ-MM, brygga, "
                                          "malrelaterad.ÅÅÅÅ-Qn eller ett indikator-id."),
    lista: bool = typer.Option(False, "--lista", help="Lista de siffror som kan förklaras med de givna valen."),
    utforare: Optional[str] = UtforareOpt,
    utfall: Optional[List[Path]] = UtfallOpt,
    beslut: Optional[List[Path]] = BeslutOpt,
    till_och_med: Optional[str] = TillOchMedOpt,
    period: Optional[str] = typer.Option(None, "--period", "-p", metavar="PERIOD",
                                         help="Uppföljningsperioden för en indikator (standard: den senaste med utfall)."),
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    blad: Optional[str] = BladOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Förklarar en siffra ned till sina källor: regeln, formeln med värdena insatta, datafilens
    rad och dokumentet, utfallsfilens rader och antagandena (regelboken §15).

    Tar samma val som kommandot som visar siffran.

    \b
    Exempel:
      ersattning forklara somatik.operation.allman_kirurgi --utfall examples/produktion_2026.csv
      ersattning forklara anslag.2026-12
      ersattning forklara --lista
    """
    from vgr_ersattning import kommandon
    from vgr_ersattning.underlag import Anvandningsfel

    def kor(d, uf):
        if lista:
            return kommandon.figurer(d, utforare, uf, till_och_med, period)
        if not figur:
            raise Anvandningsfel("ange vilken siffra som ska förklaras (FIGUR), eller --lista")
        return kommandon.forklara(d, figur, utforare, uf, till_och_med, period, _beslut(beslut, d))

    _kor("forklara", format, ut, kor, uppdrag=uppdrag, priser=priser, data=data, utfall=utfall,
         csv_dialekt=csv_dialekt, blad=blad)


@app.command(cls=_Kommando)
def priser(
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Tabellen Priser 2026: varje sjukhus pris per DRG-poäng, vårdtillfälle och vårddygn, och hur långt
    det ligger från det kalkylerade priset.

    \b
    Exempel:
      ersattning priser
      ersattning priser --format csv
    """
    from vgr_ersattning import kommandon

    _kor("priser", format, ut, lambda d, uf: kommandon.priser(d), uppdrag=uppdrag, priser=priser, data=data,
         csv_dialekt=csv_dialekt)


@app.command(cls=_Kommando)
def antaganden(
    format: str = FormatOpt,
    csv_dialekt: str = CsvDialektOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    data: Optional[Path] = DataOpt,
    ut: Optional[str] = UtOpt,
) -> None:
    """Antagandena där dokumenten är tysta: texten, källan och var i datan de verkar.

    \b
    Exempel:
      ersattning antaganden
    """
    from vgr_ersattning import kommandon

    _kor("antaganden", format, ut, lambda d, uf: kommandon.antaganden(d), uppdrag=uppdrag, priser=priser, data=data,
         csv_dialekt=csv_dialekt)


# --- init och schema -------------------------------------------------------------------------


@app.command("init", cls=Kommando)
def initiera(
    katalog: Path = typer.Argument(Path("ersattning-data"), metavar="KATALOG",
                                   help="Katalogen att kopiera till; den skapas om den inte finns."),
) -> None:
    """Kopierar de medföljande datafilerna, exemplen och schemana för editorn till en egen katalog.

    Ändra sedan i kopian, aldrig i de installerade filerna, och läs den med --data KATALOG eller
    miljövariabeln VGR_ERSATTNING_DATA. En befintlig fil skrivs aldrig över: finns någon av filerna
    redan kopieras ingenting (slutkod 2).

    \b
    Exempel:
      ersattning init
      ersattning init ~/ersattning-data
    """
    import shlex

    from vgr_ersattning.datakatalog import MILJOVARIABEL, PRISER, UPPDRAG, Initieringsfel, initiera as kopiera

    try:
        filer = kopiera(katalog)
    except Initieringsfel as e:
        _stderr(str(e))
        raise typer.Exit(2)
    namn = str(katalog)
    q = shlex.quote(namn)
    absolut = shlex.quote(os.path.abspath(namn))
    rader = [f"Kopierade {len(filer)} filer till {namn}:"]
    rader += [f"  {os.path.join(namn, *f.split('/'))}" for f in filer]
    rader += [
        "",
        f"Ändra uppdraget och priserna i {os.path.join(namn, UPPDRAG)} och {os.path.join(namn, PRISER)},",
        "och räkna på kopian med --data eller med miljövariabeln för alla kommandon:",
        "",
        f"  ersattning kontrollera --data {q}",
        f"  ersattning berakna --data {q}",
        f"  export {MILJOVARIABEL}={absolut}",
        "",
        f"Scheman för editorn ligger i {os.path.join(namn, 'schema')}; de kopierade YAML-filerna har sista raden",
        "`# yaml-language-server: $schema=…` som kopplar dem till sitt schema i VS Code (YAML-tillägget).",
    ]
    from vgr_ersattning.utskrift import Utskriftsfel, skriv

    try:
        skriv("\n".join(rader) + "\n", None)
    except Utskriftsfel as e:
        _stderr(f"ersattning: {e}")
        raise typer.Exit(2)


@app.command("schema", cls=Kommando)
def schema(
    slag: Optional[str] = typer.Argument(None, metavar="SLAG",
                                         help="uppdrag, priser, utfall eller scenario (utan SLAG: lista slagen)."),
    ut: Optional[str] = UtOpt,
) -> None:
    """JSON Schema (draft 2020-12) för en indatafil, så att en editor kompletterar och kontrollerar den.

    Koppla en YAML-fil till schemat med raden
    `# yaml-language-server: $schema=./schema/uppdrag.json` i filen (VS Code med YAML-tillägget).

    \b
    Exempel:
      ersattning schema
      ersattning schema uppdrag --ut schema/uppdrag.json
    """
    from vgr_ersattning import schema as scheman
    from vgr_ersattning.utskrift import Utskriftsfel, kontrollera_mal, skriv

    try:
        if slag is None:
            text = scheman.lista()
        else:
            namn = slag.strip().casefold()
            if namn not in scheman.SLAG:
                _stderr(f"ersattning schema: okänt slag {slag!r}; välj "
                        f"{', '.join(scheman.SLAG_MED_SCHEMA[:-1])} eller {scheman.SLAG_MED_SCHEMA[-1]}")
                raise typer.Exit(2)
            if namn not in scheman.SLAG_MED_SCHEMA:
                _stderr(f"ersattning schema: {namn} {scheman.saknas_text(namn)}")
                raise typer.Exit(2)
            if ut is not None:
                kontrollera_mal(ut)
            text = scheman.schema_text(namn)
        skriv(text, ut)
    except Utskriftsfel as e:
        _stderr(f"ersattning: {e}")
        raise typer.Exit(2)


def main() -> None:
    """Ingången för konsolskriptet: inga tracebacks till användaren, bruten pipe 141, Ctrl-C 130."""
    import gc

    from vgr_ersattning.utskrift import forbered, kor_skyddat

    # Skräpsamlaren: det som importerats lever hela körningen, och när processen slutar städas allt
    # ändå bort. Frysta objekt gås inte igenom, varken under körningen eller när tolken avslutas
    # (det sista kostade 20–30 ms per körning; issue 17, uppstarten). Inget annat ändras: cykler som
    # uppstår under körningen samlas som vanligt.
    gc.freeze()
    try:
        forbered()
        kor_skyddat(app)
    finally:
        gc.freeze()
