"""`parallell`: antalet arbetare (affiniteten, miljövariabeln), `kor` och `samla` ger samma resultat
som utan processer, också när en del kastar, en arbetare dör eller poolen inte går att starta, och
poolen stängs (arbetarna dödas) när den som läser slutar, avbryts eller dör."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from vgr_ersattning import parallell

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork saknas")


@pytest.fixture(autouse=True)
def _tre_arbetare(monkeypatch):
    monkeypatch.setenv(parallell.MILJOVARIABEL, "3")
    yield
    assert multiprocessing.active_children() == []          # inga arbetare lever kvar


def _kvadrat(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


# --- antalet arbetare ------------------------------------------------------------------------------


def test_arbetare_ar_affiniteten(monkeypatch):
    monkeypatch.delenv(parallell.MILJOVARIABEL)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert parallell.arbetare() == 3


def test_arbetare_utan_affinitet_ar_alla_processorer(monkeypatch):
    monkeypatch.delenv(parallell.MILJOVARIABEL)
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 7)
    assert parallell.arbetare() == 7
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert parallell.arbetare() == 1


@pytest.mark.parametrize(("varde", "vantat"), [("1", 1), ("2", 2), (" 16 ", 16), ("0", 3), ("-2", 3), ("x", 3),
                                               ("", 3), ("٣", 3)])
def test_miljovariabeln_gar_fore(monkeypatch, varde, vantat):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    monkeypatch.setenv(parallell.MILJOVARIABEL, varde)
    assert parallell.arbetare() == vantat


def test_processer_en_utan_fork_och_med_en_arbetare(monkeypatch):
    assert parallell.processer() == 3
    monkeypatch.setenv(parallell.MILJOVARIABEL, "1")
    assert parallell.processer() == 1
    monkeypatch.setenv(parallell.MILJOVARIABEL, "3")
    monkeypatch.setattr(parallell, "_FORK", False)
    assert parallell.processer() == 1
    assert list(parallell.kor(_kvadrat, range(4))) == [(x * x, os.getpid()) for x in range(4)]


def test_kommandoraden_importerar_inte_modulen():
    kod = "import sys, vgr_ersattning.cli; print('vgr_ersattning.parallell' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True).stdout.strip() == "False"


# --- kor -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("antal", [0, 1, 2, 3, 10, 50])
def test_kor_ger_resultaten_i_ordning_den_forsta_har_resten_fran_arbetarna(antal):
    svar = list(parallell.kor(_kvadrat, range(antal)))
    assert [r for r, _ in svar] == [x * x for x in range(antal)]
    assert all(pid == os.getpid() for _, pid in svar[:1])
    arbetarna = {pid for _, pid in svar[1:]}
    assert os.getpid() not in arbetarna and len(arbetarna) <= 2


def test_kor_arver_closures_och_stora_delar():
    stor = bytes(range(256)) * 40_000
    delar = [stor[i:] for i in range(4)]
    assert list(parallell.kor(lambda d: (len(d), d[:2] == stor[len(stor) - len(d):][:2]), delar)) == \
        [(len(d), True) for d in delar]


def test_en_del_som_kastar_ger_samma_undantag_som_utan_processer():
    har = os.getpid()
    sedda = []

    def funktion(x):
        if x == 5:
            raise ValueError(f"del {x} i {'arbetaren' if os.getpid() != har else 'föräldern'}")
        return x

    with pytest.raises(ValueError, match="del 5 i föräldern"):
        for r in parallell.kor(funktion, range(10)):
            sedda.append(r)
    assert sedda == [0, 1, 2, 3, 4]


def test_en_arbetare_som_dor_ger_resten_har():
    har = os.getpid()

    def funktion(x):
        if x == 2 and os.getpid() != har:
            os._exit(7)
        return x, os.getpid() == har

    svar = list(parallell.kor(funktion, range(8)))
    assert [x for x, _ in svar] == list(range(8))
    assert svar[2][1]                                 # del 2 räknades här, efter att arbetaren dött


def test_ett_resultat_som_inte_kan_skickas_raknas_har():
    har = os.getpid()
    assert list(parallell.kor(lambda x: (lambda: x) if os.getpid() != har and x == 1 else x, range(4))) == [0, 1, 2, 3]


def test_en_pool_som_inte_startar_ger_allt_har(monkeypatch):
    def fork():
        raise OSError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(os, "fork", fork)
    assert list(parallell.kor(_kvadrat, range(5))) == [(x * x, os.getpid()) for x in range(5)]


@pytest.mark.parametrize("vad", ["delat minne", "lås", "poolen"])
def test_en_pool_som_inte_kan_skapas_ger_allt_har(monkeypatch, vad):
    def fel(*a, **k):
        raise OSError(38, "Function not implemented")
    if vad == "delat minne":
        monkeypatch.setattr(parallell.mmap, "mmap", fel)
    elif vad == "lås":
        monkeypatch.setattr(multiprocessing.context.BaseContext, "Lock", fel)
    else:
        monkeypatch.setattr(parallell, "ProcessPoolExecutor", fel)
    assert list(parallell.kor(_kvadrat, range(5))) == [(x * x, os.getpid()) for x in range(5)]
    assert parallell.samla(_ta, 5) == [(list(range(5)), os.getpid())]


def test_den_som_slutar_lasa_stanger_poolen():
    start = time.monotonic()
    svar = parallell.kor(lambda x: time.sleep(0 if x == 0 else 30) or x, range(6))
    assert next(svar) == 0
    svar.close()
    assert time.monotonic() - start < 10 and multiprocessing.active_children() == []


def test_ctrl_c_dodar_arbetarna():
    # Som i en terminal: SIGINT blir KeyboardInterrupt också när testerna startats i bakgrunden av ett
    # skal utan jobbkontroll (`bash .ci/run &`), som då ärver signalen ignorerad.
    fore = signal.signal(signal.SIGINT, signal.default_int_handler)
    start = time.monotonic()
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(parallell.kor(lambda x: time.sleep(30), range(4)))
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, fore)
    assert time.monotonic() - start < 10 and multiprocessing.active_children() == []


def test_arbetarna_avslutar_sig_nar_foraldern_dor(tmp_path):
    """En förälder som dödas (SIGKILL, ingen städning) lämnar inga arbetare efter sig."""
    pidfil = tmp_path / "pider"
    kod = textwrap.dedent(f"""
        import os, time
        from vgr_ersattning import parallell
        os.environ[parallell.MILJOVARIABEL] = "2"
        def del_(x):
            with open({str(pidfil)!r}, "a") as f:
                f.write(f"{{os.getpid()}}\\n")
            time.sleep(60)
        for _ in parallell.kor(del_, range(2)):
            pass
    """)
    p = subprocess.Popen([sys.executable, "-c", kod])
    try:
        for _ in range(200):
            if pidfil.exists() and len(pidfil.read_text().split()) == 2:
                break
            time.sleep(0.05)
        pider = [int(x) for x in pidfil.read_text().split()]
        assert len(pider) == 2
    finally:
        p.kill()
        p.wait()

    def lever(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    for _ in range(200):
        if not any(lever(pid) for pid in pider):
            break
        time.sleep(0.05)
    assert not any(lever(pid) for pid in pider)


# --- samla -----------------------------------------------------------------------------------------


def _ta(nummer) -> tuple[list[int], int]:
    return list(nummer), os.getpid()


@pytest.mark.parametrize("antal", [0, 1, 2, 5, 100])
def test_samla_ger_varje_del_till_precis_en_arbetare(antal):
    rapporter: list[int] = []
    svar = parallell.samla(_ta, antal, rapporter.append)
    alla = sorted(i for delar, _ in svar for i in delar)
    assert alla == list(range(antal))
    assert all(delar == sorted(delar) for delar, _ in svar)
    assert svar[0][1] == os.getpid() and len(svar) == max(1, min(3, antal))
    assert os.getpid() not in {pid for _, pid in svar[1:]}
    assert rapporter == sorted(rapporter) and (rapporter[-1] == antal if antal else rapporter in ([], [0]))


def test_samla_en_arbetare_som_kastar_ger_ett_anrop_har():
    har = os.getpid()

    def funktion(nummer):
        delar = list(nummer)
        if os.getpid() != har:
            raise RuntimeError("arbetaren kastar")
        return delar, os.getpid()

    rapporter: list[int] = []
    assert parallell.samla(funktion, 20, rapporter.append) == [(list(range(20)), har)]
    assert rapporter[-1] == 20 and rapporter == sorted(rapporter)


def test_samla_en_arbetare_som_dor_ger_ett_anrop_har():
    har = os.getpid()

    def funktion(nummer):
        list(nummer)
        if os.getpid() != har:
            os._exit(7)
        return os.getpid()

    assert parallell.samla(funktion, 10) == [har]


def test_samla_en_pool_som_inte_startar_ger_ett_anrop_har(monkeypatch):
    def fork():
        raise OSError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(os, "fork", fork)
    assert parallell.samla(_ta, 7) == [(list(range(7)), os.getpid())]


def test_samla_en_process_med_mindre_tid_tar_farre_delar():
    har = os.getpid()

    def funktion(nummer):
        delar = []
        for i in nummer:
            delar.append(i)
            time.sleep(0.05 if os.getpid() % 3 == 0 else 0.001)
        return delar, os.getpid()

    svar = parallell.samla(funktion, 60)
    assert sorted(i for delar, _ in svar for i in delar) == list(range(60))
    assert svar[0][1] == har
    langsamma = [len(delar) for delar, pid in svar if pid % 3 == 0]
    snabba = [len(delar) for delar, pid in svar if pid % 3 != 0]
    if langsamma and snabba:
        assert sum(langsamma) < sum(snabba)


def test_en_arbetare_som_dodas_mitt_i_sitt_svar_haller_inte_kvar_poolen():
    """Delen här kastar medan arbetaren skickar ett stort svar (200 MB genom röret): arbetaren dödas
    mitt i svaret och lämnar ett halvt meddelande i röret. Poolens tråd väntade då för evigt på
    resten (ett test av xlsx-läsaren hängde så); nu kommer undantaget, och inga arbetare lever kvar.
    Körs i en egen process med en tidsgräns, så att ett häng blir ett fel och inte ett stopp."""
    kod = textwrap.dedent("""
        import os, sys, time
        os.environ["VGR_ERSATTNING_ARBETARE"] = "2"
        from vgr_ersattning import parallell
        har = os.getpid()
        flagga = parallell._Raknare()
        def funktion(x):
            if os.getpid() != har:
                flagga[0] = 1
                return bytes(200_000_000)
            while flagga[0] == 0:
                time.sleep(0.001)
            time.sleep(vanta)
            raise ValueError("delen här")
        for vanta in (0.1, 0.2, 0.3, 0.4):
            try:
                list(parallell.kor(funktion, [0, 1]))
            except ValueError:
                pass
            flagga[0] = 0
        print("klar")
    """)
    res = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, timeout=120)
    assert (res.returncode, res.stdout.strip()) == (0, "klar"), res.stderr[-2000:]


# --- DeladTabell ----------------------------------------------------------------------------------

def test_delad_tabell_ger_det_som_sparats_och_none_annars():
    t = parallell.DeladTabell(10)
    assert [t.hamta(i) for i in range(-1, 12)] == [None] * 13
    for i, tal in enumerate([0, 1, -1, 2 ** 62, -(2 ** 63), 2 ** 63 - 1, 123456789]):
        t.spara(i, tal)
        assert t.hamta(i) == tal
    t.spara(7, 2 ** 63)              # ryms inte: sparas inte
    t.spara(10, 5)                   # utanför tabellen
    assert t.hamta(7) is None and t.hamta(10) is None
    assert parallell.DeladTabell(0).hamta(0) is None


def test_en_halvskriven_plats_ar_tom():
    """Läser en process en plats medan en annan skriver den stämmer inte talet med kontrollen."""
    t = parallell.DeladTabell(2)
    t.spara(0, 42)
    t._tal[0] = 43                   # talet skrivet, kontrollen inte än
    assert t.hamta(0) is None
    t.spara(0, 43)
    assert t.hamta(0) == 43


def test_delad_tabell_delas_med_processer_som_kor_startar():
    t = parallell.DeladTabell(100)

    def del_(i):
        t.spara(i, i * 1000 + os.getpid() % 7)
        return os.getpid()

    pid = list(parallell.kor(del_, [1, 2]))
    assert [t.hamta(i) for i in (1, 2)] == [i * 1000 + p % 7 for i, p in zip((1, 2), pid)]
