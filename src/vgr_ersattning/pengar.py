"""Pengar (regelboken §1): Decimal, enheter kr/tkr/mnkr, avrundning half up, svenskt talformat.

Inget i kärnan avrundas; avrundning sker här, när ett tal visas, eller där en regel säger det.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NOLL = Decimal(0)
ETT = Decimal(1)
HUNDRA = Decimal(100)
TUSEN = Decimal(1000)
MILJON = Decimal(1_000_000)

# Hur många decimaler ett belopp högst bär i maskinformat (JSON/CSV): öre.
_MASKIN_DECIMALER = {"kr": 2, "tkr": 5, "mnkr": 8, "procent": 6, "antal": 6}


def tkr_till_kr(tkr: Decimal) -> Decimal:
    """Regelboken §1: tusen kronor till kronor, exakt."""
    return tkr * TUSEN


def mnkr_till_kr(mnkr: Decimal) -> Decimal:
    """Regelboken §1: miljoner kronor till kronor, exakt."""
    return mnkr * MILJON


def avrunda(varde: Decimal, decimaler: int = 0) -> Decimal:
    """Avrundning half up (svensk kronavrundning), regelboken §1."""
    return varde.quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)


def fordela_avrundning(varden, decimaler: int = 0) -> tuple[Decimal, ...]:
    """Avrundar en följd så att de avrundade talen summerar till den avrundade summan: varje tal
    blir `avrunda(kumulativ summa) − avrunda(föregående kumulativa summa)` (half up). En kolumn i
    en tabell stämmer då med sin summarad (planens tolftedelar av 263 497 958 kr visas som hela
    kronor som summerar till 263 497 958)."""
    ut = []
    kumulativ = NOLL
    fore = NOLL
    for v in varden:
        kumulativ += v
        nu = avrunda(kumulativ, decimaler)
        ut.append(nu - fore)
        fore = nu
    return tuple(ut)


def _grupperad(heltal: str) -> str:
    delar = []
    while len(heltal) > 3:
        delar.append(heltal[-3:])
        heltal = heltal[:-3]
    delar.append(heltal)
    return " ".join(reversed(delar))


def svensk(varde: Decimal | int | None, decimaler: int = 0) -> str:
    """Svenskt talformat för tabeller: `1 234 567`, `68 753,4`, `−1`."""
    if varde is None:
        return "–"
    d = avrunda(Decimal(varde), decimaler)
    tecken = "−" if d < 0 else ""
    text = f"{abs(d):f}"
    heltal, _, bråk = text.partition(".")
    ut = tecken + _grupperad(heltal)
    if bråk:
        ut += "," + bråk
    return ut


def svensk_procent(andel_procent: Decimal | None, decimaler: int = 1) -> str:
    """`2,2 %` ur ett procenttal (inte en andel)."""
    if andel_procent is None:
        return "–"
    return f"{svensk(andel_procent, decimaler)} %"


def maskin(varde: Decimal | int | None, enhet: str = "kr") -> str | None:
    """Maskinformat för JSON/CSV: exakt decimal som text (`"263497958"`, `"250.5"`).

    Tal med fler decimaler än enheten bär (t.ex. en planprofil i tolftedelar) avrundas half up
    till öre (kr) respektive motsvarande för tkr; heltal skrivs utan decimaler.
    """
    if varde is None:
        return None
    d = Decimal(varde)
    if d == d.to_integral_value():
        return str(int(d))
    maxdec = _MASKIN_DECIMALER.get(enhet, 6)
    if -d.as_tuple().exponent > maxdec:
        d = avrunda(d, maxdec)
    text = f"{d.normalize():f}"
    return text
