"""Valen som flera kommandon delar, deklarerade en gång.

`med_val("utforare", "utfall", …)` lägger valen till kommandots signatur (Typer läser signaturen)
och samlar dem i ett `Val` som kommandot får som första argument:

    @app.command()
    @med_val("utforare", "utfall", *UTDATA, *DATA)
    def berakna(v: Val) -> None:
        kor("berakna", v)

Ett val som ett kommando kräver anges med `kravs=("utfall",)`. Modulen importerar bara typer och
standardbiblioteket (uppstarten).
"""

from __future__ import annotations

import functools
import inspect
import typing
from pathlib import Path
from typing import Any, Callable, List, NamedTuple, Optional

import typer

from vgr_ersattning.klick import formatval, versaler


class Val(NamedTuple):
    """De delade valen; ett val som kommandot inte har står kvar med sitt standardvärde."""

    utforare: Optional[str] = None
    utfall: tuple = ()
    till_och_med: Optional[str] = None
    beslut: tuple = ()
    journal: Optional[Path] = None
    period: Optional[str] = None
    format: str = "tabell"
    csv_dialekt: str = "maskin"
    blad: Optional[str] = None
    ar: Optional[int] = None
    uppdrag: Optional[Path] = None
    priser: Optional[Path] = None
    data: Optional[Path] = None
    ut: Optional[str] = None


UTDATA = ("format", "csv_dialekt", "ut")
DATA = ("ar", "uppdrag", "priser", "data")


def _utfall(kravs: bool) -> Any:
    return typer.Option(... if kravs else None, "--utfall", metavar="FIL", help=(
        "Utfallsfil: CSV (utforare,rad,manad,antal; komma eller semikolon, som svenska Excel sparar), xlsx med "
        "samma kolumner eller YAML; formatet känns igen på innehållet; - läser standard in. Kan anges flera gånger."))


_VAL: dict[str, tuple[Any, Callable[[bool], Any]]] = {
    "utforare": (Optional[str], lambda kravs: typer.Option(
        None, "--utforare", "-u", metavar="ID", callback=versaler,
        help="Utförarens id, t.ex. SV eller RH, eller alla (regionens vy: berakna, prognos, utbetala) (standard: den "
             "enda utföraren med data för kommandot; felraden listar vilka som har det).")),
    "utfall": (Optional[List[Path]], _utfall),
    "till_och_med": (Optional[str], lambda kravs: typer.Option(
        None, "--till-och-med", "-t", metavar="ÅÅÅÅ-MM",
        help="Sista månaden med utfall som räknas (standard: den sista i utfallet); i en prognos är månaderna "
             "efter prognos.")),
    "beslut": (Optional[List[Path]], lambda kravs: typer.Option(
        None, "--beslut", metavar="FIL",
        help="Beslut under året (YAML, regelboken §18): varje månad räknas med värdena som gäller då. Kan anges "
             "flera gånger.")),
    "journal": (Optional[Path], lambda kravs: typer.Option(
        None, "--journal", metavar="FIL",
        help="Utbetalningsjournalen: det som betalats och bokförts månad för månad (ordning, luckor, summor, "
             "kedja).")),
    "period": (Optional[str], lambda kravs: typer.Option(
        None, "--period", "-p", metavar="PERIOD",
        help="Uppföljningsperioden: ÅÅÅÅ-MM, ÅÅÅÅ-T1…T3 eller ÅÅÅÅ (standard: senaste perioden med utfall).")),
    "format": (str, lambda kravs: formatval("tabell", "json", "csv", "xlsx", "html",
                                            hjalp="Utdataformat. xlsx (en Excel-arbetsbok) kräver --ut FIL.xlsx; "
                                                  "html är en fil att läsa i en webbläsare eller skriva ut.")),
    "csv_dialekt": (str, lambda kravs: formatval(
        "maskin", "excel", flaggor=("--csv-dialekt",),
        hjalp="CSV för maskiner (komma, decimalpunkt) eller för svenska Excel (semikolon, decimalkomma, UTF-8 med "
              "BOM, CRLF).")),
    "blad": (Optional[str], lambda kravs: typer.Option(
        None, "--blad", metavar="NAMN", help="Bladet att läsa i utfallsfiler i xlsx (standard: det första bladet).")),
    "ar": (Optional[int], lambda kravs: typer.Option(
        None, "--ar", metavar="ÅÅÅÅ",
        help="Året att räkna på, när datakatalogen har flera år (uppdrag_ÅÅÅÅ.yaml, priser_ÅÅÅÅ.yaml; regelboken "
             "§24). Standard: året i utfallets månader, annars det senaste året i katalogen.")),
    "uppdrag": (Optional[Path], lambda kravs: typer.Option(
        None, "--uppdrag", metavar="FIL",
        help="Uppdragsfil (standard: uppdragsfilen i datakatalogen, --data eller VGR_ERSATTNING_DATA, annars den "
             "medföljande).")),
    "priser": (Optional[Path], lambda kravs: typer.Option(
        None, "--priser", metavar="FIL",
        help="Prisfil (standard: prisfilen i datakatalogen, --data eller VGR_ERSATTNING_DATA, annars den "
             "medföljande).")),
    "data": (Optional[Path], lambda kravs: typer.Option(
        None, "--data", metavar="KATALOG",
        help="Datakatalog med uppdrags- och prisfilerna för ett eller flera år, t.ex. en kopia från `ersattning init` "
             "(standard: "
             "miljövariabeln VGR_ERSATTNING_DATA, annars de medföljande filerna). --uppdrag och --priser går före.")),
    "ut": (Optional[str], lambda kravs: typer.Option(
        None, "--ut", metavar="FIL",
        help="Skriv resultatet till en ny fil i stället för skärmen (skrivs till en temporär fil och döps om; en "
             "befintlig fil skrivs aldrig över); - är standard ut.")),
}


def med_val(*namn: str, kravs: tuple[str, ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Dekoratorn: kommandots egna parametrar (efter `v`) följs av de delade valen `namn`."""
    okanda = [n for n in (*namn, *kravs) if n not in _VAL]
    if okanda:
        raise ValueError(f"okända delade val: {okanda}")

    def dekorera(funktion: Callable[..., Any]) -> Callable[..., Any]:
        typer_ = typing.get_type_hints(funktion)
        egna = [p.replace(annotation=typer_.get(p.name, p.annotation))
                for p in list(inspect.signature(funktion).parameters.values())[1:]]
        delade = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=_VAL[n][1](n in kravs),
                                    annotation=_VAL[n][0]) for n in namn]

        @functools.wraps(funktion)
        def kommando(**argument: Any) -> Any:
            v = Val(**{n: _varde(n, argument.pop(n)) for n in namn})
            return funktion(v, **argument)

        del kommando.__wrapped__
        parametrar = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in egna] + delade
        kommando.__signature__ = inspect.Signature(parametrar, return_annotation=None)  # type: ignore[attr-defined]
        kommando.__annotations__ = {p.name: p.annotation for p in parametrar}
        return kommando

    return dekorera


def _varde(namn: str, v: Any) -> Any:
    """Listor från Typer blir tupler (Val är oföränderligt), och ett upprepbart val som inte gavs en
    tom tupel."""
    if isinstance(Val._field_defaults[namn], tuple):
        return tuple(v or ())
    return v
