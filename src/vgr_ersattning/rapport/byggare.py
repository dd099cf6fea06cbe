"""Kommandona och deras byggare: `bygg(kommando, rapport)` ger kommandots `Redovisning` ur dess
resultat (`visning.Rapport`). Skrivarna (terminal, CSV, xlsx, HTML) skriver varje kommando här;
`forklara` skriver sitt träd själv, och JSON har sina egna, dokumenterade nycklar."""

from __future__ import annotations

from vgr_ersattning.rapport import avrakning, granskning, manad, prognos, region, utbetalning
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


# Regionens vy (`-u alla`): ett resultat med `regionens_vy` byggs av regionens byggare.
REGIONENS = {"berakna": region.berakna_region, "prognos": region.prognos_region, "utbetala": region.utbetala_region}


def bygg(kommando: str, rapport) -> Redovisning:
    """Kommandots rapport, byggd en gång ur resultatet."""
    if getattr(rapport.resultat, "regionens_vy", False):
        return REGIONENS[kommando](rapport)
    return KOMMANDON[kommando](rapport)
