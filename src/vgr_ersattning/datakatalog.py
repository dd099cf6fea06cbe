"""Var datan finns: de medföljande filerna, eller användarens egen datakatalog.

En controller ändrar i en egen kopia (`ersattning init KATALOG`), aldrig i de installerade
filerna. Datafilerna väljs så här, för uppdrags- och prisfilen var för sig:

1. en uttryckligen angiven fil (`--uppdrag FIL`, `--priser FIL`);
2. filen i datakatalogen `--data KATALOG`;
3. filen i datakatalogen i miljövariabeln `VGR_ERSATTNING_DATA`;
4. den medföljande filen (`data/` i paketet eller i källträdet).

I en datakatalog heter filerna `uppdrag_2026.yaml` och `priser_2026.yaml`. En katalog som inte
finns eller saknar en fil som behövs är ett fel (`Inlasningsfel`, slutkod 2) som säger varifrån
katalogen kom; verktyget faller aldrig tyst tillbaka på de medföljande filerna.

`ersattning init` (`initiera`) kopierar de medföljande datafilerna, exemplen och schemana för
editorn till en ny katalog: allt eller inget, och ingen befintlig fil skrivs över.

Modulen importerar bara standardbiblioteket och `laddning` (uppstartstiden för `--help`).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from vgr_ersattning.laddning import Fel, Inlasningsfel, Plats, standardfil, visningsnamn

MILJOVARIABEL = "VGR_ERSATTNING_DATA"
UPPDRAG = "uppdrag_2026.yaml"
PRISER = "priser_2026.yaml"
STANDARDKATALOG = "ersattning-data"
EXEMPELKATALOG = "examples"
SCHEMAKATALOG = "schema"

# Schemat för varje kopierad YAML-fil (`ersattning init` lägger en rad för editorn sist i kopian).
_SCHEMA_FOR = {
    UPPDRAG: "uppdrag",
    PRISER: "priser",
    "utfall_2026.yaml": "utfall",
    "produktion_2026.yaml": "utfall",
    "rh_2026.yaml": "utfall",
    "scenarier.yaml": "scenario",
    "beslut_2026.yaml": "beslut",
}


# --- de medföljande filerna ------------------------------------------------------------------


def medfoljande_data() -> Path:
    """Katalogen med de medföljande datafilerna (i paketet, annars källträdets `data/`)."""
    return standardfil(UPPDRAG).parent


def medfoljande_exempel() -> Path:
    """Katalogen med de medföljande exemplen: i det installerade paketet (`vgr_ersattning/examples`),
    annars källträdets `examples/` (som `laddning.standardfil` för datan)."""
    i_paketet = Path(__file__).resolve().parent / EXEMPELKATALOG
    if i_paketet.is_dir():
        return i_paketet
    return Path(__file__).resolve().parents[2] / EXEMPELKATALOG


# --- vilka datafiler ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Datakalla:
    """En datakatalog och varifrån den kom (`--data` eller miljövariabeln), för felraderna."""

    katalog: Path
    fran: str


def datakatalog(data: Optional[Path], miljo: Optional[Mapping[str, str]] = None) -> Optional[Datakalla]:
    """Datakatalogen som gäller: `--data`, annars `VGR_ERSATTNING_DATA` (om den inte är tom),
    annars ingen (de medföljande filerna)."""
    if data is not None and str(data) != "":
        return Datakalla(Path(data), "--data")
    varde = (os.environ if miljo is None else miljo).get(MILJOVARIABEL, "")
    if varde.strip():
        return Datakalla(Path(os.path.expanduser(varde)), MILJOVARIABEL)
    return None


def _fel(namn: str, medd: str) -> Inlasningsfel:
    return Inlasningsfel([Fel(Plats(namn, 0, 0), "", medd)])


def datafiler(uppdrag: Optional[Path], priser: Optional[Path], data: Optional[Path] = None,
              miljo: Optional[Mapping[str, str]] = None) -> tuple[Path, Path]:
    """(uppdragsfilen, prisfilen) enligt ordningen överst i modulen. En datakatalog som behövs men
    inte finns, inte är en katalog eller saknar en av filerna ger `Inlasningsfel` med en rad."""
    behovs = [namn for namn, fil in ((UPPDRAG, uppdrag), (PRISER, priser)) if not fil]
    if not behovs:
        return Path(uppdrag), Path(priser)  # type: ignore[arg-type]
    kalla = datakatalog(data, miljo)
    if kalla is None:
        katalog = None
    else:
        katalog = kalla.katalog
        namn = visningsnamn(katalog)
        if not katalog.exists():
            raise _fel(namn, f"datakatalogen finns inte ({kalla.fran}; skapa den med "
                             f"`ersattning init {namn}`)")
        if not katalog.is_dir():
            raise _fel(namn, f"är inte en katalog ({kalla.fran} ska vara en datakatalog med {UPPDRAG} och {PRISER})")
        saknas = [n for n in behovs if not (katalog / n).is_file()]
        if saknas:
            raise _fel(namn, f"datakatalogen saknar {' och '.join(saknas)} ({kalla.fran}; en datakatalog har "
                             f"{UPPDRAG} och {PRISER}, som `ersattning init` kopierar dit)")

    def vald(fil: Optional[Path], namn: str) -> Path:
        if fil:
            return Path(fil)
        return katalog / namn if katalog is not None else standardfil(namn)

    return vald(uppdrag, UPPDRAG), vald(priser, PRISER)


def uppdragsfil_for_hjalp() -> Path:
    """Uppdragsfilen som hjälpens antaganden läses ur: den i `VGR_ERSATTNING_DATA` om den finns
    där, annars den medföljande (hjälpen visas även när katalogen är fel; kommandona säger det)."""
    kalla = datakatalog(None)
    if kalla is not None and (kalla.katalog / UPPDRAG).is_file():
        return kalla.katalog / UPPDRAG
    return standardfil(UPPDRAG)


# --- ersattning init -----------------------------------------------------------------------------


class Initieringsfel(Exception):
    """`ersattning init` kunde inte kopiera (en fil finns redan, fel från operativsystemet):
    en svensk rad, slutkod 2. Inget har då kopierats."""


def modeline(slag: str, djup: int) -> str:
    """Raden som kopplar en YAML-fil till sitt schema i VS Code (YAML-tillägget), med en sökväg
    relativ till filen: `# yaml-language-server: $schema=./schema/uppdrag.json`."""
    bas = "./" if djup == 0 else "../" * djup
    return f"# yaml-language-server: $schema={bas}{SCHEMAKATALOG}/{slag}.json"


def _med_schemarad(text: bytes, slag: str, djup: int) -> bytes:
    """YAML-filen med schemaraden sist (inte först: radnumren i kopian är då desamma som i de
    medföljande filerna, som felraderna och regelboken hänvisar till)."""
    if not text.endswith(b"\n"):
        text += b"\n"
    return text + (f"\n# Schemat för editorn (VS Code med YAML-tillägget; se `ersattning schema`):\n"
                   f"{modeline(slag, djup)}\n").encode("utf-8")


def planera() -> dict[str, bytes]:
    """Filerna som `ersattning init` skapar: relativ sökväg (med /) → innehåll."""
    from vgr_ersattning import schema

    filer: dict[str, bytes] = {}
    for katalog, prefix, djup in ((medfoljande_data(), "", 0), (medfoljande_exempel(), EXEMPELKATALOG + "/", 1)):
        if not katalog.is_dir():
            raise Initieringsfel(f"ersattning init: de medföljande filerna saknas i installationen ({katalog})")
        for fil in sorted(katalog.iterdir()):
            if not fil.is_file() or fil.name.startswith("."):
                continue
            if katalog == medfoljande_data() and fil.suffix not in (".yaml", ".yml"):
                continue
            text = fil.read_bytes()
            if fil.name in _SCHEMA_FOR:
                text = _med_schemarad(text, _SCHEMA_FOR[fil.name], djup)
            filer[prefix + fil.name] = text
    for slag in schema.SLAG_MED_SCHEMA:
        filer[f"{SCHEMAKATALOG}/{slag}.json"] = schema.schema_text(slag).encode("utf-8")
    return filer


def _ny_temporar_katalog(foralder: Path, namn: str) -> Path:
    """En ny, tom temporär katalog i `foralder` (samma filsystem som målet, så att den kan döpas om
    till det). Läge 0777 minus umask, som `mkdir`."""
    for _ in range(100):
        tmp = foralder / f".{namn[:100]}.{secrets.token_hex(6)}.tmp"
        try:
            os.mkdir(tmp, 0o777)
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "ingen ledig temporär katalog", str(foralder))


def _skriv_alla(rot: Path, filer: dict[str, bytes]) -> None:
    for rel, innehall in filer.items():
        fil = rot / rel
        fil.parent.mkdir(parents=True, exist_ok=True)
        with open(fil, "xb") as f:
            f.write(innehall)


def _kontrollera(mal: Path, filer: dict[str, bytes], namn: str) -> None:
    """Före allt annat: ingen av filerna får finnas, och katalogerna de ska ligga i måste vara
    kataloger (eller inte finnas)."""
    if os.path.lexists(mal) and not mal.is_dir():
        raise Initieringsfel(f"ersattning init: {namn} finns redan och är inte en katalog; inget kopierades")
    if not mal.exists():
        for foralder in mal.parents:          # den närmaste som finns måste vara en katalog
            if os.path.lexists(foralder):
                if not foralder.is_dir():
                    raise Initieringsfel(f"ersattning init: {foralder} är inte en katalog; inget kopierades")
                break
        return
    finns: list[str] = []
    for rel in filer:
        delar = rel.split("/")
        for i in range(1, len(delar) + 1):
            sokvag = mal.joinpath(*delar[:i])
            if os.path.lexists(sokvag) and (i == len(delar) or not sokvag.is_dir()):
                visat = os.path.join(namn, *delar[:i])
                if visat not in finns:
                    finns.append(visat)
                break
    if finns:
        fler = f" (och {len(finns) - 1} fil(er) till)" if len(finns) > 1 else ""
        raise Initieringsfel(f"ersattning init: {finns[0]} finns redan{fler}; inget kopierades "
                             "(befintliga filer skrivs aldrig över; välj en ny katalog)")


def _oserror(namn: str, e: OSError) -> Initieringsfel:
    """Ett fel från operativsystemet som en svensk rad om målkatalogen (inte om den temporära)."""
    from vgr_ersattning.utskrift import meddelande

    return Initieringsfel(f"ersattning init: {meddelande(namn, e, 'kunde inte kopiera')}; inget kopierades")


def initiera(katalog: Path) -> list[str]:
    """Kopierar de medföljande datafilerna, exemplen och schemana till `katalog` och returnerar de
    skapade filerna (relativa sökvägar). Allt eller inget: alla mål kontrolleras först, och
    filerna skrivs i en temporär katalog bredvid målet som sedan döps om till målet (eller, om
    katalogen redan finns, länkas in fil för fil och tas bort igen om något går fel). En
    befintlig fil skrivs aldrig över (`Initieringsfel`)."""
    katalog = Path(katalog)
    namn = str(katalog)
    try:
        filer = planera()
    except OSError as e:
        from vgr_ersattning.utskrift import orsak

        raise Initieringsfel(f"ersattning init: de medföljande filerna kan inte läsas ({orsak(e, 'läsfel')})") from None
    _kontrollera(katalog, filer, namn)
    try:
        if katalog.exists():
            tmp = _ny_temporar_katalog(katalog, "ersattning-init")
        else:
            katalog.parent.mkdir(parents=True, exist_ok=True)
            tmp = _ny_temporar_katalog(katalog.parent, katalog.name)
    except OSError as e:
        raise _oserror(namn, e) from None
    try:
        _skriv_alla(tmp, filer)
        if not katalog.exists():
            try:
                os.rename(tmp, katalog)
            except OSError as e:
                if e.errno in (errno.EEXIST, errno.ENOTEMPTY) or katalog.exists():
                    raise Initieringsfel(f"ersattning init: {namn} skapades av någon annan under tiden; "
                                         "inget kopierades") from None
                raise
        else:
            _lanka_in(tmp, katalog, filer, namn)
    except OSError as e:
        raise _oserror(namn, e) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return list(filer)


# Fel från os.link när filsystemet inte har hårda länkar (som i utskrift).
_INGA_HARDA_LANKAR = {getattr(errno, n) for n in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK", "EXDEV")
                      if hasattr(errno, n)}


def _lanka_in(tmp: Path, katalog: Path, filer: dict[str, bytes], namn: str) -> None:
    """Länkar in de färdiga filerna i en befintlig katalog; tar bort det som hunnit länkas in om
    något går fel (också vid Ctrl-C). `os.link` skriver aldrig över."""
    skapade: list[Path] = []
    nya_kataloger: list[Path] = []
    klart = False
    try:
        for rel in filer:
            mal = katalog / rel
            for foralder in reversed(mal.relative_to(katalog).parents[:-1]):
                d = katalog / foralder
                if not d.exists():
                    d.mkdir()
                    nya_kataloger.append(d)
            try:
                os.link(tmp / rel, mal)
            except FileExistsError:
                raise Initieringsfel(f"ersattning init: {os.path.join(namn, *rel.split('/'))} skapades av någon "
                                     "annan under tiden; inget kopierades") from None
            except OSError as e:
                if e.errno not in _INGA_HARDA_LANKAR:
                    raise
                # Filsystem utan hårda länkar: flytta i stället, efter en kontroll.
                if os.path.lexists(mal):
                    raise Initieringsfel(f"ersattning init: {os.path.join(namn, *rel.split('/'))} finns redan; "
                                         "inget kopierades") from None
                os.rename(tmp / rel, mal)
            skapade.append(mal)
        klart = True
    finally:
        if not klart:
            for fil in reversed(skapade):
                try:
                    fil.unlink()
                except OSError:
                    pass
            for d in reversed(nya_kataloger):
                try:
                    d.rmdir()
                except OSError:
                    pass
