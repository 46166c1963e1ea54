import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="PriorityArea",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=150, unique=True, verbose_name="name")),
                ("name_en", models.CharField(blank=True, help_text="Shown when the interface is in English; the Swedish name is used if empty.", max_length=150, verbose_name="name in English")),
                ("slug", models.SlugField(max_length=60, unique=True, verbose_name="short name in addresses")),
                ("description", models.TextField(blank=True, verbose_name="short description")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("colour", models.CharField(default="#1f5f8b", help_text="Used as an accent only; the area is always named in text as well.", max_length=7, validators=[django.core.validators.RegexValidator("^#[0-9a-fA-F]{6}$", "Enter a colour as # followed by six hex digits, e.g. #1f5f8b.")], verbose_name="colour")),
                ("is_archived", models.BooleanField(default=False, verbose_name="archived")),
            ],
            options={"verbose_name": "priority area", "verbose_name_plural": "priority areas", "ordering": ["order", "name"]},
        ),
    ]
