import pytest

from community.accounts import sms


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    """Text messages are collected in `sms.outbox`, as Django's test runner does with `mail.outbox`."""
    settings.SMS_BACKEND = "community.accounts.sms.LocmemBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _private_exports(settings, tmp_path):
    settings.DATA_EXPORT_ROOT = str(tmp_path / "exports")
