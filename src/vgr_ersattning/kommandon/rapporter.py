"""Rapporterna som kommandona bygger och renderarna visar. De är NamedTuple: de läses bara med namn
av renderarna, och en NamedTuple är billig att skapa när modulen importeras."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, NamedTuple, Optional


class Utbildningsplatser(NamedTuple):
    """En utförares AT-platser och ST-A-platser (specialitet → platser), som uppdraget listar dem."""

    utforare: str
    namn: str
    at: Optional[int]
    st_a: Mapping
    kalla_at: str
    kalla_st_a: str


class Kontrollrapport(NamedTuple):
    kontroller: list
    anmarkningar: list            # (utförare, Anmarkning) – regelboken §14
    platser: tuple = ()           # Utbildningsplatser per utförare med AT- eller ST-A-platser

    @property
    def ok(self) -> bool:
        return all(k.ok for k in self.kontroller)


class Avrakningsrapport(NamedTuple):
    ar: int
    utforare: str
    resultat: Any
    antaganden: Mapping


class Bryggrapport(NamedTuple):
    utforare: str
    resultat: Any
    brygga: Any                   # modellen (radernas namn och anmärkningar)


class Malrapport(NamedTuple):
    ar: int
    utforare: str
    resultat: Any
    antaganden: Mapping


class Uppfoljningsrapport(NamedTuple):
    utforare: str
    period: Any
    bedomningar: list


class Kalenderrapport(NamedTuple):
    utforare: str
    tillfallen: list
    indikatorer: Mapping
    agare: Mapping                # nyckel → utförare vars uppdrag indikatorn hör till

    def indikator_id(self, nyckel: str) -> str:
        return nyckel.split(".", 1)[1] if "." in nyckel else nyckel


class Scenariorapport(NamedTuple):
    """Scenariernas resultat: en lista, eller med `strom` en ström som räknar och lämnar varje
    resultat till en skrivare när det strömmande formatet skriver (`visning.strom`)."""

    utforare: str
    resultat: list
    delegation_kr: Decimal
    med_utfall: bool
    strom: Any = None


class Prognosrapport(NamedTuple):
    ar: int
    namn: str
    resultat: Any
    antaganden: Mapping
    grupper: Mapping              # gruppernas namn ur volymtabellen


class Jamforelserapport(NamedTuple):
    ar: int
    namn: str
    resultat: Any
    antaganden: Mapping


class Utbetalningsrapport(NamedTuple):
    resultat: Any                 # kalkyl.utbetalning.Manadsbetalning
    bokford: bool                 # månaden är bokförd, av den här körningen eller tidigare
    antaganden: Mapping
    kvittens: Optional[str] = None          # månadens kedjevärde när den är bokförd (regelboken §21)
    bokfort: Optional[Mapping] = None       # förhandsvisning av en redan bokförd månad: det bokförda, komponent → kr
    bokfort_kr: Optional[Decimal] = None    # summan av det bokförda
    differens_kr: Optional[Decimal] = None  # nuvarande uttag − det bokförda


class Forklaringsrapport(NamedTuple):
    figur: str
    nod: Any
    antaganden: Mapping


class Figurlista(NamedTuple):
    figurer: list                 # (namn, beskrivning)


class Antagandelista(NamedTuple):
    antaganden: Mapping
    anvandning: Mapping           # id → [fil:rad:kolumn där antagandet verkar]


class Prisrapport(NamedTuple):
    rader: tuple
    kalla: str
    ar: int                       # prisfilens år

