"""Var datafilerna finns och vilket år de gäller: de medföljande filerna, eller användarens egen
datakatalog med ett eller flera år.

En controller ändrar i en egen kopia (`ersattning init KATALOG`), aldrig i de installerade
filerna. Datafilerna väljs så här, för uppdrags- och prisfilen var för sig:

1. en uttryckligen angiven fil (`--uppdrag FIL`, `--priser FIL`);
2. filen i datakatalogen `--data KATALOG`;
3. filen i datakatalogen i miljövariabeln `VGR_ERSATTNING_DATA`;
4. den medföljande filen (`data/` i paketet eller i källträdet).

I en datakatalog heter filerna `uppdrag_ÅÅÅÅ.yaml`, `priser_ÅÅÅÅ.yaml` och `beslut_ÅÅÅÅ.yaml`, för
hur många år som helst (regelboken §24). Året väljs av `valj_ar`: `--ar ÅÅÅÅ`; annars året i
utfallets månader (när katalogen har flera år); annars det senaste året i katalogen. Katalogens
beslutsfil för ett år används bara för att räkna fram årets ram vid årets slut, som nästa års
brygga börjar från (antagande A8); besluten i en beräkning ges med `--beslut FIL`.

En katalog som inte finns, saknar en fil som behövs eller inte har året som begärs är ett fel
(`Inlasningsfel`, slutkod 2) som säger varifrån katalogen kom och vilka år den har; verktyget faller
aldrig tyst tillbaka på de medföljande filerna.

Modulen importerar inga modeller (hjälpen läser uppdragsfilens antaganden härifrån, utan
pydantic).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from vgr_ersattning.inlasning.fel import Fel, Inlasningsfel, Plats
from vgr_ersattning.inlasning.kallor import visningsnamn
from vgr_ersattning.inlasning.yamlpos import las_yaml

MILJOVARIABEL = "VGR_ERSATTNING_DATA"
UPPDRAG, PRISER, BESLUT = "uppdrag", "priser", "beslut"
_DATAFIL = re.compile(r"^(uppdrag|priser|beslut)_([0-9]{4})\.yaml$")

# Paketet (vgr_ersattning/) och källträdets rot.
_PAKETET = Path(__file__).resolve().parents[1]
_KALLTRADET = Path(__file__).resolve().parents[3]


def filnamn(slag: str, ar: int | str) -> str:
    """Datafilens namn i en datakatalog: `uppdrag_ÅÅÅÅ.yaml`, `priser_ÅÅÅÅ.yaml`, `beslut_ÅÅÅÅ.yaml`."""
    return f"{slag}_{ar}.yaml"


def medfoljande(katalog: str) -> Path:
    """En medföljande katalog (`data`, `examples`): i det installerade paketet
    (`vgr_ersattning/KATALOG`), annars i källträdet."""
    i_paketet = _PAKETET / katalog
    if i_paketet.is_dir():
        return i_paketet
    return _KALLTRADET / katalog


def medfoljande_data() -> Path:
    """Katalogen med de medföljande datafilerna (i paketet, annars källträdets `data/`)."""
    return medfoljande("data")


def standardfil(namn: str) -> Path:
    """Den medföljande datafilen `namn` (t.ex. `uppdrag_ÅÅÅÅ.yaml`)."""
    return medfoljande_data() / namn


def datafilens_namn(sokvag: Path, visat: str) -> str:
    """En datafils namn i positioner: de medföljande filerna som `data/NAMN` (aldrig en sökväg
    in i site-packages), andra som de visas i fel (relativt arbetskatalogen när det går)."""
    try:
        if sokvag.resolve() == standardfil(sokvag.name).resolve():
            return f"data/{sokvag.name}"
    except OSError:
        pass
    return visat


def ar_i(katalog: Path) -> tuple[int, ...]:
    """Åren som katalogen har en uppdrags- eller prisfil för, stigande (inga om den inte går att läsa)."""
    try:
        namn = os.listdir(katalog)
    except OSError:
        return ()
    ar = set()
    for n in namn:
        m = _DATAFIL.match(n)
        if m and m.group(1) in (UPPDRAG, PRISER) and (katalog / n).is_file():
            ar.add(int(m.group(2)))
    return tuple(sorted(ar))


def lista(ar: tuple[int, ...] | list[int]) -> str:
    """Åren som text, stigande och åtskilda med komma, eller `inga`."""
    return ", ".join(str(a) for a in ar) or "inga"


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


@dataclass(frozen=True)
class Datafiler:
    """Filerna en körning läser, året de gäller (None när båda filerna är angivna: året står i
    dem), och katalogen med åren (None när ingen katalog läses) med de år den har."""

    uppdrag: Path
    priser: Path
    ar: int | None = None
    katalog: Path | None = None
    ar_i_katalogen: tuple[int, ...] = ()

    def fil(self, slag: str, ar: int) -> Path | None:
        """`SLAG_ÅÅÅÅ.yaml` i katalogen, om den finns."""
        if self.katalog is None:
            return None
        fil = self.katalog / filnamn(slag, ar)
        return fil if fil.is_file() else None


def _fel(namn: str, medd: str) -> Inlasningsfel:
    return Inlasningsfel([Fel(Plats(namn, 0, 0), "", medd)])


# Utfallets år: utfallsfil → åren i dess månader (läses bara när valet behöver det).
Utfallsar = Callable[[], Mapping[str, set[int]]]


def valj_ar(begart: int | None, finns: tuple[int, ...], var: str, utfallets_ar: Utfallsar | None = None,
            standard: int | None = None, foreslaget: int | None = None) -> int | None:
    """Regelboken §24: året som körningen gäller. `--ar` (`begart`) om det är givet; annars året i en
    angiven uppdrags- eller prisfil (`foreslaget`) när katalogen har det; annars året i utfallets
    månader när katalogen har flera år; annars det senaste året i katalogen (`standard` när den inte
    har något). `var` beskriver katalogen i felraderna."""
    if begart is None and foreslaget is not None and (foreslaget in finns or not finns):
        return foreslaget
    if begart is not None:
        if finns and begart not in finns:
            raise _fel(f"--ar {begart}", f"{var} har inte {begart} (år: {lista(finns)}; ett nytt år skapas med "
                               f"`ersattning init --ar {begart} KATALOG`)")
        _utfallets_enda_ar(begart, utfallets_ar)
        return begart
    if len(finns) > 1 and utfallets_ar is not None:
        ar = _utfallets_enda_ar(None, utfallets_ar)
        if ar is not None:
            if ar not in finns:
                filer = ", ".join(f for f, a in utfallets_ar().items() if ar in a)
                raise _fel(filer, f"utfallet gäller {ar}, som {var} inte har (år: {lista(finns)}; ange året med "
                                  f"--ar eller skapa det med `ersattning init --ar {ar} KATALOG`)")
            return ar
    return finns[-1] if finns else standard


def _utfallets_enda_ar(begart: int | None, utfallets_ar: Utfallsar | None) -> int | None:
    """Utfallets enda år (None när filerna inte säger något). En fil med månader i flera år, filer
    för olika år och ett annat år än `--ar` är fel."""
    if utfallets_ar is None:
        return None
    per_fil = {f: a for f, a in utfallets_ar().items() if a}
    for fil, ar in per_fil.items():
        if len(ar) > 1:
            raise _fel(fil, f"utfallsfilen har månader i flera år ({lista(sorted(ar))}); en beräkning gäller ett år: "
                            "dela uttaget per år och välj året med --ar")
    alla = sorted({a for ar in per_fil.values() for a in ar})
    if len(alla) > 1:
        delar = "; ".join(f"{f}: {lista(sorted(a))}" for f, a in per_fil.items())
        raise _fel("--utfall", f"utfallsfilerna gäller olika år ({delar}); en beräkning gäller ett år: ge "
                               "uttagen för ett år och välj året med --ar")
    if not alla:
        return None
    if begart is not None and alla[0] != begart:
        raise _fel(", ".join(per_fil), f"utfallet gäller {alla[0]}, inte {begart} (--ar)")
    return alla[0]


def datafiler(uppdrag: Path | None, priser: Path | None, data: Path | None = None,
              miljo: Mapping[str, str] | None = None, *, ar: int | None = None, foreslaget: int | None = None,
              utfallets_ar: Utfallsar | None = None) -> Datafiler:
    """Uppdrags- och prisfilen enligt ordningen överst i modulen, för året `valj_ar` väljer. En
    datakatalog som behövs men inte finns, inte är en katalog, saknar en av filerna eller inte har
    året ger `Inlasningsfel` med en rad."""
    if uppdrag and priser:
        return Datafiler(Path(uppdrag), Path(priser), ar)
    kalla = datakatalog(data, miljo)
    medfoljande_ar = ar_i(medfoljande_data())
    if kalla is None:
        katalog, namn = medfoljande_data(), "data"
        var = "de medföljande datafilerna"
    else:
        katalog = kalla.katalog
        namn = visningsnamn(katalog)
        var = f"datakatalogen {namn} ({kalla.fran})"
        if not katalog.exists():
            raise _fel(namn, f"datakatalogen finns inte ({kalla.fran}; skapa den med "
                             f"`ersattning init {namn}`)")
        if not katalog.is_dir():
            raise _fel(namn, f"är inte en katalog ({kalla.fran} ska vara en datakatalog med "
                             f"{filnamn(UPPDRAG, 'ÅÅÅÅ')} och {filnamn(PRISER, 'ÅÅÅÅ')})")
    finns = ar_i(katalog)
    valt = valj_ar(ar, finns, var, utfallets_ar, medfoljande_ar[-1] if medfoljande_ar else None, foreslaget)
    if valt is None:
        raise _fel(namn, f"datakatalogen har inga datafiler ({kalla.fran if kalla else 'installationen'}; en "
                         f"datakatalog har {filnamn(UPPDRAG, 'ÅÅÅÅ')} och {filnamn(PRISER, 'ÅÅÅÅ')} för varje år)")
    behovs = [filnamn(slag, valt) for slag, fil in ((UPPDRAG, uppdrag), (PRISER, priser)) if not fil]
    saknas = [n for n in behovs if not (katalog / n).is_file()]
    if saknas:
        if kalla is None:
            raise _fel(namn, f"de medföljande datafilerna saknar {' och '.join(saknas)} (år: {lista(finns)})")
        raise _fel(namn, f"datakatalogen saknar {' och '.join(saknas)} ({kalla.fran}; en datakatalog har "
                         f"{filnamn(UPPDRAG, valt)} och {filnamn(PRISER, valt)}, som `ersattning init` kopierar dit)")

    def vald(fil: Path | None, slag: str) -> Path:
        return Path(fil) if fil else katalog / filnamn(slag, valt)

    return Datafiler(vald(uppdrag, UPPDRAG), vald(priser, PRISER), valt, katalog, finns)


def uppdragsfil_for_hjalp() -> Path | None:
    """Uppdragsfilen som hjälpens antaganden läses ur: det senaste året i `VGR_ERSATTNING_DATA` om
    katalogen har ett, annars det senaste medföljande (hjälpen visas även när katalogen är fel;
    kommandona säger det)."""
    kalla = datakatalog(None)
    for katalog in ([kalla.katalog] if kalla is not None else []) + [medfoljande_data()]:
        for ar in reversed(ar_i(katalog)):
            if (katalog / filnamn(UPPDRAG, ar)).is_file():
                return katalog / filnamn(UPPDRAG, ar)
    return None


def antaganden_for_hjalp(avsnitt: Optional[set[int]] = None) -> list[str]:
    """Antagandena (`An: text`, i nummerordning) ur uppdragsfilen för hjälpen (`uppdragsfil_for_hjalp`);
    med `avsnitt` bara de vars källa nämner ett av regelbokens avsnitt (`§N`). Hjälpen visas även när
    filen är trasig eller saknas: då utan antaganden, och kommandona säger vad som är fel."""
    fil = uppdragsfil_for_hjalp()
    if fil is None:
        return []
    try:
        data, _ = las_yaml(fil)
    except (Inlasningsfel, OSError):
        return []
    antaganden = data.get("antaganden") if isinstance(data, dict) else None
    if not isinstance(antaganden, dict):
        return []
    ut = []
    for a, v in antaganden.items():
        if not isinstance(v, dict) or "text" not in v:
            continue
        if avsnitt is not None and not avsnitt & {int(n) for n in re.findall(r"§(\d+)", str(v.get("kalla", "")))}:
            continue
        ut.append((int(a[1:]) if str(a)[1:].isdigit() else 10 ** 9, f"{a}: {v['text']}"))
    return [text for _, text in sorted(ut)]
