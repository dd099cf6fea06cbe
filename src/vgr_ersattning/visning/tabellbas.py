"""Tabeller för terminalen: `Tabell` och de tal- och notformat som alla tabeller delar.

Ett tal visas alltid helt (regelboken §1): talkolumner får den bredd deras längsta tal behöver och
bryts aldrig; textkolumner radbryts. Räcker bredden inte ens då (ett smalt fönster), visas
tabellen staplad: en rad i taget, ett värde per rad. Noter radbryts vid ordgränser men aldrig inne
i ett tal (`263 497 958`).

Texten ritas av `visning.terminal` (bara standardbiblioteket, utan rich), så att tabellformatet
startar snabbt.
"""

from __future__ import annotations

from vgr_ersattning.visning.celler import procent_text, tal_text, tkr_text
from vgr_ersattning.visning.terminal import Kolumn, Konsol, Text, krymp, tabellbredd

MIN_TEXTBREDD = 8

__all__ = ("MIN_TEXTBREDD", "Tabell", "antaganden_not", "notera", "ny_konsol", "procent_text", "tal_text",
           "tkr_text")


def ny_konsol(rapport) -> Konsol:
    """En konsol i rapportens bredd (120 tecken om ingen bredd är given) och med dess färgval."""
    return Konsol(rapport.bredd or 120, rapport.farg)


class Tabell:
    """En tabell som vet sina rader innan den visas, så den kan välja en layout där inget tal kapas."""

    def __init__(self, titel: str, *kolumner: tuple[str, str]):
        self.titel = titel
        self.kolumner = list(kolumner)
        self.rader: list[tuple[tuple, str | None, bool]] = []   # (celler, stil, ny sektion före)
        self._sektion = False

    def rad(self, *celler, stil: str | None = None) -> None:
        celler = tuple(celler) + ("",) * (len(self.kolumner) - len(celler))
        self.rader.append((celler, stil, self._sektion))
        self._sektion = False

    def sektion(self) -> None:
        self._sektion = bool(self.rader)

    def _bredder(self) -> list[int]:
        ut = []
        for i, (namn, _) in enumerate(self.kolumner):
            langst = max((len(line) for celler, _, _ in self.rader for line in str(_ren(celler[i])).split("\n")),
                         default=0)
            ut.append(max(langst, len(namn)))
        return ut

    def visa(self, console: Konsol) -> None:
        bredder = self._bredder()
        if tabellbredd(bredder) > console.bredd:
            # Textkolumnerna radbryts (de bredaste först, ned till MIN_TEXTBREDD); talkolumnerna
            # behåller sin bredd. Räcker det inte, staplas tabellen.
            minsta = [b if j == "right" else min(b, MIN_TEXTBREDD) for (_, j), b in zip(self.kolumner, bredder)]
            if tabellbredd(minsta) > console.bredd:
                self._stapla(console)
                return
            bredder = krymp(bredder, minsta, console.bredd - (tabellbredd(bredder) - sum(bredder)))
        console.tabell(self.titel, [Kolumn(namn, just, b) for (namn, just), b in zip(self.kolumner, bredder)],
                       self.rader)

    def _stapla(self, console: Konsol) -> None:
        """Smalt fönster: en post i taget, ett värde per rad, så att inget tal kapas."""
        console.skriv(Text(self.titel, style="bold"))
        for celler, stil, sektion in self.rader:
            if sektion:
                console.skriv()
            rubrik = " ".join(str(_ren(c)).strip() for (_, j), c in zip(self.kolumner, celler)
                              if j != "right" and str(_ren(c)).strip())
            if rubrik:
                console.skriv(Text(rubrik, style=stil or "bold"))
            for (namn, just), c in zip(self.kolumner, celler):
                if just == "right" and str(_ren(c)).strip():
                    console.skriv(Text(f"  {namn}: ", style="dim") + Text(str(_ren(c)), style=stil or ""), bryt=False)


def _ren(c) -> str:
    return c.plain if isinstance(c, Text) else str(c)


def notera(console: Konsol, text: str, stil: str = "dim") -> None:
    """En not under en tabell, radbruten i konsolens bredd (aldrig inne i ett tal)."""
    console.skriv(Text(text, style=stil))


def antaganden_not(console: Konsol, antaganden) -> None:
    """De antaganden siffrorna beror på, med texten ur uppdragets data."""
    for a, t in antaganden.items():
        notera(console, f"Antagande {a}: {t.text}")
