"""Kommandona och deras byggare: `bygg(kommando, rapport)` ger kommandots `Redovisning` ur dess
resultat (`visning.Rapport`). Skrivarna (terminal, CSV, xlsx, HTML) skriver varje kommando här;
`forklara` skriver sitt träd själv, och JSON har sina egna, dokumenterade nycklar.

Registret namnger modulen under `rapport` och funktionen; modulen importeras först när kommandot
byggs, så att ett kommando inte betalar för de andra kommandonas byggare vid uppstarten."""

from __future__ import annotations

import importlib

from vgr_ersattning.rapport.modell import Redovisning

KOMMANDON: dict[str, tuple[str, str]] = {
    "berakna": ("utbetalning", "berakna"),
    "avrakning": ("avrakning", "avrakning"),
    "malrelaterad": ("avrakning", "malrelaterad"),
    "utbetala": ("utbetalning", "utbetala"),
    "prognos": ("prognos", "prognos"),
    "jamfor": ("prognos", "jamfor"),
    "scenario": ("prognos", "scenario"),
    "kontrollera": ("granskning", "kontrollera"),
    "brygga": ("granskning", "brygga"),
    "uppfoljning": ("granskning", "uppfoljning"),
    "kalender": ("granskning", "kalender"),
    "priser": ("granskning", "priser"),
    "antaganden": ("granskning", "antaganden"),
    "rapport": ("manad", "rapport"),
}

# Regionens vy (`-u alla`): ett resultat med `regionens_vy` byggs av regionens byggare.
REGIONENS: dict[str, tuple[str, str]] = {
    "berakna": ("region", "berakna_region"),
    "prognos": ("region", "prognos_region"),
    "utbetala": ("region", "utbetala_region"),
}


def bygg(kommando: str, rapport) -> Redovisning:
    """Kommandots rapport, byggd en gång ur resultatet."""
    register = REGIONENS if getattr(rapport.resultat, "regionens_vy", False) else KOMMANDON
    modul, funktion = register[kommando]
    return getattr(importlib.import_module(f"vgr_ersattning.rapport.{modul}"), funktion)(rapport)
