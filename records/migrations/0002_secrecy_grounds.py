"""The secrecy grounds the review starts with; administrators keep the list from here on."""

from django.db import migrations

GROUNDS = [
    (
        "31 kap. 16 § OSL",
        "Enskilds affärs- eller driftförhållanden i kommunens näringslivsverksamhet",
        "Sekretess gäller i kommunal verksamhet som består i utredning, planering eller "
        "stödverksamhet med avseende på näringslivet för uppgift om enskilds affärs- eller "
        "driftförhållanden, uppfinningar eller forskningsresultat, om det kan antas att den "
        "enskilde lider skada om uppgiften röjs.",
    ),
    (
        "21 kap. 7 § OSL",
        "Personuppgifter som efter ett utlämnande skulle behandlas i strid med dataskyddsregleringen",
        "Sekretess gäller för personuppgift, om det kan antas att uppgiften efter ett "
        "utlämnande kommer att behandlas i strid med EU:s dataskyddsförordning eller lagen "
        "(2018:218) med kompletterande bestämmelser till EU:s dataskyddsförordning.",
    ),
    (
        "21 kap. 3 § OSL",
        "Enskilds adress, telefonnummer och liknande uppgifter (skyddade personuppgifter)",
        "Sekretess gäller för uppgift om en enskilds bostadsadress, telefonnummer, "
        "e-postadress eller liknande uppgift om det av särskild anledning kan antas att den "
        "enskilde eller någon närstående till denne lider men om uppgiften röjs.",
    ),
]


def seed(apps, schema_editor):
    ground_model = apps.get_model("records", "SecrecyGround")
    for reference, title, explanation in GROUNDS:
        ground_model.objects.get_or_create(
            reference=reference, defaults={"title": title, "explanation": explanation}
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
