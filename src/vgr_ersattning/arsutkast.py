"""`ersattning init --ar ÅÅÅÅ`: ett utkast för ett nytt år ur året före (regelboken §24).

Utkastet har samma utförare, rader, namn, grupper, profiler, priskategorier, regler, indikatorer och
antaganden som året före. Det som nämnden beslutar för året står tomt (`null`) med sin källa
(`kalla`) tom: ramen, avräkningsnivåerna, volymerna och deras summor, bryggans uppräkning, delsumma
och slutrad (justeringarna är en tom lista), priserna och beslutet om uppdraget. Bryggans första rad
är årets före ram vid årets slut (antagande A8): uppdragets ram ändrad av beslutsfilen för det året
i samma katalog, när den finns, med namn och källa. Tabeller som hör till årets dokument (AT- och
ST-A-platserna, tabellen Priser, anmärkningarna om dokumentet) följer inte med. Filerna märks
`utkast: true`; en beräkning vägrar dem tills luckorna är ifyllda (`inlasning.dokument`).
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from vgr_ersattning.inlasning.beslut import las_beslut
from vgr_ersattning.inlasning.datakatalog import BESLUT, PRISER, UPPDRAG, filnamn
from vgr_ersattning.inlasning.dokument import las_priser, las_uppdrag
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.inlasning.yamlpos import las_yaml
from vgr_ersattning.kalkyl.arsovergang import ram_vid_arets_slut
from vgr_ersattning.kalkyl.resultat import BESLUT as BESLUTSKALLA
from vgr_ersattning.pengar import svensk

# Uppgifter om utföraren som hör till årets dokument och inte följer med till nästa år.
_ARETS_TABELLER = ("at_platser", "st_a_platser", "anmarkningar")


class Utkastfel(Exception):
    """Året före går inte att bygga ett utkast ur (en svensk rad)."""


def utkast(ar: int, katalog: Path) -> dict[str, bytes]:
    """Filerna för året `ar` ur året före i `katalog`: `uppdrag_ÅÅÅÅ.yaml`, `priser_ÅÅÅÅ.yaml` och,
    när året före har en beslutsfil, en tom `beslut_ÅÅÅÅ.yaml` för samma utförare."""
    fore = ar - 1
    uppdrag_fil, priser_fil = katalog / filnamn(UPPDRAG, fore), katalog / filnamn(PRISER, fore)
    beslut_fil = katalog / filnamn(BESLUT, fore)
    try:
        uppdrag_dok, priser_dok = las_uppdrag(uppdrag_fil), las_priser(priser_fil)
        beslut = las_beslut([beslut_fil], uppdrag_dok.modell, priser_dok.modell) if beslut_fil.is_file() else None
        uppdrag_data, _ = las_yaml(uppdrag_fil)
        priser_data, _ = las_yaml(priser_fil)
        beslut_data = las_yaml(beslut_fil)[0] if beslut_fil.is_file() else None
    except Inlasningsfel as e:
        raise Utkastfel(f"{fore} års filer går inte att läsa: {e.fel[0]}"
                        + (f" (och {len(e.fel) - 1} fel till)" if len(e.fel) > 1 else "")) from None
    luckor = len(uppdrag_dok.luckor) + len(priser_dok.luckor)
    if luckor:
        raise Utkastfel(f"{fore} är ett utkast med {luckor} värden kvar att fylla i; fyll i det först")
    ramar = {}
    for uid, utf in uppdrag_dok.modell.utforare.items():
        if utf.ersattningsram is not None:
            lista = beslut.for_utforare(uid) if beslut is not None else []
            ramar[uid] = _forsta_raden(fore, utf, ram_vid_arets_slut(utf, priser_dok.modell, uid, fore, lista),
                                       lista)
    filer = {
        filnamn(UPPDRAG, ar): _text(_uppdragets_utkast(uppdrag_data, ar, ramar),
                                    _huvud(ar, "uppdrag", uppdrag_fil.name, fore)),
        filnamn(PRISER, ar): _text(_prisernas_utkast(priser_data, ar), _huvud(ar, "priser", priser_fil.name, fore)),
    }
    if isinstance(beslut_data, dict):
        filer[filnamn(BESLUT, ar)] = _text(
            {"utforare": beslut_data.get("utforare"), "ar": ar, "beslut": []},
            f"# Beslut under året {ar} (regelboken §18), skrivet av `ersattning init --ar {ar}`: listan är tom.\n"
            "# Lägg till beslut här när de fattas och ge filen med --beslut. Ramen i slutet av året (med\n"
            f"# beslutens ändringar) är den som bryggan för {ar + 1} börjar från (antagande A8).\n")
    return filer


def _forsta_raden(fore: int, utf, ram, beslut: list) -> dict[str, Any]:
    """Bryggans första rad: årets före ram vid årets slut, med namn och källa."""
    b = utf.beslut
    organ = " ".join(x for x in (b.organ, b.datum, b.paragraf) if x) if b is not None else ""
    namn = f"Ersättning uppdrag {fore}" + (f" ({organ})" if organ else "")
    kalla = f"{fore} års ram vid årets slut (antagande A8): {utf.ersattningsram.kalla}"
    if ram.kalla is not None and ram.kalla.dokument == BESLUTSKALLA:
        andrad = beslut[ram.kalla.sokvag[1]]
        beskrivning = " ".join(x for x in (andrad.organ, andrad.datum, andrad.paragraf) if x)
        namn += f", ändrad {' '.join(x for x in (andrad.datum, andrad.paragraf) if x)}"
        kalla += (f"; ändrad från {svensk(utf.ersattningsram.belopp_tkr)} tkr till {svensk(ram.varde)} tkr från "
                  f"{andrad.fran} genom beslut {beskrivning}: {andrad.kalla}")
    return {"namn": namn, "belopp_tkr": ram.varde, "anmarkning": kalla}


def _uppdragets_utkast(data: dict, ar: int, ramar: dict[str, dict]) -> dict:
    ut: dict[str, Any] = {}
    for nyckel, varde in data.items():
        if nyckel == "ar":
            ut["ar"], ut["utkast"] = ar, True
        elif nyckel in ("utkast", "at_fordelning"):
            continue
        elif nyckel == "utforare":
            ut[nyckel] = {uid: _utforarens_utkast(u, ar, ramar.get(uid)) for uid, u in varde.items()}
        else:
            ut[nyckel] = varde
    return ut


def _utforarens_utkast(u: dict, ar: int, forsta: dict | None) -> dict:
    """En utförare: det som beslutas för året tomt när utföraren har en ram, resten som året före."""
    ut = {k: v for k, v in u.items() if k not in _ARETS_TABELLER}
    if forsta is None:
        return ut
    if isinstance(ut.get("beslut"), dict):
        ut["beslut"] = {**ut["beslut"], "datum": None, "paragraf": None, "kalla": None}
    ut["ersattningsram"] = {"belopp_tkr": None, "kalla": None}
    if isinstance(ut.get("avrakning"), dict):
        avr = dict(ut["avrakning"], kalla=None)
        avr["poster"] = {pid: dict(p, niva_tkr=None) for pid, p in (avr.get("poster") or {}).items()}
        ut["avrakning"] = avr
    if isinstance(ut.get("volymer"), dict):
        tomt = {"uppdrag": None, "bas": None, "tillagg": None}
        v = dict(ut["volymer"], kalla=None)
        v["totaler"] = {g: dict(tomt) for g in (v.get("totaler") or {})}
        v["totalsumma"] = dict(tomt)
        v["rader"] = {rid: {**r, **tomt} for rid, r in (v.get("rader") or {}).items()}
        ut["volymer"] = v
    fore = u.get("brygga") if isinstance(u.get("brygga"), dict) else {}
    delsumma = (fore.get("delsumma") or {}).get("namn", "Delsumma 1, inkl uppräkningsfaktor")
    ut["brygga"] = {
        "kalla": None,
        "fran": forsta,
        "index": {"namn": "Uppräkningsfaktor", "procent": None, "belopp_tkr": None},
        "delsumma": {"namn": delsumma, "belopp_tkr": None},
        "justeringar": [],
        "till": {"namn": f"Uppdrag {ar}", "belopp_tkr": None},
    }
    return ut


def _prisernas_utkast(data: dict, ar: int) -> dict:
    ut: dict[str, Any] = {}
    for nyckel, varde in data.items():
        if nyckel == "ar":
            ut["ar"], ut["utkast"] = ar, True
        elif nyckel in ("utkast", "priser"):
            continue
        elif nyckel == "tillagg":
            ut[nyckel] = {kid: _kategorins_utkast(k) for kid, k in varde.items()}
        else:
            ut[nyckel] = varde
    return ut


def _kategorins_utkast(k: dict) -> dict:
    ut = dict(k, kalla=None)
    if "pris_kr" in ut and ut["pris_kr"] is not None:
        ut["pris_kr"] = None
    if isinstance(ut.get("per_utforare"), dict):
        ut["per_utforare"] = {uid: None for uid in ut["per_utforare"]}
    return ut


def _huvud(ar: int, slag: str, fran: str, fore: int) -> str:
    """Kommentaren överst i utkastet: vad det är, vad som står tomt och hur det blir klart."""
    if slag == "uppdrag":
        vad = ("Det nämnden beslutar för året står tomt (null), med sin källa (kalla): beslutet om uppdraget, "
               "ramen, avräkningsnivåerna, volymerna och deras summor, och bryggans uppräkning, justeringar och "
               f"slutrad. Bryggans första rad är {fore} års ram vid årets slut (antagande A8). AT- och "
               "ST-A-platserna och anmärkningarna om förra årets dokument följer inte med; lägg till dem ur det "
               "nya beslutet.")
    else:
        vad = "Priserna och deras källor står tomma (null). Tabellen Priser följer inte med; lägg till den ur det nya beslutet."
    text = (f"Utkast: {slag} {ar}, skrivet av `ersattning init --ar {ar}` ur {fran} (regelboken §24). Samma "
            f"innehåll i övrigt som {fore}. {vad} `ersattning kontrollera --ar {ar}` listar det som återstår att "
            "fylla i; en beräkning vägrar utkastet tills det är ifyllt. Ta bort raden `utkast: true` när året är "
            "beslutat.")
    return textwrap.fill(text, 100, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False) + "\n"


class _Skrivare(yaml.SafeDumper):
    """YAML som en människa fyller i: nycklarna i filens ordning, korta mappningar på en rad."""


def _decimal(skrivare: yaml.SafeDumper, d: Decimal) -> yaml.Node:
    return skrivare.represent_scalar("tag:yaml.org,2002:" + ("int" if d == d.to_integral_value() and "." not in
                                                              str(d) else "float"), str(d))


def _mappning(skrivare: yaml.SafeDumper, m: dict) -> yaml.Node:
    kort = (m and all(not isinstance(v, (dict, list)) for v in m.values())
            and sum(len(str(k)) + len(str(v)) + 4 for k, v in m.items()) <= 100)
    return skrivare.represent_mapping("tag:yaml.org,2002:map", m.items(), flow_style=bool(kort))


def _lista(skrivare: yaml.SafeDumper, lista: list) -> yaml.Node:
    kort = lista and all(not isinstance(v, (dict, list)) for v in lista) and sum(len(str(v)) + 2 for v in lista) <= 100
    return skrivare.represent_sequence("tag:yaml.org,2002:seq", lista, flow_style=bool(kort))


_Skrivare.add_representer(Decimal, _decimal)
_Skrivare.add_representer(dict, _mappning)
_Skrivare.add_representer(list, _lista)


def _text(data: Any, huvud: str) -> bytes:
    return (huvud + yaml.dump(data, Dumper=_Skrivare, allow_unicode=True, sort_keys=False, width=10_000,
                              default_flow_style=False)).encode("utf-8")
