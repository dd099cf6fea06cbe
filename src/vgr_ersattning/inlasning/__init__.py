"""Inläsningen i steg: tolka (YAML, CSV, xlsx) → validera (modellerna) → omvandla (beslut) →
kontrollera (mot uppdraget). Varje modul importeras för sig; paketet självt importerar ingenting."""
