"""A pair's e-mail that the receiving server refused, as the dispatcher leaves it."""

from outbox.enqueue import mail_enqueue
from outbox.models import MailStatus, OutgoingMail
from programs.mail_kinds import ProgramMail

ANSWER = "550 5.1.1 No such user here"


def bounce(pair, person, answer=ANSWER):
    row = mail_enqueue(recipient=person, kind=ProgramMail.PAIR_NOTICE, mentorship=pair)
    OutgoingMail.objects.filter(pk=row.pk).update(status=MailStatus.FAILED, attempts=1, last_error=answer)
    return row
