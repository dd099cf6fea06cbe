"""Excel-arbetsböcker (regelboken §20): samma funktionsnamn som de andra renderarna; varje funktion
tar en `Rapport` och ger arbetsbokens byte (xlsx), som skrivs med `--ut FIL.xlsx`.

- Ett blad per tabell kommandot visar (för `berakna`: Översikt, Rader, Grupper, Månader, Anslag
  och Avräkning), och sist bladet "Källor och antaganden": varje siffras källa (dokumentet och
  platsen i datafilen eller utfallsfilen) och texten till varje antagande siffrorna bygger på.
- Tal är talceller med exakt samma värde som i JSON; ett tal som en Excel-cell inte kan hålla
  exakt vägras, och då skrivs ingen arbetsbok alls (`visning.arbetsbok`).
- Där kommandot har månader (`berakna`, `prognos`) ett linjediagram över plan mot utfall per månad.

Arbetsbokens modell och skrivare står i `visning.arbetsbok`; bladen byggs per kommandogrupp i
`xlsx_utbetalning` (berakna, avrakning, malrelaterad, utbetala), `xlsx_prognos` (scenario, prognos,
jamfor) och `xlsx_granskning` (kontrollera, brygga, uppfoljning, kalender, priser, forklara,
antaganden). Den här modulen är formatets namn i `visning.FORMAT`.
"""

from __future__ import annotations

from vgr_ersattning.visning.arbetsbok import excelvarde, skriv_arbetsbok
from vgr_ersattning.visning.xlsx_granskning import (
                                                    antaganden,
                                                    brygga,
                                                    forklara,
                                                    kalender,
                                                    kontrollera,
                                                    priser,
                                                    uppfoljning,
)
from vgr_ersattning.visning.xlsx_prognos import jamfor, prognos, scenario
from vgr_ersattning.visning.xlsx_utbetalning import (
                                                    avrakning,
                                                    berakna,
                                                    malrelaterad,
                                                    utbetala,
)

__all__ = ("antaganden", "avrakning", "berakna", "brygga", "excelvarde", "forklara", "jamfor", "kalender",
           "kontrollera", "malrelaterad", "priser", "prognos", "scenario", "skriv_arbetsbok", "uppfoljning",
           "utbetala")
