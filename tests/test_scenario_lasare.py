"""Issue 26: den strömmande läsaren av CSV-scenariofiler (`Scenarioflode`) ger samma scenarier, samma
platser och samma fel som läsningen i minnet (`las_scenariofil`, csv-modulen rad för rad) – också när
maskinformatet läses som text och csv-modulen tar över mitt i filen (citattecken, NUL). Namnen som
inleder scenarier minns i en `Namnlogg` som inte växer i minnet: ett namn som återkommer ger ändå en
omstart, också när loggen har skrivit sina fack till fil och när namnen står i olika loggar."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vgr_ersattning.cli import app
from vgr_ersattning.inlasning import csvlasare, scenariodelar
from vgr_ersattning.inlasning.fel import Inlasningsfel
from vgr_ersattning.inlasning.scenarier import Blockpost, Omstart, Scenarioflode, las_scenariofil
from vgr_ersattning.inlasning.scenariodelar import Namnlogg

OP = "somatik.operation.allman_kirurgi"
HUD = "somatik.forstabesok.hud"


def _platt(flode):
    """Flödets scenarier, också de i block (`Blockpost`), ett i taget."""
    for post in flode:
        if isinstance(post, Blockpost):
            yield from post.scenarier()
        else:
            yield post


def _strommat(fil: Path, block: bool = False):
    """("ok", [(scenario, platser)]) | ("fel", felraderna) | ("omstart", alla())."""
    flode = Scenarioflode(fil, block=block)
    try:
        return "ok", [(s, list(p)) for s, p in _platt(flode)]
    except Inlasningsfel as e:
        return "fel", [str(f) for f in e.fel]
    except Omstart:
        try:
            return "omstart", [(s, list(p)) for s, p in flode.alla()]
        except Inlasningsfel as e:
            return "omstart", [str(f) for f in e.fel]


def _i_minnet(fil: Path):
    try:
        return [(s, list(p)) for s, p in las_scenariofil(fil)]
    except Inlasningsfel as e:
        return [str(f) for f in e.fel]


_namn = st.sampled_from(["a", "b", "c", " d", "ö"])
_rad = st.one_of(
    st.tuples(_namn, st.sampled_from([OP, HUD, f" {OP}", "okand.rad.x"]), st.sampled_from(["bas", "tillagg", "pris"]),
              st.sampled_from(["", "5", "1e3", "x"]), st.sampled_from(["", "+2", "-40", "1,5"])).map(",".join),
    st.sampled_from(["", "   ", "a,b", f'"a",{OP},bas,,+1', f'"a\nb",{OP},bas,,+1', f"a,{OP},bas,,+1,9",
                     f"a,{OP},bas\0,,+1", f"e,{OP},tillagg,,+3",
                     # samma rad efter namnet som en rad utan citattecken, men namnet med: läses av csv-modulen
                     f'"b",{OP},bas,,+2', f'"b"c,{OP},bas,,+2', f"b\0,{OP},bas,,+2"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_rad, max_size=30), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_strommande_lasning_som_i_minnet(tmp_path_factory, rader, radslut, bom):
    """Slumpade filer i maskinformatet: tomma rader, fel, citattecken (också över två rader), NUL, CRLF,
    namn som återkommer. Utan återkomst och fel ger strömmen samma scenarier och platser som läsningen
    i minnet; med fel samma felrader; med ett namn som återkommer en omstart med samma scenarier."""
    fil = tmp_path_factory.mktemp("l") / "s.csv"
    text = radslut.join(["namn,id,falt,satt,andra", *rader]) + radslut
    fil.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    slag, svar = _strommat(fil)
    vantat = _i_minnet(fil)
    assert svar == vantat
    if slag == "ok":
        assert len({s.namn for s, _ in svar}) == len(svar)        # ingen återkomst utan omstart
    # I block om några byte (också ett scenario som fortsätter i nästa block, och ett längre än ett
    # block): samma scenarier, platser, fel och omstarter.
    for blockstorlek in (1, 40, 100):
        with mock.patch.object(csvlasare, "BLOCK", blockstorlek):
            assert _strommat(fil, block=True) == (slag, svar)


_enkel = st.tuples(st.sampled_from(["a", "b", "c", "d", "ö", "e"]), st.sampled_from([OP, HUD, "okand.rad.x"]),
                   st.sampled_from(["bas", "tillagg"]), st.sampled_from(["", "5", "0"]),
                   st.sampled_from(["", "+2", "-40", "7"])).map(",".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_enkel, max_size=40), st.sampled_from([1, 30, 120]))
def test_block_ger_samma_scenarier_och_platser(tmp_path_factory, rader, blockstorlek):
    """Filer med mest enkla ändringsrader (som läses i block): samma scenarier och platser, och samma fel
    (satt och andra båda eller ingen), som läsningen i minnet."""
    fil = tmp_path_factory.mktemp("b") / "s.csv"
    fil.write_text("\n".join(["namn,id,falt,satt,andra", *rader]) + "\n", encoding="utf-8")
    with mock.patch.object(csvlasare, "BLOCK", blockstorlek):
        slag, svar = _strommat(fil, block=True)
        poster = list(Scenarioflode(fil, block=True)) if slag == "ok" else []
    assert (slag, svar) == _strommat(fil)
    if slag != "fel":
        assert svar == _i_minnet(fil)
    assert not poster or [s for s, _ in _platt(poster)] == [s for s, _ in svar]


def test_en_stor_fil_lases_i_block(tmp_path):
    """300 scenarier i block om 200 byte: de flesta i block (`Blockpost`), samma som rad för rad."""
    fil = tmp_path / "s.csv"
    fil.write_text("namn,id,falt,satt,andra\n" + "".join(f"s{i},{OP if i % 2 else HUD},bas,,{i % 7 - 3:+d}\n"
                                                       f"s{i},{HUD if i % 2 else OP},tillagg,{i},\n" for i in range(300)))
    with mock.patch.object(csvlasare, "BLOCK", 200):
        poster = list(Scenarioflode(fil, block=True))
    assert sum(len(p.block.namn) for p in poster if isinstance(p, Blockpost)) > 250
    assert [(s, list(p)) for s, p in _platt(poster)] == _strommat(fil)[1] == _i_minnet(fil)


def test_citattecken_mitt_i_filen_lases_av_csv_modulen(tmp_path):
    """De första raderna läses som text, sedan ett fält med radbrytning inom citattecken: resten läses av
    csv-modulen, med filens radnummer i platserna."""
    rader = [f"s{i},{OP},tillagg,,+{i}" for i in range(50)] + [f'"t\nu",{HUD},bas,,-1', f"v,{HUD},bas,,x"]
    fil = tmp_path / "s.csv"
    fil.write_text("namn,id,falt,satt,andra\n" + "\n".join(rader) + "\n")
    slag, fel = _strommat(fil)
    assert slag == "fel" and fel == _i_minnet(fil) and "s.csv:54:32: " in fel[0]   # rad 54, inte 53
    fil.write_text("namn,id,falt,satt,andra\n" + "\n".join(rader[:-1]) + "\n")
    slag, svar = _strommat(fil)
    assert slag == "ok" and svar == _i_minnet(fil)
    # posten börjar på rad 52; id:t står på rad 53 efter `u",` (kolumn 4)
    assert svar[-1][0].namn == "t\nu" and (svar[-1][1][0].rad, svar[-1][1][0].kolumn) == (53, 4)


def test_en_rad_med_fel_efter_en_likadan_rad_utan_fel(tmp_path):
    """Granskade värden minns bara när raden är utan fel: samma felaktiga rad två gånger ger två fel."""
    fil = tmp_path / "s.csv"
    fil.write_text(f"namn,id,falt,satt,andra\na,{OP},bas,,+1\nb,{OP},bas,,x\nc,{OP},bas,,x\nd,{OP},bas,,+1\n")
    slag, fel = _strommat(fil)
    assert slag == "fel" and [f.split(":")[1] for f in fel] == ["3", "4"] and fel == _i_minnet(fil)


def test_fel_i_en_volym_pekar_ut_raden_och_id_kolumnen(tmp_path):
    """Ett scenariofel (volymen blir negativ) visas på raden och där id:t börjar, efter namnet."""
    fil = tmp_path / "s.csv"
    fil.write_text(f"namn,id,falt,satt,andra\nett,{OP},tillagg,,+1\nlångt namn,{OP},tillagg,,+1\n"
                   f"långt namn,{HUD},bas,,-99999\n")
    res = CliRunner().invoke(app, ["scenario", "--scenariofil", str(fil), "-f", "json"])
    assert res.exit_code == 2 and "s.csv:4:12: " in res.stderr and res.stdout == ""


@pytest.mark.parametrize("i_minnet", [3, scenariodelar.NAMN_I_MINNET])
def test_namnloggen_ser_ett_namn_som_aterkommer(monkeypatch, tmp_path, i_minnet):
    """Med få namn i minnet skrivs facken till fil flera gånger; ett namn som återkommer hittas ändra,
    i en logg och i två, och olika namn ger ingen återkomst."""
    monkeypatch.setattr(scenariodelar, "NAMN_I_MINNET", i_minnet)
    olika = Namnlogg()
    for i in range(200):
        olika.lagg_till(f"s{i}")
    assert not olika.aterkommer()
    en = Namnlogg()
    for i in [*range(100), 57, *range(100, 150)]:
        en.lagg_till(f"s{i}")
    assert en.aterkommer()
    a, b = Namnlogg(str(tmp_path / "a")), Namnlogg(str(tmp_path / "b"))
    for i in range(100):
        a.lagg_till(f"s{i}")
        b.lagg_till(f"t{i}")
    b.lagg_till("s3")
    assert not Namnlogg.aterkommer_i([Namnlogg(str(tmp_path / "c")).stang()])
    assert Namnlogg.aterkommer_i([a.stang(), b.stang()])
    assert not Namnlogg.aterkommer_i([a.stang()])
    # Ett block namn i taget (scenarieläsarens block): facken skrivs till fil när de blir fler än
    # NAMN_I_MINNET, som med ett namn i taget, och ett namn som återkommer i ett senare block hittas.
    block = Namnlogg()
    for borjan in range(0, 200, 7):
        block.lagg_till_alla([f"s{i}" for i in range(borjan, min(borjan + 7, 200))])
        assert block.i_minnet < max(i_minnet, 7)
    assert not block.aterkommer()
    block.lagg_till_alla(["t1", "s150", "t2"])
    assert block.aterkommer()


def _kor(*args, input=None):
    res = CliRunner().invoke(app, [str(a) for a in args], input=input)
    assert "Traceback" not in res.stderr
    return res


@pytest.mark.parametrize("i_minnet", [5, scenariodelar.NAMN_I_MINNET])
def test_ett_namn_som_aterkommer_tidigt_i_en_stor_fil_och_fran_standard_in(monkeypatch, tmp_path, i_minnet):
    """s7 återkommer tidigt och filen fortsätter långt efter (mer än läsarens block om 64 KiB): omstarten
    kommer när filen är läst, så kopian av standard in är hel och alla scenarier kommer med."""
    monkeypatch.setattr(scenariodelar, "NAMN_I_MINNET", i_minnet)
    rader = [f"s{i},{OP},tillagg,,+1" for i in range(20)] + [f"s7,{HUD},bas,,-43"]
    rader += [f"s{i},{OP},tillagg,,+1" for i in range(20, 4000)]
    fil = tmp_path / "s.csv"
    fil.write_text("namn,id,falt,satt,andra\n" + "\n".join(rader) + "\n")
    yaml = tmp_path / "s.yaml"
    yaml.write_text("".join(f"- namn: s{i}\n  andringar:\n    - {{id: {OP}, falt: tillagg, andra: 1}}\n"
                            + (f"    - {{id: {HUD}, falt: bas, andra: -43}}\n" if i == 7 else "")
                            for i in range(4000)))
    vantat = _kor("scenario", "--scenariofil", yaml, "-f", "json")
    assert vantat.exit_code == 0 and vantat.stdout.count('"namn"') == 4000
    assert _kor("scenario", "--scenariofil", fil, "-f", "json").stdout == vantat.stdout
    assert _kor("scenario", "--scenariofil", "-", "-f", "json", input=fil.read_bytes()).stdout == vantat.stdout
