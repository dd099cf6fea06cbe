"""Tal och text i indata: gränserna och kontrollerna av tal.

Utfall och scenarier kommer ur uttag och handskrivna filer. Ett tal utanför de här gränserna är
ett skrivfel eller ett trasigt uttag, inte verklighet: det vägras med en rad (fil:rad:kolumn), i
stället för att räknas fel eller sluta i en traceback. Samma gränser gäller i CSV, YAML, JSON och
på kommandoraden; allt som kontrollerar tal i indata hämtar dem härifrån (också modellerna i
`modell` och `modell_indata` och JSON Schema i `schema`).

Ett löv: modulen importerar bara standardbiblioteket.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

# Antal per rad och månad i utfallet (också summan av en CSV-fils rader för samma rad och månad),
# och varje heltal i ett scenario (en volym, en volymändring eller ett pris i kr). Den största
# volymraden i uppdraget är några hundra tusen per år; tio miljoner är orimligt i alla dessa.
MAX_ANTAL = 10_000_000
# Belopp (tkr), andelar i procent och indikatorvärden, till beloppet.
MAX_BELOPP = Decimal(10) ** 12
# Ett decimaltal med fler värdesiffror än så, eller som är mindre än 10^-18, kan inte räknas exakt
# när det multipliceras med priser och volymer inom Decimal-kontextens 28 siffror.
MAX_VARDESIFFROR = 15
MAX_EXPONENT = 18
# Ett tal skrivet med fler tecken än så tolkas aldrig: längden kontrolleras före int() och
# Decimal() (int() vägrar text med mer än 4300 siffror med ett ValueError på engelska).
MAX_TALTEXT = 40
# Högst så här många nivåer av nästling i en YAML- eller JSON-fil (datafilerna har under tio).
MAX_DJUP = 64
# Högst så här många nycklar och värden (noder) i en YAML- eller JSON-fil. Uppdragsfilen har runt
# 3 700, en utfallsfil för ett år några tusen; en scenariofil med tiotusen scenarier runt 150 000
# (större batcher är CSV, som läses strömmande). Gränsen håller en fil inom ett par hundra MB och
# några sekunder, också när varje värde är fel.
MAX_YAML_NODER = 250_000
# Ett CSV-fält längre än så är ett citattecken som aldrig stängs, inte ett värde; en rad (mellan
# två radslut) längre än så är inte en rad i ett uttag.
MAX_CSV_FALT = 1024 * 1024
MAX_CSV_RAD = MAX_CSV_FALT
# En rubrikrad med fler kolumner än så vägras med ett fel (utfall har fyra kolumner, scenarier fem).
MAX_CSV_KOLUMNER = 64


def visa(v: Any, citat: bool = True, max_tecken: int = 40) -> str:
    """Ett värde ur indata som det visas i ett fel: tal som de skrivs (`1.5`, inte
    `Decimal('1.5')`), text inom citattecken, och aldrig tusentals tecken."""
    if v is None:
        return "inget värde"
    if isinstance(v, bool):
        return "sant" if v else "falskt"
    if isinstance(v, Decimal):
        s = str(v)
    elif isinstance(v, int):
        s = str(v) if v.bit_length() < 140 else f"ett heltal med över {MAX_TALTEXT} siffror"
    elif isinstance(v, str):
        s = v
        if len(s) > max_tecken:
            s = f"{s[: max_tecken - 10]}…"
            return (repr(s) if citat else s) + f" ({len(v)} tecken)"
        return repr(s) if citat else s
    else:
        s = str(v)
    return s if len(s) <= max_tecken else f"{s[: max_tecken - 10]}… ({len(s)} tecken)"


def svenskt_tal(n: int | Decimal) -> str:
    """10000000 → "10 000 000"."""
    return f"{n:,}".replace(",", " ")


def talfel(v: Decimal | int, *, max_belopp: Decimal = MAX_BELOPP) -> str | None:
    """None om talet är rimligt som belopp, andel eller indikatorvärde; annars ett svenskt skäl
    (inte ändligt, större än `max_belopp`, för litet eller för många värdesiffror för att räknas
    exakt). Talet självt står först i skälet."""
    if isinstance(v, int):
        return None if abs(v) <= max_belopp else f"{visa(v)} är orimligt stort (högst {svenskt_tal(max_belopp)})"
    if not v.is_finite():
        return f"{visa(v)} är inte ett ändligt tal"
    if not v:
        return None
    if v.adjusted() > MAX_EXPONENT or abs(v) > max_belopp:
        return f"{visa(v)} är orimligt stort (högst {svenskt_tal(max_belopp)})"
    if v.adjusted() < -MAX_EXPONENT:
        return f"{visa(v)} är för litet för att räknas exakt (minst 1E-{MAX_EXPONENT})"
    siffror = "".join(map(str, v.as_tuple().digits)).strip("0")
    if len(siffror) > MAX_VARDESIFFROR:
        return f"{visa(v)} har fler än {MAX_VARDESIFFROR} värdesiffror och kan inte räknas exakt"
    return None


def antalsfel(v: Any, *, tillat_negativa: bool = False, vad: str = "antal") -> str | None:
    """None om `v` är ett heltal 0…MAX_ANTAL (−MAX_ANTAL…MAX_ANTAL med `tillat_negativa`), annars
    ett svenskt skäl som börjar med `vad`."""
    if v is None:
        return f"{vad} saknas"
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        return f"{vad} {visa(v)} är inte ett tal; ska vara ett {'' if tillat_negativa else 'icke-negativt '}heltal"
    if isinstance(v, Decimal):
        return f"{vad} {visa(v)} är inte ett heltal"
    if v < 0 and not tillat_negativa:
        return f"{vad} {v} är negativt; ska vara ett icke-negativt heltal"
    if abs(v) > MAX_ANTAL:
        return f"{vad} {visa(v)} är orimligt stort (högst {svenskt_tal(MAX_ANTAL)})"
    return None


_HELTALSTEXT = re.compile(r"[+-]?[0-9]+")
_DECIMALTALSTEXT = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?")


def heltal_ur_text(text: str, *, tillat_negativa: bool = False, vad: str = "antal") -> tuple[int | None, str]:
    """Ett heltal skrivet som text (CSV, kommandoraden) → (talet, "") eller (None, svenskt skäl).
    Längden kontrolleras före int(): tusentals siffror ger ett skäl, aldrig ett ValueError."""
    s = text.strip().replace("\u2212", "-")
    if not s:
        return None, f"{vad} saknas"
    if len(s) > MAX_TALTEXT:
        return None, (f"{vad} har {len(s)} tecken, vilket inte är ett rimligt heltal "
                      f"(högst {svenskt_tal(MAX_ANTAL)})")
    if _HELTALSTEXT.fullmatch(s):
        v = int(s)
        medd = antalsfel(v, tillat_negativa=tillat_negativa, vad=vad)
        return (None, medd) if medd else (v, "")
    if _DECIMALTALSTEXT.fullmatch(s):
        if "e" in s.lower():
            return None, f"{vad} {s} är skrivet med exponent; ska vara ett heltal skrivet med siffror"
        return None, f"{vad} {s} är inte ett heltal"
    return None, f"{vad} {visa(s)} är inte ett tal; ska vara ett {'' if tillat_negativa else 'icke-negativt '}heltal"
