"""Pydantics valideringsfel på svenska, och valideringen av data mot en modell (`validera`).

En tabell för alla pydantic-fel som verktyget visar: för varje feltyp texten i en datafil (efter
nyckelvägen: `tillagg.besok.pris_kr: ska vara ett tal`) och mallen för ett värde på kommandoraden
(`klick`, med `{input}` och felets `ctx`). En feltyp som inte finns i tabellen blir "ogiltigt
värde" i en fil, aldrig pydantics engelska text.

Data med fler än `_STOR_DATA` nycklar och värden valideras i en början som växer tills felen räcker
att visa (`_validera_stor`): pydantic håller varje fel i minnet, och en fil där varje värde är fel
ska inte ge miljontals fel. Då säger sista raden "… och fler fel (minst N till …)".

Modulen importerar inte pydantic förrän något valideras (`klick` importerar den vid varje start).
"""

from __future__ import annotations

import os
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from vgr_ersattning.inlasning.fel import MAX_FEL, Fel, Inlasningsfel, Sokvag, begransa, sokvag_text

if TYPE_CHECKING:
    from vgr_ersattning.inlasning.yamlpos import Positioner

# Feltyp → (texten i en datafil, mallen på kommandoraden). None: feltypen visas inte där (en fil
# får "ogiltigt värde", kommandoraden click:s översatta text). Mallarna får felets `ctx` (`{ge}`,
# `{expected}`, …) och på kommandoraden `{input}`, det användaren skrev (med repr).
MEDDELANDEN: dict[str, tuple[str | None, str | None]] = {
    "missing": ("saknas", None),
    "extra_forbidden": ("okänd nyckel", None),
    "int_type": ("ska vara ett heltal", "{input} är inte ett heltal."),
    "int_from_float": ("ska vara ett heltal", "{input} är inte ett heltal."),
    "int_parsing": ("ska vara ett heltal", "{input} är inte ett heltal."),
    "int_parsing_size": ("är ett för stort heltal", None),
    "float_type": ("ska vara ett tal", "{input} är inte ett tal."),
    "float_parsing": ("ska vara ett tal", "{input} är inte ett tal."),
    "decimal_type": ("ska vara ett tal", None),
    "decimal_parsing": ("ska vara ett tal", "{input} är inte ett tal."),
    "finite_number": ("ska vara ett ändligt tal", None),
    "string_type": ("ska vara text", None),
    "string_too_short": ("är för kort", None),
    "string_too_long": ("är för lång", None),
    "string_pattern_mismatch": ("har fel form (tillåtet: a–z, 0–9 och _, se regelboken §2)", None),
    "dict_type": ("ska vara en mappning (nyckel: värde)", None),
    "mapping_type": ("ska vara en mappning (nyckel: värde)", None),
    "list_type": ("ska vara en lista", None),
    "tuple_type": ("ska vara en lista", None),
    "set_type": ("ska vara en lista", None),
    "bool_type": ("ska vara sant eller falskt", "{input} är inte ett sanningsvärde (true/false, yes/no, 1/0)."),
    "bool_parsing": ("ska vara sant eller falskt", "{input} är inte ett sanningsvärde (true/false, yes/no, 1/0)."),
    "model_type": ("ska vara en mappning (nyckel: värde)", None),
    "model_attributes_type": ("ska vara en mappning (nyckel: värde)", None),
    "too_short": ("har för få värden", None),
    "too_long": ("har för många värden", None),
    "none_required": ("ska vara tomt", None),
    "union_tag_invalid": ("har en okänd sort", None),
    "union_tag_not_found": ("saknar uppgift om sort", None),
    # Gränser: i en fil blir `ge` 0 "får inte vara negativt" (`fil_meddelande`).
    "greater_than_equal": ("ska vara minst {ge}", "värdet ska vara minst {ge}, inte {input}."),
    "greater_than": ("ska vara större än {gt}", "värdet ska vara större än {gt}, inte {input}."),
    "less_than_equal": ("får vara högst {le}", "värdet får vara högst {le}, inte {input}."),
    "less_than": ("ska vara mindre än {lt}", "värdet ska vara mindre än {lt}, inte {input}."),
    "literal_error": ("ska vara ett av {expected}", "{input} är inget giltigt val; välj {expected}."),
    "enum": (None, "{input} är inget giltigt val; välj {expected}."),
    "date_parsing": (None, "{input} är inte ett datum (ÅÅÅÅ-MM-DD)."),
    "date_from_datetime_parsing": (None, "{input} är inte ett datum (ÅÅÅÅ-MM-DD)."),
    "datetime_parsing": (None, "{input} är inte en tidpunkt (ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm:ss)."),
    "datetime_from_date_parsing": (None, "{input} är inte en tidpunkt (ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm:ss)."),
    "uuid_parsing": (None, "{input} är inte ett UUID."),
}


def flaggmall(typ: Any) -> str | None:
    """Mallen för ett pydantic-fel i ett värde på kommandoraden (med `{input}` och `ctx`), eller None."""
    texter = MEDDELANDEN.get(typ)
    return texter[1] if texter is not None else None


class _Ctx(dict):
    """Felets `ctx` för en mall: en uppgift som saknas visas som None (som i en f-sträng)."""

    def __missing__(self, nyckel: str) -> str:
        return "None"


def fil_meddelande(err: dict) -> str:
    """Ett pydantic-fel i en datafil på svenska; en feltyp som inte finns i `MEDDELANDEN` blir
    "ogiltigt värde", aldrig pydantics engelska text."""
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    if typ == "greater_than_equal" and str(ctx.get("ge")) == "0":
        return "får inte vara negativt"
    if typ in ("value_error", "assertion_error"):
        orsak = ctx.get("error")
        return str(orsak) if orsak is not None else "ogiltigt värde"
    mall = (MEDDELANDEN.get(typ) or (None, None))[0]
    if mall is None:
        return "ogiltigt värde"
    text = mall.format_map(_Ctx(ctx))
    return text.replace(" or ", " eller ") if typ == "literal_error" else text


def _packa_upp(typ: Any) -> Any:
    """`Annotated[X, …]` och `Optional[X]` → X (den första delen som inte är None)."""
    while True:
        ursprung = typing.get_origin(typ)
        if ursprung is typing.Annotated:
            typ = typing.get_args(typ)[0]
        elif ursprung is typing.Union or type(typ).__name__ == "UnionType":
            delar = [a for a in typing.get_args(typ) if a is not type(None)]
            if not delar:
                return typ
            typ = delar[0]
        else:
            return typ


def _tillatna_nycklar(modell: type, loc: Sokvag) -> list[str] | None:
    """Nycklarna som modellen tillåter där `loc` (en okänd nyckel) står, om de går att avgöra."""
    from pydantic import BaseModel, RootModel

    typ: Any = modell
    for steg in (*loc[:-1], None):
        typ = _packa_upp(typ)
        if isinstance(typ, type) and issubclass(typ, RootModel):
            typ = _packa_upp(typ.model_fields["root"].annotation)
        if steg is None:
            break
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            f = typ.model_fields.get(steg) if isinstance(steg, str) else None
            if f is None:
                return None
            typ = f.annotation
        elif typing.get_origin(typ) is dict:
            typ = typing.get_args(typ)[1]
        elif typing.get_origin(typ) in (list, tuple):
            typ = typing.get_args(typ)[0]
        else:
            return None
    if isinstance(typ, type) and issubclass(typ, BaseModel) and not issubclass(typ, RootModel):
        return list(typ.model_fields)
    return None


@contextmanager
def _utan_pydantic_tillagg() -> Iterator[None]:
    """Pydantic letar efter tillägg (plugins) bland alla installerade paket när en modells validerare
    byggs, vid första valideringen i processen: det tar tid som växer med miljön (många ms i en
    stor Python-miljö) och verktyget använder inga tillägg. Som Typer gör när den bygger sina
    parametrar: stängs av medan valideraren byggs, om användaren inte själv har valt."""
    if "PYDANTIC_DISABLE_PLUGINS" in os.environ:
        yield
        return
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
    try:
        yield
    finally:
        os.environ.pop("PYDANTIC_DISABLE_PLUGINS", None)


# Data med fler noder (nycklar och värden) än så valideras i en växande början (`_validera_stor`):
# pydantic håller varje fel i minnet, och en fil där varje värde har fem fel skulle annars ge
# miljontals fel, och gigabyte. Felen hämtas ur ett försök med högst `_FELDETALJER` fel.
_STOR_DATA = 20_000
_FELDETALJER = 20 * MAX_FEL


def validera(modell: type, data: Any, pos: Positioner, bas: Sokvag = ()):
    """Data → modell, eller `Inlasningsfel` med en rad per fel och deras positioner. `bas` är
    nyckelvägen till `data` i filen, när modellen bara gäller en del av den."""
    from pydantic import ValidationError

    if _noder(data, _STOR_DATA) > _STOR_DATA:
        return _validera_stor(modell, data, pos, bas)
    try:
        with _utan_pydantic_tillagg():
            return modell.model_validate(data)
    except ValidationError as e:
        fel = _fel(modell, e.errors(include_url=False), pos, bas, set())
        # En rad per problem, även om pydantic rapporterar samma sak flera gånger.
        unika = list(dict.fromkeys(fel))
        raise begransa(unika) from None


def _fel(modell: type, fellista: list[dict], pos: Positioner, bas: Sokvag, beskurna: set) -> list[Fel]:
    """Pydantics fel som `Fel`; fel som bara beror på att datan beskurits (`_beskuren`) tas bort."""
    fel = []
    for err in fellista:
        loc = tuple(x for x in err["loc"] if x != "[key]")
        # Fel inne i unionsvarianter (t.ex. 'function-plain[...]') är inte nycklar i filen.
        loc = tuple(x for x in loc if not (isinstance(x, str) and ("[" in x and "]" in x)))
        if beskurna and (loc in beskurna or (err.get("type") == "missing" and loc[:-1] in beskurna)):
            continue
        medd = fil_meddelande(err)
        if err.get("type") == "extra_forbidden":
            try:
                tillatna = _tillatna_nycklar(modell, loc)
            except Exception:   # noqa: BLE001 - bara en ledtråd; utan den är felet detsamma
                tillatna = None
            if tillatna:
                medd += f" (tillåtna: {', '.join(tillatna)})"
        fel.append(Fel(pos.plats(bas + loc), sokvag_text(bas + loc), medd))
    return fel


def _noder(data: Any, grans: int) -> int:
    """Antalet nycklar och värden i datan, men aldrig räknat långt förbi `grans`."""
    antal = 1
    if isinstance(data, (dict, list)):
        for v in (data.values() if isinstance(data, dict) else data):
            antal += _noder(v, grans - antal)
            if antal > grans:
                break
    return antal


def _beskuren(data: Any, budget: list[int], vag: Sokvag, beskurna: set) -> Any:
    """Början av datan, högst `budget[0]` nycklar och värden i filens ordning. Varje mappning och
    lista som inte kom med hel hamnar i `beskurna` (deras egna fel kan bero på beskärningen)."""
    if isinstance(data, dict):
        ut: dict = {}
        for k, v in data.items():
            if budget[0] <= 0:
                beskurna.add(vag)
                break
            budget[0] -= 1
            ut[k] = _beskuren(v, budget, vag + (k,), beskurna)
        return ut
    if isinstance(data, list):
        lista = []
        for i, v in enumerate(data):
            if budget[0] <= 0:
                beskurna.add(vag)
                break
            budget[0] -= 1
            lista.append(_beskuren(v, budget, vag + (i,), beskurna))
        return lista
    return data


def _validera_stor(modell: type, data: Any, pos: Positioner, bas: Sokvag):
    """Stor data: valideras i en början som fördubblas (en giltig fil blir till sist validerad
    hel, med högst dubbla arbetet) tills felen räcker att visa; felen hämtas ur ett försök med
    mellan `MAX_FEL` och `_FELDETALJER` fel. Så växer minnet för felen aldrig med filen."""
    from pydantic import ValidationError

    def forsok(budget: int) -> tuple[Any, int, set]:
        beskurna: set = set()
        kopia = _beskuren(data, [budget], (), beskurna)
        try:
            with _utan_pydantic_tillagg():
                return modell.model_validate(kopia), 0, beskurna
        except ValidationError as e:
            return None, e.error_count(), beskurna

    lag, hog = 0, _STOR_DATA
    while True:
        resultat, antal, beskurna = forsok(hog)
        if not beskurna and not antal:
            return resultat
        if antal >= MAX_FEL or not beskurna:
            break
        lag, hog = hog, hog * 2
    while antal > _FELDETALJER and hog - lag > 1:
        mitt = (lag + hog) // 2
        _, n, b = forsok(mitt)
        if n < MAX_FEL:
            lag = mitt
        else:
            hog, antal, beskurna = mitt, n, b
    beskurna = set()
    kopia = _beskuren(data, [hog], (), beskurna)
    try:
        with _utan_pydantic_tillagg():
            modell.model_validate(kopia)
        fel: list[Fel] = []
    except ValidationError as e:
        fel = list(dict.fromkeys(_fel(modell, e.errors(include_url=False), pos, bas, beskurna)))
    if not beskurna:
        raise begransa(fel)
    visade = fel[:MAX_FEL - 1]
    if len(fel) > len(visade) or not visade:
        plats = visade[-1].plats if visade else pos.plats(bas)
        visade.append(Fel(plats, "", f"… och fler fel (minst {max(1, len(fel) - len(visade))} till; en så stor "
                                     f"fil granskas bara tills {MAX_FEL} fel har hittats)"))
    raise Inlasningsfel(visade)
