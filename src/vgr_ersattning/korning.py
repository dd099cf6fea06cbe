"""Den enda körningen av ett kommando, med effekterna sist:

    läs (underlaget, utfallet, besluten) → räkna (kommandots byggsteg, utan sidoeffekter)
    → rendera till en temporär fil → förbered effekterna → utför effekterna → publicera utdata

Kan utdata inte skrivas (en katalog som saknas, en fil som finns, en arbetsbok som inte går att
rendera) bokförs ingenting: den temporära filen skapas och fylls innan en effekt utförs. Misslyckas
en effekt publiceras ingen utdata, och raden säger vad som gjordes och inte gjordes.

Felen blir rader på standard fel och slutkoder (regelboken §12): indata och användning 2, en
kontroll som siffrorna bygger på 1; kommandots egen slutkod (1 när en kontroll fallerar) sist.
"""

from __future__ import annotations

import gc
import importlib
import os
import shutil
import sys
from typing import Any, Optional

import typer

from vgr_ersattning import framsteg
from vgr_ersattning.alternativ import Val
from vgr_ersattning.filer import Filfel, kontrollera_mal
from vgr_ersattning.inlasning.fel import Anvandningsfel, Fel, Inlasningsfel, Kontrollfel, Plats
from vgr_ersattning.inlasning.underlag import las_underlag
from vgr_ersattning.inlasning.utfall.filer import las_utfall
from vgr_ersattning.kommandon.gemensamt import Felrad, Korning, Sammanhang, Stopp
from vgr_ersattning.utskrift import Utdata, Utskriftsfel
from vgr_ersattning.visning import Rapport, Visningsfel, kontrollera_val, rendera_till, renderare

# Kommandot → modulen under `kommandon` som har dess byggsteg (`bygg_<kommando>`), och om det räknar
# på uppdraget och priserna. Modulen importeras först när kommandot körs.
KOMMANDON: dict[str, tuple[str, bool]] = {
    "berakna": ("berakning", True),
    "prognos": ("berakning", True),
    "jamfor": ("berakning", True),
    "utbetala": ("utbetalning", True),
    "uppgradera-journal": ("utbetalning", False),
    "rapport": ("rapport", True),
    "kontrollera": ("kontroll", True),
    "avrakning": ("kontroll", True),
    "brygga": ("kontroll", True),
    "malrelaterad": ("kontroll", True),
    "kalender": ("kontroll", True),
    "uppfoljning": ("kontroll", True),
    "priser": ("kontroll", True),
    "antaganden": ("kontroll", True),
    "scenario": ("scenario", True),
    "figurer": ("forklara", True),
    "forklara": ("forklara", True),
    "init": ("ovrigt", False),
    "schema": ("ovrigt", False),
}

# Renderarnas namn på kommandon som visas under ett annat namn (forklara --lista).
_VISAS_SOM = {"figurer": "forklara"}

# Kommandona som läser ett utkast (regelboken §24): kontrollera listar det som återstår att fylla i,
# antaganden har inga siffror. Alla andra vägrar ett utkast med den listan (slutkod 1).
UTKAST_LASES_AV = ("kontrollera", "antaganden")

# -u alla: regionens vy, varje utförare med data och summorna (kommandon/region.py).
ALLA = "ALLA"

# Kommandona som räknar på en journal: den ska gälla årets beräkning och, med -u, utföraren.
JOURNAL_FOR_ARET = ("utbetala", "rapport")


class Effektfel(Exception):
    """En effekt misslyckades, eller utdata kunde inte publiceras efter effekterna: `rader` är felets
    rader följda av en rad om vad som gjordes och inte gjordes."""

    def __init__(self, rader: list[str]):
        super().__init__("\n".join(rader))
        self.rader = rader


def kor(kommando: str, v: Val, **argument: Any) -> None:
    """Kör `kommando` med valen `v` och kommandots egna argument; avslutar med `typer.Exit` när
    slutkoden inte är 0."""
    if v.ut == "-":
        v = v._replace(ut=None)
    try:
        korning = berakna(kommando, v, argument)
        publicera(kommando, korning, v)
    except Inlasningsfel as e:
        _avsluta([str(f) for f in e.fel], 2)
    except Anvandningsfel as e:
        _avsluta([f"ersattning: {e}"], 2)
    except Kontrollfel as e:
        _avsluta([f"ersattning {kommando}: räknar inte: underlaget fallerar {len(e.kontroller)} kontroll(er) som "
                  "siffrorna bygger på (se `ersattning kontrollera`):"]
                 + [f"{k.plats}: {k.meddelande}" for k in e.kontroller], 1)
    except (Utskriftsfel, Visningsfel, Filfel) as e:
        _avsluta([f"ersattning: {e}"], 2)
    except Felrad as e:
        _avsluta([str(e)], 2)
    except Effektfel as e:
        _avsluta(e.rader, 2)
    except Stopp as e:
        _avsluta(e.rader, 1)
    for k in korning.varningar:
        _stderr(f"varning: {k.plats}: {k.meddelande} (rör inte siffrorna här)")
    for rad in korning.meddelanden:
        _stderr(rad)
    if korning.slutkod:
        raise typer.Exit(korning.slutkod)


def berakna(kommando: str, v: Val, argument: dict) -> Korning:
    """Läs det kommandot räknar på och kör dess byggsteg. Inget skrivs."""
    modul, med_underlag = KOMMANDON[kommando]
    if v.utforare == ALLA:
        _region().kontrollera(kommando, v.journal)
    kontrollera_val(v.format, v.ut, v.csv_dialekt)
    if v.ut is not None:
        kontrollera_mal(v.ut)
    # Byggsteget och formatets renderare importeras innan något läses: medan förstarten räknar ett
    # stort utfall (`forstart`) görs det på den andra processorn i stället för efteråt.
    if v.utforare == ALLA:
        byggsteg = _region().byggsteg(kommando)
    else:
        byggsteg = getattr(importlib.import_module(f"vgr_ersattning.kommandon.{modul}"),
                           "bygg_" + kommando.replace("-", "_"))
    renderare(v.format)
    fil_framsteg = framsteg.for_fil()
    s = Sammanhang(v, argument, scenarieframsteg=framsteg.for_scenarier)
    if med_underlag:
        # Regelboken §24: året är --ar, annars utfallets (också jamfor:s uttag), annars katalogens senaste.
        utfallsfiler = tuple(v.utfall) or tuple(argument.get("fore") or ()) + tuple(argument.get("efter") or ())
        s.underlag = underlag = las_underlag(v.uppdrag, v.priser, v.data, ar=v.ar, utfall=utfallsfiler, blad=v.blad)
        # Underlaget (och det som importerades för att läsa det) lever hela körningen: som importerna
        # (cli.main) fryses det, så att skräpsamlaren inte går igenom det under resten av körningen.
        gc.freeze()
        if underlag.utkast and kommando not in UTKAST_LASES_AV:
            raise Stopp(underlag.utkastets_rader(_VISAS_SOM.get(kommando, kommando)))
        if v.journal is not None and kommando in JOURNAL_FOR_ARET:
            _journal_for_aret(v.journal, v.utforare, underlag.ar)
        s.las_utfall = lambda filer: las_utfall(list(filer), underlag.uppdrag.modell, fil_framsteg, blad=v.blad)
        if v.utfall:
            s.utfall = s.las_utfall(v.utfall)
        s.las_beslut = lambda filer: _las_beslut(list(filer), underlag)
        if v.beslut:
            s.beslut = s.las_beslut(v.beslut)
    return byggsteg(s)


def _region():
    """Regionens vy (`-u alla`, `kommandon/region.py`), importerad som kommandomodulerna: när den körs."""
    return importlib.import_module("vgr_ersattning.kommandon.region")


def _journal_for_aret(fil, utforare: Optional[str], ar: int) -> None:
    """En journal per utförare och år (regelboken §24): en journal för ett annat år, eller med -u en
    annan utförare, vägras med en rad (slutkod 2) innan något räknas. En journal som inte finns
    eller inte går att läsa säger kommandot självt."""
    from vgr_ersattning import journal as journalen  # bara när en journal anges

    try:
        j = journalen.las_journal(fil, saknas_ok=True)
    except Inlasningsfel:
        return
    if j is None:
        return
    if j.ar != ar:
        raise Inlasningsfel([Fel(Plats(j.namn, 3, 1), "", f"journalen gäller år {j.ar}, inte {ar}; en journal gäller "
                                 f"en utförare och ett år: {ar} bokförs i en egen journal, som `ersattning utbetala "
                                 f"--bokfor` skapar med {ar}-01")])
    if utforare and j.utforare.casefold() != utforare.casefold():
        raise Inlasningsfel([Fel(Plats(j.namn, 2, 1), "", f"journalen gäller utförare {j.utforare}, inte "
                                 f"{utforare.upper()}; en journal gäller en utförare och ett år")])


def _las_beslut(filer: list, underlag):
    # Beslutsfilens pydantic-modeller (~6 ms) importeras bara när en beslutsfil ges, som Excel-biblioteken.
    from vgr_ersattning.inlasning.beslut import las_beslut

    return las_beslut(filer, underlag.uppdrag.modell, underlag.priser.modell)


def publicera(kommando: str, korning: Korning, v: Val) -> None:
    """Rendera till en temporär fil, utför effekterna och gör sedan utdata synlig."""
    farg = v.ut is None and v.format == "tabell" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    rapport = Rapport(korning.resultat, korning.kalla, _bredd(v.ut), farg, v.csv_dialekt, korning.arsplan)
    utdata = Utdata(v.ut)
    utforda: list = []
    try:
        rendera_till(v.format, _VISAS_SOM.get(kommando, kommando), rapport, utdata)
        for e in korning.effekter:
            e.forbered()
        for e in korning.effekter:
            try:
                e.utfor()
            except Exception as fel:
                tillagg = [] if getattr(e, "sager_vad_som_inte_gjordes", False) and not utforda else [
                    _inte_gjort(korning.effekter, utforda)]
                raise Effektfel(_rader(fel) + tillagg) from None
            utforda.append(e)
    except BaseException:
        utdata.kasta()
        for e in korning.effekter:
            if e not in utforda:
                e.kasta()
        raise
    try:
        utdata.publicera()
        if v.ut is not None:
            _stderr(f"Skrev {v.ut}")
    except (Utskriftsfel, Filfel) as fel:
        if not utforda:
            raise
        raise Effektfel([f"ersattning: {fel}",
                         f"ersattning: {_och(x.beskrivning for x in utforda)} är gjord, men resultatet skrevs inte"]
                        ) from None


def _rader(fel: BaseException) -> list[str]:
    if isinstance(fel, Inlasningsfel):
        return [str(f) for f in fel.fel]
    if isinstance(fel, Felrad):
        return [str(fel)]
    return [f"ersattning: {fel}"]


def _inte_gjort(alla: list, utforda: list) -> str:
    ogjorda = [e.beskrivning for e in alla if e not in utforda]
    text = f"ersattning: {_och(ogjorda)} gjordes inte"
    if utforda:
        text += f" ({_och(e.beskrivning for e in utforda)} är gjord)"
    return text + "; ingen utdata skrevs"


def _och(delar) -> str:
    delar = list(delar)
    return delar[0] if len(delar) == 1 else ", ".join(delar[:-1]) + " och " + delar[-1]


def _bredd(ut: Optional[str]) -> int:
    """Tabellens bredd: terminalens (eller COLUMNS), 160 i en fil, 120 i en pipe."""
    if ut is not None:
        return 160
    return shutil.get_terminal_size((120, 24)).columns


def _stderr(text: str) -> None:
    """En rad på standard fel. Ett filnamn som inte är UTF-8 (surrogat från `os.fsdecode`) skrivs
    med sina byte som `\\xe5`, aldrig som ett kodningsfel."""
    sys.stderr.write(text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") + "\n")


def _avsluta(rader: list[str], kod: int) -> None:
    for rad in rader:
        _stderr(rad)
    raise typer.Exit(kod)
