"""Kommandona och deras byggare: `bygg(kommando, rapport)` ger kommandots `Redovisning` ur dess
resultat (`visning.Rapport`). Skrivarna (terminal, CSV, xlsx, HTML) skriver varje kommando här;
`forklara` skriver sitt träd själv, och JSON har sina egna, dokumenterade nycklar."""

from __future__ import annotations

from vgr_ersattning.rapport import avrakning, granskning, manad, prognos, utbetalning
from vgr_ersattning.rapport.modell import Redovisning

KOMMANDON = {
    "berakna": utbetalning.berakna,
    "avrakning": avrakning.avrakning,
    "malrelaterad": avrakning.malrelaterad,
    "utbetala": utbetalning.utbetala,
    "prognos": prognos.prognos,
    "jamfor": prognos.jamfor,
    "scenario": prognos.scenario,
    "kontrollera": granskning.kontrollera,
    "brygga": granskning.brygga,
    "uppfoljning": granskning.uppfoljning,
    "kalender": granskning.kalender,
    "priser": granskning.priser,
    "antaganden": granskning.antaganden,
    "rapport": manad.rapport,
}


def bygg(kommando: str, rapport) -> Redovisning:
    """Kommandots rapport, byggd en gång ur resultatet."""
    return KOMMANDON[kommando](rapport)
