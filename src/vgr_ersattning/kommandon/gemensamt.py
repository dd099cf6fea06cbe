"""Det som kommandonas byggsteg delar: resultatet (`Korning`), sammanhanget de får av körningen,
valet av utförare och månad, och antagandena en siffra bygger på."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from vgr_ersattning.alternativ import Val
from vgr_ersattning.inlasning.fel import Anvandningsfel, Felrad  # noqa: F401 (Felrad: kommandonas fel)
from vgr_ersattning.inlasning.underlag import Underlag
from vgr_ersattning.kalkyl.period import MANAD, Periodfel, tolka
from vgr_ersattning.kalkyl.resultat import BESLUT


class Stopp(Exception):
    """En kontroll som siffrorna bygger på fallerar: raderna skrivs som de är, ingen siffra visas
    (slutkod 1)."""

    def __init__(self, rader: list[str]):
        super().__init__("\n".join(rader))
        self.rader = rader


@dataclass
class Korning:
    """Ett kommandos resultat: rapporten som renderarna visar, underlaget den räknades på, varningar
    (underkända kontroller som inte rör rapportens siffror) och effekterna som körningen utför när
    rapporten är renderad och skriven till en temporär fil. `meddelanden` är rader till standard fel
    efter utdata; `slutkod` kommandots egen (1 när en kontroll fallerar)."""

    resultat: Any
    underlag: Optional[Underlag] = None
    utfall: Any = None
    varningar: list = field(default_factory=list)
    beslut: Any = None              # inlasning.beslut.Beslutslista
    effekter: list = field(default_factory=list)
    slutkod: int = 0
    meddelanden: list = field(default_factory=list)
    arsplan: Optional[tuple] = None     # planens tilläggsersättning per månad (arbetsbokens diagram)

    def kalla(self, k) -> tuple[str, str]:
        if k.dokument == BESLUT and self.beslut is not None:
            uid, index = k.sokvag
            b = self.beslut.for_utforare(uid)[index]
            organ = f"{b.organ} {b.datum}" + (f" {b.paragraf}" if b.paragraf else "")
            return str(self.beslut.plats(uid, index)), f"{b.kalla} ({organ}, gäller från {b.fran})"
        if self.underlag is None:
            return "", ""
        return self.underlag.los_upp(k, self.utfall)


@dataclass
class Sammanhang:
    """Det körningen har läst åt kommandot: valen, kommandots egna argument, underlaget, utfallet och
    besluten (None när de inte gavs), och en läsare för fler utfall (`jamfor`)."""

    val: Val
    argument: dict
    underlag: Optional[Underlag] = None
    utfall: Any = None
    beslut: Any = None
    las_utfall: Callable[..., Any] = lambda filer: None
    las_beslut: Callable[..., Any] = lambda filer: None
    scenarieframsteg: Callable[..., Any] = lambda antal, byte=False: None

    @property
    def utforare(self) -> Optional[str]:
        return self.val.utforare


def valj_utforare(data: Underlag, uid: Optional[str], *krav: str, utfall=None, eller: tuple[str, ...] = ()) -> str:
    """Utföraren: den angivna, annars den enda som har data för kommandot (bland dem som har utfall
    i utfallsfilerna, när sådana ges). `eller` är data som räcker i stället för `krav` för en utförare
    som inte har något av `krav` (utbetala: volymer och ram, eller bara målrelaterad ersättning 1177)."""
    if uid:
        if eller and bara(data.utforare(uid), eller, krav):
            return uid.upper()
        if eller and not any(getattr(data.utforare(uid), k) is not None for k in krav):
            raise Anvandningsfel(f"{uid.upper()} saknar {' och '.join(krav)} (eller {' och '.join(eller)}) i "
                                 f"{data.uppdrag_namn} (utförare med data för kommandot: "
                                 f"{', '.join(med_data(data, krav, eller)) or 'inga'})")
        data.utforare(uid, *krav)
        return uid.upper()
    finns = med_data(data, krav, eller)
    if utfall is not None and len(finns) > 1:
        i_utfallet = set(utfall.produktion) | set(utfall.avrakning) | set(utfall.indikatorer) | set(utfall.malrelaterad)
        finns = [u for u in finns if u in i_utfallet] or finns
    if len(finns) == 1:
        return finns[0]
    raise Anvandningsfel("ange utförare med --utforare/-u (utförare med data för kommandot: "
                         f"{', '.join(finns) or 'inga'})")


def bara(u, eller: tuple[str, ...], krav: tuple[str, ...]) -> bool:
    """Om utföraren `u` har allt i `eller` och inget av `krav` (en utförare med bara 1177)."""
    return all(getattr(u, x) is not None for x in eller) and all(getattr(u, k) is None for k in krav)


def med_data(data: Underlag, krav: tuple[str, ...], eller: tuple[str, ...] = ()) -> list[str]:
    """Utförarna med allt i `krav`, och (med `eller`) de med allt i `eller` och inget av `krav`, i
    uppdragets ordning."""
    finns = set(data.med_data(*krav))
    if eller:
        finns |= {k for k, v in data.uppdrag.modell.utforare.items() if bara(v, eller, krav)}
    return [k for k in data.uppdrag.modell.utforare if k in finns]


def manad(text: Optional[str], ar: int, flagga: str = "--till-och-med") -> Optional[int]:
    if text is None:
        return None
    try:
        return tolka(text, slag=(MANAD,), ar=ar).nummer
    except Periodfel as e:
        raise Anvandningsfel(f"{flagga} {text}: {e}") from None


def period(text: str, ar: int, slag: str):
    try:
        return tolka(text, slag=(slag,), ar=ar)
    except Periodfel as e:
        raise Anvandningsfel(str(e)) from None


def antaganden(data: Underlag, ider) -> dict:
    """Antagandena `ider` (A1, A2, …, A14 i nummerordning) med sina texter ur uppdragets data."""
    alla = data.uppdrag.modell.antaganden
    return {a: alla[a] for a in sorted(set(ider), key=antagandeordning) if a in alla}


def antagandeordning(a: str) -> tuple:
    """A3 före A14: numret som tal."""
    return (int(a[1:]), a) if a[1:].isdigit() else (10 ** 9, a)
