"""Datafilerna (uppdraget och priserna): YAML med positioner → validerad modell, ett `Dokument`.

Filerna tolkas och valideras vid varje körning. Vilken fil som läses avgör `datakatalog`.

Ett utkast (`utkast: true` överst, skrivet av `ersattning init --ar ÅÅÅÅ`, regelboken §24) får lämna de
värden tomma (`null`) som nämnden ännu inte har beslutat. I ett utkast är ett tomt värde där
modellen kräver ett värde, eller ett tomt fält (inte ett tomt värde i en tabell, som ett pris som
saknas), en lucka: det valideras med en platshållare (0, tom text) och står i `Dokument.luckor`,
så att kontrollen kan lista det som återstår och en beräkning vägra utkastet. I en fil som inte är
ett utkast är ett tomt värde det fel det alltid är.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, sokvag_text
from vgr_ersattning.inlasning.kallor import las_text
from vgr_ersattning.inlasning.pydanticfel import validera
from vgr_ersattning.inlasning.yamlpos import Positioner, las_yaml_text
from vgr_ersattning.modell import Priser, Uppdrag

# Nyckeln överst i en uppdrags- eller prisfil som märker den som ett utkast (regelboken §24).
UTKAST = "utkast"


@dataclass(frozen=True)
class Dokument:
    """En validerad modell, var i filen varje värde står, om filen är ett utkast och i så fall
    nyckelvägarna till de värden som står tomma (att fylla i)."""

    modell: Any
    positioner: Positioner
    luckor: tuple[tuple, ...] = ()
    utkast: bool = False


def las_dokument(sokvag: Path, modell: type) -> Dokument:
    """En datafil som modellen `modell` (`Uppdrag` eller `Priser`); `Inlasningsfel` med en rad per
    fel. Nyckeln `utkast` överst (sant eller falskt) hör till filen, inte till modellen."""
    namn, text = las_text(sokvag)
    data, pos = las_yaml_text(text, namn)
    luckor: tuple[tuple, ...] = ()
    utkast = False
    if isinstance(data, dict) and UTKAST in data:
        data = dict(data)
        utkast = data.pop(UTKAST)
        if not isinstance(utkast, bool):
            raise Inlasningsfel([Fel(pos.plats((UTKAST,)), UTKAST, "ska vara sant eller falskt (true eller false)")])
        if utkast:
            data, luckor = fyll_luckor(modell, data)
    return Dokument(validera(modell, data, pos), pos, luckor, utkast)


def las_uppdrag(sokvag: Path) -> Dokument:
    return las_dokument(sokvag, Uppdrag)


def las_priser(sokvag: Path) -> Dokument:
    return las_dokument(sokvag, Priser)


# --- utkastets luckor --------------------------------------------------------------------------


def fyll_luckor(modell: type, data: Any) -> tuple[Any, tuple[tuple, ...]]:
    """Utkastets data med en platshållare i varje lucka, och luckornas nyckelvägar i filens ordning."""
    luckor: list[tuple] = []

    def fyll(varde: Any, typ: Any, vag: tuple, i_tabell: bool) -> Any:
        if varde is None:
            if i_tabell and _valfri(typ):
                return None            # ett tomt värde i en tabell är data (t.ex. inget pris)
            platshallare = _platshallare(_packa_upp(typ))
            if platshallare is None:
                return None
            luckor.append(vag)
            return platshallare
        bas = _packa_upp(typ)
        if isinstance(varde, dict):
            if isinstance(bas, type) and issubclass(bas, BaseModel):
                falt = bas.model_fields
                return {k: fyll(v, falt[k].annotation, vag + (k,), False) if k in falt else v
                        for k, v in varde.items()}
            if typing.get_origin(bas) is dict:
                vardetyp = typing.get_args(bas)[1]
                return {k: fyll(v, vardetyp, vag + (k,), True) for k, v in varde.items()}
            return varde
        if isinstance(varde, list) and typing.get_origin(bas) is list:
            element = typing.get_args(bas)[0]
            return [fyll(v, element, vag + (i,), True) for i, v in enumerate(varde)]
        return varde

    return fyll(data, modell, (), False), tuple(luckor)


def typ_vid(modell: type, sokvag: tuple) -> Any:
    """Typen som modellen har på nyckelvägen (None när den inte går att avgöra)."""
    typ: Any = modell
    for steg in sokvag:
        typ = _packa_upp(typ)
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            falt = typ.model_fields.get(steg) if isinstance(steg, str) else None
            if falt is None:
                return None
            typ = falt.annotation
        elif typing.get_origin(typ) is dict:
            typ = typing.get_args(typ)[1]
        elif typing.get_origin(typ) is list:
            typ = typing.get_args(typ)[0]
        else:
            return None
    return typ


def ar_tabell(modell: type, sokvag: tuple) -> bool:
    """Om nyckelvägen pekar på en mappning med data som nycklar (rader, poster, priser per utförare),
    inte på en modell med fält."""
    return typing.get_origin(_packa_upp(typ_vid(modell, sokvag))) is dict


def _valfri(typ: Any) -> bool:
    """`Optional[X]`: typen tillåter None."""
    while typing.get_origin(typ) is typing.Annotated:
        typ = typing.get_args(typ)[0]
    ursprung = typing.get_origin(typ)
    return (ursprung is typing.Union or type(typ).__name__ == "UnionType") and type(None) in typing.get_args(typ)


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


def _platshallare(typ: Any) -> Any:
    """Ett värde av typen som modellen godtar i en lucka (None för mappningar, listor och modeller:
    ett tomt block är inte en lucka utan det fel det är)."""
    if typing.get_origin(typ) is typing.Literal:
        return typing.get_args(typ)[0]
    if typ is bool:
        return False
    if typ is int:
        return 0
    if typ is Decimal:
        return Decimal(0)
    if typ is str:
        return ""
    return None


def luckornas_grupper(dok: Dokument) -> list[tuple[tuple, str, int]]:
    """Utkastets luckor som rader att läsa: (första luckans nyckelväg, text, antal luckor). Luckor i
    samma block slås ihop (`utforare.SV.ersattningsram: belopp_tkr, kalla`), och block i en tabell
    med samma luckor likaså (`utforare.SV.volymer.rader.*: uppdrag, bas, tillagg (48 st)`)."""
    modell = type(dok.modell)
    block: dict[tuple, list[tuple]] = {}
    for vag in dok.luckor:
        block.setdefault(vag[:-1], []).append(vag)
    grupper: dict[tuple, list[tuple]] = {}
    for foralder, vagar in block.items():
        falt = tuple(str(v[-1]) for v in vagar)
        if foralder and ar_tabell(modell, foralder[:-1]) and not ar_tabell(modell, foralder):
            nyckel = (foralder[:-1], falt, True)
        else:
            nyckel = (foralder, falt, False)
        grupper.setdefault(nyckel, []).extend(vagar)
    ut = []
    for (vag, falt, tabell), luckor in grupper.items():
        antal_block = len(luckor) // len(falt)
        if tabell and antal_block == 1:
            vag, tabell = luckor[0][:-1], False
        text = sokvag_text(vag) + (".*" if tabell else "")
        text = f"{text}: {', '.join(falt)}" if text else ", ".join(falt)
        ut.append((luckor[0], text + (f" ({antal_block} st)" if tabell else ""), len(luckor)))
    return ut
