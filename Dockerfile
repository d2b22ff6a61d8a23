# privbot: the whole service (`privbot run`) on a slim Python, as a non-root user.
# Configure it with PRIVBOT_* variables (see README "Deploying"); compose.yaml adds PostgreSQL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PRIVBOT_HTTP_LISTEN=0.0.0.0:8080 \
    PRIVBOT_LOG_FORMAT=json \
    PRIVBOT_DATABASE_URL=sqlite:////data/privbot.sqlite3

# The package, its intents and policy corpus (shipped inside the wheel); sources removed after.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY intents ./intents
COPY policy_corpus ./policy_corpus
RUN pip install . && rm -rf /src

RUN useradd --system --uid 10001 --user-group --home-dir /data --create-home privbot
USER privbot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os, urllib.request; port = os.environ.get('PRIVBOT_HTTP_LISTEN', ':8080').rpartition(':')[2]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)" || exit 1

ENTRYPOINT ["privbot"]
CMD ["run"]
