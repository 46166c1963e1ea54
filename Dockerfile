# One image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=smeportal.settings.production

# Pango, HarfBuzz's subsetter and a font: WeasyPrint draws the report PDF (reports/pdf.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext nodejs npm \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

COPY pyproject.toml README.md ./
COPY smeportal ./smeportal
COPY interviews ./interviews
COPY workshops ./workshops
COPY actionplan ./actionplan
RUN pip install --no-cache-dir .

COPY . .
# Static files and compiled messages are built into the image; collectstatic needs no secrets.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
      python manage.py compilemessages --ignore=node_modules \
    && SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
      python manage.py collectstatic --noinput --verbosity 0

RUN useradd --create-home portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal

EXPOSE 8000
# Bind address, workers and the access log (without query strings): smeportal/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:smeportal.gunicorn_conf", "smeportal.wsgi"]
