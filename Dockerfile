# councils.coop production image: gunicorn behind a TLS-terminating proxy or load balancer.
# Build:  docker build -t councils-coop .
# Run:    docker compose up   (see compose.yaml and docs/operations.md)

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /venv
COPY pyproject.toml ./
# The site's apps (docs/architecture.md); only their dependencies are kept from this stage.
COPY ccin ./ccin
COPY security ./security
COPY caching ./caching
COPY home ./home
COPY search ./search
COPY operations ./operations
COPY editorial ./editorial
COPY membership ./membership
COPY news ./news
COPY casestudies ./casestudies
COPY api ./api
COPY demo ./demo
COPY wordpress ./wordpress
# Install the dependencies pinned in pyproject.toml; the app itself runs from /app.
RUN /venv/bin/pip install . && /venv/bin/pip uninstall -y ccin-site

FROM python:3.11-slim AS runtime
ENV PATH="/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ccin.settings.production \
    WEB_CONCURRENCY=2 \
    PORT=8000
RUN groupadd --system ccin && useradd --system --gid ccin --home /app --shell /usr/sbin/nologin ccin
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=ccin:ccin . /app
# Static files are collected into the image (hashed, compressed names served by whitenoise).
# The key and host below exist only for this build step.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown ccin:ccin /app/media
USER ccin
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=4)"]
# Workers, threads, timeouts and the bind address: gunicorn.conf.py (WEB_CONCURRENCY, PORT).
CMD ["gunicorn", "ccin.wsgi:application"]
