"""`ersattning init KATALOG`: en egen datakatalog att ändra i; `ersattning init --ar ÅÅÅÅ KATALOG`:
ett utkast för ett nytt år (regelboken §24, `arsutkast`).

De medföljande datafilerna, exemplen och schemana för editorn kopieras till en ny katalog: allt
eller inget, och ingen befintlig fil skrivs över. Med `--ar ÅÅÅÅ` skrivs dessutom utkastet för året,
byggt på året före: ur katalogens filer när katalogen redan har år (då skrivs bara utkastet), annars
ur de medföljande filerna (som då kopieras också).

- En katalog som inte finns: filerna skrivs i en ny temporär katalog bredvid målet, som sedan döps
  om till målet (ett steg; ingen ser en halv kopia).
- En befintlig katalog: varje fil skrivs och synkas som en temporär fil bredvid sitt mål
  (`filer.Forberedd`) innan någon länkas in; sedan länkas de in en i taget utan att skriva över, och
  tas bort igen om något går fel (också vid Ctrl-C).

Var de medföljande filerna finns säger `inlasning.datakatalog`.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
from pathlib import Path

from vgr_ersattning import schema
from vgr_ersattning.arsutkast import Utkastfel, utkast
from vgr_ersattning.filer import (
    FINNS_REDAN,
    Filfel,
    Forberedd,
    flytta_in_katalog,
    meddelande,
    orsak,
    skriv_ny,
)
from vgr_ersattning.inlasning.datakatalog import (
    BESLUT,
    PRISER,
    UPPDRAG,
    ar_i,
    filnamn,
    lista,
    medfoljande,
    medfoljande_data,
)
from vgr_ersattning.inlasning.fel import Felrad
from vgr_ersattning.inlasning.kallor import visbar

EXEMPELKATALOG = "examples"
SCHEMAKATALOG = "schema"

# Schemat för varje kopierad YAML-fil efter namnets början (`uppdrag_ÅÅÅÅ.yaml`, `rh_ÅÅÅÅ.yaml`,
# `scenarier.yaml`); `ersattning init` lägger en rad för editorn sist i kopian.
_SCHEMA_FOR = {
    UPPDRAG: "uppdrag",
    PRISER: "priser",
    BESLUT: "beslut",
    "utfall": "utfall",
    "produktion": "utfall",
    "rh": "utfall",
    "scenarier": "scenario",
}
_MED_AR = re.compile(r"^(.+)_[0-9]{4}$")


def schema_for(namn: str) -> str | None:
    """Schemat för en YAML-fil som init skriver, efter filens namn (None: ingen schemarad)."""
    if not namn.endswith(".yaml"):
        return None
    stam = namn[:-len(".yaml")]
    m = _MED_AR.match(stam)
    return _SCHEMA_FOR.get(m.group(1) if m else stam)


class Initieringsfel(Felrad):
    """`ersattning init` kunde inte kopiera (en fil finns redan, fel från operativsystemet):
    en svensk rad, slutkod 2. Inget har då kopierats."""


def medfoljande_exempel() -> Path:
    """Katalogen med de medföljande exemplen: i det installerade paketet (`vgr_ersattning/examples`),
    annars källträdets `examples/`."""
    return medfoljande(EXEMPELKATALOG)


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
                   f"{modeline(slag, djup)}\n").encode()


def planera(ar: int | None = None, katalog: Path | None = None) -> dict[str, bytes]:
    """Filerna som `ersattning init` skapar i `katalog`: relativ sökväg (med /) → innehåll. Med `ar`
    utkastet för året (och kopian av de medföljande filerna när katalogen inte har något år)."""
    if ar is None:
        return _kopian()
    har = ar_i(katalog) if katalog is not None and katalog.is_dir() and not katalog.is_symlink() else ()
    if har:
        grund, var, filer = katalog, visbar(str(katalog)), {}
    else:
        grund, var, filer = medfoljande_data(), "de medföljande datafilerna", _kopian()
        har = ar_i(grund)
    borjan = f"ersattning init --ar {ar}"
    if ar in har and grund == katalog:
        finns = ", ".join(n for n in (filnamn(s, ar) for s in (UPPDRAG, PRISER, BESLUT)) if (katalog / n).exists())
        raise Initieringsfel(f"{borjan}: {var} har redan {ar} ({finns}); inget skrevs (befintliga filer skrivs "
                             "aldrig över)")
    if ar in har:
        raise Initieringsfel(f"{borjan}: {var} har redan {ar}; `ersattning init {visbar(str(katalog))}` kopierar "
                             "dem; inget skrevs")
    if ar - 1 not in har:
        raise Initieringsfel(f"{borjan}: {var} har inte {ar - 1} (år: {lista(har)}); utkastet för {ar} bygger på "
                             f"{ar - 1} års uppdrag, och bryggan börjar från {ar - 1} års ram vid årets slut "
                             "(antagande A8); inget skrevs")
    try:
        for namn, text in utkast(ar, grund).items():
            filer[namn] = _med_schemarad(text, schema_for(namn), 0)
    except Utkastfel as e:
        raise Initieringsfel(f"{borjan}: {e}; inget skrevs") from None
    return filer


def datafilerna(filer) -> tuple[str, str]:
    """Uppdrags- och prisfilen för det senaste året bland filerna som init skriver."""
    ar = max((int(m.group(2)) for f in filer if (m := re.match(r"^(uppdrag)_([0-9]{4})\.yaml$", f))), default=None)
    return filnamn(UPPDRAG, ar or "ÅÅÅÅ"), filnamn(PRISER, ar or "ÅÅÅÅ")


def _kopian() -> dict[str, bytes]:
    """De medföljande datafilerna, exemplen och schemana."""
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
            if schema_for(fil.name) is not None:
                text = _med_schemarad(text, schema_for(fil.name), djup)
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
    """Skriver filerna i den nya temporära katalogen `rot` (`filer.skriv_ny`)."""
    for rel, innehall in filer.items():
        fil = rot / rel
        fil.parent.mkdir(parents=True, exist_ok=True)
        skriv_ny(fil, innehall)


def _kontrollera(mal: Path, filer: dict[str, bytes], namn: str) -> None:
    """Före allt annat: ingen av filerna får finnas, och katalogerna de ska ligga i måste vara
    kataloger (eller inte finnas) och inte symboliska länkar: init skriver aldrig genom en länk,
    till en plats någon annan har valt."""
    if os.path.islink(mal) and mal.is_dir():
        raise Initieringsfel(f"ersattning init: {namn} är en symbolisk länk till en katalog; init skriver inte "
                             "genom en länk (ange katalogen den pekar på); inget kopierades")
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
            if i < len(delar) and os.path.islink(sokvag):
                raise Initieringsfel(f"ersattning init: {os.path.join(namn, *delar[:i])} är en symbolisk länk; "
                                     "init skriver inte genom en länk; inget kopierades")
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
    return Initieringsfel(f"ersattning init: {meddelande(namn, e, 'kunde inte kopiera')}; inget kopierades")


def _skrivfel(namn: str, e: Filfel) -> Initieringsfel:
    """Ett fel vid skrivningen av en fil som en svensk rad om målkatalogen."""
    return Initieringsfel(f"ersattning init: {namn}: {e.orsak}; inget kopierades")


def initiera(katalog: Path, ar: int | None = None) -> list[str]:
    """Kopierar de medföljande datafilerna, exemplen och schemana till `katalog` (med `ar` också
    utkastet för året, se `planera`) och returnerar de skapade filerna (relativa sökvägar). Allt
    eller inget (se modulen); en befintlig fil skrivs aldrig över (`Initieringsfel`)."""
    katalog = Path(katalog)
    namn = visbar(str(katalog))
    try:
        filer = planera(ar, katalog)
    except OSError as e:
        raise Initieringsfel(f"ersattning init: de medföljande filerna kan inte läsas ({orsak(e, 'läsfel')})") from None
    _kontrollera(katalog, filer, namn)
    if katalog.exists():
        _lagg_i_befintlig(katalog, filer, namn)
        return list(filer)
    try:
        katalog.parent.mkdir(parents=True, exist_ok=True)
        tmp = _ny_temporar_katalog(katalog.parent, katalog.name)
    except OSError as e:
        raise _oserror(namn, e) from None
    try:
        _skriv_alla(tmp, filer)
        try:
            flytta_in_katalog(str(tmp), str(katalog))
        except OSError as e:
            if e.errno in (errno.EEXIST, errno.ENOTEMPTY) or katalog.exists():
                raise Initieringsfel(f"ersattning init: {namn} skapades av någon annan under tiden; "
                                     "inget kopierades") from None
            raise
    except OSError as e:
        raise _oserror(namn, e) from None
    except Filfel as e:
        raise _skrivfel(namn, e) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return list(filer)


def _lagg_i_befintlig(katalog: Path, filer: dict[str, bytes], namn: str) -> None:
    """Skriver alla filer som temporära filer bredvid sina mål och länkar sedan in dem (skriver
    aldrig över); tar bort det som hunnit länkas in, och nya underkataloger, om något går fel."""
    nya_kataloger: list[Path] = []
    forberedda: list[tuple[str, Forberedd]] = []
    publicerade: list[Path] = []
    klart = False
    try:
        for rel, innehall in filer.items():
            mal = katalog / rel
            for foralder in reversed(mal.relative_to(katalog).parents[:-1]):
                d = katalog / foralder
                if not d.exists():
                    d.mkdir()
                    nya_kataloger.append(d)
            try:
                forberedda.append((rel, Forberedd(mal, innehall)))
            except Filfel as e:
                raise _annan_hann_fore(namn, rel) if e.orsak == FINNS_REDAN else _skrivfel(namn, e) from None
        for rel, f in forberedda:
            try:
                f.publicera()
            except Filfel as e:
                raise _annan_hann_fore(namn, rel) if e.orsak == FINNS_REDAN else _skrivfel(namn, e) from None
            publicerade.append(katalog / rel)
        klart = True
    except OSError as e:
        raise _oserror(namn, e) from None
    finally:
        for _, f in forberedda:
            f.kasta()
        if not klart:
            for fil in reversed(publicerade):
                try:
                    fil.unlink()
                except OSError:
                    pass
            for d in reversed(nya_kataloger):
                try:
                    d.rmdir()
                except OSError:
                    pass


def _annan_hann_fore(namn: str, rel: str) -> Initieringsfel:
    """En fil som inte fanns vid kontrollen men finns när den ska skrivas."""
    return Initieringsfel(f"ersattning init: {os.path.join(namn, *rel.split('/'))} skapades av någon annan under "
                          "tiden; inget kopierades")
