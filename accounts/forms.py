from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction

from .allauth_flows import verification_email_send


class AddEmailForm(AllauthAddEmailForm):
    """Change of address that keeps the login address until the new one is confirmed.

    allauth's change flow drops the person's unverified address as soon as a
    new one is asked for. Our people's addresses were typed by a coordinator
    and are often unverified in allauth's sense, so that would leave them
    without a login address until they confirm the new one.
    """

    def save(self, request):
        user, email = self.user, self.cleaned_data["email"]
        with transaction.atomic():
            # An earlier change still waiting for confirmation is replaced.
            EmailAddress.objects.filter(user=user, verified=False).exclude(email__iexact=user.email).delete()
            if _taken_by_someone_else(email, user):
                # The same answer as for a free address: nothing is revealed,
                # and the other person's account is not touched.
                get_adapter(request).add_message(
                    request, messages.INFO, "account/messages/email_confirmation_sent.txt", {"email": email}
                )
                return EmailAddress(user=user, email=email)
            address = EmailAddress.objects.create(user=user, email=email)
        verification_email_send(request, address)
        return address


def _taken_by_someone_else(email, user):
    in_use = get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
    return in_use or EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user=user).exists()
