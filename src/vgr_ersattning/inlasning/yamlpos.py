"""YAML (och JSON) med positioner: text → Python-data och var i filen varje nyckelväg står.

Tal blir int eller Decimal, aldrig float. Vägras, med rad och kolumn: dubblerade nycklar,
ankare och alias (skydd mot aliasbomber), sammanslagning (<<), okända taggar, tal som inte är
ändliga eller har orimligt många tecken, för djup nästling, fler nycklar och värden än
`tal.MAX_YAML_NODER` och allt som inte är giltig YAML.
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
from vgr_ersattning.inlasning.tal import MAX_DJUP, MAX_TALTEXT, MAX_YAML_NODER, svenskt_tal, visa


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

    Datan byggs direkt ur tolkarens händelser, en i taget, utan ett träd av noder däremellan: minnet
    är datan och positionerna. Högst `MAX_YAML_NODER` nycklar och värden och `MAX_DJUP` nivåer; en
    fil med fler vägras vid det första för mycket, innan resten läses.

    Med `fel_ut` läggs fel i enskilda värden och nycklar (ett tal som inte går att använda, en
    nyckel två gånger) där i stället för att kastas, och datan returneras med None i värdets ställe,
    så att anroparen kan rapportera dem tillsammans med sina egna. Fel i hela filen (ogiltig syntax,
    alias, för djup nästling, för många värden) kastas alltid."""
    pos = Positioner(namn)
    fel: list[Fel] = []
    tillstand = _Tillstand(pos, fel, nycklar_som_text, tal_som_yaml12)
    laddare = _yaml_laddare()(text)
    try:
        try:
            tom, data = _Byggare(laddare, tillstand, format).dokument()
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
    if tom:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", "filen är tom")])
    if tillstand.alias is not None:
        # Ett fel, hur många alias filen än har (en aliasbomb gav annars en rad per förekomst).
        fel.append(Fel(Plats(namn, *tillstand.alias), "", _ALIAS))
    if tillstand.for_djup is not None:
        fel.append(Fel(pos.plats(tillstand.for_djup), "", _NASTLING))
    if fel and (fel_ut is None or tillstand.alias is not None or tillstand.for_djup is not None):
        raise Inlasningsfel(sorted(fel, key=lambda f: (f.plats.rad, f.plats.kolumn)))
    if fel_ut is not None:
        fel_ut.extend(fel)
    return data, pos


@dataclass
class _Tillstand:
    pos: Positioner
    fel: list[Fel]
    nycklar_som_text: bool
    tal_som_yaml12: bool = False
    alias: tuple[int, int] | None = None      # raden och kolumnen för det första aliaset
    for_djup: Sokvag | None = None            # den första nyckelvägen djupare än MAX_DJUP


_SKALAR, _ALIASH = yaml.ScalarEvent, yaml.AliasEvent
_MAPPNING, _SEKVENS = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPNING_SLUT, _SEKVENS_SLUT = yaml.MappingEndEvent, yaml.SequenceEndEvent
_NOD_BORJAR = frozenset((_SKALAR, _ALIASH, _MAPPNING, _SEKVENS))


class _Byggare:
    """Data ur tolkarens händelser. Räknar nycklar och värden (`MAX_YAML_NODER`) och ser till
    ankare och alias som kompositören gör: ett ankare två gånger och ett alias utan ankare är
    ogiltig YAML; ett alias till ett ankare noteras (det vägras efteråt, med sin plats)."""

    def __init__(self, laddare, t: _Tillstand, format: str):
        self._handelse, self._tagg = laddare.get_event, laddare.resolve
        self.t, self.format = t, format
        self.antal = 0
        self.ankare: dict[str, Any] = {}

    def nasta(self):
        h = self._handelse()
        if type(h) in _NOD_BORJAR:
            self.antal += 1
            if self.antal > MAX_YAML_NODER:
                mark = h.start_mark
                raise Inlasningsfel([Fel(Plats(self.t.pos.fil, mark.line + 1, mark.column + 1), "",
                                         f"filen har fler än {svenskt_tal(MAX_YAML_NODER)} nycklar och värden; "
                                         f"en så stor {self.format}-fil läses inte")])
            ankare = h.anchor
            if ankare is not None:
                if type(h) is _ALIASH:
                    if ankare not in self.ankare:
                        raise yaml.composer.ComposerError(None, None, "found undefined alias", h.start_mark)
                elif ankare in self.ankare:
                    raise yaml.composer.ComposerError("found duplicate anchor; first occurrence",
                                                      self.ankare[ankare], "second occurrence", h.start_mark)
                else:
                    self.ankare[ankare] = h.start_mark
        return h

    def dokument(self) -> tuple[bool, Any]:
        """(filen är tom, datan): ett enda dokument, som `get_single_node`."""
        self._handelse()                                    # strömmens början
        borjan = self._handelse()
        if isinstance(borjan, yaml.StreamEndEvent):
            return True, None
        rot = self.nasta()
        self.t.pos.karta[()] = (rot.start_mark.line + 1, rot.start_mark.column + 1)
        data = self.varde(rot, ())
        self._handelse()                                    # dokumentets slut
        slut = self._handelse()
        if not isinstance(slut, yaml.StreamEndEvent):
            raise yaml.composer.ComposerError("expected a single document in the stream", borjan.start_mark,
                                              "but found another document", slut.start_mark)
        return False, data

    def hoppa_over(self, h) -> None:
        """Resten av noden som börjar med händelsen `h` (räknad, men inte byggd)."""
        if type(h) is not _MAPPNING and type(h) is not _SEKVENS:
            return
        djup = 1
        while djup:
            typ = type(self.nasta())
            if typ is _MAPPNING or typ is _SEKVENS:
                djup += 1
            elif typ is _MAPPNING_SLUT or typ is _SEKVENS_SLUT:
                djup -= 1

    def tagg(self, h) -> str:
        tag = h.tag
        return self._tagg(yaml.ScalarNode, h.value, h.implicit) if tag is None or tag == "!" else tag

    def varde(self, h, sokvag: Sokvag) -> Any:
        t = self.t
        typ = type(h)
        if typ is _SKALAR:
            # Det vanligaste: ett enkelt värde (text först, det är de flesta).
            tag = self.tagg(h)
            if tag == _STR and not t.tal_som_yaml12:
                return h.value
            return _skalar(h, tag, sokvag, t.pos, t.fel, t.tal_som_yaml12)
        if typ is _ALIASH:
            if t.alias is None:
                t.alias = (h.start_mark.line + 1, h.start_mark.column + 1)
            return None
        if len(sokvag) >= MAX_DJUP:
            if t.for_djup is None:
                t.for_djup = sokvag
            self.hoppa_over(h)
            return None
        pos, fel, karta = t.pos, t.fel, t.pos.karta
        nasta = self.nasta
        if typ is _MAPPNING:
            ut: dict[Any, Any] = {}
            while True:
                k = nasta()
                tk = type(k)
                if tk is _MAPPNING_SLUT:
                    return ut
                if tk is not _SKALAR:
                    if tk is _ALIASH:
                        if t.alias is None:
                            t.alias = (k.start_mark.line + 1, k.start_mark.column + 1)
                    else:
                        fel.append(Fel(_nodplats(pos, k), sokvag_text(sokvag), "en nyckel måste vara ett enkelt värde"))
                        self.hoppa_over(k)
                    self.hoppa_over(nasta())
                    continue
                ktag = self.tagg(k)
                if ktag == _MERGE:
                    fel.append(Fel(_nodplats(pos, k), sokvag_text(sokvag), "sammanslagning (<<) stöds inte"))
                    self.hoppa_over(nasta())
                    continue
                if t.nycklar_som_text or ktag == _STR:
                    nyckel = k.value
                else:
                    nyckel = _skalar(k, ktag, sokvag, pos, fel)
                    if isinstance(nyckel, Decimal):
                        nyckel = str(k.value)
                mark = k.start_mark
                vag = sokvag + (nyckel,)
                if nyckel in ut:
                    fel.append(Fel(Plats(pos.fil, mark.line + 1, mark.column + 1), sokvag_text(vag),
                                   "nyckeln förekommer två gånger"))
                    self.hoppa_over(nasta())
                    continue
                karta[vag] = (mark.line + 1, mark.column + 1)
                ut[nyckel] = self.varde(nasta(), vag)
        lista = []
        i = 0
        while True:
            v = nasta()
            if type(v) is _SEKVENS_SLUT:
                return lista
            mark = v.start_mark
            vag = sokvag + (i,)
            karta[vag] = (mark.line + 1, mark.column + 1)
            lista.append(self.varde(v, vag))
            i += 1


def _nodplats(pos: Positioner, nod) -> Plats:
    return Plats(pos.fil, nod.start_mark.line + 1, nod.start_mark.column + 1)


# Ett tal i YAML 1.2 och JSON; YAML 1.1 (PyYAML) läser `1e40` och `1.5e3` som text.
_TAL_YAML12 = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def _skalar(nod, tag: str, sokvag: Sokvag, pos: Positioner, fel: list[Fel], tal_som_yaml12: bool = False) -> Any:
    """Ett enkelt värde (händelsen `nod` med sin upplösta tagg) som Python-värde, eller None och ett fel."""
    v = nod.value
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
