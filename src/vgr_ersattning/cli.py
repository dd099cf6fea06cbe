"""Kommandoraden `ersattning` (Typer): bara argumenten. Varje kommando lämnar sina val till
`korning.kor`, som läser, kontrollerar, räknar, renderar och skriver. Inga regler och inga
standardvärden för regler står här; de delade valen deklareras en gång i `alternativ`.

Slutkoder (regelboken §12): 0 klart och allt stämmer, 1 en kontroll fallerar, 2 felaktig indata
eller användning, 141 bruten pipe, 130 avbrutet.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from vgr_ersattning.alternativ import DATA, UTDATA, Val, med_val
from vgr_ersattning.klick import Grupp, Kommando, versionsval

ANTAGANDEN_HJALP = ("Där dokumenten är tysta följer verktyget antaganden som står i uppdragsfilen "
                    "(`antaganden` och `antagande: An` där de verkar). `ersattning antaganden` listar dem.")

# Regelbokens avsnitt som varje kommando tillämpar: hjälpen visar de antaganden vars källa nämner
# ett av dem (ett kommando som inte står här visar alla).
AVSNITT = {
    "berakna": {4, 5, 6, 7, 18}, "kontrollera": {3, 8, 14, 21, 24}, "avrakning": {7}, "brygga": {8, 24},
    "malrelaterad": {9}, "uppfoljning": {5, 10}, "scenario": {4, 11, 18}, "utbetala": {4, 6, 7, 9, 18, 19, 22, 23},
    "prognos": {4, 5, 16, 18}, "jamfor": {4, 17, 18}, "rapport": {4, 5, 6, 7, 9, 10, 16, 18, 19, 23, 25},
    "priser": set(),
}


class _MedAntaganden:
    """Hjälpen avslutas med de antaganden kommandot bygger på (en gång, i nummerordning), lästa ur
    uppdragsfilen när hjälpen visas (den i VGR_ERSATTNING_DATA, annars den medföljande): de står bara
    i datan."""

    def format_epilog(self, ctx, formatter) -> None:
        super().format_epilog(ctx, formatter)
        # Uppskjuten som körningen: inläsaren behövs bara när hjälpen faktiskt visas.
        from vgr_ersattning.inlasning.datakatalog import antaganden_for_hjalp

        rader = antaganden_for_hjalp(AVSNITT.get(ctx.info_name))
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
kommando = app.command


@app.callback()
def _huvud(version: bool = versionsval()) -> None:
    """Beräknar och kontrollerar ersättningen enligt uppdraget."""


def _kor(namn: str, v: Val, **argument) -> None:
    # Den enda uppskjutna importen: körningen drar in pydantic, yaml och kärnan, som `--help` inte behöver.
    from vgr_ersattning.korning import kor

    kor(namn, v, **argument)


MED_UTFALL = ("utforare", "utfall", "blad")


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, "till_och_med", "beslut", *UTDATA, *DATA)
def berakna(v: Val) -> None:
    """Tilläggsersättning, anslag och utbetalning per månad – planen eller utfallet hittills i år.

    Utan --utfall räknas planen: produktionen är uppdraget på varje rad, så hela tillägget betalas.

    \b
    Exempel:
      ersattning berakna
      ersattning berakna --utfall examples/produktion_2026.csv --till-och-med 2026-08 --format json
    """
    _kor("berakna", v)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val("journal", *UTDATA, *DATA)
def kontrollera(
    v: Val,
    kvittens: Optional[str] = typer.Option(None, "--kvittens", metavar="HEX",
                                           help="Med --journal: kvittensen från en bokföring; journalen måste "
                                                "fortfarande nå den månaden."),
) -> None:
    """Kör alla konsistenskontroller av uppdrags- och prisfilen (för CI).

    Slutkod 0 när allt stämmer, 1 när en kontroll fallerar, 2 vid felaktig indata. Varje underkänd
    kontroll skrivs också som en rad fil:rad:kolumn på stderr.

    \b
    Exempel:
      ersattning kontrollera --format json
    """
    _kor("kontrollera", v, kvittens=kvittens)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, "till_och_med", *UTDATA, *DATA, kravs=("utfall",))
def avrakning(v: Val) -> None:
    """Avräkning av posterna med avräkning i april, augusti och december (regelboken §7).

    \b
    Exempel:
      ersattning avrakning --utfall examples/utfall_2026.yaml
    """
    _kor("avrakning", v)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val("utforare", *UTDATA, *DATA)
def brygga(v: Val) -> None:
    """Budgetbryggan från föregående års ram till årets (regelboken §8). Slutkod 1 om den inte stämmer.

    \b
    Exempel:
      ersattning brygga --format json
    """
    _kor("brygga", v)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, *UTDATA, *DATA, kravs=("utfall",))
def malrelaterad(v: Val) -> None:
    """1177:s målrelaterade ersättning per kvartal (regelboken §9).

    \b
    Exempel:
      ersattning malrelaterad --utfall examples/rh_2026.yaml
    """
    _kor("malrelaterad", v)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, "period", "beslut", *UTDATA, *DATA)
def uppfoljning(
    v: Val,
    kalender: bool = typer.Option(False, "--kalender", help="Lista per tillfälle vad som ska rapporteras och av vem."),
) -> None:
    """Indikatorer och målvärden, bedömda vid ett uppföljningstillfälle (regelboken §10).

    \b
    Exempel:
      ersattning uppfoljning --utfall examples/utfall_2026.yaml --period 2026-08
      ersattning uppfoljning --kalender -u SV
    """
    _kor("kalender" if kalender else "uppfoljning", v)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, *UTDATA, *DATA)
def scenario(
    v: Val,
    satt: Optional[List[str]] = typer.Option(None, "--satt", metavar="ID.FALT=VÄRDE",
                                             help="Sätt bas eller tillagg på en rad."),
    andra: Optional[List[str]] = typer.Option(None, "--andra", metavar="ID.FALT=±N",
                                              help="Ändra bas eller tillagg med ±N."),
    pris: Optional[List[str]] = typer.Option(None, "--pris", metavar="KATEGORI=KR",
                                             help="Sätt ett pris, t.ex. besok=2600 eller kologastro.SV=4500."),
    scenariofil: Optional[Path] = typer.Option(None, "--scenariofil", metavar="FIL",
                                               help="Många namngivna scenarier: YAML, JSON eller CSV "
                                                    "(namn,id,falt,satt,andra)."),
    som_beslut: Optional[str] = typer.Option(None, "--som-beslut", metavar="FIL",
                                             help="Skriv scenariot som ett utkast till beslut (ny fil), med organ ur "
                                                  "delegationskontrollen; kräver --fran."),
    fran: Optional[str] = typer.Option(None, "--fran", metavar="ÅÅÅÅ-MM",
                                       help="Första månaden utkastets beslut gäller (med --som-beslut)."),
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
    _kor("scenario", v, satt=satt or [], andra=andra or [], pris=pris or [], scenariofil=scenariofil,
         som_beslut=som_beslut, fran=fran)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, "beslut", "journal", *UTDATA, *DATA, kravs=("utfall",))
def utbetala(
    v: Val,
    manad: str = typer.Option(..., "--manad", "-m", metavar="ÅÅÅÅ-MM", help="Månaden som ska betalas."),
    bokfor: bool = typer.Option(False, "--bokfor", help="Bokför månaden i journalen (skapar den om den saknas)."),
) -> None:
    """Månadens utbetalning mot det som betalats (regelboken §19): per komponent rätten hittills t.o.m.
    månaden minus det som betalats för månaderna före; negativ (kreditering) när en revision sänkt
    rätten. Med --bokfor bokförs månaden i journalen, atomiskt och bara i ordning.

    \b
    Exempel:
      ersattning utbetala --manad 2026-08 --utfall examples/produktion_2026.csv
      ersattning utbetala --manad 2026-09 --utfall examples/produktion_2026_september.csv --journal journal.txt --bokfor
    """
    _kor("utbetala", v, manad=manad, bokfor=bokfor)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, "beslut", "journal", *UTDATA, *DATA, kravs=("utfall",))
def rapport(
    v: Val,
    manad: str = typer.Option(..., "--manad", "-m", metavar="ÅÅÅÅ-MM", help="Månaden som rapporteras."),
) -> None:
    """Månadens rapport till nämnden (regelboken §25): utbetalningen per komponent och året hittills,
    produktionen mot planen per rad, prognosen för året, avräkningen, indikatorerna som ska
    rapporteras, besluten och källorna. Som html en fil att läsa i en webbläsare och skriva ut, där
    varje siffra öppnar sin förklaring; som xlsx ett blad per tabell.

    \b
    Exempel:
      ersattning rapport --manad 2026-08 --utfall examples/produktion_2026.csv
      ersattning rapport --manad 2026-08 --utfall examples/produktion_2026.csv --format html --ut rapport.html
    """
    _kor("rapport", v, manad=manad)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, "till_och_med", "beslut", *UTDATA, *DATA, kravs=("utfall",))
def prognos(v: Val) -> None:
    """Prognos för året: utfallet hittills och planen för resten av året i radens takt (regelboken §16,
    antagande A7), värderad med tilläggsersättningens regel. Listar rader som inte når basen, rader
    som når taket före december och produktion som inte ersätts.

    \b
    Exempel:
      ersattning prognos --utfall examples/produktion_2026.csv
      ersattning prognos --utfall examples/produktion_2026.csv --format json
    """
    _kor("prognos", v)


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val("utforare", "blad", "beslut", *UTDATA, *DATA)
def jamfor(
    v: Val,
    fore: List[Path] = typer.Option(..., "--fore", metavar="FIL", help="Det tidigare uttaget (kan anges flera gånger)."),
    efter: List[Path] = typer.Option(..., "--efter", metavar="FIL", help="Det senare uttaget (kan anges flera gånger)."),
) -> None:
    """Vad ändrades mellan två uttag: förändringen i tilläggsersättning hittills per rad, delad i
    revision av månader båda täcker och månader bara det senare täcker (regelboken §17).

    \b
    Exempel:
      ersattning jamfor --fore examples/produktion_2026_juli.csv --efter examples/produktion_2026.csv
    """
    _kor("jamfor", v, fore=tuple(fore), efter=tuple(efter))


@kommando(cls=_Kommando, epilog=ANTAGANDEN_HJALP)
@med_val(*MED_UTFALL, "beslut", "till_och_med", "period", *UTDATA, *DATA)
def forklara(
    v: Val,
    figur: Optional[str] = typer.Argument(None, metavar="FIGUR", help="Siffran: ett rad-id, tillagg, anslag, "
                                          "anslag.ÅÅÅÅ-MM, utbetalning.ÅÅÅÅ-MM, summa, avrakning.POST.ÅÅÅÅ-MM, brygga, "
                                          "malrelaterad.ÅÅÅÅ-Qn eller ett indikator-id."),
    lista: bool = typer.Option(False, "--lista", help="Lista de siffror som kan förklaras med de givna valen."),
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
    _kor("figurer" if lista else "forklara", v, figur=figur)


@kommando(cls=_Kommando)
@med_val(*UTDATA, *DATA)
def priser(v: Val) -> None:
    """Tabellen Priser för året: varje sjukhus pris per DRG-poäng, vårdtillfälle och vårddygn, och hur långt
    det ligger från det kalkylerade priset.

    \b
    Exempel:
      ersattning priser
      ersattning priser --format csv
    """
    _kor("priser", v)


@kommando(cls=_Kommando)
@med_val(*UTDATA, *DATA)
def antaganden(v: Val) -> None:
    """Antagandena där dokumenten är tysta: texten, källan och var i datan de verkar.

    \b
    Exempel:
      ersattning antaganden
    """
    _kor("antaganden", v)


@kommando("uppgradera-journal", cls=Kommando)
@med_val("ut")
def uppgradera_journal(
    v: Val,
    journal: Path = typer.Argument(..., metavar="FIL", help="Journalen skriven utan kedja."),
) -> None:
    """Skriver en journal utan kedja (regelboken §21) som en ny journal med kedjan, efter att hela
    journalen kontrollerats. Den gamla filen ändras aldrig; den nya skrivs till --ut (en ny fil)
    eller standard ut.

    \b
    Exempel:
      ersattning uppgradera-journal examples/journal_utan_kedja.txt
      ersattning uppgradera-journal journal.txt --ut journal-kedjad.txt
    """
    _kor("uppgradera-journal", v, journal=journal)


@kommando("init", cls=Kommando)
def initiera(
    katalog: Path = typer.Argument(Path("ersattning-data"), metavar="KATALOG",
                                   help="Katalogen att kopiera till; den skapas om den inte finns."),
    ar: Optional[int] = typer.Option(None, "--ar", metavar="ÅÅÅÅ",
                                     help="Skriv ett utkast för året ur året före: katalogens, eller de medföljande "
                                          "filernas (som då kopieras också) när katalogen inte har något år."),
) -> None:
    """Kopierar de medföljande datafilerna, exemplen och schemana för editorn till en egen katalog.

    Ändra sedan i kopian, aldrig i de installerade filerna, och läs den med --data KATALOG eller
    miljövariabeln VGR_ERSATTNING_DATA. En befintlig fil skrivs aldrig över: finns någon av filerna
    redan kopieras ingenting (slutkod 2).

    Med --ar ÅÅÅÅ skrivs ett utkast för ett nytt år (regelboken §24): samma utförare, rader,
    priskategorier, indikatorer och antaganden som året före; bryggans första rad är årets före ram
    vid årets slut (antagande A8); det nämnden beslutar för året (ram, uppräkning, justeringar,
    volymer, priser) står tomt och filerna är märkta utkast: true. En beräkning vägrar utkastet tills
    det är ifyllt; kontrollera listar det som återstår.

    \b
    Exempel:
      ersattning init
      ersattning init ~/ersattning-data
      ersattning init --ar 2027 ~/ersattning-data
    """
    _kor("init", Val(), katalog=katalog, ar=ar)


@kommando("schema", cls=Kommando)
@med_val("ut")
def schema(
    v: Val,
    slag: Optional[str] = typer.Argument(None, metavar="SLAG",
                                         help="uppdrag, priser, utfall, scenario eller beslut (utan SLAG: lista "
                                              "slagen)."),
) -> None:
    """JSON Schema (draft 2020-12) för en indatafil, så att en editor kompletterar och kontrollerar den.

    Koppla en YAML-fil till schemat med raden
    `# yaml-language-server: $schema=./schema/uppdrag.json` i filen (VS Code med YAML-tillägget).

    \b
    Exempel:
      ersattning schema
      ersattning schema uppdrag --ut schema/uppdrag.json
    """
    _kor("schema", v, slag=slag)


def for_argumenten(argv: List[str]) -> typer.Typer:
    """Appen för argumenten `argv` (utan programnamnet). Typer bygger varje kommandos click-kommando
    (valen, deras typer och hjälp) innan det väljer ett: ~7 ms för sjutton kommandon vid varje start.
    När det första argumentet är ett kommandos namn är det en kopia av appen med bara det kommandot
    (samma grupp, samma hjälp och samma fel för kommandot); annars – `--help`, `--version`, ett
    felstavat kommando, skalets komplettering – hela appen."""
    import copy
    import os

    from typer.main import get_command_name

    if not argv or argv[0].startswith("-") or any(k.endswith("_COMPLETE") for k in os.environ):
        return app
    valda = [k for k in app.registered_commands if (k.name or get_command_name(k.callback.__name__)) == argv[0]]
    if len(valda) != 1:
        return app
    kopia = copy.copy(app)
    kopia.registered_commands = valda
    return kopia


def main() -> None:
    """Ingången för konsolskriptet: inga tracebacks till användaren, bruten pipe 141, Ctrl-C 130."""
    import gc
    import sys

    from vgr_ersattning.utskrift import forbered, kor_skyddat

    # Det som importerats lever hela körningen: frysta objekt gås inte igenom av skräpsamlaren,
    # varken under körningen eller när tolken avslutas. Cykler som uppstår under körningen samlas
    # som vanligt.
    gc.freeze()
    try:
        forbered()
        kor_skyddat(for_argumenten(sys.argv[1:]))
    finally:
        gc.freeze()
