"""Regelboken §18: beslut under året – värdena som gäller varje månad, med handräknade fall."""

from __future__ import annotations

import json
import os
from decimal import Decimal

from conftest import ROT, UPPDRAG_FIL, andrad_kopia

OP = "somatik.operation.allman_kirurgi"   # bas 3 543, tillägg 3 057, 35 795 kr
HUD = "somatik.forstabesok.hud"           # bas 3 858, tillägg 1 642, 2 503 kr
EXEMPEL = ROT / "examples" / "beslut_2026.yaml"
SEPTEMBER = ROT / "examples" / "produktion_2026_september.csv"


def _beslut(tmp_path, text: str, namn: str = "b.yaml"):
    f = tmp_path / namn
    f.write_text("utforare: SV\nar: 2026\nbeslut:\n" + text, encoding="utf-8")
    return f


def _csv(tmp_path, rader: dict[str, dict[int, int]]):
    f = tmp_path / "p.csv"
    f.write_text("utforare,rad,manad,antal\n" + "".join(
        f"SV,{rid},2026-{m:02d},{n}\n" for rid, man in rader.items() for m, n in man.items()), encoding="utf-8")
    return f


def _json(kor, *args):
    k = kor(*args, "-f", "json")
    assert k.kod == 0, k
    return json.loads(k.ut)


def test_exemplets_beslut_ger_80_operationer_mer_i_september_och_nya_anslaget(kor):
    """Allmän kirurgi: 6 740 operationer t.o.m. september, över taket 6 600. Delegationsbeslutet höjer
    tillägget med 80 från september: september betalar exakt 80 × 35 795 = 2 863 600 kr mer."""
    utan = _json(kor, "berakna", "--utfall", SEPTEMBER)
    med = _json(kor, "berakna", "--utfall", SEPTEMBER, "--beslut", EXEMPEL)
    sep_utan, sep_med = (Decimal(j["tillagg"]["manader"][8]["belopp_kr"]) for j in (utan, med))
    assert sep_med - sep_utan == 80 * 35795
    aug_utan, aug_med = (Decimal(j["tillagg"]["manader"][7]["belopp_kr"]) for j in (utan, med))
    assert aug_med == aug_utan                     # månaderna före beslutet är orörda
    # Ramen 3 317 867 → 3 329 867 tkr från oktober (hela året, planen):
    plan = _json(kor, "berakna", "--beslut", EXEMPEL)
    anslag = [Decimal(m["belopp_kr"]) for m in plan["anslag"]["manader"]]
    assert anslag == [276488917] * 9 + [280488916, 280488916, 280488915]
    assert sum(anslag) == 3329867000


def test_delegationsbeslut_over_gransen_vagras(kor, tmp_path):
    b = _beslut(tmp_path, "  - organ: delegation\n    datum: 2026-08-20\n    fran: 2026-09\n    kalla: x\n"
                          f"    andringar:\n      - {{id: {OP}, falt: tillagg, andra: 100}}\n")
    fore = b.read_bytes()
    k = kor("berakna", "--beslut", b)
    assert k.kod == 2 and k.ut == ""
    assert "b.yaml:4:5: beslut[0].organ: förändringen vid full leverans är 3 579 500 kr, över delegationsgränsen " \
           "3 000 000 kr" in k.fel
    assert b.read_bytes() == fore
    # Samma beslut av nämnden godtas.
    namnd = _beslut(tmp_path, "  - organ: operativa hälso- och sjukvårdsnämnden\n    datum: 2026-08-20\n"
                              f"    fran: 2026-09\n    kalla: x\n    andringar:\n      - {{id: {OP}, falt: tillagg, andra: 100}}\n",
                    "n.yaml")
    assert kor("berakna", "--beslut", namnd).kod == 0


def test_beslut_for_ett_annat_ar_utanfor_giltigheten_eller_okant_id(kor, tmp_path):
    annat_ar = tmp_path / "a.yaml"
    annat_ar.write_text("utforare: SV\nar: 2027\nbeslut: []\n", encoding="utf-8")
    k = kor("berakna", "--beslut", annat_ar)
    assert k.kod == 2 and "a.yaml:2:1: ar: beslutsfilen gäller 2027, uppdraget 2026" in k.fel
    utanfor = _beslut(tmp_path, "  - organ: delegation\n    datum: 2024-06-01\n    fran: 2026-09\n    kalla: x\n"
                                f"    andringar:\n      - {{id: {OP}, falt: tillagg, andra: 1}}\n")
    k = kor("berakna", "--beslut", utanfor)
    assert k.kod == 2 and "utanför uppdragets giltighet 2025-01-01–2027-12-31" in k.fel
    okand = _beslut(tmp_path, "  - organ: delegation\n    datum: 2026-06-01\n    fran: 2026-07\n    kalla: x\n"
                              "    andringar:\n      - {id: somatik.finns.inte, falt: tillagg, andra: 1}\n", "o.yaml")
    k = kor("berakna", "--beslut", okand)
    assert k.kod == 2 and "o.yaml:9:10: beslut[0].andringar[0].id: okänt rad-id 'somatik.finns.inte' för SV" in k.fel


def test_hojt_tak_betalar_de_extra_enheterna_forst_fran_beslutets_manad(kor, tmp_path):
    """7 000 operationer redan i januari: taket 3 057 nås i januari. +80 från september betalar de 80
    extra i september och inte före."""
    utfall = _csv(tmp_path, {OP: {1: 7000, 9: 0}})
    b = _beslut(tmp_path, "  - organ: delegation\n    datum: 2026-08-20\n    fran: 2026-09\n    kalla: x\n"
                          f"    andringar:\n      - {{id: {OP}, falt: tillagg, andra: 80}}\n")
    j = _json(kor, "berakna", "--utfall", utfall, "--beslut", b)
    manader = [Decimal(m["belopp_kr"]) for m in j["tillagg"]["manader"]]
    assert manader[0] == 3057 * 35795
    assert manader[1:8] == [0] * 7
    assert manader[8] == 80 * 35795


def test_nytt_pris_galler_enheter_som_blir_ersatta_fran_beslutets_manad(kor, tmp_path):
    """Antagande A6: 4 000 hudbesök i januari (142 ersatta à 2 503 kr), 100 till i oktober efter att
    besökspriset blivit 2 600 kr från oktober: 142 × 2 503 + 100 × 2 600 = 615 426 kr."""
    utfall = _csv(tmp_path, {HUD: {1: 4000, 10: 100}})
    b = _beslut(tmp_path, "  - organ: operativa hälso- och sjukvårdsnämnden\n    datum: 2026-09-24\n"
                          "    fran: 2026-10\n    kalla: x\n    andringar:\n      - {pris: besok, satt: 2600}\n")
    j = _json(kor, "berakna", "--utfall", utfall, "--beslut", b)
    rad = next(r for r in j["tillagg"]["rader"] if r["id"] == HUD)
    assert rad["belopp_kr"] == "615426"
    assert "A6" in j["antaganden"]


def test_forklara_visar_beslutet_som_andrade_siffran(kor):
    k = kor("forklara", OP, "--utfall", SEPTEMBER, "--beslut", EXEMPEL)
    assert k.kod == 0, k
    # Tillägget 3 057 + 80 = 3 137 från september, med beslutet som källa och värdet före.
    assert "Tilläggsvolym: 3 137" in k.ut and "beslut från september: 3 057 → 3 137" in k.ut
    assert "examples/beslut_2026.yaml:" in k.ut and "Delegationsbeslut 2026-08-20" in k.ut


def test_den_medfoljande_beslutsfilen_ar_tom_och_andrar_inget(kor):
    assert _json(kor, "berakna", "--beslut", ROT / "data" / "beslut_2026.yaml") == _json(kor, "berakna")


def test_beslutsfil_for_en_annan_utforare_vagras(kor, tmp_path):
    f = tmp_path / "rh.yaml"
    f.write_text("utforare: RH\nar: 2026\nbeslut: []\n", encoding="utf-8")
    k = kor("berakna", "--beslut", f)
    assert k.kod == 2 and "rh.yaml:1:1: utforare: beslutsfilen gäller RH, beräkningen SV" in k.fel


def test_scenario_som_beslut_ger_ett_utkast_som_berakna_tar(kor, tmp_path):
    """Vad händer om → beslut → utbetalning: +80 ryms i delegationen, +100 kräver nämnden."""
    inom = tmp_path / "inom.yaml"
    k = kor("scenario", "--andra", f"{OP}.tillagg=+80", "--som-beslut", inom, "--fran", "2026-09")
    assert k.kod == 0 and 'organ: "delegation"' in inom.read_text(encoding="utf-8")
    over = tmp_path / "over.yaml"
    assert kor("scenario", "--andra", f"{OP}.tillagg=+100", "--som-beslut", over, "--fran", "2026-09").kod == 0
    assert 'organ: "operativa hälso- och sjukvårdsnämnden"' in over.read_text(encoding="utf-8")
    utan, med = (_json(kor, "berakna", "--utfall", SEPTEMBER, *extra) for extra in ((), ("--beslut", inom)))
    assert Decimal(med["tillagg"]["manader"][8]["belopp_kr"]) - Decimal(utan["tillagg"]["manader"][8]["belopp_kr"]) \
        == 80 * 35795
    fore = inom.read_bytes()
    igen = kor("scenario", "--andra", f"{OP}.tillagg=+80", "--som-beslut", inom, "--fran", "2026-09")
    assert igen.kod == 2 and "finns redan" in igen.fel and inom.read_bytes() == fore
    assert kor("scenario", "--andra", f"{OP}.tillagg=+80", "--som-beslut", tmp_path / "x.yaml").kod == 2


def test_beslut_fran_januari_galler_hela_aret(kor, tmp_path):
    """En ram på 1 200 tkr från januari: 1 200 000 / 12 = 100 000 kr varje månad (inte den gamla ramen)."""
    b = _beslut(tmp_path, "  - organ: operativa hälso- och sjukvårdsnämnden\n    datum: 2025-12-15\n"
                          "    fran: 2026-01\n    kalla: x\n    andringar:\n      - {ram_tkr: 1200}\n"
                          "      - {avrakning: lakemedelsleveranser, niva_tkr: 1200}\n")
    j = _json(kor, "berakna", "--beslut", b)
    assert [m["belopp_kr"] for m in j["anslag"]["manader"]] == ["100000"] * 12


def test_avrakningsniva_fran_januari(uppdrag, priser):
    """Läkemedelsleveranser med nivån 1 200 tkr från januari: i april är det betalda 1 200 × 4/12 = 400 tkr."""
    from vgr_ersattning.kalkyl.avrakning import berakna_avrakning
    from vgr_ersattning.kalkyl.parametrar import Varde, konstant, serie

    sv = uppdrag.utforare["SV"]
    nivaer = {pid: konstant(Varde(p.niva_tkr)) for pid, p in sv.avrakning.poster.items()}
    res = berakna_avrakning(sv.avrakning, {"lakemedelsleveranser": {1: Decimal(100)}}, 4,
                            {**nivaer, "lakemedelsleveranser": serie([Decimal(1200)] * 12)})
    april = next(p for p in res.poster if p.id == "lakemedelsleveranser").tillfallen[0]
    assert (april.utbetalt_tkr, april.tak_tkr, april.reglering_tkr) == (400, 400, -300)


def test_forklara_anslag_visar_ramens_beslut(kor):
    k = kor("forklara", "anslag", "--beslut", EXEMPEL, "-f", "json")
    assert k.kod == 0, k
    text = k.ut
    assert "beslut från oktober: 3 317 867 → 3 329 867 tkr" in text
    assert "avrunda((årsbelopp − betalt) / månader kvar)" in text


def test_forklara_summa_med_beslut_visar_den_andrade_ramen(kor):
    """`forklara summa --beslut`: anslaget är den ändrade ramens (3 329 867 000 kr för året, inte
    3 317 867 000); månaderna från oktober fördelar den nya ramen över resten av året (§18) och den
    nya ramen har beslutet som källa."""
    utan = _json(kor, "forklara", "summa")["forklaring"]["delar"][0]
    med = _json(kor, "forklara", "summa", "--beslut", EXEMPEL)["forklaring"]["delar"][0]
    assert (utan["varde"], med["varde"]) == ("3317867000", "3329867000")
    manader = med["delar"]
    assert [(m["namn"], m["varde"]) for m in manader] == [
        ("Anslag januari–september", "276488917"), ("Anslag oktober", "280488916"), ("Anslag november", "280488916"),
        ("Anslag december", "280488915")]
    assert "9 × 276 488 917 + 2 × 280 488 916 + 280 488 915" in med["formel"]
    assert all("avrunda((årsbelopp − betalt) / månader kvar)" in m["formel"] for m in manader[1:3])
    assert "beslut från oktober: 3 317 867 → 3 329 867 tkr" in json.dumps(manader[1], ensure_ascii=False)
    assert not any("månader kvar" in (m.get("formel") or "") for m in utan["delar"])


# --- regelboken §23: beslut är data och granskas som data ---------------------------------------------


def _ett_beslut(tmp_path, andringar: str, *, fran: str = "2026-10", datum: str = "2026-09-24",
                namn: str = "b.yaml"):
    return _beslut(tmp_path, "  - organ: operativa hälso- och sjukvårdsnämnden\n"
                             f"    datum: {datum}\n    fran: {fran}\n    kalla: x\n    andringar:\n" + andringar, namn)


def test_negativt_pris_och_negativ_volym_vagras(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    b = _ett_beslut(tmp_path, "      - {pris: behandling, satt: -1}\n"
                              f"      - {{id: {HUD}, falt: bas, satt: -2}}\n")
    k = kor("berakna", "--beslut", b)
    assert k.kod == 2 and k.ut == ""
    assert k.fel.splitlines() == [
        "b.yaml:9:28: beslut[0].andringar[0].satt: värdet -1 är negativt; ska vara ett icke-negativt heltal",
        f"b.yaml:10:{len(HUD) + 27}: beslut[0].andringar[1].satt: värdet -2 är negativt; ska vara ett "
        "icke-negativt heltal"]


def test_en_minskning_med_andra_godtas(kor, tmp_path):
    b = _ett_beslut(tmp_path, f"      - {{id: {HUD}, falt: bas, andra: -2}}\n")
    assert kor("berakna", "--beslut", b).kod == 0


def test_ramen_ska_vara_storre_an_noll(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    b = _ett_beslut(tmp_path, "      - {ram_tkr: 0}\n", fran="2026-01", datum="2025-12-15")
    k = kor("berakna", "--beslut", b)
    assert k.kod == 2 and k.fel.strip() == "b.yaml:9:10: beslut[0].andringar[0].ram_tkr: ramen 0 tkr ska vara större än noll"
    b = _ett_beslut(tmp_path, "      - {ram_tkr: -5}\n", fran="2026-01", datum="2025-12-15", namn="n.yaml")
    k = kor("berakna", "--beslut", b)
    assert k.kod == 2 and k.fel.strip() == "n.yaml:9:10: beslut[0].andringar[0].ram_tkr: ramen -5 tkr ska vara större än noll"
    b = _ett_beslut(tmp_path, "      - {ram_tkr: 1}\n", fran="2026-01", datum="2025-12-15", namn="ett.yaml")
    assert kor("berakna", "--beslut", b).kod == 0


def test_niva_och_delegationsgrans_far_inte_vara_negativa(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    b = _ett_beslut(tmp_path, "      - {avrakning: lakemedelsleveranser, niva_tkr: -5}\n"
                              "      - {delegation_kr: -3}\n")
    k = kor("berakna", "--beslut", b)
    assert k.kod == 2 and k.fel.splitlines() == [
        "b.yaml:9:43: beslut[0].andringar[0].niva_tkr: beloppet -5 är negativt",
        "b.yaml:10:10: beslut[0].andringar[1].delegation_kr: beloppet -3 är negativt"]


def test_ett_pris_over_datafilernas_grans_vagras(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    b = _ett_beslut(tmp_path, "      - {pris: besok, satt: 10000001}\n")
    k = kor("berakna", "--beslut", b)
    assert k.kod == 2 and k.fel.strip() == ("b.yaml:9:23: beslut[0].andringar[0].satt: värdet 10000001 är "
                                            "orimligt stort (högst 10 000 000)")


def test_forsta_manaden_ska_finnas_och_ligga_i_aret(kor, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for fran, medd in (("2026-13", "fran: 2026-13 finns inte (ange ÅÅÅÅ-MM)"),
                       ("2027-01", "fran: månaden 2027-01 ligger utanför uppdragsåret 2026")):
        b = _ett_beslut(tmp_path, "      - {ram_tkr: 3329867}\n", fran=fran, namn=f"{fran}.yaml")
        k = kor("berakna", "--beslut", b)
        assert k.kod == 2 and k.fel.strip() == f"{fran}.yaml:6:5: beslut[0].fran: {medd}"


def test_forsta_manaden_ska_ligga_inom_uppdragets_giltighet(kor, tmp_path, monkeypatch):
    """Ett uppdrag som gäller till och med juni: ett beslut från september vägras, på sin `fran`."""
    monkeypatch.chdir(tmp_path)
    giltighet = 'till: "2027-12-31"\n      kalla: "Uppdrag 2025–2027 till styrelsen för Sjukhusen i väster'
    uppdrag = andrad_kopia(tmp_path, UPPDRAG_FIL, giltighet, giltighet.replace("2027-12-31", "2026-06-30"))
    b = _ett_beslut(tmp_path, "      - {ram_tkr: 3329867}\n", fran="2026-09", datum="2026-05-24")
    k = kor("berakna", "--uppdrag", uppdrag, "--beslut", b)
    assert k.kod == 2 and k.fel.strip() == ("b.yaml:6:5: beslut[0].fran: månaden 2026-09 ligger utanför "
                                            "uppdragets giltighet 2025-01-01–2026-06-30")
    juni = _ett_beslut(tmp_path, "      - {ram_tkr: 3329867}\n", fran="2026-06", datum="2026-05-24", namn="juni.yaml")
    assert kor("berakna", "--uppdrag", uppdrag, "--beslut", juni).kod == 0


def test_samma_varde_andrat_tva_ganger_i_ett_beslut_vagras(kor, tmp_path, monkeypatch):
    """Förut gällde den sista (2 700); nu vägras beslutet, med en rad per upprepning."""
    monkeypatch.chdir(tmp_path)
    b = _ett_beslut(tmp_path, f"      - {{id: {HUD}, falt: bas, satt: 2600}}\n"
                              f"      - {{id: {HUD}, falt: bas, satt: 2700}}\n"
                              f"      - {{id: {HUD}, falt: tillagg, satt: 1700}}\n"
                              "      - {pris: besok, satt: 2600}\n"
                              "      - {pris: besok.SV, satt: 2700}\n"
                              "      - {ram_tkr: 3329867}\n"
                              "      - {ram_tkr: 3329868}\n"
                              "      - {avrakning: lakemedelsleveranser, niva_tkr: 1}\n"
                              "      - {avrakning: lakemedelsleveranser, niva_tkr: 2}\n"
                              "      - {delegation_kr: 1}\n"
                              "      - {delegation_kr: 2}\n")
    k = kor("berakna", "--beslut", b)
    slut = "i samma beslut; ett beslut ändrar varje värde en gång"
    assert k.kod == 2 and k.fel.splitlines() == [
        f"b.yaml:10:9: beslut[0].andringar[1]: {HUD}.bas ändras redan av andringar[0] {slut}",
        f"b.yaml:13:9: beslut[0].andringar[4]: priset besok.SV ändras redan av andringar[3] {slut}",
        f"b.yaml:15:9: beslut[0].andringar[6]: årets ram (ram_tkr) ändras redan av andringar[5] {slut}",
        f"b.yaml:17:9: beslut[0].andringar[8]: avräkningsnivån för lakemedelsleveranser ändras redan av "
        f"andringar[7] {slut}",
        f"b.yaml:19:9: beslut[0].andringar[10]: delegationsgränsen (delegation_kr) ändras redan av "
        f"andringar[9] {slut}"]


def test_samma_varde_i_tva_beslut_godtas(kor, tmp_path):
    """Två beslut får ändra samma värde: de gäller i datumordning."""
    b = _beslut(tmp_path, "".join(
        f"  - organ: operativa hälso- och sjukvårdsnämnden\n    datum: 2026-0{m}-01\n    fran: 2026-0{m}\n"
        f"    kalla: x\n    andringar:\n      - {{id: {HUD}, falt: bas, satt: {n}}}\n"
        for m, n in ((3, 2600), (5, 2700))))
    assert kor("berakna", "--beslut", b).kod == 0


def test_samma_beslutsfil_tva_ganger_vagras(kor, tmp_path, monkeypatch):
    """Förut gällde beslutet två gånger. Samma sökväg, en annan sökväg till samma fil, en symbolisk
    eller hård länk och en kopia med samma innehåll vägras alla, innan något läses."""
    monkeypatch.chdir(tmp_path)
    b = _ett_beslut(tmp_path, "      - {ram_tkr: 3329867}\n")
    (tmp_path / "sym.yaml").symlink_to(b)
    os.link(b, tmp_path / "hard.yaml")
    (tmp_path / "kopia.yaml").write_bytes(b.read_bytes())
    slut = "varje beslutsfil ska anges en gång"
    k = kor("berakna", "--beslut", "b.yaml", "--beslut", "b.yaml")
    assert k.kod == 2 and k.fel.strip() == f"b.yaml: anges två gånger med --beslut; {slut}"
    k = kor("berakna", "--beslut", "b.yaml", "--beslut", b.resolve(), "--beslut", "sym.yaml", "--beslut", "hard.yaml",
            "--beslut", "kopia.yaml")
    assert k.kod == 2 and k.fel.splitlines() == [
        f"{b.resolve()}: samma fil som b.yaml (anges två gånger med --beslut); {slut}",
        f"sym.yaml: samma fil som b.yaml (anges två gånger med --beslut); {slut}",
        f"hard.yaml: samma fil som b.yaml (anges två gånger med --beslut); {slut}",
        f"kopia.yaml: har samma innehåll som b.yaml (samma beslutsfil två gånger med --beslut); {slut}"]
    assert kor("berakna", "--beslut", EXEMPEL, "--beslut", b).kod == 0
