"""Datafilerna mot dokumentens egna siffror (000 och 002 i ../shared/seeds/)."""

from decimal import Decimal

import yaml

from conftest import PRISER_FIL, UPPDRAG_FIL
from vgr_ersattning.inlasning.datakatalog import BESLUT, PRISER, UPPDRAG, ar_i, filnamn, medfoljande_data
from vgr_ersattning.inlasning.dokument import las_priser, las_uppdrag
from vgr_ersattning.kalkyl.volymer import rader_i_grupp, summera

REGLER_RADER = (
    ["psykiatri.forstabesok.bup", "psykiatri.forstabesok.vup", "psykiatri.utredning.bup", "psykiatri.utredning.vup",
     "psykiatri.behandling.bup", "psykiatri.behandling.vup"]
    + [f"somatik.forstabesok.{r}" for r in (
        "allergologi allman_kirurgi barnkirurgi bum gynekologi handkirurgi hud internmedicin kardiologi karlkirurgi "
        "logopedi lungmedicin neurokirurgi neurologi njurmedicin onkologi ortopedi plastikkirurgi reumatologi urologi "
        "ogon onh").split()]
    + [f"somatik.operation.{r}" for r in (
        "ablation allman_kirurgi axelprotes barnkirurgi gynekologi handkirurgi hoft_knaprotes kardiologi katarakt "
        "karlkirurgi neurokirurgi obesitas plastikkirurgi rygg thorax urologi onh ovrig_ortopedi ovriga_ogon").split()]
    + ["somatik.undersokning.gastroskopi", "somatik.undersokning.koloskopi"]
)


def test_volymtabellens_id_ar_reglers(sv):
    assert list(sv.volymer.rader) == REGLER_RADER


def test_totalsumman_ar_dokumentets(sv):
    t = sv.volymer.totalsumma
    assert (t.uppdrag, t.bas, t.tillagg) == (81739, 59297, 22442)
    psyk = summera(sv.volymer, rader_i_grupp(sv.volymer, "psykiatri"))
    assert psyk == {"uppdrag": 4549, "bas": 2795, "tillagg": 1754}


def test_tomma_rader_finns_med_noll(sv):
    r = sv.volymer.rader["somatik.forstabesok.allergologi"]
    assert (r.uppdrag, r.bas, r.tillagg) == (0, 0, 0)


def test_ram_beslut_och_avrakningsposter(sv):
    assert sv.ersattningsram.belopp_tkr == 3317867
    assert sv.beslut.paragraf == "§ 293" and sv.beslut.datum == "2025-09-25"
    assert {k: p.niva_tkr for k, p in sv.avrakning.poster.items()} == {
        "specialistutbildning_sjukskoterskor": 5859, "lakemedelsleveranser": 2883}
    assert sv.avrakning.manader == [4, 8, 12]


def test_bryggans_rader(sv):
    b = sv.brygga
    assert (b.fran.belopp_tkr, b.index.procent, b.index.belopp_tkr, b.delsumma.belopp_tkr, b.till.belopp_tkr) == (
        3125153, Decimal("2.2"), 68753, 3193907, 3317867)
    assert len(b.justeringar) == 11
    assert b.justeringar[-1].belopp_tkr == -4396


def test_at_fordelning(uppdrag):
    platser = {k: u.at_platser for k, u in uppdrag.utforare.items() if u.at_platser is not None}
    assert platser == {"SU": 60, "NU": 70, "SKAS": 56, "SAS": 50, "SV": 56}
    assert uppdrag.at_fordelning.totalt == 292


def test_tillaggspriser(priser):
    assert priser.tillagg["besok"].pris_kr == 2503
    assert priser.tillagg["behandling"].pris_kr == 35795
    assert priser.tillagg["kologastro"].per_utforare == {"SV": 4459, "NU": 4955, "SKAS": 4770, "SU": 4914, "SAS": 4997}


def test_pristabellens_streck_ar_inget_pris(priser):
    bup = priser.priser.rader["bup_varddygn"].pris_kr
    assert bup["SV"] is None and bup["SKAS"] is None and bup["SU"] == 14961
    assert priser.priser.rader["drg_pris_per_poang"].pris_kr["kalkylerat"] == 54180


def test_antaganden_ar_data(uppdrag, sv):
    assert set(uppdrag.antaganden) == {f"A{i}" for i in range(1, 18)}   # A1–A7 och regelbokens A8–A17 (dokumentens tystnad)
    a1 = [rid for rid, r in sv.volymer.rader.items() if r.antagande == "A1"]
    assert a1 == ["psykiatri.utredning.bup", "psykiatri.utredning.vup", "psykiatri.behandling.bup",
                  "psykiatri.behandling.vup"]
    assert all(sv.volymer.rader[r].priskategori == "besok" for r in a1)


def test_1177_malrelaterad(uppdrag):
    m = uppdrag.utforare["RH"].malrelaterad_1177
    assert m.belopp_mnkr == Decimal("2.70")
    assert [(s.fran_procent, s.utbetalning_procent) for s in m.trappa] == [
        (75, 100), (50, 95), (40, 80), (30, 60), (25, 50), (0, 0)]


SV_INDIKATORER = {
    "ambulans_prio1a_20_min": ("minst", 90), "st_a_sidotjanstgoring": ("minst", 100),
    "forstarkt_iva_beredskapsplan": ("ja_nej", "Ja"), "forstarkningspersonal_iva": ("minst", 14),
    "laro_f112": ("ska_oka", None), "tillganglighet_maluppfyllelse": ("minst", 100),
    "egenmonitorering": ("ska_oka", None), "belaggningsgrad_somatik": ("hogst", 90),
    "belaggningsgrad_psykiatri": ("hogst", 90), "aterinlaggningar_65": ("hogst", Decimal("8.5")),
    "digitala_vardmoten": ("ska_oka", None), "orbit_halsodeklarationer": ("minst", 50),
    "svf_ledtider": ("minst", 80), "hyrpersonal_andel": ("hogst", 2), "barn_digitala_vardmoten": ("ska_oka", None),
}
RH_INDIKATORER = {
    "bum_90_dagar": ("minst", 100), "gyn_90_dagar": ("minst", 100), "bum_besvarade_samtal": ("minst", 85),
    "valdscreening_gravida": ("minst", 95), "cervixscreening_tackning": ("minst", 85),
    "1177_besvarade_inom_malledtid": ("minst", 75), "1177_medelvantetid": ("hogst", 8),
}


def test_indikatorernas_id_typ_och_malvarde(uppdrag):
    for uid, forvantat in (("SV", SV_INDIKATORER), ("RH", RH_INDIKATORER)):
        lista = uppdrag.utforare[uid].indikatorer.lista
        for iid, (typ, mal) in forvantat.items():
            assert (lista[iid].typ, lista[iid].malvarde) == (typ, mal), iid
    sv = uppdrag.utforare["SV"].indikatorer.lista
    manatliga = {i for i, ind in sv.items() if "manad" in ind.tillfallen}
    assert {"ambulans_prio1a_20_min", "tillganglighet_maluppfyllelse", "egenmonitorering",
            "belaggningsgrad_somatik", "belaggningsgrad_psykiatri", "digitala_vardmoten"} <= manatliga


def test_varje_block_har_kalla():
    for fil in (UPPDRAG_FIL, PRISER_FIL):
        data = yaml.safe_load(fil.read_text(encoding="utf-8"))
        for toppnyckel, block in data.items():
            if isinstance(block, dict) and toppnyckel != "utforare" and toppnyckel != "antaganden":
                assert "kalla" in block or all(isinstance(v, dict) and "kalla" in v for v in block.values()), toppnyckel
        for uid, u in data.get("utforare", {}).items():
            for nyckel, block in u.items():
                if isinstance(block, dict) and nyckel not in ("beslut",):
                    assert "kalla" in block, (uid, nyckel)


def test_de_medfoljande_filerna_ar_ett_ar_med_arets_namn():
    """Regelboken §24: ett år i datakatalogen är `uppdrag_ÅÅÅÅ.yaml`, `priser_ÅÅÅÅ.yaml` och
    `beslut_ÅÅÅÅ.yaml`, och året i filerna är året i namnet. Ingen av dem är ett utkast."""
    katalog = medfoljande_data()
    assert ar_i(katalog) == (2026,)
    for slag in (UPPDRAG, PRISER, BESLUT):
        assert (katalog / filnamn(slag, 2026)).is_file(), slag
    uppdrag, priser = las_uppdrag(katalog / filnamn(UPPDRAG, 2026)), las_priser(katalog / filnamn(PRISER, 2026))
    assert uppdrag.modell.ar == priser.modell.ar == 2026
    assert not uppdrag.utkast and not uppdrag.luckor and not priser.utkast and not priser.luckor
    assert yaml.safe_load((katalog / filnamn(BESLUT, 2026)).read_text(encoding="utf-8"))["ar"] == 2026
