"""YAML (och JSON) med positioner: text → Python-data och var i filen varje nyckelväg står.

Tal blir int eller Decimal, aldrig float. Vägras, med rad och kolumn: dubblerade nycklar,
ankare och alias (skydd mot aliasbomber), sammanslagning (<<), okända taggar, tal som inte är
ändliga eller har orimligt många tecken, för djup nästling och allt som inte är giltig YAML.
LibYAML:s och PyYAML:s felbeskrivningar visas på svenska.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats, Sokvag, sokvag_text
from vgr_ersattning.inlasning.kallor import MAX_YAML_BYTE, YAML, las_text
from vgr_ersattning.inlasning.tal import MAX_DJUP, MAX_TALTEXT, visa


@dataclass
class Positioner:
    """Var i filen varje nyckelväg står (rad och kolumn, 1-baserade)."""

    fil: str
    karta: dict[Sokvag, tuple[int, int]] = field(default_factory=dict)

    def plats(self, sokvag: Sokvag) -> Plats:
        """Platsen för nyckelvägen, eller för dess närmaste förälder som finns i filen."""
        sokvag = tuple(sokvag)
        while sokvag:
            if sokvag in self.karta:
                rad, kol = self.karta[sokvag]
                return Plats(self.fil, rad, kol)
            sokvag = sokvag[:-1]
        rad, kol = self.karta.get((), (1, 1))
        return Plats(self.fil, rad, kol)


_HELTAL = re.compile(r"[-+]?[0-9]+")
_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MERGE = _TAG + "merge"
_NODER = (yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode)


# LibYAML:s och PyYAML:s felbeskrivningar på svenska. En beskrivning som inte finns här visas som
# ett allmänt svenskt fel, aldrig på engelska. {format} blir YAML eller JSON.
_YAML_PROBLEM = {
    "did not find expected node content": "hittade inget värde där ett värde väntades",
    "mapping values are not allowed here": "ett kolon (nyckel: värde) är inte tillåtet här",
    "mapping values are not allowed in this context": "ett kolon (nyckel: värde) är inte tillåtet här",
    "mapping keys are not allowed in this context": "en nyckel (?) är inte tillåten här",
    "block sequence entries are not allowed in this context": "ett listelement (-) är inte tillåtet här",
    "could not find expected ':'": "hittade inte väntat kolon (:)",
    "found unexpected ':'": "ett oväntat kolon (:)",
    "did not find expected key": "hittade inte väntad nyckel (fel indrag?)",
    "found character that cannot start any token": "ett tecken som inte kan inleda ett värde",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (ett citattecken som inte stängs?)",
    "did not find expected ',' or ']'": "saknar ',' eller ']'",
    "did not find expected ',' or '}'": "saknar ',' eller '}'",
    "did not find expected '-' indicator": "saknar '-' (fel indrag i en lista?)",
    "found unknown escape character": "okänd escape-sekvens i en sträng",
    "expected a single document in the stream": "filen ska innehålla ett enda {format}-dokument",
    "but found another document": "filen innehåller mer än ett {format}-dokument",
    "did not find expected <document start>": "filen innehåller mer än ett {format}-dokument eller text efter dokumentet",
    "did not find expected comment or line break": "oväntad text efter | eller > (ett blockvärde)",
    "found an indentation indicator equal to 0": "indraget i ett blockvärde (| eller >) får inte vara 0",
    "did not find expected alphabetic or numeric character": "ett ankare eller alias (& eller *) utan namn",
    "found undefined alias": "ankare och alias (& och *) stöds inte",
    "second occurrence": "ankare och alias (& och *) stöds inte",
    "could not find expected directive name": "ett direktiv (%) utan namn",
    "found unexpected non-alphabetical character": "ett ogiltigt tecken i ett direktiv (%)",
    "found unknown directive name": "okänt direktiv (%)",
    "found duplicate %YAML directive": "direktivet %YAML förekommer två gånger",
    "found duplicate %TAG directive": "direktivet %TAG förekommer två gånger",
    "found incompatible YAML document": "YAML-versionen stöds inte (bara 1.1)",
    "did not find expected whitespace or line break": "en tagg (!) måste följas av ett mellanslag",
    "did not find URI escaped octet": "en ogiltig %-kod i en tagg (!)",
    "did not find expected tag URI": "en tagg (!) utan namn",
    "did not find the expected '>'": "saknar '>' i en tagg (!<…>)",
    "found undefined tag handle": "okänd tagg (!)",
    "found an incorrect leading UTF-8 octet": "ett ogiltigt tecken i en tagg (!)",
    "found an incorrect trailing UTF-8 octet": "ett ogiltigt tecken i en tagg (!)",
    "found a tab character where an indentation space is expected": "tabbtecken",
    "found a tab character that violates indentation": "tabbtecken",
    "exceeded maximum nesting depth": f"filen är nästlad i för många nivåer (högst {MAX_DJUP})",
}
_NASTLING = f"filen är nästlad i för många nivåer (högst {MAX_DJUP})"
_ALIAS = "ankare och alias (& och *) stöds inte"


def _yaml_laddare():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def las_yaml(sokvag: Path, max_byte: int = MAX_YAML_BYTE) -> tuple[Any, Positioner]:
    """YAML-fil → (data, positioner). Tal blir int eller Decimal, aldrig float.

    Vägrar: dubblerade nycklar, ankare/alias (skydd mot aliasbomber), okända taggar, tal som
    inte är ändliga, och allt som inte är giltig YAML, med rad och kolumn.
    """
    namn, text = las_text(sokvag, max_byte)
    return las_yaml_text(text, namn)


def _rad_kolumn(text: str, index: int) -> tuple[int, int]:
    fore = text[:index]
    return fore.count("\n") + 1, index - (fore.rfind("\n") + 1) + 1


def las_yaml_text(text: str, namn: str, *, format: str = YAML, nycklar_som_text: bool = False,
                  tal_som_yaml12: bool = False, fel_ut: list[Fel] | None = None) -> tuple[Any, Positioner]:
    """YAML- eller JSON-text → (data, positioner). `format` ("YAML" eller "JSON") är det som står i
    felen. Med `nycklar_som_text` är varje nyckel texten som den står i filen (`2026` är "2026",
    inte heltalet 2026), för filer där nycklarna är id och perioder. Med `tal_som_yaml12` är ett
    tal utan citattecken som `1e40` eller `1.5e3` ett tal (som i YAML 1.2 och JSON), inte text
    (som i YAML 1.1): då får det sitt fel som tal.

    Med `fel_ut` läggs fel i enskilda värden och nycklar (ett tal som inte går att använda, en
    nyckel två gånger) där i stället för att kastas, och datan returneras med None i värdets ställe,
    så att anroparen kan rapportera dem tillsammans med sina egna. Fel i hela filen (ogiltig syntax,
    alias, för djup nästling) kastas alltid."""
    pos = Positioner(namn)
    laddare = _yaml_laddare()(text)
    try:
        try:
            nod = laddare.get_single_node()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            rad, kol = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = (e.problem or e.context or "").strip()
            rader = text.splitlines()
            radtext = rader[rad - 1] if 0 < rad <= len(rader) else ""
            oversatt = _YAML_PROBLEM.get(problem) or _YAML_PROBLEM.get((e.context or "").strip())
            if oversatt == "tabbtecken" or (format == YAML and "\t" in radtext[: max(kol, 1)]):
                medd = "tabbtecken är inte tillåtna för indrag i YAML (använd mellanslag)"
            elif oversatt == _NASTLING:
                medd = _NASTLING
            else:
                medd = f"ogiltig {format}: " + (oversatt or "texten går inte att tolka här").replace("{format}", format)
            raise Inlasningsfel([Fel(Plats(namn, rad, kol), "", medd)]) from None
        except yaml.reader.ReaderError as e:
            rad, kol = _rad_kolumn(text, e.position) if isinstance(e.position, int) else (1, 1)
            tecken = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "?")
            raise Inlasningsfel([Fel(Plats(namn, rad, kol), "",
                                     f"ogiltig {format}: styrtecknet 0x{tecken:02x} är inte tillåtet")]) from None
        except yaml.YAMLError:
            raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"ogiltig {format}: texten går inte att tolka")]) from None
        except RecursionError:
            raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", _NASTLING)]) from None
    finally:
        laddare.dispose()
    if nod is None:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", "filen är tom")])
    fel: list[Fel] = []
    pos.karta[()] = (nod.start_mark.line + 1, nod.start_mark.column + 1)
    tillstand = _Tillstand(pos, fel, nycklar_som_text, tal_som_yaml12)
    data = _nod_till_data(nod, (), tillstand)
    if tillstand.alias is not None:
        # Ett alias är samma nod som sitt ankare: bara händelserna vet var aliaset står. Ett fel,
        # hur många gånger noden än återkommer (en aliasbomb gav annars en rad per förekomst).
        rad_kol = _forsta_alias(text)
        fel.append(Fel(Plats(namn, *rad_kol), "", _ALIAS) if rad_kol else
                   Fel(pos.plats(tillstand.alias), sokvag_text(tillstand.alias), _ALIAS))
    if tillstand.for_djup is not None:
        fel.append(Fel(pos.plats(tillstand.for_djup), "", _NASTLING))
    if fel and (fel_ut is None or tillstand.alias is not None or tillstand.for_djup is not None):
        raise Inlasningsfel(sorted(fel, key=lambda f: (f.plats.rad, f.plats.kolumn)))
    if fel_ut is not None:
        fel_ut.extend(fel)
    return data, pos


def _forsta_alias(text: str) -> tuple[int, int] | None:
    """Raden och kolumnen för filens första alias (`*namn`)."""
    laddare = _yaml_laddare()(text)
    try:
        while laddare.check_event():
            h = laddare.get_event()
            if isinstance(h, yaml.AliasEvent):
                return h.start_mark.line + 1, h.start_mark.column + 1
    except yaml.YAMLError:
        return None
    finally:
        laddare.dispose()
    return None


@dataclass
class _Tillstand:
    pos: Positioner
    fel: list[Fel]
    nycklar_som_text: bool
    tal_som_yaml12: bool = False
    sedda: set[int] = field(default_factory=set)
    alias: Sokvag | None = None        # den första nyckelvägen där en nod återkom
    for_djup: Sokvag | None = None     # den första nyckelvägen djupare än MAX_DJUP


def _nod_till_data(nod, sokvag: Sokvag, t: _Tillstand) -> Any:
    mapping, sekvens, skalar = _NODER
    if id(nod) in t.sedda:
        if t.alias is None:
            t.alias = sokvag
        return None
    t.sedda.add(id(nod))
    slag = type(nod)
    if slag is skalar:
        # Det vanligaste: ett enkelt värde (text först, det är de flesta).
        if nod.tag == _STR and not t.tal_som_yaml12:
            return nod.value
        return _skalar(nod, sokvag, t.pos, t.fel, t.tal_som_yaml12)
    if len(sokvag) >= MAX_DJUP and (slag is mapping or slag is sekvens):
        if t.for_djup is None:
            t.for_djup = sokvag
        return None
    pos, fel, karta = t.pos, t.fel, t.pos.karta
    if slag is mapping:
        ut: dict[Any, Any] = {}
        for knod, vnod in nod.value:
            if type(knod) is not skalar:
                fel.append(Fel(_nodplats(pos, knod), sokvag_text(sokvag), "en nyckel måste vara ett enkelt värde"))
                continue
            if knod.tag == _MERGE:
                fel.append(Fel(_nodplats(pos, knod), sokvag_text(sokvag), "sammanslagning (<<) stöds inte"))
                continue
            if t.nycklar_som_text or knod.tag == _STR:
                nyckel = knod.value
            else:
                nyckel = _skalar(knod, sokvag, pos, fel)
                if isinstance(nyckel, Decimal):
                    nyckel = str(knod.value)
            mark = knod.start_mark
            vag = sokvag + (nyckel,)
            if nyckel in ut:
                fel.append(Fel(Plats(pos.fil, mark.line + 1, mark.column + 1), sokvag_text(vag),
                               "nyckeln förekommer två gånger"))
                continue
            karta[vag] = (mark.line + 1, mark.column + 1)
            ut[nyckel] = _nod_till_data(vnod, vag, t)
        return ut
    if slag is sekvens:
        lista = []
        for i, inod in enumerate(nod.value):
            mark = inod.start_mark
            vag = sokvag + (i,)
            karta[vag] = (mark.line + 1, mark.column + 1)
            lista.append(_nod_till_data(inod, vag, t))
        return lista
    return _skalar(nod, sokvag, pos, fel, t.tal_som_yaml12)


def _nodplats(pos: Positioner, nod) -> Plats:
    return Plats(pos.fil, nod.start_mark.line + 1, nod.start_mark.column + 1)


# Ett tal i YAML 1.2 och JSON; YAML 1.1 (PyYAML) läser `1e40` och `1.5e3` som text.
_TAL_YAML12 = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def _skalar(nod, sokvag: Sokvag, pos: Positioner, fel: list[Fel], tal_som_yaml12: bool = False) -> Any:
    tag, v = nod.tag, nod.value
    if tag == _TAG + "str" and tal_som_yaml12 and not nod.style and _TAL_YAML12.fullmatch(v):
        tag = _TAG + ("int" if _HELTAL.fullmatch(v) else "float")
    if tag == _TAG + "str" or tag == _TAG + "timestamp":
        return v
    if tag in (_TAG + "int", _TAG + "float") and len(v) > MAX_TALTEXT:
        # Före int() och Decimal(): tusentals siffror är aldrig ett värde i en datafil.
        fel.append(Fel(_nodplats(pos, nod), sokvag_text(sokvag),
                       f"talet {visa(v, citat=False)} har för många tecken (högst {MAX_TALTEXT})"))
        return None
    if tag == _TAG + "int":
        s = v.replace("_", "")
        if _HELTAL.fullmatch(s):
            return int(s)
        fel.append(Fel(_nodplats(pos, nod), sokvag_text(sokvag), f"talet {v!r} har ett format som inte stöds"))
        return None
    if tag == _TAG + "float":
        try:
            d = Decimal(v.replace("_", ""))
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite():
            fel.append(Fel(_nodplats(pos, nod), sokvag_text(sokvag), f"talet {v!r} är inte ett ändligt tal"))
            return None
        return d
    if tag == _TAG + "bool":
        return v.lower() in ("true", "yes", "on", "y")
    if tag == _TAG + "null":
        return None
    fel.append(Fel(_nodplats(pos, nod), sokvag_text(sokvag), f"taggen {tag!r} stöds inte"))
    return None
