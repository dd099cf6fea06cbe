"""Kommandona under kommandoraden: ett byggsteg per kommando som väljer utförare, månader och
kontroller, anropar kärnan och lämnar en `Korning` (rapporten och effekterna) till `korning`.
Inget här skriver, bokför eller skriver ut: effekterna utförs av körningen, sist."""
