import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .user_cache import forget_users


class UserQuerySet(models.QuerySet):
    """Writes that send no post_save forget the people's cached rows too."""

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        forget_users(pks)
        return updated

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        updated = super().bulk_update(objs, fields, batch_size=batch_size)
        forget_users(obj.pk for obj in objs)
        return updated


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_queryset(self):
        return UserQuerySet(self.model, using=self._db)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the login."""

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.SWEDISH)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Coordinators and administrators may log in to the admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]
        # A program's pairs sorted by the mentee's (or mentor's) name read the
        # people in this order and stop at a page's 50, instead of joining and
        # sorting every pair of the program (18 ms at 10,000 pairs, now <1 ms).
        indexes = [models.Index(fields=["name", "email"], name="user_name_email")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name or self.email

    @property
    def is_registered(self):
        """Has a password of their own or has been in: an invitation link
        would now only be a way round their password and second factor."""
        return self.has_usable_password() or self.last_login is not None

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name.split(" ")[0]

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Invitation(models.Model):
    """A one-time link that lets an invited person in and set a password."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations")
    mentorship = models.ForeignKey(
        "programs.Mentorship",
        verbose_name=_("mentorship"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="invitation_user_created")]

    def __str__(self):
        return str(self.user)

    @property
    def is_usable(self):
        # Asked when the link is used, not only when it was sent: once its
        # person has a password (by this link, a reset, the admin, a
        # management command) or has logged in (a password, an e-mailed
        # code), the link would set a new password and log in past their
        # password and second factor. Nothing has to remember to close it.
        user = self.user
        return self.is_open() and user.is_active and not user.is_registered

    def is_open(self, *, now=None):
        """Neither used nor expired, whoever its person is now."""
        return self.used_at is None and self.expires_at > (now or timezone.now())
