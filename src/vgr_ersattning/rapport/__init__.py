"""Rapportmodellen och byggarna: varje kommando bygger sin rapport en gång ur sitt resultat
(`rapport.modell`), och skrivarna i `visning` (terminal, CSV, xlsx, HTML) skriver vilken rapport som
helst. Ett nytt kommando är en ny byggare här; ett nytt format en ny skrivare där."""
