"""Felmodellen för inläsningen (regelboken §12).

Ett inläsningsfel är en `Fel`: en plats (fil, rad, kolumn), en nyckelväg och ett svenskt
meddelande, en rad till användaren. Ett fel hindrar inte att nästa hittas: felen samlas
(`Felsamlare`) och kastas tillsammans som `Inlasningsfel` (slutkod 2), högst `MAX_FEL` och sedan en
rad "… och N fel till". Här bor också de två andra felen som en inläsning slutar med:
`Anvandningsfel` (fel användning, slutkod 2) och `Kontrollfel` (en kontroll som beräkningen bygger
på fallerar, slutkod 1).

Modulen importerar bara standardbiblioteket.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

# Högst så många fel visas per inläsning; resten räknas i en sista rad "… och N fel till".
MAX_FEL = 50

# En nyckelväg i en fil: nycklar (text) och index i listor (heltal).
Sokvag = tuple[Any, ...]


class Plats(NamedTuple):
    fil: str
    rad: int
    kolumn: int

    def __str__(self) -> str:
        # Rad 0 betyder att platsen inte har någon rad (en fil som inte finns, en flagga på
        # kommandoraden): då visas bara namnet, aldrig `:0:0`.
        if self.rad <= 0:
            return self.fil
        return f"{self.fil}:{self.rad}:{self.kolumn}"


@dataclass(frozen=True)
class Fel:
    """Ett inläsningsfel: en rad till användaren."""

    plats: Plats
    sokvag: str
    meddelande: str

    def __str__(self) -> str:
        if self.sokvag:
            return f"{self.plats}: {self.sokvag}: {self.meddelande}"
        return f"{self.plats}: {self.meddelande}"


class Inlasningsfel(Exception):
    """En eller flera `Fel` i indata. CLI:t skriver dem en per rad och avslutar med kod 2."""

    def __init__(self, fel: list[Fel], fler: int = 0):
        super().__init__("\n".join(str(f) for f in fel))
        self.fel = fel
        # Så många fel till som inte visas; den sista raden i `fel` säger det ("… och N fel till").
        self.fler = fler

    @property
    def visade(self) -> list[Fel]:
        """Felen utan den sista raden om dem som inte visas."""
        return self.fel[:-1] if self.fler else list(self.fel)


class Felsamlare:
    """Samlar fel från en inläsning: högst `MAX_FEL` visas, resten räknas i en sista rad."""

    def __init__(self, max_fel: int = MAX_FEL):
        self.fel: list[Fel] = []
        self.overskjutande = 0
        self.max_fel = max_fel

    def __call__(self, plats: Plats, sokvag: str, medd: str) -> None:
        self.lagg_till(Fel(plats, sokvag, medd))

    def lagg_till(self, fel: Fel) -> None:
        if len(self.fel) < self.max_fel:
            self.fel.append(fel)
        else:
            self.overskjutande += 1

    def __bool__(self) -> bool:
        return bool(self.fel)

    def kasta_om_fel(self, sortera: bool = False) -> None:
        """`Inlasningsfel` med felen (i filens ordning om `sortera`) och "… och N fel till" sist."""
        if self.fel:
            fel = sorted(self.fel, key=lambda f: (f.plats.fil, f.plats.rad, f.plats.kolumn)) if sortera else self.fel
            raise begransa(fel, self.overskjutande, self.max_fel)


def begransa(fel: list[Fel], fler: int = 0, max_fel: int = MAX_FEL) -> Inlasningsfel:
    """`Inlasningsfel` med högst `max_fel` fel och en sista rad "… och N fel till" om det var fler
    (`fler` är fel som redan räknats bort)."""
    fler += max(0, len(fel) - max_fel)
    fel = fel[:max_fel]
    if fler and fel:
        fel = fel + [Fel(fel[-1].plats, "", f"… och {fler} fel till")]
    return Inlasningsfel(fel, fler)


def sla_ihop(alla: list[Inlasningsfel], max_fel: int = MAX_FEL) -> Inlasningsfel:
    """Felen från flera inläsningar (t.ex. flera --utfall-filer) som ett `Inlasningsfel`."""
    return begransa([f for e in alla for f in e.visade], sum(e.fler for e in alla), max_fel)


def utan_foljdfel(fel: list[Fel], tidiga: list[Fel]) -> list[Fel]:
    """`fel` (från valideringen) utom de som bara följer av `tidiga` (fel i värden vid inläsningen,
    där värdet blev None): samma nyckelväg eller en förälder till den."""
    vagar = {f.sokvag for f in tidiga if f.sokvag}

    def foljd(s: str) -> bool:
        return s in vagar or any(v.startswith((s + ".", s + "[")) for v in vagar)

    return [f for f in fel if not foljd(f.sokvag)] if vagar else fel


def sokvag_text(sokvag: Sokvag) -> str:
    """Nyckelvägen som den visas i fel: `utforare.SV.volymer`, `[0].andringar[2]`. En nyckel längre
    än 60 tecken kortas (en nyckel ur indata kan vara hur lång som helst)."""
    delar = (f"[{s}]" if isinstance(s, int) else (str(s) if len(str(s)) <= 60 else f"{str(s)[:50]}…")
             for s in sokvag)
    return ".".join(delar).replace(".[", "[")


class Anvandningsfel(Exception):
    """Fel användning (okänd utförare, data som saknas för kommandot): en rad, slutkod 2."""


class Kontrollfel(Exception):
    """Data som en beräkning bygger på fallerar en kontroll: slutkod 1, en rad per kontroll
    (`kalkyl.resultat.Kontroll`, med `plats` och `meddelande`)."""

    def __init__(self, kontroller: list[Any]):
        super().__init__("\n".join(f"{k.plats}: {k.meddelande}" for k in kontroller))
        self.kontroller = kontroller


class Felrad(Exception):
    """En färdig rad till standard fel, skriven som den är (slutkod 2): `schema` med ett okänt slag,
    `init` som inte kan kopiera."""
