"""What operators rely on: health, deploy checks, createsuperuser, the activity safety net."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from community.accounts import services as account_services
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification, User

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_each_dependency(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "up",
        "pool": None,  # no DB_POOL_MAX_SIZE in the tests
        "refusedLastMinute": 0,
        "cache": "up",
        "channelLayer": "up",
    }


def test_healthz_is_503_when_the_database_is_down(db, monkeypatch):
    from community import views

    monkeypatch.setattr(views, "_database_state", lambda: "down")
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_healthz_reports_a_broken_channel_layer_without_failing(db, monkeypatch):
    from community import views

    class BrokenLayer:
        async def new_channel(self):
            raise ConnectionError("redis is gone")

    monkeypatch.setattr(views, "get_channel_layer", lambda: BrokenLayer())
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["channelLayer"] == "down"


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a process of its own with `env`, warnings failing it."""
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_a_production_environment():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x7!k2#p9@w4$z8^m1&q6*r3(t5)y0-u2_v9+b4=n7~c1" * 2,
        "ALLOWED_HOSTS": "community.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://community.example.com",
        "HTTPS": "1",
    }
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_development_defaults():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "HTTPS"}}
    result = check_deploy(env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_createsuperuser_noinput_makes_brand_staff(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Correct-Horse-42")
    call_command("createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.com")
    admin = User.objects.get(username="admin")
    assert admin.check_password("Correct-Horse-42")
    assert admin.nickname == "admin"
    assert admin.is_brand_staff


def test_undispatched_activities_are_picked_up_by_the_safety_net(db, user, other_user, on_commit, monkeypatch):
    """If the broker was down when an activity was recorded, beat's task runs its consumers later."""
    from community.kernel import activity

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(activity.dispatch_activities, "delay", broker_down)
    with on_commit():
        account_services.follow(user=user, followee_id=other_user.pk)
    assert not Notification.objects.exists()
    stale = Activity.objects.get(verb=Verb.FOLLOWED)
    Activity.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert activity.redispatch_stale_activities() == 1
    assert Notification.objects.filter(recipient=other_user, verb=NotificationVerb.FOLLOWED).count() == 1
    assert activity.stale_undispatched() == []


def test_a_failing_consumer_leaves_the_activity_for_retry_and_others_still_run(db, user, other_user, on_commit):
    from community.kernel import activity

    calls = []

    @activity.on_activity(Verb.FOLLOWED)
    def broken(recorded):
        calls.append(recorded.pk)
        raise RuntimeError("consumer bug")

    try:
        with on_commit():
            account_services.follow(user=user, followee_id=other_user.pk)
    finally:
        activity.off_activity(broken, Verb.FOLLOWED)
    recorded = Activity.objects.get(verb=Verb.FOLLOWED)
    assert calls == [recorded.pk]
    assert recorded.dispatched_at is None and recorded.dispatch_attempts == 1
    assert Notification.objects.count() == 1  # the notification consumer still ran


def test_real_time_publish_survives_a_dead_channel_layer(db, user, other_user, on_commit, monkeypatch, caplog):
    from community.kernel import realtime

    class DeadLayer:
        async def group_send(self, *args):
            raise ConnectionError("redis is gone")

    monkeypatch.setattr(realtime, "get_channel_layer", lambda: DeadLayer())
    with on_commit():
        account_services.follow(user=user, followee_id=other_user.pk)
    assert Notification.objects.filter(recipient=other_user).count() == 1
    assert "real-time publish" in caplog.text


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_makes_the_avatar_thumbnail(user, settings, tmp_path):
    """With Redis as the broker, the thumbnail is made by a separate worker process, not inline."""
    import time

    from django.db import connection

    from community.celery import app
    from tests.images import png_bytes, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "community",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
            "--hostname",
            f"test-{os.getpid()}@localhost",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        account_services.update_profile(user=user, avatar=upload("me.png", png_bytes(size=(600, 600))))
        user.refresh_from_db()
        assert user.avatar and not user.avatar_thumbnail  # not made inline
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not user.avatar_thumbnail:
            time.sleep(0.2)
            user.refresh_from_db()
        assert user.avatar_thumbnail, "the worker never made the thumbnail"
        assert Path(user.avatar_thumbnail.path).exists()
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        if not user.avatar_thumbnail:
            print(output)


def test_brand_staff_use_the_back_office_without_a_staff_flag(db, brand_staff, user):
    from tests.factories import VehicleFactory

    VehicleFactory(owner=user)
    assert not brand_staff.is_staff
    browser = Client()
    browser.force_login(brand_staff)
    assert browser.get("/admin/").status_code == 200
    page = browser.get("/admin/community/vehicle/")
    assert page.status_code == 200 and "欧尚X5 PLUS" in page.content.decode()
    owner = Client()
    owner.force_login(user)
    assert owner.get("/admin/").status_code == 302  # to the login page


def test_brand_staff_verify_vehicles_from_the_admin(db, brand_staff, user, on_commit):
    from tests.factories import VehicleFactory

    vehicle = VehicleFactory(owner=user)
    browser = Client()
    browser.force_login(brand_staff)
    with on_commit():
        response = browser.post(
            "/admin/community/vehicle/", {"action": "verify", "_selected_action": [vehicle.pk]}, follow=True
        )
    assert response.status_code == 200
    vehicle.refresh_from_db()
    assert vehicle.verified_by == brand_staff


def test_brand_staff_log_in_to_the_back_office_and_owners_cannot(db, brand_staff, user):
    from tests.factories import PASSWORD

    browser = Client()
    response = browser.post("/admin/login/?next=/admin/", {"username": brand_staff.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    owner = Client()
    response = owner.post("/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert owner.get("/admin/").status_code == 302
