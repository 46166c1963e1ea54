"""The six focus areas of Eskilstuna's adopted SME plan (DOMAIN.md), seeded by a migration.

Colours are dark enough for white text (contrast >= 4.5:1) and never the only way an area is
told apart.
"""

from __future__ import annotations

SIX_AREAS = [
    (
        "kommunikation-och-dialog",
        "Kommunikation och dialog mellan näringsliv och kommunkoncern",
        "Communication and dialogue between business and the municipal group",
        "Hur kommunen och företagen talar med varandra: information, kontaktvägar och tidig dialog.",
        "#1f5f8b",
    ),
    (
        "attraktivitet-och-stadskarna",
        "Attraktivitet, trygghet och stadskärnans utveckling",
        "Attractiveness, safety and the development of the city centre",
        "En levande och trygg stadskärna och en attraktiv kommun att verka i.",
        "#7a3e9d",
    ),
    (
        "service-och-samverkan",
        "Service till företag och intern samverkan (bygglov, tillstånd, bemötande)",
        "Service to businesses and internal cooperation (building permits, licences, treatment)",
        "Myndighetsutövning och service: bygglov, tillstånd, handläggningstider och bemötande.",
        "#a23b2a",
    ),
    (
        "kompetensforsorjning",
        "Kompetensförsörjning",
        "Skills supply",
        "Tillgång till rätt kompetens: utbildning, matchning och samarbete med skolan.",
        "#2e6b3a",
    ),
    (
        "upphandling",
        "Upphandling inom kommunkoncernen",
        "Procurement within the municipal group",
        "Hur små och medelstora företag kan delta i och vinna kommunens upphandlingar.",
        "#8a5a00",
    ),
    (
        "tillvaxt-och-hallbarhet",
        "Tillväxtförutsättningar och hållbar näringslivsutveckling",
        "Conditions for growth and sustainable business development",
        "Mark, lokaler, infrastruktur och en hållbar utveckling av näringslivet.",
        "#0f6b6b",
    ),
]


def areas_seed(area_model=None) -> None:
    """Create or update the six areas; the migration passes its historical model."""
    if area_model is None:
        from .models import PriorityArea as area_model
    for order, (slug, name, name_en, description, colour) in enumerate(SIX_AREAS, start=1):
        area_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "order": order,
                "colour": colour,
            },
        )
