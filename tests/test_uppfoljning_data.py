"""Regelboken §10: dokumentens hela uppföljning i datan. Varje rad i uppföljningstabellerna i
Uppdrag 2026 SV och Uppdrag 2025–2027 RH är en indikator (också de utan målvärde), uppdraget
Sköra vårdområden – Neurologi har sina återrapporteringar, och genomförandeplanens indikatorer
står som regionala informationsindikatorer kopplade till uppdragens. Raderna citeras ur dokumenten."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from vgr_ersattning.kalkyl.uppfoljning import kalender

JAMFORELSETECKEN = "≥≤<>"


@pytest.fixture(scope="module")
def sv_lista(uppdrag):
    return uppdrag.utforare["SV"].indikatorer.lista


@pytest.fixture(scope="module")
def rh_lista(uppdrag):
    return uppdrag.utforare["RH"].indikatorer.lista


def _kalender(kor, uid):
    k = kor("uppfoljning", "--kalender", "-u", uid, "--format", "csv")
    assert k.kod == 0, k
    return {(r["period"], r["id"]) for r in csv.DictReader(io.StringIO(k.ut))}


# --- SV ----------------------------------------------------------------------------------------


def test_st_a_manatlig_lagesrapport_delar_augusti_och_helar(sv_lista, kor):
    # SV, Uppföljning, Kompetensförsörjning: "Andel av ST-läkare i allmänmedicin som har fått
    # obligatoriska sidotjänstgöringsplatser … | 100% av ST-läkarna ska ha tilldelade
    # sidotjänstgöringsplatser | Studierektorsfunktionen | Koncernkontoret | Delår augusti, helår
    # samt däremellan månatlig lägesrapport"
    st_a = sv_lista["st_a_sidotjanstgoring"]
    assert st_a.tillfallen == ["T2", "ar"] and st_a.typ == "minst" and st_a.harledd_jamforelse
    lage = sv_lista["st_a_lagesrapport"]
    assert lage.tillfallen == ["manad"] and lage.typ == "information"
    assert lage.kopplad_till == ["st_a_sidotjanstgoring"] and "månatlig lägesrapport" in lage.redovisas
    # Antagande A9: "däremellan" är månaderna mellan delår augusti och helår, september–november.
    assert lage.manader == [9, 10, 11]
    kal = _kalender(kor, "SV")
    assert {p for p, i in kal if i == "st_a_lagesrapport"} == {"2026-09", "2026-10", "2026-11"}
    assert {("2026-T2", "st_a_sidotjanstgoring"), ("2026", "st_a_sidotjanstgoring")} <= kal


def test_st_a_lagesrapport_foljs_upp_september_till_november(kor, tmp_path):
    """Antagande A9: lägesrapporten bedöms i september (information) men inte i augusti, och ett värde för
    mars, utanför september–november, är fel indata med sin plats (rad 4, kolumn 23: `2026-03`)."""
    f = tmp_path / "st.yaml"
    f.write_text('utforare: SV\nar: 2026\nindikatorer:\n  st_a_lagesrapport: {2026-09: "lämnad"}\n', encoding="utf-8")
    sep = json.loads(kor("uppfoljning", "--utfall", f, "--period", "2026-09", "-f", "json").ut)
    assert {i["id"]: i["status"] for i in sep["indikatorer"]}["st_a_lagesrapport"] == "information"
    aug = json.loads(kor("uppfoljning", "--utfall", f, "--period", "2026-08", "-f", "json").ut)
    assert "st_a_lagesrapport" not in {i["id"] for i in aug["indikatorer"]}
    f.write_text('utforare: SV\nar: 2026\nindikatorer:\n  st_a_lagesrapport: {2026-03: "lämnad"}\n', encoding="utf-8")
    k = kor("uppfoljning", "--utfall", f, "--period", "2026-09")
    assert k.kod == 2 and k.fel.strip() == (f"{f}:4:23: indikatorer.st_a_lagesrapport.2026-03: st_a_lagesrapport följs "
                                            "inte upp för månaden 2026-03 (uppföljning: månaderna 09, 10, 11)")


def test_laro_redovisas_i_mitten_av_augusti(sv_lista, kor):
    # SV, Uppföljning, LARO: "Redovisning av hur medlen använts | | Utförare | Utförare |
    # Mitten av augusti, helår"
    laro = sv_lista["laro_medel"]
    assert laro.tillfallen == ["T2", "ar"] and laro.redovisas == "Mitten av augusti, helår"
    assert laro.harledda_tillfallen  # mitten av augusti räknas till delår augusti (T2)
    assert {("2026-T2", "laro_medel"), ("2026", "laro_medel")} <= _kalender(kor, "SV")


def test_forstarkningspersonal_140_regionalt_14_for_sv(sv_lista):
    # SV, Uppföljning, Förstärkt intensivvård: "Antal tillgängliga förstärkningssjuksköterskor och
    # förstärkningsundersköterskor … | VGR: 140 SV: 14 | Utförare | Utförare | Helår"
    f = sv_lista["forstarkningspersonal_iva"]
    assert (f.malvarde, f.regionalt_malvarde, f.malvarde_text) == (Decimal(14), Decimal(140), "VGR: 140 SV: 14")
    assert f.typ == "minst" and f.harledd_jamforelse and f.tillfallen == ["ar"]


# (id, tillfällen, dokumentets rad)
SV_NYA = [
    ("kliniskt_basar", ["T2", "ar"], "Kliniskt basår … Återrapportering antal sjuksköterskor …"),
    ("samverkan_inskrivning_avvikelser", ["T2", "ar"],
     "Samverkan i in- och utskrivningsprocessen | Antal avvikelser | | Power BI | Koncernkontoret | Delår augusti, helår"),
    ("ambulanshelikopter", ["ar"], "Ambulanshelikopter | • Antal larm … • Antal utförda uppdrag … • Flygtid … | Utföraren | Helår"),
    ("jamlik_halsa_angered", ["ar"], "Insatser som främjar jämlik hälsa och vård | • Redovisning enligt handlingsplan … | Helår"),
    ("levnadsvanemottagningen", ["ar"], "• Levnadsvanemottagningen: - antal individer som besökt mottagningen … | Helår"),
    ("vulvamottagning", ["ar"], "Vulvamottagning (SV) | • Antal kvinnor som omhändertagits … | Utföraren | Helår"),
    ("doula", ["ar"], "Doula-verksamhet (SV) | Antal doulauppdrag för kvinnor, fördelat på kommun … | Utföraren | Helår"),
    ("barnlogopedi_samverkan", ["T2", "ar"],
     "Redogörelse för hur samverkan fungerar mellan specialistvårdsnivå och primärvårdsnivå | Fungerar väl | … | Delår augusti, helår"),
    ("digitala_tjanster_status", ["T2", "ar"], "Status införandet av digitala tjänster enligt löpande regionala beslut … | Delår augusti, helår"),
    ("gemensamma_koer_status", ["T2", "ar"], "Status i arbetet med förvaltningsinterna gemensamma köer till första besök | Koncernkontoret | Delår augusti, helår"),
    ("utmonstring_status", ["T2", "ar"], "Prioriteringar | Status i arbetet med att identifiera och avsluta lågt prioriterad vård … | Delår augusti, helår"),
    ("vard_som_inte_bor_goras", ["T2", "ar"], "God följsamhet till nationella riktlinjer från Socialstyrelsen – ”Vård som inte bör göras” | … | Utföraren"),
    ("vfu_hantering", ["T2", "ar"], "Verksamheter har hanterat verksamhetsförlagd utbildning (VFU) … | saknas | utförare | Koncernkontoret/samordnande grupp … | Delår augusti, helår"),
    ("handledarkompetens", ["T2", "ar"], "Andel medarbetare med handledarkompetens … | saknas | utförare | Delår augusti, helår"),
]


@pytest.mark.parametrize("iid,tillfallen,rad", SV_NYA, ids=[x[0] for x in SV_NYA])
def test_sv_raderna_utan_malvarde(sv_lista, iid, tillfallen, rad):
    ind = sv_lista[iid]
    assert ind.typ == "information" and ind.tillfallen == tillfallen, rad


def test_sv_alla_tabellrader(sv_lista):
    # 34 rader med en indikator i tabellerna (de två raderna "Se nedan, Omställning av Hälso- och
    # sjukvård" är hänvisningar), ST-A:s lägesrapport som egen indikator, och neurologiuppdraget.
    assert len(sv_lista) == 34 + 1 + 1


# --- Sköra vårdområden – Neurologi --------------------------------------------------------------


def test_neurologiuppdraget_tre_aterrapporteringar_utan_pengar(uppdrag, sv_lista, kor):
    # Uppdragshandling Sköra vårdområden – Neurologi, Tidplan: "Uppdraget återrapporterar till
    # Samordnande grupp för produktion hälso-och sjukvård tre gånger per år." Kostnader och
    # finansiering: "Uppdraget genomförs inom ramen för befintliga resurser."
    n = sv_lista["skora_neurologi_aterrapportering"]
    assert n.uppdrag == "Sköra vårdområden – Neurologi" and n.typ == "information" and n.malvarde is None
    assert n.tillfallen == ["T1", "T2", "T3"] and n.harledda_tillfallen
    assert "OSN 2025-00380" in n.kalla and "2026-04-10" in n.kalla
    assert "somatik.forstabesok.neurologi" in n.kopplad_till
    assert "somatik.forstabesok.neurologi" in uppdrag.utforare["SV"].volymer.rader
    kal = _kalender(kor, "SV")
    assert {(f"2026-T{t}", "skora_neurologi_aterrapportering") for t in (1, 2, 3)} <= kal
    assert not any(i == "skora_neurologi_aterrapportering" and not p.startswith("2026-T") for p, i in kal)


# --- RH ----------------------------------------------------------------------------------------


RH_NYA = [
    ("utbildningsbefattningar", ["T2", "ar"], "Utbildningsbefattningar: Utförarens inriktnings-fördelning redovisas … | T2, ÅR"),
    ("um_avvikelser_vantetider", ["ar"], "Ungdomsmottagning | Redovisa eventuella avvikelser i väntetider till besök/ behandling | Regionhälsan | ÅR"),
    ("um_digitala_kontakter", ["ar"], "Andel digitala kontakter (UM online, chatt) av totala kontakter. | | Medrave | Regionhälsan | ÅR"),
    ("inskrivna_gravida", ["ar"], "Antal inskrivna gravida (per delregionalt område) | | Power BI | Regionhälsan | ÅR"),
    ("agnesmottagningen_antal_patienter", ["ar"], "Agnesmottagningen | Redovisa antal patienter | (tomma celler)"),
    ("halsocoach_fullfoljer", ["ar"], "Andel nybesök som fullföljer hela coachningsperioden | | Medrave | Regionhälsan | ÅR"),
    ("kris_trauma_avvikelser", ["ar"], "Kris- och traumamottagning | (tomma celler under Asyl: Redovisa eventuella större avvikelser …)"),
    ("1177_hanterade_samtal", ["T2", "ar"], "Antal hanterade samtal fördelat på besvarade och utringda | | Inera, styrkort | Regionhälsan | T2, ÅR"),
    ("1177_administrativ_chatt", ["T2", "ar"], "Administrativ chatt: antal chattar … | | Regionhälsan | Regionhälsan | (tom)"),
    ("mottagning_unga_vuxna_antal_patienter", ["ar"], "Mottagning unga vuxna | Redovisa antal patienter | Regionhälsan | ÅR"),
    ("analys_helhetsperspektiv", ["T2", "ar"], "Analys av verksamheten | Uppgiftslämnare: Regionhälsan | Redovisas i samband med beslutad uppföljningsplan"),
]


@pytest.mark.parametrize("iid,tillfallen,rad", RH_NYA, ids=[x[0] for x in RH_NYA])
def test_rh_raderna_utan_malvarde(rh_lista, iid, tillfallen, rad):
    ind = rh_lista[iid]
    assert ind.typ == "information" and ind.tillfallen == tillfallen, rad


def test_rh_alla_tabellrader_och_kalendern(rh_lista, kor):
    # Uppföljningsplanen har 51 rader (verksamheter under en sammanslagen cell räknas var för
    # sig) och därtill Analys av verksamheten.
    assert len(rh_lista) == 51 + 1
    kal = _kalender(kor, "RH")
    for iid, ind in rh_lista.items():
        if "ar" in ind.tillfallen:
            assert ("2026", iid) in kal, iid
        if "T2" in ind.tillfallen:
            assert ("2026-T2", iid) in kal, iid


def test_raderna_utan_egna_tillfallen_sager_det(rh_lista, sv_lista):
    # "Agnesmottagningen | Redovisa antal patienter |  |  |  |" – tillfället står på raden ovanför.
    for lista, iid in ((rh_lista, "agnesmottagningen_antal_patienter"), (rh_lista, "flyktingbarnmottagningen_avvikelser"),
                       (rh_lista, "andel_sjalvtest"), (sv_lista, "kliniskt_basar"), (sv_lista, "vard_som_inte_bor_goras")):
        assert lista[iid].harledda_tillfallen and lista[iid].redovisas, iid
    assert not rh_lista["mottagning_unga_vuxna_antal_patienter"].harledda_tillfallen


# --- härledd jämförelse -------------------------------------------------------------------------


def test_harledd_jamforelse_bara_dar_tecknet_saknas(uppdrag):
    alla = {**uppdrag.utforare["SV"].indikatorer.lista, **uppdrag.utforare["RH"].indikatorer.lista}
    harledda = {i for i, ind in alla.items() if ind.harledd_jamforelse}
    for iid in harledda:
        ind = alla[iid]
        assert ind.malvarde_text and not any(t in ind.malvarde_text for t in JAMFORELSETECKEN), iid
        assert ind.typ in ("minst", "hogst", "exakt"), iid
    # Skrivna jämförelser: "≥90 %", "≤ 90 %", "≤ 8,5%", "max 2%".
    for iid in ("ambulans_prio1a_20_min", "belaggningsgrad_somatik", "aterinlaggningar_65", "hyrpersonal_andel"):
        assert not alla[iid].harledd_jamforelse, iid
    # "100 %", "85 %", "8 min", "VGR: 140 SV: 14": jämförelsen är härledd.
    assert {"bum_90_dagar", "1177_besvarade_inom_malledtid", "1177_medelvantetid", "forstarkningspersonal_iva",
            "tillganglighet_maluppfyllelse", "st_a_sidotjanstgoring"} <= harledda
    # Varje talmål utan skrivet tecken är markerat.
    for iid, ind in alla.items():
        if ind.typ in ("minst", "hogst", "exakt") and not any(t in (ind.malvarde_text or "") for t in JAMFORELSETECKEN) \
                and "max" not in (ind.malvarde_text or ""):
            assert ind.harledd_jamforelse, iid


# --- genomförandeplanen och kopplingarna ---------------------------------------------------------


def test_genomforandeplanens_indikatorer_ar_regionala_och_kopplade(uppdrag):
    # Genomförandeplan 2026–2027, Övergripande indikatorer 2026: "Överbeläggningar och
    # utlokaliseringar", "Måluppfyllelse av vårdgarantin (första besök, operation, behandling,
    # utredning, undersökning)"; Nära vård: "Oplanerade återinskrivningar bland äldre".
    gp = uppdrag.regionala_indikatorer
    assert gp is not None and "2026-02-03" in gp.kalla
    lista = gp.lista
    assert all(ind.typ == "information" for ind in lista.values())
    assert set(lista["overbelaggningar_utlokaliseringar"].kopplad_till) == {"belaggningsgrad_somatik", "belaggningsgrad_psykiatri"}
    assert set(lista["oplanerade_aterinskrivningar_aldre"].kopplad_till) == {"aterinlaggningar_65"}
    assert {"tillganglighet_maluppfyllelse", "bum_90_dagar", "gyn_90_dagar"} <= set(lista["vardgaranti_maluppfyllelse"].kopplad_till)
    assert lista["egenmonitorering_patientgrupper"].kopplad_till == ["egenmonitorering"]
    # 6 övergripande + 10 nära vård + 3 prioritering + 2 kvalitet + 4 kompetens + 3 barn
    assert len(lista) == 28


def test_varje_koppling_pekar_pa_nagot_som_finns(uppdrag):
    indikatorer = {i for u in uppdrag.utforare.values() if u.indikatorer for i in u.indikatorer.lista}
    rader = {r for u in uppdrag.utforare.values() if u.volymer for r in u.volymer.rader}
    listor = [u.indikatorer.lista for u in uppdrag.utforare.values() if u.indikatorer]
    listor.append(uppdrag.regionala_indikatorer.lista)
    for lista in listor:
        for iid, ind in lista.items():
            for mal in ind.kopplad_till:
                assert mal in indikatorer or mal in rader, (iid, mal)
                assert mal != iid


def test_regionala_indikatorer_star_inte_i_utforarnas_kalender(uppdrag, kor):
    regionala = set(uppdrag.regionala_indikatorer.lista)
    for uid in ("SV", "RH"):
        assert not regionala & {i for _, i in _kalender(kor, uid)}
        assert not regionala & set(uppdrag.utforare[uid].indikatorer.lista)


def test_kalendern_for_sv_har_varje_indikator(sv_lista):
    kal = kalender(sv_lista, 2026)
    med = {i for _, ider in kal for i in ider}
    assert med == set(sv_lista)
