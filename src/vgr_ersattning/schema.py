"""JSON Schema (draft 2020-12) för indatafilerna, genererade ur pydantic-modellerna i `modell` och
`modell_indata`.

Med schemat kan en editor (VS Code med YAML-tillägget) komplettera nycklar och kontrollera
värden medan en controller skriver; verktyget självt validerar som förut med modellerna, med
fel som `fil:rad:kolumn` (schemat är en hjälp i editorn, inte en ny regel).

Belopp och tal i modellerna valideras med `PlainValidator` (tal ur YAML blir `Decimal`, aldrig
float), och en sådan validator ger inget schema alls (`{}`, vad som helst). Här får de sin typ
vid genereringen, utan att modellerna ändras: `_Generator` känner igen validatorfunktionerna i
`modell` och ger t.ex. ett belopp schemat "ett tal, eller ett decimaltal skrivet som text".
Schemana använder bara nyckelord som betyder samma sak i draft-07 (som VS Code:s YAML-tillägg
bygger på) och i 2020-12.
"""

from __future__ import annotations

import json
import typing
from decimal import Decimal
from typing import Any, Callable, Optional, Union

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from vgr_ersattning import modell, modell_indata
from vgr_ersattning.inlasning.tal import MAX_ANTAL, MAX_BELOPP

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID_PREFIX = "urn:vgr-ersattning:schema:"

# Ett decimaltal skrivet som text ("2503.10"), som `modell` godtar för belopp och priser.
DECIMALTEXT = r"^-?[0-9]+(\.[0-9]+)?$"
ICKE_NEGATIV_DECIMALTEXT = r"^[0-9]+(\.[0-9]+)?$"


def _belopp() -> JsonSchemaValue:
    return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMALTEXT}],
            "description": "Ett tal (heltal eller decimaltal med punkt), eller samma tal som text."}


def _pris() -> JsonSchemaValue:
    return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": ICKE_NEGATIV_DECIMALTEXT}],
            "description": "Ett icke-negativt tal (heltal eller decimaltal med punkt), eller samma tal som text."}


def _utfallsantal() -> JsonSchemaValue:
    return {"type": "integer", "minimum": 0, "maximum": MAX_ANTAL,
            "description": "Ett antal: ett icke-negativt heltal."}


def _utfallsbelopp() -> JsonSchemaValue:
    return {"type": "number", "minimum": 0, "maximum": int(MAX_BELOPP),
            "description": "Utfallet i tkr: ett icke-negativt tal, decimaler med punkt."}


def _procent() -> JsonSchemaValue:
    return {"type": "number", "minimum": 0, "maximum": 100, "description": "En andel i procent, 0–100."}


def _indikatorvarde() -> JsonSchemaValue:
    return {"anyOf": [{"type": "number", "minimum": -int(MAX_BELOPP), "maximum": int(MAX_BELOPP)},
                      {"type": "string", "minLength": 1, "pattern": r"\S"}],
            "description": "Indikatorns värde: ett tal, Ja, Nej eller (för typen information) en text."}


def _scenariotal() -> JsonSchemaValue:
    return {"type": "integer", "minimum": -MAX_ANTAL, "maximum": MAX_ANTAL,
            "description": "Ett heltal (en volym, en ändring ±N eller ett pris i kr)."}


# Validatorfunktionen i `modell` (namnet) → schemat för värdet den godtar.
TYPER: dict[str, Callable[[], JsonSchemaValue]] = {
    "_till_decimal": _belopp,
    "_till_icke_negativ": _pris,
    "_utfallsantal": _utfallsantal,
    "_utfallsbelopp": _utfallsbelopp,
    "_procent": _procent,
    "_indikatorvarde": _indikatorvarde,
    "_scenariotal": _scenariotal,
}


def _efter_returtyp(funktion: Callable) -> Optional[JsonSchemaValue]:
    """En okänd validator: schemat efter vad den returnerar (Decimal, int, Decimal | str)."""
    try:
        retur = typing.get_type_hints(funktion).get("return")
    except Exception:
        return None
    if retur is Decimal:
        return _belopp()
    if retur is int:
        return {"type": "integer"}
    if set(typing.get_args(retur)) == {Decimal, str}:
        return {"anyOf": [{"type": "number"}, {"type": "string"}]}
    return None


class _Generator(GenerateJsonSchema):
    """pydantic:s generator, med typade scheman för modellens `PlainValidator`-fält."""

    def function_plain_schema(self, schema: core_schema.PlainValidatorFunctionSchema) -> JsonSchemaValue:
        indata = schema.get("json_schema_input_schema")
        if indata and indata.get("type") != "any":      # modellen anger själv vad som godtas
            return super().function_plain_schema(schema)
        funktion = schema["function"]["function"]
        if getattr(funktion, "__module__", None) in (modell.__name__, modell_indata.__name__) \
                and funktion.__name__ in TYPER:
            return TYPER[funktion.__name__]()
        typat = _efter_returtyp(funktion)
        return typat if typat is not None else super().function_plain_schema(schema)


# --- slagen ----------------------------------------------------------------------------------


class Slag(typing.NamedTuple):
    namn: str
    titel: str
    beskrivning: str
    modell: Any          # en pydantic-modell eller en typ för TypeAdapter; None = finns inte ännu


SLAG: dict[str, Slag] = {s.namn: s for s in (
    Slag("uppdrag", "Uppdragsfil (vgr-ersattning)",
         "Uppdraget för ett år: utförarna, ersättningsramen, volymtabellen, bryggan, indikatorerna och "
         "antagandena, varje block med `kalla`. Medföljande: data/uppdrag_ÅÅÅÅ.yaml; läses med --uppdrag "
         "eller ur datakatalogen (--data, VGR_ERSATTNING_DATA). Belopp anger sin enhet i nyckelns namn "
         "(_kr, _tkr, _mnkr); volymer är heltal.",
         modell.Uppdrag),
    Slag("priser", "Prisfil (vgr-ersattning)",
         "Priserna för tilläggsersättningen (priskategorier) och pristabellen, i kronor. Medföljande: "
         "data/priser_ÅÅÅÅ.yaml; läses med --priser eller ur datakatalogen (--data, VGR_ERSATTNING_DATA).",
         modell.Priser),
    Slag("utfall", "Utfallsfil i YAML eller JSON (vgr-ersattning)",
         "Utfall för en utförare och ett år (--utfall): produktion per rad och månad, avräkningsposternas "
         "utfall i tkr, indikatorer och 1177:s målrelaterade ersättning. Id, perioder och året kontrolleras "
         "mot uppdraget när filen läses. Exempel: examples/utfall_ÅÅÅÅ.yaml.",
         modell_indata.Utfallsfil),
    Slag("scenario", "Scenariofil i YAML eller JSON (vgr-ersattning)",
         "Namngivna scenarier (--scenariofil): en lista {namn, andringar} eller {scenarier: [...]}; en "
         "ändring är {id, falt, satt|andra} eller {pris, satt}. Exempel: examples/scenarier.yaml.",
         Union[modell_indata.Scenariolista, modell_indata.Scenariosamling]),
    Slag("beslut", "Beslutsfil (vgr-ersattning)",
         "Beslut under året (--beslut, regelboken §18): organ, datum, paragraf, första månad (fran), källa och "
         "ändringar {id, falt, satt|andra}, {pris, satt}, {ram_tkr}, {avrakning, niva_tkr} eller {delegation_kr}. "
         "Exempel: examples/beslut_ÅÅÅÅ.yaml.",
         modell_indata.Beslutsfil),
)}

SLAG_MED_SCHEMA = tuple(n for n, s in SLAG.items() if s.modell is not None)


def saknas_text(namn: str) -> str:
    """Varför ett slag inte har något schema."""
    if namn == "beslut":
        return "finns inte ännu: verktyget läser inga beslutsfiler"
    return "finns inte ännu: modellen saknas i den här versionen"


def generera(namn: str) -> dict:
    """Schemat för ett slag som en dict (`KeyError` för ett okänt slag, `LookupError` för ett slag
    som inte har någon modell)."""
    slag = SLAG[namn]
    if slag.modell is None:
        raise LookupError(f"{namn} {saknas_text(namn)}")
    if isinstance(slag.modell, type) and hasattr(slag.modell, "model_json_schema"):
        schema = slag.modell.model_json_schema(schema_generator=_Generator, mode="validation")
    else:
        from pydantic import TypeAdapter

        schema = TypeAdapter(slag.modell).json_schema(schema_generator=_Generator, mode="validation")
    huvud = {"$schema": DRAFT, "$id": f"{ID_PREFIX}{namn}", "title": slag.titel, "description": slag.beskrivning}
    schema.pop("title", None)
    schema.pop("description", None)
    return {**huvud, **schema}


def schema_text(namn: str) -> str:
    """Schemat som JSON-text (indenterad, UTF-8, avslutad med radbrytning)."""
    return json.dumps(generera(namn), ensure_ascii=False, indent=2) + "\n"


def lista() -> str:
    """Slagen, med vilka filer de beskriver och hur de används, som text."""
    rader = ["Scheman (JSON Schema, draft 2020-12) för indatafilerna, genererade ur verktygets modeller:", ""]
    bredd = max(len(n) for n in SLAG)
    for namn, slag in SLAG.items():
        text = slag.titel.replace(" (vgr-ersattning)", "")
        if slag.modell is None:
            text = saknas_text(namn)
        rader.append(f"  {namn.ljust(bredd)}  {text}")
    rader += ["",
              "Skriv ut ett schema med `ersattning schema SLAG`, eller till en fil med",
              "`ersattning schema uppdrag --ut schema/uppdrag.json`, och koppla en YAML-fil till det med",
              "raden `# yaml-language-server: $schema=./schema/uppdrag.json` i filen (VS Code med",
              "YAML-tillägget). `ersattning init KATALOG` skriver alla scheman till KATALOG/schema/."]
    return "\n".join(rader) + "\n"
