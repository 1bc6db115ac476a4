"""gunicorn's access log without secrets: `--logger-class
mentorskap.gunicorn_logs.RedactingLogger` (the Procfile, the systemd unit and
the image say so). A survey's answer link is a secret; the request line, the
path and the referrer of its page's own requests would otherwise hold it."""

from gunicorn.glogging import Logger

from .logs import redact_secrets


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_secrets(value) if isinstance(value, str) else value for key, value in atoms.items()}
