"""Kommandoraden `ersattning` (Typer). Tolkar argument, anropar kärnan, lämnar resultatet till en
renderare. Tunga moduler (pydantic, yaml, rich) importeras först i kommandot som behöver dem.

Slutkoder (REGLER §12): 0 klart och allt stämmer, 1 en kontroll fallerar, 2 felaktig indata.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperCommand, TyperGroup

ANTAGANDEN = (
    "Antaganden (REGLER.md; ändras i data/uppdrag_2026.yaml): "
    "A1 psykiatrisk utredning och behandling prissätts som besök (2 503 kr). "
    "A2 årsbas: inget tillägg förrän radens produktion hittills i år passerat årsbasen. "
    "A3 under 25 % besvarade inom 8 minuter ger 0 % av 1177-ersättningen. "
    "A4 1177-beloppet 2,70 mnkr gäller per år, en fjärdedel per kvartal. "
    "A5 avräkningstaket är pro rata i april och augusti, hela nivån i december."
)

class _SvenskHjalp:
    """Hjälpvalets text på svenska (resten av rubrikerna kommer från click)."""

    def get_help_option(self, ctx):
        val = super().get_help_option(ctx)
        if val is not None:
            val.help = "Visa den här hjälpen och avsluta."
        return val


class _Grupp(_SvenskHjalp, TyperGroup):
    pass


class _Kommando(_SvenskHjalp, TyperCommand):
    pass


app = typer.Typer(
    cls=_Grupp,
    name="ersattning",
    help=(
        "Beräknar vad en nämnd inom Västra Götalandsregionens hälso- och sjukvård får betalt enligt sitt "
        "uppdrag, och kontrollerar att uppdragets siffror hänger ihop.\n\n"
        "Exempel: ersattning berakna   (planen för Sjukhusen i väster 2026)"
    ),
    epilog=ANTAGANDEN,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMAT_HJALP = "Utdataformat: tabell (standard), json eller csv."
UppdragOpt = typer.Option(None, "--uppdrag", metavar="FIL", help="Uppdragsfil (standard: medföljande data/uppdrag_2026.yaml).")
PriserOpt = typer.Option(None, "--priser", metavar="FIL", help="Prisfil (standard: medföljande data/priser_2026.yaml).")
FormatOpt = typer.Option("tabell", "--format", "-f", metavar="FORMAT", help=FORMAT_HJALP)
UtOpt = typer.Option(None, "--ut", metavar="FIL", help="Skriv resultatet till en ny fil i stället för skärmen "
                     "(skrivs till en temporär fil och döps om; en befintlig fil skrivs inte över).")
UtforareOpt = typer.Option("SV", "--utforare", "-u", metavar="ID", help="Utförarens id (SV, SU, NU, SKAS, SAS, RH).")
UtfallOpt = typer.Option(None, "--utfall", metavar="FIL", help="Utfallsfil, CSV (utforare,rad,manad,antal) eller YAML. "
                         "Kan anges flera gånger.")


# --- gemensamt -------------------------------------------------------------------------------


def _stderr(text: str) -> None:
    sys.stderr.write(text + "\n")


def _avbryt_med_fel(fel) -> None:
    for f in fel:
        _stderr(str(f))
    raise typer.Exit(2)


def _anvandningsfel(meddelande: str) -> None:
    _stderr(f"ersattning: {meddelande}")
    raise typer.Exit(2)


def _kontrollera_format(format: str, tillatna=("tabell", "json", "csv")) -> str:
    if format not in tillatna:
        _anvandningsfel(f"--format ska vara ett av {', '.join(tillatna)}, inte {format!r}")
    return format


class _Data:
    """De två datafilerna, inlästa och validerade (båda, så att en trasig fil aldrig passerar tyst)."""

    def __init__(self, uppdrag: Optional[Path], priser: Optional[Path]):
        from vgr_ersattning.laddning import Inlasningsfel, las_priser, las_uppdrag, standardfil

        self.uppdrag_fil = uppdrag or standardfil("uppdrag_2026.yaml")
        self.priser_fil = priser or standardfil("priser_2026.yaml")
        fel = []
        self.uppdrag = self.priser = None
        try:
            self.uppdrag = las_uppdrag(self.uppdrag_fil)
        except Inlasningsfel as e:
            fel += e.fel
        try:
            self.priser = las_priser(self.priser_fil)
        except Inlasningsfel as e:
            fel += e.fel
        if fel:
            _avbryt_med_fel(fel)

    def utforare(self, uid: str, *krav: str):
        u = self.uppdrag.modell.utforare.get(uid)
        if u is None:
            _anvandningsfel(f"okänd utförare {uid!r} (finns: {', '.join(self.uppdrag.modell.utforare)})")
        for k in krav:
            if getattr(u, k) is None:
                _anvandningsfel(f"{uid} saknar {k} i {self.uppdrag.positioner.fil}")
        return u


def _las_utfall(filer: list[Path], data: _Data):
    from vgr_ersattning.laddning import Inlasningsfel
    from vgr_ersattning.utfall import las_utfall

    framsteg = _framstegsfabrik()
    try:
        return las_utfall(filer, data.uppdrag.modell, framsteg)
    except Inlasningsfel as e:
        _avbryt_med_fel(e.fel)


def _framstegsfabrik():
    """En förloppsindikator på stderr för stora filer, bara i en terminal."""
    if not sys.stderr.isatty():
        return None

    def for_fil(sokvag: Path):
        try:
            storlek = os.stat(sokvag).st_size
        except OSError:
            return None
        if storlek < 8 * 1024 * 1024:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(TextColumn(f"Läser {sokvag.name}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        uppgift = progress.add_task("läser", total=storlek)
        progress.start()

        def rapport(klart: int, totalt: int) -> None:
            progress.update(uppgift, completed=klart)
            if klart >= totalt:
                progress.stop()
        return rapport
    return for_fil


def _konsol(ut: Optional[Path]):
    from rich.console import Console

    if ut is None:
        # I en terminal följer tabellen fönstrets bredd; i en pipe blir den 120 tecken bred.
        return Console(highlight=False, markup=False, emoji=False, width=None if sys.stdout.isatty() else 120)
    import io

    return Console(file=io.StringIO(), highlight=False, markup=False, emoji=False, width=160, force_terminal=False)


def _skriv(text: str, ut: Optional[Path]) -> None:
    if ut is None:
        sys.stdout.write(text)
        return
    _skriv_atomiskt(ut, text)


def _skriv_atomiskt(ut: Path, text: str) -> None:
    """Skriver till en temporär fil i samma katalog och döper om: aldrig en halvskriven fil."""
    import tempfile

    if ut.exists():
        _anvandningsfel(f"{ut} finns redan; välj ett nytt filnamn (befintliga filer skrivs inte över)")
    katalog = ut.resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{ut.name}.", suffix=".tmp", dir=katalog)
    except OSError as e:
        _anvandningsfel(f"kan inte skriva i {katalog}: {e.strerror}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, ut)   # misslyckas om filen hunnit skapas: skriver aldrig över
        except FileExistsError:
            _anvandningsfel(f"{ut} finns redan; välj ett nytt filnamn")
        except OSError:
            os.replace(tmp, ut)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _avsluta_konsol(console, ut: Optional[Path]) -> None:
    if ut is not None:
        _skriv_atomiskt(ut, console.file.getvalue())


def _rapport(format: str, ut: Optional[Path], json, csv, tabell) -> None:
    """Lämnar resultatet till rätt renderare. `json` och `csv` får modulen visning.maskin,
    `tabell` modulen visning.tabell och en konsol; rich importeras bara för tabell."""
    if format in ("json", "csv"):
        from vgr_ersattning.visning import maskin

        _skriv(maskin.json_text(json(maskin)) if format == "json" else csv(maskin), ut)
        return
    from vgr_ersattning.visning import tabell as renderare

    console = _konsol(ut)
    tabell(renderare, console)
    _avsluta_konsol(console, ut)


def _till_och_med(text: Optional[str], ar: int) -> Optional[int]:
    if text is None:
        return None
    from vgr_ersattning.utfall import tolka_manad

    manad, medd = tolka_manad(text, ar)
    if manad is None:
        _anvandningsfel(f"--till-och-med {text!r}: {medd} (ange en månad som ÅÅÅÅ-MM, t.ex. {ar}-08)")
    return manad


# --- berakna ---------------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN)
def berakna(
    utforare: str = UtforareOpt,
    utfall: Optional[List[Path]] = UtfallOpt,
    till_och_med: Optional[str] = typer.Option(None, "--till-och-med", "-t", metavar="ÅÅÅÅ-MM",
                                               help="Sista månad som räknas (standard: sista månaden med produktion)."),
    format: str = FormatOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    ut: Optional[Path] = UtOpt,
) -> None:
    """Tilläggsersättning, anslag och utbetalning per månad – planen eller utfallet hittills i år.

    Utan --utfall räknas planen: produktionen är uppdraget på varje rad, så hela tillägget betalas.

    \b
    Exempel:
      ersattning berakna
      ersattning berakna --utfall produktion_2026.csv --till-och-med 2026-08 --format json
    """
    from vgr_ersattning.kalkyl.anslag import berakna_anslag
    from vgr_ersattning.kalkyl.tillagg import SaknatPris, berakna_tillagg
    from vgr_ersattning.kalkyl.utbetalning import berakna_utbetalning

    _kontrollera_format(format)
    data = _Data(uppdrag, priser)
    u = data.utforare(utforare, "volymer", "ersattningsram")
    ar = data.uppdrag.modell.ar
    tom = _till_och_med(till_och_med, ar)
    produktion = avr = None
    if utfall:
        uf = _las_utfall(utfall, data)
        produktion = uf.produktion.get(utforare)
        if produktion is None and tom is None:
            _anvandningsfel(f"utfallet har ingen produktion för {utforare}; ange --till-och-med för att räkna ändå")
        produktion = produktion or {}
        tom = tom or uf.sista_manad(utforare)
        if u.avrakning is not None and uf.avrakning.get(utforare):
            from vgr_ersattning.kalkyl.avrakning import berakna_avrakning

            avr = berakna_avrakning(u.avrakning, uf.avrakning[utforare], tom)
    tom = tom or 12
    basmodell = u.tillagg.basmodell if u.tillagg else "arsbas"
    try:
        res = berakna_tillagg(u.volymer, data.priser.modell, utforare, produktion, tom, basmodell)
    except SaknatPris as e:
        plats = data.uppdrag.positioner.plats(("utforare", utforare, "volymer", "rader", e.rad_id, "priskategori"))
        _avbryt_med_fel([f"{plats}: {e.rad_id}: priskategorin {e.kategori!r} har inget pris för {e.utforare} "
                         f"i {data.priser.positioner.fil}"])
    anslag = berakna_anslag(u.ersattningsram.belopp_tkr, u.anslag.fast_andel_procent if u.anslag else 100, tom)
    utbetalning = berakna_utbetalning(res, anslag, avr)
    _rapport(format, ut,
             json=lambda m: m.berakna_json(ar, res, anslag, avr, utbetalning),
             csv=lambda m: m.berakna_csv(res),
             tabell=lambda t, c: t.berakna(c, ar, u.namn, res, anslag, avr, utbetalning, u.volymer.grupper,
                                           data.uppdrag.modell.antaganden))


# --- kontrollera -----------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN)
def kontrollera(
    format: str = FormatOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    ut: Optional[Path] = UtOpt,
) -> None:
    """Kör alla konsistenskontroller av uppdrags- och prisfilen (för CI).

    Slutkod 0 när allt stämmer, 1 när en kontroll fallerar, 2 vid felaktig indata. I tabellform
    skrivs varje underkänd kontroll också som en rad fil:rad:kolumn på stderr.

    \b
    Exempel:
      ersattning kontrollera --format json
    """
    from vgr_ersattning.kalkyl.kontroll import kontrollera_allt

    _kontrollera_format(format)
    data = _Data(uppdrag, priser)
    kontroller = kontrollera_allt(data.uppdrag.modell, data.priser.modell)

    def plats_for(k):
        doc = data.priser if k.fil == "priser" else data.uppdrag
        return doc.positioner.plats(k.sokvag)

    def tabell(t, console) -> None:
        t.kontroller(console, kontroller, plats_for)
        t.anmarkningar(console, data.uppdrag.modell.utforare)
        for k in kontroller:
            if not k.ok:
                _stderr(f"{plats_for(k)}: {k.meddelande}")

    _rapport(format, ut,
             json=lambda m: m.kontroller_json(kontroller, plats_for),
             csv=lambda m: m.kontroller_csv(kontroller, plats_for),
             tabell=tabell)
    if not all(k.ok for k in kontroller):
        raise typer.Exit(1)


# --- avrakning, brygga, malrelaterad ---------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN)
def avrakning(
    utfall: List[Path] = typer.Option(..., "--utfall", metavar="FIL", help="YAML-utfall med avsnittet avrakning."),
    utforare: str = UtforareOpt,
    till_och_med: Optional[str] = typer.Option(None, "--till-och-med", "-t", metavar="ÅÅÅÅ-MM",
                                               help="Sista månad (standard: sista månaden med utfall)."),
    format: str = FormatOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    ut: Optional[Path] = UtOpt,
) -> None:
    """Avräkning av posterna med avräkning i april, augusti och december (REGLER §7).

    \b
    Exempel:
      ersattning avrakning --utfall utfall_2026.yaml
    """
    from vgr_ersattning.kalkyl.avrakning import berakna_avrakning

    _kontrollera_format(format)
    data = _Data(uppdrag, priser)
    u = data.utforare(utforare, "avrakning")
    ar = data.uppdrag.modell.ar
    uf = _las_utfall(utfall, data)
    varden = uf.avrakning.get(utforare, {})
    tom = _till_och_med(till_och_med, ar)
    if tom is None:
        manader = [m for post in varden.values() for m in post]
        if not manader:
            _anvandningsfel(f"utfallet har inget avräkningsutfall för {utforare} (avsnittet avrakning)")
        tom = max(manader)
    res = berakna_avrakning(u.avrakning, varden, tom)
    _rapport(format, ut,
             json=lambda m: m.avrakning_json(res, ar),
             csv=lambda m: m.avrakning_csv(res, ar),
             tabell=lambda t, c: t.avrakning(c, ar, res, data.uppdrag.modell.antaganden))


@app.command(cls=_Kommando, epilog=ANTAGANDEN)
def brygga(
    utforare: str = UtforareOpt,
    format: str = FormatOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    ut: Optional[Path] = UtOpt,
) -> None:
    """Budgetbryggan från föregående års ram till årets (REGLER §8). Slutkod 1 om den inte stämmer.

    \b
    Exempel:
      ersattning brygga --format json
    """
    from vgr_ersattning.kalkyl.brygga import berakna_brygga

    _kontrollera_format(format)
    data = _Data(uppdrag, priser)
    u = data.utforare(utforare, "brygga")
    r = berakna_brygga(u.brygga)
    _rapport(format, ut,
             json=lambda m: m.brygga_json(r),
             csv=lambda m: m.brygga_csv(r),
             tabell=lambda t, c: t.brygga(c, r, u.brygga))
    if not r.stammer:
        raise typer.Exit(1)


@app.command(cls=_Kommando, epilog=ANTAGANDEN)
def malrelaterad(
    utfall: List[Path] = typer.Option(..., "--utfall", metavar="FIL", help="YAML-utfall med avsnittet malrelaterad_1177."),
    utforare: str = typer.Option("RH", "--utforare", "-u", help="Utförarens id."),
    format: str = FormatOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    ut: Optional[Path] = UtOpt,
) -> None:
    """1177:s målrelaterade ersättning per kvartal (REGLER §9).

    \b
    Exempel:
      ersattning malrelaterad --utfall rh_2026.yaml
    """
    from vgr_ersattning.kalkyl.malrelaterad import berakna_malrelaterad

    _kontrollera_format(format)
    data = _Data(uppdrag, priser)
    u = data.utforare(utforare, "malrelaterad_1177")
    ar = data.uppdrag.modell.ar
    uf = _las_utfall(utfall, data)
    andelar = uf.malrelaterad.get(utforare)
    if not andelar:
        _anvandningsfel(f"utfallet har inget avsnitt malrelaterad_1177 för {utforare}")
    res = berakna_malrelaterad(u.malrelaterad_1177, andelar)
    _rapport(format, ut,
             json=lambda m: m.malrelaterad_json(res, ar),
             csv=lambda m: m.malrelaterad_csv(res, ar),
             tabell=lambda t, c: t.malrelaterad(c, ar, res, data.uppdrag.modell.antaganden))


# --- uppfoljning -----------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN)
def uppfoljning(
    utfall: Optional[List[Path]] = UtfallOpt,
    utforare: str = UtforareOpt,
    period: Optional[str] = typer.Option(None, "--period", "-p", metavar="PERIOD",
                                         help="ÅÅÅÅ-MM, ÅÅÅÅ-T1…T3 eller ÅÅÅÅ (standard: senaste perioden med utfall)."),
    kalender: bool = typer.Option(False, "--kalender", help="Lista per tillfälle vad som ska rapporteras och av vem."),
    format: str = FormatOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    ut: Optional[Path] = UtOpt,
) -> None:
    """Indikatorer och målvärden, bedömda vid ett uppföljningstillfälle (REGLER §10).

    \b
    Exempel:
      ersattning uppfoljning --utfall utfall_2026.yaml --period 2026-08
      ersattning uppfoljning --kalender
    """
    from vgr_ersattning.kalkyl import uppfoljning as upp

    _kontrollera_format(format)
    data = _Data(uppdrag, priser)
    u = data.utforare(utforare, "indikatorer")
    ar = data.uppdrag.modell.ar
    lista = u.indikatorer.lista
    if kalender:
        kal = upp.kalender(lista, ar)
        _rapport(format, ut,
                 json=lambda m: m.kalender_json(kal, lista),
                 csv=lambda m: m.kalender_csv(kal, lista),
                 tabell=lambda t, c: t.kalender(c, kal, lista))
        return
    if not utfall:
        _anvandningsfel("ange --utfall FIL (eller --kalender)")
    uf = _las_utfall(utfall, data)
    varden = uf.indikatorer.get(utforare, {})
    sista = uf.sista_manad(utforare)
    beraknade = {}
    if sista is not None and u.volymer is not None:
        beraknade = upp.beraknade_varden(lista, u.volymer, uf.produktion[utforare], ar, sista)
    if period is None:
        vald = upp.senaste_period(varden, beraknade, ar=ar)
        if vald is None:
            _anvandningsfel(f"utfallet har inga indikatorvärden för {utforare}; ange --period")
    else:
        vald = upp.tolka_period(period)
        if vald is None:
            _anvandningsfel(f"--period {period!r}: ange ÅÅÅÅ-MM, ÅÅÅÅ-T1…T3 eller ÅÅÅÅ")
        if vald.ar != ar:
            _anvandningsfel(f"--period {period}: perioden ligger utanför uppdragsåret {ar}")
    bed = upp.berakna_uppfoljning(lista, varden, vald, beraknade)
    _rapport(format, ut,
             json=lambda m: m.uppfoljning_json(vald, bed),
             csv=lambda m: m.uppfoljning_csv(bed),
             tabell=lambda t, c: t.uppfoljning(c, vald, bed))


# --- scenario --------------------------------------------------------------------------------


@app.command(cls=_Kommando, epilog=ANTAGANDEN)
def scenario(
    satt: Optional[List[str]] = typer.Option(None, "--satt", metavar="ID.FALT=VÄRDE", help="Sätt bas eller tillagg på en rad."),
    andra: Optional[List[str]] = typer.Option(None, "--andra", metavar="ID.FALT=±N", help="Ändra bas eller tillagg med ±N."),
    pris: Optional[List[str]] = typer.Option(None, "--pris", metavar="KATEGORI=KR",
                                             help="Sätt ett pris, t.ex. besok=2600 eller kologastro.SV=4500."),
    scenariofil: Optional[Path] = typer.Option(None, "--scenariofil", metavar="FIL",
                                               help="Många namngivna scenarier: YAML, JSON eller CSV (namn,id,falt,satt,andra)."),
    utforare: str = UtforareOpt,
    utfall: Optional[List[Path]] = UtfallOpt,
    format: str = FormatOpt,
    uppdrag: Optional[Path] = UppdragOpt,
    priser: Optional[Path] = PriserOpt,
    ut: Optional[Path] = UtOpt,
) -> None:
    """Vad händer om: ändrade volymer och priser, och om ändringen ryms i delegationen (REGLER §11).

    \b
    Exempel:
      ersattning scenario --andra somatik.operation.allman_kirurgi.tillagg=+100
      ersattning scenario --scenariofil scenarier.csv --format json
    """
    from vgr_ersattning.kalkyl.scenario import Scenariofel, Scenariomotor
    from vgr_ersattning.laddning import Inlasningsfel
    from vgr_ersattning.scenariofil import las_scenariofil, tolka_argument

    _kontrollera_format(format)
    data = _Data(uppdrag, priser)
    u = data.utforare(utforare, "volymer", "delegation")
    scenarier = []
    try:
        if satt or andra or pris:
            scenarier.append(tolka_argument(satt or [], andra or [], pris or []))
        if scenariofil is not None:
            scenarier += las_scenariofil(scenariofil)
    except Inlasningsfel as e:
        _avbryt_med_fel(e.fel)
    if not scenarier:
        _anvandningsfel("ange minst en ändring (--satt, --andra, --pris) eller --scenariofil")
    hittills = None
    if utfall:
        uf = _las_utfall(utfall, data)
        sista = uf.sista_manad(utforare) or 12
        hittills = uf.produktion_hittills(utforare, sista)
    motor = Scenariomotor(u.volymer, data.priser.modell, utforare, u.delegation.grans_kr, hittills)
    resultat, fel = [], []
    progress = None
    if sys.stderr.isatty() and len(scenarier) >= 20000:
        from rich.console import Console
        from rich.progress import Progress

        progress = Progress(console=Console(stderr=True), transient=True)
        uppgift = progress.add_task("Scenarier", total=len(scenarier))
        progress.start()
    for i, (s, platser) in enumerate(scenarier):
        try:
            resultat.append(motor.utvardera(s))
        except Scenariofel as e:
            plats = platser[e.index] if e.index < len(platser) else None
            fel.append(f"{plats}: {s.namn}: {e}" if plats and plats.rad else
                       f"{plats.fil if plats else 'scenario'}: {s.andringar[e.index].id}: {e}")
        if progress is not None and i % 2000 == 0:
            progress.update(uppgift, completed=i)
    if progress is not None:
        progress.stop()
    if fel:
        _avbryt_med_fel(fel[:50])
    _rapport(format, ut,
             json=lambda m: m.scenario_json(resultat),
             csv=lambda m: m.scenario_csv(resultat),
             tabell=lambda t, c: t.scenario(c, resultat, u.delegation.grans_kr, hittills is not None))


def main() -> None:
    """Ingången för konsolskriptet: inga tracebacks till användaren."""
    try:
        app()
    except KeyboardInterrupt:
        _stderr("avbrutet")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
