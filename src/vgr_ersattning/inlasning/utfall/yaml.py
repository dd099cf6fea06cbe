"""Utfall i YAML eller JSON: en fil per utförare och år med avsnitten `produktion`, `avrakning`,
`indikatorer` och `malrelaterad_1177`.

Strukturen valideras mot modellen `modell_indata.Utfallsfil`; det som kräver uppdraget (utförare,
rad-id, poster, indikatorer och deras perioder, året) kontrolleras efteråt
(`kontroll.kontrollera_mot_uppdraget`). Värdena läggs in först när hela filen är utan fel.
"""

from __future__ import annotations

from vgr_ersattning.inlasning.fel import Fel, Felsamlare, Inlasningsfel, utan_foljdfel
from vgr_ersattning.inlasning.kallor import CSV, Indatafil, avkoda, las_byte
from vgr_ersattning.inlasning.pydanticfel import validera
from vgr_ersattning.inlasning.utfall.kontroll import AVSNITT, kontrollera_mot_uppdraget
from vgr_ersattning.inlasning.utfall.tabell import CSV_KOLUMNER
from vgr_ersattning.inlasning.yamlpos import las_yaml_text
from vgr_ersattning.modell import Uppdrag

# YAML-filer med utfall är handskrivna.
MAX_YAML_BYTE = 16 * 1024 * 1024


def las_yaml_kalla(kalla: Indatafil, borjan: bytes, format: str, uppdrag: Uppdrag, ut) -> None:
    """En YAML- eller JSON-fil med utfall (`kalla`, vars första byte redan lästs som `borjan`) in i
    utfallet `ut` (`Utfall`), med ett fel per problem."""
    text = avkoda(kalla.namn, las_byte(kalla, MAX_YAML_BYTE, borjan))
    varden_fel: list[Fel] = []
    data, pos = las_yaml_text(text, kalla.namn, format=format if format != CSV else "YAML", nycklar_som_text=True,
                              tal_som_yaml12=True, fel_ut=varden_fel)
    if not isinstance(data, dict):
        raise Inlasningsfel(varden_fel or [Fel(pos.plats(()), "", "utfallsfilen ska vara en mappning med utforare, "
                                               "ar och avsnitt (eller en CSV-fil med rubrikraden "
                                               f"{','.join(CSV_KOLUMNER)})")])
    fel = Felsamlare()
    for f in varden_fel:
        fel.lagg_till(f)
    # Utfallsfilens pydantic-modeller (~6 ms) importeras bara för en YAML- eller JSON-fil, som
    # Excel-biblioteken för en arbetsbok: en CSV-fil klarar sig utan dem.
    from vgr_ersattning.modell_indata import Utfallsfil

    try:
        fil: Utfallsfil | None = validera(Utfallsfil, data, pos)
    except Inlasningsfel as e:
        fil = None
        # Ett värde som redan fått ett fel vid inläsningen (None i datan) får inte ett till.
        for f in utan_foljdfel(e.visade, varden_fel):
            fel.lagg_till(f)
        fel.overskjutande += e.fler
    if fil is not None:
        utf, ar = fil.utforare, fil.ar
        avsnitt = {a: getattr(fil, a) or {} for a in AVSNITT}
    else:
        # Strukturen har fel (de är redan rapporterade): kontrollera ändå nycklarna mot uppdraget,
        # så att alla fel i filen syns på en gång, men lägg inte in några värden.
        utf = data.get("utforare") if isinstance(data.get("utforare"), str) else None
        ar = data.get("ar") if type(data.get("ar")) is int else None
        avsnitt = {a: {k: v for k, v in data[a].items() if isinstance(v, dict)} if isinstance(data.get(a), dict)
                   else {} for a in AVSNITT}
    # Värdena läggs in först när hela filen är utan fel (och bara om strukturen höll).
    inlagg: list | None = [] if fil is not None and not varden_fel else None
    kontrollera_mot_uppdraget(utf, ar, avsnitt, uppdrag, ut.ar, pos, fel, inlagg)
    fel.kasta_om_fel(sortera=True)
    for nyckel, plats, vag, varde in inlagg or ():
        if ut.registrera(nyckel, plats, fel, vag):
            ut.lagg_in(nyckel, varde)
    fel.kasta_om_fel()
