"""Flera år i en datakatalog (regelboken §24): `--ar`, året ur utfallet, bryggan över åren
(§8, antagande A8), `init --ar ÅÅÅÅ` som skriver ett utkast för nästa år, och en journal per
utförare och år."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import ROT
from vgr_ersattning.inlasning import datakatalog
from vgr_ersattning.inlasning.dokument import las_priser, las_uppdrag
from vgr_ersattning.kalkyl.arsovergang import kontrollera_arsovergang
from vgr_ersattning.modell import Brygga

UTFALL_2026 = ROT / "examples" / "produktion_2026.csv"
RAM_2027 = 3384224          # 3 317 867 + 2 % (66 357)


@pytest.fixture(autouse=True)
def _utan_miljovariabel(monkeypatch):
    monkeypatch.delenv(datakatalog.MILJOVARIABEL, raising=False)


def fyll(utkast, fore):
    """Utkastets luckor (null) med förra årets värden på samma nyckelväg."""
    if isinstance(utkast, dict):
        return {k: (fore.get(k) if isinstance(fore, dict) else None) if v is None
                else fyll(v, fore.get(k) if isinstance(fore, dict) else None) for k, v in utkast.items()}
    if isinstance(utkast, list):
        return [fyll(v, fore[i] if isinstance(fore, list) and i < len(fore) else None) for i, v in enumerate(utkast)]
    return utkast


def las(fil: Path):
    return yaml.safe_load(fil.read_text(encoding="utf-8"))


def skriv(fil: Path, data) -> None:
    fil.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fyll_utkastet(d: Path, *, fran: int = 3317867, ram: int = RAM_2027) -> None:
    """2027 års utkast ifyllt med 2026 års siffror och en ny ram: 2 % uppräkning av `fran`, och en
    justering som tar bryggan till `ram`."""
    for slag in ("uppdrag", "priser"):
        skriv(d / f"{slag}_2027.yaml", fyll(las(d / f"{slag}_2027.yaml"), las(d / f"{slag}_2026.yaml")))
    u = las(d / "uppdrag_2027.yaml")
    sv = u["utforare"]["SV"]
    sv["ersattningsram"]["belopp_tkr"] = ram
    index = round(fran * 0.02)
    b = sv["brygga"]
    b["fran"]["belopp_tkr"] = fran
    b["index"].update(procent=2, belopp_tkr=index)
    b["delsumma"]["belopp_tkr"] = fran + index
    b["justeringar"] = [{"namn": "Justering (test)", "belopp_tkr": ram - fran - index}] if ram != fran + index else []
    b["till"]["belopp_tkr"] = ram
    skriv(d / "uppdrag_2027.yaml", u)


@pytest.fixture
def utfall_2027(tmp_path) -> Path:
    fil = tmp_path / "produktion_2027.csv"
    fil.write_text(UTFALL_2026.read_text(encoding="utf-8").replace("2026-", "2027-"), encoding="utf-8")
    return fil


@pytest.fixture
def utkast(tmp_path, kor) -> Path:
    d = tmp_path / "D"
    k = kor("init", "--ar", "2027", d)
    assert k.kod == 0, k
    return d


@pytest.fixture
def tva_ar(utkast) -> Path:
    fyll_utkastet(utkast)
    return utkast


def json_ut(kor, *args) -> dict:
    k = kor(*args, "-f", "json")
    assert k.kod == 0, k
    return json.loads(k.ut)


# --- init --ar ----------------------------------------------------------------------------------------


def test_init_ar_skriver_ett_utkast_som_borjar_fran_forra_arets_ram(utkast):
    for namn in ("uppdrag_2026.yaml", "priser_2026.yaml", "uppdrag_2027.yaml", "priser_2027.yaml",
                 "beslut_2027.yaml", "examples/produktion_2026.csv", "schema/uppdrag.json"):
        assert (utkast / namn).is_file(), namn
    u = las(utkast / "uppdrag_2027.yaml")
    assert u["ar"] == 2027 and u["utkast"] is True
    sv = u["utforare"]["SV"]
    assert sv["brygga"]["fran"]["belopp_tkr"] == 3317867
    assert sv["brygga"]["fran"]["namn"] == "Ersättning uppdrag 2026 (operativa hälso- och sjukvårdsnämnden 2025-09-25 § 293)"
    assert "2026 års ram vid årets slut (antagande A8)" in sv["brygga"]["fran"]["anmarkning"]
    assert sv["brygga"]["till"] == {"namn": "Uppdrag 2027", "belopp_tkr": None}
    assert sv["brygga"]["justeringar"] == [] and sv["brygga"]["index"]["procent"] is None
    assert sv["ersattningsram"] == {"belopp_tkr": None, "kalla": None}
    # Samma rader, namn och priskategorier; volymerna tomma.
    fore = las(utkast / "uppdrag_2026.yaml")["utforare"]["SV"]
    assert list(sv["volymer"]["rader"]) == list(fore["volymer"]["rader"])
    for rid, rad in sv["volymer"]["rader"].items():
        assert (rad["namn"], rad["priskategori"]) == (fore["volymer"]["rader"][rid]["namn"],
                                                      fore["volymer"]["rader"][rid]["priskategori"])
        assert (rad["uppdrag"], rad["bas"], rad["tillagg"]) == (None, None, None)
    assert sv["indikatorer"] == fore["indikatorer"]
    assert u["antaganden"] == las(utkast / "uppdrag_2026.yaml")["antaganden"]
    assert "at_platser" not in sv and "st_a_platser" not in sv and "at_fordelning" not in u
    p = las(utkast / "priser_2027.yaml")
    assert p["utkast"] is True and set(p["tillagg"]) == {"besok", "behandling", "kologastro"}
    assert p["tillagg"]["besok"]["pris_kr"] is None and set(p["tillagg"]["kologastro"]["per_utforare"].values()) == {None}
    # Utkastet läses: luckorna är kända, modellen validerar.
    dok = las_uppdrag(utkast / "uppdrag_2027.yaml")
    assert dok.utkast and ("utforare", "SV", "ersattningsram", "belopp_tkr") in dok.luckor
    assert dok.modell.utforare["SV"].brygga.fran.belopp_tkr == 3317867
    assert las_priser(utkast / "priser_2027.yaml").luckor


def test_init_ar_i_en_katalog_med_ar_skriver_bara_utkastet(tmp_path, kor):
    d = tmp_path / "D"
    assert kor("init", d).kod == 0
    fore = {p: p.read_bytes() for p in d.rglob("*") if p.is_file()}
    k = kor("init", "--ar", "2027", d)
    assert k.kod == 0, k
    nya = {p for p in d.rglob("*") if p.is_file()} - set(fore)
    assert {p.name for p in nya} == {"uppdrag_2027.yaml", "priser_2027.yaml", "beslut_2027.yaml"}
    assert all(p.read_bytes() == b for p, b in fore.items())
    assert "utkast för 2027" in k.ut and f"ersattning kontrollera --data {d} --ar 2027" in k.ut


def test_init_ar_vagrar_ett_ar_som_finns_ett_ar_utan_aret_fore_och_ett_utkast_som_grund(utkast, kor, tmp_path):
    fore = {p: p.read_bytes() for p in utkast.rglob("*") if p.is_file()}
    k = kor("init", "--ar", "2027", utkast)
    assert k.kod == 2 and k.fel.strip() == (f"ersattning init --ar 2027: {utkast} har redan 2027 (uppdrag_2027.yaml, "
                                            "priser_2027.yaml, beslut_2027.yaml); inget skrevs (befintliga filer "
                                            "skrivs aldrig över)"), k
    k = kor("init", "--ar", "2029", utkast)
    assert k.kod == 2 and k.fel.strip() == (
        f"ersattning init --ar 2029: {utkast} har inte 2028 (år: 2026, 2027); utkastet för 2029 bygger på 2028 års "
        "uppdrag, och bryggan börjar från 2028 års ram vid årets slut (antagande A8); inget skrevs"), k
    k = kor("init", "--ar", "2028", utkast)
    assert k.kod == 2 and "2027 är ett utkast med 189 värden kvar att fylla i; fyll i det först" in k.fel, k
    assert {p: p.read_bytes() for p in utkast.rglob("*") if p.is_file()} == fore
    k = kor("init", "--ar", "2026", tmp_path / "ny")
    assert k.kod == 2 and "de medföljande datafilerna har redan 2026" in k.fel, k
    assert not (tmp_path / "ny").exists()


def test_utkastet_fran_ett_ar_med_beslut_om_ramen(tmp_path, kor):
    """Antagande A8: 2026 års beslutsfil i katalogen höjer ramen till 3 329 867 tkr från oktober; bryggan för
    2027 börjar där, med beslutet som källa."""
    d = tmp_path / "D"
    assert kor("init", d).kod == 0
    (d / "beslut_2026.yaml").write_bytes((ROT / "examples" / "beslut_2026.yaml").read_bytes())
    assert kor("init", "--ar", "2027", d).kod == 0
    fran = las(d / "uppdrag_2027.yaml")["utforare"]["SV"]["brygga"]["fran"]
    assert fran["belopp_tkr"] == 3329867
    assert fran["namn"].endswith("ändrad 2026-09-24 § 201")
    assert "ändrad från 3 317 867 tkr till 3 329 867 tkr från 2026-10" in fran["anmarkning"]
    # Ett ifyllt 2027 som börjar från ramen före beslutet stämmer inte med 2026 års ram vid årets slut.
    fyll_utkastet(d)
    k = kor("kontrollera", "--data", d, "--ar", "2027")
    assert k.kod == 1, k
    assert ("bryggans första rad 3 317 867 tkr ≠ 2026 års ram vid årets slut 3 329 867 tkr: differens −12 000 tkr "
            f"({d / 'beslut_2026.yaml'}:22:10, operativa hälso- och sjukvårdsnämnden 2026-09-24 § 201; uppdragets "
            "ram 3 317 867 tkr; antagande A8)") in k.fel


# --- ett utkast vägras av beräkningarna och listas av kontrollera -------------------------------------------


def test_en_berakning_vagrar_utkastet_med_det_som_aterstar(utkast, kor, utfall_2027):
    k = kor("berakna", "--data", utkast)
    assert k.kod == 1 and k.ut == "", k
    rader = k.fel.strip().splitlines()
    assert rader[0] == (f"ersattning berakna: räknar inte: {utkast}/uppdrag_2027.yaml och {utkast}/priser_2027.yaml "
                        "är ett utkast för 2027 (utkast: true) med 189 värden kvar att fylla i:")
    assert f"{utkast}/uppdrag_2027.yaml:75:22: att fylla i: utforare.SV.ersattningsram: belopp_tkr, kalla" in rader
    assert (f"{utkast}/uppdrag_2027.yaml:113:48: att fylla i: utforare.SV.volymer.rader.*: uppdrag, bas, tillagg "
            "(49 st)") in rader
    assert f"{utkast}/priser_2027.yaml:13:20: att fylla i: tillagg.kologastro.per_utforare: SV, NU, SKAS, SU, SAS" in rader
    assert rader[-1] == ("ersattning berakna: fyll i värdena ur nämndens beslut; `ersattning kontrollera --ar 2027` "
                         "listar det som återstår")
    for kommando in (["brygga"], ["priser"], ["prognos", "--utfall", utfall_2027], ["forklara", "anslag"],
                     ["forklara", "--lista"], ["uppfoljning", "--kalender"]):
        k = kor(*kommando, "--data", utkast)
        assert k.kod == 1 and "är ett utkast för 2027" in k.fel, (kommando, k)
    assert kor("antaganden", "--data", utkast).kod == 0
    # 2026 i samma katalog räknas som vanligt, med --ar eller med ett utfall för 2026.
    assert json_ut(kor, "berakna", "--data", utkast, "--ar", "2026")["anslag"]["ram_tkr"] == "3317867"
    assert kor("prognos", "--data", utkast, "--utfall", UTFALL_2026).kod == 0


def test_kontrollera_listar_det_som_aterstar_och_att_bryggan_borjar_ratt(utkast, kor):
    k = kor("kontrollera", "--data", utkast, "-f", "json")
    assert k.kod == 1, k
    text = json.dumps(json.loads(k.ut)["kontroller"], ensure_ascii=False)
    assert text.count('"utkast.att_fylla_i"') == 15
    assert '"brygga.forra_arets_ram"' in text
    assert (f"{utkast}/uppdrag_2027.yaml:171:34: att fylla i: utforare.SV.brygga.till: belopp_tkr") in k.fel
    # Kontrollerna av platshållarna görs inte (inga fel om summor som inte är ifyllda).
    assert "volymer.totaler" not in k.fel.replace("att fylla i: utforare.SV.volymer.totaler", "")


def test_ett_tomt_varde_utanfor_ett_utkast_ar_ett_fel(tmp_path, kor, utkast):
    fil = utkast / "uppdrag_2027.yaml"
    fil.write_text(fil.read_text(encoding="utf-8").replace("utkast: true\n", ""), encoding="utf-8")
    k = kor("kontrollera", "--data", utkast)
    assert k.kod == 2 and "utforare.SV.ersattningsram.belopp_tkr: ska vara ett tal" in k.fel, k
    fil.write_text("ar: 2027\nutkast: ja tack\n", encoding="utf-8")
    k = kor("kontrollera", "--data", utkast)
    assert k.kod == 2 and f"{fil}:2:1: utkast: ska vara sant eller falskt (true eller false)" in k.fel, k


# --- ett ifyllt år räknas, och året väljs -------------------------------------------------------------------


def test_ifyllt_utkast_raknar_med_sin_ram_och_aret_ur_utfallet(tva_ar, kor, utfall_2027):
    med_ar = json_ut(kor, "berakna", "--data", tva_ar, "--ar", "2027", "--utfall", utfall_2027)
    assert med_ar["anslag"]["ram_tkr"] == str(RAM_2027)
    assert json_ut(kor, "berakna", "--data", tva_ar, "--utfall", utfall_2027) == med_ar
    ar_2026 = json_ut(kor, "berakna", "--data", tva_ar, "--utfall", UTFALL_2026)
    assert ar_2026["anslag"]["ram_tkr"] == "3317867"
    # Samma produktion och samma priser: samma tillägg, anslaget efter årets ram.
    assert med_ar["tillagg"]["summa_kr"] == ar_2026["tillagg"]["summa_kr"]
    assert med_ar["ar"] == 2027 and ar_2026["ar"] == 2026
    # Utan utfall: det senaste året.
    assert json_ut(kor, "berakna", "--data", tva_ar)["anslag"]["ram_tkr"] == str(RAM_2027)
    # YAML-utfall: året står i filen.
    k = kor("avrakning", "--data", tva_ar, "--utfall", ROT / "examples" / "utfall_2026.yaml")
    assert k.kod == 0, k


def test_en_konsistent_katalog_klarar_kontrollen_over_aren(tva_ar, kor):
    k = kor("kontrollera", "--data", tva_ar, "--ar", "2027", "-f", "json")
    assert k.kod == 0, k
    over = [x for x in json.loads(k.ut)["kontroller"] if x["id"] == "brygga.forra_arets_ram"]
    assert [(x["ok"], x["varde"], x["differens"]) for x in over] == [(True, "3317867", "0")]
    k = kor("brygga", "--data", tva_ar)
    assert k.kod == 0, k
    assert k.fel.strip() == (f"Förra årets ram: {tva_ar}/uppdrag_2027.yaml:{rad(tva_ar, 'fran:')}:9: bryggans första "
                             "rad 3 317 867 tkr = 2026 års ram vid årets slut 3 317 867 tkr "
                             f"({tva_ar}/uppdrag_2026.yaml:57:7, operativa hälso- och sjukvårdsnämnden 2025-09-25 "
                             "§ 293; antagande A8)")
    # 2026 har inget år före i katalogen: ingen kontroll över åren.
    assert "brygga.forra_arets_ram" not in kor("kontrollera", "--data", tva_ar, "--ar", "2026", "-f", "json").ut


def rad(d: Path, borjan: str) -> int:
    """Raden för bryggans första rad (`fran:` under `brygga:`) i 2027 års uppdrag: belopp_tkr står raden efter."""
    rader = (d / "uppdrag_2027.yaml").read_text(encoding="utf-8").splitlines()
    i = next(i for i, r in enumerate(rader) if r.strip() == "brygga:")
    j = next(j for j in range(i, len(rader)) if rader[j].strip().startswith(borjan))
    return next(k for k in range(j, len(rader)) if rader[k].strip().startswith("belopp_tkr:")) + 1


def test_en_brygga_som_inte_borjar_fran_forra_arets_ram_fallerar(utkast, kor):
    fyll_utkastet(utkast, fran=3300000)
    k = kor("kontrollera", "--data", utkast, "--ar", "2027", "-f", "json")
    assert k.kod == 1, k
    underkanda = [x for x in json.loads(k.ut)["kontroller"] if not x["ok"]]
    assert [x["id"] for x in underkanda] == ["brygga.forra_arets_ram"]
    assert (f"{utkast}/uppdrag_2027.yaml:{rad(utkast, 'fran:')}:9: bryggans första rad 3 300 000 tkr ≠ 2026 års ram "
            "vid årets slut 3 317 867 tkr: differens −17 867 tkr") in k.fel
    k = kor("brygga", "--data", utkast)
    assert k.kod == 1 and "≠ 2026 års ram vid årets slut 3 317 867 tkr" in k.fel, k


def test_aret_som_saknas_och_utfall_med_flera_ar(tva_ar, kor, utfall_2027, tmp_path):
    k = kor("berakna", "--data", tva_ar, "--ar", "2028")
    assert k.kod == 2 and k.fel.strip() == (
        f"--ar 2028: datakatalogen {tva_ar} (--data) har inte 2028 (år: 2026, 2027; ett nytt år skapas med "
        "`ersattning init --ar 2028 KATALOG`)"), k
    k = kor("kontrollera", "--ar", "2027")
    assert k.kod == 2 and k.fel.strip() == ("--ar 2027: de medföljande datafilerna har inte 2027 (år: 2026; ett nytt "
                                            "år skapas med `ersattning init --ar 2027 KATALOG`)"), k
    blandad = tmp_path / "blandad.csv"
    blandad.write_text("utforare,rad,manad,antal\nSV,somatik.forstabesok.hud,2026-12,10\n"
                       "SV,somatik.forstabesok.hud,2027-01,12\n", encoding="utf-8")
    k = kor("berakna", "--data", tva_ar, "--utfall", blandad)
    assert k.kod == 2 and k.fel.strip() == (
        f"{blandad}: utfallsfilen har månader i flera år (2026, 2027); en beräkning gäller ett år: dela uttaget per "
        "år och välj året med --ar"), k
    k = kor("berakna", "--data", tva_ar, "--utfall", UTFALL_2026, "--utfall", utfall_2027)
    assert k.kod == 2 and "utfallsfilerna gäller olika år" in k.fel, k
    k = kor("berakna", "--data", tva_ar, "--ar", "2026", "--utfall", utfall_2027)
    assert k.kod == 2 and k.fel.strip() == f"{utfall_2027}: utfallet gäller 2027, inte 2026 (--ar)", k
    ar_2028 = tmp_path / "p2028.csv"
    ar_2028.write_text(utfall_2027.read_text(encoding="utf-8").replace("2027-", "2028-"), encoding="utf-8")
    k = kor("berakna", "--data", tva_ar, "--utfall", ar_2028)
    assert k.kod == 2 and f"{ar_2028}: utfallet gäller 2028, som datakatalogen {tva_ar} (--data) inte har" in k.fel, k


def test_ett_ar_i_katalogen_valjs_utan_att_utfallet_provas(kor, tmp_path):
    """Med ett enda år är felen om utfallet desamma som förut: raden med ett annat år."""
    fil = tmp_path / "u.csv"
    fil.write_text("utforare,rad,manad,antal\nSV,somatik.forstabesok.hud,2025-01,1\n", encoding="utf-8")
    k = kor("berakna", "--utfall", fil)
    assert k.kod == 2 and "manad: månaden 2025-01 ligger utanför uppdragsåret 2026" in k.fel, k


# --- en journal per utförare och år ------------------------------------------------------------------------


def test_en_journal_for_ett_annat_ar_eller_en_annan_utforare_vagras(tva_ar, kor, utfall_2027, tmp_path):
    j2026 = tmp_path / "journal_2026.txt"
    k = kor("utbetala", "--data", tva_ar, "--manad", "2026-01", "--utfall", UTFALL_2026, "--journal", j2026, "--bokfor")
    assert k.kod == 0, k
    fore = j2026.read_bytes()
    k = kor("utbetala", "--data", tva_ar, "--manad", "2027-01", "--utfall", utfall_2027, "--journal", j2026)
    assert k.kod == 2 and k.ut == "", k
    assert k.fel.strip() == (f"{j2026}:3:1: journalen gäller år 2026, inte 2027; en journal gäller en utförare och "
                             "ett år: 2027 bokförs i en egen journal, som `ersattning utbetala --bokfor` skapar med "
                             "2027-01")
    k = kor("utbetala", "--data", tva_ar, "--ar", "2026", "--manad", "2026-02", "--utfall", UTFALL_2026,
            "--journal", j2026, "-u", "RH")
    assert k.kod == 2 and k.fel.strip() == (f"{j2026}:2:1: journalen gäller utförare SV, inte RH; en journal gäller "
                                            "en utförare och ett år"), k
    assert j2026.read_bytes() == fore
    # 2027 års journal börjar medan 2026 års är öppen.
    j2027 = tmp_path / "journal_2027.txt"
    k = kor("utbetala", "--data", tva_ar, "--manad", "2027-01", "--utfall", utfall_2027, "--journal", j2027, "--bokfor")
    assert k.kod == 0, k
    assert "# år: 2027" in j2027.read_text(encoding="utf-8").splitlines()[:4]
    assert j2026.read_bytes() == fore


# --- kärnan --------------------------------------------------------------------------------------------------


def test_bryggans_forsta_rad_mot_forra_arets_ram(uppdrag):
    b: Brygga = uppdrag.utforare["SV"].brygga
    k = kontrollera_arsovergang("SV", b, 2025, Decimal("3125153"), "källan")
    assert k.ok and k.id == "brygga.forra_arets_ram" and k.differens == 0
    assert k.meddelande == ("bryggans första rad 3 125 153 tkr = 2025 års ram vid årets slut 3 125 153 tkr (källan; "
                            "antagande A8)")
    k = kontrollera_arsovergang("SV", b, 2025, Decimal("3125153.4"), "källan")
    assert k.ok and "inom avrundning (differens −0,4 tkr, tolerans 0,5 tkr)" in k.meddelande
    k = kontrollera_arsovergang("SV", b, 2025, Decimal("3125154"), "källan")
    assert not k.ok and k.differens == -1 and "≠ 2025 års ram vid årets slut 3 125 154 tkr: differens −1 tkr" in k.meddelande
    k = kontrollera_arsovergang("SV", b, 2025, None, "filen saknas")
    assert not k.ok and "kan inte prövas mot 2025 års ram: filen saknas" in k.meddelande
    assert k.sokvag == ("utforare", "SV", "brygga", "fran", "belopp_tkr") and k.utforare == "SV"


def test_hjalpen_har_ar(kor):
    for kommando in ("berakna", "kontrollera", "utbetala", "brygga", "init"):
        assert "--ar" in kor(kommando, "--help").ut, kommando
