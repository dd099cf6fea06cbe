"""Tabeller för terminalen, svenskt talformat. Importeras bara när tabell är formatet.

`Tabell` och de gemensamma talformaten står i `visning.tabellbas`; tabellerna byggs per
kommandogrupp i `tabell_utbetalning` (berakna, avrakning, malrelaterad, utbetala), `tabell_prognos`
(scenario, prognos, jamfor) och `tabell_granskning` (kontrollera, brygga, uppfoljning, kalender,
priser, forklara, antaganden). Den här modulen är formatets namn i `visning.FORMAT`.
"""

from __future__ import annotations

from vgr_ersattning.visning.tabell_granskning import (
                                                      antaganden,
                                                      brygga,
                                                      forklara,
                                                      kalender,
                                                      kontrollera,
                                                      priser,
                                                      uppfoljning,
)
from vgr_ersattning.visning.tabell_prognos import jamfor, prognos, scenario
from vgr_ersattning.visning.tabell_utbetalning import (
                                                      avrakning,
                                                      berakna,
                                                      malrelaterad,
                                                      utbetala,
)

__all__ = ("antaganden", "avrakning", "berakna", "brygga", "forklara", "jamfor", "kalender", "kontrollera",
           "malrelaterad", "priser", "prognos", "scenario", "uppfoljning", "utbetala")
