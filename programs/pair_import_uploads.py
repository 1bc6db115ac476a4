"""A CSV file of pairs kept on the server between preview and import."""

import datetime as dt
import secrets

from django.utils import timezone

from .models import PairImportUpload

KEPT_FOR = dt.timedelta(hours=1)


def upload_keep(*, user, data):
    """Keep the file's bytes for `user`; returns the token the confirmation posts."""
    # Files nobody confirmed go the next time anyone uploads one.
    PairImportUpload.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    token = secrets.token_urlsafe(32)
    PairImportUpload.objects.create(token=token, uploaded_by=user, data=data)
    return token


def upload_take(*, user, token):
    """The bytes kept under `token`, or None when the token is unknown, has
    expired or was given to someone else (all three look the same, so a
    token says nothing about another person's file). Taking it removes it:
    a file is imported once."""
    upload = PairImportUpload.objects.filter(
        token=token or "", uploaded_by=user, created_at__gte=timezone.now() - KEPT_FOR
    ).first()
    # Two clicks on "Importera" at once: only the one that deletes the row imports.
    if upload is None or not PairImportUpload.objects.filter(pk=upload.pk).delete()[0]:
        return None
    return bytes(upload.data)
