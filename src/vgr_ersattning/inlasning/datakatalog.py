"""Var datafilerna finns: de medföljande filerna, eller användarens egen datakatalog.

En controller ändrar i en egen kopia (`ersattning init KATALOG`), aldrig i de installerade
filerna. Datafilerna väljs så här, för uppdrags- och prisfilen var för sig:

1. en uttryckligen angiven fil (`--uppdrag FIL`, `--priser FIL`);
2. filen i datakatalogen `--data KATALOG`;
3. filen i datakatalogen i miljövariabeln `VGR_ERSATTNING_DATA`;
4. den medföljande filen (`data/` i paketet eller i källträdet).

I en datakatalog heter filerna `uppdrag_2026.yaml` och `priser_2026.yaml`. En katalog som inte
finns eller saknar en fil som behövs är ett fel (`Inlasningsfel`, slutkod 2) som säger varifrån
katalogen kom; verktyget faller aldrig tyst tillbaka på de medföljande filerna.

Modulen importerar bara standardbiblioteket och felmodellen (hjälpen läser uppdragsfilens
antaganden härifrån, utan modellerna).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats
from vgr_ersattning.inlasning.kallor import visningsnamn

MILJOVARIABEL = "VGR_ERSATTNING_DATA"
UPPDRAG = "uppdrag_2026.yaml"
PRISER = "priser_2026.yaml"

# Paketet (vgr_ersattning/) och källträdets rot.
_PAKETET = Path(__file__).resolve().parents[1]
_KALLTRADET = Path(__file__).resolve().parents[3]


def standardfil(namn: str) -> Path:
    """Den medföljande datafilen: i det installerade paketet, annars i källträdets `data/`."""
    i_paketet = _PAKETET / "data" / namn
    if i_paketet.exists():
        return i_paketet
    return _KALLTRADET / "data" / namn


def medfoljande(katalog: str) -> Path:
    """En medföljande katalog (`data`, `examples`): i det installerade paketet
    (`vgr_ersattning/KATALOG`), annars i källträdet."""
    i_paketet = _PAKETET / katalog
    if i_paketet.is_dir():
        return i_paketet
    return _KALLTRADET / katalog


def medfoljande_data() -> Path:
    """Katalogen med de medföljande datafilerna (i paketet, annars källträdets `data/`)."""
    return standardfil(UPPDRAG).parent


def datafilens_namn(sokvag: Path, visat: str) -> str:
    """En datafils namn i positioner: de medföljande filerna som `data/NAMN` (aldrig en sökväg
    in i site-packages), andra som de visas i fel (relativt arbetskatalogen när det går)."""
    try:
        if sokvag.resolve() == standardfil(sokvag.name).resolve():
            return f"data/{sokvag.name}"
    except OSError:
        pass
    return visat


# --- vilka datafiler ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Datakalla:
    """En datakatalog och varifrån den kom (`--data` eller miljövariabeln), för felraderna."""

    katalog: Path
    fran: str


def datakatalog(data: Path | None, miljo: Mapping[str, str] | None = None) -> Datakalla | None:
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


def datafiler(uppdrag: Path | None, priser: Path | None, data: Path | None = None,
              miljo: Mapping[str, str] | None = None) -> tuple[Path, Path]:
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

    def vald(fil: Path | None, namn: str) -> Path:
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


def antaganden_for_hjalp() -> list[str]:
    """Antagandena (`An: text`) ur uppdragsfilen för hjälpen (`uppdragsfil_for_hjalp`). Hjälpen visas
    även när filen är trasig eller saknas: då utan antaganden, och kommandona säger vad som är fel."""
    from vgr_ersattning.inlasning.yamlpos import las_yaml

    try:
        data, _ = las_yaml(uppdragsfil_for_hjalp())
    except (Inlasningsfel, OSError):
        return []
    antaganden = data.get("antaganden") if isinstance(data, dict) else None
    if not isinstance(antaganden, dict):
        return []
    return [f"{a}: {v['text']}" for a, v in antaganden.items() if isinstance(v, dict) and "text" in v]
