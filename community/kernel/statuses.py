"""Where a piece of user content stands: shared by posts and comments, and known to every app that counts them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentStatus(models.TextChoices):
    PUBLISHED = "PUBLISHED", _("published")
    PENDING_REVIEW = "PENDING_REVIEW", _("pending review")
    HIDDEN = "HIDDEN", _("hidden")
    DELETED = "DELETED", _("deleted")
