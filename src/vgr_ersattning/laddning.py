"""Inläsning: YAML → Python-data med positioner → validerade modeller (REGLER §12).

Alla inläsningsfel blir `Fel` med fil, rad, kolumn, nyckelväg och ett svenskt meddelande. Ett
fel hindrar inte att nästa hittas: valideringen samlar alla fel i filen och kastar dem tillsammans
som `Inlasningsfel`. Inget här skriver ut något eller ändrar någon fil.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

# En datafil större än så här är inte en uppdragsfil; den vägras innan den läses.
MAX_YAML_BYTE = 8 * 1024 * 1024

Sokvag = tuple[Any, ...]


class Plats(NamedTuple):
    fil: str
    rad: int
    kolumn: int

    def __str__(self) -> str:
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

    def __init__(self, fel: list[Fel]):
        super().__init__("\n".join(str(f) for f in fel))
        self.fel = fel


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


def visningsnamn(sokvag: Path | str) -> str:
    """Filnamnet som det visas i fel: relativt arbetskatalogen när det går."""
    p = Path(sokvag)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def filfel(namn: str, e: OSError) -> Inlasningsfel:
    """Ett fel från operativsystemet när en fil öppnas eller läses, som en rad till användaren."""
    medd = "filen finns inte" if isinstance(e, FileNotFoundError) else f"filen kan inte läsas ({e.strerror})"
    return Inlasningsfel([Fel(Plats(namn, 0, 0), "", medd)])


def las_text(sokvag: Path, max_byte: int = MAX_YAML_BYTE) -> tuple[str, str]:
    """Läser en textfil som UTF-8. Returnerar (visningsnamn, text) eller kastar `Inlasningsfel`."""
    namn = visningsnamn(sokvag)
    try:
        storlek = os.stat(sokvag).st_size
    except OSError as e:
        raise filfel(namn, e) from None
    if storlek > max_byte:
        raise Inlasningsfel(
            [Fel(Plats(namn, 1, 1), "", f"filen är för stor ({storlek} byte, högst {max_byte} byte)")]
        )
    try:
        data = Path(sokvag).read_bytes()
    except OSError as e:
        raise filfel(namn, e) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return namn, data.decode("utf-8")
    except UnicodeDecodeError as e:
        fore = data[: e.start]
        rad = fore.count(b"\n") + 1
        kol = e.start - (fore.rfind(b"\n") + 1) + 1
        raise Inlasningsfel(
            [Fel(Plats(namn, rad, kol), "", f"filen är inte UTF-8 (byte 0x{data[e.start]:02x})")]
        ) from None


# --- YAML ---------------------------------------------------------------------------------

_HELTAL = re.compile(r"[-+]?[0-9]+")
_TAG = "tag:yaml.org,2002:"


# PyYAML:s vanligaste felbeskrivningar på svenska; okända visas som de är.
_YAML_PROBLEM = {
    "did not find expected node content": "hittade inget värde där ett värde väntades",
    "mapping values are not allowed here": "ett kolon (nyckel: värde) är inte tillåtet här",
    "could not find expected ':'": "hittade inte väntat kolon (:)",
    "did not find expected key": "hittade inte väntad nyckel (fel indrag?)",
    "found character that cannot start any token": "ett tecken som inte kan inleda ett värde",
    "found unexpected end of stream": "filen tar slut mitt i ett värde",
    "did not find expected ',' or ']'": "saknar ',' eller ']'",
    "did not find expected ',' or '}'": "saknar ',' eller '}'",
    "did not find expected '-' indicator": "saknar '-' (fel indrag i en lista?)",
    "found unknown escape character": "okänd escape-sekvens i en sträng",
    "expected a single document in the stream": "filen ska innehålla ett enda YAML-dokument",
    "but found another document": "filen innehåller mer än ett YAML-dokument",
}


def _yaml_laddare():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def las_yaml(sokvag: Path, max_byte: int = MAX_YAML_BYTE) -> tuple[Any, Positioner]:
    """YAML-fil → (data, positioner). Tal blir int eller Decimal, aldrig float.

    Vägrar: dubblerade nycklar, ankare/alias (skydd mot aliasbomber), okända taggar, tal som
    inte är ändliga, och allt som inte är giltig YAML, med rad och kolumn.
    """
    namn, text = las_text(sokvag, max_byte)
    return las_yaml_text(text, namn)


def las_yaml_text(text: str, namn: str) -> tuple[Any, Positioner]:
    import yaml

    pos = Positioner(namn)
    laddare = _yaml_laddare()(text)
    try:
        try:
            nod = laddare.get_single_node()
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            rad, kol = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = (e.problem or e.context or "okänt fel").strip()
            rader = text.splitlines()
            radtext = rader[rad - 1] if 0 < rad <= len(rader) else ""
            if "\t" in problem or "'\\t'" in problem or "\t" in radtext[: max(kol, 1)]:
                medd = "tabbtecken är inte tillåtna för indrag i YAML (använd mellanslag)"
            else:
                medd = f"ogiltig YAML: {_YAML_PROBLEM.get(problem, problem)}"
            raise Inlasningsfel([Fel(Plats(namn, rad, kol), "", medd)]) from None
        except yaml.YAMLError as e:
            raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"ogiltig YAML: {e}")]) from None
    finally:
        laddare.dispose()
    if nod is None:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", "filen är tom")])
    fel: list[Fel] = []
    pos.karta[()] = (nod.start_mark.line + 1, nod.start_mark.column + 1)
    data = _nod_till_data(nod, (), pos, fel, set())
    if fel:
        raise Inlasningsfel(fel)
    return data, pos


def sokvag_text(sokvag: Sokvag) -> str:
    return ".".join(str(s) if not isinstance(s, int) else f"[{s}]" for s in sokvag).replace(".[", "[")


def _nod_till_data(nod, sokvag: Sokvag, pos: Positioner, fel: list[Fel], sedda: set[int]) -> Any:
    import yaml

    if id(nod) in sedda:
        fel.append(Fel(pos.plats(sokvag), sokvag_text(sokvag), "ankare och alias (& och *) stöds inte"))
        return None
    sedda.add(id(nod))
    if isinstance(nod, yaml.MappingNode):
        ut: dict[Any, Any] = {}
        for knod, vnod in nod.value:
            if not isinstance(knod, yaml.ScalarNode):
                fel.append(Fel(Plats(pos.fil, knod.start_mark.line + 1, knod.start_mark.column + 1),
                               sokvag_text(sokvag), "en nyckel måste vara ett enkelt värde"))
                continue
            if knod.tag == _TAG + "merge":
                fel.append(Fel(Plats(pos.fil, knod.start_mark.line + 1, knod.start_mark.column + 1),
                               sokvag_text(sokvag), "sammanslagning (<<) stöds inte"))
                continue
            nyckel = _skalar(knod, sokvag, pos, fel)
            if isinstance(nyckel, Decimal):
                nyckel = str(knod.value)
            plats = (knod.start_mark.line + 1, knod.start_mark.column + 1)
            if nyckel in ut:
                fel.append(Fel(Plats(pos.fil, *plats), sokvag_text(sokvag + (nyckel,)),
                               "nyckeln förekommer två gånger"))
                continue
            pos.karta[sokvag + (nyckel,)] = plats
            ut[nyckel] = _nod_till_data(vnod, sokvag + (nyckel,), pos, fel, sedda)
        return ut
    if isinstance(nod, yaml.SequenceNode):
        lista = []
        for i, inod in enumerate(nod.value):
            pos.karta[sokvag + (i,)] = (inod.start_mark.line + 1, inod.start_mark.column + 1)
            lista.append(_nod_till_data(inod, sokvag + (i,), pos, fel, sedda))
        return lista
    return _skalar(nod, sokvag, pos, fel)


def _skalar(nod, sokvag: Sokvag, pos: Positioner, fel: list[Fel]) -> Any:
    tag, v = nod.tag, nod.value
    plats = Plats(pos.fil, nod.start_mark.line + 1, nod.start_mark.column + 1)
    if tag == _TAG + "str" or tag == _TAG + "timestamp":
        return v
    if tag == _TAG + "int":
        s = v.replace("_", "")
        if _HELTAL.fullmatch(s):
            return int(s)
        fel.append(Fel(plats, sokvag_text(sokvag), f"talet {v!r} har ett format som inte stöds"))
        return None
    if tag == _TAG + "float":
        try:
            d = Decimal(v.replace("_", ""))
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite():
            fel.append(Fel(plats, sokvag_text(sokvag), f"talet {v!r} är inte ett ändligt tal"))
            return None
        return d
    if tag == _TAG + "bool":
        return v.lower() in ("true", "yes", "on", "y")
    if tag == _TAG + "null":
        return None
    fel.append(Fel(plats, sokvag_text(sokvag), f"taggen {tag!r} stöds inte"))
    return None


# --- CSV ----------------------------------------------------------------------------------


def csv_rubrik(lasare, namn: str, kolumner: tuple[str, ...]) -> tuple[tuple[int, ...], int]:
    """Läser rubrikraden: kolumnernas index i den ordning `kolumner` anger (de får stå i valfri
    ordning i filen) och rubrikens antal kolumner. En tom fil eller en saknad kolumn är
    `Inlasningsfel` på rad 1."""
    try:
        rubrik = [r.strip() for r in next(lasare)]
    except StopIteration:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"filen är tom (rubrikraden {','.join(kolumner)} saknas)")]) from None
    saknas = [k for k in kolumner if k not in rubrik]
    if saknas:
        raise Inlasningsfel([Fel(Plats(namn, 1, 1), "", f"kolumnen {', '.join(saknas)} saknas i rubrikraden "
                                 f"(ska vara {','.join(kolumner)})")])
    return tuple(rubrik.index(k) for k in kolumner), len(rubrik)


def csv_kolumn(rad: list[str], i: int) -> int:
    """Kolumnen (1-baserad, i tecken) där fält `i` börjar på en CSV-rad utan citattecken."""
    return 1 + sum(map(len, rad[:i])) + i


def tom_csv_rad(rad: list[str]) -> bool:
    return not rad or (len(rad) == 1 and not rad[0].strip())


# --- validering mot modeller ----------------------------------------------------------------

_MEDDELANDEN = {
    "missing": "saknas",
    "extra_forbidden": "okänd nyckel",
    "int_type": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "string_type": "ska vara text",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "list_type": "ska vara en lista",
    "bool_type": "ska vara sant eller falskt",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "model_attributes_type": "ska vara en mappning (nyckel: värde)",
    "decimal_type": "ska vara ett tal",
    "too_short": "har för få värden",
    "too_long": "har för många värden",
}


def _pydantic_meddelande(err: dict) -> str:
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    if typ == "greater_than_equal":
        gr = ctx.get("ge")
        return "får inte vara negativt" if str(gr) == "0" else f"ska vara minst {gr}"
    if typ == "less_than_equal":
        return f"får vara högst {ctx.get('le')}"
    if typ == "greater_than":
        return f"ska vara större än {ctx.get('gt')}"
    if typ == "literal_error":
        return f"ska vara ett av {ctx.get('expected')}"
    if typ == "string_pattern_mismatch":
        return "har fel form (tillåtet: a–z, 0–9 och _, se REGLER §2)"
    if typ == "value_error":
        orsak = ctx.get("error")
        return str(orsak) if orsak is not None else err.get("msg", "ogiltigt värde")
    if typ in _MEDDELANDEN:
        return _MEDDELANDEN[typ]
    return err.get("msg", "ogiltigt värde")


def validera(modell: type, data: Any, pos: Positioner):
    """Data → modell, eller `Inlasningsfel` med en rad per fel och deras positioner."""
    from pydantic import ValidationError

    try:
        return modell.model_validate(data)
    except ValidationError as e:
        fel = []
        for err in e.errors(include_url=False):
            loc = tuple(x for x in err["loc"] if x != "[key]")
            # Fel inne i unionsvarianter (t.ex. 'function-plain[...]') är inte nycklar i filen.
            loc = tuple(x for x in loc if not (isinstance(x, str) and ("[" in x and "]" in x)))
            fel.append(Fel(pos.plats(loc), sokvag_text(loc), _pydantic_meddelande(err)))
        # En rad per problem, även om pydantic rapporterar samma sak flera gånger.
        unika = list(dict.fromkeys(fel))
        raise Inlasningsfel(unika) from None


# --- datafilerna -----------------------------------------------------------------------------


def standardfil(namn: str) -> Path:
    """Den medföljande datafilen: i det installerade paketet, annars i källträdets `data/`."""
    i_paketet = Path(__file__).resolve().parent / "data" / namn
    if i_paketet.exists():
        return i_paketet
    return Path(__file__).resolve().parents[2] / "data" / namn


@dataclass(frozen=True)
class Dokument:
    """En validerad modell och var i filen varje värde står."""

    modell: Any
    positioner: Positioner


# --- cache av validerade dokument ---------------------------------------------------------------
#
# Att tolka YAML och validera modellerna tar längre tid än hela beräkningen. Ett validerat dokument
# sparas därför (pickle) under en nyckel som är SHA-256 av filens byte, modellens namn och
# paketets version: en ändrad fil eller en ny version av verktyget ger en ny nyckel. Cachen är
# bara en genväg; går den inte att läsa eller skriva läses filen som vanligt.
# VGR_ERSATTNING_CACHE=av stänger av den; =KATALOG väljer katalog.


def _cachekatalog() -> Path | None:
    val = os.environ.get("VGR_ERSATTNING_CACHE", "")
    if val.lower() in ("av", "0", "nej", "off"):
        return None
    if val:
        return Path(val)
    bas = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(bas) / "vgr-ersattning"


def _cachenyckel(data: bytes, modellnamn: str) -> str:
    import hashlib

    from vgr_ersattning import __version__, modell

    # Modellfilens storlek och ändringstid ingår, så en ändrad modell aldrig läser en gammal cache.
    st = os.stat(modell.__file__)
    h = hashlib.sha256(data)
    h.update(f"\0{modellnamn}\0{__version__}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _las_cache(katalog: Path | None, nyckel: str):
    if katalog is None:
        return None
    try:
        import pickle

        with open(katalog / f"{nyckel}.pickle", "rb") as f:
            return pickle.load(f)
    except Exception:   # saknad, trasig eller gammal cache: läs filen i stället
        return None


def _skriv_cache(katalog: Path | None, nyckel: str, dok: "Dokument") -> None:
    if katalog is None:
        return
    try:
        import pickle
        import tempfile

        katalog.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=katalog, suffix=".tmp")
    except Exception:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(dok, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, katalog / f"{nyckel}.pickle")
    except Exception:   # t.ex. full disk: ingen halvskriven cachefil blir kvar
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _las_dokument(sokvag: Path, modellnamn: str) -> Dokument:
    namn, text = las_text(sokvag)
    katalog = _cachekatalog()
    nyckel = _cachenyckel(text.encode("utf-8"), modellnamn) if katalog is not None else ""
    dok = _las_cache(katalog, nyckel)
    if isinstance(dok, Dokument):
        dok.positioner.fil = namn
        return dok
    from vgr_ersattning import modell

    data, pos = las_yaml_text(text, namn)
    dok = Dokument(validera(getattr(modell, modellnamn), data, pos), pos)
    _skriv_cache(katalog, nyckel, dok)
    return dok


def las_uppdrag(sokvag: Path) -> Dokument:
    return _las_dokument(sokvag, "Uppdrag")


def las_priser(sokvag: Path) -> Dokument:
    return _las_dokument(sokvag, "Priser")
